package io.healthmesh.normalizer.domain;

import io.healthmesh.contracts.event.Aggregation;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;

/** A unified metric row as the read path needs it. */
public record StoredMetric(
        String source,
        String device,
        String app,
        double value,
        Aggregation aggregation,
        Instant start,
        Instant end,
        int utcOffsetSeconds,
        LocalDate localDate,
        String zone,
        double quality) {

    /** Where this reading's local midnights and hours fall (day rule). */
    public ZoneId clock() {
        return DayRule.clock(zone, utcOffsetSeconds);
    }
}
