package io.healthmesh.systemtests.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.healthmesh.contracts.source.Topics;
import io.healthmesh.systemtests.harness.Harness;
import io.healthmesh.systemtests.harness.ServiceModule;
import io.healthmesh.testsupport.ServiceProcess;
import io.healthmesh.testsupport.TestKafka;
import io.healthmesh.testsupport.apple.SyntheticExport;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fault suite (issue 11), on the real local stack through the harness. In each scenario a
 * user's readings flow to the normalizer from two sides at once: an Apple Health export imported
 * through the gateway, and a phone pushing batches to the push API (retrying what is not
 * acknowledged, same Idempotency-Key). Mid-stream one fault hits: the normalizer is killed with
 * SIGKILL and started again, the Kafka broker is stopped and started, PostgreSQL is stopped and
 * started. Afterwards:
 *
 * <ul>
 *   <li>{@code normalizer.unified_metric} holds exactly the expected rows of the user: every record of
 *       the export and every pushed reading the gateway acknowledged, none lost, none twice (the
 *       pushed rows carry exactly the eventIds of the 202 answers);</li>
 *   <li>the import job is done, with published = accepted + rejected = the records of the file;</li>
 *   <li>every service recovers by itself (only the killed normalizer is started again);</li>
 *   <li>while Kafka or PostgreSQL is away, every service's readiness answers DOWN, and UP after;</li>
 *   <li>while Kafka is away the push API answers 503 (never 202) within 20 s, and the client's retries
 *       get their 202 after; replaying an acknowledged key gives the stored answer.</li>
 * </ul>
 *
 * <p>Tagged {@code fault}: it stops the stack's shared Kafka and PostgreSQL, so system-tests' pom runs
 * it in its own failsafe execution after every other test, and it brings both back up whatever
 * happens.
 */
