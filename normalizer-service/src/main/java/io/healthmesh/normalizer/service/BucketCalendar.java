package io.healthmesh.normalizer.service;

import io.healthmesh.contracts.event.Aggregation;
import io.healthmesh.normalizer.domain.DayRule;
import io.healthmesh.normalizer.domain.StoredMetric;
import io.healthmesh.normalizer.domain.TimeWindow;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The buckets of one read (local hours or local dates of each reading's own clock, inside the
 * read's window) and the cutting of rows into them, as {@link BucketSlices} defines it. The
 * java.time work (a bucket's start and end as {@code ZonedDateTime}, whether it is in the
 * window) is done once per clock and bucket and cached; per row only the offset of the clock at
 * the row's time is needed, and that is cached for the stretch of time between two transitions of
 * the clock. Every value handed out is the one {@link BucketSlices} computes with the same
 * java.time calls, so answers are unchanged.
 *
 * <p>Not thread-safe: one per read.
 */
final class BucketCalendar {

    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    /** Receives the parts of a row, in bucket order, as {@link BucketSlices} answers them. */
    interface SliceSink {
        void slice(StoredMetric row, Bucket bucket, Instant from, Instant to, double share);
    }

    /** One bucket of one clock: its start and end as BucketSlices computes them. */
    static final class Bucket {
        final ZonedDateTime start;
        final Instant startInstant;
        /** Days: the local date of the start. Hours: null. */
        final LocalDate date;
        final boolean inWindow;
        private final Clock clock;
        private Bucket next;
        /** Free for the caller (an accumulator of the all view, say). */
        Object attachment;

        private Bucket(Clock clock, ZonedDateTime start, LocalDate date, boolean inWindow) {
            this.clock = clock;
            this.start = start;
            this.startInstant = start.toInstant();
            this.date = date;
            this.inWindow = inWindow;
        }

        /** The following bucket of the same clock ({@link BucketSlices#next}). */
        Bucket next() {
            if (next == null) {
                next = clock.following(this);
            }
            return next;
        }
    }

    private final ChronoUnit unit;
    private final TimeWindow window;
    private final boolean days;
    private final Map<ZoneId, Clock> clocks = new HashMap<>();
    private String lastZone;
    private int lastOffset;
    private Clock lastClock;

    BucketCalendar(ChronoUnit unit, TimeWindow window) {
        if (unit != ChronoUnit.DAYS && unit != ChronoUnit.HOURS) {
            throw new IllegalArgumentException("hours or days, not " + unit);
        }
        this.unit = unit;
        this.window = window;
        this.days = unit == ChronoUnit.DAYS;
    }

    ChronoUnit unit() {
        return unit;
    }

    TimeWindow window() {
        return window;
    }

    /** Cuts {@code row} into its buckets inside the window, exactly as {@link BucketSlices} does. */
    void slice(StoredMetric row, SliceSink sink) {
        Clock clock = clockOf(row);
        Aggregation aggregation = row.aggregation();
        if (aggregation == Aggregation.DAILY) {
            if (!days || !window.containsDate(row.localDate())) {
                return;
            }
            sink.slice(row, clock.day(row.localDate().toEpochDay()), row.start(), row.end(), 1.0);
            return;
        }
        Instant start = row.start();
        Instant end = row.end();
        if (aggregation == Aggregation.SAMPLE || start.equals(end)) {
            Bucket bucket = clock.bucketOf(start);
            if (bucket.inWindow) {
                sink.slice(row, bucket, start, start, 1.0);
            }
            return;
        }
        double seconds = nanosBetween(start, end) / 1e9;
        Bucket bucket = clock.bucketOf(start);
        while (bucket.startInstant.isBefore(end)) {
            Bucket next = bucket.next();
            Instant from = start.isAfter(bucket.startInstant) ? start : bucket.startInstant;
            Instant to = end.isBefore(next.startInstant) ? end : next.startInstant;
            double share = nanosBetween(from, to) / 1e9 / seconds;
            if (share > 0 && bucket.inWindow) {
                sink.slice(row, bucket, from, to, share);
            }
            bucket = next;
        }
    }

    /** {@code Duration.between(from, to).toNanos()}. */
    static long nanosBetween(Instant from, Instant to) {
        return Math.addExact(Math.multiplyExact(to.getEpochSecond() - from.getEpochSecond(), NANOS_PER_SECOND),
                to.getNano() - from.getNano());
    }

    private Clock clockOf(StoredMetric row) {
        String zone = row.zone();
        int offset = row.utcOffsetSeconds();
        if (lastClock != null && Objects.equals(zone, lastZone) && (lastZone != null && !lastZone.isBlank()
                || offset == lastOffset)) {
            return lastClock;
        }
        ZoneId id = DayRule.clock(zone, offset);
        Clock clock = clocks.computeIfAbsent(id, Clock::new);
        lastZone = zone;
        lastOffset = offset;
        lastClock = clock;
        return clock;
    }

    /** The buckets of one clock, and its offset over the stretch between two of its transitions. */
    private final class Clock {
        private final ZoneId zone;
        private final ZoneRules rules;
        private final Map<Long, Bucket> byKey = new HashMap<>();
        private final Map<Long, Bucket> hoursByStart;
        /** The last bucket found by key: rows come in time order, so most rows ask for it again. */
        private long lastKey = Long.MIN_VALUE;
        private Bucket lastBucket;
        /** [stableFrom, stableTo) in epoch seconds: the clock's offset there is stableOffset. */
        private long stableFrom = 1;
        private long stableTo = 0;
        private int stableOffset;

        Clock(ZoneId zone) {
            this.zone = zone;
            this.rules = zone instanceof ZoneOffset ? null : zone.getRules();
            this.hoursByStart = days ? null : new HashMap<>();
            if (rules == null) {
                stableFrom = Long.MIN_VALUE;
                stableTo = Long.MAX_VALUE;
                stableOffset = ((ZoneOffset) zone).getTotalSeconds();
            }
        }

        /** The clock's offset at {@code time} (as {@code time.atZone(zone)} finds it). */
        private int offsetAt(Instant time) {
            long second = time.getEpochSecond();
            if (second >= stableFrom && second < stableTo) {
                return stableOffset;
            }
            stableOffset = rules.getOffset(time).getTotalSeconds();
            ZoneOffsetTransition next = rules.nextTransition(time);
            stableFrom = second;
            stableTo = next == null ? Long.MAX_VALUE : next.getInstant().getEpochSecond();
            if (stableTo <= stableFrom) {
                stableTo = stableFrom; // never cache a stretch we cannot prove
            }
            return stableOffset;
        }

        /** The bucket of {@code time}: {@code BucketSlices.bucketStart(time, zone, unit)}. */
        Bucket bucketOf(Instant time) {
            int offset = offsetAt(time);
            long local = time.getEpochSecond() + offset;
            if (days) {
                return day(Math.floorDiv(local, 86_400L));
            }
            long hour = Math.floorDiv(local, 3600L);
            long key = (hour << 18) | (offset + 131_072L);
            if (key == lastKey) {
                return lastBucket;
            }
            Bucket bucket = byKey.get(key);
            if (bucket == null) {
                // time.atZone(zone).truncatedTo(HOURS): the local hour, resolved with the offset at time.
                ZonedDateTime start = time.atZone(zone).truncatedTo(ChronoUnit.HOURS);
                bucket = hourStarting(start);
                byKey.put(key, bucket);
            }
            lastKey = key;
            lastBucket = bucket;
            return bucket;
        }

        /** The bucket of the local date {@code epochDay}: {@code date.atStartOfDay(zone)}. */
        Bucket day(long epochDay) {
            if (epochDay == lastKey) {
                return lastBucket;
            }
            Bucket bucket = byKey.get(epochDay);
            if (bucket == null) {
                // The start of a day skipped whole by its zone is the next day's: key and window follow the start.
                ZonedDateTime start = LocalDate.ofEpochDay(epochDay).atStartOfDay(zone);
                LocalDate date = start.toLocalDate();
                bucket = new Bucket(this, start, date, window.containsDate(date));
                byKey.put(epochDay, bucket);
            }
            lastKey = epochDay;
            lastBucket = bucket;
            return bucket;
        }

        private Bucket hourStarting(ZonedDateTime start) {
            Instant at = start.toInstant();
            Bucket bucket = hoursByStart.get(at.getEpochSecond());
            if (bucket == null || !bucket.start.equals(start)) {
                bucket = new Bucket(this, start, null, at.isBefore(window.to())
                        && at.plus(Duration.ofHours(1)).isAfter(window.from()));
                if (at.getNano() == 0) {
                    hoursByStart.put(at.getEpochSecond(), bucket);
                }
            }
            return bucket;
        }

        Bucket following(Bucket bucket) {
            if (days) {
                return day(bucket.date.toEpochDay() + 1);
            }
            // Hours as elapsed time, as BucketSlices.next does.
            return hourStarting(bucket.start.plus(Duration.ofHours(1)));
        }
    }
}
