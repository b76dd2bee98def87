package io.healthmesh.withings.service;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.healthmesh.withings.WithingsSimulator.action;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.entry;
import static org.assertj.core.api.Assertions.tuple;

import io.healthmesh.connector.provider.ProviderException;
import io.healthmesh.connector.provider.ProviderException.Kind;
import io.healthmesh.contracts.event.Aggregation;
import io.healthmesh.contracts.event.Reading;
import io.healthmesh.contracts.identity.Identity;
import io.healthmesh.withings.TestSyncContext;
import io.healthmesh.withings.WithingsSimulator;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class WithingsMeasuresSyncTest {

    private WithingsSimulator withings;
    private WithingsMeasuresSync sync;

    @BeforeEach
    void start() {
        withings = new WithingsSimulator();
        sync = new WithingsMeasuresSync(withings.api);
    }

    @AfterEach
    void stop() {
        withings.close();
    }

    /** Page 1 (more=1, offset=3), then page 2 for offset=3. */
    static void stubTwoPages(WithingsSimulator withings) {
        withings.stub(action("/measure", "getmeas").withFormParam("offset", absent()), "getmeas-page1.json");
        withings.stub(action("/measure", "getmeas").withFormParam("offset", equalTo("3")), "getmeas-page2.json");
    }

    @Test
    void twoPagesOfGroupsBecomeExactReadings() throws Exception {
        stubTwoPages(withings);
        TestSyncContext context = new TestSyncContext();

        SyncOutcome outcome = sync.run(context, "1711900000", null, null);

        assertThat(outcome.cursor()).as("the first page's updatetime").isEqualTo("1711953600");
        assertThat(context.beforeRequestCalls).isEqualTo(2);
        List<Reading> readings = context.readings.stream().filter(r -> !r.deleted()).toList();
        assertThat(readings).extracting(Reading::sourceRecordId, Reading::metric, Reading::value, Reading::unit)
                .containsExactly(
                        // Body Cardio weigh-in: 7250 x 10^-2 = 72.5 kg; hydration (77) has no metric
                        tuple("5123987401", "body_mass", 72.5, "kg"),
                        tuple("5123987401", "body_fat_percentage", 18.94, "%"),
                        tuple("5123987401", "fat_mass", 14.853, "kg"),
                        tuple("5123987401", "lean_body_mass", 63.567, "kg"),
                        tuple("5123987401", "muscle_mass", 60.21, "kg"),
                        tuple("5123987401", "bone_mass", 3.15, "kg"),
                        // BPM Core: exponents 0 and -2 in one group
                        tuple("5123990117", "blood_pressure_diastolic", 81.0, "mmHg"),
                        tuple("5123990117", "blood_pressure_systolic", 127.0, "mmHg"),
                        tuple("5123990117", "heart_rate", 64.0, "count/min"),
                        tuple("4877001233", "height", 1.78, "m"),
                        // Body Scan: positions join the grpid; the repeated measure and segments are skipped
                        tuple("5149666502", "body_mass", 95.854, "kg"),
                        tuple("5149666502|7", "lean_body_mass", 77.18, "kg"),
                        tuple("5149666502|7", "fat_mass", 18.66, "kg"),
                        tuple("5149666502", "body_fat_percentage", 19.467, "%"),
                        // Thermo: body temperature (71) wins over temperature (12)
                        tuple("5150000001", "body_temperature", 37.1, "degC"),
                        tuple("5150000002|1", "oxygen_saturation", 97.0, "%"),
                        tuple("5150000002", "vo2_max", 43.2, "mL/min\u00B7kg"),
                        tuple("5150000002", "pulse_wave_velocity", 7.12, "m/s"),
                        tuple("5150000002", "vascular_age", 41.0, "yr"),
                        tuple("5150000002", "skin_temperature", 33.42, "degC"),
                        tuple("5150000004", "body_mass", 80.0, "kg"));
        assertThat(outcome.readings()).isEqualTo(21);
        assertThat(readings).allSatisfy(r -> {
            assertThat(r.aggregation()).isEqualTo(Aggregation.SAMPLE);
            assertThat(r.zone()).isEqualTo("Europe/Berlin");
            assertThat(r.start()).isEqualTo(r.end());
        });

        Reading weight = readings.get(0);
        assertThat(weight.start()).isEqualTo(OffsetDateTime.parse("2024-04-01T07:25:12+02:00"));
        assertThat(weight.device()).isEqualTo("Body Cardio");
        assertThat(weight.userEntered()).isFalse();
        Reading height = readings.get(9);
        assertThat(height.start()).isEqualTo(OffsetDateTime.parse("2024-01-01T09:00:00+01:00"));
        assertThat(height.device()).isNull();
        assertThat(height.userEntered()).as("attrib 2: entered by hand").isTrue();
        assertThat(readings.get(20).userEntered()).as("attrib 4: entered at account creation").isTrue();
        assertThat(readings.get(15).userEntered()).as("attrib 8: a device of this user").isFalse();

        // The ambiguous group (attrib 1) removes whatever an earlier sync wrote for it.
        assertThat(context.readings.stream().filter(Reading::deleted))
                .extracting(Reading::sourceRecordId, Reading::metric)
                .containsExactly(tuple("5150000003", null), tuple("5150000003|7", null));
        assertThat(outcome.tombstones()).isEqualTo(2);

        assertThat(outcome.skipped()).containsOnly(
                entry("type 77 (hydration): no metric", 1),
                entry("type 5: same metric and id as an earlier measure of the group", 1),
                entry("type 173 (fat-free mass for segments): no metric", 2),
                entry("type 226 (basal metabolic rate): no metric", 1),
                entry("type 12: same metric and id as a preferred type", 1),
                entry("type 9999: unknown", 1),
                entry("ambiguous group (attrib 1)", 1));
    }

    @Test
    void theIncrementalRequestAsksForEveryTypeOfRealMeasuresSinceTheCursor() throws Exception {
        stubTwoPages(withings);

        sync.run(new TestSyncContext(), "1711900000", null, null);

        withings.server.verify(2, postRequestedFor(urlPathEqualTo("/measure"))
                .withHeader("Authorization", equalTo("Bearer token-1"))
                .withFormParam("action", equalTo("getmeas"))
                .withFormParam("category", equalTo("1"))
                .withFormParam("lastupdate", equalTo("1711900000"))
                .withFormParam("meastypes", equalTo(MeasureTypes.REQUESTED))
                .withFormParam("startdate", absent()));
        withings.server.verify(1, postRequestedFor(urlPathEqualTo("/measure")).withFormParam("offset", equalTo("3")));
        assertThat(MeasureTypes.REQUESTED).startsWith("1,4,5,6,8,9,10,11,12,54,71,73,76,77,88,91,123,")
                .endsWith(",226,227,229");
    }

    @Test
    void nothingSyncedYetMeansEverythingSinceTheEpoch() throws Exception {
        stubTwoPages(withings);

        sync.run(new TestSyncContext(), null, null, null);

        withings.server.verify(2, postRequestedFor(urlPathEqualTo("/measure"))
                .withFormParam("lastupdate", equalTo("0")));
    }

    @Test
    void aWindowAsksByDateAndKeepsTheCursor() throws Exception {
        stubTwoPages(withings);

        SyncOutcome outcome = sync.run(new TestSyncContext(), "1711900000",
                Instant.ofEpochSecond(1704067200), Instant.ofEpochSecond(1712000000));

        assertThat(outcome.cursor()).isNull();
        assertThat(outcome.readings()).isEqualTo(21);
        withings.server.verify(2, postRequestedFor(urlPathEqualTo("/measure"))
                .withFormParam("startdate", equalTo("1704067200"))
                .withFormParam("enddate", equalTo("1711999999"))
                .withFormParam("lastupdate", absent()));
    }

    @Test
    void sourceRecordIdsAndEventIdsAreStableAcrossRuns() throws Exception {
        stubTwoPages(withings);
        TestSyncContext first = new TestSyncContext();
        TestSyncContext second = new TestSyncContext();

        sync.run(first, null, null, null);
        sync.run(second, null, null, null);

        assertThat(first.readings).isNotEmpty().isEqualTo(second.readings);
        assertThat(eventIds(first.readings)).doesNotHaveDuplicates().isEqualTo(eventIds(second.readings));
    }

    @Test
    void tooManyRequestsPublishesNothing() {
        withings.stub(action("/measure", "getmeas"), "error-601.json");
        TestSyncContext context = new TestSyncContext();

        ProviderException limited = catchThrowableOfType(ProviderException.class,
                () -> sync.sync(context, "1711900000", null, null));

        assertThat(limited.kind()).isEqualTo(Kind.RATE_LIMITED);
        assertThat(context.readings).isEmpty();
        assertThat(context.tokenRefusedCalls).isZero();
    }

    @Test
    void aRefusedTokenIsRefreshedOnceAndTheSyncGoesOn() throws Exception {
        withings.server.stubFor(action("/measure", "getmeas").withHeader("Authorization", equalTo("Bearer token-1"))
                .willReturn(aResponse().withStatus(200).withBody(WithingsSimulator.fixture("error-401.json"))));
        withings.stub(action("/measure", "getmeas").withHeader("Authorization", equalTo("Bearer token-2"))
                .withFormParam("offset", absent()), "getmeas-page1.json");
        withings.stub(action("/measure", "getmeas").withHeader("Authorization", equalTo("Bearer token-2"))
                .withFormParam("offset", equalTo("3")), "getmeas-page2.json");
        TestSyncContext context = new TestSyncContext();

        String cursor = sync.sync(context, "1711900000", null, null);

        assertThat(cursor).isEqualTo("1711953600");
        assertThat(context.tokenRefusedCalls).isEqualTo(1);
        assertThat(context.beforeRequestCalls).isEqualTo(3);
        assertThat(context.readings).hasSize(23);
        withings.server.verify(1, postRequestedFor(urlPathEqualTo("/measure"))
                .withHeader("Authorization", equalTo("Bearer token-1")));
        withings.server.verify(2, postRequestedFor(urlPathEqualTo("/measure"))
                .withHeader("Authorization", equalTo("Bearer token-2")));
    }

    @Test
    void serverErrorsAreUnavailable() {
        withings.server.stubFor(action("/measure", "getmeas").willReturn(aResponse().withStatus(500)));
        TestSyncContext context = new TestSyncContext();

        ProviderException unavailable = catchThrowableOfType(ProviderException.class,
                () -> sync.sync(context, "1711900000", null, null));

        assertThat(unavailable.kind()).isEqualTo(Kind.UNAVAILABLE);
        assertThat(context.readings).isEmpty();
    }

    @Test
    void aPageThatSaysMoreWithoutANewOffsetFails() {
        withings.server.stubFor(action("/measure", "getmeas").willReturn(aResponse().withStatus(200)
                .withBody("{\"status\":0,\"body\":{\"measuregrps\":[],\"more\":1,\"offset\":0}}")));

        ProviderException failed = catchThrowableOfType(ProviderException.class,
                () -> sync.sync(new TestSyncContext(), null, null, null));

        assertThat(failed.kind()).isEqualTo(Kind.FAILED);
    }

    private static List<UUID> eventIds(List<Reading> readings) {
        return readings.stream()
                .map(r -> Identity.eventId("user-1", "withings", r.sourceRecordId(), r.metric()))
                .toList();
    }
}