@Tag("fault")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FaultInjectionIT {

    /**
     * Minutes of the synthetic export (a heart rate a minute, steps, energy and distance every ten,
     * a weight a day): about 42,000 records per scenario, enough to still be flowing when the fault
     * hits on two shared cores, small enough for the three scenarios to stay within a few minutes.
     */
    private static final long EXPORT_MINUTES = 21L * 1440;
    private static final int READINGS_PER_PUSH = 50;
    private static final Duration PUSH_PACE = Duration.ofMillis(250);
    /** The bound for an answer of the push API while Kafka is away. */
    private static final Duration PUSH_ANSWER_BOUND = Duration.ofSeconds(20);
    /** Readiness must change within this after a dependency went away or came back. */
    private static final Duration READINESS_WITHIN = Duration.ofSeconds(60);
    private static final Duration SETTLE_WITHIN = Duration.ofSeconds(150);

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private static Harness harness;
    private static StackControl stack;

    @TempDir
    static Path files;

    @BeforeAll
    static void start() {
        harness = Harness.get();
        Path logs = Path.of(System.getProperty("healthmesh.logs", "target/service-logs")).toAbsolutePath();
        stack = new StackControl(Path.of(System.getProperty("healthmesh.root", "..")).toAbsolutePath().normalize(),
                logs);
        stack.checkItIsTheTestedStack();
        harness.start(ServiceModule.PREFERENCES, ServiceModule.NORMALIZER, ServiceModule.FILE_IMPORT,
                ServiceModule.GATEWAY);
    }

    /** Whatever failed, the shared stack is up again for whoever uses it next. */
    @AfterAll
    static void bringTheStackBack() {
        if (stack != null) {
            try {
                stack.startPostgres();
            } finally {
                stack.startKafka();
            }
        }
    }

    private static List<ServiceProcess> services() {
        return Stream.of(ServiceModule.PREFERENCES, ServiceModule.NORMALIZER, ServiceModule.FILE_IMPORT,
                ServiceModule.GATEWAY).map(harness::process).toList();
    }

    // ------------------------------------------------------------------------------------------
    // The scenarios

    @Test
    @Order(1)
    void aNormalizerKilledMidBatchAndRestartedLosesAndDoublesNothing() throws Exception {
        Flow flow = Flow.begin("crash");
        ServiceProcess normalizer = harness.process(ServiceModule.NORMALIZER);
        try (PushStream push = flow.push) {
            // Mid-batch: the normalizer is writing this user's rows.
            await("normalizer writing the user's rows").atMost(Duration.ofSeconds(90))
                    .pollInterval(Duration.ofMillis(20)).until(() -> harness.metricRows(flow.user) > 0);
            normalizer.kill();
            assertThat(harness.metricRows(flow.user)).as("the kill must hit mid-stream")
                    .isLessThan(flow.exportRecords);

            normalizer.start();
            normalizer.awaitReady(Duration.ofSeconds(90));
            flow.finishPushing();
        }
        flow.assertEverythingArrivedOnce();
        assertThat(flow.push.attempts()).as("Kafka stayed up: every batch was acknowledged at once")
                .allMatch(attempt -> attempt.status() == 202);
    }

    @Test
    @Order(2)
    void aKafkaOutageIsAnsweredWith503WithinTwentySecondsAndEverythingArrivesOnceAfter() throws Exception {
        Flow flow = Flow.begin("kafka");
        try (PushStream push = flow.push) {
            // Mid-flight: the import job is publishing the export.
            await("import publishing").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(20))
                    .until(() -> flow.job().path("progress").path("published").asLong() > 0);
            try {
                stack.stopKafka();
                assertThat(flow.job().path("state").asText()).as("the outage must hit the import mid-flight")
                        .isNotEqualTo("done");
                awaitReadiness(services(), 503);
                long answeredBefore = push.attempts().size();
                await("push answers while Kafka is away").atMost(Duration.ofSeconds(60))
                        .until(() -> push.attempts().stream().skip(answeredBefore).anyMatch(a -> a.status() == 503));
            } finally {
                stack.startKafka();
            }
            awaitReadiness(services(), 200);
            flow.finishPushing();
        }
        flow.assertEverythingArrivedOnce();

        assertThat(flow.push.attempts()).as("every answer of the push API within %s", PUSH_ANSWER_BOUND)
                .allMatch(attempt -> attempt.millis() < PUSH_ANSWER_BOUND.toMillis());
        assertThat(flow.push.attempts()).as("what was not published is a 503, never a 202")
                .allMatch(attempt -> attempt.status() == 202 || attempt.status() == 503);
        assertThat(flow.push.answered(503)).as("batches refused while Kafka was away").isPositive();
        assertThat(flow.push.attempts()).as("each refused batch was retried until its 202")
                .filteredOn(attempt -> attempt.status() == 503)
                .allMatch(refused -> flow.push.acknowledged().stream().anyMatch(b -> b.batch() == refused.batch()));
        flow.assertReplaysGiveTheStoredAnswers();
    }

    @Test
    @Order(3)
    void aPostgresOutageLosesAndDoublesNothingAndEveryServiceRecovers() throws Exception {
        Flow flow = Flow.begin("postgres");
        try (PushStream push = flow.push) {
            // Mid-flight: the import is publishing and the normalizer writing this user's rows.
            await("normalizer writing the user's rows").atMost(Duration.ofSeconds(90))
                    .pollInterval(Duration.ofMillis(20)).until(() -> harness.metricRows(flow.user) > 0);
            long atFault = harness.metricRows(flow.user);
            assertThat(atFault).as("the outage must hit mid-stream").isLessThan(flow.exportRecords);
            try {
                stack.stopPostgres();
                awaitReadiness(services(), 503);
                long answeredBefore = push.attempts().size();
                await("push answers while PostgreSQL is away").atMost(Duration.ofSeconds(60))
                        .until(() -> push.attempts().stream().skip(answeredBefore).anyMatch(a -> a.status() != 202));
            } finally {
                stack.startPostgres();
            }
            awaitReadiness(services(), 200);
            flow.finishPushing();
        }
        flow.assertEverythingArrivedOnce();
        assertThat(flow.push.attempts()).as("a batch is either acknowledged or refused with 503, never lost")
                .allMatch(attempt -> attempt.status() == 202 || attempt.status() == 503);
        flow.assertReplaysGiveTheStoredAnswers();
    }

    // ------------------------------------------------------------------------------------------
    // One scenario's stream of readings and what must come of it

    private static final class Flow {
        final String user;
        final String bearer;
        final Path export;
        final long exportRecords;
        final String jobId;
        final PushStream push;

        private Flow(String user, String bearer, Path export, long exportRecords, String jobId, PushStream push) {
            this.user = user;
            this.bearer = bearer;
            this.export = export;
            this.exportRecords = exportRecords;
            this.jobId = jobId;
            this.push = push;
        }

        /** Starts the push stream and uploads the export through the gateway, as the user. */
        static Flow begin(String scenario) throws Exception {
            String user = "fault-" + scenario + "-" + UUID.randomUUID();
            String bearer = harness.userBearer(user);
            Path export = files.resolve(scenario + "-export.zip");
            SyntheticExport.writeZip(export, EXPORT_MINUTES);
            PushStream push = new PushStream(harness.process(ServiceModule.GATEWAY).baseUrl(), bearer,
                    "phone-" + scenario, READINGS_PER_PUSH, PUSH_PACE).start();
            HttpResponse<String> uploaded = HTTP.send(HttpRequest.newBuilder(
                            URI.create(harness.process(ServiceModule.GATEWAY).baseUrl() + "/api/v1/imports/apple-health"))
                    .header("Authorization", bearer).header("Content-Type", "application/zip")
                    .header("X-File-Name", "export.zip").timeout(Duration.ofSeconds(60))
                    .POST(HttpRequest.BodyPublishers.ofFile(export)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(uploaded.statusCode()).as("upload: %s", uploaded.body()).isEqualTo(202);
            String job = JSON.readTree(uploaded.body()).path("id").asText();
            return new Flow(user, bearer, export, SyntheticExport.recordsFor(EXPORT_MINUTES), job, push);
        }

        /** The job as file-import tells it (internal route: the test's polling stays out of the user's rate limit). */
        JsonNode job() throws IOException, InterruptedException {
            HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(URI.create(
                            harness.process(ServiceModule.FILE_IMPORT).baseUrl() + "/internal/users/" + user
                                    + "/imports/" + jobId))
                    .header("Authorization", harness.bearer()).timeout(Duration.ofSeconds(20)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode()).as("job %s: %s", jobId, answer.body()).isEqualTo(200);
            return JSON.readTree(answer.body());
        }

        /**
         * After recovery: a few more batches go through, then the stream ends once its last batch is
         * acknowledged, so every batch it made has its 202.
         */
        void finishPushing() {
            int before = push.acknowledgedBatches();
            await("pushes acknowledged after recovery").atMost(Duration.ofSeconds(60))
                    .until(() -> push.acknowledgedBatches() >= before + 3 || !push.unexpected().isEmpty());
            push.stop();
            await("push stream's last batch acknowledged").atMost(Duration.ofSeconds(60)).until(push::finished);
            assertThat(push.unexpected()).as("answers no retry fixes").isEmpty();
        }

        void assertEverythingArrivedOnce() throws Exception {
            // The job: done, every record of the file published once and judged by the normalizer.
            await("import job done").atMost(SETTLE_WITHIN).pollInterval(Duration.ofMillis(500)).until(() -> {
                String state = job().path("state").asText();
                assertThat(state).as("job %s: %s", jobId, job()).isNotIn("failed", "cancelled");
                return "done".equals(state);
            });
            JsonNode done = job();
            assertThat(done.path("progress").path("published").asLong()).as("published").isEqualTo(exportRecords);
            assertThat(done.path("progress").path("bytesRead").asLong()).isEqualTo(Files.size(export));
            assertThat(done.path("normalizer").path("accepted").asLong()).as("accepted").isEqualTo(exportRecords);
            assertThat(done.path("normalizer").path("rejected").asLong()).as("rejected").isZero();

            // The rows: the export's and every acknowledged push, once each, nothing else.
            Set<String> pushed = push.acknowledgedIds();
            long expected = exportRecords + pushed.size();
            await("all rows written").atMost(SETTLE_WITHIN).pollInterval(Duration.ofMillis(500))
                    .until(() -> harness.metricRows(user) >= expected);
            try (TestKafka kafka = new TestKafka()) {
                await("normalizer caught up").atMost(SETTLE_WITHIN).pollInterval(Duration.ofMillis(500))
                        .until(() -> kafka.groupCaughtUp(harness.topicPrefix() + "normalizer",
                                Topics.RAW_TOPICS.stream().map(harness::topic).toList()));
            }
            assertThat(harness.metricRows(user)).as("rows of %s", user).isEqualTo(expected);
            assertThat(rows("apple_health", "source_record_id")).as("export rows").hasSize((int) exportRecords);
            assertThat(rows("push", "source_record_id")).as("pushed rows").isEqualTo(pushed);
            assertThat(rows("push", "event_id::text")).as("pushed rows carry the acknowledged eventIds")
                    .isEqualTo(push.acknowledgedEventIds().stream().map(UUID::toString)
                            .collect(java.util.stream.Collectors.toSet()));
        }

        /** A client whose 202 was lost sends the batch again: the stored answer, nothing published twice. */
        void assertReplaysGiveTheStoredAnswers() throws Exception {
            long rows = harness.metricRows(user);
            for (PushStream.Acknowledged batch : push.acknowledged()) {
                HttpResponse<String> again = push.replay(batch);
                if (again.statusCode() == 409) {
                    // The batch was published and answered 202, but its answer could not be stored
                    // while PostgreSQL was away: its key stays claimed until the claim is taken over
                    // (60 s), and the 409 says to retry later. Then the batch is published again,
                    // with the same eventIds, so the same answer and no new row.
                    HttpResponse<String>[] retried = new HttpResponse[1];
                    await("replay of " + batch.key() + " after its claim is taken over").atMost(Duration.ofSeconds(100))
                            .pollInterval(Duration.ofSeconds(5))
                            .until(() -> (retried[0] = push.replay(batch)).statusCode() != 409);
                    assertThat(retried[0].statusCode()).as("retried replay of %s", batch.key()).isEqualTo(202);
                    assertThat(retried[0].body()).isEqualTo(batch.answer());
                    continue;
                }
                assertThat(again.statusCode()).as("replay of %s", batch.key()).isEqualTo(202);
                assertThat(again.headers().firstValue("Idempotent-Replayed")).hasValue("true");
                assertThat(again.body()).isEqualTo(batch.answer());
            }
            assertThat(harness.metricRows(user)).isEqualTo(rows);
        }

        private Set<String> rows(String source, String column) throws SQLException {
            Set<String> values = new HashSet<>();
            try (Connection db = harness.db(); PreparedStatement query = db.prepareStatement("select " + column
                    + " from normalizer.unified_metric where user_id = ? and source = ?")) {
                query.setString(1, user);
                query.setString(2, source);
                try (ResultSet result = query.executeQuery()) {
                    while (result.next()) {
                        values.add(result.getString(1));
                    }
                }
            }
            return values;
        }
    }

    /** Waits until every service's {@code /q/health/ready} answers the status (503: DOWN, 200: UP). */
    private static void awaitReadiness(List<ServiceProcess> services, int status) {
        for (ServiceProcess service : services) {
            await(service.name() + " readiness " + status).atMost(READINESS_WITHIN).pollInterval(Duration.ofMillis(250))
                    .until(() -> readiness(service) == status);
        }
    }

    /** The readiness answer's status; -1 when none came within the probe's bound. */
    private static int readiness(ServiceProcess service) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(service.baseUrl() + "/q/health/ready"))
                    .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }
}
