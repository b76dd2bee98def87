package io.healthmesh.normalizer.domain;

import io.healthmesh.contracts.event.Aggregation;
import io.healthmesh.contracts.vocab.Metric;
import java.util.Set;

/**
 * How several daily values of one source on one date combine. Durations of sleep and of daily
 * states add up (two sleep periods of one night), as do amounts (steps); scores, rates and
 * percentages do not, so they average.
 */
public final class DailyValues {

    private static final Set<String> ADDITIVE_DAILY = Set.of("sleep_duration", "time_in_bed", "sleep_deep",
            "sleep_light", "sleep_rem", "sleep_awake", "oura_stress_high", "oura_recovery_high", "stand_hours");

    private DailyValues() {
    }

    public static boolean additive(Metric metric) {
        return metric.defaultAggregation() == Aggregation.CUMULATIVE || ADDITIVE_DAILY.contains(metric.code());
    }
}
