package io.healthmesh.normalizer.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.healthmesh.contracts.event.Aggregation;
import io.healthmesh.contracts.policy.Policy;
import io.healthmesh.contracts.vocab.Metric;
import io.healthmesh.contracts.vocab.Vocabulary;
import io.healthmesh.normalizer.api.MetricPoint;
import io.healthmesh.normalizer.domain.DayRule;
import io.healthmesh.normalizer.domain.StoredMetric;
import io.healthmesh.normalizer.domain.TimeWindow;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The streaming read path (BucketCalendar, the folds, the array-based device merge) answers
 * exactly what the row-by-row code before it answered (the Reference* copies), point for point
 * and bit for bit: random rows in zones with DST changes at odd hours and at midnight, a day a
 * zone skipped, fixed offsets, cumulative readings spanning buckets, samples, daily values (some
 * placed days after their start), duplicates, round trips, device ranks, several windows and home
 * zones. The folds are fed as the query feeds them (start time, source, device); the list methods
 * in any order.
 */
class ReadPathEquivalenceTest {

    private static final String[] ZONES = {"Europe/Berlin", "America/New_York", "Asia/Kolkata",
        "Australia/Lord_Howe", "Pacific/Chatham", "UTC", "America/Sao_Paulo", "America/Havana", "Pacific/Apia",
        "Asia/Kathmandu"};
    private static final int[] OFFSETS = {0, 3600, 7200, -18000, 19800, 20700, -12600, 50400, -39600, -64800, 64800,
        -43200};
    /** Stretches around DST changes (Europe, US, Lord Howe, Brazil at midnight, Havana), Apia's skipped day. */
    static final LocalDate[] AROUND = {LocalDate.of(2024, 3, 30), LocalDate.of(2024, 10, 26),
        LocalDate.of(2024, 3, 9), LocalDate.of(2024, 11, 2), LocalDate.of(2024, 4, 6), LocalDate.of(2018, 11, 3),
        LocalDate.of(2024, 3, 9), LocalDate.of(2011, 12, 29), LocalDate.of(2025, 6, 15)};
    private static final String[][] SOURCES = {
        {"apple_health", "Apple Watch", null}, {"apple_health", "iPhone", "Health"},
        {"apple_health", null, "Health Mate"}, {"apple_health", "Oura Ring", "Oura"}, {"oura", "Oura Ring Gen3", null},
        {"withings", "ScanWatch", null}, {"withings", null, null}, {"push", null, null}, {"zeta-cloud", "x", null},
        {"fitbit", "Charge 6", "Fitbit"}};
    private static final String[] HOME_ZONES = {"UTC", "Europe/Berlin", "Pacific/Kiritimati", "Pacific/Pago_Pago",
        "America/New_York"};
    private static final Metric STEPS = Vocabulary.metric("steps").orElseThrow();
    private static final Metric HEART_RATE = Vocabulary.metric("heart_rate").orElseThrow();

    /** The order of the read query: start_time, source, device (C collation, nulls last). */
    static final Comparator<StoredMetric> QUERY_ORDER = Comparator.comparing(StoredMetric::start)
            .thenComparing(StoredMetric::source, ReadPathEquivalenceTest::codePoints)
            .thenComparing(StoredMetric::device, Comparator.nullsLast(ReadPathEquivalenceTest::codePoints));

    @Test
    void everyViewAndGranularityAnswersAsBefore() {
        SplittableRandom random = new SplittableRandom(20_261_126);
        for (int round = 0; round < 400; round++) {
            LocalDate around = AROUND[random.nextInt(AROUND.length)];
            List<StoredMetric> rows = rows(random, around, 5 + random.nextInt(round % 10 == 0 ? 3000 : 120));
            List<StoredMetric> ordered = new ArrayList<>(rows);
            ordered.sort(QUERY_ORDER);
            TimeWindow window = window(random, around);
            Policy policy = policy(random);
            for (Metric metric : List.of(STEPS, HEART_RATE)) {
                boolean additive = random.nextBoolean();
                String context = "round " + round + " around " + around + " window " + window + " " + metric.code();
                compare(context, ordered, window, policy, metric, additive, true);
                compare(context + " (unordered)", rows, window, policy, metric, additive, false);
            }
        }
    }

