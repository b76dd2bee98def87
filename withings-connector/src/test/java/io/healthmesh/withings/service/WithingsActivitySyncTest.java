package io.healthmesh.withings.service;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.healthmesh.withings.WithingsSimulator.action;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;

import io.healthmesh.connector.provider.ProviderException;
import io.healthmesh.connector.provider.ProviderException.Kind;
import io.healthmesh.contracts.event.Aggregation;
import io.healthmesh.contracts.event.Reading;
import io.healthmesh.withings.TestSyncContext;
import io.healthmesh.withings.WithingsSimulator;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class WithingsActivitySyncTest {

    private static final String SCANWATCH_DAY = "2024-03-31|1|1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d";
    private static final String GOOGLE_FIT_DAY = "2024-03-10|18|model-1055";

    private WithingsSimulator withings;
    private WithingsActivitySync sync;

    @BeforeEach
    void start() {
        withings = new WithingsSimulator();
        sync = new WithingsActivitySync(withings.api);
    }

    @AfterEach
    void stop() {
        withings.close();
    }

    @Test
    void eachDayBecomesDailyReadings() throws Exception {
        withings.stub(action("/v2/measure", "getactivity"), "getactivity.json");
        TestSyncContext context = new TestSyncContext();

        SyncOutcome outcome = sync.run(context, "1711000000", null, null);

        assertThat(outcome.cursor()).as("the latest modified").isEqualTo("1711949950");
        assertThat(context.readings).extracting(Reading::sourceRecordId, Reading::metric, Reading::value, Reading::unit)
                .containsExactly(
                        tuple(SCANWATCH_DAY, "steps", 9412.0, "count"),
                        tuple(SCANWATCH_DAY, "distance", 7036.42, "m"),
                        tuple(SCANWATCH_DAY, "floors", 6.0, "count"),
                        tuple(SCANWATCH_DAY, "active_energy", 412.6, "kcal"),
                        tuple(SCANWATCH_DAY, "basal_energy", 1985.5, "kcal"),
                        tuple(SCANWATCH_DAY, "exercise_time", 2460.0, "s"),
                        tuple(GOOGLE_FIT_DAY, "steps", 1209.0, "count"),
                        tuple(GOOGLE_FIT_DAY, "distance", 1028.559, "m"),
                        tuple(GOOGLE_FIT_DAY, "floors", 0.0, "count"),
                        tuple(GOOGLE_FIT_DAY, "active_energy", 85.497, "kcal"),
                        tuple(GOOGLE_FIT_DAY, "basal_energy", 2218.291, "kcal"),
                        tuple(GOOGLE_FIT_DAY, "exercise_time", 292.0, "s"));
        assertThat(context.readings).allSatisfy(r -> {
            assertThat(r.aggregation()).isEqualTo(Aggregation.DAILY);
            assertThat(r.userEntered()).isFalse();
        });

        Reading scanWatch = context.readings.get(0);
        assertThat(scanWatch.localDate()).isEqualTo(LocalDate.parse("2024-03-31"));
        assertThat(scanWatch.zone()).isEqualTo("Europe/Berlin");
        // The night clocks went forward: a 23-hour day.
        assertThat(scanWatch.start()).isEqualTo(OffsetDateTime.parse("2024-03-31T00:00+01:00"));
        assertThat(scanWatch.end()).isEqualTo(OffsetDateTime.parse("2024-04-01T00:00+02:00"));
        assertThat(scanWatch.device()).isEqualTo("ScanWatch 2");

        Reading googleFit = context.readings.get(6);
        assertThat(googleFit.zone()).isEqualTo("America/New_York");
        assertThat(googleFit.start()).isEqualTo(OffsetDateTime.parse("2024-03-10T00:00-05:00"));
        assertThat(googleFit.end()).isEqualTo(OffsetDateTime.parse("2024-03-11T00:00-04:00"));
        assertThat(googleFit.device()).isEqualTo("GoogleFit tracker");

        withings.server.verify(1, postRequestedFor(urlPathEqualTo("/v2/measure"))
                .withHeader("Authorization", equalTo("Bearer token-1"))
                .withFormParam("lastupdate", equalTo("1711000000"))
                .withFormParam("startdateymd", absent())
                .withFormParam("enddateymd", absent()));
    }

    @Test
    void aWindowAsksByLocalDatesWidenedForAnyZoneAndKeepsTheCursor() throws Exception {
        withings.stub(action("/v2/measure", "getactivity"), "getactivity.json");

        SyncOutcome outcome = sync.run(new TestSyncContext(), "1711000000",
                Instant.parse("2024-03-10T00:00:00Z"), Instant.parse("2024-04-01T00:00:00Z"));

        assertThat(outcome.cursor()).isNull();
        assertThat(outcome.readings()).isEqualTo(12);
        withings.server.verify(1, postRequestedFor(urlPathEqualTo("/v2/measure"))
                .withFormParam("startdateymd", equalTo("2024-03-09"))
                .withFormParam("enddateymd", equalTo("2024-04-01"))
                .withFormParam("lastupdate", absent()));
    }

    @Test
    void rerunsGiveTheSameReadings() throws Exception {
        withings.stub(action("/v2/measure", "getactivity"), "getactivity.json");
        TestSyncContext first = new TestSyncContext();
        TestSyncContext second = new TestSyncContext();

        sync.run(first, null, null, null);
        sync.run(second, null, null, null);

        assertThat(first.readings).hasSize(12).isEqualTo(second.readings);
    }

    @Test
    void tooManyRequestsPublishesNothing() {
        withings.stub(action("/v2/measure", "getactivity"), "error-601.json");
        TestSyncContext context = new TestSyncContext();

        ProviderException limited = catchThrowableOfType(ProviderException.class,
                () -> sync.sync(context, null, null, null));

        assertThat(limited.kind()).isEqualTo(Kind.RATE_LIMITED);
        assertThat(context.readings).isEmpty();
    }
}
