package io.healthmesh.normalizer.service;

import io.healthmesh.contracts.event.Aggregation;
import io.healthmesh.normalizer.api.MetricPoint;
import io.healthmesh.normalizer.domain.StoredMetric;
import io.healthmesh.normalizer.domain.TimeWindow;
import io.healthmesh.normalizer.repository.RowCacheRepository;
import io.healthmesh.normalizer.service.BucketSlices.Slice;
import io.healthmesh.normalizer.service.MetricBuckets.Accumulator;
import io.healthmesh.normalizer.service.SourceRanking.Standing;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.RandomAccess;

/**
 * The resolved view: per bucket (a local hour for raw and hour granularity, the local date for
 * day) the highest-ranked source with any data in it wins, and only its data makes the point; two
 * sources are never summed. Inside the winner, amounts of its devices that overlap are merged on
 * the timeline (each moment counted once, from the highest-ranked device covering it, pro rata);
 * samples come from its highest-ranked device with samples in the bucket; a daily value is taken
 * whole.
 *
 * <p>A bucket keeps only the slices of the best source seen so far in it (the others cannot win
 * it). Fed in start-time order ({@link #fold} with {@code startOrdered}), a bucket no later row can
 * reach is resolved and its slices dropped as the rows go by, so a year of minute readings never
 * sits in memory at once. Daily values are placed by their own local date, not their start: one
 * arriving for a bucket already resolved is still applied (see {@link Bucket#add}).
 */
public final class ResolvedBuckets {

    /**
     * Offsets lie within +-18 h: a row starting at t or later falls on local dates from that of
     * t - 18 h on (its first bucket is its start's local date, the next ones later).
     */
    private static final long MOST_NEGATIVE_OFFSET_SECONDS = 18 * 3600L;
    /**
     * An hour bucket starts at most an hour before the rows in it (the local hour truncated,
     * resolved with the row's own offset, or moved forward out of a gap); two, to be safe.
     */
    private static final long HOUR_BUCKETS_BEHIND_SECONDS = 2 * 3600L;

    private ResolvedBuckets() {
    }

    public static List<MetricPoint> hourly(List<StoredMetric> rows, TimeWindow window, SourceRanking ranking,
            boolean additiveDaily) {
        return fold(ChronoUnit.HOURS, window, ranking, additiveDaily, false).over(rows);
    }

    public static List<MetricPoint> daily(List<StoredMetric> rows, TimeWindow window, SourceRanking ranking,
            boolean additiveDaily) {
        return fold(ChronoUnit.DAYS, window, ranking, additiveDaily, false).over(rows);
    }

    /**
     * Hour or day buckets of the resolved view, one row at a time. With {@code startOrdered} the
     * rows must come in start-time order (the read query's order) and buckets are resolved as soon
     * as no later row can reach them; a row out of order is an error.
     */
    public static PointFold fold(ChronoUnit unit, TimeWindow window, SourceRanking ranking, boolean additiveDaily,
            boolean startOrdered) {
        return new ResolvedFold(new BucketCalendar(unit, window), ranking, additiveDaily, startOrdered);
    }

    /**
     * The winner's own readings: per local hour, its samples (highest-ranked device) and the
     * parts of its amounts that count after the device merge; daily values per local date.
     */
    public static List<MetricPoint> raw(List<StoredMetric> rows, TimeWindow window, SourceRanking ranking) {
        return rawFold(window, ranking).over(rows);
    }

