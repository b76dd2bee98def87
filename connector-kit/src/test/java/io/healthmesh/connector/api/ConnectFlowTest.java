package io.healthmesh.connector.api;

import static io.healthmesh.connector.testing.KitApi.authorizationUrl;
import static io.healthmesh.connector.testing.KitApi.callback;
import static io.healthmesh.connector.testing.KitApi.connect;
import static io.healthmesh.connector.testing.KitApi.denied;
import static io.healthmesh.connector.testing.KitApi.internal;
import static io.healthmesh.connector.testing.KitApi.problem;
import static io.healthmesh.connector.testing.KitApi.queryParameter;
import static io.healthmesh.connector.testing.KitApi.reports;
import static io.healthmesh.connector.testing.KitApi.returnUrl;
import static io.healthmesh.connector.testing.KitApi.stateOf;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.healthmesh.connector.crypto.Pkce;
import io.healthmesh.connector.crypto.TokenCipher;
import io.healthmesh.connector.provider.ProviderException;
import io.healthmesh.connector.provider.TokenGrant;
import io.healthmesh.connector.testing.FakeWithings;
import io.healthmesh.connector.testing.KitDb;
import io.healthmesh.connector.testing.KitStackResource;
import io.healthmesh.connector.testing.LogCapture;
import io.healthmesh.connector.testing.RecordingHooks;
import io.healthmesh.connector.testing.RecordingSyncScheduler;
import io.healthmesh.contracts.status.ConnectionState;
import io.healthmesh.contracts.status.ConnectionStatus;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The OAuth2 authorization-code flow through the internal REST API, against real PostgreSQL and Kafka. */
@QuarkusTest
@WithTestResource(KitStackResource.class)
class ConnectFlowTest {

    @Inject
    FakeWithings withings;

    @Inject
    RecordingSyncScheduler scheduler;

    @Inject
    RecordingHooks hooks;

    @Inject
    TokenCipher cipher;

    @TestHTTPResource("/")
    URI base;

    private LogCapture log;

    @BeforeEach
    void reset() {
        withings.reset();
        scheduler.reset();
        hooks.reset();
        log = LogCapture.install();
    }

    @AfterEach
    void noSecretWasLogged() {
        log.assertNoneOf(withings.secrets());
    }

    private static String newUser() {
        return "user-" + UUID.randomUUID();
    }

    @Test
    void aConnectStoresEncryptedTokensQueuesTheBackfillReportsAndSendsTheBrowserBack() {
        String user = newUser();
        URI authorize = authorizationUrl(user);

        assertThat(authorize.toString()).startsWith(FakeWithings.AUTHORIZE);
        assertThat(queryParameter(authorize, "redirect_uri"))
                .isEqualTo("http://127.0.0.1:8080/api/v1/connect/withings/callback");
        String state = stateOf(authorize);
        assertThat(state).isNotBlank();

        Response answer = callback(state, "code-123");

        answer.then().statusCode(302);
        assertThat(answer.header("Location")).isEqualTo(returnUrl("withings", "connected"));
        FakeWithings.Exchange exchange = withings.exchanges().get(0);
        assertThat(exchange.code()).isEqualTo("code-123");
        assertThat(exchange.redirectUri()).isEqualTo("http://127.0.0.1:8080/api/v1/connect/withings/callback");
        assertThat(Pkce.s256Challenge(exchange.codeVerifier())).isEqualTo(queryParameter(authorize, "code_challenge"));

        TokenGrant grant = withings.lastGrant();
        Map<String, Object> row = KitDb.connection(user, "withings");
        assertThat(row.get("state")).isEqualTo("backfilling");
        assertThat(row.get("provider_user_id")).isEqualTo(grant.providerUserId());
        assertThat(row.get("scope")).isEqualTo("user.metrics,user.activity");
        assertThat(row.get("key_id")).isEqualTo(cipher.currentKeyId());
        assertThat(row.get("access_expires_at")).isNotNull();
        assertThat(row.get("connected_at")).isNotNull();
        byte[] access = (byte[]) row.get("access_token");
        byte[] refresh = (byte[]) row.get("refresh_token");
        assertThat(new String(access, StandardCharsets.ISO_8859_1)).doesNotContain(grant.accessToken());
        assertThat(new String(refresh, StandardCharsets.ISO_8859_1)).doesNotContain(grant.refreshToken());
        assertThat(contains(access, grant.accessToken().getBytes(StandardCharsets.UTF_8))).isFalse();
        assertThat(cipher.decrypt(access, "access|" + user + "|withings")).isEqualTo(grant.accessToken());
        assertThat(cipher.decrypt(refresh, "refresh|" + user + "|withings")).isEqualTo(grant.refreshToken());

        assertThat(scheduler.connected()).extracting(c -> c.userId() + "/" + c.source() + "/" + c.providerUserId())
                .containsExactly(user + "/withings/" + grant.providerUserId());
        assertThat(hooks.calls(user)).singleElement().satisfies(call -> {
            assertThat(call.what()).isEqualTo("connected");
            assertThat(call.accessToken()).isEqualTo(grant.accessToken());
            assertThat(call.providerUserId()).isEqualTo(grant.providerUserId());
        });
        List<ConnectionStatus> reports = reports(user, "withings");
        assertThat(reports).singleElement().satisfies(status -> {
            assertThat(status.state()).isEqualTo(ConnectionState.BACKFILLING);
            assertThat(status.progress()).isEqualTo(0.0);
            assertThat(status.updatedAt()).isNotNull();
            assertThat(status.key()).isEqualTo(user + ":withings");
        });

        internal().when().get("/internal/users/{u}/connections/withings", user)
                .then().statusCode(200)
                .body("source", org.hamcrest.Matchers.equalTo("withings"))
                .body("state", org.hamcrest.Matchers.equalTo("backfilling"))
                .body("scope", org.hamcrest.Matchers.equalTo("user.metrics,user.activity"))
                .body("connectedAt", org.hamcrest.Matchers.notNullValue())
                .body(org.hamcrest.Matchers.not(org.hamcrest.Matchers.containsString(grant.accessToken())))
                .body(org.hamcrest.Matchers.not(org.hamcrest.Matchers.containsString(grant.refreshToken())));
    }

