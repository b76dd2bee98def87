package io.healthmesh.imports.apple;

/**
 * The stable keys of {@link ParseSummary#skippedByReason()} and {@link AppleExportHandler#skipped}.
 *
 * <p>The set is bounded: the only key built from file content is {@link #unmappedType} ("unmapped
 * type: HKQuantityTypeIdentifierRunningPower"), since users want to know which of their data types
 * were not imported. HealthKit has a few hundred types; past {@link #MAX_UNMAPPED_TYPE_KEYS} distinct
 * ones, or for an implausible type name, the key is {@link #UNMAPPED_TYPE_OTHER}.
 */
public final class SkipReason {

    /** A Record inside a Correlation: the DTD says each also appears at top level, where it is imported. */
    public static final String INSIDE_CORRELATION = "inside correlation";
    /** The Correlation element itself (blood pressure, food): its children are imported at top level. */
    public static final String CORRELATION = "correlation";
    public static final String DECIMAL_COMMA = "value with decimal comma";
    public static final String UNPARSEABLE_VALUE = "unparseable value";
    public static final String MISSING_VALUE = "missing value";
    public static final String UNPARSEABLE_DATE = "unparseable date";
    public static final String END_BEFORE_START = "end before start";
    public static final String MISSING_TYPE = "missing type";
    /** No unit, or one {@code Units} does not know. */
    public static final String UNKNOWN_UNIT = "unknown unit";
    /** A known unit of the wrong dimension for the metric (e.g. heart rate in kg). */
    public static final String UNIT_DOES_NOT_FIT = "unit does not fit metric";
    /** An AppleStandHour that says Idle: an hour without standing adds nothing to stand hours. */
    public static final String STAND_HOUR_IDLE = "stand hour idle";
    public static final String UNKNOWN_CATEGORY_VALUE = "unknown category value";
    /** An ActivitySummary with every value zero or missing (days before the watch was set up). */
    public static final String EMPTY_ACTIVITY_SUMMARY = "empty activity summary";
    public static final String EXPORT_DATE = "ExportDate";
    public static final String ME = "Me";
    public static final String CLINICAL_RECORD = "ClinicalRecord";
    public static final String AUDIOGRAM = "Audiogram";
    public static final String VISION_PRESCRIPTION = "VisionPrescription";
    /** Any other element under HealthData. */
    public static final String UNKNOWN_ELEMENT = "unknown element";
    public static final String UNMAPPED_TYPE_PREFIX = "unmapped type: ";
    public static final String UNMAPPED_TYPE_OTHER = UNMAPPED_TYPE_PREFIX + "(other)";

    static final int MAX_UNMAPPED_TYPE_KEYS = 512;
    private static final int MAX_TYPE_NAME_LENGTH = 100;

    private SkipReason() {
    }

    /** The key for a type without a vocabulary meaning, e.g. {@code unmapped type: HKQuantityTypeIdentifierRunningPower}. */
    public static String unmappedType(String type) {
        if (!isPlausibleTypeName(type)) {
            return UNMAPPED_TYPE_OTHER;
        }
        return UNMAPPED_TYPE_PREFIX + type;
    }

    private static boolean isPlausibleTypeName(String type) {
        if (type.isEmpty() || type.length() > MAX_TYPE_NAME_LENGTH || !type.startsWith("HK")) {
            return false;
        }
        for (int i = 0; i < type.length(); i++) {
            char c = type.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_')) {
                return false;
            }
        }
        return true;
    }
}