    @Test
    void aYearOfMinutesFromThreeSourcesAnswersAsBeforeWhileStreaming() {
        // The benchmark's shape, smaller: minute heart rate and steps from three sources, the Watch
        // and the iPhone overlapping, over months with two DST changes, plus daily values, one of
        // them stored a week after its date (it reaches a bucket resolved long before).
        List<StoredMetric> rows = new ArrayList<>();
        ZoneId berlin = ZoneId.of("Europe/Berlin");
        SplittableRandom random = new SplittableRandom(42);
        Instant begin = LocalDate.of(2024, 3, 25).atStartOfDay(berlin).toInstant();
        Instant end = LocalDate.of(2024, 4, 4).atStartOfDay(berlin).toInstant();
        for (long t = begin.getEpochSecond(); t < end.getEpochSecond(); t += 60) {
            Instant at = Instant.ofEpochSecond(t);
            int offset = berlin.getRules().getOffset(at).getTotalSeconds();
            LocalDate date = DayRule.localDate(at, berlin);
            rows.add(new StoredMetric("apple_health", "Apple Watch", "Apple Watch", random.nextInt(120),
                    Aggregation.CUMULATIVE, at, at.plusSeconds(60), offset, date, "Europe/Berlin", 1.0));
            rows.add(new StoredMetric("apple_health", "iPhone", "iPhone", random.nextInt(120), Aggregation.CUMULATIVE,
                    at.plusSeconds(30), at.plusSeconds(90), offset, date, "Europe/Berlin", 1.0));
            rows.add(new StoredMetric("oura", "Oura Ring Gen3", null, random.nextInt(120), Aggregation.CUMULATIVE,
                    at, at.plusSeconds(60), offset, date, "Europe/Berlin", 0.8999999761581421));
            rows.add(new StoredMetric("withings", "ScanWatch", null, 60 + random.nextInt(60), Aggregation.SAMPLE, at,
                    at, offset, date, "Europe/Berlin", 1.0));
        }
        rows.add(new StoredMetric("apple_health", null, "Health", 9000, Aggregation.DAILY,
                Instant.parse("2024-04-02T10:00:00Z"), Instant.parse("2024-04-03T10:00:00Z"), 7200,
                LocalDate.of(2024, 3, 27), "Europe/Berlin", 0.5));
        rows.add(new StoredMetric("withings", null, null, 7000, Aggregation.DAILY,
                Instant.parse("2024-03-28T23:00:00Z"), Instant.parse("2024-03-29T23:00:00Z"), 3600,
                LocalDate.of(2024, 3, 29), null, 1.0));
        rows.sort(QUERY_ORDER);
        Policy policy = new Policy("u", 1, "Europe/Berlin", Map.of("activity", List.of("withings", "apple_health",
                "oura"), "heart", List.of("apple_health", "oura", "withings")), Map.of(),
                Map.of("apple_health", List.of("Watch", "iPhone")), Set.of(), Map.of(), null);
        for (TimeWindow window : List.of(TimeWindow.parse("2024-03-26", "2024-04-02", berlin),
                TimeWindow.parse("2024-03-24T22:00:00Z", "2024-04-04T00:00:00Z", ZoneOffset.UTC))) {
            compare("minutes " + window, rows, window, policy, STEPS, true, true);
            compare("minutes " + window, rows, window, policy, HEART_RATE, false, true);
        }
    }

    private static void compare(String context, List<StoredMetric> rows, TimeWindow window, Policy policy,
            Metric metric, boolean additive, boolean ordered) {
        Function<Policy, SourceRanking> ranking = p -> SourceRanking.forMetric(p, metric);
        assertThat(MetricBuckets.raw(rows, window)).as(context + " all raw")
                .isEqualTo(ReferenceMetricBuckets.raw(rows, window));
        assertThat(MetricBuckets.hourly(rows, window, additive)).as(context + " all hourly")
                .isEqualTo(ReferenceMetricBuckets.hourly(rows, window, additive));
        assertThat(MetricBuckets.daily(rows, window, additive)).as(context + " all daily")
                .isEqualTo(ReferenceMetricBuckets.daily(rows, window, additive));
        assertThat(ResolvedBuckets.raw(rows, window, ranking.apply(policy))).as(context + " resolved raw")
                .isEqualTo(ReferenceResolvedBuckets.raw(rows, window, ranking.apply(policy)));
        List<MetricPoint> hourly = ReferenceResolvedBuckets.hourly(rows, window, ranking.apply(policy), additive);
        List<MetricPoint> daily = ReferenceResolvedBuckets.daily(rows, window, ranking.apply(policy), additive);
        assertThat(ResolvedBuckets.hourly(rows, window, ranking.apply(policy), additive))
                .as(context + " resolved hourly").isEqualTo(hourly);
        assertThat(ResolvedBuckets.daily(rows, window, ranking.apply(policy), additive))
                .as(context + " resolved daily").isEqualTo(daily);
        if (ordered) {
            assertThat(ResolvedBuckets.fold(ChronoUnit.HOURS, window, ranking.apply(policy), additive, true)
                    .over(rows)).as(context + " resolved hourly, streaming").isEqualTo(hourly);
            assertThat(ResolvedBuckets.fold(ChronoUnit.DAYS, window, ranking.apply(policy), additive, true)
                    .over(rows)).as(context + " resolved daily, streaming").isEqualTo(daily);
        }
    }

