package io.healthmesh.normalizer.service;

import io.healthmesh.contracts.event.Aggregation;
import io.healthmesh.normalizer.api.MetricPoint;
import io.healthmesh.normalizer.domain.StoredMetric;
import io.healthmesh.normalizer.domain.TimeWindow;
import io.healthmesh.normalizer.service.ReferenceBucketSlices.Slice;
import io.healthmesh.normalizer.service.ReferenceMetricBuckets.Accumulator;
import io.healthmesh.normalizer.service.SourceRanking.Standing;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * Test-only: ResolvedBuckets as it was before the read path was made to stream (commit d826d7d), kept
 * verbatim (only renamed) as the reference the new read path must answer exactly like
 * (ReadPathEquivalenceTest). Do not change it to make a test pass. Two deliberate changes of
 * behaviour were made to it and to the read path together: the winning device's overlapping
 * amounts all add up (main's fd56a1e, two meals of one diary day), and two equal readings are
 * two readings (each counts and each is its own raw point; the map keyed by slice had merged them).
 *
 * <p>Original documentation:
 *
 * The resolved view: per bucket (a local hour for raw and hour granularity, the local date for
 * day) the highest-ranked source with any data in it wins, and only its data makes the point; two
 * sources are never summed. Inside the winner, amounts of its devices that overlap are merged on
 * the timeline (each moment counted once, from the highest-ranked device covering it, pro rata);
 * samples come from its highest-ranked device with samples in the bucket; a daily value is taken
 * whole.
 */
final class ReferenceResolvedBuckets {

    private ReferenceResolvedBuckets() {
    }

    public static List<MetricPoint> hourly(List<StoredMetric> rows, TimeWindow window, SourceRanking ranking,
            boolean additiveDaily) {
        return resolved(rows, window, ChronoUnit.HOURS, ranking, additiveDaily);
    }

    public static List<MetricPoint> daily(List<StoredMetric> rows, TimeWindow window, SourceRanking ranking,
            boolean additiveDaily) {
        return resolved(rows, window, ChronoUnit.DAYS, ranking, additiveDaily);
    }

    private static List<MetricPoint> resolved(List<StoredMetric> rows, TimeWindow window, ChronoUnit unit,
            SourceRanking ranking, boolean additiveDaily) {
        List<MetricPoint> points = new ArrayList<>();
        for (Bucket bucket : buckets(rows, window, unit, ranking).values()) {
            points.add(bucket.resolve(ranking, additiveDaily));
        }
        points.sort(ReferenceMetricBuckets.POINT_ORDER);
        return points;
    }

    /**
     * The winner's own readings: per local hour, its samples (highest-ranked device) and the
     * parts of its amounts that count after the device merge; daily values per local date.
     */
    public static List<MetricPoint> raw(List<StoredMetric> rows, TimeWindow window, SourceRanking ranking) {
        List<MetricPoint> points = new ArrayList<>();
        List<StoredMetric> finer = rows.stream().filter(r -> r.aggregation() != Aggregation.DAILY).toList();
        List<StoredMetric> dailies = rows.stream().filter(r -> r.aggregation() == Aggregation.DAILY).toList();
        for (Bucket bucket : buckets(finer, window, ChronoUnit.HOURS, ranking).values()) {
            points.addAll(bucket.rawPoints(ranking));
        }
        for (Bucket bucket : buckets(dailies, window, ChronoUnit.DAYS, ranking).values()) {
            Standing winner = bucket.winner();
            for (Slice slice : bucket.slicesOf(winner)) {
                MetricPoint raw = ReferenceMetricBuckets.rawPoint(slice.row(), winner.rank(), winner.fallback());
                points.add(attributed(raw, winner.source()));
            }
        }
        points.sort(ReferenceMetricBuckets.POINT_ORDER);
        return points;
    }

    private static Map<Object, Bucket> buckets(List<StoredMetric> rows, TimeWindow window, ChronoUnit unit,
            SourceRanking ranking) {
        Map<Object, Bucket> buckets = new LinkedHashMap<>();
        for (StoredMetric row : rows) {
            Standing standing = ranking.standing(row.source(), row.app());
            for (Slice slice : ReferenceBucketSlices.of(row, unit, window)) {
                // Days are local dates whatever the clock; hours are instants.
                Object key = unit == ChronoUnit.DAYS ? slice.bucketStart().toLocalDate()
                        : slice.bucketStart().toInstant();
                buckets.computeIfAbsent(key, k -> new Bucket(unit)).add(standing, slice);
            }
        }
        return buckets;
    }

    private static MetricPoint attributed(MetricPoint point, String source) {
        return new MetricPoint(point.start(), point.end(), point.value(), point.min(), point.max(), point.count(),
                source, point.devices(), point.rank(), point.fallback(), point.quality());
    }

    /** The slices of one bucket, by the standing of their source. */
    private static final class Bucket {
        private final ChronoUnit unit;
        private final Map<Standing, List<Slice>> bySource = new HashMap<>();

        Bucket(ChronoUnit unit) {
            this.unit = unit;
        }

        void add(Standing standing, Slice slice) {
            bySource.computeIfAbsent(standing, s -> new ArrayList<>()).add(slice);
        }

        Standing winner() {
            return bySource.keySet().stream().min(Comparator.naturalOrder()).orElseThrow();
        }

        List<Slice> slicesOf(Standing standing) {
            return bySource.get(standing);
        }

        MetricPoint resolve(SourceRanking ranking, boolean additiveDaily) {
            Standing winner = winner();
            List<Slice> slices = bySource.get(winner);
            Accumulator accumulator = new Accumulator(slices.get(0).bucketStart(), unit);
            List<Slice> dailies = ofAggregation(slices, Aggregation.DAILY);
            List<Slice> amounts = ofAggregation(slices, Aggregation.CUMULATIVE);
            if (!dailies.isEmpty()) {
                dailies.forEach(slice -> accumulator.addDaily(slice.row()));
            } else if (!amounts.isEmpty()) {
                merge(amounts, ranking).forEach(entry -> accumulator.addAmount(entry.getValue(), entry.getKey().row()));
            } else {
                bestDeviceSamples(slices, ranking).forEach(slice -> accumulator.addSample(slice.row().value(),
                        slice.row()));
            }
            return accumulator.toPoint(winner.source(), additiveDaily, winner.rank(), winner.fallback());
        }

        List<MetricPoint> rawPoints(SourceRanking ranking) {
            Standing winner = winner();
            List<Slice> slices = bySource.get(winner);
            List<MetricPoint> points = new ArrayList<>();
            List<Slice> amounts = ofAggregation(slices, Aggregation.CUMULATIVE);
            if (!amounts.isEmpty()) {
                merge(amounts, ranking).forEach(entry -> {
                    Slice slice = entry.getKey();
                    double amount = entry.getValue();
                    StoredMetric row = slice.row();
                    ZoneOffset offset = ZoneOffset.ofTotalSeconds(row.utcOffsetSeconds());
                    points.add(new MetricPoint(slice.from().atOffset(offset), slice.to().atOffset(offset), amount,
                            null, null, 1, winner.source(), ReferenceMetricBuckets.devices(row.device()), winner.rank(),
                            winner.fallback(), row.quality()));
                });
                return points;
            }
            for (Slice slice : bestDeviceSamples(slices, ranking)) {
                points.add(attributed(ReferenceMetricBuckets.rawPoint(slice.row(), winner.rank(), winner.fallback()),
                        winner.source()));
            }
            return points;
        }

        private static List<Slice> ofAggregation(List<Slice> slices, Aggregation aggregation) {
            return slices.stream().filter(s -> s.row().aggregation() == aggregation).toList();
        }
    }

    /** Samples of the highest-ranked device that has any in the bucket. */
    private static List<Slice> bestDeviceSamples(List<Slice> slices, SourceRanking ranking) {
        int best = slices.stream().mapToInt(s -> deviceRank(s, ranking)).min().orElse(0);
        return slices.stream().filter(s -> deviceRank(s, ranking) == best).toList();
    }

    private static int deviceRank(Slice slice, SourceRanking ranking) {
        StoredMetric row = slice.row();
        return ranking.deviceRank(row.source(), row.device(), row.app());
    }

    /**
     * Merges overlapping amounts on the timeline: the bucket's time is cut at every slice
     * boundary, and each piece counts only for the highest-ranked device's slice covering it (the
     * earlier-starting one among equals), pro rata. Answers each contributing slice's amount.
     */
    static List<Map.Entry<Slice, Double>> merge(List<Slice> slices, SourceRanking ranking) {
        List<Map.Entry<Slice, Double>> amounts = new ArrayList<>();
        List<Slice> intervals = new ArrayList<>();
        for (Slice slice : slices) {
            if (slice.isInterval()) {
                intervals.add(slice);
            } else {
                amounts.add(Map.entry(slice, slice.row().value() * slice.share()));
            }
        }
        int[] rank = new int[intervals.size()];
        List<Edge> edges = new ArrayList<>(intervals.size() * 2);
        for (int i = 0; i < intervals.size(); i++) {
            rank[i] = deviceRank(intervals.get(i), ranking);
            edges.add(new Edge(intervals.get(i).from(), true, i));
            edges.add(new Edge(intervals.get(i).to(), false, i));
        }
        edges.sort(Comparator.comparing(Edge::at).thenComparing(Edge::opens));
        TreeSet<Integer> covering = new TreeSet<>(Comparator.<Integer>comparingInt(i -> rank[i])
                .thenComparing(i -> intervals.get(i).row().start())
                .thenComparingInt(i -> i));
        double[] contribution = new double[intervals.size()];
        Instant previous = null;
        for (Edge edge : edges) {
            if (previous != null && !covering.isEmpty() && edge.at().isAfter(previous)) {
                StoredMetric best = intervals.get(covering.first()).row();
                double seconds = Duration.between(previous, edge.at()).toNanos() / 1e9;
                for (int i : covering) {
                    if (Objects.equals(intervals.get(i).row().device(), best.device())
                            && Objects.equals(intervals.get(i).row().app(), best.app())) {
                        contribution[i] += intervals.get(i).density() * seconds;
                    }
                }
            }
            if (edge.opens()) {
                covering.add(edge.index());
            } else {
                covering.remove(edge.index());
            }
            previous = edge.at();
        }
        for (int i = 0; i < intervals.size(); i++) {
            if (contribution[i] > 0) {
                amounts.add(Map.entry(intervals.get(i), contribution[i]));
            }
        }
        return amounts;
    }

    private record Edge(Instant at, boolean opens, int index) {
    }
}