    /**
     * {@link #raw}, one row at a time: each row goes into its bucket as it comes (a bucket keeps
     * only its best source's slices, and a raw read is capped), the pieces are made at the end.
     */
    public static PointFold rawFold(TimeWindow window, SourceRanking ranking) {
        Grouping finer = new Grouping(new BucketCalendar(ChronoUnit.HOURS, window), ranking);
        Grouping dailies = new Grouping(new BucketCalendar(ChronoUnit.DAYS, window), ranking);
        return new PointFold() {
            private long rows;

            @Override
            public void accept(StoredMetric row) {
                rows++;
                (row.aggregation() == Aggregation.DAILY ? dailies : finer).add(row);
            }

            @Override
            public long rows() {
                return rows;
            }

            @Override
            public List<MetricPoint> finish() {
                List<Piece> pieces = new ArrayList<>();
                for (Bucket bucket : finer.buckets) {
                    bucket.rawPieces(ranking, pieces);
                }
                return withDailies(pieces, dailies);
            }
        };
    }

    /**
     * A resolved raw read put together from hours resolved before ({@link DateHours}): their
     * pieces, and the read's daily values resolved here (the read's dates decide which count).
     * {@code rows} is what the read's rows number (the raw read's cap counts them). The points
     * are made in {@code hourPieces}, which the fold takes over.
     */
    static PointFold assembled(long rows, List<Piece> hourPieces, List<StoredMetric> dailyRows, TimeWindow window,
            SourceRanking ranking) {
        Grouping dailies = new Grouping(new BucketCalendar(ChronoUnit.DAYS, window), ranking);
        dailyRows.forEach(dailies::add);
        return new PointFold() {
            @Override
            public void accept(StoredMetric row) {
                throw new UnsupportedOperationException("An assembled read takes no rows");
            }

            @Override
            public long rows() {
                return rows;
            }

            @Override
            public List<MetricPoint> finish() {
                return withDailies(hourPieces, dailies);
            }
        };
    }

    /** The hours' pieces and the daily values' (whole, their day's winner's), in the points' order. */
    private static List<MetricPoint> withDailies(List<Piece> pieces, Grouping dailies) {
        for (Bucket bucket : dailies.buckets) {
            for (Slice slice : bucket.dailies) {
                pieces.add(Piece.whole(slice.row(), bucket.winner));
            }
        }
        if (!Piece.inOrder(pieces)) {
            pieces.sort(Piece.ORDER); // stable (TimSort)
        }
        return new RawPieces(pieces);
    }

    /**
     * What the resolved raw cache keeps of one UTC date (ResolvedHoursCodec), folded from the rows
     * a raw read of the whole date folds (those reaching into it, then those starting on it): the
     * pieces of its hour buckets, as any raw read covering a bucket whole answers them (every row
     * in a bucket inside the date is among these rows), its rows per hour and its daily values.
     */
    static final class DateHours implements PointFold {
        private final LocalDate date;
        private final long startSecond;
        private final SourceRanking ranking;
        private final Grouping finer;
        private final long[] rowsPerHour = new long[ResolvedHoursCodec.HOURS];
        private final List<StoredMetric> dailyRows = new ArrayList<>();
        private long rows;

        DateHours(LocalDate date, SourceRanking ranking) {
            this.date = date;
            Instant start = RowCacheRepository.utcStart(date);
            this.startSecond = start.getEpochSecond();
            this.ranking = ranking;
            this.finer = new Grouping(new BucketCalendar(ChronoUnit.HOURS, new TimeWindow(start,
                    start.plusSeconds(86_400), date, date)), ranking);
        }

        @Override
        public void accept(StoredMetric row) {
            rows++;
            long second = row.start().getEpochSecond() - startSecond;
            boolean onDate = second >= 0 && second < 86_400;
            if (onDate) {
                rowsPerHour[(int) (second / 3600)]++;
            }
            if (row.aggregation() == Aggregation.DAILY) {
                if (onDate) {
                    dailyRows.add(row);
                }
            } else {
                finer.add(row);
            }
        }

        @Override
        public long rows() {
            return rows;
        }

        @Override
        public List<MetricPoint> finish() {
            throw new UnsupportedOperationException("A date's hours are taken with encoded()");
        }

