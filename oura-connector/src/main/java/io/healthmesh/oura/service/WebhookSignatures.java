package io.healthmesh.oura.service;

import io.healthmesh.oura.config.OuraConfig;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.HexFormat;
import java.util.Locale;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Checks an Oura notification: {@code x-oura-signature} must be the upper-case hex
 * HMAC-SHA256, keyed by the client secret, of the {@code x-oura-timestamp} string followed by the
 * body exactly as received (compared in constant time), and the timestamp must lie within
 * {@code oura.webhook.max-age} of now. The timestamp may be epoch seconds, epoch milliseconds or
 * an ISO-8601 instant (Oura's documentation does not pin the format down).
 */
@Singleton
public class WebhookSignatures {

    /** Why a delivery is refused, or that it is good. */
    public enum Verdict {
        VALID,
        /** No signature or no timestamp. */
        UNSIGNED,
        /** The signature is not ours over these bytes. */
        FORGED,
        /** Signed, but too old or from the future: a replay. */
        STALE
    }

    private static final long MILLIS_FROM = 100_000_000_000L;

    private final byte[] key;
    private final Duration maxAge;
    private final Clock clock;

    @Inject
    public WebhookSignatures(OuraConfig config, Clock clock) {
        this(config.clientSecret(), config.webhook().maxAge(), clock);
    }

    public WebhookSignatures(String clientSecret, Duration maxAge, Clock clock) {
        this.key = clientSecret.getBytes(StandardCharsets.UTF_8);
        this.maxAge = maxAge;
        this.clock = clock;
    }

    public Verdict verify(byte[] body, String timestamp, String signature) {
        if (timestamp == null || timestamp.isBlank() || signature == null || signature.isBlank()) {
            return Verdict.UNSIGNED;
        }
        byte[] expected = sign(timestamp, body).getBytes(StandardCharsets.US_ASCII);
        byte[] given = signature.strip().toUpperCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII);
        if (!MessageDigest.isEqual(expected, given)) {
            return Verdict.FORGED;
        }
        Instant at = instant(timestamp.strip());
        if (at == null || Duration.between(at, clock.instant()).abs().compareTo(maxAge) > 0) {
            return Verdict.STALE;
        }
        return Verdict.VALID;
    }

    /** Upper-case hex HMAC-SHA256 of timestamp + body (also what the tests sign with). */
    public String sign(String timestamp, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            mac.update(timestamp.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().withUpperCase().formatHex(mac.doFinal(body));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HMAC-SHA256 is not available", e);
        }
    }

    static Instant instant(String timestamp) {
        if (timestamp.chars().allMatch(Character::isDigit) && timestamp.length() <= 18) {
            long value = Long.parseLong(timestamp);
            return value >= MILLIS_FROM ? Instant.ofEpochMilli(value) : Instant.ofEpochSecond(value);
        }
        try {
            return OffsetDateTime.parse(timestamp).toInstant();
        } catch (DateTimeException e) {
            try {
                return Instant.parse(timestamp);
            } catch (DateTimeException again) {
                return null;
            }
        }
    }
}
