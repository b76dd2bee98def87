package io.healthmesh.gateway.client;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.healthmesh.gateway.security.TestTokens;
import io.healthmesh.testsupport.RealStackResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * What a client sees when an internal service is away: a 503 problem with Retry-After when it
 * refuses connections (at once once its breaker is open), a 504 problem when it accepts but never
 * answers. The normalizer here is a socket that accepts and stays silent.
 */
@QuarkusTest
@WithTestResource(RealStackResource.class)
@TestProfile(DownstreamTest.SilentNormalizer.class)
class DownstreamTest {

    static final ServerSocket SILENT = openSilentServer();
    static final List<Socket> ACCEPTED = new ArrayList<>();

    public static class SilentNormalizer implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "quarkus.rest-client.normalizer-service.url", "http://127.0.0.1:" + SILENT.getLocalPort(),
                    "healthmesh.gateway.downstream.read-timeout", "2s",
                    "healthmesh.gateway.downstream.retries", "0",
                    "healthmesh.gateway.downstream.breaker-window", "4",
                    "healthmesh.gateway.downstream.breaker-delay", "60s");
        }
    }

    @Test
    void aServiceThatRefusesConnectionsIs503WithRetryAfter() {
        given().header("Authorization", TestTokens.bearer("alice"))
                .when().get("/api/v1/sources")
                .then().statusCode(503)
                .contentType("application/problem+json")
                .header("Retry-After", equalTo("5"))
                .body("type", equalTo("urn:healthmesh:problem:service-unavailable"))
                .body("detail", containsString("preferences-service"));
    }

    @Test
    void aServiceThatNeverAnswersIs504AndItsBreakerOpens() {
        for (int i = 0; i < 4; i++) {
            given().header("Authorization", TestTokens.bearer("alice"))
                    .when().get("/api/v1/me/summary?date=2026-01-01")
                    .then().statusCode(504)
                    .contentType("application/problem+json")
                    .body("type", equalTo("urn:healthmesh:problem:service-timeout"))
                    .body("detail", containsString("normalizer-service"));
        }
        // Four timeouts in a window of four: the breaker is open and the next call is not even tried.
        given().header("Authorization", TestTokens.bearer("alice"))
                .when().get("/api/v1/me/summary?date=2026-01-01")
                .then().statusCode(503)
                .header("Retry-After", equalTo("60"))
                .body("type", equalTo("urn:healthmesh:problem:service-unavailable"))
                .body("detail", containsString("does not call it"));
    }

    @AfterAll
    static void close() throws IOException {
        SILENT.close();
        synchronized (ACCEPTED) {
            for (Socket socket : ACCEPTED) {
                socket.close();
            }
        }
    }

    private static ServerSocket openSilentServer() {
        try {
            ServerSocket server = new ServerSocket(0);
            Thread acceptor = new Thread(() -> {
                while (!server.isClosed()) {
                    try {
                        Socket socket = server.accept();
                        synchronized (ACCEPTED) {
                            ACCEPTED.add(socket);
                        }
                    } catch (IOException closed) {
                        return;
                    }
                }
            }, "silent-normalizer");
            acceptor.setDaemon(true);
            acceptor.start();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
