package io.healthmesh.normalizer.domain;

/** Everything one source record of one user wrote: its metrics and its session. */
public record RecordKey(String userId, String source, String sourceRecordId) {
}
