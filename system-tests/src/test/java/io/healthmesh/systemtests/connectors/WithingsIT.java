package io.healthmesh.systemtests.connectors;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.healthmesh.systemtests.harness.Harness;
import io.healthmesh.systemtests.harness.ServiceModule;
import io.healthmesh.testsupport.ServiceProcess;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Withings connector through the real services, with WireMock playing Withings in the
 * documented shapes: connect -> backfill -> rows in PostgreSQL, tokens only as ciphertext,
 * notification -> targeted sync, disconnect; two replicas on one database make one refresh call
 * (also when both are seen syncing the same expired connection at once) and stay inside the
 * shared rate budget.
 */
class WithingsIT {

    private static final int RATE_REQUESTS = 4;
    private static final Duration RATE_WINDOW = Duration.ofSeconds(2);
    private static final String RETURN_URL = "https://app.example.org/connected";
    // Each metric of the activity day and the one weight: steps, distance, floors, active and basal energy, exercise time.
    private static final int ROWS_PER_USER = 7;

    /** The refresh-token tag and Withings user id each connected user was granted (for later refreshes). */
    private static final Map<String, String> REFRESH_TAGS = new HashMap<>();
    private static final Map<String, Integer> WITHINGS_USERS = new HashMap<>();

    private static Harness harness;
    private static WireMockServer withings;
    private static Map<String, String> environment;

    @BeforeAll
    static void start() {
        withings = new WireMockServer(options().dynamicPort());
        withings.start();
        String base = "http://127.0.0.1:" + withings.port();
        withings.stubFor(action("/measure", "getmeas").willReturn(json(getmeas())));
        withings.stubFor(action("/v2/measure", "getactivity").willReturn(json(getactivity())));
        withings.stubFor(action("/v2/sleep", "getsummary").willReturn(json(
                "{\"status\":0,\"body\":{\"series\":[],\"more\":false,\"offset\":0}}")));
        withings.stubFor(post(urlPathEqualTo("/notify")).willReturn(json("{\"status\":0,\"body\":{}}")));

        harness = Harness.get();
        harness.start(ServiceModule.PREFERENCES, ServiceModule.NORMALIZER, ServiceModule.GATEWAY);
        environment = new HashMap<>();
        environment.put("WITHINGS_API_URL", base);
        environment.put("WITHINGS_AUTH_URL", base + "/oauth2_user/authorize2");
        environment.put("WITHINGS_TOKEN_URL", base + "/v2/oauth2");
        environment.put("HEALTHMESH_CONNECT_RETURN_URL", RETURN_URL);
        environment.put("HEALTHMESH_PUBLIC_BASE_URL", "https://health.example.org");
        environment.put("HEALTHMESH_CONNECTOR_SYNC_POLL_INTERVAL", "300ms");
        // One task at a time per replica: tasks of one connection queued together spread over the replicas.
        environment.put("HEALTHMESH_CONNECTOR_SYNC_CONCURRENT_TASKS", "1");
        environment.put("HEALTHMESH_CONNECTOR_RATE_LIMIT_REQUESTS", String.valueOf(RATE_REQUESTS));
        environment.put("HEALTHMESH_CONNECTOR_RATE_LIMIT_WINDOW", RATE_WINDOW.toMillis() + "ms");
        harness.startWith(ServiceModule.WITHINGS, environment);
    }

    @AfterAll
    static void stop() {
        if (withings != null) {
            withings.stop();
        }
    }

    private static MappingBuilder action(String path, String action) {
        return post(urlPathEqualTo(path)).withRequestBody(containing("action=" + action));
    }

    private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder json(String body) {
        return aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody(body);
    }

    private static String getmeas() {
        long at = Instant.now().minus(Duration.ofDays(2)).getEpochSecond();
        return """
                {"status":0,"body":{"updatetime":%d,"timezone":"Europe/Berlin","measuregrps":[
                 {"grpid":9001,"attrib":0,"date":%d,"created":%d,"modified":%d,"category":1,
                  "deviceid":"d1","hash_deviceid":"d1","model":"Body Cardio","modelid":6,
                  "measures":[{"value":7250,"type":1,"unit":-2,"algo":0,"fm":3}]}],"more":0,"offset":0}}
                """.formatted(at, at, at, at, at);
    }

    private static String getactivity() {
        return """
                {"status":0,"body":{"activities":[{"date":"2026-11-20","timezone":"Europe/Berlin",
                 "deviceid":"w1","hash_deviceid":"w1","brand":1,"is_tracker":true,"model":"ScanWatch 2","modelid":94,
                 "steps":9412,"distance":7036.42,"elevation":6,"soft":4320,"moderate":1860,"intense":600,
                 "active":2460,"calories":412.6,"totalcalories":2398.1,"modified":1763600000}],
                 "more":false,"offset":0}}
                """;
    }