        /**
         * The date's entry, or null if an hour bucket does not start on a whole UTC hour of the
         * date (a clock at a half-hour offset): such a bucket has rows outside the date too.
         */
        byte[] encoded() {
            List<ResolvedHoursCodec.HourPiece> pieces = new ArrayList<>();
            List<Piece> ofBucket = new ArrayList<>();
            for (Bucket bucket : finer.buckets) {
                Instant start = (Instant) bucket.key;
                long second = start.getEpochSecond() - startSecond;
                if (start.getNano() != 0 || second < 0 || second >= 86_400 || second % 3600 != 0) {
                    return null;
                }
                ofBucket.clear();
                bucket.rawPieces(ranking, ofBucket);
                for (Piece piece : ofBucket) {
                    pieces.add(new ResolvedHoursCodec.HourPiece((int) (second / 3600), piece));
                }
            }
            return ResolvedHoursCodec.encode(date, rowsPerHour, dailyRows, pieces);
        }
    }

    /**
     * The resolved view's raw points, kept as the {@link Piece}s they are made of: the JSON
     * writer writes them from the pieces ({@link #piece}), so a raw read makes no point objects;
     * {@link #get} makes one when asked.
     */
    public static final class RawPieces extends AbstractList<MetricPoint> implements RandomAccess {
        private final List<Piece> pieces;

        RawPieces(List<Piece> pieces) {
            this.pieces = pieces;
        }

        public Piece piece(int index) {
            return pieces.get(index);
        }

        @Override
        public MetricPoint get(int index) {
            return pieces.get(index).point();
        }

        @Override
        public int size() {
            return pieces.size();
        }
    }

    /**
     * One resolved raw point: the part of {@code row} from {@code from} to {@code to}, worth
     * {@code value} (the whole row, or what counts of an amount after the device merge), in the
     * row's written offset, attributed to its bucket's {@code winner}.
     */
    public record Piece(StoredMetric row, Instant from, Instant to, double value, Standing winner) {

        /**
         * {@link MetricBuckets#POINT_ORDER} on the points the pieces make (start instant, source,
         * devices, start date), without making them.
         */
        static final Comparator<Piece> ORDER = (a, b) -> {
            int c = a.from.compareTo(b.from);
            if (c != 0) {
                return c;
            }
            c = a.winner.source().compareTo(b.winner.source());
            c = c != 0 ? c : devices(a.row).compareTo(devices(b.row));
            return c != 0 ? c : Long.compare(a.localEpochDay(), b.localEpochDay());
        };

        static Piece whole(StoredMetric row, Standing winner) {
            return new Piece(row, row.start(), row.end(), row.value(), winner);
        }

        /** As {@code MetricBuckets.rawPoint} makes a row's point, for this part of it. */
        public MetricPoint point() {
            ZoneOffset offset = MetricBuckets.offset(row.utcOffsetSeconds());
            OffsetDateTime start = MetricBuckets.at(from, offset);
            OffsetDateTime end = to.equals(from) ? start : MetricBuckets.at(to, offset);
            return new MetricPoint(start, end, value, null, null, 1, winner.source(),
                    MetricBuckets.devices(row.device()), winner.rank(), winner.fallback(), row.quality());
        }

        private long localEpochDay() {
            return Math.floorDiv(from.getEpochSecond() + row.utcOffsetSeconds(), 86_400L);
        }

        /** {@code String.join(",", MetricBuckets.devices(row.device()))}. */
        private static String devices(StoredMetric row) {
            return row.device() == null ? "" : row.device();
        }

        static boolean inOrder(List<Piece> pieces) {
            for (int i = 1; i < pieces.size(); i++) {
                if (ORDER.compare(pieces.get(i - 1), pieces.get(i)) > 0) {
                    return false;
                }
            }
            return true;
        }
    }

    /** Buckets in the order they were first reached; each keeps its best source's slices. */
    private static class Grouping implements BucketCalendar.SliceSink {
        final BucketCalendar calendar;
        final SourceRanking ranking;
        final boolean days;
        final Map<Object, Bucket> byKey = new HashMap<>();
        final List<Bucket> buckets = new ArrayList<>();
        private Standing standing;

