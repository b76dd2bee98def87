package io.healthmesh.withings;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import io.healthmesh.withings.client.WithingsApi;
import io.healthmesh.withings.client.WithingsHttp;
import io.healthmesh.withings.client.WithingsOAuth;
import io.healthmesh.withings.config.WithingsConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** Withings on WireMock (dynamic port), with the beans of this module wired to it by hand. */
public final class WithingsSimulator implements AutoCloseable {

    public static final String CLIENT_ID = "client-id-1";
    public static final String CLIENT_SECRET = "s3cr3t-client-secret-value-0123456789";
    public static final String NOTIFY_SECRET = "n0t1fy-secret";
    public static final String PUBLIC_BASE_URL = "https://health.example.org/";

    public final WireMockServer server;
    public final WithingsConfig config;
    public final WithingsHttp http;
    public final WithingsApi api;
    public final WithingsOAuth oauth;

    public WithingsSimulator() {
        server = new WireMockServer(WireMockConfiguration.options().dynamicPort());
        server.start();
        String base = "http://127.0.0.1:" + server.port();
        config = new Config(base, base + "/oauth2_user/authorize2", base + "/v2/oauth2", CLIENT_ID, CLIENT_SECRET,
                NOTIFY_SECRET, Duration.ofSeconds(2), Duration.ofSeconds(5));
        http = new WithingsHttp(config);
        api = new WithingsApi(config, http);
        oauth = new WithingsOAuth(config, http);
    }

    /** A POST to {@code path} with {@code action}. */
    public static MappingBuilder action(String path, String action) {
        return post(urlPathEqualTo(path)).withFormParam("action", equalTo(action));
    }

    /** Answers HTTP 200 with a fixture of src/test/resources/withings/. */
    public void stub(MappingBuilder request, String fixture) {
        server.stubFor(request.willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody(fixture(fixture))));
    }

    public static String fixture(String name) {
        try (InputStream in = WithingsSimulator.class.getResourceAsStream("/withings/" + name)) {
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

    record Config(String apiUrl, String authUrl, String tokenUrl, String clientId, String clientSecret,
            String notifySecret, Duration connectTimeout, Duration requestTimeout) implements WithingsConfig {
    }
}
