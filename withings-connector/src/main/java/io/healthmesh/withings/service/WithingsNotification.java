package io.healthmesh.withings.service;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A Withings notification callback (form-encoded, unsigned: {@code userid}, {@code appli},
 * {@code startdate}, {@code enddate}, ...) read as "this data type of this Withings user changed in
 * this window", ready for the kit's {@code SyncScheduler.notified}.
 *
 * @param providerUserId the Withings {@code userid}
 * @param dataType the {@code DataTypeSync#dataType()} to run
 * @param from start of the changed window ({@code startdate}), or null for "since the cursor"
 * @param to end of the changed window, exclusive ({@code enddate} + 1 s, Withings' end being
 *     inclusive), or null
 */
public record WithingsNotification(String providerUserId, String dataType, Instant from, Instant to) {

    /**
     * The notification categories ({@code appli}) this service subscribes to, and the data type each
     * one's changes are fetched by: 1 weight and body composition, 2 temperature, 4 blood pressure,
     * heart rate and SpO2 (all getmeas), 16 activity (getactivity), 44 sleep (sleep getsummary).
     * Bed in/out (50, 51) need a scope we do not ask for and carry no data; profile changes (46)
     * are not data.
     */
    public static final Map<Integer, String> APPLI_DATA_TYPES;

    static {
        Map<Integer, String> applis = new LinkedHashMap<>();
        applis.put(1, WithingsMeasuresSync.DATA_TYPE);
        applis.put(2, WithingsMeasuresSync.DATA_TYPE);
        applis.put(4, WithingsMeasuresSync.DATA_TYPE);
        applis.put(16, WithingsActivitySync.DATA_TYPE);
        applis.put(44, WithingsSleepSync.DATA_TYPE);
        APPLI_DATA_TYPES = Collections.unmodifiableMap(applis);
    }

    private static final Pattern DIGITS = Pattern.compile("\\d{1,19}");
    private static final int MAX_BODY = 8_192;

    /**
     * Reads a callback body. Empty for anything that is not a data notification of a category above:
     * an unknown or event-only {@code appli}, a missing or non-numeric {@code userid}, a malformed
     * body. A missing or unreadable window leaves {@code from}/{@code to} null.
     */
    public static Optional<WithingsNotification> parse(String formBody) {
        if (formBody == null || formBody.isBlank() || formBody.length() > MAX_BODY) {
            return Optional.empty();
        }
        Map<String, String> fields = new HashMap<>();
        for (String pair : formBody.strip().split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            String key;
            String value;
            try {
                key = URLDecoder.decode(equals < 0 ? pair : pair.substring(0, equals), StandardCharsets.UTF_8);
                value = equals < 0 ? "" : URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                return Optional.empty();
            }
            fields.putIfAbsent(key.strip(), value.strip());
        }
        String userId = fields.get("userid");
        String appli = fields.get("appli");
        if (userId == null || appli == null || !DIGITS.matcher(userId).matches() || !DIGITS.matcher(appli).matches()) {
            return Optional.empty();
        }
        String dataType;
        try {
            dataType = APPLI_DATA_TYPES.get(Integer.parseInt(appli));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        if (dataType == null) {
            return Optional.empty();
        }
        Long start = epochSeconds(fields.get("startdate"));
        Long end = epochSeconds(fields.get("enddate"));
        if (start != null && end != null && end < start) {
            start = null;
            end = null;
        }
        return Optional.of(new WithingsNotification(userId, dataType,
                start == null ? null : Instant.ofEpochSecond(start),
                end == null ? null : Instant.ofEpochSecond(end + 1)));
    }

    private static Long epochSeconds(String value) {
        if (value == null || !DIGITS.matcher(value).matches()) {
            return null;
        }
        try {
            long seconds = Long.parseLong(value);
            // Past the year 9999 is not a real window.
            return seconds <= 253_402_300_799L ? seconds : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
