package io.healthmesh.normalizer.service;

import io.healthmesh.normalizer.domain.StoredMetric;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;

/**
 * Cuts a stored row into the parts that fall into buckets (local hours or local dates of the
 * row's own clock, the day rule), inside a read window: an amount is cut pro rata by overlap, a
 * sample falls whole into the bucket of its start, a daily value fills its local date and never
 * an hour. A day bucket starts at {@code localDate.atStartOfDay(clock)} and ends at the next
 * date's; an hour bucket starts at the local time truncated to the hour and lasts an hour of
 * elapsed time. {@link BucketCalendar} does the cutting for a whole read.
 */
final class BucketSlices {

    /** The part of {@code row} in the bucket starting at {@code bucketStart}: {@code [from, to)}, its share of the row. */
    record Slice(StoredMetric row, ZonedDateTime bucketStart, Instant from, Instant to, double share) {

        boolean isInterval() {
            return from.isBefore(to);
        }
    }

    private BucketSlices() {
    }

    static ZonedDateTime next(ZonedDateTime bucketStart, ChronoUnit unit) {
        if (unit == ChronoUnit.DAYS) {
            return bucketStart.toLocalDate().plusDays(1).atStartOfDay(bucketStart.getZone());
        }
        // Hours as elapsed time: across a DST change the local hour repeats or skips, the instants do not.
        return bucketStart.plus(Duration.ofHours(1));
    }
}
