package io.healthmesh.systemtests.gateway;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.healthmesh.systemtests.harness.Harness;
import io.healthmesh.systemtests.harness.ServiceModule;
import io.healthmesh.systemtests.imports.LargeExport;
import io.healthmesh.testsupport.ServiceProcess;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The public API through the packaged gateway in front of the real services: every route acts for
 * the token's subject only; the dev token route is gone when the flag is off; a service that is
 * down is a 503 problem; an upload 16 times the gateway's heap streams through it.
 */
class GatewayIT {

    private static final String NUTRITION = """
            Date,Meal,Calories,Fat (g),Carbohydrates (g),Protein (g)
            2025-03-06,Breakfast,412.0,17.2,38.5,24.1
            2025-03-06,Dinner,655.0,22.0,71.0,41.0
            """;
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Harness harness;

    @TempDir
    static Path files;

    @BeforeAll
    static void start() {
        harness = Harness.get();
        harness.start(ServiceModule.PREFERENCES, ServiceModule.NORMALIZER, ServiceModule.FILE_IMPORT,
                ServiceModule.GATEWAY);
    }

    private static RequestSpecification as(String user) {
        return given().baseUri(gateway().baseUrl()).header("Authorization", harness.userBearer(user));
    }

    private static ServiceProcess gateway() {
        return harness.process(ServiceModule.GATEWAY);
    }

    @Test
    void everyRouteActsForTheTokensUserOnly() throws Exception {
        String alice = "alice-" + UUID.randomUUID();
        String bob = "bob-" + UUID.randomUUID();

        // Preferences: Alice's choices are hers; Bob sees his defaults.
        as(alice).contentType(ContentType.JSON).body("{\"sources\": [\"oura\", \"withings\"]}")
                .when().put("/api/v1/me/preferences/activity")
                .then().statusCode(200);
        as(alice).contentType(ContentType.JSON).body("{\"zone\": \"Europe/Berlin\"}")
                .when().put("/api/v1/me/preferences/home-zone")
                .then().statusCode(200);
        as(alice).when().get("/api/v1/me/preferences").then().statusCode(200)
                .body("userId", equalTo(alice))
                .body("homeZone.zone", equalTo("Europe/Berlin"))
                .body("categories.activity.sources", contains("oura", "withings"))
                .body("categories.activity.default", equalTo(false));
        as(bob).when().get("/api/v1/me/preferences").then().statusCode(200)
                .body("userId", equalTo(bob))
                .body("homeZone.zone", equalTo("UTC"))
                .body("categories.activity.default", equalTo(true));

        // Imports: Alice's job, mapped and done through the gateway; Bob can neither see, map nor cancel it.
        JsonPath uploaded = as(alice).contentType("text/csv").header("X-File-Name", "diary.csv")
                .body(NUTRITION.getBytes(StandardCharsets.UTF_8))
                .when().post("/api/v1/imports/csv")
                .then().statusCode(202).body("state", equalTo("awaiting_mapping"))
                .extract().jsonPath();
        String job = uploaded.getString("id");
        String suggested = JSON.writeValueAsString(JSON.readTree(
                as(alice).when().get("/api/v1/imports/{id}", job).then().statusCode(200).extract().asString())
                .get("suggestedMapping"));
        as(bob).when().get("/api/v1/imports/{id}", job).then().statusCode(404)
                .contentType("application/problem+json");
        as(bob).contentType(ContentType.JSON).body(suggested)
                .when().post("/api/v1/imports/{id}/mapping", job).then().statusCode(404);
        as(bob).when().delete("/api/v1/imports/{id}", job).then().statusCode(404);
        as(alice).contentType(ContentType.JSON).body(suggested)
                .when().post("/api/v1/imports/{id}/mapping", job).then().statusCode(202);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> {
            String state = as(alice).when().get("/api/v1/imports/{id}", job).then().statusCode(200)
                    .extract().path("state");
            assertThat(state).isNotIn("failed", "cancelled");
            return "done".equals(state);
        });

        // Reads: Alice's data through the gateway; Bob's view of the same query is empty.
        as(alice).when().get("/api/v1/me/metrics/dietary_energy?from=2025-03-06&to=2025-03-06&view=all")
                .then().statusCode(200)
                .body("points", hasSize(1))
                .body("points[0].value", equalTo(1067.0f));
        as(bob).when().get("/api/v1/me/metrics/dietary_energy?from=2025-03-06&to=2025-03-06&view=all")
                .then().statusCode(200).body("points", hasSize(0));
        as(alice).when().get("/api/v1/me/summary?date=2025-03-06").then().statusCode(200)
                .body("categories.nutrition.find { it.metric == 'dietary_energy' }.value", equalTo(1067.0f));
        as(bob).when().get("/api/v1/me/summary?date=2025-03-06").then().statusCode(200)
                .body("categories.nutrition", org.hamcrest.Matchers.anyOf(org.hamcrest.Matchers.nullValue(),
                        hasSize(0)));
        as(bob).when().get("/api/v1/me/sessions/sleep?from=2025-03-06&to=2025-03-06").then().statusCode(200)
                .body("sessions", hasSize(0));

