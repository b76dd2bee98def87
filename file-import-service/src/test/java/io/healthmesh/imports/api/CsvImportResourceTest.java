package io.healthmesh.imports.api;

import static io.healthmesh.imports.api.ImportApi.awaitState;
import static io.healthmesh.imports.api.ImportApi.internal;
import static io.healthmesh.imports.api.ImportApi.job;
import static io.healthmesh.imports.api.ImportApi.jobsOf;
import static io.healthmesh.imports.api.ImportApi.resource;
import static io.healthmesh.imports.api.ImportApi.uploadsIn;
import static io.healthmesh.imports.api.ImportApi.zipOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.healthmesh.commons.messaging.TopicNames;
import io.healthmesh.contracts.source.Topics;
import io.healthmesh.testsupport.RealStackResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * CSV jobs of one file-import-service against real PostgreSQL and Kafka: upload -> preview and
 * suggested mapping -> mapping -> published events (the whole chain into the database runs in
 * system-tests' CsvImportIT).
 */
@QuarkusTest
@WithTestResource(RealStackResource.class)
class CsvImportResourceTest {

    @Inject
    TopicNames topics;

    @Inject
    ObjectMapper json;

    @ConfigProperty(name = "healthmesh.imports.storage-dir")
    String storageDir;

    private static JsonPath upload(String user, String fixture) {
        return internal().contentType("text/csv").header("X-File-Name", fixture)
                .body(resource("/csv-jobs/" + fixture))
                .when().post("/internal/users/{u}/imports/csv", user)
                .then().statusCode(202)
                .body("state", equalTo("awaiting_mapping"))
                .body("kind", equalTo("csv"))
                .extract().jsonPath();
    }

    /** The job's suggested mapping, exactly as the service answered it. */
    private JsonNode suggestedMapping(String user, String id) throws IOException {
        String body = internal().when().get("/internal/users/{u}/imports/{id}", user, id)
                .then().statusCode(200).extract().asString();
        return json.readTree(body).get("suggestedMapping");
    }

    private static io.restassured.response.ValidatableResponse postMapping(String user, String id, Object mapping) {
        return internal().contentType("application/json").body(mapping.toString())
                .when().post("/internal/users/{u}/imports/{id}/mapping", user, id).then();
    }

    private List<JsonNode> eventsOf(String jobId) throws IOException {
        return ImportApi.eventsOf(topics.deployed(Topics.RAW_CSV), jobId, json);
    }

    private static Map<String, List<Double>> valuesByMetric(List<JsonNode> events) {
        return events.stream().collect(Collectors.groupingBy(e -> e.at("/payload/metric").asText(),
                Collectors.mapping(e -> e.at("/payload/value").asDouble(), Collectors.toList())));
    }

    @Test
    void aNutritionFileWaitsForItsMappingThenPublishesEveryMappedValue() throws Exception {
        String user = "csv-" + UUID.randomUUID();
        JsonPath uploaded = upload(user, "mfp-nutrition.csv");
        String id = uploaded.getString("id");
        assertThat(uploaded.getString("preview.detectedPreset")).isEqualTo("myfitnesspal-nutrition");
        assertThat(uploaded.getBoolean("preview.dialect.bom")).isTrue();
        assertThat(uploaded.getString("preview.dialect.delimiter")).isEqualTo(",");
        assertThat(uploaded.getString("preview.zone")).isEqualTo("UTC");
        assertThat(uploaded.getList("preview.header", String.class)).startsWith("Date", "Meal", "Calories");
        // The note of the second row starts with '=': a spreadsheet opening the answer must not run it.
        assertThat(uploaded.getList("preview.rows[1]", String.class)).last().asString().startsWith("'=HYPERLINK");
        assertThat(uploaded.getString("suggestedMapping.source")).isEqualTo("myfitnesspal");
        assertThat(uploaded.getString("mapping")).isNull();

        JsonNode suggested = suggestedMapping(user, id);
        postMapping(user, id, suggested).statusCode(202)
                .body("state", equalTo("queued"))
                .body("suggestedMapping", nullValue())
                .body("mapping.preset", equalTo("myfitnesspal-nutrition"));

        JsonPath published = awaitState(user, id, "publishing");
        List<JsonNode> events = eventsOf(id);
        assertThat(events).hasSize((int) published.getLong("progress.published"));
        assertThat(events).allSatisfy(e -> {
            assertThat(e.get("userId").asText()).isEqualTo(user);
            assertThat(e.get("source").asText()).isEqualTo("myfitnesspal");
        });
        Map<String, List<Double>> values = valuesByMetric(events);
        // Breakfast and Lunch of 2025-03-06 are two readings; Dinner's calories are not a number.
        assertThat(values.get("dietary_energy")).containsExactlyInAnyOrder(412.0, 655.0);
        assertThat(values.get("protein")).containsExactlyInAnyOrder(24.1, 41.0, 15.0);
        assertThat(values).doesNotContainKeys("vitamin_c", "calcium", "iron");
        JsonNode breakfast = events.stream().filter(e -> e.at("/payload/value").asDouble() == 412.0).findFirst()
                .orElseThrow();
        assertThat(breakfast.at("/payload/localDate").asText()).isEqualTo("2025-03-06");
        assertThat(breakfast.at("/payload/aggregation").asText()).isEqualTo("cumulative");
        assertThat(breakfast.at("/payload/unit").asText()).isEqualTo("kcal");

        assertThat(published.getMap("progress.skipped", String.class, Integer.class))
                .containsEntry("bad-number", 1).containsEntry("bad-date", 1);
        assertThat(published.getList("errors", String.class))
                .anySatisfy(error -> assertThat(error).startsWith("row 5: "))
                .anySatisfy(error -> assertThat(error).startsWith("row 6: "));
        assertThat(published.getLong("progress.bytesRead")).isEqualTo(published.getLong("progress.totalBytes"));

        postMapping(user, id, suggested).statusCode(409)
                .body("type", equalTo("urn:healthmesh:problem:mapping-closed"));

        long count = published.getLong("progress.published");
        ImportApi.publishOutcome(topics.deployed(Topics.INGEST_OUTCOME), id, count, 0, json);
        awaitState(user, id, "done");
        assertThat(Path.of(storageDir, id + ".upload")).doesNotExist();
    }

    @Test
    void theSameFileImportedTwiceYieldsTheSameEvents() throws Exception {
        String user = "csv-" + UUID.randomUUID();
        List<String> ids = new java.util.ArrayList<>();
        for (int i = 0; i < 2; i++) {
            String id = upload(user, "mfp-nutrition.csv").getString("id");
            postMapping(user, id, suggestedMapping(user, id)).statusCode(202);
            awaitState(user, id, "publishing");
            ids.add(id);
        }
        assertThat(eventsOf(ids.get(1)).stream().map(e -> e.get("eventId").asText()).sorted().toList())
                .isEqualTo(eventsOf(ids.get(0)).stream().map(e -> e.get("eventId").asText()).sorted().toList());
    }

    @Test
    void aMappingThatDoesNotFitIsRefusedAndTheJobKeepsWaiting() throws Exception {
        String user = "csv-" + UUID.randomUUID();
        String id = upload(user, "biometrics.csv").getString("id");
        JsonNode suggested = suggestedMapping(user, id);
        assertThat(suggested.get("long")).isNotNull();

        ObjectNode broken = suggested.deepCopy();
        broken.remove("long");
        ArrayNode values = broken.putArray("values");
        values.addObject().put("column", "Nope").put("metric", "heart_rate").put("unit", "bpm");
        values.addObject().put("column", "Amount").put("metric", "stepz").put("unit", "count");
        postMapping(user, id, broken).statusCode(422)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:healthmesh:problem:invalid-mapping"))
                .body("errors", hasSize(org.hamcrest.Matchers.greaterThanOrEqualTo(2)))
                .body("errors[0].field", startsWith("values["));
        postMapping(user, id, "{not json").statusCode(400);
        assertThat(job(user, id).getString("state")).isEqualTo("awaiting_mapping");
        assertThat(job(user, id).getString("mapping")).isNull();

        postMapping(user, id, suggested).statusCode(202);
        JsonPath published = awaitState(user, id, "publishing");
        List<JsonNode> events = eventsOf(id);
        Map<String, List<Double>> byMetric = valuesByMetric(events);
        assertThat(byMetric.get("heart_rate")).containsExactly(52.0);
        assertThat(byMetric.get("body_mass")).containsExactly(71.4);
        assertThat(byMetric.get("blood_glucose")).containsExactly(94.0);
        assertThat(byMetric).doesNotContainKey("sleep_duration");
        JsonNode heartRate = events.stream().filter(e -> "heart_rate".equals(e.at("/payload/metric").asText()))
                .findFirst().orElseThrow();
        assertThat(heartRate.at("/payload/device").asText()).isEqualTo("Garmin");
        assertThat(heartRate.get("source").asText()).isEqualTo("cronometer");
        // "120/80" is not one number: that row is skipped and said so, the others went through.
        assertThat(published.getMap("progress.skipped")).isNotEmpty();
        assertThat(published.getList("errors", String.class)).anySatisfy(e -> assertThat(e).startsWith("row 6: "));
    }

    @Test
    void filesThatAreNotCsvAreRefusedAndLeaveNothingBehind() throws Exception {
        String user = "csv-" + UUID.randomUUID();
        long filesBefore = uploadsIn(storageDir);

        byte[] binary = new byte[4096];
        for (int i = 0; i < binary.length; i++) {
            binary[i] = (byte) (i % 7 == 0 ? 0 : 'a' + i % 26);
        }
        for (byte[] body : List.of(zipOf("Nutrition-Summary.csv", "Date,Meal\n".getBytes(StandardCharsets.UTF_8)),
                binary, new byte[0], "just one column\nand no delimiter\n".getBytes(StandardCharsets.UTF_8))) {
            internal().contentType("text/csv").body(body)
                    .when().post("/internal/users/{u}/imports/csv", user)
                    .then().statusCode(422)
                    .contentType("application/problem+json")
                    .body("type", equalTo("urn:healthmesh:problem:unsupported-file"));
        }
        internal().when().post("/internal/users/{u}/imports/csv", user)
                .then().statusCode(org.hamcrest.Matchers.anyOf(equalTo(415), equalTo(400), equalTo(422)));

        assertThat(jobsOf(user)).isZero();
        assertThat(uploadsIn(storageDir)).isEqualTo(filesBefore);
    }

    @Test
    void onlyItsOwnersCsvJobTakesAMappingAndAWaitingJobCanBeCancelled() throws Exception {
        String user = "csv-" + UUID.randomUUID();
        String id = upload(user, "biometrics.csv").getString("id");
        JsonNode suggested = suggestedMapping(user, id);

        postMapping("someone-else", id, suggested).statusCode(404)
                .body("type", equalTo("urn:healthmesh:problem:import-not-found"));
        String apple = internal().contentType("application/octet-stream")
                .body(resource("/apple/export-every-kind.xml"))
                .when().post("/internal/users/{u}/imports/apple-health", user)
                .then().statusCode(202).extract().jsonPath().getString("id");
        postMapping(user, apple, suggested).statusCode(409)
                .body("type", equalTo("urn:healthmesh:problem:not-a-csv-import"));

        internal().when().delete("/internal/users/{u}/imports/{id}", user, id).then().statusCode(200)
                .body("state", equalTo("cancelled"));
        assertThat(Path.of(storageDir, id + ".upload")).doesNotExist();
        postMapping(user, id, suggested).statusCode(409);
    }
}