        Grouping(BucketCalendar calendar, SourceRanking ranking) {
            this.calendar = calendar;
            this.ranking = ranking;
            this.days = calendar.unit() == ChronoUnit.DAYS;
        }

        void add(StoredMetric row) {
            standing = ranking.standing(row.source(), row.app());
            calendar.slice(row, this);
        }

        @Override
        public void slice(StoredMetric row, BucketCalendar.Bucket at, Instant from, Instant to, double share) {
            Bucket bucket = (Bucket) at.attachment;
            if (bucket == null) {
                // Days are local dates whatever the clock; hours are instants.
                Object key = days ? at.date : at.startInstant;
                bucket = byKey.get(key);
                if (bucket == null) {
                    bucket = new Bucket(key);
                    byKey.put(key, bucket);
                    buckets.add(bucket);
                    created(bucket);
                }
                at.attachment = bucket;
            }
            bucket.add(standing, row, at, from, to, share);
        }

        void created(Bucket bucket) {
        }
    }

    /** Hour and day buckets of the resolved view; resolved early when the rows come in start order. */
    private static final class ResolvedFold extends Grouping implements PointFold {
        private final boolean additiveDaily;
        private final boolean startOrdered;
        private final List<Bucket> open = new ArrayList<>();
        private long rows;
        private Instant lastStart;
        private long nextSealCheck = Long.MIN_VALUE;

        ResolvedFold(BucketCalendar calendar, SourceRanking ranking, boolean additiveDaily, boolean startOrdered) {
            super(calendar, ranking);
            this.additiveDaily = additiveDaily;
            this.startOrdered = startOrdered;
        }

        @Override
        public void accept(StoredMetric row) {
            rows++;
            if (startOrdered) {
                Instant start = row.start();
                if (lastStart != null && start.isBefore(lastStart)) {
                    throw new IllegalStateException("Rows out of start order: " + start + " after " + lastStart);
                }
                lastStart = start;
                if (start.getEpochSecond() >= nextSealCheck) {
                    seal(start.getEpochSecond());
                    nextSealCheck = start.getEpochSecond() + 900;
                }
            }
            add(row);
        }

        @Override
        void created(Bucket bucket) {
            if (startOrdered) {
                open.add(bucket);
            }
        }

        /**
         * Resolves the open buckets no row starting at {@code second} or later can reach (except a
         * daily value, placed by its own date: see {@link Bucket#add}).
         */
        private void seal(long second) {
            long firstOpenDay = Math.floorDiv(second - MOST_NEGATIVE_OFFSET_SECONDS, 86_400L);
            long firstOpenHour = second - HOUR_BUCKETS_BEHIND_SECONDS;
            int kept = 0;
            for (int i = 0; i < open.size(); i++) {
                Bucket bucket = open.get(i);
                boolean reachable = days ? ((LocalDate) bucket.key).toEpochDay() >= firstOpenDay
                        : ((Instant) bucket.key).getEpochSecond() >= firstOpenHour;
                if (reachable) {
                    open.set(kept++, bucket);
                } else {
                    bucket.seal(this);
                }
            }
            open.subList(kept, open.size()).clear();
        }

        @Override
        public long rows() {
            return rows;
        }

        @Override
        public List<MetricPoint> finish() {
            List<MetricPoint> points = new ArrayList<>(buckets.size());
            for (Bucket bucket : buckets) {
                points.add(bucket.point(this));
            }
            MetricBuckets.sort(points);
            return points;
        }

        MetricPoint resolve(Bucket bucket) {
            return bucket.resolve(ranking, additiveDaily, calendar.unit());
        }
    }

