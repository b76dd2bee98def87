package io.healthmesh.normalizer.messaging;

import static io.healthmesh.normalizer.TestEvents.amount;
import static io.healthmesh.normalizer.TestEvents.daily;
import static io.healthmesh.normalizer.TestEvents.deletion;
import static io.healthmesh.normalizer.TestEvents.sample;
import static io.healthmesh.normalizer.TestEvents.session;
import static io.healthmesh.normalizer.TestEvents.sessionDeletion;
import static io.healthmesh.normalizer.TestEvents.withImportJob;
import static io.healthmesh.normalizer.TestEvents.withValue;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.healthmesh.commons.messaging.TopicNames;
import io.healthmesh.contracts.event.Envelope;
import io.healthmesh.contracts.event.EventJson;
import io.healthmesh.contracts.event.SessionDetails;
import io.healthmesh.contracts.event.SessionType;
import io.healthmesh.contracts.event.SleepStage;
import io.healthmesh.contracts.source.Topics;
import io.healthmesh.normalizer.Db;
import io.healthmesh.testsupport.RealStackResource;
import io.healthmesh.testsupport.TestKafka;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Raw events through real Kafka into real PostgreSQL. Each test uses its own user. */
@QuarkusTest
@WithTestResource(RealStackResource.class)
class RawEventPipelineTest {

    private static TestKafka kafka;

    @Inject
    TopicNames topics;

    @BeforeAll
    static void connect() {
        kafka = new TestKafka();
    }

    @AfterAll
    static void disconnect() {
        kafka.close();
    }

    private static String newUser() {
        return "user-" + UUID.randomUUID();
    }

    private String topic(String name) {
        return topics.deployed(name);
    }

    private static List<Map<String, Object>> metrics(String user) {
        return Db.query("select * from normalizer.unified_metric where user_id = ? order by metric, source_record_id",
                user);
    }

    private static void awaitRows(String user, int count) {
        await().atMost(Duration.ofSeconds(30)).until(() -> metrics(user).size() == count);
    }

    @Test
    void convertsUnitsToCanonicalAndKeepsTheOriginal() {
        String user = newUser();
        kafka.publish(topic(Topics.RAW_WITHINGS), sample(user, "withings", "g1", "body_mass", 154.3, "lb",
                "2024-03-10T07:00:00+01:00"));
        kafka.publish(topic(Topics.RAW_PUSH),
                amount(user, "push", "r1", "distance", 2, "mi", "2024-03-10T07:00:00Z", "2024-03-10T07:20:00Z"),
                sample(user, "push", "r2", "body_temperature", 98.6, "degF", "2024-03-10T07:00:00Z"));
        kafka.publish(topic(Topics.RAW_OURA), daily(user, "oura", "d1", "steps", 8500, "count", "2024-03-10",
                "+01:00"));

        awaitRows(user, 4);
        Map<String, Map<String, Object>> byMetric = new java.util.HashMap<>();
        metrics(user).forEach(row -> byMetric.put((String) row.get("metric"), row));
        assertThat((double) byMetric.get("body_mass").get("value")).isCloseTo(69.9893027, within(1e-6));
        assertThat(byMetric.get("body_mass").get("unit")).isEqualTo("kg");
        assertThat(byMetric.get("body_mass").get("original_value")).isEqualTo(154.3);
        assertThat(byMetric.get("body_mass").get("original_unit")).isEqualTo("lb");
        assertThat(byMetric.get("body_mass").get("utc_offset")).isEqualTo(3600);
        assertThat(byMetric.get("body_mass").get("category")).isEqualTo("body");
        assertThat((double) byMetric.get("distance").get("value")).isCloseTo(3218.688, within(1e-9));
        assertThat((double) byMetric.get("body_temperature").get("value")).isCloseTo(37.0, within(1e-9));
        assertThat(byMetric.get("steps").get("aggregation")).isEqualTo("daily");
        assertThat(byMetric.get("steps").get("local_date").toString()).isEqualTo("2024-03-10");
        assertThat(byMetric.get("body_mass").get("quality_reasons").toString()).contains("source_reliability");
    }

