package io.healthmesh.normalizer.domain;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.regex.Pattern;

/**
 * A read's time range: {@code [from, to)} as instants, and the local dates it covers in the
 * user's home zone. {@code from}/{@code to} are ISO-8601 instants with offset, or plain dates
 * (YYYY-MM-DD) meaning whole days in the home zone, {@code to} included.
 */
public record TimeWindow(Instant from, Instant to, LocalDate firstDate, LocalDate lastDate) {

    private static final Pattern PLAIN_DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");

    public static TimeWindow parse(String from, String to, ZoneId homeZone) {
        if (from == null || from.isBlank() || to == null || to.isBlank()) {
            throw new IllegalArgumentException("from and to are required (ISO-8601 instants with offset, or YYYY-MM-DD)");
        }
        Instant start = bound("from", from, homeZone, false);
        Instant end = bound("to", to, homeZone, true);
        if (!start.isBefore(end)) {
            throw new IllegalArgumentException("from must be before to");
        }
        return new TimeWindow(start, end, start.atZone(homeZone).toLocalDate(),
                end.minusNanos(1).atZone(homeZone).toLocalDate());
    }

    public boolean containsDate(LocalDate date) {
        return !date.isBefore(firstDate) && !date.isAfter(lastDate);
    }

    public boolean overlaps(Instant start, Instant end) {
        if (start.equals(end)) {
            return !start.isBefore(from) && start.isBefore(to);
        }
        return start.isBefore(to) && end.isAfter(from);
    }

    private static Instant bound(String name, String value, ZoneId homeZone, boolean endOfRange) {
        try {
            if (PLAIN_DATE.matcher(value).matches()) {
                LocalDate date = LocalDate.parse(value);
                return (endOfRange ? date.plusDays(1) : date).atStartOfDay(homeZone).toInstant();
            }
            return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(name + " must be an ISO-8601 instant with offset"
                    + " (2024-03-10T08:00:00+01:00) or a date (2024-03-10)");
        }
    }
}
