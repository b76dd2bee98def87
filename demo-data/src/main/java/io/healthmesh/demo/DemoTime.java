package io.healthmesh.demo;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

/** The demo user's clock: they live in Paris, and every source writes Paris wall-clock offsets. */
final class DemoTime {

    static final String HOME_ZONE_ID = "Europe/Paris";
    static final ZoneId HOME_ZONE = ZoneId.of(HOME_ZONE_ID);

    private DemoTime() {
    }

    /** A Paris wall-clock time on a date; a time in the spring-forward gap moves on by the gap. */
    static OffsetDateTime local(LocalDate date, LocalTime time) {
        return date.atTime(time).atZone(HOME_ZONE).toOffsetDateTime();
    }

    static OffsetDateTime local(LocalDate date, int hour, int minute) {
        return local(date, LocalTime.of(hour, minute));
    }

    /** Local midnight starting the date, with the offset Paris has then. */
    static OffsetDateTime startOfDay(LocalDate date) {
        return date.atStartOfDay(HOME_ZONE).toOffsetDateTime();
    }

    /** An instant written with the offset Paris has at that instant. */
    static OffsetDateTime inHomeZone(Instant instant) {
        return instant.atZone(HOME_ZONE).toOffsetDateTime();
    }

    /**
     * When a producer emitted the event: a fixed delay after the data ends, never the time of the
     * run, so a rerun emits identical events and the normalizer's upsert writes nothing.
     */
    static OffsetDateTime emittedAfter(OffsetDateTime end, Duration delay) {
        return end.plus(delay).withOffsetSameInstant(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS);
    }
}
