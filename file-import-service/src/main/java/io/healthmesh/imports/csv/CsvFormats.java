package io.healthmesh.imports.csv;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.ResolverStyle;
import java.time.temporal.ChronoField;
import java.time.temporal.TemporalAccessor;
import java.time.temporal.TemporalQueries;
import java.util.Locale;

/**
 * Dates and times with explicit {@link DateTimeFormatter} patterns only: strict resolving (no
 * 2024-02-30 turned into 02-29), AM/PM and month names case-insensitive in English, {@code yyyy}
 * usable as in everyday patterns. A one-letter field ({@code M}, {@code d}, {@code H}, {@code h})
 * accepts one or two digits, so {@code yyyy-M-d} reads both {@code 2016-9-26} and {@code 2016-09-26}.
 */
final class CsvFormats {

    /** The years a row's date may fall in; others are {@link CsvSkipReason#BAD_DATE}. */
    static final int MIN_YEAR = 1900;
    static final int MAX_YEAR = 2199;

    /** What a cell held: a date, a time, an offset, each null when the pattern has none. */
    record Parsed(LocalDate date, LocalTime time, ZoneOffset offset) {
    }

    private static final ZonedDateTime PROBE = ZonedDateTime.of(2024, 11, 23, 13, 45, 30, 0, ZoneOffset.UTC);

    private CsvFormats() {
    }

    /**
     * The formatter for a pattern.
     *
     * @throws IllegalArgumentException the pattern is not a valid {@link DateTimeFormatter} pattern
     */
    static DateTimeFormatter formatter(String pattern) {
        DateTimeFormatterBuilder builder = new DateTimeFormatterBuilder()
                .parseCaseInsensitive()
                .appendPattern(pattern);
        if (hasUnquoted(pattern, 'y') && !hasUnquoted(pattern, 'G')) {
            // Strict resolving needs an era for year-of-era (yyyy); every date we read is AD.
            builder.parseDefaulting(ChronoField.ERA, 1);
        }
        return builder.toFormatter(Locale.US).withResolverStyle(ResolverStyle.STRICT);
    }

    /** The cell's content, or null when it does not match. */
    static Parsed parse(DateTimeFormatter formatter, String text) {
        try {
            TemporalAccessor parsed = formatter.parse(text);
            LocalDate date = parsed.query(TemporalQueries.localDate());
            LocalTime time = parsed.query(TemporalQueries.localTime());
            ZoneOffset offset = parsed.query(TemporalQueries.offset());
            return new Parsed(date, time, offset);
        } catch (DateTimeException | ArithmeticException e) {
            return null;
        }
    }

    /** Null when the pattern is usable for dates (it yields a full date), else what is wrong. */
    static String dateProblem(String pattern) {
        Parsed probe = probe(pattern);
        if (probe == null) {
            return "'" + CsvCells.safe(pattern) + "' is not a valid date pattern (e.g. yyyy-MM-dd, M/d/yyyy)";
        }
        if (probe.date() == null) {
            return "'" + CsvCells.safe(pattern) + "' has no year, month and day";
        }
        return null;
    }

    /** Null when the pattern is usable for times (it yields a time of day), else what is wrong. */
    static String timeProblem(String pattern) {
        Parsed probe = probe(pattern);
        if (probe == null) {
            return "'" + CsvCells.safe(pattern) + "' is not a valid time pattern (e.g. HH:mm, h:mm a)";
        }
        if (probe.time() == null) {
            return "'" + CsvCells.safe(pattern) + "' has no time of day";
        }
        return null;
    }

    /** Formats a known instant with the pattern and reads it back; null when either fails. */
    private static Parsed probe(String pattern) {
        try {
            DateTimeFormatter formatter = formatter(pattern);
            return parse(formatter, formatter.format(PROBE));
        } catch (IllegalArgumentException | DateTimeException e) {
            return null;
        }
    }

    private static boolean hasUnquoted(String pattern, char letter) {
        boolean quoted = false;
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c == '\'') {
                quoted = !quoted;
            } else if (!quoted && c == letter) {
                return true;
            }
        }
        return false;
    }
}
