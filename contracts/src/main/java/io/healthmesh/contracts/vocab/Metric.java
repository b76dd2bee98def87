package io.healthmesh.contracts.vocab;

import io.healthmesh.contracts.event.Aggregation;
import java.util.Objects;

/**
 * A canonical metric: its code, the one unit it is stored in, its category, how its readings
 * aggregate by default, and hard plausibility limits.
 *
 * <p>The limits are the edge of physical possibility, in the canonical unit, for one reading; the
 * validator rejects anything outside them (dead letter). For cumulative metrics they bound what a
 * real day's total never exceeds. Softer doubts (values near the limits) are the normalizer's
 * quality scoring, not this.
 *
 * @param code lowercase snake-case code; vendor scores keep the vendor ({@code oura_readiness_score})
 * @param canonicalUnit a canonical code of {@link Units}
 * @param category the category whose source ranking decides this metric
 * @param defaultAggregation used when a reading does not say
 * @param minPlausible lowest possible value, inclusive, in the canonical unit
 * @param maxPlausible highest possible value, inclusive, in the canonical unit
 */
public record Metric(
        String code,
        String canonicalUnit,
        Category category,
        Aggregation defaultAggregation,
        double minPlausible,
        double maxPlausible) {

    private static final String DEVIATION_SUFFIX = "_deviation";

    public Metric {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(canonicalUnit, "canonicalUnit");
        Objects.requireNonNull(category, "category");
        Objects.requireNonNull(defaultAggregation, "defaultAggregation");
        if (!(minPlausible <= maxPlausible)) {
            throw new IllegalArgumentException(code + ": minPlausible " + minPlausible
                    + " exceeds maxPlausible " + maxPlausible);
        }
    }

    /** Whether a value in the canonical unit lies within the hard limits. */
    public boolean isPlausible(double canonicalValue) {
        return canonicalValue >= minPlausible && canonicalValue <= maxPlausible;
    }

    /**
     * True for metrics that measure a difference from a baseline ({@code *_deviation}), whose
     * values convert without scale offsets: a deviation of 1.8 degF is 1 degC, not -17.2.
     */
    public boolean measuresDifference() {
        return code.endsWith(DEVIATION_SUFFIX);
    }
}
