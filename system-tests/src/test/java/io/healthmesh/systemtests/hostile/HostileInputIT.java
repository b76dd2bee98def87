package io.healthmesh.systemtests.hostile;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import io.healthmesh.contracts.source.Topics;
import io.healthmesh.systemtests.harness.Harness;
import io.healthmesh.systemtests.harness.ServiceModule;
import io.healthmesh.testsupport.LocalStack;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.Stream;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The hostile-input suite (issue 11): every case goes to the gateway's public {@code /api/v1}
 * routes of the real, packaged services (real PostgreSQL and Kafka; Withings and Oura are a
 * WireMock that answers nothing, so no case can reach a real provider), with real bearer tokens.
 *
 * <p>Each case runs as a user of its own and asserts: the exact 4xx, {@code application/problem+json}
 * with type, title, status and detail and no stack trace, and no side effect: what every service's
 * schema holds of the user (and of a victim user, whose job the cases try to reach) is the same
 * after the request as before it, and no record on any of the run's topics mentions either user
 * beyond what the case's own setup put there.
 *
 * <p>Three Apple Health exports (XXE, billion laughs, broken XML) are refused only once a job parses
 * them: the upload is sniffed at once for what the first bytes and a zip's directory tell (zip
 * bombs, zip slip and other non-exports are 422 there), but XML is XML until it is parsed. For those
 * the case asserts what the service does by design: a 202 with a job that then fails with a reason
 * naming the line, and nothing published and nothing written (the attack comes before any record).
 */
class HostileInputIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PROBLEM_JSON = "application/problem+json";
    private static final String NUTRITION_CSV = """
            Date,Meal,Calories,Fat (g),Carbohydrates (g),Protein (g)
            2025-03-06,Breakfast,412.0,17.2,38.5,24.1
            2025-03-06,Dinner,655.0,22.0,71.0,41.0
            """;
    private static final String SQL = "'; DROP TABLE normalizer.unified_metric; --";
    private static final String XSS = "<script>alert(1)</script>";
    private static final String JNDI = "${jndi:ldap://127.0.0.1:1/a}";

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    private static Harness harness;
    private static WireMockServer providers;
    private static TopicWatch topics;
    /**
     * In every user id of this suite: the topic watch keeps only records that mention it (the
     * run's topics also hold every other suite's records, e.g. whole Apple imports, too many to
     * keep as text in the test JVM).
     */
    private static final String SUITE_RUN = "hostile-run-" + UUID.randomUUID().toString().substring(0, 8);
    private static DatabaseState database;
    private static Tokens tokens;
    private static String gateway;
    /** A user with a CSV job awaiting its mapping: the cases try to read, map and cancel it. */
    private static String victim;
    private static String victimJob;
    private static String victimMapping;

    @BeforeAll
    static void start() throws Exception {
        // Providers answer 404 to everything: nothing a case triggers could reach the real Withings or Oura.
        providers = new WireMockServer(options().dynamicPort());
        providers.start();
        String simulated = "http://127.0.0.1:" + providers.port();
        Map<String, String> connectors = new HashMap<>();
        connectors.put("HEALTHMESH_CONNECT_RETURN_URL", "https://app.example.org/connected");
        connectors.put("HEALTHMESH_PUBLIC_BASE_URL", "https://health.example.org");
        Map<String, String> withings = new HashMap<>(connectors);
        withings.put("WITHINGS_API_URL", simulated);
        withings.put("WITHINGS_AUTH_URL", simulated + "/oauth2_user/authorize2");
        withings.put("WITHINGS_TOKEN_URL", simulated + "/v2/oauth2");
        Map<String, String> oura = new HashMap<>(connectors);
        oura.put("OURA_API_URL", simulated);
        oura.put("OURA_AUTH_URL", simulated + "/oauth/authorize");
        oura.put("OURA_TOKEN_URL", simulated + "/oauth/token");
        oura.put("OURA_REVOKE_URL", simulated + "/oauth/revoke");

        harness = Harness.get();
        Map<ServiceModule, Map<String, String>> services = new LinkedHashMap<>();
        services.put(ServiceModule.PREFERENCES, Map.of());
        services.put(ServiceModule.NORMALIZER, Map.of());
        services.put(ServiceModule.FILE_IMPORT, Map.of());
        services.put(ServiceModule.GATEWAY, Map.of());
        services.put(ServiceModule.WITHINGS, withings);
        services.put(ServiceModule.OURA, oura);
        harness.startAllWith(services);
        gateway = harness.process(ServiceModule.GATEWAY).baseUrl();

        tokens = new Tokens(harness.userTokenSigningKey(), Harness.userTokenIssuer());
        database = new DatabaseState(() -> {
            try {
                return harness.db();
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        });
        List<String> watched = new ArrayList<>();
        for (String raw : Topics.RAW_TOPICS) {
            watched.add(harness.topic(raw));
            watched.add(harness.topic(Topics.dlq(raw)));
        }
        watched.add(harness.topic(Topics.PREFERENCES));
        watched.add(harness.topic(Topics.CONNECTION_STATUS));
        watched.add(harness.topic(Topics.INGEST_OUTCOME));
        topics = new TopicWatch(LocalStack.kafkaBootstrapServers(), watched, SUITE_RUN);

        victim = suiteUser("victim");
        Ctx victimContext = new Ctx(victim);
        HttpResponse<String> uploaded = send(at("/api/v1/imports/csv").header("Authorization", victimContext.bearer())
                .header("Content-Type", "text/csv").POST(BodyPublishers.ofString(NUTRITION_CSV)));
        assertThat(uploaded.statusCode()).as(uploaded.body()).isEqualTo(202);
        victimJob = json(uploaded).path("id").asText();
        victimMapping = JSON.writeValueAsString(json(uploaded).path("suggestedMapping"));
        assertThat(json(uploaded).path("state").asText()).isEqualTo("awaiting_mapping");

        controlsPass();
    }

    /** A fresh user id of this suite: {@code role}, the run's marker, a UUID. */
    private static String suiteUser(String role) {
        return role + "-" + SUITE_RUN + "-" + UUID.randomUUID();
    }

    /**
     * The cases change one thing of a request that works: these show the unchanged requests do
     * work, so each refusal below is for the hostile part and nothing else.
     */
    private static void controlsPass() throws Exception {
        Ctx control = new Ctx(suiteUser("control"));
        HttpResponse<String> selfSigned = send(at("/api/v1/me/preferences")
                .header("Authorization", "Bearer " + tokens.signedByTrustedKey(tokens.claims(control.user))).GET());
        assertThat(selfSigned.statusCode()).as("a token made like the hostile ones, but valid").isEqualTo(200);
        HttpResponse<String> pushed = pushBody(batch("push", reading(r -> { }))).send(control);
        assertThat(pushed.statusCode()).as(pushed.body()).isEqualTo(202);
        // The watch sees a user's records: its silence about the cases' users means something.
        assertThat(topics.mentioning(List.of(control.user))).as("the control's reading on raw.push.v1").hasSize(1);
        HttpResponse<String> preferences = putJson("/api/v1/me/preferences/sleep", "{\"sources\": [\"oura\"]}")
                .send(control);
        assertThat(preferences.statusCode()).as(preferences.body()).isEqualTo(200);
    }

    @AfterAll
    static void stop() {
        if (topics != null) {
            topics.close();
        }
        if (providers != null) {
            providers.stop();
        }
    }

    @Test
    void theSuiteHasAtLeastThirtyDistinctCases() {
        List<Case> cases = cases();
        Set<String> names = new HashSet<>();
        cases.forEach(c -> assertThat(names.add(c.name())).as("case names are unique: %s", c.name()).isTrue());
        assertThat(cases.stream().filter(c -> c.asyncFailure() == null).count()).isGreaterThanOrEqualTo(30);
    }

    @TestFactory
    Stream<DynamicTest> hostileInputs() {
        return cases().stream().map(c -> DynamicTest.dynamicTest(
                c.name() + " -> " + c.route() + " answers " + c.status(), () -> run(c)));
    }

    // ---------------------------------------------------------------------------------------------
    // The cases

    private static List<Case> cases() {
        List<Case> cases = new ArrayList<>();
        String me = "GET /me/preferences";

        // Tokens: a missing, malformed, expired, forged, unsigned, foreign or altered one is a 401.
        cases.add(refused("token missing", me, 401, "unauthorized",
                ctx -> send(at("/api/v1/me/preferences").GET())));
        cases.add(refused("token not a JWT", me, 401, "unauthorized",
                ctx -> send(at("/api/v1/me/preferences").header("Authorization", "Bearer not.a.jwt").GET())));
        cases.add(refused("token expired", me, 401, "unauthorized", ctx -> {
            ObjectNode claims = tokens.claims(ctx.user);
            long past = Instant.now().minus(Duration.ofHours(2)).getEpochSecond();
            claims.put("iat", past - 600).put("exp", past);
            return withToken("/api/v1/me/preferences", tokens.signedByTrustedKey(claims));
        }));
        cases.add(refused("token signed by a foreign key", me, 401, "unauthorized",
                ctx -> withToken("/api/v1/me/preferences", tokens.signedByForeignKey(tokens.claims(ctx.user)))));
        cases.add(refused("token unsigned (alg none)", me, 401, "unauthorized",
                ctx -> withToken("/api/v1/me/preferences", tokens.unsigned(tokens.claims(ctx.user)))));
        cases.add(refused("token from another issuer", me, 401, "unauthorized", ctx -> withToken(
                "/api/v1/me/preferences", tokens.signedByTrustedKey(tokens.claims(ctx.user)
                        .put("iss", "https://evil.example.org")))));
        cases.add(refused("token with another user's id swapped in", me, 401, "unauthorized", ctx -> withToken(
                "/api/v1/me/preferences", Tokens.withClaimsReplaced(ctx.bearer().substring("Bearer ".length()),
                        tokens.claims(victim)))));
        cases.add(refused("token without subject", me, 401, "unauthorized",
                ctx -> withToken("/api/v1/me/preferences", tokens.signedByTrustedKey(tokens.claims(null)))));
        cases.add(refused("token in a Basic header", me, 401, "unauthorized", ctx -> send(at("/api/v1/me/preferences")
                .header("Authorization", "Basic " + java.util.Base64.getEncoder()
                        .encodeToString((victim + ":x").getBytes(StandardCharsets.UTF_8))).GET())));

        // The push API: unreadable bodies are 400, invalid readings 422 (the whole batch refused), too much 413.
        String push = "POST /readings";
        cases.add(refused("push malformed JSON", push, 400, "malformed-request",
                pushBody("{\"source\": \"push\", \"readings\": [{\"id\": \"r1\", ")));
        cases.add(refused("push readings not a list", push, 400, "malformed-request",
                pushBody("{\"source\": \"push\", \"readings\": {\"id\": \"r1\"}}")));
        cases.add(refused("push value not a number", push, 400, "malformed-request",
                pushReading(r -> r.put("value", "a lot"))));
        cases.add(refused("push NaN literal", push, 400, "malformed-request",
                pushBody(batch("push", reading(r -> { })).replace("1000.0", "NaN"))));
        cases.add(refused("push NaN as a string", push, 422, "invalid-readings", pushReading(r -> r.put("value", "NaN"))));
        cases.add(refused("push Infinity by overflow (1e999)", push, 422, "invalid-readings",
                pushBody(batch("push", reading(r -> { })).replace("1000.0", "1e999"))));
        cases.add(refused("push -Infinity as a string", push, 422, "invalid-readings",
                pushReading(r -> r.put("value", "-Infinity"))));
        cases.add(refused("push negative steps", push, 422, "invalid-readings", pushReading(r -> r.put("value", -500))));
        cases.add(refused("push huge heart rate", push, 422, "invalid-readings", pushReading(r -> r
                .put("metric", "heart_rate").put("unit", "count/min").put("value", 1e12)
                .put("end", "2024-03-12T08:00:00+01:00"))));
        cases.add(refused("push end before start", push, 422, "invalid-readings",
                pushReading(r -> r.put("end", "2024-03-12T07:00:00+01:00"))));
        cases.add(refused("push interval of 40 days", push, 422, "invalid-readings",
                pushReading(r -> r.put("end", "2024-04-21T08:00:00+01:00"))));
        cases.add(refused("push timestamp without offset", push, 422, "invalid-readings",
                pushReading(r -> r.put("start", "2024-03-12T08:00:00"))));
        cases.add(refused("push timestamp in year 9999", push, 422, "invalid-readings", pushReading(r -> r
                .put("start", "9999-12-31T08:00:00+01:00").put("end", "9999-12-31T08:10:00+01:00"))));
        cases.add(refused("push unknown metric", push, 422, "invalid-readings",
                pushReading(r -> r.put("metric", "mood_level"))));
        cases.add(refused("push unknown unit", push, 422, "invalid-readings", pushReading(r -> r.put("unit", "parsecs"))));
        cases.add(refused("push unit that does not fit the metric", push, 422, "invalid-readings",
                pushReading(r -> r.put("unit", "kg"))));
        cases.add(refused("push unknown source", push, 422, "invalid-batch",
                pushBody(batch("withings", reading(r -> { })))));
        cases.add(refused("push empty batch", push, 422, "empty-batch",
                pushBody("{\"source\": \"push\", \"readings\": []}")));
        cases.add(refused("push HealthKit sample without its identity", push, 422, "invalid-readings",
                pushBody(batch("apple_health", reading(r -> r.remove("id"))))));
        cases.add(refused("push one bad reading among good ones", push, 422, "invalid-readings",
                pushBody(batch("push", reading(r -> r.put("id", "good-1")), reading(r -> r.put("id", "bad")
                        .put("value", -1)), reading(r -> r.put("id", "good-2"))))));
        cases.add(refused("push more readings than a batch holds", push, 413, "too-many-readings", ctx -> {
            ArrayNode readings = JSON.createArrayNode();
            for (int i = 0; i < 5001; i++) {
                readings.addObject();
            }
            return pushBody(JSON.createObjectNode().put("source", "push").set("readings", readings).toString())
                    .send(ctx);
        }));
        cases.add(refused("push chunked body without length", push, 411, "length-required", ctx -> send(
                at("/api/v1/readings").header("Authorization", ctx.bearer()).header("Content-Type", "application/json")
                        .POST(BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(
                                HostileFiles.utf8(batch("push", reading(r -> { })))))))));
        cases.add(refused("push as text/plain", push, 415, "unsupported-media-type", ctx -> send(at("/api/v1/readings")
                .header("Authorization", ctx.bearer()).header("Content-Type", "text/plain")
                .POST(BodyPublishers.ofString(batch("push", reading(r -> { })))))));
        cases.add(refused("push Idempotency-Key too long", push, 400, "invalid-idempotency-key", ctx -> send(
                at("/api/v1/readings").header("Authorization", ctx.bearer()).header("Content-Type", "application/json")
                        .header("Idempotency-Key", "k".repeat(256))
                        .POST(BodyPublishers.ofString(batch("push", reading(r -> { })))))));
        cases.add(refused("push Idempotency-Key reused with another body", push, 422, "idempotency-key-reused", ctx -> send(
                at("/api/v1/readings").header("Authorization", ctx.bearer()).header("Content-Type", "application/json")
                        .header("Idempotency-Key", "replayed-key")
                        .POST(BodyPublishers.ofString(batch("push", reading(r -> r.put("value", 2000))))))
        ).withSetup(ctx -> {
            // The first use of the key is legitimate and published; the case is what the second one adds.
            HttpResponse<String> first = send(at("/api/v1/readings").header("Authorization", ctx.bearer())
                    .header("Content-Type", "application/json").header("Idempotency-Key", "replayed-key")
                    .POST(BodyPublishers.ofString(batch("push", reading(r -> { })))));
            assertThat(first.statusCode()).as(first.body()).isEqualTo(202);
            await().atMost(Duration.ofSeconds(60)).until(() -> harness.metricRows(ctx.user) == 1);
        }));

        // Injection strings in every text field the push API reads as a code, a time or a zone.
        cases.add(refused("push SQL injection in metric", push, 422, "invalid-readings",
                pushReading(r -> r.put("metric", "steps" + SQL))));
        cases.add(refused("push script in unit", push, 422, "invalid-readings", pushReading(r -> r.put("unit", XSS))));
        cases.add(refused("push path traversal in zone", push, 422, "invalid-readings",
                pushReading(r -> r.put("zone", "../../../../etc/passwd"))));
        cases.add(refused("push SQL injection in source", push, 422, "invalid-batch",
                pushBody(batch("push' OR '1'='1", reading(r -> { })))));
        cases.add(refused("push SQL injection in start", push, 422, "invalid-readings",
                pushReading(r -> r.put("start", "2024-03-12T08:00:00+01:00" + SQL))));
        cases.add(refused("push JNDI lookup in HealthKit type of a sample without createdAt", push, 422,
                "invalid-readings", pushBody(batch("apple_health", reading(r -> r.put("hkType", JNDI)
                        .put("app", XSS).put("device", SQL))))));

        // Preferences: unknown or unsupported choices are 422 naming each entry; nothing changes.
        cases.add(refused("preferences malformed JSON", "PUT /me/preferences/{category}", 400, "malformed-request",
                putJson("/api/v1/me/preferences/activity", "{\"sources\": [\"oura\"")));
        cases.add(refused("preferences SQL injection in category", "PUT /me/preferences/{category}", 422,
                "invalid-preferences", putJson("/api/v1/me/preferences/" + segment("activity" + SQL),
                        "{\"sources\": [\"oura\"]}")));
        cases.add(refused("preferences SQL injection in a source", "PUT /me/preferences/{category}", 422,
                "invalid-preferences", putJson("/api/v1/me/preferences/activity",
                        JSON.createObjectNode().set("sources", JSON.createArrayNode().add("withings" + SQL)).toString())));
        cases.add(refused("preferences source that cannot supply the category", "PUT /me/preferences/{category}", 422,
                "invalid-preferences", putJson("/api/v1/me/preferences/sleep", "{\"sources\": [\"myfitnesspal\"]}")));
        cases.add(refused("preferences duplicate source", "PUT /me/preferences/{category}", 422, "invalid-preferences",
                putJson("/api/v1/me/preferences/sleep", "{\"sources\": [\"oura\", \"oura\"]}")));
        cases.add(refused("preferences sources not a list", "PUT /me/preferences/{category}", 400, "malformed-request",
                putJson("/api/v1/me/preferences/sleep", "{\"sources\": \"oura\"}")));
        cases.add(refused("preferences script in metric override", "PUT /me/preferences/metrics/{metric}", 422,
                "invalid-preferences", putJson("/api/v1/me/preferences/metrics/" + segment(XSS),
                        "{\"sources\": [\"oura\"]}")));
        cases.add(refused("preferences unknown device source", "PUT /me/preferences/devices/{source}", 422,
                "invalid-preferences", putJson("/api/v1/me/preferences/devices/" + segment("apple_health" + SQL),
                        "{\"devices\": [\"Watch\"]}")));
        cases.add(refused("preferences SQL injection in home zone", "PUT /me/preferences/home-zone", 422,
                "invalid-preferences", putJson("/api/v1/me/preferences/home-zone",
                        JSON.createObjectNode().put("zone", "Europe/Berlin" + SQL).toString())));
        cases.add(refused("preferences body over the JSON limit", "PUT /me/preferences/home-zone", 413,
                "payload-too-large", putJson("/api/v1/me/preferences/home-zone",
                        JSON.createObjectNode().put("zone", "Europe/Berlin").put("padding", "x".repeat(70_000))
                                .toString())));
        cases.add(refused("preferences as text/plain", "PUT /me/preferences/{category}", 415, "unsupported-media-type",
                ctx -> send(at("/api/v1/me/preferences/sleep").header("Authorization", ctx.bearer())
                        .header("Content-Type", "text/plain").PUT(BodyPublishers.ofString("{\"sources\": [\"oura\"]}")))));

        // Reads: unknown metrics and types, times without offset, injected query values.
        cases.add(refused("read SQL injection in metric", "GET /me/metrics/{metric}", 404, "unknown-metric",
                get("/api/v1/me/metrics/" + segment("steps" + SQL) + "?from=2024-03-01&to=2024-03-02")));
        cases.add(refused("read from without offset", "GET /me/metrics/{metric}", 400, "invalid-time-range",
                get("/api/v1/me/metrics/steps?from=2024-03-01T00:00:00&to=2024-03-02T00:00:00Z&view=all")));
        cases.add(refused("read SQL injection in from", "GET /me/metrics/{metric}", 400, "invalid-time-range",
                get("/api/v1/me/metrics/steps?from=" + query("2024-03-01" + SQL) + "&to=2024-03-02&view=all")));
        cases.add(refused("read from after to", "GET /me/metrics/{metric}", 400, "invalid-time-range",
                get("/api/v1/me/metrics/steps?from=2024-03-05&to=2024-03-02&view=all")));
        cases.add(refused("read injection in granularity", "GET /me/metrics/{metric}", 400, "invalid-granularity",
                get("/api/v1/me/metrics/steps?from=2024-03-01&to=2024-03-02&granularity=" + query("day" + SQL))));
        cases.add(refused("read unknown session type", "GET /me/sessions/{type}", 400, "invalid-type",
                get("/api/v1/me/sessions/" + segment("sleep" + SQL) + "?from=2024-03-01&to=2024-03-02")));
        cases.add(refused("read JNDI lookup as summary date", "GET /me/summary", 400, "invalid-date",
                get("/api/v1/me/summary?date=" + query(JNDI))));

        // Apple Health uploads refused at once: sniffed bytes and the zip's directory.
        String apple = "POST /imports/apple-health";
        cases.add(refused("apple upload not an export", apple, 422, "unsupported-file",
                upload("apple-health", "application/octet-stream", HostileFiles.utf8(NUTRITION_CSV))));
        cases.add(refused("apple upload empty", apple, 422, "unsupported-file",
                upload("apple-health", "application/octet-stream", new byte[0])));
        cases.add(refused("apple zip slip", apple, 422, "hostile-file",
                upload("apple-health", "application/zip", HostileFiles.zipSlip())));
        cases.add(refused("apple zip bomb", apple, 422, "hostile-file",
                upload("apple-health", "application/zip", HostileFiles.zipBomb())));
        cases.add(refused("apple zip without export.xml", apple, 422, "unsupported-file",
                upload("apple-health", "application/zip", HostileFiles.zipWithoutExport())));
        cases.add(refused("apple damaged zip", apple, 422, "unsupported-file",
                upload("apple-health", "application/zip", HostileFiles.damagedZip())));
        cases.add(refused("apple upload as image/png", apple, 415, "unsupported-media-type",
                upload("apple-health", "image/png", HostileFiles.validExport())));
        // ... and those refused only when parsed (see the class comment).
        cases.add(failsAsJob("apple XXE", apple, "xxe",
                upload("apple-health", "application/xml", HostileFiles.xxeExport())));
        cases.add(failsAsJob("apple billion laughs", apple, "lol9",
                upload("apple-health", "application/xml", HostileFiles.billionLaughsExport())));
        cases.add(failsAsJob("apple malformed XML", apple, "line 3",
                upload("apple-health", "application/xml", HostileFiles.malformedExport())));

        // CSV uploads: sniffed at once.
        String csv = "POST /imports/csv";
        cases.add(refused("csv binary file", csv, 422, "unsupported-file",
                upload("csv", "text/csv", HostileFiles.binary())));
        cases.add(refused("csv that is a zip", csv, 422, "unsupported-file",
                upload("csv", "application/octet-stream", HostileFiles.zip(Map.of("a.csv",
                        HostileFiles.utf8(NUTRITION_CSV))))));
        cases.add(refused("csv of one column", csv, 422, "unsupported-file",
                upload("csv", "text/csv", HostileFiles.utf8("Steps\n1000\n2000\n3000\n"))));
        cases.add(refused("csv empty", csv, 422, "unsupported-file", upload("csv", "text/csv", new byte[0])));
        cases.add(refused("csv as application/zip", csv, 415, "unsupported-media-type",
                upload("csv", "application/zip", HostileFiles.utf8(NUTRITION_CSV))));

        // Import jobs: someone else's, unknown or malformed ids; a mapping that does not fit.
        cases.add(refused("import another user's job", "GET /imports/{id}", 404, "import-not-found",
                ctx -> send(at("/api/v1/imports/" + victimJob).header("Authorization", ctx.bearer()).GET())));
        cases.add(refused("import cancel another user's job", "DELETE /imports/{id}", 404, "import-not-found",
                ctx -> send(at("/api/v1/imports/" + victimJob).header("Authorization", ctx.bearer()).DELETE())));
        cases.add(refused("import map another user's job", "POST /imports/{id}/mapping", 404, "import-not-found",
                ctx -> postJson("/api/v1/imports/" + victimJob + "/mapping", victimMapping).send(ctx)));
        cases.add(refused("import unknown job", "GET /imports/{id}", 404, "import-not-found",
                get("/api/v1/imports/" + UUID.randomUUID())));
        cases.add(refused("import SQL injection as job id", "GET /imports/{id}", 404, "not-found",
                get("/api/v1/imports/" + segment("1' OR '1'='1"))));
        cases.add(refused("import mapping naming columns the file lacks", "POST /imports/{id}/mapping", 422,
                "invalid-mapping", ctx -> {
                    ObjectNode mapping = (ObjectNode) JSON.readTree(ctx.vars.get("mapping"));
                    ((ObjectNode) mapping.path("date")).put("column", "Date" + SQL);
                    ((ObjectNode) mapping.path("values").path(0)).put("column", XSS);
                    return postJson("/api/v1/imports/" + ctx.vars.get("job") + "/mapping", mapping.toString()).send(ctx);
                }).withSetup(HostileInputIT::ownCsvJob));
        cases.add(refused("import mapping malformed JSON", "POST /imports/{id}/mapping", 400, "malformed-request",
                ctx -> postJson("/api/v1/imports/" + ctx.vars.get("job") + "/mapping", "{\"preset\": ").send(ctx))
                .withSetup(HostileInputIT::ownCsvJob));

        // Connections: unknown sources, forged OAuth states, nothing to disconnect.
        cases.add(refused("connect unknown source", "GET /connect/{source}", 404, "unknown-source",
                get("/api/v1/connect/fitbit")));
        cases.add(refused("connect SQL injection in source", "GET /connect/{source}", 404, "unknown-source",
                get("/api/v1/connect/" + segment("withings" + SQL))));
        cases.add(refused("connect callback with a forged state", "GET /connect/{source}/callback", 400,
                "invalid-state", ctx -> send(at("/api/v1/connect/withings/callback?state="
                        + query("forged." + ctx.user) + "&code=stolen-code").GET())));
        cases.add(refused("disconnect a source never connected", "DELETE /me/connections/{source}", 404,
                "not-connected", ctx -> send(at("/api/v1/me/connections/oura").header("Authorization", ctx.bearer())
                        .DELETE())));
        cases.add(refused("disconnect unknown source", "DELETE /me/connections/{source}", 404, "unknown-source",
                ctx -> send(at("/api/v1/me/connections/" + segment(XSS)).header("Authorization", ctx.bearer())
                        .DELETE())));

        // Withings notifications: the secret in the path is the only proof.
        String withings = "POST /webhooks/withings/{secret}";
        cases.add(refused("withings notification with a wrong secret", withings, 404, "not-found",
                withingsNotification("wrong-secret")));
        cases.add(refused("withings secret with dot segments", withings, 404, "not-found",
                withingsNotification("..%2F..%2Finternal%2Fusers%2Fvictim%2Fconnections%2Fwithings")));
        cases.add(refused("withings SQL injection as secret", withings, 404, "not-found",
                withingsNotification(segment(SQL))));

        // Oura notifications: HMAC over timestamp and body, fresh timestamps, each delivery once.
        String oura = "POST /webhooks/oura";
        cases.add(refused("oura notification unsigned", oura, 401, "unsigned-notification",
                ctx -> ouraWebhook(ouraNotification(ctx), null, null)));
        cases.add(refused("oura notification forged", oura, 401, "forged-notification", ctx -> {
            String now = Long.toString(Instant.now().getEpochSecond());
            return ouraWebhook(ouraNotification(ctx), now, sign("not-the-client-secret", now, ouraNotification(ctx)));
        }));
        cases.add(refused("oura notification altered after signing", oura, 401, "forged-notification", ctx -> {
            String now = Long.toString(Instant.now().getEpochSecond());
            String body = ouraNotification(ctx);
            return ouraWebhook(body.replace("\"update\"", "\"delete\""), now, sign(Harness.OURA_CLIENT_SECRET, now, body));
        }));
        cases.add(refused("oura notification replayed a day later", oura, 401, "stale-notification", ctx -> {
            String dayAgo = Long.toString(Instant.now().minus(Duration.ofDays(1)).getEpochSecond());
            String body = ouraNotification(ctx);
            return ouraWebhook(body, dayAgo, sign(Harness.OURA_CLIENT_SECRET, dayAgo, body));
        }));
        cases.add(refused("oura notification replayed", oura, 409, "replayed-notification",
                ctx -> ouraWebhook(ctx.vars.get("body"), ctx.vars.get("timestamp"), ctx.vars.get("signature")))
                .withSetup(ctx -> {
                    // Oura's genuine delivery is taken once (stored); the case is the second delivery.
                    String now = Long.toString(Instant.now().getEpochSecond());
                    String body = ouraNotification(ctx);
                    ctx.vars.put("body", body);
                    ctx.vars.put("timestamp", now);
                    ctx.vars.put("signature", sign(Harness.OURA_CLIENT_SECRET, now, body));
                    HttpResponse<String> first = ouraWebhook(body, now, ctx.vars.get("signature"));
                    assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
                }));
        cases.add(refused("oura challenge with a wrong verification token", "GET /webhooks/oura", 401,
                "wrong-verification-token", ctx -> send(at("/api/v1/webhooks/oura?verification_token="
                        + query(SQL) + "&challenge=" + query(XSS)).GET())));
        cases.add(refused("oura notification over the webhook limit", oura, 413, "payload-too-large", ctx -> {
            String now = Long.toString(Instant.now().getEpochSecond());
            String body = "{\"user_id\":\"" + ctx.user + "\",\"padding\":\"" + "x".repeat(1024 * 1024) + "\"}";
            return ouraWebhook(body, now, sign(Harness.OURA_CLIENT_SECRET, now, body));
        }));
        return cases;
    }

    // ---------------------------------------------------------------------------------------------
    // Running one case

    private static void run(Case c) throws Exception {
        Ctx ctx = new Ctx(suiteUser("hostile"));
        if (c.setup() != null) {
            c.setup().accept(ctx);
        }
        List<String> users = List.of(ctx.user, victim);
        Map<String, String> before = database.of(users);
        List<String> recordsBefore = topics.mentioning(users);

        HttpResponse<String> answer = c.call().send(ctx);

        assertThat(answer.statusCode()).as("status of %s; body: %s", c.name(), answer.body()).isEqualTo(c.status());
        Map<String, String> expectedAfter = new LinkedHashMap<>(before);
        if (c.asyncFailure() == null) {
            assertProblem(c, answer);
        } else {
            String job = json(answer).path("id").asText();
            JsonNode failed = awaitFailed(ctx, job);
            assertThat(failed.path("failure").path("reason").asText()).as("failure of %s", failed)
                    .contains(c.asyncFailure()).contains("line");
            assertThat(failed.path("progress").path("published").asLong()).as("published by %s", failed).isZero();
            // The job itself is the one trace a refusal by parsing leaves: failed, saying why.
            expectedAfter.put("imports.import_job[" + ctx.user + "]", job + ":failed:-");
        }
        assertThat(database.of(users)).as("%s: what the services hold of the user and the victim", c.name())
                .isEqualTo(expectedAfter);
        assertThat(topics.mentioning(users)).as("%s: records on the topics about the user or the victim", c.name())
                .isEqualTo(recordsBefore);
    }

    private static void assertProblem(Case c, HttpResponse<String> answer) throws IOException {
        assertThat(answer.headers().firstValue("Content-Type")).as("content type of %s", c.name())
                .hasValueSatisfying(type -> assertThat(type).startsWith(PROBLEM_JSON));
        JsonNode problem = JSON.readTree(answer.body());
        assertThat(problem.path("type").asText()).as("%s: %s", c.name(), answer.body())
                .isEqualTo("urn:healthmesh:problem:" + c.slug());
        assertThat(problem.path("status").asInt()).as(answer.body()).isEqualTo(c.status());
        assertThat(problem.path("title").asText()).as(answer.body()).isNotBlank();
        assertThat(problem.path("detail").asText()).as(answer.body()).isNotBlank();
        // Nothing of the implementation leaks into an answer to hostile input.
        assertThat(answer.body()).doesNotContain("Exception").doesNotContain("\tat ").doesNotContain("root:x:0:0");
        if ("unauthorized".equals(c.slug())) {
            assertThat(answer.headers().firstValue("WWW-Authenticate")).as("WWW-Authenticate of %s", c.name())
                    .hasValueSatisfying(value -> assertThat(value).startsWith("Bearer"));
        }
        if (c.status() == 422 && c.slug().startsWith("invalid-") && !c.slug().equals("invalid-mapping")) {
            assertThat(problem.path("errors").isArray()).as("per-item errors of %s", answer.body()).isTrue();
        }
    }

    private static JsonNode awaitFailed(Ctx ctx, String job) {
        JsonNode[] last = new JsonNode[1];
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).until(() -> {
            HttpResponse<String> answer = send(at("/api/v1/imports/" + job).header("Authorization", ctx.bearer()).GET());
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
            last[0] = json(answer);
            assertThat(last[0].path("state").asText()).as("job %s", last[0]).isNotIn("done", "cancelled");
            return "failed".equals(last[0].path("state").asText());
        });
        return last[0];
    }

    private static void ownCsvJob(Ctx ctx) throws Exception {
        HttpResponse<String> uploaded = upload("csv", "text/csv", HostileFiles.utf8(NUTRITION_CSV)).send(ctx);
        assertThat(uploaded.statusCode()).as(uploaded.body()).isEqualTo(202);
        ctx.vars.put("job", json(uploaded).path("id").asText());
        ctx.vars.put("mapping", JSON.writeValueAsString(json(uploaded).path("suggestedMapping")));
    }

    // ---------------------------------------------------------------------------------------------
    // Requests

    private static Call get(String path) {
        return ctx -> send(at(path).header("Authorization", ctx.bearer()).GET());
    }

    private static HttpResponse<String> withToken(String path, String token) throws Exception {
        return send(at(path).header("Authorization", "Bearer " + token).GET());
    }

    private static Call putJson(String path, String body) {
        return ctx -> send(at(path).header("Authorization", ctx.bearer()).header("Content-Type", "application/json")
                .PUT(BodyPublishers.ofString(body)));
    }

    private static Call postJson(String path, String body) {
        return ctx -> send(at(path).header("Authorization", ctx.bearer()).header("Content-Type", "application/json")
                .POST(BodyPublishers.ofString(body)));
    }

    private static Call pushBody(String body) {
        return postJson("/api/v1/readings", body);
    }

    private static Call pushReading(Consumer<ObjectNode> change) {
        return pushBody(batch("push", reading(change)));
    }

    private static Call upload(String kind, String contentType, byte[] body) {
        return ctx -> send(at("/api/v1/imports/" + kind).header("Authorization", ctx.bearer())
                .header("Content-Type", contentType).header("X-File-Name", "../../../etc/passwd")
                .POST(BodyPublishers.ofByteArray(body)));
    }

    /** Withings' form, naming the case's user as Withings' user id (so its traces can be looked for). */
    private static Call withingsNotification(String rawSecret) {
        return ctx -> send(at("/api/v1/webhooks/withings/" + rawSecret)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(BodyPublishers.ofString("userid=" + ctx.user + "&appli=1&startdate=1763500000&enddate=1763503600")));
    }

    private static String ouraNotification(Ctx ctx) {
        return "{\"event_type\":\"update\",\"data_type\":\"sleep\",\"object_id\":\"slp-" + ctx.user
                + "\",\"event_time\":\"2026-01-01T00:00:00Z\",\"user_id\":\"" + ctx.user + "\"}";
    }

    private static HttpResponse<String> ouraWebhook(String body, String timestamp, String signature) throws Exception {
        HttpRequest.Builder request = at("/api/v1/webhooks/oura").header("Content-Type", "application/json");
        if (timestamp != null) {
            request.header("x-oura-timestamp", timestamp).header("x-oura-signature", signature);
        }
        return send(request.POST(BodyPublishers.ofString(body)));
    }

    private static String sign(String secret, String timestamp, String body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        mac.update(timestamp.getBytes(StandardCharsets.UTF_8));
        return java.util.HexFormat.of().withUpperCase().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
    }

    /** A valid push reading (steps over ten minutes), changed by the case. */
    private static ObjectNode reading(Consumer<ObjectNode> change) {
        ObjectNode reading = JSON.createObjectNode().put("id", "r-1").put("metric", "steps").put("value", 1000.0)
                .put("unit", "count").put("start", "2024-03-12T08:00:00+01:00").put("end", "2024-03-12T08:10:00+01:00")
                .put("device", "Phone");
        change.accept(reading);
        return reading;
    }

    private static String batch(String source, ObjectNode... readings) {
        ObjectNode batch = JSON.createObjectNode().put("source", source);
        ArrayNode list = batch.putArray("readings");
        for (ObjectNode reading : readings) {
            list.add(reading);
        }
        return batch.toString();
    }

    private static HttpRequest.Builder at(String pathAndQuery) {
        return HttpRequest.newBuilder(URI.create(gateway + pathAndQuery)).timeout(Duration.ofSeconds(60));
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String segment(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String query(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    private static JsonNode json(HttpResponse<String> answer) {
        try {
            return JSON.readTree(answer.body());
        } catch (IOException e) {
            throw new UncheckedIOException(answer.body(), e);
        }
    }

    // ---------------------------------------------------------------------------------------------
    // The table's shape

    /** A request of the case's user (or of nobody, on public routes). */
    @FunctionalInterface
    interface Call {
        HttpResponse<String> send(Ctx ctx) throws Exception;
    }

    /** What a case needs in place before its request, done before the "before" look at the state. */
    @FunctionalInterface
    interface Setup {
        void accept(Ctx ctx) throws Exception;
    }

    /** One case's user, its token (made on first use) and what its setup left for its request. */
    static final class Ctx {
        final String user;
        final Map<String, String> vars = new HashMap<>();
        private String bearer;

        Ctx(String user) {
            this.user = user;
        }

        String bearer() {
            if (bearer == null) {
                bearer = harness.userBearer(user);
            }
            return bearer;
        }
    }

    /**
     * @param asyncFailure null for a refusal (a 4xx problem); else the upload is taken (202) and
     *     its job must fail with a reason containing this
     */
    record Case(String name, String route, int status, String slug, Setup setup, Call call, String asyncFailure) {
        Case withSetup(Setup before) {
            return new Case(name, route, status, slug, before, call, asyncFailure);
        }
    }

    private static Case refused(String name, String route, int status, String slug, Call call) {
        return new Case(name, route, status, slug, null, call, null);
    }

    private static Case failsAsJob(String name, String route, String reason, Call call) {
        return new Case(name, route, 202, null, null, call, reason);
    }
}
