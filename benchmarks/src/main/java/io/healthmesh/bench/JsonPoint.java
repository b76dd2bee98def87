package io.healthmesh.bench;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * The shape of the normalizer's metric read (its api.MetricSeries and api.MetricPoint records), so
 * the bench can time writing the very same answer with Jackson.
 */
final class JsonPoint {

    private JsonPoint() {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Series(String metric, String unit, String kind, String view, String granularity, List<Point> points) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Point(OffsetDateTime start, OffsetDateTime end, double value, Double min, Double max, long count,
            String source, List<String> devices, Integer rank, Boolean fallback, double quality) {
    }
}
