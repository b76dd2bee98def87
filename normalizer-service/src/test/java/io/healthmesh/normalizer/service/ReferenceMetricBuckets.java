package io.healthmesh.normalizer.service;

import io.healthmesh.contracts.event.Aggregation;
import io.healthmesh.normalizer.api.MetricPoint;
import io.healthmesh.normalizer.domain.StoredMetric;
import io.healthmesh.normalizer.domain.TimeWindow;
import io.healthmesh.normalizer.service.ReferenceBucketSlices.Slice;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Test-only: MetricBuckets as it was before the read path was made to stream (commit d826d7d), kept
 * verbatim (only renamed) as the reference the new read path must answer exactly like
 * (ReadPathEquivalenceTest). Do not change it to make a test pass.
 *
 * <p>Original documentation:
 *
 * The view over every source ({@code view=all}): each point is one source and one device, as
 * ARCHITECTURE's aggregation table says: amounts sum pro rata by overlap with the bucket, samples
 * give mean, min, max and count, daily values stay whole and only ever fill day buckets.
 */
final class ReferenceMetricBuckets {

    public enum Granularity { RAW, HOUR, DAY }

    private ReferenceMetricBuckets() {
    }

    /** Every row inside the window as its own point, in its written offset. */
    public static List<MetricPoint> raw(List<StoredMetric> rows, TimeWindow window) {
        List<MetricPoint> points = new ArrayList<>();
        for (StoredMetric row : rows) {
            boolean inside = row.aggregation() == Aggregation.DAILY
                    ? window.containsDate(row.localDate())
                    : window.overlaps(row.start(), row.end());
            if (inside) {
                points.add(rawPoint(row, null, null));
            }
        }
        return points;
    }

    static MetricPoint rawPoint(StoredMetric row, Integer rank, Boolean fallback) {
        ZoneOffset offset = ZoneOffset.ofTotalSeconds(row.utcOffsetSeconds());
        return new MetricPoint(row.start().atOffset(offset), row.end().atOffset(offset), row.value(), null, null, 1,
                row.source(), devices(row.device()), rank, fallback, row.quality());
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
            for (Slice slice : ReferenceBucketSlices.of(row, unit, window)) {
                BucketKey key = new BucketKey(slice.bucketStart().toInstant(),
                        unit == ChronoUnit.DAYS ? slice.bucketStart().toLocalDate() : null, row.source(), row.device());
                buckets.computeIfAbsent(key, k -> new Accumulator(slice.bucketStart(), unit)).add(slice);
            }
        }
        List<MetricPoint> points = new ArrayList<>(buckets.size());
        buckets.values().forEach(acc -> points.add(acc.toPoint(additiveDaily, null, null)));
        points.sort(POINT_ORDER);
        return points;
    }

    static final Comparator<MetricPoint> POINT_ORDER = Comparator.comparing((MetricPoint p) -> p.start().toInstant())
            .thenComparing(MetricPoint::source)
            .thenComparing(p -> String.join(",", p.devices()))
            .thenComparing(p -> p.start().toLocalDate());

    static List<String> devices(String device) {
        return device == null ? List.of() : List.of(device);
    }

    private record BucketKey(Instant start, LocalDate date, String source, String device) {
    }

    /**
     * The running aggregate of the slices of one bucket. A source's own daily value for a date is
     * its verdict on that day: its finer readings of the same day are not added on top of it.
     */
    static final class Accumulator {
        private final ZonedDateTime start;
        private final ChronoUnit unit;
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

        Accumulator(ZonedDateTime start, ChronoUnit unit) {
            this.start = start;
            this.unit = unit;
        }

        void add(Slice slice) {
            StoredMetric row = slice.row();
            switch (row.aggregation()) {
                case DAILY -> addDaily(row);
                case CUMULATIVE -> addAmount(row.value() * slice.share(), row);
                case SAMPLE -> addSample(row.value(), row);
            }
        }

        void addAmount(double value, StoredMetric row) {
            amount += value;
            amountCount++;
            remember(row);
        }

        void addSample(double value, StoredMetric row) {
            sampleSum += value;
            sampleMin = Math.min(sampleMin, value);
            sampleMax = Math.max(sampleMax, value);
            sampleCount++;
            remember(row);
        }

        void addDaily(StoredMetric row) {
            dailySum += row.value();
            dailyCount++;
            remember(row);
        }

        void remember(StoredMetric row) {
            source = row.source();
            if (row.device() != null) {
                devices.add(row.device());
            }
            qualitySum += row.quality();
            qualityCount++;
        }

        boolean isEmpty() {
            return qualityCount == 0;
        }

        MetricPoint toPoint(boolean additiveDaily, Integer rank, Boolean fallback) {
            return toPoint(source, additiveDaily, rank, fallback);
        }

        MetricPoint toPoint(String attributedSource, boolean additiveDaily, Integer rank, Boolean fallback) {
            ZonedDateTime end = ReferenceBucketSlices.next(start, unit);
            double quality = Math.round(qualitySum / qualityCount * 1000) / 1000.0;
            List<String> deviceList = List.copyOf(devices);
            if (dailyCount > 0) {
                double value = additiveDaily ? dailySum : dailySum / dailyCount;
                return new MetricPoint(start.toOffsetDateTime(), end.toOffsetDateTime(), value, null, null,
                        dailyCount, attributedSource, deviceList, rank, fallback, quality);
            }
            if (amountCount > 0) {
                return new MetricPoint(start.toOffsetDateTime(), end.toOffsetDateTime(), amount, null, null,
                        amountCount, attributedSource, deviceList, rank, fallback, quality);
            }
            return new MetricPoint(start.toOffsetDateTime(), end.toOffsetDateTime(), sampleSum / sampleCount,
                    sampleMin, sampleMax, sampleCount, attributedSource, deviceList, rank, fallback, quality);
        }
    }
}
