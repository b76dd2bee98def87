package io.healthmesh.contracts.identity;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Deterministic identities, so that a replayed or re-imported record gets the same ids and the
 * natural-key upsert writes nothing.
 *
 * <p>Identity strings join fields with {@code |}. Each field is first passed through
 * {@link #encodeField(String)}, so a field containing {@code |} can never look like two fields;
 * a null field becomes the empty string.
 */
public final class Identity {

    /** Namespace of every Healthmesh eventId. */
    public static final UUID NAMESPACE = UUID.fromString("07487f4b-be22-4ec9-9969-84cfa842d03c");

    /** Stands in for the metric in the eventId of a tombstone without a metric. */
    public static final String ANY_METRIC = "*";

    /** Stands in for the metric in a session's eventId; no metric code is {@code session}. */
    public static final String SESSION_MARKER = "session";

    private static final String SEPARATOR = "|";

    // Matches Apple's debug dump "<<HKDevice: 0x283735e00>, name:..., software:9.1>"; the address
    // differs between exports of the same sample, the key:value list does not.
    private static final Pattern APPLE_DEVICE_DUMP =
            Pattern.compile("^<<HKDevice: 0x[0-9a-fA-F]+>(?:,\\s*(.*))?>$", Pattern.DOTALL);

    private Identity() {
    }

    /** A name-based UUID, version 5 (SHA-1), as specified by RFC 9562 section 5.5. */
    public static UUID uuidV5(UUID namespace, String name) {
        MessageDigest sha1;
        try {
            sha1 = MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime ships SHA-1", e);
        }
        ByteBuffer namespaceBytes = ByteBuffer.allocate(16)
                .putLong(namespace.getMostSignificantBits())
                .putLong(namespace.getLeastSignificantBits());
        sha1.update(namespaceBytes.array());
        byte[] hash = sha1.digest(name.getBytes(StandardCharsets.UTF_8));
        hash[6] = (byte) ((hash[6] & 0x0f) | 0x50);
        hash[8] = (byte) ((hash[8] & 0x3f) | 0x80);
        ByteBuffer uuidBytes = ByteBuffer.wrap(hash, 0, 16);
        return new UUID(uuidBytes.getLong(), uuidBytes.getLong());
    }

    /**
     * The eventId of a reading: UUIDv5 of {@code userId|source|sourceRecordId|metric}; a null metric
     * (a tombstone for the whole record) is written as {@value #ANY_METRIC}.
     */
    public static UUID eventId(String userId, String source, String sourceRecordId, String metricOrNull) {
        String metricField = metricOrNull == null ? ANY_METRIC : encodeField(metricOrNull);
        return uuidV5(NAMESPACE, join(userId, source, sourceRecordId) + SEPARATOR + metricField);
    }

    /** The eventId of a session: {@value #SESSION_MARKER} stands where a reading has its metric. */
    public static UUID sessionEventId(String userId, String source, String sourceRecordId) {
        return uuidV5(NAMESPACE, join(userId, source, sourceRecordId) + SEPARATOR + SESSION_MARKER);
    }

    /**
     * The sourceRecordId of an Apple Health sample, the same whether it comes from an export or
     * from a phone push: {@code hkType|app|device|start|end|creationDate}.
     *
     * <p>Times become UTC instants truncated to whole seconds ({@code 2024-03-10T07:00:00Z}), since
     * exports write the phone's offset at export time and no fractions. The device goes through
     * {@link #normalizeAppleDevice(String)}. A null creationDate leaves its field empty.
     *
     * @param app Apple's sourceName
     */
    public static String appleSourceRecordId(String hkType, String app, String device,
            OffsetDateTime start, OffsetDateTime end, OffsetDateTime creationDate) {
        return join(hkType, app, normalizeAppleDevice(device), utcSeconds(start), utcSeconds(end),
                utcSeconds(creationDate));
    }

    /**
     * Apple's device string without the object address: {@code <<HKDevice: 0x283735e00>, name:Apple
     * Watch, manufacturer:Apple Inc., model:Watch, hardware:Watch6,2, software:9.1>} becomes
     * {@code name:Apple Watch, manufacturer:Apple Inc., model:Watch, hardware:Watch6,2,
     * software:9.1} (the key:value list exactly as written, outer brackets removed). Strings not in
     * that form are only trimmed; null stays null.
     */
    public static String normalizeAppleDevice(String device) {
        if (device == null) {
            return null;
        }
        String trimmed = device.trim();
        Matcher matcher = APPLE_DEVICE_DUMP.matcher(trimmed);
        if (!matcher.matches()) {
            return trimmed;
        }
        String fields = matcher.group(1);
        return fields == null ? "" : fields.trim();
    }

    /**
     * The sourceRecordId of a CSV row value: {@code preset|date|time|label...|ordinal|column}.
     *
     * @param preset the import preset (file dialect), e.g. {@code myfitnesspal-nutrition}
     * @param date the row's date as written in the file
     * @param time the row's time as written, or null
     * @param labels the preset's label columns (meal, food...), each its own field
     * @param ordinal position among rows with equal date, time and labels, so identical rows stay apart
     * @param column the value's column
     */
    public static String csvSourceRecordId(String preset, String date, String time, List<String> labels,
            int ordinal, String column) {
        StringBuilder id = new StringBuilder();
        id.append(encodeField(preset)).append(SEPARATOR)
                .append(encodeField(date)).append(SEPARATOR)
                .append(encodeField(time));
        if (labels != null) {
            for (String label : labels) {
                id.append(SEPARATOR).append(encodeField(label));
            }
        }
        id.append(SEPARATOR).append(ordinal)
                .append(SEPARATOR).append(encodeField(column));
        return id.toString();
    }

    /**
     * Makes a value safe to join with {@code |}: {@code %} becomes {@code %25} (first, so the escape
     * itself stays unambiguous), then {@code |} becomes {@code %7C}. Null becomes "".
     */
    public static String encodeField(String field) {
        if (field == null) {
            return "";
        }
        return field.replace("%", "%25").replace("|", "%7C");
    }

    private static String join(String... fields) {
        StringBuilder joined = new StringBuilder();
        for (int i = 0; i < fields.length; i++) {
            if (i > 0) {
                joined.append(SEPARATOR);
            }
            joined.append(encodeField(fields[i]));
        }
        return joined.toString();
    }

    private static String utcSeconds(OffsetDateTime time) {
        if (time == null) {
            return null;
        }
        return DateTimeFormatter.ISO_INSTANT.format(time.toInstant().truncatedTo(ChronoUnit.SECONDS));
    }
}
