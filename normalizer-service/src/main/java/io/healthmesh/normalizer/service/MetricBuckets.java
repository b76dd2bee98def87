package io.healthmesh.normalizer.service;

import io.healthmesh.contracts.event.Aggregation;
import io.healthmesh.normalizer.api.MetricPoint;
import io.healthmesh.normalizer.domain.StoredMetric;
import io.healthmesh.normalizer.domain.TimeWindow;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * Turns stored rows of one metric into points, as ARCHITECTURE's aggregation table says: amounts
 * sum pro rata by overlap with the bucket, samples give mean, min, max and count (by their start),
 * daily values stay whole and only ever fill day buckets. Buckets follow each reading's own clock
 * (day rule): its local dates and local hours. This is the view over every source; each point is
 * one source and one device.
 */
public final class MetricBuckets {

    public enum Granularity { RAW, HOUR, DAY }

    private MetricBuckets() {
    }

    /** Every row inside the window as its own point, in its written offset. */
    public static List<MetricPoint> raw(List<StoredMetric> rows, TimeWindow window) {
        List<MetricPoint> points = new ArrayList<>();
        for (StoredMetric row : rows) {
            boolean inside = row.aggregation() == Aggregation.DAILY
                    ? window.containsDate(row.localDate())
                    : window.overlaps(row.start(), row.end());
            if (inside) {
                ZoneOffset offset = ZoneOffset.ofTotalSeconds(row.utcOffsetSeconds());
                points.add(new MetricPoint(row.start().atOffset(offset), row.end().atOffset(offset), row.value(),
                        null, null, 1, row.source(), devices(row.device()), null, null, row.quality()));
            }
        }
        return points;
    }

    public static List<MetricPoint> hourly(List<StoredMetric> rows, TimeWindow window, boolean additiveDaily) {
        return bucket(rows, window, ChronoUnit.HOURS, additiveDaily);
    }

    public static List<MetricPoint> daily(List<StoredMetric> rows, TimeWindow window, boolean additiveDaily) {
        return bucket(rows, window, ChronoUnit.DAYS, additiveDaily);
    }

    private static List<MetricPoint> bucket(List<StoredMetric> rows, TimeWindow window, ChronoUnit unit,
            boolean additiveDaily) {
        Map<BucketKey, Accumulator> buckets = new LinkedHashMap<>();
        for (StoredMetric row : rows) {
            ZoneId clock = row.clock();
            if (row.aggregation() == Aggregation.DAILY) {
                if (unit == ChronoUnit.DAYS && window.containsDate(row.localDate())) {
                    ZonedDateTime day = row.localDate().atStartOfDay(clock);
                    accumulator(buckets, row, day).addDaily(row);
                }
                continue;
            }
            if (row.aggregation() == Aggregation.SAMPLE || row.start().equals(row.end())) {
                ZonedDateTime bucketStart = bucketStart(row.start(), clock, unit);
                if (inWindow(bucketStart, unit, window)) {
                    accumulator(buckets, row, bucketStart).add(row, 1.0);
                }
                continue;
            }
            double seconds = Duration.between(row.start(), row.end()).toNanos() / 1e9;
            ZonedDateTime bucketStart = bucketStart(row.start(), clock, unit);
            while (bucketStart.toInstant().isBefore(row.end())) {
                ZonedDateTime next = next(bucketStart, unit);
                Instant pieceStart = max(row.start(), bucketStart.toInstant());
                Instant pieceEnd = min(row.end(), next.toInstant());
                double share = Duration.between(pieceStart, pieceEnd).toNanos() / 1e9 / seconds;
                if (share > 0 && inWindow(bucketStart, unit, window)) {
                    accumulator(buckets, row, bucketStart).add(row, share);
                }
                bucketStart = next;
            }
        }
        List<MetricPoint> points = new ArrayList<>(buckets.size());
        buckets.forEach((key, acc) -> points.add(acc.toPoint(key, unit, additiveDaily)));
        points.sort(Comparator.comparing((MetricPoint p) -> p.start().toInstant())
                .thenComparing(MetricPoint::source)
                .thenComparing(p -> String.join(",", p.devices())));
        return points;
    }