    @Test
    void aDuplicateWritesNothingAndACorrectionUpdatesInPlace() {
        String user = newUser();
        Envelope weighIn = sample(user, "withings", "g1", "body_mass", 70.0, "kg", "2024-03-10T07:00:00+01:00");
        kafka.publish(topic(Topics.RAW_WITHINGS), weighIn, weighIn);
        awaitRows(user, 1);
        Map<String, Object> first = Db.query("select id, xmin::text as version, value from normalizer.unified_metric"
                + " where user_id = ?", user).get(0);

        kafka.publish(topic(Topics.RAW_WITHINGS), weighIn, withValue(weighIn, 70.4, 5));
        await().atMost(Duration.ofSeconds(30)).until(() -> (double) metrics(user).get(0).get("value") == 70.4);

        Map<String, Object> corrected = Db.query("select id, xmin::text as version from normalizer.unified_metric"
                + " where user_id = ?", user).get(0);
        assertThat(corrected.get("id")).isEqualTo(first.get("id"));
        assertThat(corrected.get("version")).isNotEqualTo(first.get("version"));
        assertThat(metrics(user)).hasSize(1);
    }

    @Test
    void anOlderEventArrivingLateNeverOverwritesANewerOne() {
        String user = newUser();
        Envelope original = sample(user, "withings", "g1", "body_mass", 70.0, "kg", "2024-03-10T07:00:00+01:00");
        Envelope correction = withValue(original, 71.0, 10);
        kafka.publish(topic(Topics.RAW_WITHINGS), correction);
        awaitRows(user, 1);
        kafka.publish(topic(Topics.RAW_WITHINGS), original,
                sample(user, "withings", "marker", "body_mass", 75, "kg", "2024-03-10T08:00:00+01:00"));
        awaitRows(user, 2);

        assertThat(metrics(user).get(0).get("value")).isEqualTo(71.0);
    }

    @Test
    void deletionsRemoveRowsAndReplayedOlderEventsDoNotBringThemBack() {
        String user = newUser();
        Envelope a = sample(user, "withings", "g1", "body_mass", 70.0, "kg", "2024-03-10T07:00:00Z");
        Envelope b = sample(user, "withings", "g1", "fat_mass", 14.0, "kg", "2024-03-10T07:00:00Z");
        Envelope c = sample(user, "withings", "g2", "body_mass", 71.0, "kg", "2024-03-11T07:00:00Z");
        Envelope d = sample(user, "withings", "g3", "body_mass", 72.0, "kg", "2024-03-12T07:00:00Z");
        kafka.publish(topic(Topics.RAW_WITHINGS), a, b, c, d);
        awaitRows(user, 4);

        kafka.publish(topic(Topics.RAW_WITHINGS), deletion(user, "withings", "g1", null, 5),
                deletion(user, "withings", "g2", "body_mass", 5));
        awaitRows(user, 1);
        kafka.publish(topic(Topics.RAW_WITHINGS), a, b, c,
                sample(user, "withings", "marker", "body_mass", 73, "kg", "2024-03-13T07:00:00Z"));
        awaitRows(user, 2);

        assertThat(metrics(user)).extracting(row -> row.get("source_record_id")).containsExactly("g3", "marker");
    }

    @Test
    void badRecordsAreDeadLetteredOneByOneAndTheRestIsWritten() {
        String user = newUser();
        String oura = topic(Topics.RAW_OURA);
        byte[] poison = "{\"eventId\": not json".getBytes(StandardCharsets.UTF_8);
        kafka.publishRaw(oura, user, poison);
        Envelope impossible = sample(user, "oura", "hr1", "heart_rate", 900, "count/min", "2024-03-10T07:00:00Z");
        Envelope wrongTopic = sample(user, "withings", "w1", "body_mass", 70, "kg", "2024-03-10T07:00:00Z");
        Envelope good = sample(user, "oura", "hr2", "heart_rate", 61, "count/min", "2024-03-10T07:01:00Z");
        kafka.publish(oura, impossible, wrongTopic, good);

        awaitRows(user, 1);
        assertThat(metrics(user).get(0).get("source_record_id")).isEqualTo("hr2");
        List<ConsumerRecord<byte[], byte[]>> dead = await().atMost(Duration.ofSeconds(30))
                .until(() -> kafka.readAll(topic(Topics.dlq(Topics.RAW_OURA))).stream()
                        .filter(r -> r.key() != null && user.equals(new String(r.key(), StandardCharsets.UTF_8)))
                        .toList(), list -> list.size() == 3);
        assertThat(dead.get(0).value()).isEqualTo(poison);
        assertThat(header(dead.get(0), DeadLetterPublisher.REASON_HEADER)).startsWith("malformed: ");
        assertThat(header(dead.get(0), DeadLetterPublisher.TOPIC_HEADER)).isEqualTo(oura);
        assertThat(header(dead.get(1), DeadLetterPublisher.REASON_HEADER)).startsWith("invalid: ")
                .contains("payload.value").contains("300");
        assertThat(dead.get(1).value()).isEqualTo(EventJson.write(impossible));
        assertThat(header(dead.get(2), DeadLetterPublisher.REASON_HEADER)).contains("withings");
    }

