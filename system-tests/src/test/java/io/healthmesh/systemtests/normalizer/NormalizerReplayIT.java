package io.healthmesh.systemtests.normalizer;

import static io.healthmesh.systemtests.normalizer.RawEvents.amount;
import static io.healthmesh.systemtests.normalizer.RawEvents.corrected;
import static io.healthmesh.systemtests.normalizer.RawEvents.deletion;
import static io.healthmesh.systemtests.normalizer.RawEvents.sample;
import static io.healthmesh.systemtests.normalizer.RawEvents.sleep;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import io.healthmesh.contracts.event.Envelope;
import io.healthmesh.contracts.source.Topics;
import io.healthmesh.systemtests.harness.Harness;
import io.healthmesh.systemtests.harness.ServiceModule;
import io.healthmesh.testsupport.ServiceProcess;
import io.healthmesh.testsupport.TestKafka;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The normalizer over real Kafka and PostgreSQL: several sources and units, a duplicate, a
 * correction, deletions, a poison message and a session; then a full replay from the earliest
 * offsets must not write a single row (every row's xmin unchanged).
 */
class NormalizerReplayIT {

    private final Harness harness = Harness.get();

    @Test
    void replayingEverythingChangesNothing() throws Exception {
        ServiceProcess normalizer = harness.start(ServiceModule.NORMALIZER).get(0);
        String user = "replay-" + UUID.randomUUID();
        OffsetDateTime morning = OffsetDateTime.parse("2024-05-01T07:00:00+02:00");
        Envelope weight = sample(user, "withings", "g1", "body_mass", 165.0, "lb", morning, null);
        Envelope fat = sample(user, "withings", "g1", "fat_mass", 15.2, "kg", morning, null);
        Envelope oldWeight = sample(user, "withings", "g0", "body_mass", 74.0, "kg", morning.minusDays(1), null);
        try (TestKafka kafka = new TestKafka()) {
            kafka.publish(harness.topic(Topics.RAW_WITHINGS), weight, fat, weight, oldWeight,
                    corrected(weight, 165.4), deletion(user, "withings", "g0", null));
            kafka.publish(harness.topic(Topics.RAW_OURA),
                    sleep(user, "oura", "night-1", morning.minusHours(8), morning),
                    sample(user, "oura", "hr-1", "heart_rate", 52, "count/min", morning.minusHours(3), null));
            kafka.publishRaw(harness.topic(Topics.RAW_OURA), user, "<xml>not an event</xml>"
                    .getBytes(StandardCharsets.UTF_8));
            kafka.publish(harness.topic(Topics.RAW_PUSH),
                    amount(user, "push", "walk-1", "distance", 1.5, "km", morning.plusHours(2),
                            morning.plusHours(3), "phone"),
                    amount(user, "push", "walk-1b", "distance", 0.5, "mi", morning.plusHours(4),
                            morning.plusHours(5), "phone"));

            awaitCaughtUp(kafka);
            Map<String, String> before = rowVersions(user);
            assertThat(before).containsKeys("m:withings|g1|body_mass", "m:withings|g1|fat_mass",
                    "m:oura|night-1|sleep_duration", "m:oura|hr-1|heart_rate", "m:push|walk-1|distance",
                    "m:push|walk-1b|distance", "s:oura|night-1")
                    .doesNotContainKey("m:withings|g0|body_mass");
            assertThat(value(user, "g1", "body_mass")).isCloseTo(165.4 * 0.45359237, within(1e-9));
            assertThat(value(user, "walk-1b", "distance")).isCloseTo(804.672, within(1e-9));

            normalizer.stop();
            kafka.rewindGroup(group(), rawTopics());
            normalizer.start();
            normalizer.awaitReady(Duration.ofSeconds(90));
            awaitCaughtUp(kafka);

            assertThat(rowVersions(user)).isEqualTo(before);
        }
    }

    private String group() {
        return harness.topicPrefix() + "normalizer";
    }

    private List<String> rawTopics() {
        return Topics.RAW_TOPICS.stream().map(harness::topic).toList();
    }

    private void awaitCaughtUp(TestKafka kafka) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                .until(() -> kafka.groupCaughtUp(group(), rawTopics()));
    }

    /** Every row of the user, by natural key, with its xmin (the transaction that last wrote it). */
    private Map<String, String> rowVersions(String user) throws Exception {
        Map<String, String> versions = new TreeMap<>();
        try (Connection db = harness.db()) {
            collect(db, "select 'm:' || source || '|' || source_record_id || '|' || metric, xmin::text"
                    + " from normalizer.unified_metric where user_id = ?", user, versions);
            collect(db, "select 's:' || source || '|' || source_record_id, xmin::text"
                    + " from normalizer.health_session where user_id = ?", user, versions);
        }
        return versions;
    }

    private static void collect(Connection db, String sql, String user, Map<String, String> into) throws Exception {
        try (PreparedStatement query = db.prepareStatement(sql)) {
            query.setString(1, user);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    into.put(rows.getString(1), rows.getString(2));
                }
            }
        }
    }

    private double value(String user, String recordId, String metric) throws Exception {
        try (Connection db = harness.db(); PreparedStatement query = db.prepareStatement(
                "select value from normalizer.unified_metric where user_id = ? and source_record_id = ? and metric = ?")) {
            query.setString(1, user);
            query.setString(2, recordId);
            query.setString(3, metric);
            try (ResultSet rows = query.executeQuery()) {
                rows.next();
                return rows.getDouble(1);
            }
        }
    }
}
