package io.healthmesh.normalizer.domain;

import java.time.Instant;
import java.util.Map;

/** A health session row as the read path needs it; details as parsed JSON. */
public record StoredSession(
        String source,
        String sourceRecordId,
        String type,
        Instant start,
        Instant end,
        int utcOffsetSeconds,
        String zone,
        String device,
        String app,
        Map<String, Object> details,
        double quality) {
}
