package io.healthmesh.imports.apple;

import io.healthmesh.contracts.event.HeartRateStats;
import io.healthmesh.contracts.vocab.Metric;
import io.healthmesh.contracts.vocab.Units;
import java.time.Duration;
import java.time.OffsetDateTime;

/**
 * Distance, active energy and heart rate gathered from the WorkoutStatistics of one level of a
 * workout: the workout itself, or all its WorkoutActivity elements together. Different distance
 * types at one level add up (a triathlon swims, rides and runs); the two levels never do.
 */
final class WorkoutTotals {

    private static final Metric HEART_RATE = AppleTypes.metric("heart_rate");

    private Double distanceMeters;
    private Double energyKcal;
    private double heartRateWeightedSum;
    private double heartRateWeight;
    private Double heartRateMin;
    private Double heartRateMax;

    void clear() {
        distanceMeters = null;
        energyKcal = null;
        heartRateWeightedSum = 0;
        heartRateWeight = 0;
        heartRateMin = null;
        heartRateMax = null;
    }

    /** Adds one WorkoutStatistics element; its numbers still as written. */
    void add(String type, String unit, String sum, String average, String minimum, String maximum,
            String startDate, String endDate) {
        if (type == null || unit == null) {
            return;
        }
        if (type.startsWith(AppleTypes.DISTANCE_PREFIX)) {
            Double metres = convert(sum, unit, Units.METRE);
            if (metres != null) {
                distanceMeters = distanceMeters == null ? metres : distanceMeters + metres;
            }
        } else if (type.equals(AppleTypes.ACTIVE_ENERGY)) {
            Double kcal = convert(sum, unit, Units.KILOCALORIE);
            if (kcal != null) {
                energyKcal = energyKcal == null ? kcal : energyKcal + kcal;
            }
        } else if (type.equals(AppleTypes.HEART_RATE)) {
            addHeartRate(unit, average, minimum, maximum, startDate, endDate);
        }
    }

    /** A total given as workout attributes (before iOS 16), used when no statistic gives it. */
    static Double attributeTotal(String value, String unit, String canonicalUnit) {
        return unit == null ? null : convert(value, unit, canonicalUnit);
    }

    Double distanceMeters() {
        return distanceMeters;
    }

    Double energyKcal() {
        return energyKcal;
    }

    /** Null when no plausible heart rate was given. */
    HeartRateStats heartRate() {
        Double average = heartRateWeight > 0 ? heartRateWeightedSum / heartRateWeight : null;
        Double min = heartRateMin;
        Double max = heartRateMax;
        if (min != null && max != null && min > max) {
            min = null;
            max = null;
        }
        if (average == null && min == null && max == null) {
            return null;
        }
        return new HeartRateStats(average, min, max);
    }

    private void addHeartRate(String unit, String average, String minimum, String maximum, String startDate,
            String endDate) {
        Double avg = plausibleHeartRate(average, unit);
        if (avg != null) {
            // Several activities' averages combine weighted by their length; one level alone has weight 1.
            double weight = lengthSeconds(startDate, endDate);
            heartRateWeightedSum += avg * weight;
            heartRateWeight += weight;
        }
        Double min = plausibleHeartRate(minimum, unit);
        if (min != null) {
            heartRateMin = heartRateMin == null ? min : Math.min(heartRateMin, min);
        }
        Double max = plausibleHeartRate(maximum, unit);
        if (max != null) {
            heartRateMax = heartRateMax == null ? max : Math.max(heartRateMax, max);
        }
    }

    /**
     * A statistic outside the heart-rate metric's hard limits (a sensor glitch) is left out rather
     * than make the validator refuse the whole workout.
     */
    private static Double plausibleHeartRate(String value, String unit) {
        Double bpm = convert(value, unit, Units.COUNT_PER_MINUTE);
        return bpm != null && HEART_RATE.isPlausible(bpm) ? bpm : null;
    }

    private static double lengthSeconds(String startDate, String endDate) {
        OffsetDateTime start = AppleDates.parse(startDate);
        OffsetDateTime end = AppleDates.parse(endDate);
        if (start == null || end == null) {
            return 1;
        }
        long seconds = Duration.between(start, end).toSeconds();
        return seconds > 0 ? seconds : 1;
    }

    private static Double convert(String value, String unit, String canonicalUnit) {
        if (value == null || AppleNumbers.hasDecimalComma(value) || !Units.convertible(unit, canonicalUnit)) {
            return null;
        }
        double number = AppleNumbers.parse(value);
        if (Double.isNaN(number)) {
            return null;
        }
        return Units.convert(number, unit, canonicalUnit);
    }
}
