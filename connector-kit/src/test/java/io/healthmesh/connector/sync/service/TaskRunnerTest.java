package io.healthmesh.connector.sync.service;

import static io.healthmesh.connector.sync.fake.FakeProvider.reading;
import static io.healthmesh.connector.sync.fake.FakeProvider.session;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.healthmesh.commons.messaging.TopicNames;
import io.healthmesh.connector.provider.ProviderException;
import io.healthmesh.connector.provider.ProviderException.Kind;
import io.healthmesh.connector.sync.SyncTestProfile;
import io.healthmesh.connector.sync.SyncTables;
import io.healthmesh.connector.sync.SyncTables.TaskRow;
import io.healthmesh.connector.sync.fake.FakeConnectionDirectory;
import io.healthmesh.connector.sync.fake.FakeConnectionDirectory.Report;
import io.healthmesh.connector.sync.fake.FakeConnectionDirectory.TokenRequest;
import io.healthmesh.connector.sync.fake.FakeMeasuresSync;
import io.healthmesh.connector.sync.fake.FakeProvider;
import io.healthmesh.connector.sync.messaging.SyncEventPublisher;
import io.healthmesh.contracts.event.Envelope;
import io.healthmesh.contracts.event.EventJson;
import io.healthmesh.contracts.identity.Identity;
import io.healthmesh.contracts.source.Topics;
import io.healthmesh.contracts.status.ConnectionState;
import io.healthmesh.testsupport.LocalStack;
import io.healthmesh.testsupport.ServiceProcess;
import io.healthmesh.testsupport.TestKafka;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * One task's run: what reaches the raw topic, when the cursor moves (only after the broker's
 * acknowledgement), and what each kind of failure does to the task and the connection.
 */
@QuarkusTest
@TestProfile(SyncTestProfile.class)
class TaskRunnerTest {

    private static final String MEASURES = FakeMeasuresSync.DATA_TYPE;
    private static final Duration WAIT = Duration.ofSeconds(30);

    @Inject
    FakeConnectionDirectory directory;

    @Inject
    FakeProvider provider;

    @Inject
    Workers workers;

    @Inject
    TopicNames topics;

    @BeforeEach
    void empty() {
        SyncTables.reset();
    }

    @AfterEach
    void stopWorkers() {
        workers.stopAll();
    }

    @Test
    void eventsGoToTheRawTopicKeyedByUserAndTheCursorMovesOnceAcknowledged() {
        String user = connectedUser();
        SyncTables.setCursor(user, MEASURES, "c0");
        UUID id = SyncTables.queued(user, MEASURES, "incremental");
        provider.script(user, (context, call) -> {
            context.beforeRequest();
            context.accessToken();
            context.reading(reading(call.dataType(), 1));
            context.reading(reading(call.dataType(), 2));
            context.session(session(call.dataType(), 1));
            return "c1";
        });

        workers.worker("replica-a").tick();

        TaskRow done = awaitState(id, "done");
        assertThat(done.attempts()).isEqualTo(1);
        assertThat(done.leaseOwner()).isNull();
        assertThat(SyncTables.cursor(user, MEASURES)).contains("c1");
        assertThat(provider.calls(user)).singleElement().satisfies(call -> {
            assertThat(call.cursor()).isEqualTo("c0");
            assertThat(call.from()).isNull();
            assertThat(call.to()).isNull();
        });
        List<ConsumerRecord<byte[], byte[]>> records = recordsOf(user);
        assertThat(records).hasSize(3).allSatisfy(record ->
                assertThat(new String(record.key(), StandardCharsets.UTF_8)).isEqualTo(user));
        List<Envelope> events = records.stream().map(record -> EventJson.read(record.value())).toList();
        assertThat(events).allSatisfy(event -> {
            assertThat(event.userId()).isEqualTo(user);
            assertThat(event.source()).isEqualTo("withings");
            assertThat(event.occurredAt()).isNotNull();
        });
        assertThat(events).extracting(Envelope::eventId).containsExactlyInAnyOrder(
                Identity.eventId(user, "withings", "measures-1", "body_mass"),
                Identity.eventId(user, "withings", "measures-2", "body_mass"),
                Identity.sessionEventId(user, "withings", "measures-night-1"));
    }

