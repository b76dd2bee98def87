package io.healthmesh.withings.service;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * What the three data types share: cursors (epoch seconds as text, Withings' {@code lastupdate}),
 * windows, zones and lenient reading of Withings' JSON.
 *
 * <p>Cursor rules, the same for every data type: an incremental run (no window) asks for what
 * changed since the cursor ({@code lastupdate}; 0 when nothing was synced yet) and returns the new
 * watermark; a windowed run (backfill, or a targeted sync from a notification) asks for the window
 * and returns null, so it never moves the cursor past changes outside its window.
 */
final class SyncSupport {

    private static final Logger LOG = Logger.getLogger(SyncSupport.class);

    private SyncSupport() {
    }

    /** The cursor as epoch seconds; 0 for none (or for one that is not ours, logged). */
    static long lastUpdate(String cursor, String dataType) {
        if (cursor == null || cursor.isBlank()) {
            return 0;
        }
        try {
            return Math.max(0, Long.parseLong(cursor.strip()));
        } catch (NumberFormatException e) {
            LOG.warnf("Withings %s cursor is not epoch seconds; syncing everything", dataType);
            return 0;
        }
    }

    /** Withings' lastupdate cursors are epoch seconds. */
    static String cursorAt(Instant instant) {
        return Long.toString(instant.getEpochSecond());
    }

    static boolean windowed(Instant from, Instant to) {
        return from != null || to != null;
    }

    /** The window's start, the epoch when open. */
    static Instant start(Instant from) {
        return from == null ? Instant.EPOCH : from;
    }

    /** The window's end (exclusive), now when open. */
    static Instant end(Instant to) {
        return to == null ? Instant.now() : to;
    }

    /**
     * Day-level services take local dates ({@code startdateymd}/{@code enddateymd}, inclusive) in
     * the user's zones, which we do not know: the range is widened by a day on each side of the UTC
     * dates, so any zone's days overlapping [from, to) are in it (the extra days are idempotent).
     */
    static void putDayRange(Map<String, String> params, Instant from, Instant to) {
        LocalDate first = LocalDate.ofInstant(start(from), ZoneOffset.UTC).minusDays(1);
        Instant end = end(to);
        LocalDate last = LocalDate.ofInstant(end.minusSeconds(1), ZoneOffset.UTC).plusDays(1);
        if (last.isBefore(first)) {
            last = first;
        }
        params.put("startdateymd", first.toString());
        params.put("enddateymd", last.toString());
    }

    /** The IANA zone of a Withings {@code timezone}, or null when absent or not a zone. */
    static ZoneId zone(String timezone) {
        if (timezone == null || timezone.isBlank()) {
            return null;
        }
        try {
            return ZoneId.of(timezone.strip());
        } catch (DateTimeException e) {
            return null;
        }
    }

    /** A zone for local times: the given one, else UTC. */
    static ZoneId zoneOrUtc(ZoneId zone) {
        return zone == null ? ZoneOffset.UTC : zone;
    }

    /** The zone's id for the {@code zone} field; null for none (UTC was only a stand-in). */
    static String zoneId(ZoneId zone) {
        return zone == null ? null : zone.getId();
    }

    static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull() || value.isContainerNode()) {
            return null;
        }
        String text = value.asText().strip();
        return text.isEmpty() ? null : text;
    }

    /** A number field (number or numeric string); null when absent, null or not a number. */
    static BigDecimal decimal(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (value.isNumber()) {
            return value.decimalValue();
        }
        if (value.isTextual()) {
            try {
                return new BigDecimal(value.asText().strip());
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }

    static Long integer(JsonNode node, String field) {
        BigDecimal value = decimal(node, field);
        if (value == null) {
            return null;
        }
        try {
            return value.longValueExact();
        } catch (ArithmeticException e) {
            return null;
        }
    }

    /** The larger watermark, ignoring nulls. */
    static Long later(Long a, Long b) {
        if (a == null) {
            return b;
        }
        return b == null ? a : Math.max(a, b);
    }
}
