package io.healthmesh.preferences.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.emptyString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.healthmesh.commons.messaging.TopicNames;
import io.healthmesh.contracts.source.Topics;
import io.healthmesh.contracts.status.ConnectionState;
import io.healthmesh.contracts.status.ConnectionStatus;
import io.healthmesh.testsupport.RealStackResource;
import io.healthmesh.testsupport.TestKafka;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(RealStackResource.class)
class PreferencesResourceTest {

    @Inject
    TopicNames topics;

    @Inject
    ObjectMapper json;

    private static RequestSpecification internal() {
        return given().header("Authorization", "Bearer local-service-secret").contentType(ContentType.JSON);
    }

    private static String newUser() {
        return "pref-" + UUID.randomUUID();
    }

    private static long version(String user) {
        return internal().when().get("/internal/users/{u}/preferences", user).then().statusCode(200)
                .extract().jsonPath().getLong("version");
    }

    @Test
    void theRegistryTellsWhatEachSourceSuppliesAndItsDefaultRanks() {
        internal().when().get("/internal/sources")
                .then().statusCode(200)
                .body("sources.id", hasItem("withings"))
                .body("sources.find { it.id == 'withings' }.kind", equalTo("oauth2"))
                .body("sources.find { it.id == 'withings' }.categories", hasItem("body"))
                .body("sources.find { it.id == 'withings' }.defaultRanks.body", equalTo(1))
                .body("sources.find { it.id == 'oura' }.defaultRanks.sleep", equalTo(1))
                .body("sources.find { it.id == 'fitbit' }.status", equalTo("planned"))
                .body("sources.find { it.id == 'apple_health' }.defaultDeviceRanks", contains("Watch", "iPhone"))
                .body("sources.find { it.id == 'myfitnesspal' }.categories", not(hasItem("sleep")));
    }

    @Test
    void aNewUserGetsTheDefaultsMarkedAsDefaults() {
        String user = newUser();
        internal().when().get("/internal/users/{u}/policy", user)
                .then().statusCode(200)
                .body("version", equalTo(0))
                .body("categories.sleep[0]", equalTo("oura"))
                .body("connectedSources", hasSize(0));
        internal().when().get("/internal/users/{u}/preferences", user)
                .then().statusCode(200)
                .body("version", equalTo(0))
                .body("homeZone.zone", equalTo("UTC"))
                .body("homeZone.default", equalTo(true))
                .body("categories.sleep.sources[0]", equalTo("oura"))
                .body("categories.sleep.default", equalTo(true))
                .body("categories.keySet()", hasSize(8))
                .body("devices.apple_health.devices", contains("Watch", "iPhone"))
                .body("devices.apple_health.default", equalTo(true));
    }

    @Test
    void thePolicyIsAnsweredWithoutABodyWhileTheCallersCopyIsCurrent() {
        String user = newUser();
        String first = internal().when().get("/internal/users/{u}/policy", user)
                .then().statusCode(200).body("version", equalTo(0))
                .extract().header("ETag");
        assertThat(first).startsWith("\"0-").endsWith("\"");

        internal().header("If-None-Match", first).when().get("/internal/users/{u}/policy", user)
                .then().statusCode(304).header("ETag", first).body(emptyString());
        internal().header("If-None-Match", "\"other\", W/" + first).when().get("/internal/users/{u}/policy", user)
                .then().statusCode(304);
        internal().header("If-None-Match", "\"other\"").when().get("/internal/users/{u}/policy", user)
                .then().statusCode(200).header("ETag", first).body("version", equalTo(0));

        internal().body("{\"sources\": [\"withings\", \"oura\"]}")
                .when().put("/internal/users/{u}/preferences/sleep", user).then().statusCode(200);
        String second = internal().header("If-None-Match", first).when().get("/internal/users/{u}/policy", user)
                .then().statusCode(200).body("categories.sleep", contains("withings", "oura"))
                .extract().header("ETag");
        assertThat(second).isNotEqualTo(first);
        internal().header("If-None-Match", second).when().get("/internal/users/{u}/policy", user)
                .then().statusCode(304);
    }