    @Test
    void aSyncThatFailsAfterPublishingLeavesTheCursorAndIsRequeuedWithBackoff() {
        String unavailable = connectedUser();
        String broken = connectedUser();
        for (String user : List.of(unavailable, broken)) {
            SyncTables.setCursor(user, MEASURES, "c0");
        }
        UUID first = SyncTables.queued(unavailable, MEASURES, "incremental");
        UUID second = SyncTables.queued(broken, MEASURES, "incremental");
        provider.script(unavailable, (context, call) -> {
            context.reading(reading(call.dataType(), 1));
            context.reading(reading(call.dataType(), 2));
            throw new ProviderException(Kind.UNAVAILABLE, "503 from the provider");
        });
        provider.script(broken, (context, call) -> {
            context.reading(reading(call.dataType(), 1));
            throw new IllegalStateException("a bug in the data type's parser");
        });

        Instant before = SyncTables.dbNow();
        workers.worker("replica-a", 2).tick();

        for (UUID id : List.of(first, second)) {
            TaskRow requeued = awaitRequeued(id);
            assertThat(requeued.attempts()).isEqualTo(1);
            assertThat(requeued.leaseOwner()).isNull();
            // First retry after the backoff's base (30 s).
            assertThat(requeued.notBefore()).isBetween(before.plusSeconds(29), before.plusSeconds(40));
        }
        assertThat(SyncTables.task(first).lastError()).contains("503 from the provider");
        assertThat(SyncTables.task(second).lastError()).contains("a bug in the data type's parser");
        assertThat(SyncTables.cursor(unavailable, MEASURES)).contains("c0");
        assertThat(SyncTables.cursor(broken, MEASURES)).contains("c0");
    }

    @Test
    void whenTheBrokerIsNotThereTheCursorStays() {
        int closedPort = ServiceProcess.freePort();
        SyncEventPublisher noBroker = new SyncEventPublisher("127.0.0.1:" + closedPort, topics, "no-broker",
                Map.of(ProducerConfig.MAX_BLOCK_MS_CONFIG, 1000, ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 1000,
                        ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 2000, ProducerConfig.LINGER_MS_CONFIG, 0));
        try {
            assertCursorStaysWith(noBroker);
        } finally {
            noBroker.close();
        }
    }

    @Test
    void whenTheRawTopicDoesNotExistTheCursorStays() {
        // The local broker does not create topics on demand: under a prefix nobody created, the send fails.
        TopicNames nowhere = new TopicNames(Optional.of("missing-" + UUID.randomUUID() + "."));
        SyncEventPublisher missingTopic = new SyncEventPublisher(LocalStack.kafkaBootstrapServers(), nowhere,
                "missing-topic", Map.of(ProducerConfig.MAX_BLOCK_MS_CONFIG, 2000));
        try {
            assertCursorStaysWith(missingTopic);
        } finally {
            missingTopic.close();
        }
    }

    private void assertCursorStaysWith(SyncEventPublisher refusing) {
        String user = connectedUser();
        SyncTables.setCursor(user, MEASURES, "c0");
        UUID id = SyncTables.queued(user, MEASURES, "incremental");
        provider.script(user, (context, call) -> {
            context.reading(reading(call.dataType(), 1));
            return "c1";
        });

        workers.worker("replica-refused", refusing, 1).tick();

        TaskRow requeued = awaitRequeued(id);
        assertThat(requeued.attempts()).isEqualTo(1);
        assertThat(requeued.lastError()).contains("Kafka did not take");
        assertThat(SyncTables.cursor(user, MEASURES)).contains("c0");
        assertThat(provider.calls(user)).hasSize(1);
    }

    @Test
    void aRateLimitedSyncWaitsAsLongAsTheProviderAskedAndKeepsItsAttempts() {
        String told = connectedUser();
        String untold = connectedUser();
        UUID first = SyncTables.queued(told, MEASURES, "incremental");
        UUID second = SyncTables.queued(untold, MEASURES, "incremental");
        provider.script(told, (context, call) -> {
            throw new ProviderException(Kind.RATE_LIMITED, "601 too many requests", Duration.ofMinutes(7), null);
        });
        provider.script(untold, (context, call) -> {
            throw new ProviderException(Kind.RATE_LIMITED, "601 too many requests");
        });

        Instant before = SyncTables.dbNow();
        workers.worker("replica-a", 2).tick();

        TaskRow waiting = awaitRequeued(first);
        assertThat(waiting.notBefore()).isBetween(before.plus(Duration.ofMinutes(7)),
                before.plus(Duration.ofMinutes(7)).plusSeconds(10));
        // The provider counts per app: every replica's requests of the source wait as long.
        assertThat(SyncTables.pausedUntil("withings")).hasValueSatisfying(until -> assertThat(until)
                .isBetween(before.plus(Duration.ofMinutes(7)), before.plus(Duration.ofMinutes(7)).plusSeconds(10)));
        assertThat(waiting.attempts()).isZero();
        assertThat(waiting.lastError()).contains("rate limited");
        TaskRow backedOff = awaitRequeued(second);
        assertThat(backedOff.notBefore()).isBetween(before.plusSeconds(29), before.plusSeconds(40));
        assertThat(backedOff.attempts()).isZero();
    }