    @Test
    void aStateIsGoodForOneCallbackOnly() {
        String user = newUser();
        String state = stateOf(authorizationUrl(user));
        callback(state, "code-1").then().statusCode(302);

        Map<String, Object> replayed = problem(callback(state, "code-2"), 400, "invalid-state");

        assertThat((String) replayed.get("detail")).contains("already completed");
        assertThat(withings.exchanges()).hasSize(1);
        assertThat(scheduler.connected()).hasSize(1);
    }

    @Test
    void twoCallbacksRacingOnOneStateMakeOneConnect() throws Exception {
        String user = newUser();
        String state = stateOf(authorizationUrl(user));
        URI url = base.resolve("/internal/connect/withings/callback?state="
                + java.net.URLEncoder.encode(state, StandardCharsets.UTF_8) + "&code=race");
        HttpClient client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
        CyclicBarrier start = new CyclicBarrier(2);
        List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            calls.add(CompletableFuture.supplyAsync(() -> {
                try {
                    start.await(10, TimeUnit.SECONDS);
                    return client.send(HttpRequest.newBuilder(url)
                            .header("Authorization", "Bearer local-service-secret").GET().build(),
                            HttpResponse.BodyHandlers.ofString());
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }));
        }
        List<Integer> statuses = new ArrayList<>();
        for (CompletableFuture<HttpResponse<String>> call : calls) {
            HttpResponse<String> response = call.get(60, TimeUnit.SECONDS);
            statuses.add(response.statusCode());
            if (response.statusCode() == 400) {
                assertThat(response.body()).contains("urn:healthmesh:problem:invalid-state").doesNotContain("Exception");
            }
        }

        assertThat(statuses).containsExactlyInAnyOrder(302, 400);
        assertThat(withings.exchanges()).hasSize(1);
        assertThat(scheduler.connected()).hasSize(1);
    }

    @Test
    void anExpiredStateIsRefused() {
        String user = newUser();
        String state = stateOf(authorizationUrl(user));
        String id = state.substring(0, state.indexOf('.'));
        assertThat(KitDb.update("UPDATE " + KitDb.schema() + ".oauth_state SET expires_at = now() - interval '1 second'"
                + " WHERE id = ?", id)).isEqualTo(1);

        Map<String, Object> expired = problem(callback(state, "code"), 400, "invalid-state");

        assertThat((String) expired.get("detail")).contains("expired");
        assertThat(withings.exchanges()).isEmpty();
        assertThat(KitDb.connection(user, "withings")).isEmpty();
    }

    @Test
    void aForgedOrUnknownStateIsRefusedAndLeavesTheRealOneUsable() {
        String user = newUser();
        String state = stateOf(authorizationUrl(user));
        String id = state.substring(0, state.indexOf('.'));
        String forged = id + "." + "A".repeat(43);

        problem(callback(forged, "code"), 400, "invalid-state");
        problem(callback("not-a-state", "code"), 400, "invalid-state");
        problem(callback(null, "code"), 400, "invalid-state");
        // A source this service does not serve (states are signed per source: StateSignerTest).
        problem(internal().queryParam("state", state).queryParam("code", "c")
                .when().get("/internal/connect/{s}/callback", "oura"), 404, "unknown-source");
        assertThat(withings.exchanges()).isEmpty();

        callback(state, "code").then().statusCode(302);
    }

