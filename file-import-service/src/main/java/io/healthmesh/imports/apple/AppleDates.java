package io.healthmesh.imports.apple;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.ResolverStyle;
import java.time.temporal.ChronoField;

/**
 * Apple's {@code yyyy-MM-dd HH:mm:ss ±HHMM}, kept with its written offset.
 *
 * <p>Three timestamps per record make date parsing the main cost of an import; a formatter cuts
 * the parse rate to about a third (shared/notes/perf-floors.md), so the fixed layout is read by
 * hand and a formatter only sees what does not fit it.
 */
final class AppleDates {

    private static final int LENGTH = 25;
    private static final int MAX_OFFSET_SECONDS = 18 * 3600;
    private static final int QUARTER_HOUR = 900;
    private static final int QUARTERS_IN_18_HOURS = MAX_OFFSET_SECONDS / QUARTER_HOUR;
    /** -18:00, -17:45 ... +18:00. */
    private static final ZoneOffset[] QUARTER_HOURS = new ZoneOffset[2 * QUARTERS_IN_18_HOURS + 1];

    static {
        for (int i = 0; i < QUARTER_HOURS.length; i++) {
            QUARTER_HOURS[i] = ZoneOffset.ofTotalSeconds((i - QUARTERS_IN_18_HOURS) * QUARTER_HOUR);
        }
    }

    /**
     * The date last read. Three timestamps per record, and records in runs of one day, mostly name the
     * same date: comparing three ints is cheaper than building and validating a LocalDate each time.
     * Immutable, so sharing it between threads (imports in parallel) is safe; a race only costs a miss.
     */
    private static volatile LocalDate lastDate = LocalDate.EPOCH;

    /** Anything unusual: a 'T', fractions, an offset with a colon or Z. */
    private static final DateTimeFormatter FALLBACK = new DateTimeFormatterBuilder()
            .appendPattern("uuuu-MM-dd")
            .optionalStart().appendLiteral(' ').optionalEnd()
            .optionalStart().appendLiteral('T').optionalEnd()
            .appendPattern("HH:mm:ss")
            .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true).optionalEnd()
            .optionalStart().appendLiteral(' ').optionalEnd()
            .optionalStart().appendOffset("+HH:MM", "Z").optionalEnd()
            .optionalStart().appendOffset("+HHMM", "Z").optionalEnd()
            .toFormatter()
            // Smart resolving would turn 2023-02-29 into the 28th and 24:00 into the next day.
            .withResolverStyle(ResolverStyle.STRICT);

    private AppleDates() {
    }

    /** The instant with its written offset, or null when absent or unreadable. */
    static OffsetDateTime parse(String text) {
        if (text == null) {
            return null;
        }
        if (text.length() == LENGTH) {
            OffsetDateTime fast = parseFixedLayout(text);
            if (fast != null) {
                return fast;
            }
        }
        return parseUnusual(text);
    }

    private static OffsetDateTime parseFixedLayout(String s) {
        if (s.charAt(4) != '-' || s.charAt(7) != '-' || s.charAt(10) != ' ' || s.charAt(13) != ':'
                || s.charAt(16) != ':' || s.charAt(19) != ' ') {
            return null;
        }
        char sign = s.charAt(20);
        if (sign != '+' && sign != '-') {
            return null;
        }
        int year = digits(s, 0, 4);
        int month = digits(s, 5, 2);
        int day = digits(s, 8, 2);
        int hour = digits(s, 11, 2);
        int minute = digits(s, 14, 2);
        int second = digits(s, 17, 2);
        int offsetHours = digits(s, 21, 2);
        int offsetMinutes = digits(s, 23, 2);
        if ((year | month | day | hour | minute | second | offsetHours | offsetMinutes) < 0) {
            return null;
        }
        if (month < 1 || month > 12 || day < 1 || day > 28 && day > lengthOfMonth(year, month)
                || hour > 23 || minute > 59 || second > 59 || offsetHours > 18 || offsetMinutes > 59) {
            return null;
        }
        int offsetSeconds = offsetHours * 3600 + offsetMinutes * 60;
        if (offsetSeconds > MAX_OFFSET_SECONDS) {
            return null;
        }
        int totalSeconds = sign == '-' ? -offsetSeconds : offsetSeconds;
        // Every real offset is a whole quarter hour: taken from a table rather than ZoneOffset's cache,
        // a concurrent map looked up three times per record.
        ZoneOffset offset = totalSeconds % QUARTER_HOUR == 0 ? QUARTER_HOURS[totalSeconds / QUARTER_HOUR + QUARTERS_IN_18_HOURS]
                : ZoneOffset.ofTotalSeconds(totalSeconds);
        LocalDate date = lastDate;
        if (date.getDayOfMonth() != day || date.getMonthValue() != month || date.getYear() != year) {
            date = LocalDate.of(year, month, day);
            lastDate = date;
        }
        return OffsetDateTime.of(LocalDateTime.of(date, LocalTime.of(hour, minute, second)), offset);
    }

    private static int digits(String s, int from, int count) {
        int value = 0;
        for (int i = from; i < from + count; i++) {
            int digit = s.charAt(i) - '0';
            if (digit < 0 || digit > 9) {
                return -1;
            }
            value = value * 10 + digit;
        }
        return value;
    }

    private static int lengthOfMonth(int year, int month) {
        return switch (month) {
            case 2 -> (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) ? 29 : 28;
            case 4, 6, 9, 11 -> 30;
            default -> 31;
        };
    }

    private static OffsetDateTime parseUnusual(String text) {
        try {
            return OffsetDateTime.from(FALLBACK.parse(text.trim()));
        } catch (DateTimeException e) {
            return null;
        }
    }
}
