package io.healthmesh.normalizer.service;

import io.healthmesh.contracts.event.Aggregation;
import io.healthmesh.normalizer.api.MetricPoint;
import io.healthmesh.normalizer.domain.StoredMetric;
import io.healthmesh.normalizer.domain.TimeWindow;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.RandomAccess;
import java.util.TreeSet;

/**
 * The view over every source ({@code view=all}): each point is one source and one device, as
 * ARCHITECTURE's aggregation table says: amounts sum pro rata by overlap with the bucket, samples
 * give mean, min, max and count, daily values stay whole and only ever fill day buckets.
 *
 * <p>Hours and days are folded row by row ({@link #fold}): only the running aggregate of each
 * (bucket, source, device) is kept, never the rows, so a year of minute readings needs memory
 * for its buckets only.
 */
public final class MetricBuckets {

    public enum Granularity { RAW, HOUR, DAY }

    private MetricBuckets() {
    }

    /** Every row inside the window as its own point, in its written offset. */
    public static List<MetricPoint> raw(List<StoredMetric> rows, TimeWindow window) {
        return rawFold(window).over(rows);
    }

    /** {@link #raw} one row at a time: the rows inside the window, as {@link RawPoints}. */
    public static PointFold rawFold(TimeWindow window) {
        return rawFold(window, null);
    }

    /**
     * {@link #rawFold(TimeWindow)} that also hands each point's row to {@code listener} as it
     * arrives, in order (null: none): the JSON writer renders the points while the database is
     * still sending rows, instead of after the last one.
     */
    public static PointFold rawFold(TimeWindow window, RawPointListener listener) {
        return new PointFold() {
            private final List<StoredMetric> inside = new ArrayList<>();
            private long rows;

            @Override
            public void accept(StoredMetric row) {
                rows++;
                boolean in = row.aggregation() == Aggregation.DAILY
                        ? window.containsDate(row.localDate())
                        : window.overlaps(row.start(), row.end());
                if (in) {
                    inside.add(row);
                    if (listener != null) {
                        listener.point(row);
                    }
                }
            }

            @Override
            public long rows() {
                return rows;
            }

            @Override
            public List<MetricPoint> finish() {
                return new RawPoints(inside, listener);
            }
        };
    }

    /** Sees the rows of a raw all-view read's points one by one, in the points' order. */
    public interface RawPointListener {
        void point(StoredMetric row);
    }

    /**
     * The all view's raw points, kept as their rows: each is the row as its own point in its
     * written offset ({@link #rawPoint}), made when asked for. The JSON writer writes them
     * straight from the rows ({@link #row}), so a large raw read makes no point objects.
     */
    public static final class RawPoints extends AbstractList<MetricPoint> implements RandomAccess {
        private final List<StoredMetric> rows;
        private final RawPointListener listener;

        RawPoints(List<StoredMetric> rows, RawPointListener listener) {
            this.rows = rows;
            this.listener = listener;
        }

        /** The row of point {@code index}: its point is {@code rawPoint(row, null, null)}. */
        public StoredMetric row(int index) {
            return rows.get(index);
        }

        /** The listener that saw every one of these points' rows as they came, or null. */
        public RawPointListener listener() {
            return listener;
        }

        @Override
        public MetricPoint get(int index) {
            return rawPoint(rows.get(index), null, null);
        }

        @Override
        public int size() {
            return rows.size();
        }
    }

    static MetricPoint rawPoint(StoredMetric row, Integer rank, Boolean fallback) {
        return rawPoint(row, row.source(), rank, fallback);
    }

    /** The row as its own point, attributed to {@code source} (the resolved view's winner). */
    static MetricPoint rawPoint(StoredMetric row, String source, Integer rank, Boolean fallback) {
        ZoneOffset offset = offset(row.utcOffsetSeconds());
        OffsetDateTime start = at(row.start(), offset);
        OffsetDateTime end = row.end().equals(row.start()) ? start : at(row.end(), offset);
        return new MetricPoint(start, end, row.value(), null, null, 1, source, devices(row.device()), rank,
                fallback, row.quality());
    }

    /** Offsets of whole quarter hours, as ZoneOffset caches them, without its map and boxing. */
    private static final ZoneOffset[] QUARTER_HOURS = new ZoneOffset[145];

    static {
        for (int i = 0; i < QUARTER_HOURS.length; i++) {
            QUARTER_HOURS[i] = ZoneOffset.ofTotalSeconds((i - 72) * 900);
        }
    }

    /** {@code ZoneOffset.ofTotalSeconds(seconds)}. */
    static ZoneOffset offset(int seconds) {
        if (seconds % 900 == 0 && seconds >= -64_800 && seconds <= 64_800) {
            return QUARTER_HOURS[seconds / 900 + 72];
        }
        return ZoneOffset.ofTotalSeconds(seconds);
    }

    /**
     * {@code instant.atOffset(offset)} without {@code ZoneOffset.getRules()}, which builds a new
     * ZoneRules on every call on JDK 17: the same value.
     */
    public static OffsetDateTime at(Instant instant, ZoneOffset offset) {
        return OffsetDateTime.of(LocalDateTime.ofEpochSecond(instant.getEpochSecond(), instant.getNano(), offset),
                offset);
    }

    public static List<MetricPoint> hourly(List<StoredMetric> rows, TimeWindow window, boolean additiveDaily) {
        return fold(ChronoUnit.HOURS, window, additiveDaily).over(rows);
    }