    @Test
    void settingAndResettingACategoryIsPublishedWithANewVersion() {
        String user = newUser();
        long set = internal().body("{\"sources\": [\"withings\", \"oura\"]}")
                .when().put("/internal/users/{u}/preferences/sleep", user)
                .then().statusCode(200)
                .body("categories.sleep.sources", contains("withings", "oura"))
                .body("categories.sleep.default", equalTo(false))
                .extract().jsonPath().getLong("version");
        assertThat(set).isPositive();
        JsonNode published = latestPolicy(user);
        assertThat(published.get("version").asLong()).isEqualTo(set);
        assertThat(published.get("categories").get("sleep").get(0).asText()).isEqualTo("withings");

        long reset = internal().when().delete("/internal/users/{u}/preferences/sleep", user)
                .then().statusCode(200)
                .body("categories.sleep.sources[0]", equalTo("oura"))
                .body("categories.sleep.default", equalTo(true))
                .extract().jsonPath().getLong("version");
        assertThat(reset).isGreaterThan(set);
        await().atMost(Duration.ofSeconds(10)).until(() -> latestPolicy(user).get("version").asLong() == reset);
    }

    @Test
    void invalidOrdersNameEachOffendingEntryAndChangeNothing() {
        String user = newUser();
        internal().body("{\"sources\": [\"oura\"]}").when().put("/internal/users/{u}/preferences/sleep", user)
                .then().statusCode(200);
        long before = version(user);

        internal().body("{\"sources\": [\"oura\", \"fitbitt\", \"myfitnesspal\", \"oura\"]}")
                .when().put("/internal/users/{u}/preferences/sleep", user)
                .then().statusCode(422)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:healthmesh:problem:invalid-preferences"))
                .body("errors", hasSize(3))
                .body("errors.index", contains(1, 2, 3))
                .body("errors[0].reason", equalTo("unknown source 'fitbitt'"))
                .body("errors[1].reason", equalTo("'myfitnesspal' cannot supply category sleep"))
                .body("errors[2].reason", equalTo("'oura' is listed twice"));
        internal().body("{\"sources\": [\"oura\"]}").when().put("/internal/users/{u}/preferences/naps", user)
                .then().statusCode(422).body("errors[0].field", equalTo("category"));
        internal().body("{\"sources\": []}").when().put("/internal/users/{u}/preferences/sleep", user)
                .then().statusCode(422);
        internal().body("{\"sources\": [\"myfitnesspal\"]}")
                .when().put("/internal/users/{u}/preferences/metrics/steps", user)
                .then().statusCode(422).body("errors[0].reason", equalTo("'myfitnesspal' cannot supply metric steps"));
        internal().body("{\"sources\": [\"oura\"]}").when().put("/internal/users/{u}/preferences/metrics/stepz", user)
                .then().statusCode(422).body("errors[0].field", equalTo("metric"));
        internal().body("{\"zone\": \"Mars/Olympus\"}").when().put("/internal/users/{u}/preferences/home-zone", user)
                .then().statusCode(422).body("errors[0].field", equalTo("zone"));
        internal().body("{\"devices\": [\"Watch\", \"watch\"]}")
                .when().put("/internal/users/{u}/preferences/devices/apple_health", user)
                .then().statusCode(422).body("errors[0].index", equalTo(1));

        assertThat(version(user)).isEqualTo(before);
        internal().when().get("/internal/users/{u}/preferences", user).then()
                .body("categories.sleep.sources", contains("oura"));
    }

    @Test
    void metricOverridesDeviceRanksAndHomeZoneReachThePolicy() {
        String user = newUser();
        internal().body("{\"sources\": [\"oura\", \"apple_health\"]}")
                .when().put("/internal/users/{u}/preferences/metrics/steps", user).then().statusCode(200)
                .body("metrics.steps.sources", contains("oura", "apple_health"));
        internal().body("{\"devices\": [\"iPhone\", \"Watch\"]}")
                .when().put("/internal/users/{u}/preferences/devices/apple_health", user).then().statusCode(200);
        internal().body("{\"zone\": \"Europe/Paris\"}")
                .when().put("/internal/users/{u}/preferences/home-zone", user).then().statusCode(200)
                .body("homeZone.zone", equalTo("Europe/Paris"))
                .body("homeZone.default", equalTo(false));

        internal().when().get("/internal/users/{u}/policy", user)
                .then().statusCode(200)
                .body("userId", equalTo(user))
                .body("homeZone", equalTo("Europe/Paris"))
                .body("metricOverrides.steps", contains("oura", "apple_health"))
                .body("deviceRanks.apple_health", contains("iPhone", "Watch"))
                .body("categories.activity[0]", equalTo("apple_health"))
                .body("roundTripApps.withings", hasItem("Health Mate"));

        internal().when().delete("/internal/users/{u}/preferences/metrics/steps", user).then().statusCode(200);
        internal().when().get("/internal/users/{u}/policy", user).then().body("metricOverrides.steps", equalTo(null));
    }

