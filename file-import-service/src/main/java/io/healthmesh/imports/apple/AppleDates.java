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

    /** What {@link #epochSecond} answers where {@link #parse} answers null. */
    static final long ABSENT = Long.MIN_VALUE;
    private static final int NO_OFFSET = Integer.MIN_VALUE;
    private static final long SECONDS_PER_DAY = 86_400;

    /**
     * The date last read. Three timestamps per record, and records in runs of one day, mostly name the
     * same date: comparing three ints is cheaper than validating and building a LocalDate each time.
     * Immutable, so sharing it between threads (imports in parallel) is safe; a race only costs a miss.
     */
    private static volatile Day lastDay = new Day(1970, 1, 1, LocalDate.EPOCH);

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
            Day day = fixedLayoutDay(text);
            int secondOfDay = fixedLayoutSecondOfDay(text);
            int offsetSeconds = fixedLayoutOffsetSeconds(text);
            if (day != null && secondOfDay >= 0 && offsetSeconds != NO_OFFSET) {
                return OffsetDateTime.of(LocalDateTime.of(day.date, LocalTime.ofSecondOfDay(secondOfDay)),
                        offset(offsetSeconds));
            }
        }
        return parseUnusual(text);
    }

    /**
     * {@code parse(text).toEpochSecond()}, or {@link #ABSENT} where parse answers null. Spares the
     * OffsetDateTime where only the instant's second is needed (the creation date, used only in the
     * sample's identity).
     */
    static long epochSecond(String text) {
        if (text == null) {
            return ABSENT;
        }
        if (text.length() == LENGTH) {
            Day day = fixedLayoutDay(text);
            int secondOfDay = fixedLayoutSecondOfDay(text);
            int offsetSeconds = fixedLayoutOffsetSeconds(text);
            if (day != null && secondOfDay >= 0 && offsetSeconds != NO_OFFSET) {
                return day.epochDay * SECONDS_PER_DAY + secondOfDay - offsetSeconds;
            }
        }
        OffsetDateTime unusual = parseUnusual(text);
        return unusual == null ? ABSENT : unusual.toEpochSecond();
    }

    /** {@code yyyy-MM-dd } and the separators of the rest; null when they do not fit the layout. */
    private static Day fixedLayoutDay(String s) {
        if (s.charAt(4) != '-' || s.charAt(7) != '-' || s.charAt(10) != ' ' || s.charAt(13) != ':'
                || s.charAt(16) != ':' || s.charAt(19) != ' ') {
            return null;
        }
        int century = twoDigits(s, 0);
        int yearOfCentury = twoDigits(s, 2);
        int month = twoDigits(s, 5);
        int dayOfMonth = twoDigits(s, 8);
        if ((century | yearOfCentury | month | dayOfMonth) < 0) {
            return null;
        }
        int year = century * 100 + yearOfCentury;
        Day day = lastDay;
        if (day.dayOfMonth == dayOfMonth && day.month == month && day.year == year) {
            return day;
        }
        if (month < 1 || month > 12 || dayOfMonth < 1 || dayOfMonth > 28 && dayOfMonth > lengthOfMonth(year, month)) {
            return null;
        }
        day = new Day(year, month, dayOfMonth, LocalDate.of(year, month, dayOfMonth));
        lastDay = day;
        return day;
    }

    /** {@code HH:mm:ss} as seconds of the day, or -1. */
    private static int fixedLayoutSecondOfDay(String s) {
        int hour = twoDigits(s, 11);
        int minute = twoDigits(s, 14);
        int second = twoDigits(s, 17);
        if ((hour | minute | second) < 0 || hour > 23 || minute > 59 || second > 59) {
            return -1;
        }
        return hour * 3600 + minute * 60 + second;
    }

    /** {@code ±HHMM} as seconds, or {@link #NO_OFFSET}. */
    private static int fixedLayoutOffsetSeconds(String s) {
        char sign = s.charAt(20);
        if (sign != '+' && sign != '-') {
            return NO_OFFSET;
        }
        int offsetHours = twoDigits(s, 21);
        int offsetMinutes = twoDigits(s, 23);
        if ((offsetHours | offsetMinutes) < 0 || offsetHours > 18 || offsetMinutes > 59) {
            return NO_OFFSET;
        }
        int offsetSeconds = offsetHours * 3600 + offsetMinutes * 60;
        if (offsetSeconds > MAX_OFFSET_SECONDS) {
            return NO_OFFSET;
        }
        return sign == '-' ? -offsetSeconds : offsetSeconds;
    }

    private static ZoneOffset offset(int totalSeconds) {
        // Every real offset is a whole quarter hour: taken from a table rather than ZoneOffset's cache,
        // a concurrent map looked up three times per record.
        return totalSeconds % QUARTER_HOUR == 0 ? QUARTER_HOURS[totalSeconds / QUARTER_HOUR + QUARTERS_IN_18_HOURS]
                : ZoneOffset.ofTotalSeconds(totalSeconds);
    }

    /** A valid date of the fixed layout, with what parse and epochSecond need of it. */
    private static final class Day {
        final int year;
        final int month;
        final int dayOfMonth;
        final LocalDate date;
        final long epochDay;

        Day(int year, int month, int dayOfMonth, LocalDate date) {
            this.year = year;
            this.month = month;
            this.dayOfMonth = dayOfMonth;
            this.date = date;
            this.epochDay = date.toEpochDay();
        }
    }

    /** The two digits at {@code at}, or -1 if either is not a digit (checked without a branch per digit). */
    private static int twoDigits(String s, int at) {
        int tens = s.charAt(at) - '0';
        int ones = s.charAt(at + 1) - '0';
        // Negative when either is below 0 or above 9.
        if ((tens | (9 - tens) | ones | (9 - ones)) < 0) {
            return -1;
        }
        return tens * 10 + ones;
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
