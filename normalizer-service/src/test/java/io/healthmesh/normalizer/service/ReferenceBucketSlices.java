package io.healthmesh.normalizer.service;

import io.healthmesh.contracts.event.Aggregation;
import io.healthmesh.normalizer.domain.StoredMetric;
import io.healthmesh.normalizer.domain.TimeWindow;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * Test-only: BucketSlices as it was before the read path was made to stream (commit d826d7d), kept
 * verbatim (only renamed) as the reference the new read path must answer exactly like
 * (ReadPathEquivalenceTest). Do not change it to make a test pass.
 *
 * <p>Original documentation:
 *
 * Cuts a stored row into the parts that fall into buckets (local hours or local dates of the
 * row's own clock, the day rule), inside a read window: an amount is cut pro rata by overlap, a
 * sample falls whole into the bucket of its start, a daily value fills its local date and never
 * an hour.
 */
final class ReferenceBucketSlices {

    /** The part of {@code row} in the bucket starting at {@code bucketStart}: {@code [from, to)}, its share of the row. */
    record Slice(StoredMetric row, ZonedDateTime bucketStart, Instant from, Instant to, double share) {

        boolean isInterval() {
            return from.isBefore(to);
        }

        /** The row's amount per second, for merging overlapping amounts on the timeline. */
        double density() {
            return row.value() / (Duration.between(row.start(), row.end()).toNanos() / 1e9);
        }
    }

    private ReferenceBucketSlices() {
    }

    static List<Slice> of(StoredMetric row, ChronoUnit unit, TimeWindow window) {
        ZoneId clock = row.clock();
        if (row.aggregation() == Aggregation.DAILY) {
            if (unit != ChronoUnit.DAYS || !window.containsDate(row.localDate())) {
                return List.of();
            }
            return List.of(new Slice(row, row.localDate().atStartOfDay(clock), row.start(), row.end(), 1.0));
        }
        if (row.aggregation() == Aggregation.SAMPLE || row.start().equals(row.end())) {
            ZonedDateTime bucket = bucketStart(row.start(), clock, unit);
            return inWindow(bucket, unit, window)
                    ? List.of(new Slice(row, bucket, row.start(), row.start(), 1.0))
                    : List.of();
        }
        List<Slice> slices = new ArrayList<>(2);
        double seconds = Duration.between(row.start(), row.end()).toNanos() / 1e9;
        ZonedDateTime bucket = bucketStart(row.start(), clock, unit);
        while (bucket.toInstant().isBefore(row.end())) {
            ZonedDateTime next = next(bucket, unit);
            Instant from = later(row.start(), bucket.toInstant());
            Instant to = earlier(row.end(), next.toInstant());
            double share = Duration.between(from, to).toNanos() / 1e9 / seconds;
            if (share > 0 && inWindow(bucket, unit, window)) {
                slices.add(new Slice(row, bucket, from, to, share));
            }
            bucket = next;
        }
        return slices;
    }

    static ZonedDateTime next(ZonedDateTime bucketStart, ChronoUnit unit) {
        if (unit == ChronoUnit.DAYS) {
            return bucketStart.toLocalDate().plusDays(1).atStartOfDay(bucketStart.getZone());
        }
        // Hours as elapsed time: across a DST change the local hour repeats or skips, the instants do not.
        return bucketStart.plus(Duration.ofHours(1));
    }

    private static ZonedDateTime bucketStart(Instant time, ZoneId clock, ChronoUnit unit) {
        ZonedDateTime local = time.atZone(clock);
        return unit == ChronoUnit.DAYS ? local.toLocalDate().atStartOfDay(clock) : local.truncatedTo(ChronoUnit.HOURS);
    }

    private static boolean inWindow(ZonedDateTime bucketStart, ChronoUnit unit, TimeWindow window) {
        if (unit == ChronoUnit.DAYS) {
            return window.containsDate(bucketStart.toLocalDate());
        }
        Instant start = bucketStart.toInstant();
        return start.isBefore(window.to()) && start.plus(Duration.ofHours(1)).isAfter(window.from());
    }

    private static Instant later(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    private static Instant earlier(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }
}