    @Test
    void aRefusedAccessTokenIsRefreshedAndTheSyncRunsOnceMore() {
        String user = connectedUser();
        UUID id = SyncTables.queued(user, MEASURES, "incremental");
        provider.script(user, (context, call) -> {
            String token = context.accessToken();
            if (token.equals(FakeConnectionDirectory.token(user, 1))) {
                throw new ProviderException(Kind.TOKEN_INVALID, "401 invalid token");
            }
            context.reading(reading(call.dataType(), 1));
            return "c1";
        });

        workers.worker("replica-a").tick();

        TaskRow done = awaitState(id, "done");
        assertThat(done.attempts()).isEqualTo(1);
        assertThat(provider.calls(user)).hasSize(2);
        assertThat(directory.tokenRequests(user)).extracting(TokenRequest::refusedToken)
                .containsExactly(null, FakeConnectionDirectory.token(user, 1));
        assertThat(SyncTables.cursor(user, MEASURES)).contains("c1");
    }

    @Test
    void anIncrementalSyncReportsSyncingThenConnected() {
        String user = connectedUser();
        UUID id = SyncTables.queued(user, MEASURES, "incremental");
        provider.script(user, (context, call) -> {
            context.reading(reading(call.dataType(), 1));
            return "c1";
        });

        workers.worker("replica-a").tick();

        awaitState(id, "done");
        await().atMost(WAIT).until(() -> directory.reports(user).size() == 2);
        assertThat(directory.reports(user)).extracting(Report::state)
                .containsExactly(ConnectionState.SYNCING, ConnectionState.CONNECTED);
        assertThat(directory.reports(user).get(1).lastSuccessfulSync()).isNotNull();
    }

    @Test
    void aRefusedGrantFailsTheTaskAndNothingMoreRunsForTheConnection() {
        String user = connectedUser();
        directory.refuseGrant(user, "withings");
        UUID claimed = SyncTables.queued(user, MEASURES, "incremental");
        UUID later = SyncTables.insertTask(user, "sleep", "targeted", "queued", null, null, 0,
                Instant.now().plus(Duration.ofHours(1)));

        workers.worker("replica-a").tick();

        assertThat(awaitState(claimed, "failed").lastError()).contains("grant refused");
        assertThat(awaitState(later, "cancelled").lastError()).contains("connect again");
        // The directory marked the connection token_expired and reported that; the sync side adds
        // nothing after its syncing.
        assertThat(directory.reports(user)).extracting(Report::state)
                .containsExactly(ConnectionState.SYNCING, ConnectionState.TOKEN_EXPIRED);
    }

    @Test
    void aForbiddenSyncFailsAndTheConnectionReportsAnError() {
        String user = connectedUser();
        UUID id = SyncTables.queued(user, MEASURES, "incremental");
        provider.script(user, (context, call) -> {
            throw new ProviderException(Kind.FORBIDDEN, "the user did not grant user.metrics");
        });

        workers.worker("replica-a").tick();

        assertThat(awaitState(id, "failed").lastError()).contains("membership")
                .endsWith("(the user did not grant user.metrics)");
        await().atMost(WAIT).until(() -> directory.reports(user).size() == 2);
        assertThat(directory.reports(user)).extracting(Report::state)
                .containsExactly(ConnectionState.SYNCING, ConnectionState.ERROR);
        assertThat(directory.reports(user).get(1).reason()).contains("membership").contains("permission (scope)")
                .contains(MEASURES).endsWith("(the user did not grant user.metrics)");
    }

