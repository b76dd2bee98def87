package io.healthmesh.withings.service;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.healthmesh.withings.WithingsSimulator.action;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import io.healthmesh.contracts.event.HeartRateStats;
import io.healthmesh.contracts.event.Session;
import io.healthmesh.contracts.event.SessionType;
import io.healthmesh.contracts.event.SleepStage;
import io.healthmesh.withings.TestSyncContext;
import io.healthmesh.withings.WithingsSimulator;
import java.time.Instant;
import java.time.OffsetDateTime;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class WithingsSleepSyncTest {

    private WithingsSimulator withings;
    private WithingsSleepSync sync;

    @BeforeEach
    void start() {
        withings = new WithingsSimulator();
        sync = new WithingsSleepSync(withings.api);
    }

    @AfterEach
    void stop() {
        withings.close();
    }

    @Test
    void summariesBecomeSleepSessionsWithStageTotals() throws Exception {
        withings.stub(action("/v2/sleep", "getsummary"), "sleep-summary.json");
        TestSyncContext context = new TestSyncContext();

        SyncOutcome outcome = sync.run(context, "1711000000", null, null);

        assertThat(outcome.cursor()).isEqualTo("1711963000");
        assertThat(context.readings).isEmpty();
        assertThat(context.sessions).hasSize(2);

        Session night = context.sessions.get(0);
        assertThat(night.sourceRecordId()).isEqualTo("3198874521");
        assertThat(night.type()).isEqualTo(SessionType.SLEEP);
        // Fell asleep before the clocks went forward, woke up after.
        assertThat(night.start()).isEqualTo(OffsetDateTime.parse("2024-03-30T22:59:00+01:00"));
        assertThat(night.end()).isEqualTo(OffsetDateTime.parse("2024-03-31T08:12:00+02:00"));
        assertThat(night.zone()).isEqualTo("Europe/Berlin");
        assertThat(night.device()).isEqualTo("Withings sleep monitor (model 63)");
        assertThat(night.details().stageTotalsSeconds()).containsExactly(
                entry(SleepStage.AWAKE, 3840.0),
                entry(SleepStage.LIGHT, 13680.0),
                entry(SleepStage.DEEP, 5460.0),
                entry(SleepStage.REM, 6600.0),
                entry(SleepStage.IN_BED, 29580.0));
        assertThat(night.details().efficiency()).as("0.87 as a percentage").isEqualTo(87.0);
        assertThat(night.details().latencySeconds()).isEqualTo(1080.0);
        assertThat(night.details().heartRate()).isEqualTo(new HeartRateStats(56.0, 48.0, 79.0));
        assertThat(night.details().stages()).isNull();

        Session external = context.sessions.get(1);
        assertThat(external.sourceRecordId()).isEqualTo("3198991002");
        assertThat(external.zone()).isEqualTo("America/New_York");
        assertThat(external.start()).isEqualTo(OffsetDateTime.parse("2024-03-31T22:00:00-04:00"));
        assertThat(external.device()).isEqualTo("Withings activity tracker (model 93)");
        assertThat(external.details().stageTotalsSeconds()).as("no stages: asleep without a stage").containsExactly(
                entry(SleepStage.AWAKE, 1800.0),
                entry(SleepStage.ASLEEP_UNSPECIFIED, 23400.0),
                entry(SleepStage.IN_BED, 25200.0));
        assertThat(external.details().heartRate()).as("0 bpm is not measured").isNull();
        assertThat(external.details().efficiency()).isEqualTo(93.0);

        withings.server.verify(1, postRequestedFor(urlPathEqualTo("/v2/sleep"))
                .withHeader("Authorization", equalTo("Bearer token-1"))
                .withFormParam("lastupdate", equalTo("1711000000"))
                .withFormParam("startdateymd", absent())
                .withFormParam("data_fields", containing("hr_average"))
                .withFormParam("data_fields", containing("deepsleepduration")));
    }

    @Test
    void aWindowAsksByWakeUpDatesAndKeepsTheCursor() throws Exception {
        withings.stub(action("/v2/sleep", "getsummary"), "sleep-summary.json");

        SyncOutcome outcome = sync.run(new TestSyncContext(), null,
                Instant.parse("2024-03-30T12:00:00Z"), Instant.parse("2024-04-01T12:00:00Z"));

        assertThat(outcome.cursor()).isNull();
        assertThat(outcome.sessions()).isEqualTo(2);
        withings.server.verify(1, postRequestedFor(urlPathEqualTo("/v2/sleep"))
                .withFormParam("startdateymd", equalTo("2024-03-29"))
                .withFormParam("enddateymd", equalTo("2024-04-02"))
                .withFormParam("lastupdate", absent()));
    }

    @Test
    void rerunsGiveTheSameSessions() throws Exception {
        withings.stub(action("/v2/sleep", "getsummary"), "sleep-summary.json");
        TestSyncContext first = new TestSyncContext();
        TestSyncContext second = new TestSyncContext();

        sync.run(first, null, null, null);
        sync.run(second, null, null, null);

        assertThat(first.sessions).hasSize(2).isEqualTo(second.sessions);
    }
}
