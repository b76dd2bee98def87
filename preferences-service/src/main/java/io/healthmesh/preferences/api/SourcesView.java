package io.healthmesh.preferences.api;

import io.healthmesh.preferences.domain.SourceDescriptor;
import java.util.List;

public record SourcesView(List<SourceDescriptor> sources) {
}
