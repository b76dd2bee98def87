package io.healthmesh.normalizer.api;

import java.util.List;

public record SessionList(String type, String view, List<SessionPoint> sessions) {
}