    @Test
    void deniedConsentIsAProblemAndConsumesTheState() {
        String user = newUser();
        String state = stateOf(authorizationUrl(user));

        Map<String, Object> consent = problem(denied(state), 403, "consent-denied");

        assertThat((String) consent.get("detail")).contains("not granted");
        assertThat(withings.exchanges()).isEmpty();
        assertThat(KitDb.connection(user, "withings")).isEmpty();
        problem(callback(state, "code"), 400, "invalid-state");
        assertThat(scheduler.connected()).isEmpty();
    }

    @Test
    void aRefusedCodeIsACodeRefusedProblem() {
        String user = newUser();
        String state = stateOf(authorizationUrl(user));
        withings.failExchange(new ProviderException(ProviderException.Kind.GRANT_REFUSED, "invalid_grant"));

        problem(callback(state, "old-code"), 400, "code-refused");

        assertThat(KitDb.connection(user, "withings")).isEmpty();
        assertThat(scheduler.connected()).isEmpty();
    }

    @Test
    void aProviderThatIsDownIsABadGatewayProblem() {
        String user = newUser();
        withings.failExchange(new ProviderException(ProviderException.Kind.UNAVAILABLE, "503 from Withings"));
        problem(callback(stateOf(authorizationUrl(user)), "code"), 502, "provider-unavailable");

        // An adapter that blows up, with a secret in its message: still a problem, and the secret stays out.
        withings.failExchange(null);
        withings.crashExchange(new IllegalStateException("POST https://wbsapi.test/v2/oauth2 client_secret=s3cr3t-xyz"));
        Response crashed = callback(stateOf(authorizationUrl(user)), "code");
        problem(crashed, 502, "provider-failed");
        assertThat(crashed.asString()).doesNotContain("s3cr3t");
        assertThat(log.lines()).noneMatch(line -> line.contains("s3cr3t-xyz"));

        assertThat(KitDb.connection(user, "withings")).isEmpty();
    }

    @Test
    void aFailingConnectHookIsReportedAndTheBackfillStillQueued() {
        String user = newUser();
        hooks.failConnect(new ProviderException(ProviderException.Kind.FAILED, "subscribe refused"));

        connect(user);

        assertThat(reports(user, "withings")).singleElement().satisfies(status -> {
            assertThat(status.state()).isEqualTo(ConnectionState.ERROR);
            assertThat(status.reason()).contains("subscribe refused");
        });
        assertThat(scheduler.connected()).hasSize(1);
    }

    @Test
    void oneProviderAccountBelongsToOneOfOurUsers() {
        String first = newUser();
        String second = newUser();
        String account = "wu-" + UUID.randomUUID();
        withings.providerUserId(account);
        connect(first);

        problem(callback(stateOf(authorizationUrl(second)), "code"), 409, "provider-account-in-use");

        assertThat(KitDb.connection(second, "withings")).isEmpty();
        assertThat(KitDb.connection(first, "withings").get("state")).isEqualTo("backfilling");
        // The same user connecting again renews their own connection.
        connect(first);
        assertThat(scheduler.connected()).hasSize(2);
    }

    @Test
    void unknownSourcesAndMissingCredentialsAreProblems() {
        problem(internal().when().get("/internal/users/{u}/connect/{s}", newUser(), "fitbit"), 404, "unknown-source");
        problem(internal().when().get("/internal/users/{u}/connections/{s}", newUser(), "withings"), 404,
                "not-connected");
        problem(given().when().get("/internal/users/{u}/connect/withings", newUser()), 401, "unauthorized");
        problem(given().queryParam("state", "x").when().get("/internal/connect/withings/callback"), 401,
                "unauthorized");
    }

    @Test
    void theKitsMigrationRanInTheServiceSchema() {
        Map<String, Object> history = KitDb.row("SELECT script, success FROM " + KitDb.schema()
                + ".flyway_schema_history WHERE version = '900'");
        assertThat((String) history.get("script")).endsWith("V900__connections.sql");
        assertThat(history.get("success")).isEqualTo(true);
    }

    @Test
    void noTokenCodeOrVerifierEverReachesTheLog() {
        String user = newUser();
        connect(user);
        String state = stateOf(authorizationUrl(user));
        withings.failExchange(new ProviderException(ProviderException.Kind.GRANT_REFUSED, "invalid_grant"));
        callback(state, "secret-code-" + UUID.randomUUID()).then().statusCode(400);

        assertThat(log.lines()).anyMatch(line -> line.contains("User " + user + " connected withings"));
        assertThat(log.lines()).anyMatch(line -> line.contains("Code exchange for " + user + "/withings failed"));
        assertThat(withings.secrets()).isNotEmpty();
        log.assertNoneOf(withings.secrets());
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
