package io.healthmesh.normalizer.api;

import java.time.OffsetDateTime;
import java.util.List;

/**
 * One point of a metric read. For buckets of samples {@code value} is the mean with {@code min},
 * {@code max} and {@code count}; for amounts it is the (pro rata) sum. {@code rank} and
 * {@code fallback} say where the source stands in the user's policy (resolved view only).
 */
public record MetricPoint(OffsetDateTime start, OffsetDateTime end, double value, Double min, Double max,
        long count, String source, List<String> devices, Integer rank, Boolean fallback, double quality) {
}
