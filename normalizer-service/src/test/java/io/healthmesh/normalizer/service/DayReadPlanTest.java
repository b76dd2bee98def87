package io.healthmesh.normalizer.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.healthmesh.contracts.event.Aggregation;
import io.healthmesh.contracts.policy.Policy;
import io.healthmesh.contracts.vocab.Metric;
import io.healthmesh.contracts.vocab.Vocabulary;
import io.healthmesh.normalizer.api.MetricPoint;
import io.healthmesh.normalizer.domain.StoredMetric;
import io.healthmesh.normalizer.domain.TimeWindow;
import io.healthmesh.normalizer.repository.DayCacheRepository.CachedDay;
import io.healthmesh.normalizer.repository.DayCacheRepository.ComputedDay;
import io.healthmesh.normalizer.repository.DayPointsCodec;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * A day read put together from cached dates and runs of rows answers exactly what one read of all
 * its rows answers: the random rows, windows and policies of {@link ReadPathEquivalenceTest}
 * (zones, DST, daily values, long readings, duplicates), read several times over a shared cache
 * that keeps what each read computed (through the stored form) and loses dates at random.
 */
class DayReadPlanTest {

    private static final Metric STEPS = Vocabulary.metric("steps").orElseThrow();
    private static final Metric HEART_RATE = Vocabulary.metric("heart_rate").orElseThrow();

    @Test
    void cachedDatesAndRunsAnswerAsOneReadOfEveryRow() {
        SplittableRandom random = new SplittableRandom(20_261_127);
        int assembled = 0;
        int fromCache = 0;
        for (int round = 0; round < 300; round++) {
            LocalDate around = ReadPathEquivalenceTest.AROUND[random.nextInt(ReadPathEquivalenceTest.AROUND.length)];
            List<StoredMetric> rows = new ArrayList<>(ReadPathEquivalenceTest.rows(random, around,
                    5 + random.nextInt(round % 10 == 0 ? 2000 : 150)));
            rows.sort(ReadPathEquivalenceTest.QUERY_ORDER);
            Policy policy = ReadPathEquivalenceTest.policy(random);
            Metric metric = random.nextBoolean() ? STEPS : HEART_RATE;
            boolean additive = random.nextBoolean();
            for (boolean resolved : new boolean[] {false, true}) {
                Function<TimeWindow, PointFold> folds = resolved
                        ? window -> ResolvedBuckets.fold(ChronoUnit.DAYS, window,
                                SourceRanking.forMetric(policy, metric), additive, true)
                        : window -> MetricBuckets.fold(ChronoUnit.DAYS, window, additive);
                Map<LocalDate, CachedDay> cache = new HashMap<>();
                for (int read = 0; read < 4; read++) {
                    TimeWindow window = ReadPathEquivalenceTest.window(random, around);
                    // One read of every row that may fall on the window's dates, as the service reads without the cache.
                    Instant rowsFrom = DayReadPlan.stretchStart(window.firstDate());
                    Instant rowsTo = DayReadPlan.stretchEnd(window.lastDate());
                    String context = "round " + round + " read " + read + (resolved ? " resolved " : " all ")
                            + window;
                    List<MetricPoint> expected = fold(folds.apply(window), rows, rowsFrom, rowsTo);
                    if (misplacedDailyValue(rows, window) || !DayReadPlan.perDate(window)) {
                        continue; // the service reads these windows without the cache
                    }
                    cache.keySet().removeIf(date -> random.nextInt(4) == 0);
                    DayReadPlan plan = new DayReadPlan(window, cache);
                    for (DayReadPlan.Run run : plan.runs()) {
                        plan.computed(run, fold(folds.apply(window), rows, run.rowsFrom(), run.rowsTo()));
                    }
                    long windowDates = window.firstDate().datesUntil(window.lastDate().plusDays(1)).count();
                    long runDates = plan.runs().stream()
                            .mapToLong(r -> r.first().datesUntil(r.last().plusDays(1)).count()).sum();
                    fromCache += windowDates - runDates;
                    assertThat(plan.points()).as(context).isEqualTo(expected);
                    assembled++;
                    for (ComputedDay day : plan.toKeep()) {
                        assertThat(day.date()).as(context).isBetween(window.firstDate(), window.lastDate());
                        cache.put(day.date(), new CachedDay(day.generation(),
                                DayPointsCodec.decode(DayPointsCodec.encode(day.points()))));
                    }
                }
            }
        }
        assertThat(assembled).as("reads that went through the cache").isGreaterThan(500);
        assertThat(fromCache).as("dates taken from the cache").isGreaterThan(500);
    }

    /** The rows the read query answers for {@code [from, to)}, in its order, folded. */
    private static List<MetricPoint> fold(PointFold fold, List<StoredMetric> ordered, Instant from, Instant to) {
        for (StoredMetric row : ordered) {
            if (row.start().isBefore(to) && !row.end().isBefore(from)) {
                fold.accept(row);
            }
        }
        return new ArrayList<>(fold.finish());
    }

    /** What the cache lookup finds (V4__day_cache.sql): a daily value of the window's dates stored far from its date. */
    private static boolean misplacedDailyValue(List<StoredMetric> rows, TimeWindow window) {
        for (StoredMetric row : rows) {
            if (row.aggregation() == Aggregation.DAILY && window.containsDate(row.localDate())) {
                Instant dateStart = row.localDate().atStartOfDay().toInstant(ZoneOffset.UTC);
                if (!row.start().isBefore(dateStart.plus(Duration.ofHours(42)))
                        || row.end().isBefore(dateStart.minus(Duration.ofHours(18)))) {
                    return true;
                }
            }
        }
        return false;
    }
}