        // Connections: each user sees their own (none here); the list is the user's.
        as(bob).when().get("/api/v1/me/connections").then().statusCode(200);
        // The gateway's own internal routes are not reachable with a user's token.
        as(alice).when().get("/internal/service").then().statusCode(401);
    }

    @Test
    void aHealthKitSamplePushedAndExportedIsOneRowAndARetriedBatchCountsOnce() throws Exception {
        String user = "push-" + UUID.randomUUID();
        String watch = "<<HKDevice: 0x2813a2b70>, name:Apple Watch, manufacturer:Apple Inc., model:Watch,"
                + " hardware:Watch6,2, software:9.3.1>";
        String batch = JSON.writeValueAsString(JSON.createObjectNode().put("source", "apple_health")
                .set("readings", JSON.createArrayNode()
                        .add(JSON.createObjectNode().put("metric", "heart_rate").put("value", 61).put("unit", "count/min")
                                .put("start", "2024-01-01T00:00:00+02:00").put("end", "2024-01-01T00:00:00+02:00")
                                .put("hkType", "HKQuantityTypeIdentifierHeartRate").put("app", "Watch")
                                .put("device", watch).put("createdAt", "2024-01-01T00:00:00+02:00"))
                        .add(JSON.createObjectNode().put("metric", "heart_rate").put("value", 64).put("unit", "count/min")
                                .put("start", "2024-01-01T00:01:00+02:00").put("end", "2024-01-01T00:01:00+02:00")
                                .put("hkType", "HKQuantityTypeIdentifierHeartRate").put("app", "Watch")
                                .put("device", watch).put("createdAt", "2024-01-01T00:01:00+02:00"))));
        String key = "batch-" + UUID.randomUUID();
        String first = as(user).contentType(ContentType.JSON).header("Idempotency-Key", key).body(batch)
                .when().post("/api/v1/readings").then().statusCode(202).body("accepted", equalTo(2))
                .extract().asString();
        // The phone retries (its answer was lost): the same answer, nothing published twice.
        as(user).contentType(ContentType.JSON).header("Idempotency-Key", key).body(batch)
                .when().post("/api/v1/readings").then().statusCode(202)
                .body(org.hamcrest.Matchers.equalTo(first));
        await().atMost(Duration.ofSeconds(60)).until(() -> harness.metricRows(user) == 2);

        // The same two samples in an export (where the phone's first minute also is): still two rows.
        Path export = files.resolve("push-export.xml");
        LargeExport.write(export, 0, 2);
        JsonPath uploaded = as(user).contentType("application/xml").header("X-File-Name", "export.xml")
                .body(Files.readAllBytes(export))
                .when().post("/api/v1/imports/apple-health")
                .then().statusCode(202).extract().jsonPath();
        String job = uploaded.getString("id");
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> {
            String state = as(user).when().get("/api/v1/imports/{id}", job).then().statusCode(200)
                    .extract().path("state");
            assertThat(state).isNotIn("failed", "cancelled");
            return "done".equals(state);
        });
        assertThat(harness.metricRows(user)).as("pushed and exported samples are the same rows").isEqualTo(2);
        // The export's values (55, 56) replaced the pushed ones in place: one row per sample.
        as(user).when().get("/api/v1/me/metrics/heart_rate?from=2023-12-31T22:00:00Z&to=2023-12-31T22:02:00Z"
                        + "&granularity=raw&view=all")
                .then().statusCode(200).body("points", hasSize(2));
    }

    @Test
    void sourcesAndValidationProblemsPassThroughUnchanged() {
        String carol = "carol-" + UUID.randomUUID();
        as(carol).when().get("/api/v1/sources").then().statusCode(200)
                .body("sources.find { it.id == 'withings' }.kind", equalTo("oauth2"));
        as(carol).contentType(ContentType.JSON).body("{\"sources\": [\"no-such-source\"]}")
                .when().put("/api/v1/me/preferences/activity")
                .then().statusCode(422)
                .contentType("application/problem+json");
        as(carol).when().get("/api/v1/connect/fitbit").then().statusCode(404)
                .body("type", equalTo("urn:healthmesh:problem:unknown-source"));
    }

    @Test
    void devTokensAreOffUnlessTheFlagIsOn() {
        ServiceProcess production = harness.startReplica(ServiceModule.GATEWAY, Map.of("HEALTHMESH_DEV_TOKENS", "false"));
        given().baseUri(production.baseUrl()).contentType(ContentType.JSON).body("{\"userId\": \"mallory\"}")
                .when().post("/api/v1/dev/token")
                .then().statusCode(404).contentType("application/problem+json");
        // Tokens from the issuer it trusts still work there.
        given().baseUri(production.baseUrl()).header("Authorization", harness.userBearer("dave"))
                .when().get("/api/v1/sources").then().statusCode(200);
        production.stop();
    }

    @Test
    void aServiceThatIsDownIsA503Problem() {
        ServiceProcess cut = harness.startReplica(ServiceModule.GATEWAY,
                Map.of("QUARKUS_REST_CLIENT_NORMALIZER_SERVICE_URL", "http://127.0.0.1:1"));
        given().baseUri(cut.baseUrl()).header("Authorization", harness.userBearer("erin"))
                .when().get("/api/v1/me/summary?date=2025-03-06")
                .then().statusCode(503)
                .contentType("application/problem+json")
                .header("Retry-After", org.hamcrest.Matchers.notNullValue())
                .body("detail", org.hamcrest.Matchers.containsString("normalizer-service"));
        cut.stop();
    }

    @Test
    void aGigabyteUploadStreamsThroughAGatewayWithA64MegabyteHeap() throws Exception {
        Path export = files.resolve("export.xml");
        int readings = 1_000;
        long fillers = LargeExport.write(export, 1_000L * 1000 * 1000, readings);
        assertThat(Files.size(export)).isGreaterThan(14 * 64L * 1024 * 1024);
        ServiceProcess small = harness.startReplica(ServiceModule.GATEWAY, Map.of(),
                List.of("-Xmx64m", "-XX:+ExitOnOutOfMemoryError"));
        String user = "upload-" + UUID.randomUUID();
        String bearer = harness.userBearer(user);
        HttpClient http = HttpClient.newHttpClient();

        // The file as the body, sent the way Java's client does by default (with an h2c upgrade offer).
        HttpResponse<String> raw = http.send(HttpRequest.newBuilder(URI.create(small.baseUrl() + "/api/v1/imports/apple-health"))
                .header("Authorization", bearer).header("Content-Type", "application/xml")
                .header("X-File-Name", "export.xml").timeout(Duration.ofMinutes(5))
                .POST(HttpRequest.BodyPublishers.ofFile(export)).build(), HttpResponse.BodyHandlers.ofString());
        assertImported(small, bearer, raw, export, readings, fillers);

        // The same file as a multipart form: the gateway passes the form on as bytes, file-import parses it.
        String boundary = "it-" + UUID.randomUUID();
        byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"export.xml\""
                + "\r\nContent-Type: application/xml\r\n\r\n").getBytes(StandardCharsets.UTF_8);
        byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> form = http.send(HttpRequest.newBuilder(URI.create(small.baseUrl() + "/api/v1/imports/apple-health"))
                .header("Authorization", bearer).header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .timeout(Duration.ofMinutes(5))
                .POST(HttpRequest.BodyPublishers.concat(HttpRequest.BodyPublishers.ofByteArray(head),
                        HttpRequest.BodyPublishers.ofFile(export), HttpRequest.BodyPublishers.ofByteArray(tail)))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertImported(small, bearer, form, export, readings, fillers);
        small.stop();
    }

    private static void assertImported(ServiceProcess gateway, String bearer, HttpResponse<String> answer, Path export,
            int readings, long fillers) throws Exception {
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(202);
        String id = JSON.readTree(answer.body()).path("id").asText();
        JsonNode[] last = new JsonNode[1];
        await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofSeconds(1)).until(() -> {
            assertThat(gateway.isAlive()).as("the -Xmx64m gateway is still running").isTrue();
            last[0] = JSON.readTree(given().baseUri(gateway.baseUrl()).header("Authorization", bearer)
                    .when().get("/api/v1/imports/{id}", id).then().statusCode(200).extract().asString());
            assertThat(last[0].path("state").asText()).as("job %s", last[0]).isNotIn("failed", "cancelled");
            return "done".equals(last[0].path("state").asText());
        });
        assertThat(last[0].path("progress").path("bytesRead").asLong()).isEqualTo(Files.size(export));
        assertThat(last[0].path("progress").path("published").asLong()).isEqualTo(readings);
        assertThat(last[0].path("progress").path("skipped").path("unmapped type: " + LargeExport.FILLER_TYPE).asLong())
                .isEqualTo(fillers);
        assertThat(gateway.isAlive()).isTrue();
        assertThat(Files.readString(gateway.logFile())).doesNotContain("OutOfMemoryError");
    }
}
