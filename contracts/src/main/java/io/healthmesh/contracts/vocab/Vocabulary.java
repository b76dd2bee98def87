package io.healthmesh.contracts.vocab;

import static io.healthmesh.contracts.event.Aggregation.CUMULATIVE;
import static io.healthmesh.contracts.event.Aggregation.DAILY;
import static io.healthmesh.contracts.event.Aggregation.SAMPLE;

import io.healthmesh.contracts.event.Aggregation;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every canonical metric. Producers choose the metric code; the unit stays the source's and is
 * converted to {@link Metric#canonicalUnit()} by the normalizer.
 *
 * <p>Choices worth knowing:
 * <ul>
 *   <li>Heart and breathing rates use {@code count/min} (Apple's spelling; {@code bpm} and
 *       {@code 1/min} are aliases). Dimensionless values (steps, floors, BMI, vendor scores) use
 *       {@code count}.</li>
 *   <li>{@code vo2_max} is in {@link Category#HEART}: Apple Health files it (Cardio Fitness) under
 *       Heart, and it measures cardiorespiratory capacity, estimated from heart rate by the same
 *       devices a user ranks for heart data, rather than a day's activity.</li>
 *   <li>Blood pressure is {@link Category#HEART} (as in Apple Health); oxygen saturation,
 *       respiration, temperatures and glucose are {@link Category#VITALS}.</li>
 *   <li>Sleep metrics are daily values derived from sleep sessions; Oura's daily stress and
 *       recovery times and the temperature deviation are {@link Category#RECOVERY}.</li>
 *   <li>{@code oura_sleep_score} is sleep, {@code oura_activity_score} activity,
 *       {@code oura_readiness_score} recovery: each with the category its score describes.</li>
 * </ul>
 */
public final class Vocabulary {

    private static final Map<String, Metric> METRICS = new LinkedHashMap<>();

    private static final double SECONDS_PER_DAY = 86_400;

    static {
        Category c = Category.ACTIVITY;
        add("steps", Units.COUNT, c, CUMULATIVE, 0, 250_000);
        add("distance", Units.METRE, c, CUMULATIVE, 0, 1_000_000);
        add("active_energy", Units.KILOCALORIE, c, CUMULATIVE, 0, 20_000);
        add("basal_energy", Units.KILOCALORIE, c, CUMULATIVE, 0, 10_000);
        add("floors", Units.COUNT, c, CUMULATIVE, 0, 10_000);
        add("exercise_time", Units.MINUTE, c, CUMULATIVE, 0, 1_440);
        add("stand_hours", Units.COUNT, c, DAILY, 0, 24);
        add("oura_activity_score", Units.COUNT, c, DAILY, 0, 100);

        c = Category.HEART;
        add("heart_rate", Units.COUNT_PER_MINUTE, c, SAMPLE, 20, 300);
        add("resting_heart_rate", Units.COUNT_PER_MINUTE, c, DAILY, 20, 200);
        add("walking_heart_rate_average", Units.COUNT_PER_MINUTE, c, DAILY, 20, 250);
        add("hrv_sdnn", Units.MILLISECOND, c, SAMPLE, 0, 1_000);
        add("hrv_rmssd", Units.MILLISECOND, c, SAMPLE, 0, 1_000);
        add("blood_pressure_systolic", Units.MILLIMETRE_OF_MERCURY, c, SAMPLE, 40, 300);
        add("blood_pressure_diastolic", Units.MILLIMETRE_OF_MERCURY, c, SAMPLE, 20, 200);
        add("vo2_max", Units.VO2_MAX, c, SAMPLE, 5, 100);
        add("pulse_wave_velocity", Units.METRE_PER_SECOND, c, SAMPLE, 1, 30);
        add("vascular_age", Units.YEAR, c, SAMPLE, 0, 150);

        c = Category.VITALS;
        // Down to 30 %: below that nobody is measured alive, and it rejects a fraction sent as percent.
        add("oxygen_saturation", Units.PERCENT, c, SAMPLE, 30, 100);
        add("respiratory_rate", Units.COUNT_PER_MINUTE, c, SAMPLE, 1, 100);
        // Survived hypothermia reached 13.7 degC; 46 degC rejects Fahrenheit values sent as Celsius.
        add("body_temperature", Units.DEGREE_CELSIUS, c, SAMPLE, 10, 46);
        add("skin_temperature", Units.DEGREE_CELSIUS, c, SAMPLE, 0, 50);
        add("blood_glucose", Units.MILLIMOLE_PER_LITRE, c, SAMPLE, 0.5, 150);

        c = Category.BODY;
        add("body_mass", Units.KILOGRAM, c, SAMPLE, 2, 650);
        add("height", Units.METRE, c, SAMPLE, 0.2, 2.8);
        add("bmi", Units.COUNT, c, SAMPLE, 5, 250);
        // From 1 %: a fraction (0.161) sent as percent is rejected instead of stored as 0.16 %.
        add("body_fat_percentage", Units.PERCENT, c, SAMPLE, 1, 90);
        add("fat_mass", Units.KILOGRAM, c, SAMPLE, 0, 400);
        add("lean_body_mass", Units.KILOGRAM, c, SAMPLE, 0.5, 400);
        add("muscle_mass", Units.KILOGRAM, c, SAMPLE, 0.2, 300);
        add("bone_mass", Units.KILOGRAM, c, SAMPLE, 0.05, 20);

        c = Category.SLEEP;
        add("sleep_duration", Units.SECOND, c, DAILY, 0, SECONDS_PER_DAY);
        add("time_in_bed", Units.SECOND, c, DAILY, 0, SECONDS_PER_DAY);
        add("sleep_deep", Units.SECOND, c, DAILY, 0, SECONDS_PER_DAY);
        add("sleep_light", Units.SECOND, c, DAILY, 0, SECONDS_PER_DAY);
        add("sleep_rem", Units.SECOND, c, DAILY, 0, SECONDS_PER_DAY);
        add("sleep_awake", Units.SECOND, c, DAILY, 0, SECONDS_PER_DAY);
        add("sleep_efficiency", Units.PERCENT, c, DAILY, 0, 100);
        add("sleep_latency", Units.SECOND, c, DAILY, 0, SECONDS_PER_DAY);
        add("oura_sleep_score", Units.COUNT, c, DAILY, 0, 100);

        c = Category.RECOVERY;
        add("oura_readiness_score", Units.COUNT, c, DAILY, 0, 100);
        add("oura_stress_high", Units.SECOND, c, DAILY, 0, SECONDS_PER_DAY);
        add("oura_recovery_high", Units.SECOND, c, DAILY, 0, SECONDS_PER_DAY);
        add("body_temperature_deviation", Units.DEGREE_CELSIUS, c, DAILY, -10, 10);

        c = Category.NUTRITION;
        // Limits bound a whole day's intake, the largest amount one cumulative reading can carry.
        add("dietary_energy", Units.KILOCALORIE, c, CUMULATIVE, 0, 30_000);
        add("protein", Units.GRAM, c, CUMULATIVE, 0, 2_000);
        add("carbohydrate", Units.GRAM, c, CUMULATIVE, 0, 5_000);
        add("fat_total", Units.GRAM, c, CUMULATIVE, 0, 3_000);
        add("fat_saturated", Units.GRAM, c, CUMULATIVE, 0, 1_500);
        add("fiber", Units.GRAM, c, CUMULATIVE, 0, 500);
        add("sugar", Units.GRAM, c, CUMULATIVE, 0, 5_000);
        add("cholesterol", Units.MILLIGRAM, c, CUMULATIVE, 0, 20_000);
        add("sodium", Units.MILLIGRAM, c, CUMULATIVE, 0, 100_000);
        add("potassium", Units.MILLIGRAM, c, CUMULATIVE, 0, 50_000);
        add("calcium", Units.MILLIGRAM, c, CUMULATIVE, 0, 20_000);
        add("iron", Units.MILLIGRAM, c, CUMULATIVE, 0, 5_000);
        add("caffeine", Units.MILLIGRAM, c, CUMULATIVE, 0, 20_000);
        add("vitamin_c", Units.MILLIGRAM, c, CUMULATIVE, 0, 100_000);
        add("water", Units.MILLILITRE, c, CUMULATIVE, 0, 30_000);
    }

    private Vocabulary() {
    }

    public static Optional<Metric> metric(String code) {
        return code == null ? Optional.empty() : Optional.ofNullable(METRICS.get(code));
    }

    public static boolean isKnown(String code) {
        return metric(code).isPresent();
    }

    /** Every metric, grouped by category in declaration order. */
    public static Collection<Metric> all() {
        return Collections.unmodifiableCollection(METRICS.values());
    }

    public static List<Metric> inCategory(Category category) {
        return METRICS.values().stream().filter(metric -> metric.category() == category).toList();
    }

    private static void add(String code, String canonicalUnit, Category category, Aggregation aggregation,
            double minPlausible, double maxPlausible) {
        METRICS.put(code, new Metric(code, canonicalUnit, category, aggregation, minPlausible, maxPlausible));
    }
}
