package io.healthmesh.normalizer.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.healthmesh.contracts.event.Session;
import io.healthmesh.contracts.event.SessionDetails;
import io.healthmesh.contracts.event.SessionType;
import io.healthmesh.contracts.event.SleepStage;
import io.healthmesh.contracts.event.SleepStageInterval;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SleepMetricsDeriverTest {

    private final SleepMetricsDeriver deriver = new SleepMetricsDeriver();

    private static SleepStageInterval stage(SleepStage stage, String start, String end) {
        return new SleepStageInterval(stage, OffsetDateTime.parse(start), OffsetDateTime.parse(end));
    }

    private static Session sleep(SessionType type, String start, String end, SessionDetails details) {
        return Session.builder().sourceRecordId("s1").type(type).start(OffsetDateTime.parse(start))
                .end(OffsetDateTime.parse(end)).details(details).build();
    }

    @Test
    void stagesGiveUnionsNotSums() {
        // Core 23:00-01:00 and an overlapping duplicate 00:30-01:30 from a second device: 2.5 h of light, not 3.
        Session night = sleep(SessionType.SLEEP, "2024-03-09T22:45:00+01:00", "2024-03-10T07:00:00+01:00",
                SessionDetails.ofStages(List.of(
                        stage(SleepStage.LIGHT, "2024-03-09T23:00:00+01:00", "2024-03-10T01:00:00+01:00"),
                        stage(SleepStage.LIGHT, "2024-03-10T00:30:00+01:00", "2024-03-10T01:30:00+01:00"),
                        stage(SleepStage.DEEP, "2024-03-10T01:30:00+01:00", "2024-03-10T03:00:00+01:00"),
                        stage(SleepStage.AWAKE, "2024-03-10T03:00:00+01:00", "2024-03-10T03:15:00+01:00"),
                        stage(SleepStage.REM, "2024-03-10T03:15:00+01:00", "2024-03-10T06:45:00+01:00"),
                        stage(SleepStage.IN_BED, "2024-03-09T22:45:00+01:00", "2024-03-10T07:00:00+01:00"))));

        Map<String, Double> metrics = deriver.derive(night);

        assertThat(metrics).containsEntry("sleep_light", 9_000.0)
                .containsEntry("sleep_deep", 5_400.0)
                .containsEntry("sleep_rem", 12_600.0)
                .containsEntry("sleep_awake", 900.0)
                .containsEntry("sleep_duration", 27_000.0)
                .containsEntry("time_in_bed", 29_700.0)
                .containsEntry("sleep_efficiency", 90.9)
                .doesNotContainKey("sleep_latency");
    }

    @Test
    void totalsOnlySessionUsesTheTotalsAndTheSourcesOwnEfficiency() {
        Session night = sleep(SessionType.SLEEP, "2024-03-09T23:00:00Z", "2024-03-10T07:00:00Z",
                SessionDetails.builder().stageTotalsSeconds(Map.of(SleepStage.LIGHT, 14_400.0,
                        SleepStage.DEEP, 3_600.0, SleepStage.REM, 5_400.0, SleepStage.AWAKE, 1_800.0))
                        .efficiency(88.0).latencySeconds(600.0).build());

        Map<String, Double> metrics = deriver.derive(night);

        assertThat(metrics).containsEntry("sleep_duration", 23_400.0)
                .containsEntry("time_in_bed", 28_800.0)
                .containsEntry("sleep_efficiency", 88.0)
                .containsEntry("sleep_latency", 600.0)
                .containsEntry("sleep_awake", 1_800.0);
    }

    @Test
    void aSleepWithoutStagesIsAsleepThroughout() {
        Map<String, Double> metrics = deriver.derive(
                sleep(SessionType.SLEEP, "2024-03-09T23:00:00Z", "2024-03-10T06:00:00Z", null));

        assertThat(metrics).containsEntry("sleep_duration", 25_200.0).containsEntry("time_in_bed", 25_200.0)
                .containsEntry("sleep_efficiency", 100.0).hasSize(3);
    }

    @Test
    void napsAndWorkoutsDeriveNothing() {
        assertThat(deriver.derive(sleep(SessionType.NAP, "2024-03-10T13:00:00Z", "2024-03-10T13:40:00Z", null)))
                .isEmpty();
        assertThat(deriver.derive(sleep(SessionType.WORKOUT, "2024-03-10T13:00:00Z", "2024-03-10T13:40:00Z",
                null))).isEmpty();
    }

    @Test
    void onlyAnInBedIntervalGivesTimeInBedButNoSleep() {
        Session night = sleep(SessionType.SLEEP, "2024-03-09T23:00:00Z", "2024-03-10T07:00:00Z",
                SessionDetails.ofStages(List.of(
                        stage(SleepStage.IN_BED, "2024-03-09T23:00:00Z", "2024-03-10T07:00:00Z"))));

        assertThat(deriver.derive(night)).containsOnlyKeys("time_in_bed");
    }
}
