package io.healthmesh.contracts.vocab;

/** What a unit measures; units convert only within one dimension. */
public enum Dimension {
    MASS,
    LENGTH,
    ENERGY,
    /** Absolute temperatures; the scales are affine, so offsets matter except for differences. */
    TEMPERATURE,
    /** Blood glucose, molar (mmol/L) or by mass (mg/dL), linked by glucose's molar mass. */
    GLUCOSE_CONCENTRATION,
    /** Parts of a whole: percent (0-100) or fraction (0-1). */
    RATIO,
    DURATION,
    /** Events per time: heart beats, breaths. */
    RATE,
    /** Dimensionless counts and indices (steps, floors, BMI, vendor scores). */
    COUNT,
    PRESSURE,
    VOLUME,
    SPEED,
    /** Oxygen uptake per body mass (VO2 max). */
    OXYGEN_UPTAKE,
    SOUND_LEVEL,
    POWER,
    /** An age in years (vascular age); kept apart from durations on purpose. */
    AGE
}
