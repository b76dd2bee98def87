package io.healthmesh.contracts.identity;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.LocalDate;
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
    private static final char SEPARATOR_CHAR = '|';

    /** {@code 2024-03-10T07:00:00Z}. */
    private static final int UTC_SECONDS_LENGTH = 20;
    private static final long SECONDS_PER_DAY = 86_400;
    private static final long FIRST_FOUR_DIGIT_YEAR_SECOND = LocalDate.of(0, 1, 1).toEpochDay() * SECONDS_PER_DAY;
    private static final long LAST_FOUR_DIGIT_YEAR_SECOND =
            LocalDate.of(9999, 12, 31).toEpochDay() * SECONDS_PER_DAY + SECONDS_PER_DAY - 1;
    private static final String APPLE_DEVICE_DUMP_START = "<<HKDevice: 0x";
    private static volatile DayText lastDay = new DayText(0);

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
        // The same bytes as uuidV5(NAMESPACE, join(userId, source, sourceRecordId) + "|" + metric field),
        // encoded (percent-encoding, then UTF-8) straight into a reused buffer and hashed by a reused
        // digest: an import computes this for every event, and the strings of the plain form (each
        // field replaced, joined, concatenated, then encoded) cost more than the hash.
        EventIdHasher hasher = EVENT_ID_HASHER.get();
        hasher.reset();
        hasher.field(userId);
        hasher.separator();
        hasher.field(source);
        hasher.separator();
        hasher.field(sourceRecordId);
        hasher.separator();
        if (metricOrNull == null) {
            hasher.raw(ANY_METRIC);
        } else {
            hasher.field(metricOrNull);
        }
        return hasher.uuid();
    }

    private static final ThreadLocal<EventIdHasher> EVENT_ID_HASHER = ThreadLocal.withInitial(EventIdHasher::new);

    /** UTF-8 of percent-encoded fields into one growing buffer, then SHA-1 with the namespace first. */
    private static final class EventIdHasher {
        private final MessageDigest sha1;
        private final byte[] namespace;
        private byte[] bytes = new byte[512];
        private int length;

        EventIdHasher() {
            try {
                sha1 = MessageDigest.getInstance("SHA-1");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("every Java runtime ships SHA-1", e);
            }
            namespace = ByteBuffer.allocate(16).putLong(NAMESPACE.getMostSignificantBits())
                    .putLong(NAMESPACE.getLeastSignificantBits()).array();
        }

        void reset() {
            length = 0;
        }

        void separator() {
            ensure(1);
            bytes[length++] = (byte) SEPARATOR_CHAR;
        }

        /** A field as {@link #encodeField} writes it: null is empty, '%' and '|' percent-encoded. */
        void field(String text) {
            if (text != null) {
                append(text, true);
            }
        }

        void raw(String text) {
            append(text, false);
        }

        private void append(String text, boolean encode) {
            int n = text.length();
            ensure(n * 3);
            for (int i = 0; i < n; i++) {
                char c = text.charAt(i);
                if (c < 0x80) {
                    if (encode && c == '%') {
                        bytes[length++] = '%';
                        bytes[length++] = '2';
                        bytes[length++] = '5';
                    } else if (encode && c == SEPARATOR_CHAR) {
                        bytes[length++] = '%';
                        bytes[length++] = '7';
                        bytes[length++] = 'C';
                    } else {
                        bytes[length++] = (byte) c;
                    }
                } else if (c < 0x800) {
                    bytes[length++] = (byte) (0xC0 | (c >> 6));
                    bytes[length++] = (byte) (0x80 | (c & 0x3F));
                } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(text.charAt(i + 1))) {
                    int codePoint = Character.toCodePoint(c, text.charAt(++i));
                    ensure(4);
                    bytes[length++] = (byte) (0xF0 | (codePoint >> 18));
                    bytes[length++] = (byte) (0x80 | ((codePoint >> 12) & 0x3F));
                    bytes[length++] = (byte) (0x80 | ((codePoint >> 6) & 0x3F));
                    bytes[length++] = (byte) (0x80 | (codePoint & 0x3F));
                } else if (Character.isSurrogate(c)) {
                    // An unpaired surrogate: String.getBytes(UTF_8) writes '?'.
                    bytes[length++] = '?';
                } else {
                    bytes[length++] = (byte) (0xE0 | (c >> 12));
                    bytes[length++] = (byte) (0x80 | ((c >> 6) & 0x3F));
                    bytes[length++] = (byte) (0x80 | (c & 0x3F));
                }
            }
        }

        private void ensure(int more) {
            if (length + more > bytes.length) {
                bytes = java.util.Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more));
            }
        }

        UUID uuid() {
            sha1.update(namespace);
            sha1.update(bytes, 0, length);
            byte[] hash = sha1.digest();
            hash[6] = (byte) ((hash[6] & 0x0f) | 0x50);
            hash[8] = (byte) ((hash[8] & 0x3f) | 0x80);
            ByteBuffer uuidBytes = ByteBuffer.wrap(hash, 0, 16);
            return new UUID(uuidBytes.getLong(), uuidBytes.getLong());
        }
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
        return appleSourceRecordId(appleFieldsPrefix(hkType, app, device), start, end, creationDate);
    }

    /**
     * {@code hkType|app|device|} of {@link #appleSourceRecordId}, encoded, the device normalized: the part
     * {@link AppleSourceRecordIds} keeps while a run of records repeats it.
     */
    static char[] appleFieldsPrefix(String hkType, String app, String device) {
        String type = encodeField(hkType);
        String source = encodeField(app);
        String normalizedDevice = encodeField(normalizeAppleDevice(device));
        char[] prefix = new char[type.length() + source.length() + normalizedDevice.length() + 3];
        int at = copy(type, prefix, 0);
        prefix[at++] = SEPARATOR_CHAR;
        at = copy(source, prefix, at);
        prefix[at++] = SEPARATOR_CHAR;
        at = copy(normalizedDevice, prefix, at);
        prefix[at] = SEPARATOR_CHAR;
        return prefix;
    }

    /**
     * {@link #appleSourceRecordId} from its fields' prefix and the times, the creation date given as its
     * epoch second (the same text: the identity keeps whole UTC seconds only).
     */
    static String appleSourceRecordId(char[] fieldsPrefix, OffsetDateTime start, OffsetDateTime end,
            long creationEpochSecond) {
        String startText = slowUtcSeconds(start);
        String endText = slowUtcSeconds(end);
        String createdText = slowUtcSeconds(creationEpochSecond);
        char[] id = new char[fieldsPrefix.length + 2
                + utcSecondsLength(start, startText) + utcSecondsLength(end, endText)
                + (createdText != null ? createdText.length() : UTC_SECONDS_LENGTH)];
        System.arraycopy(fieldsPrefix, 0, id, 0, fieldsPrefix.length);
        int at = writeUtcSeconds(start, startText, id, fieldsPrefix.length);
        id[at++] = SEPARATOR_CHAR;
        at = writeUtcSeconds(end, endText, id, at);
        id[at++] = SEPARATOR_CHAR;
        if (createdText != null) {
            copy(createdText, id, at);
        } else {
            writeUtcSeconds(creationEpochSecond, id, at);
        }
        return new String(id);
    }

    /** {@link #appleSourceRecordId} from its fields' prefix ({@link #appleFieldsPrefix}) and the times. */
    static String appleSourceRecordId(char[] fieldsPrefix, OffsetDateTime start, OffsetDateTime end,
            OffsetDateTime creationDate) {
        // The same string as join(hkType, app, normalizeAppleDevice(device), utcSeconds(start),
        // utcSeconds(end), utcSeconds(creationDate)), written into one char array without a formatter: an
        // import computes it for every record of the export (the formatter and the string joining cost
        // about 1 µs each). The times need no encoding: they hold neither '%' nor '|'.
        String startText = slowUtcSeconds(start);
        String endText = slowUtcSeconds(end);
        String createdText = slowUtcSeconds(creationDate);
        char[] id = new char[fieldsPrefix.length + 2
                + utcSecondsLength(start, startText) + utcSecondsLength(end, endText)
                + utcSecondsLength(creationDate, createdText)];
        System.arraycopy(fieldsPrefix, 0, id, 0, fieldsPrefix.length);
        int at = writeUtcSeconds(start, startText, id, fieldsPrefix.length);
        id[at++] = SEPARATOR_CHAR;
        at = writeUtcSeconds(end, endText, id, at);
        id[at++] = SEPARATOR_CHAR;
        writeUtcSeconds(creationDate, createdText, id, at);
        return new String(id);
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
        if (!trimmed.startsWith(APPLE_DEVICE_DUMP_START)) {
            // The pattern cannot match; spares a Matcher per record for devices already normalized.
            return trimmed;
        }
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
        if (field.indexOf('%') < 0 && field.indexOf('|') < 0) {
            return field;
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

    private static int copy(String text, char[] out, int at) {
        text.getChars(0, text.length(), out, at);
        return at + text.length();
    }

    /** {@link #utcSeconds} for the times the digit-by-digit writer does not cover (years outside 0000-9999), else null. */
    private static String slowUtcSeconds(OffsetDateTime time) {
        if (time == null) {
            return null;
        }
        int localYear = time.getYear();
        if (localYear >= 1 && localYear <= 9998) {
            // An offset moves the UTC year by one at most; the time is computed once, when written.
            return null;
        }
        long seconds = time.toEpochSecond();
        return seconds < FIRST_FOUR_DIGIT_YEAR_SECOND || seconds > LAST_FOUR_DIGIT_YEAR_SECOND ? utcSeconds(time) : null;
    }

    private static int utcSecondsLength(OffsetDateTime time, String slowText) {
        return time == null ? 0 : slowText != null ? slowText.length() : UTC_SECONDS_LENGTH;
    }

    /**
     * {@link #utcSeconds} written at {@code at}: {@code uuuu-MM-ddTHH:mm:ssZ} digit by digit for the years
     * 0000 to 9999 (what ISO_INSTANT writes for them: seconds always, no fraction once truncated), the
     * formatter's text ({@code slowText}) for any other year, nothing for null. Answers the next position.
     */
    private static int writeUtcSeconds(OffsetDateTime time, String slowText, char[] out, int at) {
        if (time == null) {
            return at;
        }
        if (slowText != null) {
            return copy(slowText, out, at);
        }
        return writeUtcSeconds(time.toEpochSecond(), out, at);
    }

    /** {@code uuuu-MM-ddTHH:mm:ssZ} of an epoch second of the years 0000 to 9999, written at {@code at}. */
    private static int writeUtcSeconds(long seconds, char[] out, int at) {
        long day = Math.floorDiv(seconds, SECONDS_PER_DAY);
        DayText date = lastDay;
        if (date.epochDay != day) {
            date = new DayText(day);
            lastDay = date;
        }
        System.arraycopy(date.text, 0, out, at, DayText.LENGTH);
        at += DayText.LENGTH;
        int secondOfDay = (int) Math.floorMod(seconds, SECONDS_PER_DAY);
        at = twoDigits(secondOfDay / 3600, out, at);
        out[at++] = ':';
        at = twoDigits(secondOfDay / 60 % 60, out, at);
        out[at++] = ':';
        at = twoDigits(secondOfDay % 60, out, at);
        out[at++] = 'Z';
        return at;
    }

    /** {@link #slowUtcSeconds(OffsetDateTime)} of a time given as its epoch second. */
    private static String slowUtcSeconds(long seconds) {
        return seconds < FIRST_FOUR_DIGIT_YEAR_SECOND || seconds > LAST_FOUR_DIGIT_YEAR_SECOND
                ? DateTimeFormatter.ISO_INSTANT.format(Instant.ofEpochSecond(seconds)) : null;
    }

    /** For tests: {@link #utcSeconds} as the identity writes it. */
    static String utcSecondsAsWritten(OffsetDateTime time) {
        String slowText = slowUtcSeconds(time);
        char[] out = new char[utcSecondsLength(time, slowText)];
        writeUtcSeconds(time, slowText, out, 0);
        return new String(out);
    }

    private static int twoDigits(int value, char[] out, int at) {
        out[at] = (char) ('0' + value / 10);
        out[at + 1] = (char) ('0' + value % 10);
        return at + 2;
    }

    /**
     * {@code uuuu-MM-ddT} of one UTC day. The last one written is kept (immutable, so sharing it between
     * threads is safe): an export's records come in runs of the same day.
     */
    private static final class DayText {
        static final int LENGTH = 11;
        final long epochDay;
        final char[] text = new char[LENGTH];

        DayText(long epochDay) {
            this.epochDay = epochDay;
            LocalDate date = LocalDate.ofEpochDay(epochDay);
            int year = date.getYear();
            twoDigits(year / 100, text, 0);
            twoDigits(year % 100, text, 2);
            text[4] = '-';
            twoDigits(date.getMonthValue(), text, 5);
            text[7] = '-';
            twoDigits(date.getDayOfMonth(), text, 8);
            text[10] = 'T';
        }
    }
}
