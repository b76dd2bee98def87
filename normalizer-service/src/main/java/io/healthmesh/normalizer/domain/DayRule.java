package io.healthmesh.normalizer.domain;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * ARCHITECTURE's day rule: a reading's local date comes from its localDate, else its zone, else
 * its offset. The same zone-or-offset decides where its local midnights and hours fall.
 */
public final class DayRule {

    private DayRule() {
    }

    /** The reading's clock: its IANA zone where known, else the fixed offset it was written with. */
    public static ZoneId clock(String zone, ZoneOffset writtenOffset) {
        if (zone != null && !zone.isBlank()) {
            return ZoneId.of(zone);
        }
        return writtenOffset;
    }

    public static ZoneId clock(String zone, int utcOffsetSeconds) {
        return clock(zone, ZoneOffset.ofTotalSeconds(utcOffsetSeconds));
    }

    public static LocalDate localDate(OffsetDateTime time, String zone) {
        return time.atZoneSameInstant(clock(zone, time.getOffset())).toLocalDate();
    }

    public static LocalDate localDate(Instant time, ZoneId clock) {
        return time.atZone(clock).toLocalDate();
    }
}