    public static List<MetricPoint> daily(List<StoredMetric> rows, TimeWindow window, boolean additiveDaily) {
        return fold(ChronoUnit.DAYS, window, additiveDaily).over(rows);
    }

    /** Hour or day buckets of the all view, one row at a time. */
    public static PointFold fold(ChronoUnit unit, TimeWindow window, boolean additiveDaily) {
        return new BucketFold(new BucketCalendar(unit, window), additiveDaily);
    }

    /**
     * One accumulator per (bucket start instant, source, device), and for days per local date too,
     * created by the first slice that falls into it (whose clock then names the point's start);
     * points sorted at the end. Two clocks a day apart (-11:00 and +13:00) start different dates at
     * the same instant: they stay two points, so a date's points depend on that date's rows alone
     * (the day cache keeps them per date).
     */
    private static final class BucketFold implements PointFold, BucketCalendar.SliceSink {
        private final BucketCalendar calendar;
        private final boolean additiveDaily;
        /** By the bucket's start instant (hours) or its start instant and date (days). */
        private final Map<Object, List<Accumulator>> byStart = new HashMap<>();
        private final List<Accumulator> created = new ArrayList<>();
        private long rows;

        BucketFold(BucketCalendar calendar, boolean additiveDaily) {
            this.calendar = calendar;
            this.additiveDaily = additiveDaily;
        }

        @Override
        public void accept(StoredMetric row) {
            rows++;
            calendar.slice(row, this);
        }

        @Override
        public void slice(StoredMetric row, BucketCalendar.Bucket bucket, Instant from, Instant to, double share) {
            @SuppressWarnings("unchecked")
            List<Accumulator> atStart = (List<Accumulator>) bucket.attachment;
            if (atStart == null) {
                Object key = bucket.date == null ? bucket.startInstant : new DayStart(bucket.startInstant, bucket.date);
                atStart = byStart.computeIfAbsent(key, k -> new ArrayList<>(4));
                bucket.attachment = atStart;
            }
            String source = row.source();
            String device = row.device();
            Accumulator accumulator = null;
            for (int i = 0; i < atStart.size(); i++) {
                Accumulator candidate = atStart.get(i);
                if (candidate.keySource.equals(source) && Objects.equals(candidate.keyDevice, device)) {
                    accumulator = candidate;
                    break;
                }
            }
            if (accumulator == null) {
                accumulator = new Accumulator(bucket.start, calendar.unit());
                accumulator.keySource = source;
                accumulator.keyDevice = device;
                atStart.add(accumulator);
                created.add(accumulator);
            }
            switch (row.aggregation()) {
                case DAILY -> accumulator.addDaily(row);
                case CUMULATIVE -> accumulator.addAmount(row.value() * share, row);
                case SAMPLE -> accumulator.addSample(row.value(), row);
            }
        }

        @Override
        public long rows() {
            return rows;
        }

        @Override
        public List<MetricPoint> finish() {
            List<MetricPoint> points = new ArrayList<>(created.size());
            created.forEach(acc -> points.add(acc.toPoint(additiveDaily, null, null)));
            sort(points);
            return points;
        }
    }

    static final Comparator<MetricPoint> POINT_ORDER = Comparator.comparing((MetricPoint p) -> p.start().toInstant())
            .thenComparing(MetricPoint::source)
            .thenComparing(p -> String.join(",", p.devices()))
            .thenComparing(p -> p.start().toLocalDate());

    /** Sorts by {@link #POINT_ORDER} (stable), comparing precomputed keys. */
    static void sort(List<MetricPoint> points) {
        int n = points.size();
        if (n < 2) {
            return;
        }
        Keyed[] keyed = new Keyed[n];
        for (int i = 0; i < n; i++) {
            MetricPoint p = points.get(i);
            Instant start = p.start().toInstant();
            keyed[i] = new Keyed(start.getEpochSecond(), start.getNano(), p.source(), String.join(",", p.devices()),
                    p);
        }
        java.util.Arrays.sort(keyed, Keyed.ORDER); // stable (TimSort)
        for (int i = 0; i < n; i++) {
            points.set(i, keyed[i].point);
        }
    }

    private record DayStart(Instant start, LocalDate date) {
    }

    private record Keyed(long second, int nano, String source, String devices, MetricPoint point) {
        static final Comparator<Keyed> ORDER = (a, b) -> {
            int c = Long.compare(a.second, b.second);
            if (c != 0) {
                return c;
            }
            c = Integer.compare(a.nano, b.nano);
            if (c != 0) {
                return c;
            }
            c = a.source.compareTo(b.source);
            c = c != 0 ? c : a.devices.compareTo(b.devices);
            // Days of two clocks a day apart may start at the same instant: the earlier date first.
            return c != 0 ? c : a.point.start().toLocalDate().compareTo(b.point.start().toLocalDate());
        };
    }

    static List<String> devices(String device) {
        return device == null ? List.of() : List.of(device);
    }

    /**
     * The running aggregate of the slices of one bucket. A source's own daily value for a date is
     * its verdict on that day: its finer readings of the same day are not added on top of it.
     */
    static final class Accumulator {
        private final ZonedDateTime start;
        private final ChronoUnit unit;
        private final TreeSet<String> devices = new TreeSet<>();
        /** The (source, device) the all view keys this accumulator by. */
        String keySource;
        String keyDevice;
        private String source;
        private String lastDevice;
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
            String device = row.device();
            if (device != null && !device.equals(lastDevice)) {
                devices.add(device);
                lastDevice = device;
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
            ZonedDateTime end = BucketSlices.next(start, unit);
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