    @Test
    void everyReadRightAfterAChangeSeesIt() {
        String user = newUser();
        for (int i = 0; i < 100; i++) {
            List<String> order = i % 2 == 0 ? List.of("oura", "withings") : List.of("withings", "oura");
            long written = internal().body("{\"sources\": [\"" + order.get(0) + "\", \"" + order.get(1) + "\"]}")
                    .when().put("/internal/users/{u}/preferences/sleep", user)
                    .then().statusCode(200).extract().jsonPath().getLong("version");
            internal().when().get("/internal/users/{u}/policy", user)
                    .then().statusCode(200)
                    .body("version", equalTo(written))
                    .body("categories.sleep[0]", equalTo(order.get(0)));
        }
    }

    @Test
    void concurrentChangesOfOneUserEachGetTheirOwnVersion() {
        String user = newUser();
        List<CompletableFuture<Long>> changes = List.of("sleep", "body", "heart", "vitals").stream()
                .map(category -> CompletableFuture.supplyAsync(() -> internal().body("{\"sources\": [\"withings\"]}")
                        .when().put("/internal/users/{u}/preferences/" + category, user)
                        .then().statusCode(200).extract().jsonPath().getLong("version")))
                .toList();
        List<Long> versions = changes.stream().map(CompletableFuture::join).toList();

        assertThat(versions).doesNotHaveDuplicates();
        internal().when().get("/internal/users/{u}/preferences", user).then()
                .body("version", equalTo(versions.stream().max(Long::compare).orElseThrow()))
                .body("categories.findAll { it.value.default == false }.keySet()", hasSize(4));
    }

    @Test
    void connectionReportsShowInConnectionsAndInThePolicy() throws Exception {
        String user = newUser();
        OffsetDateTime now = OffsetDateTime.parse("2024-05-01T10:00:00Z");
        try (TestKafka kafka = new TestKafka()) {
            send(kafka, new ConnectionStatus(user, "withings", ConnectionState.BACKFILLING, 0.25, null, null,
                    now.plusHours(1), now));
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                    internal().when().get("/internal/users/{u}/connections", user).then()
                            .body("find { it.source == 'withings' }.state", equalTo("backfilling")));
            internal().when().get("/internal/users/{u}/connections", user).then()
                    .body("find { it.source == 'withings' }.progress", equalTo(0.25f))
                    .body("find { it.source == 'withings' }.categories", hasItem("body"))
                    .body("find { it.source == 'oura' }.state", equalTo("not_connected"));
            internal().when().get("/internal/users/{u}/policy", user).then()
                    .body("connectedSources", contains("withings"));

            // An older report arriving late changes nothing; a newer disconnect removes the source.
            send(kafka, new ConnectionStatus(user, "withings", ConnectionState.ERROR, null, "old", null, null,
                    now.minusHours(1)));
            send(kafka, new ConnectionStatus(user, "withings", ConnectionState.DISCONNECTED, null, null, null, null,
                    now.plusMinutes(5)));
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                    internal().when().get("/internal/users/{u}/connections", user).then()
                            .body("find { it.source == 'withings' }.state", equalTo("disconnected")));
            internal().when().get("/internal/users/{u}/policy", user).then()
                    .body("connectedSources", hasSize(0));
        }
    }

    private void send(TestKafka kafka, ConnectionStatus status) throws Exception {
        kafka.publishRaw(topics.deployed(Topics.CONNECTION_STATUS), status.key(),
                json.writeValueAsBytes(status));
    }

    private JsonNode latestPolicy(String user) {
        try (TestKafka kafka = new TestKafka()) {
            JsonNode latest = null;
            for (ConsumerRecord<byte[], byte[]> record : kafka.readAll(topics.deployed(Topics.PREFERENCES))) {
                if (record.key() != null && user.equals(new String(record.key(), StandardCharsets.UTF_8))) {
                    latest = json.readTree(record.value());
                }
            }
            return latest;
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