    @Test
    void aDataTypeStillForbiddenKeepsTheErrorWhenAnotherDataTypeSyncs() {
        String user = connectedUser();
        UUID forbidden = SyncTables.queued(user, MEASURES, "incremental");
        provider.script(user, (context, call) -> {
            throw new ProviderException(Kind.FORBIDDEN, "no scope");
        });
        workers.worker("replica-a").tick();
        awaitState(forbidden, "failed");
        await().atMost(WAIT).until(() -> !directory.reports(user).isEmpty());

        provider.script(user, (context, call) -> null);
        UUID other = SyncTables.queued(user, "sleep", "incremental");
        workers.worker("replica-a").tick();
        awaitState(other, "done");

        // Nothing says connected while measures are refused: after the other sync's syncing, the error again.
        await().atMost(WAIT).until(() -> directory.reports(user).get(directory.reports(user).size() - 1).state()
                == ConnectionState.ERROR && directory.reports(user).size() >= 4);
        assertThat(directory.reports(user)).extracting(Report::state).doesNotContain(ConnectionState.CONNECTED);
        Report last = directory.reports(user).get(directory.reports(user).size() - 1);
        assertThat(last.reason()).contains("membership").contains(MEASURES);
    }

    @Test
    void theLastAllowedAttemptFailsTheTaskAndReportsAnError() {
        String user = connectedUser();
        int max = workers.config().sync().maxAttempts();
        UUID id = SyncTables.insertTask(user, MEASURES, "incremental", "queued", null, null, max - 1, null);
        provider.script(user, (context, call) -> {
            throw new ProviderException(Kind.UNAVAILABLE, "503 again");
        });

        workers.worker("replica-a").tick();

        TaskRow failed = awaitState(id, "failed");
        assertThat(failed.attempts()).isEqualTo(max);
        assertThat(failed.lastError()).startsWith("gave up after " + max + " attempts").contains("503 again");
        await().atMost(WAIT).until(() -> directory.reports(user).size() == 2);
        assertThat(directory.reports(user)).extracting(Report::state)
                .containsExactly(ConnectionState.SYNCING, ConnectionState.ERROR);
    }

    @Test
    void backoffDoublesUpToItsMaximum() {
        TaskRunner runner = new TaskRunner(null, null, null, null, workers.config().sync());
        assertThat(runner.backoff(1)).isEqualTo(Duration.ofSeconds(30));
        assertThat(runner.backoff(2)).isEqualTo(Duration.ofSeconds(60));
        assertThat(runner.backoff(4)).isEqualTo(Duration.ofMinutes(4));
        assertThat(runner.backoff(7)).isEqualTo(Duration.ofMinutes(30));
        assertThat(runner.backoff(60)).isEqualTo(Duration.ofMinutes(30));
    }

    @Test
    void metricsCountSyncRunsAndProviderErrorsPerConnector() {
        String ok = connectedUser();
        String down = connectedUser();
        SyncTables.setCursor(ok, MEASURES, "c0");
        SyncTables.setCursor(down, MEASURES, "c0");
        UUID done = SyncTables.queued(ok, MEASURES, "incremental");
        UUID requeued = SyncTables.queued(down, MEASURES, "incremental");
        provider.script(ok, (context, call) -> "c1");
        provider.script(down, (context, call) -> {
            throw new ProviderException(Kind.UNAVAILABLE, "503 from the provider");
        });

        workers.worker("replica-a", 2).tick();
        awaitState(done, "done");
        awaitRequeued(requeued);

        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(metrics).containsPattern(
                "healthmesh_connector_sync_runs_total\\{[^}]*outcome=\"done\"[^}]*source=\"withings\"[^}]*} [1-9]");
        assertThat(metrics).containsPattern(
                "healthmesh_connector_sync_runs_total\\{[^}]*outcome=\"provider_unavailable\"[^}]*source=\"withings\"");
        assertThat(metrics).containsPattern(
                "healthmesh_connector_provider_errors_total\\{kind=\"unavailable\",[^}]*source=\"withings\"} [1-9]");
    }

    private String connectedUser() {
        String user = "user-" + UUID.randomUUID();
        directory.connect(user, "withings", "wid-" + user);
        return user;
    }

    private static TaskRow awaitState(UUID id, String state) {
        await().atMost(WAIT).until(() -> SyncTables.task(id).state().equals(state));
        return SyncTables.task(id);
    }

    /** Queued again after a run (a queued task that never ran has no error). */
    private static TaskRow awaitRequeued(UUID id) {
        await().atMost(WAIT).until(() -> {
            TaskRow task = SyncTables.task(id);
            return task.state().equals("queued") && task.lastError() != null;
        });
        return SyncTables.task(id);
    }

    private List<ConsumerRecord<byte[], byte[]>> recordsOf(String user) {
        try (TestKafka kafka = new TestKafka()) {
            return kafka.readAll(topics.deployed(Topics.RAW_WITHINGS)).stream()
                    .filter(record -> new String(record.key(), StandardCharsets.UTF_8).equals(user))
                    .toList();
        }
    }
}
