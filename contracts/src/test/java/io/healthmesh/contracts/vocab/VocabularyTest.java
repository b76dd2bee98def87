package io.healthmesh.contracts.vocab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.healthmesh.contracts.event.Aggregation;
import io.healthmesh.contracts.identity.Identity;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class VocabularyTest {

    /**
     * The "Canonical codes" paragraph of ARCHITECTURE.md, with each unit as written there
     * (steps, floors, bmi and the score are dimensionless "count"; resting heart rate shares bpm).
     */
    @ParameterizedTest(name = "{0} in {1}")
    @CsvSource(delimiter = ';', value = {
        "steps;                    count",
        "distance;                 m",
        "active_energy;            kcal",
        "basal_energy;             kcal",
        "floors;                   count",
        "exercise_time;            min",
        "heart_rate;               bpm",
        "resting_heart_rate;       bpm",
        "hrv_sdnn;                 ms",
        "hrv_rmssd;                ms",
        "blood_pressure_systolic;  mmHg",
        "blood_pressure_diastolic; mmHg",
        "oxygen_saturation;        %",
        "respiratory_rate;         1/min",
        "body_temperature;         degC",
        "blood_glucose;            mmol/L",
        "body_mass;                kg",
        "height;                   m",
        "bmi;                      count",
        "body_fat_percentage;      %",
        "fat_mass;                 kg",
        "lean_body_mass;           kg",
        "muscle_mass;              kg",
        "bone_mass;                kg",
        "sleep_duration;           s",
        "time_in_bed;              s",
        "sleep_deep;               s",
        "sleep_light;              s",
        "sleep_rem;                s",
        "sleep_awake;              s",
        "dietary_energy;           kcal",
        "protein;                  g",
        "carbohydrate;             g",
        "fat_total;                g",
        "fiber;                    g",
        "sugar;                    g",
        "sodium;                   mg",
        "water;                    mL",
        "oura_readiness_score;     count"
    })
    void architectureCodesExistWithTheirUnit(String code, String unitAsWritten) {
        Metric metric = Vocabulary.metric(code).orElseThrow(() -> new AssertionError("missing metric " + code));

        assertEquals(Units.canonicalUnitCode(unitAsWritten), Optional.of(metric.canonicalUnit()), code);
        assertNotNull(metric.category(), code);
    }

    @ParameterizedTest(name = "{0}: {1} {2} {3}")
    @CsvSource(delimiter = ';', value = {
        "walking_heart_rate_average; count/min; HEART;     DAILY",
        "vo2_max;                    mL/min·kg; HEART;     SAMPLE",
        "body_temperature_deviation; degC;      RECOVERY;  DAILY",
        "sleep_efficiency;           %;         SLEEP;     DAILY",
        "sleep_latency;              s;         SLEEP;     DAILY",
        "oura_sleep_score;           count;     SLEEP;     DAILY",
        "oura_activity_score;        count;     ACTIVITY;  DAILY",
        "oura_readiness_score;       count;     RECOVERY;  DAILY",
        "oura_stress_high;           s;         RECOVERY;  DAILY",
        "oura_recovery_high;         s;         RECOVERY;  DAILY",
        "skin_temperature;           degC;      VITALS;    SAMPLE",
        "pulse_wave_velocity;        m/s;       HEART;     SAMPLE",
        "vascular_age;               yr;        HEART;     SAMPLE",
        "stand_hours;                count;     ACTIVITY;  DAILY",
        "fat_saturated;              g;         NUTRITION; CUMULATIVE",
        "cholesterol;                mg;        NUTRITION; CUMULATIVE",
        "potassium;                  mg;        NUTRITION; CUMULATIVE",
        "calcium;                    mg;        NUTRITION; CUMULATIVE",
        "iron;                       mg;        NUTRITION; CUMULATIVE",
        "caffeine;                   mg;        NUTRITION; CUMULATIVE",
        "vitamin_c;                  mg;        NUTRITION; CUMULATIVE"
    })
    void additionalMetricsExist(String code, String unit, Category category, Aggregation aggregation) {
        Metric metric = Vocabulary.metric(code).orElseThrow(() -> new AssertionError("missing metric " + code));

        assertEquals(unit, metric.canonicalUnit());
        assertEquals(category, metric.category());
        assertEquals(aggregation, metric.defaultAggregation());
    }

    @ParameterizedTest(name = "{0} defaults to {1}")
    @CsvSource(delimiter = ';', value = {
        "steps; CUMULATIVE", "distance; CUMULATIVE", "active_energy; CUMULATIVE", "basal_energy; CUMULATIVE",
        "floors; CUMULATIVE", "exercise_time; CUMULATIVE", "dietary_energy; CUMULATIVE", "protein; CUMULATIVE",
        "carbohydrate; CUMULATIVE", "fat_total; CUMULATIVE", "fiber; CUMULATIVE", "sugar; CUMULATIVE",
        "sodium; CUMULATIVE", "water; CUMULATIVE",
        "heart_rate; SAMPLE", "body_mass; SAMPLE", "fat_mass; SAMPLE", "lean_body_mass; SAMPLE",
        "muscle_mass; SAMPLE", "bone_mass; SAMPLE", "height; SAMPLE", "bmi; SAMPLE", "body_fat_percentage; SAMPLE",
        "oxygen_saturation; SAMPLE", "blood_pressure_systolic; SAMPLE", "blood_pressure_diastolic; SAMPLE",
        "body_temperature; SAMPLE", "blood_glucose; SAMPLE", "hrv_sdnn; SAMPLE", "hrv_rmssd; SAMPLE",
        "respiratory_rate; SAMPLE",
        "resting_heart_rate; DAILY", "walking_heart_rate_average; DAILY", "sleep_duration; DAILY",
        "time_in_bed; DAILY", "sleep_deep; DAILY", "sleep_light; DAILY", "sleep_rem; DAILY", "sleep_awake; DAILY",
        "sleep_efficiency; DAILY", "sleep_latency; DAILY", "oura_readiness_score; DAILY",
        "body_temperature_deviation; DAILY"
    })
    void defaultAggregations(String code, Aggregation aggregation) {
        assertEquals(aggregation, Vocabulary.metric(code).orElseThrow().defaultAggregation());
    }

    @Test
    void everyMetricIsWellFormed() {
        Set<String> codes = new HashSet<>();
        for (Metric metric : Vocabulary.all()) {
            assertTrue(codes.add(metric.code()), "duplicate " + metric.code());
            assertTrue(metric.code().matches("[a-z][a-z0-9_]*"), metric.code());
            assertEquals(Optional.of(metric.canonicalUnit()), Units.canonicalUnitCode(metric.canonicalUnit()),
                    metric.code() + " has a unit Units does not know as canonical");
            assertTrue(metric.minPlausible() < metric.maxPlausible(), metric.code());
            assertNotNull(metric.defaultAggregation(), metric.code());
        }
    }

    @Test
    void noMetricCollidesWithTheEventIdMarkers() {
        assertFalse(Vocabulary.isKnown(Identity.SESSION_MARKER));
        assertFalse(Vocabulary.isKnown(Identity.ANY_METRIC));
    }

    @Test
    void cumulativeAndSleepMetricsCannotBeNegative() {
        for (Metric metric : Vocabulary.all()) {
            if (metric.defaultAggregation() == Aggregation.CUMULATIVE || metric.category() == Category.SLEEP) {
                assertEquals(0.0, metric.minPlausible(), metric.code());
            }
        }
    }

    @Test
    void categoriesPartitionTheVocabulary() {
        int total = 0;
        for (Category category : Category.values()) {
            List<Metric> metrics = Vocabulary.inCategory(category);
            metrics.forEach(metric -> assertEquals(category, metric.category()));
            total += metrics.size();
        }
        assertEquals(Vocabulary.all().size(), total);
        assertTrue(Vocabulary.inCategory(Category.WORKOUTS).isEmpty(), "workouts are sessions, not metrics");
        assertFalse(Vocabulary.inCategory(Category.NUTRITION).isEmpty());
    }

    @Test
    void unknownCodesAreEmpty() {
        assertEquals(Optional.empty(), Vocabulary.metric("heartrate"));
        assertEquals(Optional.empty(), Vocabulary.metric(null));
    }

    @Test
    void plausibilityIsInclusive() {
        Metric heartRate = Vocabulary.metric("heart_rate").orElseThrow();

        assertTrue(heartRate.isPlausible(20));
        assertTrue(heartRate.isPlausible(300));
        assertFalse(heartRate.isPlausible(300.5));
        assertFalse(heartRate.isPlausible(Double.NaN));
    }

    @Test
    void onlyDeviationsMeasureDifferences() {
        assertTrue(Vocabulary.metric("body_temperature_deviation").orElseThrow().measuresDifference());
        assertFalse(Vocabulary.metric("body_temperature").orElseThrow().measuresDifference());
    }

    @Test
    void categoryCodesRoundTrip() {
        for (Category category : Category.values()) {
            assertEquals(Optional.of(category), Category.fromCode(category.code()));
            assertEquals(category.name().toLowerCase(java.util.Locale.ROOT), category.code());
        }
        assertEquals(Optional.empty(), Category.fromCode("ACTIVITY"));
        assertEquals(Optional.empty(), Category.fromCode(null));
    }
}
