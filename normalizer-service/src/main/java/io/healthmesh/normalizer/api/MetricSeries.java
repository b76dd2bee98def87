package io.healthmesh.normalizer.api;

import java.util.List;

/** A metric read: canonical unit, the metric's kind (default aggregation), and its points. */
public record MetricSeries(String metric, String unit, String kind, String view, String granularity,
        List<MetricPoint> points) {
}
