package io.healthmesh.oura;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import io.healthmesh.oura.client.OuraApi;
import io.healthmesh.oura.client.OuraHttp;
import io.healthmesh.oura.client.OuraWebhookApi;
import io.healthmesh.oura.config.OuraConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

/** Oura on WireMock (dynamic port), with the beans of this module wired to it by hand. */
public final class OuraSimulator implements AutoCloseable {

    public static final String CLIENT_ID = "oura-client-id-1";
    public static final String CLIENT_SECRET = "oura-s3cr3t-client-secret-0123456789";
    public static final String VERIFICATION_TOKEN = "oura-verification-token-1";
    /** "Now" of the tests: the day after the fixtures' nights. */
    public static final Instant NOW = Instant.parse("2024-03-13T10:00:00Z");
    public static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    public final WireMockServer server;
    public final OuraConfig config;
    public final OuraHttp http;
    public final OuraApi api;
    public final OuraWebhookApi webhooks;

    public OuraSimulator() {
        server = new WireMockServer(WireMockConfiguration.options().dynamicPort());
        server.start();
        config = config("http://127.0.0.1:" + server.port());
        http = new OuraHttp(config);
        api = new OuraApi(config, http);
        webhooks = new OuraWebhookApi(config, http);
    }

    public static OuraConfig config(String base) {
        return new Config(base, base + "/oauth/authorize", base + "/oauth/token", base + "/oauth/revoke", CLIENT_ID,
                CLIENT_SECRET, VERIFICATION_TOKEN, Duration.ofSeconds(2), Duration.ofSeconds(5),
                new SyncSettings(3, 7), new WebhookSettings(true, Duration.ofHours(12), Duration.ofDays(7),
                        Duration.ofMinutes(5)));
    }

    /** A GET of a collection. */
    public static MappingBuilder collection(String collection) {
        return get(urlPathEqualTo("/v2/usercollection/" + collection));
    }

    /** Answers HTTP 200 with a fixture of test-support's oura/. */
    public void stub(MappingBuilder request, String fixture) {
        server.stubFor(request.willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody(fixture(fixture))));
    }

    public static String fixture(String name) {
        try (InputStream in = OuraSimulator.class.getResourceAsStream("/oura/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        server.stop();
    }

    record Config(String apiUrl, String authUrl, String tokenUrl, String revokeUrl, String clientId,
            String clientSecret, String webhookVerificationToken, Duration connectTimeout, Duration requestTimeout,
            OuraConfig.Sync sync, OuraConfig.Webhook webhook) implements OuraConfig {
    }

    record SyncSettings(int lookbackDays, int heartRateChunkDays) implements OuraConfig.Sync {
    }

    record WebhookSettings(boolean subscribe, Duration checkInterval, Duration renewBefore, Duration maxAge)
            implements OuraConfig.Webhook {
    }
}