    private static boolean inWindow(ZonedDateTime bucketStart, ChronoUnit unit, TimeWindow window) {
        if (unit == ChronoUnit.DAYS) {
            return window.containsDate(bucketStart.toLocalDate());
        }
        Instant start = bucketStart.toInstant();
        return start.isBefore(window.to()) && start.plus(Duration.ofHours(1)).isAfter(window.from());
    }

    private static ZonedDateTime bucketStart(Instant time, ZoneId clock, ChronoUnit unit) {
        ZonedDateTime local = time.atZone(clock);
        return unit == ChronoUnit.DAYS ? local.toLocalDate().atStartOfDay(clock) : local.truncatedTo(ChronoUnit.HOURS);
    }

    private static ZonedDateTime next(ZonedDateTime bucketStart, ChronoUnit unit) {
        if (unit == ChronoUnit.DAYS) {
            LocalDate following = bucketStart.toLocalDate().plusDays(1);
            return following.atStartOfDay(bucketStart.getZone());
        }
        // Hours as elapsed time: across a DST change the local hour repeats or skips, the instants do not.
        return bucketStart.plus(Duration.ofHours(1));
    }

    private static Accumulator accumulator(Map<BucketKey, Accumulator> buckets, StoredMetric row,
            ZonedDateTime bucketStart) {
        BucketKey key = new BucketKey(bucketStart.toInstant(), row.source(), row.device());
        return buckets.computeIfAbsent(key, k -> new Accumulator(bucketStart));
    }

    private static List<String> devices(String device) {
        return device == null ? List.of() : List.of(device);
    }

    private static Instant max(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    private record BucketKey(Instant start, String source, String device) {
    }

    /** The running aggregate of one bucket of one source and device. */
    private static final class Accumulator {
        private final ZonedDateTime start;
        private final TreeSet<String> devices = new TreeSet<>();
        private String source;
        private double amount;
        private long amountCount;
        private double sampleSum;
        private double sampleMin = Double.POSITIVE_INFINITY;
        private double sampleMax = Double.NEGATIVE_INFINITY;
        private long sampleCount;
        private double dailySum;
        private long dailyCount;
        private double qualitySum;
        private long qualityCount;

        Accumulator(ZonedDateTime start) {
            this.start = start;
        }

        void add(StoredMetric row, double share) {
            remember(row);
            if (row.aggregation() == Aggregation.CUMULATIVE) {
                amount += row.value() * share;
                amountCount++;
            } else {
                sampleSum += row.value();
                sampleMin = Math.min(sampleMin, row.value());
                sampleMax = Math.max(sampleMax, row.value());
                sampleCount++;
            }
        }

        void addDaily(StoredMetric row) {
            remember(row);
            dailySum += row.value();
            dailyCount++;
        }

        private void remember(StoredMetric row) {
            source = row.source();
            if (row.device() != null) {
                devices.add(row.device());
            }
            qualitySum += row.quality();
            qualityCount++;
        }

        MetricPoint toPoint(BucketKey key, ChronoUnit unit, boolean additiveDaily) {
            ZonedDateTime end = unit == ChronoUnit.DAYS
                    ? start.toLocalDate().plusDays(1).atStartOfDay(start.getZone())
                    : start.plus(Duration.ofHours(1));
            double quality = Math.round(qualitySum / qualityCount * 1000) / 1000.0;
            List<String> deviceList = List.copyOf(devices);
            // A source's own daily value for a date is its verdict on that day; its finer readings
            // of the same day are not added on top of it.
            if (dailyCount > 0) {
                double value = additiveDaily ? dailySum : dailySum / dailyCount;
                return new MetricPoint(start.toOffsetDateTime(), end.toOffsetDateTime(), value, null, null,
                        dailyCount, Objects.requireNonNull(source), deviceList, null, null, quality);
            }
            if (amountCount > 0) {
                return new MetricPoint(start.toOffsetDateTime(), end.toOffsetDateTime(), amount, null, null,
                        amountCount, source, deviceList, null, null, quality);
            }
            return new MetricPoint(start.toOffsetDateTime(), end.toOffsetDateTime(), sampleSum / sampleCount,
                    sampleMin, sampleMax, sampleCount, source, deviceList, null, null, quality);
        }
    }
}
