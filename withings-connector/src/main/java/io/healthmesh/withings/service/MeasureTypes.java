package io.healthmesh.withings.service;

import io.healthmesh.contracts.vocab.Units;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Withings measure types (getmeas {@code type}, shared/refs/withings-api.md 5.1) and the vocabulary
 * metric each becomes. Types without a metric are asked for all the same, then skipped and counted,
 * so that what a user's devices send is visible in the sync summary.
 */
public final class MeasureTypes {

    /**
     * One type.
     *
     * @param metric the vocabulary metric, or null when there is none
     * @param unit the unit of the scaled value ({@code value x 10^unit}), as a {@link Units} code
     * @param priority when two types of one group give the same metric (12 and 71 are both body
     *     temperature), the higher priority is kept
     */
    public record MeasureType(int id, String name, String metric, String unit, int priority) {

        public boolean mapped() {
            return metric != null;
        }
    }

    private static final Map<Integer, MeasureType> TYPES = new LinkedHashMap<>();

    static {
        map(1, "weight", "body_mass", Units.KILOGRAM);
        map(4, "height", "height", Units.METRE);
        map(5, "fat-free mass", "lean_body_mass", Units.KILOGRAM);
        map(6, "fat ratio", "body_fat_percentage", Units.PERCENT);
        map(8, "fat mass weight", "fat_mass", Units.KILOGRAM);
        map(9, "diastolic blood pressure", "blood_pressure_diastolic", Units.MILLIMETRE_OF_MERCURY);
        map(10, "systolic blood pressure", "blood_pressure_systolic", Units.MILLIMETRE_OF_MERCURY);
        map(11, "heart pulse", "heart_rate", Units.COUNT_PER_MINUTE);
        // The Thermo's "temperature"; a group with a body temperature (71) as well keeps that one.
        TYPES.put(12, new MeasureType(12, "temperature", "body_temperature", Units.DEGREE_CELSIUS, 0));
        map(54, "SpO2", "oxygen_saturation", Units.PERCENT);
        map(71, "body temperature", "body_temperature", Units.DEGREE_CELSIUS);
        map(73, "skin temperature", "skin_temperature", Units.DEGREE_CELSIUS);
        map(76, "muscle mass", "muscle_mass", Units.KILOGRAM);
        // Total body water in kg: the vocabulary's water is drunk water (nutrition, mL), not this.
        unmapped(77, "hydration");
        map(88, "bone mass", "bone_mass", Units.KILOGRAM);
        map(91, "pulse wave velocity", "pulse_wave_velocity", Units.METRE_PER_SECOND);
        map(123, "VO2 max", "vo2_max", Units.VO2_MAX);
        unmapped(130, "atrial fibrillation result");
        unmapped(135, "QRS interval duration");
        unmapped(136, "PR interval duration");
        unmapped(137, "QT interval duration");
        unmapped(138, "corrected QT interval duration");
        unmapped(139, "atrial fibrillation result from PPG");
        map(155, "vascular age", "vascular_age", Units.YEAR);
        unmapped(167, "nerve health score (conductance, feet)");
        unmapped(168, "extracellular water");
        unmapped(169, "intracellular water");
        unmapped(170, "visceral fat");
        // Segmental masses (with position): parts of the body, not the whole-body metrics.
        unmapped(173, "fat-free mass for segments");
        unmapped(174, "fat mass for segments");
        unmapped(175, "muscle mass for segments");
        unmapped(196, "electrodermal activity (feet)");
        // A rate (kcal/day) measured at one time; basal_energy is an amount over an interval.
        unmapped(226, "basal metabolic rate");
        unmapped(227, "metabolic age");
        unmapped(229, "electrochemical skin conductance");
        // 158/159 and 197/198 appear only in client enums, not in Withings' table: not asked for.
    }

    /** The {@code meastypes} parameter: every type of the table. */
    public static final String REQUESTED = TYPES.keySet().stream().map(String::valueOf)
            .collect(Collectors.joining(","));

    private MeasureTypes() {
    }

    public static Optional<MeasureType> byId(int id) {
        return Optional.ofNullable(TYPES.get(id));
    }

    public static Map<Integer, MeasureType> all() {
        return Collections.unmodifiableMap(TYPES);
    }

    private static void map(int id, String name, String metric, String unit) {
        TYPES.put(id, new MeasureType(id, name, metric, unit, 1));
    }

    private static void unmapped(int id, String name) {
        TYPES.put(id, new MeasureType(id, name, null, null, 0));
    }
}
