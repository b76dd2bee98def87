package io.healthmesh.systemtests.imports;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import io.healthmesh.contracts.event.Aggregation;
import io.healthmesh.contracts.event.Envelope;
import io.healthmesh.contracts.event.Reading;
import io.healthmesh.contracts.identity.Identity;
import io.healthmesh.contracts.source.Topics;
import io.healthmesh.systemtests.harness.Harness;
import io.healthmesh.systemtests.harness.ServiceModule;
import io.healthmesh.testsupport.ServiceProcess;
import io.healthmesh.testsupport.TestKafka;
import io.healthmesh.testsupport.apple.SyntheticExport;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Apple Health exports through the real services: upload -> background job -> raw events ->
 * normalizer -> rows, the job done only once the normalizer has judged every event; a re-import
 * adds nothing; a job whose replica dies is finished by the next one.
 */
class AppleImportIT {

    private static Harness harness;

    @TempDir
    static Path files;

    @BeforeAll
    static void start() {
        harness = Harness.get();
        harness.start(ServiceModule.PREFERENCES, ServiceModule.NORMALIZER, ServiceModule.FILE_IMPORT);
    }

    private static RequestSpecification importer() {
        return given().baseUri(harness.process(ServiceModule.FILE_IMPORT).baseUrl())
                .header("Authorization", harness.bearer());
    }

    private static String upload(String user, Path export) {
        return importer().contentType("application/zip").header("X-File-Name", export.getFileName().toString())
                .body(export.toFile())
                .when().post("/internal/users/{u}/imports/apple-health", user)
                .then().statusCode(202)
                .body("state", equalTo("queued"))
                .extract().jsonPath().getString("id");
    }

    private static JsonPath job(String user, String id) {
        return importer().when().get("/internal/users/{u}/imports/{id}", user, id)
                .then().statusCode(200).extract().jsonPath();
    }

    private static JsonPath awaitDone(String user, String id, Duration within) {
        await().atMost(within).pollInterval(Duration.ofMillis(500)).until(() -> {
            String state = job(user, id).getString("state");
            assertThat(state).as("job %s", id).isNotIn("failed", "cancelled");
            return "done".equals(state);
        });
        return job(user, id);
    }

    private static String storedState(String id) throws Exception {
        try (Connection db = harness.db();
                PreparedStatement query = db.prepareStatement("select state from imports.import_job where id = ?")) {
            query.setObject(1, UUID.fromString(id));
            try (ResultSet row = query.executeQuery()) {
                row.next();
                return row.getString(1);
            }
        }
    }

    @Test
    void anExportIsImportedAndAReimportAddsNothing() throws Exception {
        String user = "apple-" + UUID.randomUUID();
        Path export = files.resolve("export.zip");
        SyntheticExport.writeZip(export, 1440);
        long records = SyntheticExport.recordsFor(1440);

        JsonPath first = awaitDone(user, upload(user, export), Duration.ofSeconds(120));
        assertThat(first.getLong("progress.published")).isEqualTo(records);
        assertThat(first.getLong("normalizer.accepted")).isEqualTo(records);
        assertThat(first.getLong("normalizer.rejected")).isZero();
        assertThat(first.getLong("progress.bytesRead")).isEqualTo(Files.size(export));
        assertThat(harness.metricRows(user)).isEqualTo(records);
        Path storage = harness.process(ServiceModule.FILE_IMPORT).logFile().getParent().resolveSibling("imports");
        assertThat(storage.resolve(first.getString("id") + ".upload")).as("a done job's upload is removed")
                .doesNotExist();

        JsonPath again = awaitDone(user, upload(user, export), Duration.ofSeconds(120));
        assertThat(again.getLong("normalizer.accepted")).isEqualTo(records);
        assertThat(harness.metricRows(user)).isEqualTo(records);

        // A newer export covers the same day and one more: only the new day's records are added.
        Path newer = files.resolve("newer-export.zip");
        SyntheticExport.writeZip(newer, 2 * 1440);
        awaitDone(user, upload(user, newer), Duration.ofSeconds(120));
        assertThat(harness.metricRows(user)).isEqualTo(SyntheticExport.recordsFor(2 * 1440));

        // The same HealthKit sample pushed by a phone app is the same row.
        OffsetDateTime firstBeat = OffsetDateTime.parse("2023-01-01T00:00:00+02:00");
        String sampleId = Identity.appleSourceRecordId("HKQuantityTypeIdentifierHeartRate", "Maya’s Apple Watch",
                "<<HKDevice: 0x2813a2b70>, name:Apple Watch, manufacturer:Apple Inc., model:Watch,"
                        + " hardware:Watch6,2, software:9.3.1>", firstBeat, firstBeat, firstBeat);
        Envelope pushed = Envelope.reading(user, "apple_health", Reading.builder().sourceRecordId(sampleId)
                .metric("heart_rate").value(55.0).unit("count/min").aggregation(Aggregation.SAMPLE).start(firstBeat)
                .end(firstBeat).app("Maya’s Apple Watch").build(), OffsetDateTime.now());
        try (TestKafka kafka = new TestKafka()) {
            kafka.publish(harness.topic(Topics.RAW_PUSH), pushed);
            await().atMost(Duration.ofSeconds(30)).until(() -> kafka.groupCaughtUp(harness.topicPrefix() + "normalizer",
                    List.of(harness.topic(Topics.RAW_PUSH))));
        }
        assertThat(harness.metricRows(user)).isEqualTo(SyntheticExport.recordsFor(2 * 1440));
    }

    @Test
    void aCancelStopsAJobWhileItIsBeingRead() throws Exception {
        String user = "cancel-" + UUID.randomUUID();
        Path export = files.resolve("cancelled-export.zip");
        long minutes = 120L * 1440;
        SyntheticExport.writeZip(export, minutes);
        String id = upload(user, export);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                .until(() -> job(user, id).getLong("progress.published") > 0);

        importer().when().delete("/internal/users/{u}/imports/{id}", user, id).then().statusCode(200);

        await().atMost(Duration.ofSeconds(30)).until(() -> "cancelled".equals(job(user, id).getString("state")));
        assertThat(job(user, id).getLong("progress.published")).isLessThan(SyntheticExport.recordsFor(minutes));
    }

    @Test
    void aJobWhoseReplicaDiesIsFinishedByTheNext() throws Exception {
        ServiceProcess importer = harness.startWith(ServiceModule.FILE_IMPORT,
                Map.of("HEALTHMESH_IMPORTS_LEASE", "3s", "HEALTHMESH_IMPORTS_POLL_INTERVAL", "500ms"));
        String user = "resume-" + UUID.randomUUID();
        Path export = files.resolve("big-export.zip");
        long minutes = 120L * 1440;
        SyntheticExport.writeZip(export, minutes);
        String id = upload(user, export);

        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                .until(() -> job(user, id).getLong("progress.bytesRead") > 0);
        importer.kill();
        assertThat(storedState(id)).isEqualTo("parsing");
        importer.start();
        importer.awaitReady(Duration.ofSeconds(90));

        JsonPath done = awaitDone(user, id, Duration.ofSeconds(240));
        long records = SyntheticExport.recordsFor(minutes);
        assertThat(done.getLong("progress.published")).isEqualTo(records);
        assertThat(done.getLong("normalizer.accepted") + done.getLong("normalizer.rejected")).isEqualTo(records);
        assertThat(harness.metricRows(user)).isEqualTo(records);
    }
}
