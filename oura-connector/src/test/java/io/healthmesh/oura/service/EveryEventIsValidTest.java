package io.healthmesh.oura.service;

import static io.healthmesh.oura.OuraSimulator.collection;
import static org.assertj.core.api.Assertions.assertThat;

import io.healthmesh.connector.provider.DocumentChange;
import io.healthmesh.contracts.event.Envelope;
import io.healthmesh.contracts.event.Reading;
import io.healthmesh.contracts.event.Session;
import io.healthmesh.contracts.source.SourceId;
import io.healthmesh.contracts.source.Topics;
import io.healthmesh.contracts.validation.EventValidator;
import io.healthmesh.contracts.validation.Violation;
import io.healthmesh.oura.OuraSimulator;
import io.healthmesh.oura.TestSyncContext;
import java.time.OffsetDateTime;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Whatever every data type publishes from the fixtures (tombstones included) must pass the normalizer's validator. */
class EveryEventIsValidTest {

    private static final EventValidator VALIDATOR = new EventValidator();
    private static final OffsetDateTime NOW = OffsetDateTime.parse("2024-03-13T10:00:00Z");

    private OuraSimulator oura;

    @BeforeEach
    void start() {
        oura = new OuraSimulator();
        oura.stub(collection("daily_activity"), "daily_activity-page2.json");
        oura.stub(collection("daily_sleep"), "daily_sleep.json");
        oura.stub(collection("daily_readiness"), "daily_readiness.json");
        oura.stub(collection("daily_spo2"), "daily_spo2.json");
        oura.stub(collection("daily_stress"), "daily_stress.json");
        oura.stub(collection("sleep"), "sleep.json");
        oura.stub(collection("workout"), "workout.json");
        oura.stub(collection("session"), "session.json");
        oura.stub(collection("heartrate"), "heartrate.json");
        oura.stub(collection("sleep/a1c9e7f0-3b2d-4e8a-9f61-7d5c2b4e0a93"), "sleep-reanalysed.json");
    }

    @AfterEach
    void stop() {
        oura.close();
    }

    @Test
    void everyReadingSessionAndTombstonePassesTheValidator() throws Exception {
        TestSyncContext context = new TestSyncContext();
        java.time.Instant from = java.time.Instant.parse("2024-03-01T00:00:00Z");
        java.time.Instant to = java.time.Instant.parse("2024-03-13T00:00:00Z");
        new OuraDailyActivitySync(oura.api, oura.config, OuraSimulator.CLOCK).sync(context, null, from, to);
        new OuraDailySleepSync(oura.api, oura.config, OuraSimulator.CLOCK).sync(context, null, from, to);
        new OuraDailyReadinessSync(oura.api, oura.config, OuraSimulator.CLOCK).sync(context, null, from, to);
        new OuraDailySpo2Sync(oura.api, oura.config, OuraSimulator.CLOCK).sync(context, null, from, to);
        new OuraDailyStressSync(oura.api, oura.config, OuraSimulator.CLOCK).sync(context, null, from, to);
        OuraSleepSync sleep = new OuraSleepSync(oura.api, oura.config, OuraSimulator.CLOCK);
        sleep.sync(context, null, from, to);
        sleep.syncDocument(context, null,
                new DocumentChange("a1c9e7f0-3b2d-4e8a-9f61-7d5c2b4e0a93", DocumentChange.Kind.UPDATED));
        sleep.syncDocument(context, null, new DocumentChange("gone-1", DocumentChange.Kind.DELETED));
        new OuraWorkoutSync(oura.api, oura.config, OuraSimulator.CLOCK).sync(context, null, from, to);
        new OuraSessionSync(oura.api, oura.config, OuraSimulator.CLOCK).sync(context, null, from, to);
        new OuraHeartRateSync(oura.api, oura.config, OuraSimulator.CLOCK).sync(context, null, from, to);

        assertThat(context.readings).hasSizeGreaterThan(25);
        assertThat(context.sessions).hasSize(5);
        assertThat(context.readings).anyMatch(Reading::deleted);
        for (Reading reading : context.readings) {
            List<Violation> violations = VALIDATOR.validate(
                    Envelope.reading("user-1", SourceId.OURA, reading, NOW), Topics.RAW_OURA);
            assertThat(violations).as(reading.toString()).isEmpty();
        }
        for (Session session : context.sessions) {
            List<Violation> violations = VALIDATOR.validate(
                    Envelope.session("user-1", SourceId.OURA, session, NOW), Topics.RAW_OURA);
            assertThat(violations).as(session.toString()).isEmpty();
        }
    }
}
