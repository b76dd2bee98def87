package io.healthmesh.imports.api;

import static io.healthmesh.imports.api.ImportApi.awaitState;
import static io.healthmesh.imports.api.ImportApi.internal;
import static io.healthmesh.imports.api.ImportApi.job;
import static io.healthmesh.imports.api.ImportApi.jobsOf;
import static io.healthmesh.imports.api.ImportApi.resource;
import static io.healthmesh.imports.api.ImportApi.uploadsIn;
import static io.healthmesh.imports.api.ImportApi.zipOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.healthmesh.commons.messaging.TopicNames;
import io.healthmesh.contracts.source.Topics;
import io.healthmesh.testsupport.RealStackResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * The job lifecycle of one file-import-service against real PostgreSQL and Kafka. The normalizer
 * does not run here: its verdicts are published on ingest.outcome.v1 by the test (the whole chain
 * runs in system-tests' AppleImportIT).
 */
@QuarkusTest
@WithTestResource(RealStackResource.class)
class ImportResourceTest {

    @Inject
    TopicNames topics;

    @Inject
    ObjectMapper json;

    @ConfigProperty(name = "healthmesh.imports.storage-dir")
    String storageDir;

    @ConfigProperty(name = "healthmesh.imports.max-upload-bytes")
    long maxUploadBytes;

    @TestHTTPResource("/")
    URL base;

    private static String upload(String user, byte[] body) {
        return internal().contentType("application/octet-stream").header("X-File-Name", "C:\\Users\\me\\export.zip")
                .body(body)
                .when().post("/internal/users/{u}/imports/apple-health", user)
                .then().statusCode(202)
                .body("state", equalTo("queued"))
                .body("fileName", equalTo("export.zip"))
                .extract().jsonPath().getString("id");
    }

    @Test
    void anUploadIsPublishedInTheBackgroundAndDoneOnceTheNormalizerJudgedAll() throws Exception {
        String user = "importer-" + UUID.randomUUID();
        String id = upload(user, fixture("export-every-kind.xml"));

        JsonPath published = awaitState(user, id, "publishing");
        long count = published.getLong("progress.published");
        assertThat(count).isPositive();
        assertThat(published.getLong("progress.bytesRead")).isEqualTo(published.getLong("progress.totalBytes"));
        assertThat(published.getMap("progress.skipped")).containsKey("inside correlation");
        List<JsonNode> events = eventsOf(id);
        assertThat(events.stream().map(e -> e.get("eventId").asText()).distinct().count()).isEqualTo(count);
        assertThat(events).allSatisfy(e -> {
            assertThat(e.get("userId").asText()).isEqualTo(user);
            assertThat(e.get("source").asText()).isEqualTo("apple_health");
        });
        assertThat(Path.of(storageDir, id + ".upload")).exists();
        String metrics = io.restassured.RestAssured.given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(metrics.lines().filter(l -> l.startsWith("healthmesh_imports_events_published_total{")
                        && l.contains("topic=\"raw.apple-health.v1\""))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum())
                .as("events the broker acknowledged, counted on /q/metrics").isGreaterThanOrEqualTo(count);

        publishOutcome(id, count - 1, 0);
        await().atMost(Duration.ofSeconds(30)).until(() -> job(user, id).getLong("normalizer.accepted") == count - 1);
        assertThat(job(user, id).getString("state")).as("one event not judged yet").isEqualTo("publishing");
        publishOutcome(id, count - 1, 1);
        JsonPath done = awaitState(user, id, "done");
        assertThat(done.getLong("normalizer.accepted")).isEqualTo(count - 1);
        assertThat(done.getLong("normalizer.rejected")).isEqualTo(1);
        assertThat(done.getString("timings.finishedAt")).isNotNull();
        assertThat(Path.of(storageDir, id + ".upload")).doesNotExist();
    }

    @Test
    void aZipSentAsAMultipartFormIsImportedToo() throws Exception {
        String user = "importer-" + UUID.randomUUID();
        byte[] zip = zipOf("apple_health_export/export.xml", fixture("export-every-kind.xml"));
        String id = internal().multiPart("file", "export.zip", zip, "application/zip")
                .when().post("/internal/users/{u}/imports/apple-health", user)
                .then().statusCode(202)
                .extract().jsonPath().getString("id");

        JsonPath published = awaitState(user, id, "publishing");
        assertThat(published.getLong("progress.totalBytes")).isEqualTo(zip.length);
        assertThat(eventsOf(id)).isNotEmpty();
    }

    @Test
    void aTruncatedExportKeepsWhatWasReadAndFailsWithLineAndColumn() throws Exception {
        String user = "importer-" + UUID.randomUUID();
        String id = upload(user, fixture("truncated.xml"));

        JsonPath failed = awaitState(user, id, "failed");
        assertThat(failed.getInt("failure.line")).isPositive();
        assertThat(failed.getInt("failure.column")).isPositive();
        assertThat(failed.getString("failure.reason")).contains("line " + failed.getInt("failure.line"));
        assertThat(failed.getLong("progress.published")).isPositive();
        assertThat(eventsOf(id)).hasSize((int) failed.getLong("progress.published"));
        assertThat(Path.of(storageDir, id + ".upload")).doesNotExist();
    }

    @Test
    void externalEntitiesAreNeverResolved() throws Exception {
        String user = "importer-" + UUID.randomUUID();
        String id = upload(user, fixture("xxe.xml"));

        awaitState(user, id, "failed");
        String hostname = Files.readString(Path.of("/etc/hostname")).trim();
        for (JsonNode event : eventsOf(id)) {
            assertThat(event.toString()).doesNotContain("root:x:0:0").doesNotContain(hostname);
        }
    }

    @Test
    void refusedUploadsAreProblemsAndLeaveNothingBehind() throws Exception {
        String user = "importer-" + UUID.randomUUID();
        long filesBefore = filesInStorage();

        internal().contentType("application/octet-stream").body("name,steps\n2024-01-01,1000\n"
                        .getBytes(StandardCharsets.UTF_8))
                .when().post("/internal/users/{u}/imports/apple-health", user)
                .then().statusCode(422)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:healthmesh:problem:unsupported-file"));
        internal().contentType("application/zip").body(zipOf("../../export.xml", fixture("export-every-kind.xml")))
                .when().post("/internal/users/{u}/imports/apple-health", user)
                .then().statusCode(422)
                .body("type", equalTo("urn:healthmesh:problem:hostile-file"));
        byte[] zeros = new byte[16 * 1024 * 1024];
        Arrays.fill(zeros, (byte) ' ');
        internal().contentType("application/zip").body(zipOf("export.xml", zeros))
                .when().post("/internal/users/{u}/imports/apple-health", user)
                .then().statusCode(422)
                .body("type", equalTo("urn:healthmesh:problem:hostile-file"));
        internal().contentType("application/octet-stream").body(new byte[0])
                .when().post("/internal/users/{u}/imports/apple-health", user)
                .then().statusCode(422);
        Path tooLarge = Files.createTempFile("too-large", ".xml");
        try (var out = Files.newOutputStream(tooLarge)) {
            byte[] block = new byte[1024 * 1024];
            Arrays.fill(block, (byte) '<');
            for (int i = 0; i < 21; i++) {
                out.write(block);
            }
        }
        internal().contentType("application/octet-stream").body(tooLarge.toFile())
                .when().post("/internal/users/{u}/imports/apple-health", user)
                .then().statusCode(413)
                .body("type", equalTo("urn:healthmesh:problem:payload-too-large"));
        Files.delete(tooLarge);

        assertThat(jobsOf(user)).isZero();
        assertThat(filesInStorage()).isEqualTo(filesBefore);
    }

    @Test
    void oversizeUploadsAreRefusedAnnouncedStreamedOrMultipartAndLeaveNothing() throws Exception {
        String user = "importer-" + UUID.randomUUID();
        Set<Path> before = everyStoredFile();
        Path over = Files.createTempFile("over-limit", ".xml");
        try {
            writeFilled(over, maxUploadBytes + 1);
            // Announced by Content-Length: refused before the body is read.
            internal().contentType("application/octet-stream").body(over.toFile())
                    .when().post("/internal/users/{u}/imports/apple-health", user)
                    .then().statusCode(413)
                    .contentType("application/problem+json")
                    .body("type", equalTo("urn:healthmesh:problem:payload-too-large"));
            // Chunked, no length: counted as it streams, stopped at the limit.
            HttpResponse<String> chunked = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()
                    .send(HttpRequest.newBuilder(uploadUri(user))
                            .header("Authorization", "Bearer local-service-secret")
                            .header("Content-Type", "application/octet-stream")
                            .POST(HttpRequest.BodyPublishers.ofInputStream(() -> {
                                try {
                                    return Files.newInputStream(over);
                                } catch (IOException e) {
                                    throw new UncheckedIOException(e);
                                }
                            })).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(chunked.statusCode()).isEqualTo(413);
            assertThat(chunked.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            assertThat(chunked.body()).contains("urn:healthmesh:problem:payload-too-large");
            // A multipart form whose part is one byte over: parsed to disk, then refused and deleted.
            internal().multiPart("file", over.toFile(), "application/xml")
                    .when().post("/internal/users/{u}/imports/apple-health", user)
                    .then().statusCode(413)
                    .contentType("application/problem+json")
                    .body("type", equalTo("urn:healthmesh:problem:payload-too-large"));
            internal().multiPart("file", over.toFile(), "text/csv")
                    .when().post("/internal/users/{u}/imports/csv", user)
                    .then().statusCode(413)
                    .body("type", equalTo("urn:healthmesh:problem:payload-too-large"));
        } finally {
            Files.delete(over);
        }
        assertThat(jobsOf(user)).isZero();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(everyStoredFile()).isSubsetOf(before));
    }

    @Test
    void aClientAskingForACleartextHttp2UpgradeIsAnsweredInHttp1AndItsUploadStreams() throws Exception {
        // Java's HttpClient asks every plain-HTTP request to upgrade to h2c; answering that upgrade
        // would mean aggregating the whole body in the heap first, so the service stays on HTTP/1.1.
        String user = "importer-" + UUID.randomUUID();
        HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(uploadUri(user))
                .header("Authorization", "Bearer local-service-secret")
                .header("Content-Type", "application/xml")
                .POST(HttpRequest.BodyPublishers.ofByteArray(fixture("export-every-kind.xml"))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(answer.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(202);
        String id = json.readTree(answer.body()).path("id").asText();
        awaitState(user, id, "publishing");
        assertThat(eventsOf(id)).isNotEmpty();
    }

    @Test
    void aCancelledJobEndsCancelledAndLeavesNoFile() {
        String user = "importer-" + UUID.randomUUID();
        String id = upload(user, fixture("export-every-kind.xml"));

        internal().when().delete("/internal/users/{u}/imports/{id}", user, id).then().statusCode(200);

        awaitState(user, id, "cancelled");
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.notExists(Path.of(storageDir, id + ".upload")));
        internal().when().delete("/internal/users/{u}/imports/{id}", user, id).then().statusCode(409);
    }

    @Test
    void aJobIsOnlyItsOwnersAndAFinishedOneCannotBeCancelled() throws Exception {
        String user = "importer-" + UUID.randomUUID();
        String id = upload(user, fixture("truncated.xml"));

        internal().when().get("/internal/users/{u}/imports/{id}", "someone-else", id)
                .then().statusCode(404)
                .body("type", equalTo("urn:healthmesh:problem:import-not-found"));
        internal().when().delete("/internal/users/{u}/imports/{id}", "someone-else", id)
                .then().statusCode(404);
        awaitState(user, id, "failed");
        internal().when().delete("/internal/users/{u}/imports/{id}", user, id)
                .then().statusCode(409);
        internal().when().get("/internal/users/{u}/imports/{id}", user, "not-a-uuid")
                .then().statusCode(greaterThan(399));
    }

    private static byte[] fixture(String name) {
        return resource("/apple/" + name);
    }

    private List<JsonNode> eventsOf(String jobId) throws IOException {
        return ImportApi.eventsOf(topics.deployed(Topics.RAW_APPLE_HEALTH), jobId, json);
    }

    private void publishOutcome(String jobId, long accepted, long rejected) throws IOException {
        ImportApi.publishOutcome(topics.deployed(Topics.INGEST_OUTCOME), jobId, accepted, rejected, json);
    }

    private long filesInStorage() throws IOException {
        return uploadsIn(storageDir);
    }

    private URI uploadUri(String user) {
        return URI.create(base.toString()).resolve("/internal/users/" + user + "/imports/apple-health");
    }

    /** Every file under the storage folder, multipart scratch ({@code incoming/}) included. */
    private Set<Path> everyStoredFile() throws IOException {
        try (Stream<Path> files = Files.walk(Path.of(storageDir))) {
            return files.filter(Files::isRegularFile).collect(Collectors.toSet());
        }
    }

    private static void writeFilled(Path file, long bytes) throws IOException {
        byte[] block = new byte[1024 * 1024];
        Arrays.fill(block, (byte) ' ');
        try (var out = Files.newOutputStream(file)) {
            for (long left = bytes; left > 0; left -= block.length) {
                out.write(block, 0, (int) Math.min(block.length, left));
            }
        }
    }
}