    @Test
    void aSleepSessionIsStoredWithItsDailyMetricsAndANapIsNot() {
        String user = newUser();
        SessionDetails totals = SessionDetails.builder().stageTotalsSeconds(Map.of(SleepStage.LIGHT, 14_400.0,
                SleepStage.DEEP, 3_600.0, SleepStage.REM, 5_400.0, SleepStage.AWAKE, 1_800.0)).efficiency(81.25)
                .build();
        kafka.publish(topic(Topics.RAW_OURA),
                session(user, "oura", "night1", SessionType.SLEEP, "2024-03-09T23:00:00+01:00",
                        "2024-03-10T07:00:00+01:00", totals),
                session(user, "oura", "nap1", SessionType.NAP, "2024-03-10T14:00:00+01:00",
                        "2024-03-10T14:30:00+01:00", null));

        await().atMost(Duration.ofSeconds(30)).until(() -> Db.count(
                "select count(*) from normalizer.health_session where user_id = ?", user) == 2);
        List<Map<String, Object>> derived = metrics(user);
        assertThat(derived).extracting(r -> r.get("metric")).containsExactlyInAnyOrder("sleep_duration",
                "time_in_bed", "sleep_deep", "sleep_light", "sleep_rem", "sleep_awake", "sleep_efficiency");
        assertThat(derived).allSatisfy(r -> {
            assertThat(r.get("source_record_id")).isEqualTo("night1");
            assertThat(r.get("local_date").toString()).isEqualTo("2024-03-10");
            assertThat(r.get("derived_from_session")).isEqualTo(true);
        });
        assertThat(derived.stream().filter(r -> "sleep_duration".equals(r.get("metric"))).findFirst().orElseThrow()
                .get("value")).isEqualTo(23_400.0);

        kafka.publish(topic(Topics.RAW_OURA), sessionDeletion(user, "oura", "night1", 5));
        await().atMost(Duration.ofSeconds(30)).until(() -> metrics(user).isEmpty());
        assertThat(Db.query("select source_record_id from normalizer.health_session where user_id = ?", user))
                .extracting(r -> r.get("source_record_id")).containsExactly("nap1");
    }

    @Test
    void anImportJobsOutcomeCountsDistinctEventsOnceAndIsPublished() {
        String user = newUser();
        String job = "job-" + UUID.randomUUID();
        List<Envelope> events = Arrays.asList(
                withImportJob(sample(user, "apple_health", "a1", "heart_rate", 61, "count/min",
                        "2024-03-10T07:00:00Z"), job),
                withImportJob(sample(user, "apple_health", "a2", "heart_rate", 62, "count/min",
                        "2024-03-10T07:01:00Z"), job),
                withImportJob(sample(user, "apple_health", "a3", "heart_rate", 63, "count/min",
                        "2024-03-10T07:02:00Z"), job),
                withImportJob(sample(user, "apple_health", "a4", "heart_rate", 999, "count/min",
                        "2024-03-10T07:03:00Z"), job));
        kafka.publish(topic(Topics.RAW_APPLE_HEALTH), events);
        kafka.publish(topic(Topics.RAW_APPLE_HEALTH), events);

        await().atMost(Duration.ofSeconds(30)).until(() -> latestOutcome(job) != null
                && latestOutcome(job).get("accepted").asLong() + latestOutcome(job).get("rejected").asLong() == 4);
        // Let the redelivered copies land, then check nothing was counted twice.
        awaitRows(user, 3);
        await().atMost(Duration.ofSeconds(30)).until(() -> kafka.groupCaughtUp(topics.deployed("") + "normalizer",
                List.of(topic(Topics.RAW_APPLE_HEALTH))));
        JsonNode outcome = latestOutcome(job);
        assertThat(outcome.get("accepted").asLong()).isEqualTo(3);
        assertThat(outcome.get("rejected").asLong()).isEqualTo(1);
        assertThat(Db.query("select accepted, rejected from normalizer.import_job_outcome where import_job_id = ?",
                job).get(0)).containsEntry("accepted", 3L).containsEntry("rejected", 1L);
    }

    private JsonNode latestOutcome(String job) {
        JsonNode latest = null;
        for (ConsumerRecord<byte[], byte[]> record : kafka.readAll(topic(Topics.INGEST_OUTCOME))) {
            if (record.key() != null && job.equals(new String(record.key(), StandardCharsets.UTF_8))) {
                try {
                    latest = EventJson.mapper().readTree(record.value());
                } catch (java.io.IOException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return latest;
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}
