package io.healthmesh.normalizer.api;

import java.time.OffsetDateTime;
import java.util.Map;

public record SessionPoint(OffsetDateTime start, OffsetDateTime end, String source, String device,
        Map<String, Object> details, Integer rank, Boolean fallback) {
}
