package io.healthmesh.preferences.api;

import java.util.List;

/** An ordered list of source ids, first preferred. */
public record SourceList(List<String> sources) {
}
