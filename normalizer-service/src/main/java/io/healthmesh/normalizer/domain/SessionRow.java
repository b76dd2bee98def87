package io.healthmesh.normalizer.domain;

import java.time.Instant;
import java.time.LocalDate;
import java.util.UUID;

/** One health session as stored; {@code details} is the session details as JSON. */
public record SessionRow(
        String userId,
        String source,
        String sourceRecordId,
        String type,
        Instant start,
        Instant end,
        int utcOffsetSeconds,
        LocalDate localDate,
        String zone,
        String device,
        String app,
        String details,
        double quality,
        String qualityReasons,
        UUID eventId,
        String importJobId,
        Instant occurredAt) {

    public RecordKey key() {
        return new RecordKey(userId, source, sourceRecordId);
    }
}