    /** Withings grants this user tokens for {@code code}; refreshing rotates them. */
    private static void grant(String code, int withingsUser, String tag, int expiresIn) {
        withings.stubFor(post(urlPathEqualTo("/v2/oauth2")).withRequestBody(containing("code=" + code))
                .willReturn(json(token(withingsUser, "access-" + tag + "-1", "refresh-" + tag + "-1", expiresIn))));
        withings.stubFor(post(urlPathEqualTo("/v2/oauth2"))
                .withRequestBody(containing("refresh_token=refresh-" + tag + "-1"))
                .willReturn(json(token(withingsUser, "access-" + tag + "-2", "refresh-" + tag + "-2", 10800))));
    }

    private static String token(int userId, String access, String refresh, int expiresIn) {
        return """
                {"status":0,"body":{"userid":%d,"access_token":"%s","refresh_token":"%s","expires_in":%d,
                 "scope":"user.info,user.metrics,user.activity","token_type":"Bearer"}}
                """.formatted(userId, access, refresh, expiresIn);
    }

    private static RequestSpecification call(ServiceProcess service) {
        return given().baseUri(service.baseUrl()).header("Authorization", harness.bearer()).redirects().follow(false);
    }

    private static ServiceProcess connector() {
        return harness.process(ServiceModule.WITHINGS);
    }

    /** Asks for the authorization URL as the app would; answers the state it carries. */
    private static String authorize(String user) {
        String url = call(connector()).when().get("/internal/users/{u}/connect/withings", user)
                .then().statusCode(200)
                .body("authorizationUrl", startsWith("http://127.0.0.1:" + withings.port() + "/oauth2_user/authorize2"))
                .extract().jsonPath().getString("authorizationUrl");
        assertThat(query(url, "redirect_uri")).isEqualTo("https://health.example.org/api/v1/connect/withings/callback");
        return query(url, "state");
    }

    /** Plays the browser coming back from Withings' consent page. */
    private static Response callback(String state, String code) {
        return call(connector()).queryParam("state", state).queryParam("code", code)
                .when().get("/internal/connect/withings/callback");
    }

    private static Response connect(String user, String code) {
        return callback(authorize(user), code);
    }

    private static String query(String url, String name) {
        for (String pair : URI.create(url).getRawQuery().split("&")) {
            String[] kv = pair.split("=", 2);
            if (kv[0].equals(name)) {
                return java.net.URLDecoder.decode(kv[1], StandardCharsets.UTF_8);
            }
        }
        throw new AssertionError("no " + name + " in " + url);
    }

    private static byte[][] storedTokens(String user) throws Exception {
        try (Connection db = harness.db(); PreparedStatement query = db.prepareStatement(
                "select access_token, refresh_token from withings.connection where user_id = ?")) {
            query.setString(1, user);
            try (ResultSet row = query.executeQuery()) {
                assertThat(row.next()).as("connection row of %s", user).isTrue();
                return new byte[][] {row.getBytes(1), row.getBytes(2)};
            }
        }
    }

    private static double storedValue(String user, String metric) throws Exception {
        try (Connection db = harness.db(); PreparedStatement query = db.prepareStatement(
                "select value from normalizer.unified_metric where user_id = ? and metric = ? and source = 'withings'")) {
            query.setString(1, user);
            query.setString(2, metric);
            try (ResultSet row = query.executeQuery()) {
                assertThat(row.next()).as("%s of %s", metric, user).isTrue();
                return row.getDouble(1);
            }
        }
    }

    private static int withingsUser() {
        return ThreadLocalRandom.current().nextInt(1_000_000, 9_000_000);
    }

    @Test
    void aConnectionBackfillsIntoPostgresKeepsTokensSecretFollowsNotificationsAndDisconnects() throws Exception {
        String user = "withings-" + UUID.randomUUID();
        int withingsUser = withingsUser();
        String tag = UUID.randomUUID().toString().substring(0, 8);
        grant("code-" + tag, withingsUser, tag, 10800);

        String state = authorize(user);
        Response connected = callback(state, "code-" + tag);
        assertThat(connected.statusCode()).isEqualTo(302);
        assertThat(connected.header("Location")).startsWith(RETURN_URL).contains("outcome=connected");
        // The state is single-use: a replayed callback is refused as a problem, not a stack trace.
        callback(state, "code-" + tag).then().statusCode(400)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:healthmesh:problem:invalid-state"));
        callback("forged." + state, "code-" + tag).then().statusCode(400);

        await().atMost(Duration.ofSeconds(90)).until(() -> harness.metricRows(user) == ROWS_PER_USER);
        assertThat(storedValue(user, "body_mass")).isEqualTo(72.5);
        assertThat(storedValue(user, "steps")).isEqualTo(9412);
        withings.verify(postRequestedFor(urlPathEqualTo("/notify")).withRequestBody(containing("action=subscribe"))
                .withRequestBody(containing("webhooks%2Fwithings%2F" + Harness.WITHINGS_NOTIFY_SECRET)));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                call(harness.process(ServiceModule.PREFERENCES)).when().get("/internal/users/{u}/connections", user)
                        .then().statusCode(200).body("find { it.source == 'withings' }.state", equalTo("connected")));