    /**
     * The slices of one bucket that belong to its best source so far, split by aggregation in
     * arrival order. Once sealed, only what a late daily value needs is kept: the winner, the
     * first slice's bucket start and the winner's daily values.
     */
    private static final class Bucket {
        final Object key;
        Standing winner;
        ZonedDateTime firstStart;
        List<Slice> dailies = new ArrayList<>(1);
        List<Slice> amounts = new ArrayList<>();
        List<Slice> samples = new ArrayList<>();
        MetricPoint point;
        boolean sealed;

        Bucket(Object key) {
            this.key = key;
        }

        void add(Standing standing, StoredMetric row, BucketCalendar.Bucket at, Instant from, Instant to,
                double share) {
            // Standings are shared per source and app: most rows are the winner's own.
            if (winner != null && standing != winner) {
                int order = standing.compareTo(winner);
                if (order > 0 || order == 0 && !standing.equals(winner)) {
                    return; // cannot win this bucket
                }
                if (order < 0) {
                    reset();
                }
            }
            Slice slice = new Slice(row, at.start, from, to, share);
            Aggregation aggregation = row.aggregation();
            if (sealed && aggregation != Aggregation.DAILY) {
                throw new IllegalStateException("A " + aggregation + " reading reached the bucket " + key
                        + " after it was resolved: rows out of start order");
            }
            if (winner == null) {
                winner = standing;
                firstStart = at.start;
            }
            switch (aggregation) {
                case DAILY -> dailies.add(slice);
                case CUMULATIVE -> amounts.add(slice);
                case SAMPLE -> samples.add(slice);
            }
            if (sealed) {
                point = null; // resolved again with the late daily value
            }
        }

        private void reset() {
            winner = null;
            firstStart = null;
            dailies = new ArrayList<>(1);
            amounts = sealed ? null : new ArrayList<>();
            samples = sealed ? null : new ArrayList<>();
        }

        void seal(ResolvedFold fold) {
            point = fold.resolve(this);
            sealed = true;
            amounts = null;
            samples = null;
        }

        MetricPoint point(ResolvedFold fold) {
            if (point == null) {
                point = fold.resolve(this);
            }
            return point;
        }

        MetricPoint resolve(SourceRanking ranking, boolean additiveDaily, ChronoUnit unit) {
            Accumulator accumulator = new Accumulator(firstStart, unit);
            if (!dailies.isEmpty()) {
                dailies.forEach(slice -> accumulator.addDaily(slice.row()));
            } else if (!amounts.isEmpty()) {
                merge(amounts, ranking, (slice, amount) -> accumulator.addAmount(amount, slice.row()));
            } else {
                for (Slice slice : bestDeviceSamples(samples, ranking)) {
                    accumulator.addSample(slice.row().value(), slice.row());
                }
            }
            return accumulator.toPoint(winner.source(), additiveDaily, winner.rank(), winner.fallback());
        }

        void rawPieces(SourceRanking ranking, List<Piece> pieces) {
            if (!amounts.isEmpty()) {
                merge(amounts, ranking, (slice, amount) -> pieces.add(new Piece(slice.row(), slice.from(), slice.to(),
                        amount, winner)));
                return;
            }
            for (Slice slice : bestDeviceSamples(samples, ranking)) {
                pieces.add(Piece.whole(slice.row(), winner));
            }
        }
    }

    /** Samples of the highest-ranked device that has any in the bucket. */
    private static List<Slice> bestDeviceSamples(List<Slice> slices, SourceRanking ranking) {
        if (slices.isEmpty()) {
            return slices;
        }
        int[] ranks = new int[slices.size()];
        int best = Integer.MAX_VALUE;
        boolean same = true;
        for (int i = 0; i < ranks.length; i++) {
            ranks[i] = deviceRank(slices.get(i), ranking);
            same &= i == 0 || ranks[i] == ranks[0];
            best = Math.min(best, ranks[i]);
        }
        if (same) {
            return slices;
        }
        List<Slice> kept = new ArrayList<>();
        for (int i = 0; i < ranks.length; i++) {
            if (ranks[i] == best) {
                kept.add(slices.get(i));
            }
        }
        return kept;
    }

