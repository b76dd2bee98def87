package io.healthmesh.systemtests.connectors;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import io.healthmesh.systemtests.harness.Harness;
import io.healthmesh.systemtests.harness.ServiceModule;
import io.healthmesh.testsupport.ServiceProcess;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Oura connector through the real services, the user's app and Oura calling the gateway's
 * public routes, with WireMock playing Oura in its documented
 * shapes: connect (standard OAuth2, the Oura user from personal_info) -> backfill of every data
 * type -> rows in PostgreSQL; the app's webhook subscriptions created at start; a signed webhook
 * for a re-analysed sleep updates its rows in place, a forged one changes nothing, a delete removes
 * the sleep's rows; a disconnect revokes the grant and leaves the app's subscriptions; a 403
 * (lapsed membership or missing scope) shows on the connection's status.
 */
class OuraIT {

    private static final String RETURN_URL = "https://app.example.org/connected";
    private static final LocalDate DAY = LocalDate.now(ZoneOffset.UTC).minusDays(1);
    private static final String ACTIVITY_ID = "act-" + UUID.randomUUID();
    private static final String SLEEP_ID = "slp-" + UUID.randomUUID();
    private static final String EMPTY = "{\"data\":[],\"next_token\":null}";

    private static Harness harness;
    private static WireMockServer oura;