        // Tokens are ciphertext at rest and never logged.
        byte[][] tokens = storedTokens(user);
        for (byte[] column : tokens) {
            assertThat(new String(column, StandardCharsets.ISO_8859_1)).doesNotContain("access-" + tag)
                    .doesNotContain("refresh-" + tag);
        }
        String log = Files.readString(connector().logFile());
        assertThat(log).doesNotContain("access-" + tag).doesNotContain("refresh-" + tag)
                .doesNotContain("it-withings-client-secret");

        // Withings calls the gateway's public route, which forwards to the connector as it is. A
        // notification with the wrong secret changes nothing; the right one syncs that window.
        String form = "userid=" + withingsUser + "&appli=1&startdate=1763500000&enddate=1763503600";
        int windowedBefore = windowedMeasureCalls();
        String gateway = harness.process(ServiceModule.GATEWAY).baseUrl();
        given().baseUri(gateway).contentType("application/x-www-form-urlencoded").body(form)
                .when().post("/api/v1/webhooks/withings/{secret}", "wrong-secret")
                .then().statusCode(404);
        given().baseUri(gateway).urlEncodingEnabled(false)
                .when().post("/api/v1/webhooks/withings/{secret}", "..%2F..%2Fusers%2Fx%2Fconnections%2Fwithings")
                .then().statusCode(404);
        given().baseUri(gateway).when().head("/api/v1/webhooks/withings/{secret}", Harness.WITHINGS_NOTIFY_SECRET)
                .then().statusCode(200);
        given().baseUri(gateway).contentType("application/x-www-form-urlencoded").body(form)
                .when().post("/api/v1/webhooks/withings/{secret}", Harness.WITHINGS_NOTIFY_SECRET)
                .then().statusCode(200);
        await().atMost(Duration.ofSeconds(30)).until(() -> windowedMeasureCalls() > windowedBefore);
        assertThat(harness.metricRows(user)).as("the same group again is the same row").isEqualTo(ROWS_PER_USER);

