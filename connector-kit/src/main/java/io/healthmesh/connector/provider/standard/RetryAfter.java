package io.healthmesh.connector.provider.standard;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/** The {@code Retry-After} header (RFC 9110 section 10.2.3): delay seconds or an HTTP date. */
final class RetryAfter {

    private RetryAfter() {
    }

    /** The wait it asks for; null when absent, unreadable or not in the future. */
    static Duration parse(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String trimmed = value.strip();
        try {
            long seconds = Long.parseLong(trimmed);
            return seconds > 0 ? Duration.ofSeconds(seconds) : null;
        } catch (NumberFormatException notSeconds) {
            try {
                Instant at = ZonedDateTime.parse(trimmed, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                Duration wait = Duration.between(Instant.now(), at);
                return wait.isNegative() || wait.isZero() ? null : wait;
            } catch (DateTimeParseException notADate) {
                return null;
            }
        }
    }
}
