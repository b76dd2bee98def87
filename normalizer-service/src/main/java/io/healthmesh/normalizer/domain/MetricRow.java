package io.healthmesh.normalizer.domain;

import io.healthmesh.contracts.event.Aggregation;
import java.time.Instant;
import java.time.LocalDate;
import java.util.UUID;

/**
 * One unified metric value as stored: canonical value and unit beside the source's own, its
 * interval, local date and provenance. {@code qualityReasons} is the JSON array of the score's factors.
 */
public record MetricRow(
        String userId,
        String source,
        String sourceRecordId,
        String metric,
        String category,
        double value,
        String unit,
        double originalValue,
        String originalUnit,
        Aggregation aggregation,
        Instant start,
        Instant end,
        int utcOffsetSeconds,
        LocalDate localDate,
        String zone,
        String device,
        String app,
        boolean userEntered,
        double quality,
        String qualityReasons,
        UUID eventId,
        String importJobId,
        boolean derivedFromSession,
        Instant occurredAt) {

    public RecordKey recordKey() {
        return new RecordKey(userId, source, sourceRecordId);
    }

    public MetricKey key() {
        return new MetricKey(userId, source, sourceRecordId, metric);
    }
}
