package io.healthmesh.normalizer.service;

import io.healthmesh.contracts.event.Session;
import io.healthmesh.contracts.event.SessionDetails;
import io.healthmesh.contracts.event.SessionType;
import io.healthmesh.contracts.event.SleepStage;
import io.healthmesh.contracts.event.SleepStageInterval;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Derives a sleep session's daily sleep metrics (sleep_duration, time_in_bed, stages, efficiency,
 * latency), in canonical units. Naps and other session types derive nothing.
 *
 * <p>Stage intervals may overlap (Apple writes iPhone and Watch segments of the same night), so
 * durations are unions of intervals, never plain sums.
 */
@ApplicationScoped
public class SleepMetricsDeriver {

    /** Every metric this deriver can write; a re-derived session removes those it no longer has. */
    public static final List<String> SLEEP_METRICS = List.of("sleep_duration", "time_in_bed", "sleep_deep",
            "sleep_light", "sleep_rem", "sleep_awake", "sleep_efficiency", "sleep_latency");

    private static final Set<SleepStage> ASLEEP =
            EnumSet.of(SleepStage.LIGHT, SleepStage.DEEP, SleepStage.REM, SleepStage.ASLEEP_UNSPECIFIED);
    private static final Map<SleepStage, String> STAGE_METRIC = Map.of(
            SleepStage.DEEP, "sleep_deep",
            SleepStage.LIGHT, "sleep_light",
            SleepStage.REM, "sleep_rem",
            SleepStage.AWAKE, "sleep_awake");

    /** Metric code to value (seconds, or percent for efficiency), in a stable order. */
    public Map<String, Double> derive(Session session) {
        Map<String, Double> metrics = new LinkedHashMap<>();
        if (session.deleted() || session.type() != SessionType.SLEEP) {
            return metrics;
        }
        SessionDetails details = session.details();
        double inBed = Duration.between(session.start(), session.end()).getSeconds();
        List<SleepStageInterval> stages = details == null ? null : details.stages();
        Map<SleepStage, Double> totals = details == null ? null : details.stageTotalsSeconds();

        Double asleep;
        if (stages != null && !stages.isEmpty()) {
            asleep = unionSeconds(stages, ASLEEP);
            if (asleep == 0 && stages.stream().noneMatch(s -> ASLEEP.contains(s.stage()))) {
                asleep = null;
            }
            for (Map.Entry<SleepStage, String> stage : STAGE_METRIC.entrySet()) {
                if (stages.stream().anyMatch(s -> s.stage() == stage.getKey())) {
                    metrics.put(stage.getValue(), unionSeconds(stages, EnumSet.of(stage.getKey())));
                }
            }
        } else if (totals != null && !totals.isEmpty()) {
            asleep = totals.entrySet().stream().anyMatch(e -> ASLEEP.contains(e.getKey()))
                    ? totals.entrySet().stream().filter(e -> ASLEEP.contains(e.getKey()))
                            .mapToDouble(Map.Entry::getValue).sum()
                    : null;
            if (totals.containsKey(SleepStage.IN_BED)) {
                inBed = totals.get(SleepStage.IN_BED);
            }
            for (Map.Entry<SleepStage, String> stage : STAGE_METRIC.entrySet()) {
                Double total = totals.get(stage.getKey());
                if (total != null) {
                    metrics.put(stage.getValue(), total);
                }
            }
        } else {
            // A sleep without any stage data (a manual entry): asleep for the whole session.
            asleep = inBed;
        }

        Map<String, Double> ordered = new LinkedHashMap<>();
        if (asleep != null) {
            ordered.put("sleep_duration", asleep);
        }
        ordered.put("time_in_bed", inBed);
        ordered.putAll(sortedByCode(metrics));
        Double efficiency = details == null ? null : details.efficiency();
        if (efficiency == null && asleep != null && inBed > 0) {
            efficiency = Math.min(100.0, Math.round(asleep / inBed * 1000) / 10.0);
        }
        if (efficiency != null) {
            ordered.put("sleep_efficiency", efficiency);
        }
        if (details != null && details.latencySeconds() != null) {
            ordered.put("sleep_latency", details.latencySeconds());
        }
        return ordered;
    }

    private static Map<String, Double> sortedByCode(Map<String, Double> metrics) {
        Map<String, Double> sorted = new LinkedHashMap<>();
        metrics.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> sorted.put(e.getKey(), e.getValue()));
        return sorted;
    }

    /** Seconds covered by the union of the intervals of the given stages. */
    static double unionSeconds(List<SleepStageInterval> stages, Set<SleepStage> wanted) {
        List<Instant[]> intervals = new ArrayList<>();
        for (SleepStageInterval stage : stages) {
            if (wanted.contains(stage.stage()) && stage.start() != null && stage.end() != null) {
                intervals.add(new Instant[] {stage.start().toInstant(), stage.end().toInstant()});
            }
        }
        intervals.sort(Comparator.comparing((Instant[] i) -> i[0]));
        long total = 0;
        Instant coveredUntil = Instant.MIN;
        for (Instant[] interval : intervals) {
            Instant from = interval[0].isAfter(coveredUntil) ? interval[0] : coveredUntil;
            if (interval[1].isAfter(from)) {
                total += Duration.between(from, interval[1]).getSeconds();
                coveredUntil = interval[1];
            }
        }
        return total;
    }
}
