package io.healthmesh.oura.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.healthmesh.oura.service.WebhookSignatures.Verdict;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class WebhookSignaturesTest {

    private static final Instant NOW = Instant.parse("2024-03-12T07:41:33Z");
    private static final WebhookSignatures SIGNATURES = new WebhookSignatures("client-secret", Duration.ofMinutes(5),
            Clock.fixed(NOW, ZoneOffset.UTC));
    private static final byte[] BODY = "{\"event_type\": \"update\", \"data_type\": \"sleep\"}"
            .getBytes(StandardCharsets.UTF_8);

    @Test
    void theSignatureIsUpperCaseHexHmacSha256OfTimestampThenBody() {
        // HMAC-SHA256("client-secret", "1710229293" + body), computed independently (openssl dgst -sha256 -hmac).
        String signature = SIGNATURES.sign("1710229293", BODY);
        assertThat(signature).isEqualTo("28F1A42B866B0EBC1CCD7E26E7EA2BF9BCED62106CAFD222EDF0921FD2DDD823");
        assertThat(SIGNATURES.verify(BODY, "1710229293", signature)).isEqualTo(Verdict.VALID);
        assertThat(SIGNATURES.verify(BODY, "1710229293", signature.toLowerCase())).isEqualTo(Verdict.VALID);
    }

    @Test
    void timestampsInSecondsMillisecondsOrIsoAreRead() {
        for (String timestamp : new String[] {"1710229293", "1710229293000", "2024-03-12T07:41:33Z",
                "2024-03-12T07:41:33.118000+00:00"}) {
            assertThat(SIGNATURES.verify(BODY, timestamp, SIGNATURES.sign(timestamp, BODY))).as(timestamp)
                    .isEqualTo(Verdict.VALID);
        }
        String unreadable = "yesterday";
        assertThat(SIGNATURES.verify(BODY, unreadable, SIGNATURES.sign(unreadable, BODY))).isEqualTo(Verdict.STALE);
    }

    @Test
    void tooOldOrFromTheFutureIsStaleAndOtherBytesAreForged() {
        String old = Long.toString(NOW.minus(Duration.ofMinutes(6)).getEpochSecond());
        String future = Long.toString(NOW.plus(Duration.ofMinutes(6)).getEpochSecond());
        assertThat(SIGNATURES.verify(BODY, old, SIGNATURES.sign(old, BODY))).isEqualTo(Verdict.STALE);
        assertThat(SIGNATURES.verify(BODY, future, SIGNATURES.sign(future, BODY))).isEqualTo(Verdict.STALE);
        String now = Long.toString(NOW.getEpochSecond());
        byte[] other = "{\"event_type\":\"update\",\"data_type\":\"sleep\"}".getBytes(StandardCharsets.UTF_8);
        assertThat(SIGNATURES.verify(other, now, SIGNATURES.sign(now, BODY))).isEqualTo(Verdict.FORGED);
        assertThat(SIGNATURES.verify(BODY, now, null)).isEqualTo(Verdict.UNSIGNED);
        assertThat(SIGNATURES.verify(BODY, null, "AB")).isEqualTo(Verdict.UNSIGNED);
    }
}
