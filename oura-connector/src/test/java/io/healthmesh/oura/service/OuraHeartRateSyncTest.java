package io.healthmesh.oura.service;

import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.healthmesh.oura.OuraSimulator.collection;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.healthmesh.contracts.event.Reading;
import io.healthmesh.oura.OuraSimulator;
import io.healthmesh.oura.TestSyncContext;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OuraHeartRateSyncTest {

    private OuraSimulator oura;
    private OuraHeartRateSync sync;

    @BeforeEach
    void start() {
        oura = new OuraSimulator();
        oura.stub(collection("heartrate"), "heartrate.json");
        sync = new OuraHeartRateSync(oura.api, oura.config, OuraSimulator.CLOCK);
    }

    @AfterEach
    void stop() {
        oura.close();
    }

    private List<LoggedRequest> requests() {
        List<LoggedRequest> requests = oura.server.findAll(getRequestedFor(urlPathEqualTo("/v2/usercollection/heartrate")));
        requests.sort(Comparator.comparing(r -> r.queryParameter("start_datetime").firstValue()));
        return requests;
    }

    @Test
    void aBackfillAsksInChunksOfAtMostSevenDaysInUtc() throws Exception {
        TestSyncContext context = new TestSyncContext();
        Instant from = Instant.parse("2024-02-13T10:00:00Z");
        Instant to = OuraSimulator.NOW;

        String cursor = sync.sync(context, null, from, to);

        assertThat(cursor).isNull();
        List<LoggedRequest> requests = requests();
        assertThat(requests).hasSize(5); // 29 days
        Instant expectedStart = from;
        for (LoggedRequest request : requests) {
            String start = request.queryParameter("start_datetime").firstValue();
            String end = request.queryParameter("end_datetime").firstValue();
            assertThat(start).endsWith("Z");
            assertThat(end).endsWith("Z");
            assertThat(Instant.parse(start)).isEqualTo(expectedStart);
            assertThat(Duration.between(Instant.parse(start), Instant.parse(end))).isLessThanOrEqualTo(Duration.ofDays(7));
            expectedStart = Instant.parse(end);
        }
        assertThat(expectedStart).isEqualTo(to);
        assertThat(sync.cursorAt(to)).isEqualTo("2024-03-13T10:00:00Z");
    }

    @Test
    void samplesAreKeyedByTheirInstantAndAnIncrementalRunMovesTheCursor() throws Exception {
        TestSyncContext context = new TestSyncContext();

        String cursor = sync.sync(context, "2024-03-13T08:00:00Z", null, null);

        assertThat(cursor).isEqualTo("2024-03-13T10:00:00Z");
        // A day before the cursor again, for late uploads.
        assertThat(requests()).singleElement().satisfies(request -> {
            assertThat(request.queryParameter("start_datetime").firstValue()).isEqualTo("2024-03-12T08:00:00Z");
            assertThat(request.queryParameter("end_datetime").firstValue()).isEqualTo("2024-03-13T10:00:00Z");
        });
        assertThat(context.readings).hasSize(4);
        Reading first = context.readings.get(0);
        assertThat(first.metric()).isEqualTo("heart_rate");
        assertThat(first.value()).isEqualTo(52);
        assertThat(first.sourceRecordId()).isEqualTo("2024-03-12T06:00:31Z");
        assertThat(first.start()).isEqualTo(OffsetDateTime.parse("2024-03-12T06:00:31Z"));
        assertThat(first.start()).isEqualTo(first.end());
    }
}
