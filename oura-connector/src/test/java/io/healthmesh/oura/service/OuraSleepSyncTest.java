package io.healthmesh.oura.service;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.healthmesh.oura.OuraSimulator.collection;
import static org.assertj.core.api.Assertions.assertThat;

import io.healthmesh.connector.provider.DocumentChange;
import io.healthmesh.contracts.event.Reading;
import io.healthmesh.contracts.event.Session;
import io.healthmesh.contracts.event.SessionType;
import io.healthmesh.contracts.event.SleepStage;
import io.healthmesh.contracts.event.SleepStageInterval;
import io.healthmesh.contracts.identity.Identity;
import io.healthmesh.oura.OuraSimulator;
import io.healthmesh.oura.TestSyncContext;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OuraSleepSyncTest {

    private static final String NIGHT = "a1c9e7f0-3b2d-4e8a-9f61-7d5c2b4e0a93";
    private static final String NAP = "5f2d8b13-6a4e-4c71-b0d9-3e8a1c6f9b27";
    private static final String REST = "e8b1c4d7-2f6a-4e93-8c05-9a7d3b1f6e42";

    private OuraSimulator oura;
    private OuraSleepSync sync;

    @BeforeEach
    void start() {
        oura = new OuraSimulator();
        sync = new OuraSleepSync(oura.api, oura.config, OuraSimulator.CLOCK);
    }

    @AfterEach
    void stop() {
        oura.close();
    }

    private static Session session(TestSyncContext context, String id) {
        return context.sessions.stream().filter(s -> s.sourceRecordId().equals(id)).findFirst().orElseThrow();
    }

    private static Reading reading(TestSyncContext context, String id, String metric) {
        return context.readings.stream().filter(r -> id.equals(r.sourceRecordId()) && metric.equals(r.metric())
                && !r.deleted()).findFirst().orElseThrow();
    }

    /** What the normalizer keys rows by: the event ids the readings and session of a document produce. */
    private static Set<UUID> identities(TestSyncContext context, String id) {
        Set<UUID> ids = context.readings.stream().filter(r -> id.equals(r.sourceRecordId()) && !r.deleted())
                .map(r -> Identity.eventId("user-1", "oura", id, r.metric())).collect(Collectors.toSet());
        context.sessions.stream().filter(s -> id.equals(s.sourceRecordId()))
                .forEach(s -> ids.add(Identity.sessionEventId("user-1", "oura", id)));
        return ids;
    }

    @Test
    void theMainSleepIsASleepSessionWithStagesAndItsReadings() throws Exception {
        oura.stub(collection("sleep"), "sleep.json");
        TestSyncContext context = new TestSyncContext();

        sync.sync(context, null, null, null);

        Session night = session(context, NIGHT);
        assertThat(night.type()).isEqualTo(SessionType.SLEEP);
        assertThat(night.start()).isEqualTo(OffsetDateTime.parse("2024-03-11T23:18:01+01:00"));
        assertThat(night.end()).isEqualTo(OffsetDateTime.parse("2024-03-12T07:02:31+01:00"));
        assertThat(night.details().efficiency()).isEqualTo(88);
        assertThat(night.details().latencySeconds()).isEqualTo(720);
        assertThat(night.details().heartRate().average()).isEqualTo(53.25);
        assertThat(night.details().heartRate().min()).isEqualTo(48);
        assertThat(night.details().heartRate().max()).isEqualTo(61);
        assertThat(night.details().stageTotalsSeconds()).containsEntry(SleepStage.DEEP, 4890.0)
                .containsEntry(SleepStage.LIGHT, 13440.0).containsEntry(SleepStage.REM, 6900.0)
                .containsEntry(SleepStage.AWAKE, 2610.0).containsEntry(SleepStage.IN_BED, 27870.0);
        List<SleepStageInterval> stages = night.details().stages();
        // "44221122223322211112333322224": awake 10 min first, then light 10 min, ...
        assertThat(stages.get(0)).isEqualTo(new SleepStageInterval(SleepStage.AWAKE, night.start(),
                night.start().plusMinutes(10)));
        assertThat(stages.get(1).stage()).isEqualTo(SleepStage.LIGHT);
        assertThat(stages.get(stages.size() - 1).end()).isEqualTo(night.start().plusMinutes(29 * 5));
        for (int i = 1; i < stages.size(); i++) {
            assertThat(stages.get(i).start()).isEqualTo(stages.get(i - 1).end());
            assertThat(stages.get(i).stage()).isNotEqualTo(stages.get(i - 1).stage());
        }

        assertThat(reading(context, NIGHT, "hrv_rmssd").value()).isEqualTo(48);
        assertThat(reading(context, NIGHT, "respiratory_rate").value()).isEqualTo(14.375);
        Reading resting = reading(context, NIGHT, "resting_heart_rate");
        assertThat(resting.value()).isEqualTo(48);
        assertThat(resting.localDate()).hasToString("2024-03-12");
    }

    @Test
    void aNapIsANapWithoutRestingHeartRateAndARestPeriodIsRemoved() throws Exception {
        oura.stub(collection("sleep"), "sleep.json");
        TestSyncContext context = new TestSyncContext();

        sync.sync(context, null, null, null);

        assertThat(session(context, NAP).type()).isEqualTo(SessionType.NAP);
        assertThat(context.readings).anySatisfy(r -> {
            assertThat(r.sourceRecordId()).isEqualTo(NAP);
            assertThat(r.metric()).isEqualTo("resting_heart_rate");
            assertThat(r.deleted()).isTrue();
        });
        assertThat(context.sessions).noneMatch(s -> s.sourceRecordId().equals(REST));
        assertThat(context.readings).anySatisfy(r -> {
            assertThat(r.sourceRecordId()).isEqualTo(REST);
            assertThat(r.metric()).isNull();
            assertThat(r.deleted()).isTrue();
        });
    }

    @Test
    void aReanalysedDocumentHasTheSameIdentitiesWithNewValues() throws Exception {
        oura.stub(collection("sleep"), "sleep.json");
        oura.stub(collection("sleep/" + NIGHT), "sleep-reanalysed.json");
        TestSyncContext first = new TestSyncContext();
        sync.sync(first, null, null, null);
        TestSyncContext again = new TestSyncContext();

        sync.syncDocument(again, null, new DocumentChange(NIGHT, DocumentChange.Kind.UPDATED));

        assertThat(identities(again, NIGHT)).isEqualTo(identities(first, NIGHT));
        assertThat(session(again, NIGHT).start()).isEqualTo(OffsetDateTime.parse("2024-03-11T23:05:00+01:00"));
        assertThat(session(again, NIGHT).details().efficiency()).isEqualTo(90);
        assertThat(reading(again, NIGHT, "hrv_rmssd").value()).isEqualTo(51);
        assertThat(reading(again, NIGHT, "resting_heart_rate").value()).isEqualTo(47);
        assertThat(again.readings).noneMatch(Reading::deleted);
    }

    @Test
    void aDeletedDocumentIsRemovedWithoutAskingOura() throws Exception {
        TestSyncContext context = new TestSyncContext();

        sync.syncDocument(context, null, new DocumentChange(NIGHT, DocumentChange.Kind.DELETED));

        assertThat(context.sessions).isEmpty();
        assertThat(context.readings).singleElement().satisfies(r -> {
            assertThat(r.sourceRecordId()).isEqualTo(NIGHT);
            assertThat(r.metric()).isNull();
            assertThat(r.deleted()).isTrue();
        });
        assertThat(oura.server.getAllServeEvents()).isEmpty();
    }

    @Test
    void aDocumentGoneWhenFetchedOrMarkedDeletedIsRemovedToo() throws Exception {
        oura.server.stubFor(collection("sleep/gone").willReturn(aResponse().withStatus(404)));
        oura.stub(collection("sleep/" + NIGHT), "sleep-deleted.json");
        TestSyncContext context = new TestSyncContext();

        sync.syncDocument(context, null, new DocumentChange("gone", DocumentChange.Kind.UPDATED));
        sync.syncDocument(context, null, new DocumentChange(NIGHT, DocumentChange.Kind.UPDATED));

        oura.server.verify(getRequestedFor(urlPathEqualTo("/v2/usercollection/sleep/gone")));
        assertThat(context.sessions).isEmpty();
        assertThat(context.readings).extracting(Reading::sourceRecordId).containsExactly("gone", NIGHT);
        assertThat(context.readings).allSatisfy(r -> {
            assertThat(r.deleted()).isTrue();
            assertThat(r.metric()).isNull();
        });
    }
}