    private static int deviceRank(Slice slice, SourceRanking ranking) {
        StoredMetric row = slice.row();
        return ranking.deviceRank(row.source(), row.device(), row.app());
    }

    /** Receives each contributing slice and its amount, in the order the merge answers them. */
    interface AmountSink {
        void amount(Slice slice, double amount);
    }

    /**
     * Merges overlapping amounts on the timeline: the bucket's time is cut at every slice
     * boundary, and each piece counts only for the slices of the highest-ranked device covering it
     * (the earlier-starting one's device among equals), pro rata. Hands each contributing slice its
     * amount: first the instants, then the intervals, each in their order. Two equal readings are
     * two readings: each counts and each is its own raw point.
     */
    static void merge(List<Slice> slices, SourceRanking ranking, AmountSink sink) {
        List<Slice> intervals = new ArrayList<>(slices.size());
        for (Slice slice : slices) {
            if (slice.isInterval()) {
                intervals.add(slice);
            } else {
                sink.amount(slice, slice.row().value() * slice.share());
            }
        }
        int n = intervals.size();
        if (n == 0) {
            return;
        }
        double[] contribution = new Timeline(intervals, ranking).contributions();
        for (int i = 0; i < n; i++) {
            if (contribution[i] > 0) {
                sink.amount(intervals.get(i), contribution[i]);
            }
        }
    }

    /**
     * The sweep over the slice boundaries: edges in time order (at one instant closings before
     * openings), the covering slices in a heap ordered by device rank, the row's start, then
     * arrival; each piece between two edges adds {@code density * seconds} to every covering slice
     * of the first covering slice's device. The same pieces, in the same order, with the same arithmetic as a sorted set of the
     * covering slices would give.
     */
    private static final class Timeline {
        private final List<Slice> intervals;
        private final int[] rank;
        /** Slices of one device (same device and app) share a number. */
        private final int[] device;
        private final long[] rowStartSecond;
        private final int[] rowStartNano;
        private final int[] heap;
        private int heapSize;
        private final boolean[] closed;

        Timeline(List<Slice> intervals, SourceRanking ranking) {
            this.intervals = intervals;
            int n = intervals.size();
            rank = new int[n];
            device = new int[n];
            rowStartSecond = new long[n];
            rowStartNano = new int[n];
            heap = new int[n];
            closed = new boolean[n];
            List<StoredMetric> devices = new ArrayList<>(2);
            for (int i = 0; i < n; i++) {
                Slice slice = intervals.get(i);
                rank[i] = deviceRank(slice, ranking);
                device[i] = deviceNumber(devices, slice.row());
                rowStartSecond[i] = slice.row().start().getEpochSecond();
                rowStartNano[i] = slice.row().start().getNano();
            }
        }

        /** A bucket's rows come from a few devices: a short scan beats hashing. */
        private static int deviceNumber(List<StoredMetric> devices, StoredMetric row) {
            for (int d = 0; d < devices.size(); d++) {
                StoredMetric known = devices.get(d);
                if (Objects.equals(known.device(), row.device()) && Objects.equals(known.app(), row.app())) {
                    return d;
                }
            }
            devices.add(row);
            return devices.size() - 1;
        }

