package io.healthmesh.contracts.source;

import java.util.Set;

/**
 * Source ids as they appear in events, URLs and the database. Plain strings rather than an enum
 * because they travel as plain ids and the source registry (preferences-service) is configurable.
 */
public final class SourceId {

    public static final String WITHINGS = "withings";
    public static final String OURA = "oura";
    public static final String APPLE_HEALTH = "apple_health";
    public static final String CSV = "csv";
    public static final String MYFITNESSPAL = "myfitnesspal";
    public static final String CRONOMETER = "cronometer";
    public static final String PUSH = "push";
    public static final String FITBIT = "fitbit";
    public static final String WHOOP = "whoop";
    public static final String STRAVA = "strava";

    public static final Set<String> ALL = Set.of(
            WITHINGS, OURA, APPLE_HEALTH, CSV, MYFITNESSPAL, CRONOMETER, PUSH, FITBIT, WHOOP, STRAVA);

    private SourceId() {
    }

    public static boolean isKnown(String source) {
        return source != null && ALL.contains(source);
    }
}
