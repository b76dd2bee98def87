package io.healthmesh.imports.apple;

import static io.healthmesh.contracts.event.Aggregation.CUMULATIVE;
import static io.healthmesh.contracts.event.Aggregation.DAILY;
import static io.healthmesh.contracts.event.Aggregation.SAMPLE;

import io.healthmesh.contracts.event.Aggregation;
import io.healthmesh.contracts.event.SleepStage;
import io.healthmesh.contracts.vocab.Metric;
import io.healthmesh.contracts.vocab.Vocabulary;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;

/** The HealthKit types the parser imports; the table is in {@link AppleExportParser}'s javadoc. */
final class AppleTypes {

    static final String QUANTITY_PREFIX = "HKQuantityTypeIdentifier";
    static final String SLEEP_ANALYSIS = "HKCategoryTypeIdentifierSleepAnalysis";
    static final String MINDFUL_SESSION = "HKCategoryTypeIdentifierMindfulSession";
    static final String STAND_HOUR = "HKCategoryTypeIdentifierAppleStandHour";
    /** HealthKit's type of workouts, standing in for a sample type in a workout's identity. */
    static final String WORKOUT = "HKWorkoutTypeIdentifier";
    /** Stands in for the type in a sleep session's identity; the session has no sample of its own. */
    static final String SLEEP_SESSION = SLEEP_ANALYSIS + "|session";
    static final String DISTANCE_PREFIX = QUANTITY_PREFIX + "Distance";
    static final String ACTIVE_ENERGY = QUANTITY_PREFIX + "ActiveEnergyBurned";
    static final String HEART_RATE = QUANTITY_PREFIX + "HeartRate";

    static final String STAND_HOURS_METRIC = "stand_hours";
    static final String STOOD = "HKCategoryValueAppleStandHourStood";
    static final String IDLE = "HKCategoryValueAppleStandHourIdle";

    /** What a type becomes. */
    enum Kind { QUANTITY, SLEEP, MINDFUL, STAND_HOUR }

    /**
     * A quantity type's metric.
     *
     * @param fractionPercent Apple's {@code %} means 0-1 for this type and is sent as {@code fraction}
     */
    record QuantityMapping(String hkType, Metric metric, Aggregation aggregation, boolean fractionPercent) {
    }

    private static final Map<String, QuantityMapping> QUANTITIES = new HashMap<>();
    private static final Map<String, SleepStage> SLEEP_STAGES = new HashMap<>();

    static {
        cumulative("StepCount", "steps");
        cumulative("DistanceWalkingRunning", "distance");
        cumulative("DistanceCycling", "distance");
        cumulative("DistanceSwimming", "distance");
        cumulative("DistanceWheelchair", "distance");
        cumulative("DistanceDownhillSnowSports", "distance");
        cumulative("DistanceCrossCountrySkiing", "distance");
        cumulative("DistancePaddleSports", "distance");
        cumulative("DistanceRowing", "distance");
        cumulative("DistanceSkatingSports", "distance");
        cumulative("FlightsClimbed", "floors");
        cumulative("ActiveEnergyBurned", "active_energy");
        cumulative("BasalEnergyBurned", "basal_energy");
        cumulative("AppleExerciseTime", "exercise_time");

        sample("HeartRate", "heart_rate");
        daily("RestingHeartRate", "resting_heart_rate");
        daily("WalkingHeartRateAverage", "walking_heart_rate_average");
        sample("HeartRateVariabilitySDNN", "hrv_sdnn");
        sample("BloodPressureSystolic", "blood_pressure_systolic");
        sample("BloodPressureDiastolic", "blood_pressure_diastolic");
        sample("VO2Max", "vo2_max");

        fraction("OxygenSaturation", "oxygen_saturation");
        sample("RespiratoryRate", "respiratory_rate");
        sample("BodyTemperature", "body_temperature");
        sample("BasalBodyTemperature", "body_temperature");
        sample("AppleSleepingWristTemperature", "skin_temperature");
        sample("BloodGlucose", "blood_glucose");

        sample("BodyMass", "body_mass");
        sample("LeanBodyMass", "lean_body_mass");
        fraction("BodyFatPercentage", "body_fat_percentage");
        sample("BodyMassIndex", "bmi");
        sample("Height", "height");

        cumulative("DietaryEnergyConsumed", "dietary_energy");
        cumulative("DietaryProtein", "protein");
        cumulative("DietaryCarbohydrates", "carbohydrate");
        cumulative("DietaryFatTotal", "fat_total");
        cumulative("DietaryFatSaturated", "fat_saturated");
        cumulative("DietaryFiber", "fiber");
        cumulative("DietarySugar", "sugar");
        cumulative("DietaryCholesterol", "cholesterol");
        cumulative("DietarySodium", "sodium");
        cumulative("DietaryPotassium", "potassium");
        cumulative("DietaryCalcium", "calcium");
        cumulative("DietaryIron", "iron");
        cumulative("DietaryCaffeine", "caffeine");
        cumulative("DietaryVitaminC", "vitamin_c");
        cumulative("DietaryWater", "water");

        stage(SleepStage.IN_BED, "InBed", "0");
        // "Asleep" is the pre-iOS 16 name of what is now AsleepUnspecified.
        stage(SleepStage.ASLEEP_UNSPECIFIED, "AsleepUnspecified", "1");
        SLEEP_STAGES.put("HKCategoryValueSleepAnalysisAsleep", SleepStage.ASLEEP_UNSPECIFIED);
        stage(SleepStage.AWAKE, "Awake", "2");
        stage(SleepStage.LIGHT, "AsleepCore", "3");
        stage(SleepStage.DEEP, "AsleepDeep", "4");
        stage(SleepStage.REM, "AsleepREM", "5");
    }

    private AppleTypes() {
    }

    static Kind kindOf(String hkType) {
        return switch (hkType) {
            case SLEEP_ANALYSIS -> Kind.SLEEP;
            case MINDFUL_SESSION -> Kind.MINDFUL;
            case STAND_HOUR -> Kind.STAND_HOUR;
            default -> QUANTITIES.containsKey(hkType) ? Kind.QUANTITY : null;
        };
    }

    static QuantityMapping quantity(String hkType) {
        return QUANTITIES.get(hkType);
    }

    static Map<String, QuantityMapping> quantities() {
        return Collections.unmodifiableMap(QUANTITIES);
    }

    /** The stage of a SleepAnalysis value, by name or by HealthKit's numeric value; null if unknown. */
    static SleepStage sleepStage(String value) {
        return value == null ? null : SLEEP_STAGES.get(value);
    }

    static Metric metric(String code) {
        return Vocabulary.metric(code).orElseThrow(() -> new IllegalStateException("no metric " + code));
    }

    private static void cumulative(String type, String metric) {
        put(type, metric, CUMULATIVE, false);
    }

    private static void sample(String type, String metric) {
        put(type, metric, SAMPLE, false);
    }

    private static void daily(String type, String metric) {
        put(type, metric, DAILY, false);
    }

    private static void fraction(String type, String metric) {
        put(type, metric, SAMPLE, true);
    }

    private static void put(String type, String metric, Aggregation aggregation, boolean fractionPercent) {
        String hkType = QUANTITY_PREFIX + type;
        QUANTITIES.put(hkType, new QuantityMapping(hkType, metric(metric), aggregation, fractionPercent));
    }

    private static void stage(SleepStage stage, String name, String number) {
        SLEEP_STAGES.put("HKCategoryValueSleepAnalysis" + name, stage);
        SLEEP_STAGES.put(number, stage);
    }
}