        // Disconnect: notifications revoked, tokens deleted, status disconnected, data kept.
        call(connector()).when().delete("/internal/users/{u}/connections/withings", user).then().statusCode(200);
        withings.verify(postRequestedFor(urlPathEqualTo("/notify")).withRequestBody(containing("action=revoke")));
        tokens = storedTokens(user);
        assertThat(tokens[0]).isNull();
        assertThat(tokens[1]).isNull();
        assertThat(harness.metricRows(user)).as("imported data stays").isEqualTo(ROWS_PER_USER);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                call(harness.process(ServiceModule.PREFERENCES)).when().get("/internal/users/{u}/connections", user)
                        .then().statusCode(200).body("find { it.source == 'withings' }.state", equalTo("disconnected")));
    }

    private static int windowedMeasureCalls() {
        return withings.findAll(postRequestedFor(urlPathEqualTo("/measure"))
                .withRequestBody(containing("startdate=1763500000"))).size();
    }

    @Test
    void twoReplicasRefreshOnceAndStayInsideTheSharedRateBudget() throws Exception {
        ServiceProcess second = harness.startReplica(ServiceModule.WITHINGS, environment);
        List<String> users = new ArrayList<>();
        String tag = UUID.randomUUID().toString().substring(0, 8);
        // The access token expires inside the refresh margin: the first token any sync asks for is refreshed.
        grant("code-" + tag, withingsUser(), tag, 60);
        String user = "withings-" + UUID.randomUUID();
        users.add(user);
        Instant from = Instant.now();
        assertThat(connect(user, "code-" + tag).statusCode()).isEqualTo(302);
        // More connections, so that both replicas have tasks to claim at once.
        for (int i = 0; i < 3; i++) {
            String other = "withings-" + UUID.randomUUID();
            String otherTag = UUID.randomUUID().toString().substring(0, 8);
            int otherWithingsUser = withingsUser();
            REFRESH_TAGS.put(other, otherTag);
            WITHINGS_USERS.put(other, otherWithingsUser);
            grant("code-" + otherTag, otherWithingsUser, otherTag, 10800);
            assertThat(connect(other, "code-" + otherTag).statusCode()).isEqualTo(302);
            users.add(other);
        }

        await().atMost(Duration.ofSeconds(120)).until(() -> {
            for (String u : users) {
                if (harness.metricRows(u) != ROWS_PER_USER) {
                    return false;
                }
            }
            return true;
        });
        assertThat(withings.findAll(postRequestedFor(urlPathEqualTo("/v2/oauth2"))
                .withRequestBody(containing("refresh_token=refresh-" + tag + "-1")))).hasSize(1);
        assertThat(second.isAlive()).isTrue();

        // Every data call of both replicas since the connects, in any sliding window: at most the budget.
        List<Instant> calls = new ArrayList<>();
        for (LoggedRequest request : withings.findAll(postRequestedFor(com.github.tomakehurst.wiremock.client.WireMock
                .urlMatching("/(measure|v2/measure|v2/sleep)")))) {
            Instant at = request.getLoggedDate().toInstant();
            if (!at.isBefore(from)) {
                calls.add(at);
            }
        }
        calls.sort(null);
        assertThat(calls.size()).as("enough calls to test the budget").isGreaterThan(RATE_REQUESTS * 2);
        for (int i = 0; i + RATE_REQUESTS < calls.size(); i++) {
            // Measured where WireMock received them, a little after the budget granted them: allow 100 ms.
            assertThat(Duration.between(calls.get(i), calls.get(i + RATE_REQUESTS)))
                    .as("call %d and call %d", i, i + RATE_REQUESTS)
                    .isGreaterThan(RATE_WINDOW.minusMillis(100));
        }

        bothReplicasSyncingOneExpiredConnectionRefreshItOnce(users.get(1));
    }

    /**
     * The access token of a connected user expires; syncs of its three data types are queued at
     * once, and while Withings takes its time answering the refresh, each replica is running one
     * of them (seen in the task table). Exactly one refresh reaches Withings: the other replica
     * waits on the connection's row lock and then uses the new token.
     */
    private void bothReplicasSyncingOneExpiredConnectionRefreshItOnce(String user) throws Exception {
        byte[][] before = storedTokens(user);
        String refreshed = "access-race-" + UUID.randomUUID().toString().substring(0, 8);
        String tag = refreshTagOf(user);
        withings.stubFor(post(urlPathEqualTo("/v2/oauth2")).withRequestBody(containing("refresh_token=refresh-" + tag + "-1"))
                .willReturn(json(token(withingsUserOf(user), refreshed, "refresh-" + tag + "-race", 10800))
                        .withFixedDelay(3000)));
        update("update withings.connection set access_expires_at = now() - interval '1 minute' where user_id = ?", user);
        for (String dataType : List.of("measures", "activity", "sleep")) {
            update("insert into withings.sync_task (id, user_id, source, data_type, kind) values (?::uuid, ?, 'withings', ?, 'targeted')",
                    UUID.randomUUID().toString(), user, dataType);
        }

        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> runningOwners(user) == 2);
        await().atMost(Duration.ofSeconds(60)).until(() -> pendingTasks(user) == 0);

        assertThat(withings.findAll(postRequestedFor(urlPathEqualTo("/v2/oauth2"))
                .withRequestBody(containing("refresh_token=refresh-" + tag + "-1")))).hasSize(1);
        assertThat(storedTokens(user)[0]).isNotEqualTo(before[0]);
        assertThat(withings.findAll(postRequestedFor(com.github.tomakehurst.wiremock.client.WireMock
                .urlMatching("/(measure|v2/measure|v2/sleep)")).withHeader("Authorization",
                        com.github.tomakehurst.wiremock.client.WireMock.equalTo("Bearer " + refreshed))))
                .as("every data type synced with the one refreshed token").hasSizeGreaterThanOrEqualTo(3);
    }

    private static String refreshTagOf(String user) {
        return REFRESH_TAGS.get(user);
    }

    private static int withingsUserOf(String user) {
        return WITHINGS_USERS.get(user);
    }

    private static int runningOwners(String user) throws Exception {
        return count("select count(distinct lease_owner) from withings.sync_task where user_id = ? and state = 'running'",
                user);
    }

    private static int pendingTasks(String user) throws Exception {
        return count("select count(*) from withings.sync_task where user_id = ? and state in ('queued', 'running')",
                user);
    }

    private static int count(String sql, String user) throws Exception {
        try (Connection db = harness.db(); PreparedStatement query = db.prepareStatement(sql)) {
            query.setString(1, user);
            try (ResultSet row = query.executeQuery()) {
                row.next();
                return row.getInt(1);
            }
        }
    }

    private static void update(String sql, String... parameters) throws Exception {
        try (Connection db = harness.db(); PreparedStatement statement = db.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setString(i + 1, parameters[i]);
            }
            statement.executeUpdate();
        }
    }
}
