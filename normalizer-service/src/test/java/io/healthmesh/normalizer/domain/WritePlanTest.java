package io.healthmesh.normalizer.domain;

import static org.assertj.core.api.Assertions.assertThat;

import io.healthmesh.contracts.event.Aggregation;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class WritePlanTest {

    private static final Instant T0 = Instant.parse("2024-03-10T08:00:00Z");

    private static MetricRow row(String id, String metric, double value) {
        return new MetricRow("u1", "withings", id, metric, "body", value, "kg", value, "kg", Aggregation.SAMPLE, T0, T0,
                0, LocalDate.of(2024, 3, 10), null, null, null, false, 1.0, "[]", UUID.randomUUID(), null, false, T0);
    }

    private static SessionRow session(String id) {
        return new SessionRow("u1", "withings", id, "sleep", T0, T0.plusSeconds(3600), 0, LocalDate.of(2024, 3, 10),
                null, null, null, "{}", 1.0, "[]", UUID.randomUUID(), null, T0);
    }

    @Test
    void theLastWriteOfAKeyWins() {
        WritePlan plan = new WritePlan();
        plan.upsertMetric(row("g1", "body_mass", 70));
        plan.upsertMetric(row("g2", "body_mass", 80));
        plan.upsertMetric(row("g1", "body_mass", 71));

        assertThat(plan.metricUpserts()).extracting(MetricRow::value).containsExactly(80.0, 71.0);
    }

    @Test
    void aDeletionCancelsEarlierWritesAndALaterWriteCancelsTheDeletion() {
        WritePlan plan = new WritePlan();
        plan.upsertMetric(row("g1", "body_mass", 70));
        plan.deleteMetric(new MetricKey("u1", "withings", "g1", "body_mass"), T0.plusSeconds(60));
        assertThat(plan.metricUpserts()).isEmpty();
        assertThat(plan.metricDeletions()).containsOnlyKeys(new MetricKey("u1", "withings", "g1", "body_mass"));

        plan.upsertMetric(row("g1", "body_mass", 72));
        assertThat(plan.metricDeletions()).isEmpty();
        assertThat(plan.metricUpserts()).extracting(MetricRow::value).containsExactly(72.0);
    }

    @Test
    void aRecordTombstoneCancelsEverythingOfItsRecordBeforeIt() {
        WritePlan plan = new WritePlan();
        plan.upsertMetric(row("g1", "body_mass", 70));
        plan.upsertMetric(row("g1", "fat_mass", 12));
        plan.upsertMetric(row("g2", "body_mass", 80));
        plan.upsertSession(session("g1"), List.of());
        plan.deleteRecord(new RecordKey("u1", "withings", "g1"), T0.plusSeconds(60));
        plan.upsertMetric(row("g1", "muscle_mass", 30));

        assertThat(plan.metricUpserts()).extracting(MetricRow::metric, MetricRow::sourceRecordId)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("body_mass", "g2"),
                        org.assertj.core.groups.Tuple.tuple("muscle_mass", "g1"));
        assertThat(plan.sessionUpserts()).isEmpty();
        assertThat(plan.recordDeletions()).containsOnlyKeys(new RecordKey("u1", "withings", "g1"));
    }

    @Test
    void theLatestOutcomeOfAnEventWins() {
        WritePlan plan = new WritePlan();
        UUID event = UUID.randomUUID();
        plan.outcome("job1", event, false);
        plan.outcome("job1", event, true);

        assertThat(plan.outcomes()).containsExactly(
                java.util.Map.entry(new WritePlan.JobEvent("job1", event), true));
    }

    @Test
    void aReadingOfTheSameKeyIsNotOverwrittenByASessionsDerivedMetric() {
        WritePlan plan = new WritePlan();
        MetricRow derived = row("n1", "sleep_duration", 25_000);
        plan.upsertSession(session("n1"), List.of(derived, row("n1", "time_in_bed", 28_000)));
        plan.upsertMetric(row("n1", "sleep_duration", 26_000));

        assertThat(plan.allMetricRows()).extracting(MetricRow::metric, MetricRow::value)
                .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("sleep_duration", 26_000.0),
                        org.assertj.core.groups.Tuple.tuple("time_in_bed", 28_000.0));
    }
}
