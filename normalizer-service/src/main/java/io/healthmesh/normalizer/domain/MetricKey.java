package io.healthmesh.normalizer.domain;

/** The natural key of unified_metric. */
public record MetricKey(String userId, String source, String sourceRecordId, String metric) {

    public RecordKey recordKey() {
        return new RecordKey(userId, source, sourceRecordId);
    }
}
