package io.healthmesh.imports.api;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.healthmesh.contracts.event.IngestOutcome;
import io.healthmesh.testsupport.LocalStack;
import io.healthmesh.testsupport.TestKafka;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** What the import tests do through the service's API, its topics and its table. */
final class ImportApi {

    private ImportApi() {
    }

    static RequestSpecification internal() {
        return given().header("Authorization", "Bearer local-service-secret");
    }

    static byte[] resource(String path) {
        try (InputStream in = ImportApi.class.getResourceAsStream(path)) {
            return in.readAllBytes();
        } catch (IOException | NullPointerException e) {
            throw new IllegalStateException("No test resource " + path, e);
        }
    }

    static JsonPath job(String user, String id) {
        return internal().when().get("/internal/users/{u}/imports/{id}", user, id)
                .then().statusCode(200).extract().jsonPath();
    }

    static JsonPath awaitState(String user, String id, String state) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> state.equals(job(user, id).getString("state")));
        return job(user, id);
    }

    /** The events of one job on a deployed raw topic. */
    static List<JsonNode> eventsOf(String deployedTopic, String jobId, ObjectMapper json) throws IOException {
        try (TestKafka kafka = new TestKafka()) {
            List<JsonNode> events = new ArrayList<>();
            for (ConsumerRecord<byte[], byte[]> record : kafka.readAll(deployedTopic)) {
                JsonNode event = json.readTree(record.value());
                if (jobId.equals(event.path("payload").path("importJobId").asText())) {
                    events.add(event);
                }
            }
            return events;
        }
    }

    /** Plays the normalizer: its verdict on a job, as it publishes it on ingest.outcome.v1. */
    static void publishOutcome(String deployedTopic, String jobId, long accepted, long rejected, ObjectMapper json)
            throws IOException {
        try (TestKafka kafka = new TestKafka()) {
            kafka.publishRaw(deployedTopic, jobId, json.writeValueAsBytes(
                    new IngestOutcome(jobId, accepted, rejected, OffsetDateTime.now())));
        }
    }

    static byte[] zipOf(String entryName, byte[] content) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            zip.putNextEntry(new ZipEntry(entryName));
            zip.write(content);
            zip.closeEntry();
        }
        return bytes.toByteArray();
    }

    static long uploadsIn(String storageDir) throws IOException {
        try (var files = Files.list(Path.of(storageDir))) {
            return files.filter(p -> p.getFileName().toString().endsWith(".upload")).count();
        }
    }

    static long jobsOf(String user) throws Exception {
        try (Connection db = LocalStack.openAdminConnection();
                PreparedStatement query = db.prepareStatement("select count(*) from imports.import_job where user_id = ?")) {
            query.setString(1, user);
            try (ResultSet rows = query.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }
}
