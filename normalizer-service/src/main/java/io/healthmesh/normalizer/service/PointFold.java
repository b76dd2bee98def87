package io.healthmesh.normalizer.service;

import io.healthmesh.normalizer.api.MetricPoint;
import io.healthmesh.normalizer.domain.StoredMetric;
import java.util.List;

/**
 * A read's points, computed while its rows stream in: {@link #accept} for every row in the order
 * the query answers them (start time, source, device), then {@link #finish} once. The rows are
 * not kept unless the view needs them. Not thread-safe: one per read.
 */
public interface PointFold {

    void accept(StoredMetric row);

    /** Rows accepted so far (the raw read's cap counts rows, as before). */
    long rows();

    List<MetricPoint> finish();

    /** Feeds {@code rows} in their order and finishes. */
    default List<MetricPoint> over(List<StoredMetric> rows) {
        for (StoredMetric row : rows) {
            accept(row);
        }
        return finish();
    }
}
