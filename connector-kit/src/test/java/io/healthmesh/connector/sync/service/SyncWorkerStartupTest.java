package io.healthmesh.connector.sync.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.healthmesh.connector.connection.ConnectionRef;
import io.healthmesh.connector.sync.SyncTestProfile;
import io.healthmesh.connector.sync.SyncTables;
import io.healthmesh.connector.sync.fake.FakeConnectionDirectory;
import io.healthmesh.connector.sync.fake.FakeConnectionDirectory.Report;
import io.healthmesh.contracts.status.ConnectionState;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The app's own worker, started at startup, runs what a connect queued. */
@QuarkusTest
@TestProfile(SyncTestProfile.WorkerOn.class)
class SyncWorkerStartupTest {

    @Inject
    SyncService scheduler;

    @Inject
    FakeConnectionDirectory directory;

    @Test
    void theWorkerStartedWithTheAppRunsTheBackfillOfAConnect() {
        String user = "user-" + UUID.randomUUID();
        ConnectionRef connection = directory.connect(user, "withings", "wid-" + user);

        scheduler.connected(connection);

        await().atMost(Duration.ofSeconds(30)).until(() -> {
            List<Report> reports = directory.reports(user);
            return !reports.isEmpty() && reports.get(reports.size() - 1).state() == ConnectionState.CONNECTED;
        });
        assertThat(SyncTables.tasksOf(user)).hasSize(3).allSatisfy(task -> assertThat(task.state()).isEqualTo("done"));
    }
}
