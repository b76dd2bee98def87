package io.healthmesh.systemtests.normalizer;

import static io.healthmesh.systemtests.normalizer.RawEvents.sample;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.healthmesh.contracts.event.Envelope;
import io.healthmesh.contracts.source.Topics;
import io.healthmesh.systemtests.harness.Harness;
import io.healthmesh.systemtests.harness.ServiceModule;
import io.healthmesh.testsupport.ServiceProcess;
import io.healthmesh.testsupport.TestKafka;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * kill -9 of the normalizer in the middle of a stream: after a restart every reading is there
 * exactly once, and the import job's outcome counts each event once despite the redelivery.
 */
class NormalizerCrashIT {

    private static final int READINGS = 60_000;

    private final Harness harness = Harness.get();

    @Test
    void aCrashMidStreamLosesAndDoublesNothing() throws Exception {
        ServiceProcess normalizer = harness.start(ServiceModule.NORMALIZER).get(0);
        String user = "crash-" + UUID.randomUUID();
        String job = "job-" + UUID.randomUUID();
        OffsetDateTime start = OffsetDateTime.parse("2024-05-01T00:00:00+02:00");
        List<Envelope> readings = new ArrayList<>(READINGS);
        for (int i = 0; i < READINGS; i++) {
            readings.add(sample(user, "apple_health", "hr-" + i, "heart_rate", 50 + i % 100, "count/min",
                    start.plusSeconds(10L * i), job));
        }

        long atKill;
        try (TestKafka kafka = new TestKafka()) {
            kafka.publish(harness.topic(Topics.RAW_APPLE_HEALTH), readings);
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20))
                    .until(() -> harness.metricRows(user) > 0);
            normalizer.kill();
            atKill = harness.metricRows(user);
            assertThat(atKill).as("the crash must hit mid-stream").isLessThan(READINGS);

            normalizer.start();
            normalizer.awaitReady(Duration.ofSeconds(90));
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250))
                    .until(() -> kafka.groupCaughtUp(harness.topicPrefix() + "normalizer",
                            List.of(harness.topic(Topics.RAW_APPLE_HEALTH))));
        }

        assertThat(harness.metricRows(user)).isEqualTo(READINGS);
        try (Connection db = harness.db(); PreparedStatement query = db.prepareStatement(
                "select accepted, rejected from normalizer.import_job_outcome where import_job_id = ?")) {
            query.setString(1, job);
            try (ResultSet outcome = query.executeQuery()) {
                assertThat(outcome.next()).isTrue();
                assertThat(outcome.getLong("accepted")).isEqualTo(READINGS);
                assertThat(outcome.getLong("rejected")).isZero();
            }
        }
    }
}