    static List<StoredMetric> rows(SplittableRandom random, LocalDate around, int n) {
        List<StoredMetric> rows = new ArrayList<>();
        Instant base = around.atStartOfDay(ZoneOffset.UTC).toInstant().minusSeconds(86_400);
        for (int i = 0; i < n; i++) {
            if (!rows.isEmpty() && random.nextInt(25) == 0) {
                rows.add(rows.get(random.nextInt(rows.size()))); // an exact duplicate
                continue;
            }
            String[] source = SOURCES[random.nextInt(SOURCES.length)];
            String zone = random.nextInt(5) == 0 ? null : ZONES[random.nextInt(ZONES.length)];
            Instant start = base.plusSeconds(random.nextLong(5 * 86_400L));
            start = switch (random.nextInt(4)) {
                case 0 -> start.truncatedTo(ChronoUnit.HOURS);
                case 1 -> start.truncatedTo(ChronoUnit.MINUTES);
                case 2 -> start.plusNanos(random.nextInt(1_000_000) * 1000L);
                default -> start.plusNanos(random.nextInt(1_000_000_000));
            };
            ZoneId clock = zone == null ? ZoneOffset.ofTotalSeconds(OFFSETS[random.nextInt(OFFSETS.length)])
                    : ZoneId.of(zone);
            int offset = clock.getRules().getOffset(start).getTotalSeconds();
            if (zone != null && random.nextInt(10) == 0) {
                offset = OFFSETS[random.nextInt(OFFSETS.length)]; // a source that wrote another offset
            }
            Aggregation aggregation = Aggregation.values()[random.nextInt(10) < 1 ? 2 : random.nextInt(2)];
            Instant end;
            LocalDate localDate = DayRule.localDate(start, clock);
            if (aggregation == Aggregation.DAILY) {
                localDate = localDate.plusDays(random.nextInt(3) == 0 ? random.nextInt(-1, 4) : 0);
                start = localDate.atStartOfDay(clock).toInstant();
                if (random.nextInt(6) == 0) {
                    start = start.plusSeconds(86_400L * random.nextInt(1, 4)); // stored days after its date
                }
                end = start.plusSeconds(86_400);
            } else if (aggregation == Aggregation.SAMPLE) {
                end = random.nextInt(5) == 0 ? start.plusSeconds(random.nextInt(1, 600)) : start;
            } else {
                end = switch (random.nextInt(6)) {
                    case 0 -> start;
                    case 1 -> start.plusSeconds(random.nextLong(3600, 30 * 3600));
                    case 2 -> start.plusNanos(random.nextLong(1, 5_000_000_000L));
                    default -> start.plusSeconds(random.nextInt(1, 3600));
                };
            }
            double value = switch (random.nextInt(4)) {
                case 0 -> random.nextInt(200);
                case 1 -> random.nextDouble() * 100;
                case 2 -> 1.0 / (1 + random.nextInt(7));
                default -> Math.round(random.nextDouble() * 1000) / 10.0;
            };
            double quality = (double) (float) (random.nextInt(3) == 0 ? 1.0 : random.nextDouble());
            rows.add(new StoredMetric(source[0], source[1], source[2], value, aggregation, start, end, offset,
                    localDate, zone, quality));
        }
        Collections.shuffle(rows, new java.util.Random(random.nextLong()));
        return rows;
    }

    static TimeWindow window(SplittableRandom random, LocalDate around) {
        ZoneId home = ZoneId.of(HOME_ZONES[random.nextInt(HOME_ZONES.length)]);
        if (random.nextBoolean()) {
            LocalDate from = around.plusDays(random.nextInt(-1, 2));
            return TimeWindow.parse(from.toString(), from.plusDays(random.nextInt(0, 3)).toString(), home);
        }
        Instant from = around.atStartOfDay(ZoneOffset.UTC).toInstant().plusSeconds(random.nextLong(-86_400, 86_400));
        Instant to = from.plusSeconds(random.nextLong(60, 4 * 86_400L));
        return new TimeWindow(from, to, from.atZone(home).toLocalDate(), to.minusNanos(1).atZone(home).toLocalDate());
    }

    static Policy policy(SplittableRandom random) {
        List<String> order = new ArrayList<>(List.of("apple_health", "oura", "withings", "push", "fitbit"));
        Collections.shuffle(order, new java.util.Random(random.nextLong()));
        order = order.subList(0, 1 + random.nextInt(order.size()));
        Map<String, List<String>> devices = random.nextBoolean()
                ? Map.of("apple_health", List.of("Watch", "iPhone"), "withings", List.of("scan"))
                : Map.of("apple_health", List.of("iphone"));
        Set<String> connected = random.nextBoolean() ? Set.of("withings", "oura") : Set.of();
        return new Policy("u", 1, "UTC", Map.of("activity", order, "heart", order), Map.of(), devices, connected,
                Map.of("withings", List.of("Health Mate"), "oura", List.of("Oura")), null);
    }

    private static int codePoints(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int x = a.codePointAt(i);
            int y = b.codePointAt(j);
            if (x != y) {
                return Integer.compare(x, y);
            }
            i += Character.charCount(x);
            j += Character.charCount(y);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }
}