        double[] contributions() {
            int n = intervals.size();
            Instant base = intervals.get(0).from();
            for (Slice slice : intervals) {
                if (slice.from().isBefore(base)) {
                    base = slice.from();
                }
            }
            // Edge e = 2 * slice (opening) or 2 * slice + 1 (closing), at nanos[e] after base.
            int edges = 2 * n;
            long[] nanos = new long[edges];
            boolean micros = true;
            long last = 0;
            for (int i = 0; i < n; i++) {
                Slice slice = intervals.get(i);
                nanos[2 * i] = BucketCalendar.nanosBetween(base, slice.from());
                nanos[2 * i + 1] = BucketCalendar.nanosBetween(base, slice.to());
                micros &= nanos[2 * i] % 1000 == 0 && nanos[2 * i + 1] % 1000 == 0;
                last = Math.max(last, nanos[2 * i + 1]);
            }
            // Time order; at one instant closings before openings (the comparator on (instant, opens)).
            int[] edgeOf = new int[edges];
            long scale = micros ? 1000 : 1;
            if (edges <= (1 << 20) && last / scale < (1L << 41)) {
                // (time * 2 + opening) << 20 | edge: one long each, sorted as primitives.
                long[] keys = new long[edges];
                for (int e = 0; e < edges; e++) {
                    keys[e] = ((nanos[e] / scale * 2 + ((e & 1) == 0 ? 1 : 0)) << 20) | e;
                }
                Arrays.sort(keys);
                for (int k = 0; k < edges; k++) {
                    edgeOf[k] = (int) (keys[k] & ((1 << 20) - 1));
                }
            } else {
                Integer[] order = new Integer[edges];
                for (int e = 0; e < edges; e++) {
                    order[e] = e;
                }
                Arrays.sort(order, Comparator.<Integer>comparingLong(e -> nanos[e])
                        .thenComparingInt(e -> (e & 1) == 0 ? 1 : 0).thenComparingInt(e -> e));
                for (int k = 0; k < edges; k++) {
                    edgeOf[k] = order[k];
                }
            }
            double[] density = new double[n];
            for (int i = 0; i < n; i++) {
                StoredMetric row = intervals.get(i).row();
                density[i] = row.value() / (BucketCalendar.nanosBetween(row.start(), row.end()) / 1e9);
            }
            double[] contribution = new double[n];
            boolean started = false;
            long previous = 0;
            for (int k = 0; k < edges; k++) {
                int e = edgeOf[k];
                long at = nanos[e];
                if (started && at > previous) {
                    int best = first();
                    if (best >= 0) {
                        double seconds = (at - previous) / 1e9;
                        // The best device's amounts covering this piece all count (two meals of one
                        // diary day add up); other devices' amounts for the same moment do not.
                        for (int h = 0; h < heapSize; h++) {
                            int i = heap[h];
                            if (!closed[i] && device[i] == device[best]) {
                                contribution[i] += density[i] * seconds;
                            }
                        }
                    }
                }
                if ((e & 1) == 0) {
                    push(e >> 1);
                } else {
                    closed[e >> 1] = true;
                }
                previous = at;
                started = true;
            }
            return contribution;
        }

        /** The first covering slice, or -1: closed ones are dropped from the top lazily. */
        private int first() {
            while (heapSize > 0 && closed[heap[0]]) {
                pop();
            }
            return heapSize > 0 ? heap[0] : -1;
        }

        private boolean before(int a, int b) {
            if (rank[a] != rank[b]) {
                return rank[a] < rank[b];
            }
            if (rowStartSecond[a] != rowStartSecond[b]) {
                return rowStartSecond[a] < rowStartSecond[b];
            }
            if (rowStartNano[a] != rowStartNano[b]) {
                return rowStartNano[a] < rowStartNano[b];
            }
            return a < b;
        }

        private void push(int index) {
            int i = heapSize++;
            heap[i] = index;
            while (i > 0) {
                int parent = (i - 1) >> 1;
                if (!before(heap[i], heap[parent])) {
                    break;
                }
                int t = heap[i];
                heap[i] = heap[parent];
                heap[parent] = t;
                i = parent;
            }
        }

        private void pop() {
            heap[0] = heap[--heapSize];
            int i = 0;
            while (true) {
                int left = 2 * i + 1;
                if (left >= heapSize) {
                    break;
                }
                int child = left + 1 < heapSize && before(heap[left + 1], heap[left]) ? left + 1 : left;
                if (!before(heap[child], heap[i])) {
                    break;
                }
                int t = heap[i];
                heap[i] = heap[child];
                heap[child] = t;
                i = child;
            }
        }
    }
}