    @BeforeAll
    static void start() {
        oura = new WireMockServer(options().dynamicPort());
        oura.start();
        String base = "http://127.0.0.1:" + oura.port();
        for (String collection : new String[] {"daily_sleep", "daily_readiness", "workout", "session", "daily_spo2",
                "daily_stress"}) {
            oura.stubFor(get(urlPathEqualTo("/v2/usercollection/" + collection)).willReturn(json(EMPTY)));
        }
        oura.stubFor(get(urlPathEqualTo("/v2/usercollection/daily_activity")).willReturn(json(dailyActivity())));
        oura.stubFor(get(urlPathEqualTo("/v2/usercollection/sleep")).willReturn(json("{\"data\":[" + sleep(48, 88)
                + "],\"next_token\":null}")));
        oura.stubFor(get(urlPathEqualTo("/v2/usercollection/heartrate")).willReturn(json(heartRate())));
        oura.stubFor(get(urlPathEqualTo("/v2/webhook/subscription")).willReturn(json("[]")));
        oura.stubFor(get(urlPathEqualTo("/oauth/revoke")).willReturn(aResponse().withStatus(200)));
        oura.stubFor(post(urlPathEqualTo("/v2/webhook/subscription")).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"id\":\"sub-1\",\"callback_url\":\"https://health.example.org/api/v1/webhooks/oura\","
                        + "\"event_type\":\"create\",\"data_type\":\"sleep\",\"expiration_time\":\""
                        + Instant.now().plus(90, ChronoUnit.DAYS) + "\"}")));

        harness = Harness.get();
        harness.start(ServiceModule.PREFERENCES, ServiceModule.NORMALIZER, ServiceModule.GATEWAY);
        Map<String, String> environment = new HashMap<>();
        environment.put("OURA_API_URL", base);
        environment.put("OURA_AUTH_URL", base + "/oauth/authorize");
        environment.put("OURA_TOKEN_URL", base + "/oauth/token");
        environment.put("OURA_REVOKE_URL", base + "/oauth/revoke");
        environment.put("OURA_WEBHOOK_SUBSCRIBE", "true");
        environment.put("HEALTHMESH_CONNECT_RETURN_URL", RETURN_URL);
        environment.put("HEALTHMESH_PUBLIC_BASE_URL", "https://health.example.org");
        environment.put("HEALTHMESH_CONNECTOR_SYNC_POLL_INTERVAL", "300ms");
        harness.startWith(ServiceModule.OURA, environment);
    }

    @AfterAll
    static void stop() {
        if (oura != null) {
            oura.stop();
        }
    }

    private static ResponseDefinitionBuilder json(String body) {
        return aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody(body);
    }

    private static String dailyActivity() {
        return """
                {"data":[{"id":"%s","score":82,"active_calories":612,"steps":11873,"total_calories":2684,
                 "equivalent_walking_distance":11240,"day":"%s","timestamp":"%sT04:00:00+01:00"}],"next_token":null}
                """.formatted(ACTIVITY_ID, DAY, DAY);
    }

    private static String sleep(int hrv, int efficiency) {
        return """
                {"id":"%s","average_breath":14.375,"average_heart_rate":53.25,"average_hrv":%d,"awake_time":2610,
                 "bedtime_end":"%sT07:02:31+01:00","bedtime_start":"%sT23:18:01+01:00","day":"%s",
                 "deep_sleep_duration":4890,"efficiency":%d,"latency":720,"light_sleep_duration":13440,
                 "lowest_heart_rate":48,"rem_sleep_duration":6900,"sleep_phase_5_min":"44221122223322211112333322224",
                 "time_in_bed":27870,"total_sleep_duration":25230,"type":"long_sleep"}
                """.formatted(SLEEP_ID, hrv, DAY, DAY.minusDays(1), DAY, efficiency);
    }

    private static String heartRate() {
        Instant at = Instant.now().minus(3, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
        return """
                {"data":[{"bpm":52,"source":"sleep","timestamp":"%s"},{"bpm":71,"source":"awake","timestamp":"%s"}],
                 "next_token":null}
                """.formatted(at, at.plusSeconds(300));
    }

    /** Oura grants tokens for {@code code} to its user {@code ouraUser}; personal_info names that user. */
    private static void grant(String code, String ouraUser, String tag) {
        oura.stubFor(post(urlPathEqualTo("/oauth/token")).withRequestBody(containing("code=" + code))
                .willReturn(json("""
                        {"token_type":"bearer","access_token":"access-%s","expires_in":86400,
                         "refresh_token":"refresh-%s","scope":"personal daily heartrate workout session spo2"}
                        """.formatted(tag, tag))));
        oura.stubFor(get(urlPathEqualTo("/v2/usercollection/personal_info"))
                .withHeader("Authorization", equalTo("Bearer access-" + tag))
                .willReturn(json("{\"id\":\"" + ouraUser + "\",\"age\":34}")));
    }

    private static ServiceProcess connector() {
        return harness.process(ServiceModule.OURA);
    }

    /** The public API as the user's app calls it: through the gateway, with the user's token. */
    private static RequestSpecification asUser(String user) {
        return given().baseUri(harness.process(ServiceModule.GATEWAY).baseUrl())
                .header("Authorization", harness.userBearer(user)).redirects().follow(false);
    }

    /** What Oura and the user's browser call: the gateway's public routes, no token. */
    private static RequestSpecification publicly() {
        return given().baseUri(harness.process(ServiceModule.GATEWAY).baseUrl()).redirects().follow(false);
    }

    private static Response connect(String user, String code) {
        String url = asUser(user).when().get("/api/v1/connect/oura")
                .then().statusCode(200).extract().jsonPath().getString("authorizationUrl");
        assertThat(url).startsWith("http://127.0.0.1:" + oura.port() + "/oauth/authorize");
        return publicly().queryParam("state", query(url, "state")).queryParam("code", code)
                .when().get("/api/v1/connect/oura/callback");
    }

    private static String query(String url, String name) {
        for (String pair : URI.create(url).getRawQuery().split("&")) {
            String[] kv = pair.split("=", 2);
            if (kv[0].equals(name)) {
                return URLDecoder.decode(kv[1], StandardCharsets.UTF_8);
            }
        }
        throw new AssertionError("no " + name + " in " + url);
    }

    private static long count(String sql, String... parameters) throws Exception {
        try (Connection db = harness.db(); PreparedStatement query = db.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                query.setString(i + 1, parameters[i]);
            }
            try (ResultSet row = query.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        }
    }

    private static Double value(String user, String sourceRecordId, String metric) throws Exception {
        try (Connection db = harness.db(); PreparedStatement query = db.prepareStatement(
                "select value from normalizer.unified_metric where user_id = ? and source = 'oura'"
                        + " and source_record_id = ? and metric = ?")) {
            query.setString(1, user);
            query.setString(2, sourceRecordId);
            query.setString(3, metric);
            try (ResultSet row = query.executeQuery()) {
                return row.next() ? row.getDouble(1) : null;
            }
        }
    }

    private static long rowsOf(String user, String sourceRecordId) throws Exception {
        return count("select count(*) from normalizer.unified_metric where user_id = ? and source_record_id = ?",
                user, sourceRecordId);
    }

    private static long sessionsOf(String user, String sourceRecordId) throws Exception {
        return count("select count(*) from normalizer.health_session where user_id = ? and source_record_id = ?",
                user, sourceRecordId);
    }

    /** A notification as Oura sends it: to the gateway's public route, which forwards it byte for byte. */
    private static Response webhook(String body, String timestamp, String signature) {
        RequestSpecification request = publicly().contentType("application/json")
                .body(body.getBytes(StandardCharsets.UTF_8));
        if (timestamp != null) {
            request = request.header("x-oura-timestamp", timestamp).header("x-oura-signature", signature);
        }
        return request.when().post("/api/v1/webhooks/oura");
    }

    private static String sign(String secret, String timestamp, String body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        mac.update(timestamp.getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().withUpperCase().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
    }

    private static String notification(String eventType, String ouraUser) {
        return "{\"event_type\":\"" + eventType + "\",\"data_type\":\"sleep\",\"object_id\":\"" + SLEEP_ID
                + "\",\"event_time\":\"" + Instant.now() + "\",\"user_id\":\"" + ouraUser + "\"}";
    }

    @Test
    void aConnectionBackfillsFollowsWebhooksUpdatesInPlaceAndRemovesADeletedDocument() throws Exception {
        String user = "oura-" + UUID.randomUUID();
        String ouraUser = "OU" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
        String tag = UUID.randomUUID().toString().substring(0, 8);
        grant("code-" + tag, ouraUser, tag);

        Response connected = connect(user, "code-" + tag);
        assertThat(connected.statusCode()).isEqualTo(302);
        assertThat(connected.header("Location")).startsWith(RETURN_URL).contains("outcome=connected");

        // Backfill: the day's activity, the night's session and readings, heart-rate samples.
        await().atMost(Duration.ofSeconds(120)).until(() -> value(user, ACTIVITY_ID, "steps") != null
                && value(user, SLEEP_ID, "hrv_rmssd") != null && sessionsOf(user, SLEEP_ID) == 1
                && count("select count(*) from normalizer.unified_metric where user_id = ? and metric = 'heart_rate'",
                        user) == 2);
        assertThat(value(user, ACTIVITY_ID, "steps")).isEqualTo(11873);
        assertThat(value(user, ACTIVITY_ID, "basal_energy")).isEqualTo(2684 - 612);
        assertThat(value(user, SLEEP_ID, "resting_heart_rate")).isEqualTo(48);
        assertThat(value(user, SLEEP_ID, "hrv_rmssd")).isEqualTo(48);
        assertThat(value(user, SLEEP_ID, "sleep_efficiency")).as("derived from the session").isEqualTo(88);
        long sleepRows = rowsOf(user, SLEEP_ID);
        oura.verify(getRequestedFor(urlPathEqualTo("/v2/usercollection/personal_info")));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                asUser(user).when().get("/api/v1/me/connections")
                        .then().statusCode(200).body("find { it.source == 'oura' }.state", org.hamcrest.Matchers.equalTo("connected")));

        // The app's subscriptions were created at start: one per event type and data type, our callback.
        await().atMost(Duration.ofSeconds(30)).until(() ->
                oura.findAll(postRequestedFor(urlPathEqualTo("/v2/webhook/subscription"))).size() == 24);
        oura.verify(postRequestedFor(urlPathEqualTo("/v2/webhook/subscription"))
                .withRequestBody(containing("\"callback_url\":\"https://health.example.org/api/v1/webhooks/oura\""))
                .withRequestBody(containing("\"verification_token\":\"" + Harness.OURA_VERIFICATION_TOKEN + "\"")));

        // Oura re-analysed the night: a signed update fetches the document; the rows change in place.
        oura.stubFor(get(urlPathEqualTo("/v2/usercollection/sleep/" + SLEEP_ID)).willReturn(json(sleep(55, 91))));
        String update = notification("update", ouraUser);
        String now = Long.toString(Instant.now().getEpochSecond());
        // Forged first: refused, nothing fetched.
        assertThat(webhook(update, now, sign("not-the-client-secret", now, update)).statusCode()).isEqualTo(401);
        assertThat(webhook(update, null, null).statusCode()).isEqualTo(401);
        // Signed right, but one byte of the body changed on the way: refused.
        String altered = update.replace("\"update\"", "\"updatE\"");
        assertThat(altered).hasSameSizeAs(update).isNotEqualTo(update);
        assertThat(webhook(altered, now, sign(Harness.OURA_CLIENT_SECRET, now, update)).statusCode()).isEqualTo(401);
        assertThat(oura.findAll(getRequestedFor(urlPathEqualTo("/v2/usercollection/sleep/" + SLEEP_ID)))).isEmpty();
        assertThat(webhook(update, now, sign(Harness.OURA_CLIENT_SECRET, now, update)).statusCode()).isEqualTo(200);
        assertThat(webhook(update, now, sign(Harness.OURA_CLIENT_SECRET, now, update)).statusCode())
                .as("a replay").isEqualTo(409);
        await().atMost(Duration.ofSeconds(60)).until(() -> Double.valueOf(55).equals(value(user, SLEEP_ID, "hrv_rmssd")));
        await().atMost(Duration.ofSeconds(30)).until(() -> Double.valueOf(91).equals(
                value(user, SLEEP_ID, "sleep_efficiency")));
        assertThat(rowsOf(user, SLEEP_ID)).as("updated in place, not duplicated").isEqualTo(sleepRows);
        assertThat(sessionsOf(user, SLEEP_ID)).isEqualTo(1);

        // The user deleted the night: every row and the session of that document go; the rest stays.
        String delete = notification("delete", ouraUser);
        String later = Long.toString(Instant.now().getEpochSecond());
        assertThat(webhook(delete, later, sign(Harness.OURA_CLIENT_SECRET, later, delete)).statusCode())
                .isEqualTo(200);
        await().atMost(Duration.ofSeconds(60)).until(() -> rowsOf(user, SLEEP_ID) == 0 && sessionsOf(user, SLEEP_ID) == 0);
        assertThat(value(user, ACTIVITY_ID, "steps")).isEqualTo(11873);

        // Disconnect: the grant revoked at Oura (GET ?access_token=), the app's subscriptions untouched, data kept.
        asUser(user).when().delete("/api/v1/me/connections/oura").then().statusCode(200);
        oura.verify(getRequestedFor(urlPathEqualTo("/oauth/revoke")).withQueryParam("access_token",
                equalTo("access-" + tag)));
        assertThat(oura.findAll(com.github.tomakehurst.wiremock.client.WireMock.deleteRequestedFor(
                com.github.tomakehurst.wiremock.client.WireMock.anyUrl()))).isEmpty();
        assertThat(value(user, ACTIVITY_ID, "steps")).isEqualTo(11873);

        String log = Files.readString(connector().logFile());
        assertThat(log).doesNotContain("access-" + tag).doesNotContain("refresh-" + tag)
                .doesNotContain(Harness.OURA_CLIENT_SECRET);
    }

    @Test
    void aForbiddenDataTypeShowsOnTheConnectionAsLapsedMembershipOrMissingScope() throws Exception {
        String user = "oura-" + UUID.randomUUID();
        String ouraUser = "OU" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
        String tag = UUID.randomUUID().toString().substring(0, 8);
        grant("code-" + tag, ouraUser, tag);
        oura.stubFor(get(urlPathMatching("/v2/usercollection/daily_spo2.*"))
                .withHeader("Authorization", equalTo("Bearer access-" + tag)).atPriority(1)
                .willReturn(aResponse().withStatus(403).withHeader("Content-Type", "application/json")
                        .withBody("{\"detail\":\"forbidden\"}")));

        assertThat(connect(user, "code-" + tag).statusCode()).isEqualTo(302);

        await().atMost(Duration.ofSeconds(120)).untilAsserted(() ->
                asUser(user).when().get("/api/v1/me/connections")
                        .then().statusCode(200).body("find { it.source == 'oura' }.state", org.hamcrest.Matchers.equalTo("error"))
                        .body("find { it.source == 'oura' }.reason", containsString("membership"))
                        .body("find { it.source == 'oura' }.reason", containsString("scope")));
        // The other data types still synced: a refusal is not a login failure.
        await().atMost(Duration.ofSeconds(60)).until(() -> value(user, ACTIVITY_ID, "steps") != null);
    }
}
