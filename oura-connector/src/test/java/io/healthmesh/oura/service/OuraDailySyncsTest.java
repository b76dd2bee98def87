package io.healthmesh.oura.service;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.healthmesh.oura.OuraSimulator.collection;
import static org.assertj.core.api.Assertions.assertThat;

import io.healthmesh.contracts.event.Aggregation;
import io.healthmesh.contracts.event.Reading;
import io.healthmesh.oura.OuraSimulator;
import io.healthmesh.oura.TestSyncContext;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The daily collections: padded windows filtered by day, one daily reading per value, tombstones for missing ones. */
class OuraDailySyncsTest {

    private OuraSimulator oura;
    private TestSyncContext context;

    @BeforeEach
    void start() {
        oura = new OuraSimulator();
        context = new TestSyncContext();
    }

    @AfterEach
    void stop() {
        oura.close();
    }

    private static Map<String, Reading> byMetric(TestSyncContext context, String id) {
        return context.readings.stream().filter(r -> r.sourceRecordId().equals(id) && !r.deleted())
                .collect(Collectors.toMap(Reading::metric, Function.identity()));
    }

    @Test
    void aWindowIsPaddedByADayEachSideAndDocumentsOutsideItAreDropped() throws Exception {
        oura.stub(collection("daily_activity").withQueryParam("next_token", absent()), "daily_activity-page1.json");
        oura.stub(collection("daily_activity").withQueryParam("next_token", equalTo("eyJwYWdlIjogMn0=")),
                "daily_activity-page2.json");
        OuraDailyActivitySync sync = new OuraDailyActivitySync(oura.api, oura.config, OuraSimulator.CLOCK);

        // The window of 2024-03-11 (UTC): wanted days 03-10..03-12, asked for 03-09..03-13.
        SyncOutcome outcome = sync.run(context, Instant.parse("2024-03-11T00:00:00Z"),
                Instant.parse("2024-03-12T00:00:00Z"));

        oura.server.verify(getRequestedFor(urlPathEqualTo("/v2/usercollection/daily_activity"))
                .withQueryParam("start_date", equalTo("2024-03-09")).withQueryParam("end_date", equalTo("2024-03-13")));
        assertThat(outcome.skipped()).containsEntry("outside the window (padding)", 1);
        assertThat(context.readings).noneMatch(r -> r.sourceRecordId().equals("a47e21c5-93b8-4f0e-8c1d-2e5b7f9a3c64"));

        Map<String, Reading> day = byMetric(context, "d6f1b2a4-7c33-4e1b-a1f2-9e0c4b7d2a11");
        assertThat(day).containsOnlyKeys("steps", "active_energy", "basal_energy", "oura_activity_score");
        assertThat(day.get("steps").value()).isEqualTo(11873);
        assertThat(day.get("active_energy").value()).isEqualTo(612);
        assertThat(day.get("basal_energy").value()).isEqualTo(2684 - 612);
        assertThat(day.get("oura_activity_score").value()).isEqualTo(82);
        Reading steps = day.get("steps");
        assertThat(steps.aggregation()).isEqualTo(Aggregation.DAILY);
        assertThat(steps.localDate()).isEqualTo(LocalDate.parse("2024-03-11"));
        assertThat(steps.start()).isEqualTo(OffsetDateTime.parse("2024-03-11T00:00:00+01:00"));
        assertThat(steps.end()).isEqualTo(OffsetDateTime.parse("2024-03-12T00:00:00+01:00"));
        assertThat(steps.device()).isEqualTo("Oura Ring");

        // The second day has no score: its score row (if an earlier version had one) goes.
        assertThat(context.readings).anySatisfy(r -> {
            assertThat(r.sourceRecordId()).isEqualTo("0c3e9a77-1f0b-4a52-9d2e-6b8f1e4c7a30");
            assertThat(r.metric()).isEqualTo("oura_activity_score");
            assertThat(r.deleted()).isTrue();
        });
    }

    @Test
    void anIncrementalRunAsksForTheLookbackAgainAndKeepsNoCursor() throws Exception {
        oura.stub(collection("daily_readiness"), "daily_readiness.json");
        OuraDailyReadinessSync sync = new OuraDailyReadinessSync(oura.api, oura.config, OuraSimulator.CLOCK);

        String cursor = sync.sync(context, null, null, null);

        assertThat(cursor).isNull();
        // Today 2024-03-13, three days back: wanted 03-10..03-14, asked 03-09..03-15.
        oura.server.verify(getRequestedFor(urlPathEqualTo("/v2/usercollection/daily_readiness"))
                .withQueryParam("start_date", equalTo("2024-03-09")).withQueryParam("end_date", equalTo("2024-03-15")));
        Map<String, Reading> day = byMetric(context, "6e2a8d41-0f5c-4b97-b3e2-18c7d9a45f02");
        assertThat(day.get("oura_readiness_score").value()).isEqualTo(81);
        assertThat(day.get("body_temperature_deviation").value()).isEqualTo(-0.12);
        assertThat(day.get("body_temperature_deviation").unit()).isEqualTo("degC");
    }

    @Test
    void sleepScoreSpo2AndStress() throws Exception {
        oura.stub(collection("daily_sleep"), "daily_sleep.json");
        oura.stub(collection("daily_spo2"), "daily_spo2.json");
        oura.stub(collection("daily_stress"), "daily_stress.json");

        new OuraDailySleepSync(oura.api, oura.config, OuraSimulator.CLOCK).sync(context, null, null, null);
        new OuraDailySpo2Sync(oura.api, oura.config, OuraSimulator.CLOCK).sync(context, null, null, null);
        new OuraDailyStressSync(oura.api, oura.config, OuraSimulator.CLOCK).sync(context, null, null, null);

        assertThat(byMetric(context, "0b7e4c2d-51f9-4d0a-8c36-2f4d9a1e6b58").get("oura_sleep_score").value())
                .isEqualTo(80);
        Reading spo2 = byMetric(context, "f2a9c6e1-8b3d-4e70-9c14-5d7e2b8a0f36").get("oxygen_saturation");
        assertThat(spo2.value()).isEqualTo(96.812);
        assertThat(spo2.unit()).isEqualTo("%");
        // A ring without SpO2: no value, only the tombstone of one.
        assertThat(byMetric(context, "c51e7b28-0d4a-4f9c-8e36-2a9f6d1b7c05")).isEmpty();
        Map<String, Reading> stress = byMetric(context, "7c3b9e52-2f8d-4a16-b0e4-9d1a6c5f3e87");
        assertThat(stress.get("oura_stress_high").value()).isEqualTo(5400);
        assertThat(stress.get("oura_recovery_high").value()).isEqualTo(10800);
    }
}
