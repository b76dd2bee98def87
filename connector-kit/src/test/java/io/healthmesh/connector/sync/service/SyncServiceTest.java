package io.healthmesh.connector.sync.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import io.healthmesh.connector.connection.ConnectionRef;
import io.healthmesh.connector.provider.ProviderException;
import io.healthmesh.connector.sync.SyncTestProfile;
import io.healthmesh.connector.sync.SyncTables;
import io.healthmesh.connector.sync.SyncTables.TaskRow;
import io.healthmesh.connector.sync.fake.FakeConnectionDirectory;
import io.healthmesh.connector.sync.fake.FakeConnectionDirectory.Report;
import io.healthmesh.connector.sync.fake.FakeProvider;
import io.healthmesh.contracts.status.ConnectionState;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The scheduler as the connections side calls it: connect, disconnect, notifications. */
@QuarkusTest
@TestProfile(SyncTestProfile.class)
class SyncServiceTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Inject
    SyncService scheduler;

    @Inject
    FakeConnectionDirectory directory;

    @Inject
    FakeProvider provider;

    @Inject
    Workers workers;

    @BeforeEach
    void empty() {
        SyncTables.reset();
    }

    @AfterEach
    void stopWorkers() {
        workers.stopAll();
    }

    @Test
    void aConnectBackfillsEveryDataTypeForNinetyDaysReportingProgressThenConnected() {
        ConnectionRef connection = connection();
        Instant before = Instant.now();

        scheduler.connected(connection);

        Instant after = Instant.now();
        List<TaskRow> backfill = SyncTables.tasksOf(connection.userId());
        assertThat(backfill).hasSize(3).allSatisfy(task -> {
            assertThat(task.kind()).isEqualTo("backfill");
            assertThat(task.state()).isEqualTo("queued");
            assertThat(task.windowTo()).isBetween(before.minusMillis(1), after);
            assertThat(Duration.between(task.windowFrom(), task.windowTo())).isEqualTo(Duration.ofDays(90));
        });
        assertThat(backfill).extracting(TaskRow::dataType).containsExactlyInAnyOrder("activity", "measures", "sleep");
        Instant next = SyncTables.nextSync(connection.userId()).orElseThrow();
        assertThat(next).isBetween(before.plus(Duration.ofMinutes(59)), after.plus(Duration.ofMinutes(61)));
        assertThat(directory.reports(connection.userId())).singleElement().satisfies(report -> {
            assertThat(report.state()).isEqualTo(ConnectionState.BACKFILLING);
            assertThat(report.progress()).isZero();
        });

        // One task at a time, so that the progress reports come in a known order.
        workers.worker("replica-a", 1).start();

        await().atMost(WAIT).until(() -> lastState(connection.userId()) == ConnectionState.CONNECTED);
        List<Report> reports = directory.reports(connection.userId());
        assertThat(reports).extracting(Report::state).containsExactly(ConnectionState.BACKFILLING,
                ConnectionState.BACKFILLING, ConnectionState.BACKFILLING, ConnectionState.CONNECTED);
        assertThat(reports.get(1).progress()).isCloseTo(1.0 / 3, within(1e-9));
        assertThat(reports.get(2).progress()).isCloseTo(2.0 / 3, within(1e-9));
        Report connected = reports.get(3);
        assertThat(connected.lastSuccessfulSync()).isNotNull();
        assertThat(connected.lastSuccessfulSync().toInstant()).isAfter(after);
        assertThat(connected.nextSync().toInstant()).isEqualTo(next);
        assertThat(provider.calls(connection.userId())).hasSize(3).allSatisfy(call -> {
            assertThat(call.from()).isEqualTo(backfill.get(0).windowFrom());
            assertThat(call.to()).isEqualTo(backfill.get(0).windowTo());
            assertThat(call.cursor()).isNull();
        });
        assertThat(SyncTables.cursorCount(connection.userId())).isEqualTo(3);
    }

    @Test
    void aBackfillWithAForbiddenDataTypeEndsInItsErrorNotInBackfilling() {
        ConnectionRef connection = connection();
        provider.script(connection.userId(), (context, call) -> {
            if (call.dataType().equals("activity")) {
                throw new ProviderException(ProviderException.Kind.FORBIDDEN, "HTTP 403");
            }
            return FakeProvider.ONE_READING.sync(context, call);
        });

        scheduler.connected(connection);
        workers.worker("replica-a", 1).start();

        await().atMost(WAIT).until(() -> SyncTables.tasksOf(connection.userId()).stream()
                .noneMatch(task -> task.state().equals("queued") || task.state().equals("running"))
                && lastState(connection.userId()) == ConnectionState.ERROR);
        List<Report> reports = directory.reports(connection.userId());
        Report last = reports.get(reports.size() - 1);
        assertThat(last.reason()).contains("membership").contains("activity").endsWith("(HTTP 403)");
        assertThat(reports).extracting(Report::state).doesNotContain(ConnectionState.CONNECTED);
    }

    @Test
    void aNewConnectReplacesTheBackfillStillPending() {
        ConnectionRef connection = connection();
        scheduler.connected(connection);
        scheduler.connected(connection);

        List<TaskRow> tasks = SyncTables.tasksOf(connection.userId());
        assertThat(tasks).hasSize(6);
        assertThat(tasks.stream().filter(task -> task.state().equals("cancelled"))).hasSize(3);
        assertThat(tasks.stream().filter(task -> task.state().equals("queued"))).hasSize(3);
    }

    @Test
    void aDisconnectCancelsQueuedTasksAndForgetsCursorsAndSchedule() {
        ConnectionRef connection = connection();
        ConnectionRef other = connection();
        scheduler.connected(connection);
        scheduler.connected(other);
        for (String type : List.of("activity", "measures", "sleep")) {
            SyncTables.setCursor(connection.userId(), type, "c-" + type);
            SyncTables.setCursor(other.userId(), type, "c-" + type);
        }

        scheduler.disconnected(connection);

        assertThat(SyncTables.tasksOf(connection.userId())).hasSize(3)
                .allSatisfy(task -> assertThat(task.state()).isEqualTo("cancelled"));
        assertThat(SyncTables.cursorCount(connection.userId())).isZero();
        assertThat(SyncTables.nextSync(connection.userId())).isEmpty();
        // Nobody else's.
        assertThat(SyncTables.tasksOf(other.userId())).allSatisfy(task -> assertThat(task.state()).isEqualTo("queued"));
        assertThat(SyncTables.cursorCount(other.userId())).isEqualTo(3);
        assertThat(SyncTables.nextSync(other.userId())).isPresent();
    }

    @Test
    void aNotificationIsStoredBeforeTheCallReturns() {
        String providerUser = "wid-" + UUID.randomUUID();

        scheduler.notified("withings", providerUser, "sleep", null, null, "userid=" + providerUser + "&appli=44");

        assertThat(SyncTables.notifications(providerUser)).singleElement().satisfies(row -> {
            assertThat(row.dataType()).isEqualTo("sleep");
            assertThat(row.processedAt()).isNull();
        });
    }

    private ConnectionState lastState(String userId) {
        List<Report> reports = directory.reports(userId);
        return reports.isEmpty() ? null : reports.get(reports.size() - 1).state();
    }

    private ConnectionRef connection() {
        String user = "user-" + UUID.randomUUID();
        return directory.connect(user, "withings", "wid-" + user);
    }
}
