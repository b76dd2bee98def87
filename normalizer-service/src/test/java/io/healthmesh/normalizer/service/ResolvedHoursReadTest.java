package io.healthmesh.normalizer.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.healthmesh.commons.problem.ProblemException;
import io.healthmesh.contracts.event.Aggregation;
import io.healthmesh.contracts.policy.Policy;
import io.healthmesh.normalizer.Db;
import io.healthmesh.normalizer.FixedPolicySource;
import io.healthmesh.normalizer.MetricRows;
import io.healthmesh.normalizer.api.MetricPoint;
import io.healthmesh.normalizer.api.MetricSeries;
import io.healthmesh.normalizer.config.ReadConfig;
import io.healthmesh.normalizer.domain.StoredMetric;
import io.healthmesh.normalizer.repository.DayCacheRepository;
import io.healthmesh.normalizer.repository.ResolvedRawCacheRepository;
import io.healthmesh.normalizer.repository.RowCacheRepository;
import io.healthmesh.normalizer.repository.UnifiedReadRepository;
import io.healthmesh.testsupport.LocalStack;
import io.healthmesh.testsupport.RealStackResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Resolved raw reads of whole UTC hours through metric_resolved_raw_cache (V6__resolved_raw_cache.sql)
 * against real PostgreSQL: they answer what the same reads answer from the rows alone (the service
 * with every read cache turned off), whatever the range, ranking, clocks, devices, round trips and
 * daily values; what a date keeps is what is served; another ranking, a changed row, a deleted row,
 * a damaged entry or a clock at a half-hour offset never gets a kept answer that is not its own.
 * The test profile caps raw reads at 100 points.
 */
@QuarkusTest
@WithTestResource(RealStackResource.class)
class ResolvedHoursReadTest {

    private static final Instant FIRST = Instant.parse("2024-05-01T00:00:00Z");
    private static final LocalDate MAY_3 = LocalDate.of(2024, 5, 3);
    private static final String FROM = "2024-05-03T00:00:00Z";
    private static final String TO = "2024-05-04T00:00:00Z";

    @Inject
    UserDataReadService reads;
    @Inject
    UnifiedReadRepository repository;
    @Inject
    DayCacheRepository dayCache;
    @Inject
    RowCacheRepository rowCache;
    @Inject
    ResolvedRawCacheRepository resolvedCache;
    @Inject
    PolicySource policies;
    @Inject
    ReadConfig config;

    private String user;
    private UserDataReadService uncached;

    @BeforeEach
    void uncachedService() {
        user = "resolved-hours-" + UUID.randomUUID();
        FixedPolicySource.set(FixedPolicySource.defaults(user, "UTC"));
        uncached = UncachedReads.service(repository, dayCache, rowCache, resolvedCache, policies, config);
    }

    @AfterEach
    void deleteRows() {
        Db.deleteMetricRows(user);
    }

    /** Random readings, rankings and whole-hour ranges, changes between reads: never other than the rows' answer. */
    @Test
    void anyWholeHourRangeAnswersWhatTheRowsAnswer() throws SQLException {
        SplittableRandom random = new SplittableRandom(31);
        String[][] writers = {{"apple_health", "Apple Watch", null}, {"apple_health", "iPhone", "Health"},
            {"apple_health", null, "Health Mate"}, {"oura", "Oura Ring Gen3", null}, {"withings", null, null},
            {"withings", "ScanWatch", null}};
        int[] offsets = {0, 0, 7200, 3600, -18000, 19800};
        for (int round = 0; round < 30; round++) {
            if (round % 6 == 0) {
                FixedPolicySource.set(policy(random));
            }
            MetricRows rows = new MetricRows(user);
            for (int i = 0; i < 8; i++) {
                String[] writer = writers[random.nextInt(writers.length)];
                // Half-hour clocks now and then: their dates are not kept, their reads still answer.
                int offset = offsets[random.nextInt(round % 10 == 9 ? offsets.length : offsets.length - 1)];
                Instant start = FIRST.plusSeconds(60L * random.nextLong(5 * 24 * 60));
                LocalDate localDate = LocalDateTime.ofEpochSecond(start.getEpochSecond(), 0,
                        ZoneOffset.ofTotalSeconds(offset)).toLocalDate();
                switch (random.nextInt(5)) {
                    case 0 -> rows.add("heart_rate", writer[0], writer[1], writer[2], "sample", start, start,
                            random.nextInt(40, 180), localDate, offset);
                    case 1 -> {
                        Instant midnight = localDate.atStartOfDay(ZoneOffset.ofTotalSeconds(offset)).toInstant();
                        rows.add("steps", writer[0], writer[1], writer[2], "daily", midnight,
                                midnight.plusSeconds(86_400), random.nextInt(1_000, 20_000), localDate, offset);
                    }
                    default -> rows.add("steps", writer[0], writer[1], writer[2], "cumulative", start,
                            start.plusSeconds(60L * random.nextInt(1, random.nextInt(8) == 0 ? 600 : 90)),
                            random.nextInt(0, 3_000), localDate, offset);
                }
            }
            rows.insert();
            Instant from = FIRST.plusSeconds(3600L * random.nextLong(-24, 5 * 24));
            Instant to = from.plusSeconds(3600L * random.nextLong(1, 72));
            boolean dates = random.nextInt(4) == 0;
            String fromText = dates ? from.atOffset(ZoneOffset.UTC).toLocalDate().toString() : from.toString();
            String toText = dates ? to.atOffset(ZoneOffset.UTC).toLocalDate().toString() : to.toString();
            for (String metric : List.of("steps", "heart_rate")) {
                String context = "round " + round + " " + metric + " [" + fromText + ", " + toText + ")";
                MetricSeries expected = uncached.metric(user, metric, fromText, toText, "raw", "resolved").await()
                        .atMost(Duration.ofSeconds(30));
                assertThat(read(metric, fromText, toText)).as(context).isEqualTo(expected);
                assertThat(read(metric, fromText, toText)).as(context + ", again").isEqualTo(expected);
            }
        }
        assertThat(keptDates("steps")).isNotEmpty();
        assertThat(keptDates("heart_rate")).isNotEmpty();
    }

    @Test
    void whatADateKeepsIsWhatIsServed() throws SQLException {
        Instant nine = Instant.parse("2024-05-03T09:00:00Z");
        new MetricRows(user)
                .add("steps", "apple_health", "Apple Watch", "cumulative", nine, nine.plusSeconds(600), 500)
                .add("steps", "oura", "Oura Ring Gen3", "cumulative", nine.plusSeconds(3600), nine.plusSeconds(4200), 300)
                .insert();
        MetricSeries first = read("steps", FROM, TO);
        assertThat(first.points()).extracting(MetricPoint::value).containsExactly(500.0, 300.0);
        assertThat(keptDates("steps")).containsExactly(MAY_3);

        // A planted entry: the Watch's reading worth 12,345.
        ResolvedBuckets.DateHours planted = new ResolvedBuckets.DateHours(MAY_3,
                SourceRanking.forMetric(FixedPolicySource.defaults(user, "UTC"),
                        io.healthmesh.contracts.vocab.Vocabulary.metric("steps").orElseThrow()));
        planted.accept(new StoredMetric("apple_health", "Apple Watch", null, 12_345, Aggregation.CUMULATIVE, nine,
                nine.plusSeconds(600), 0, MAY_3, null, 1.0));
        plant("steps", MAY_3, planted.encoded());

        assertThat(read("steps", FROM, TO).points()).extracting(MetricPoint::value).containsExactly(12_345.0);
        // A range of part of the date takes only its hours.
        assertThat(read("steps", "2024-05-03T10:00:00Z", TO).points()).isEmpty();
    }

    @Test
    void anotherRankingGetsItsOwnAnswer() throws SQLException {
        Instant nine = Instant.parse("2024-05-03T09:00:00Z");
        new MetricRows(user)
                .add("steps", "apple_health", "Apple Watch", "cumulative", nine, nine.plusSeconds(600), 500)
                .add("steps", "oura", "Oura Ring Gen3", "cumulative", nine, nine.plusSeconds(600), 300)
                .insert();
        assertThat(read("steps", FROM, TO).points()).extracting(MetricPoint::source).containsExactly("apple_health");

        FixedPolicySource.set(new Policy(user, 2, "UTC", Map.of("activity", List.of("oura", "apple_health")),
                Map.of(), Map.of(), Set.of(), Map.of(), null));
        MetricSeries second = read("steps", FROM, TO);
        assertThat(second.points()).extracting(MetricPoint::source).containsExactly("oura");
        assertThat(second).isEqualTo(uncached.metric(user, "steps", FROM, TO, "raw", "resolved").await()
                .atMost(Duration.ofSeconds(30)));
    }

    @Test
    void aChangedRowIsSeenAtOnce() throws SQLException {
        Instant nine = Instant.parse("2024-05-03T09:00:00Z");
        new MetricRows(user).add("heart_rate", "oura", "Oura Ring Gen3", "sample", nine, nine, 60).insert();
        assertThat(read("heart_rate", FROM, TO).points()).extracting(MetricPoint::value).containsExactly(60.0);

        new MetricRows(user).add("heart_rate", "apple_health", "Apple Watch", "sample", nine.plusSeconds(60),
                nine.plusSeconds(60), 70).insert();
        assertThat(read("heart_rate", FROM, TO).points()).extracting(MetricPoint::value).containsExactly(70.0);

        try (Connection connection = LocalStack.openAdminConnection(); PreparedStatement update =
                connection.prepareStatement("UPDATE normalizer.unified_metric SET value = 75 WHERE user_id = ?"
                        + " AND value = 70")) {
            update.setString(1, user);
            assertThat(update.executeUpdate()).isEqualTo(1);
        }
        assertThat(read("heart_rate", FROM, TO).points()).extracting(MetricPoint::value).containsExactly(75.0);
    }

    @Test
    void deletedRowsLeaveNothingBehindInTheCache() throws SQLException {
        Instant nine = Instant.parse("2024-05-03T09:00:00Z");
        new MetricRows(user).add("heart_rate", "oura", "Oura Ring Gen3", "sample", nine, nine, 60).insert();
        read("heart_rate", "2024-05-02T00:00:00Z", TO);
        assertThat(keptDates("heart_rate")).hasSize(2);

        Db.deleteMetricRows(user);

        assertThat(Db.count("SELECT count(*) FROM normalizer.metric_resolved_raw_cache WHERE user_id = ?", user))
                .isZero();
        assertThat(read("heart_rate", FROM, TO).points()).isEmpty();
    }

    @Test
    void anEntryThatCannotBeReadIsResolvedAgain() throws SQLException {
        Instant nine = Instant.parse("2024-05-03T09:00:00Z");
        new MetricRows(user).add("heart_rate", "oura", "Oura Ring Gen3", "sample", nine, nine, 60).insert();
        MetricSeries first = read("heart_rate", FROM, TO);
        plant("heart_rate", MAY_3, new byte[] {1, 2});

        assertThat(read("heart_rate", FROM, TO)).isEqualTo(first);
        assertThat(Db.count("SELECT count(*) FROM normalizer.metric_resolved_raw_cache WHERE user_id = ?"
                + " AND metric = 'heart_rate' AND utc_date = '2024-05-03' AND length(hours) > 2", user)).isEqualTo(1);
    }

    @Test
    void aDateWithAHalfHourClockIsNotKept() throws SQLException {
        Instant nine = Instant.parse("2024-05-03T09:10:00Z");
        new MetricRows(user)
                .add("steps", "oura", "Oura Ring Gen3", null, "cumulative", nine, nine.plusSeconds(600), 300, MAY_3,
                        19_800)
                .add("steps", "apple_health", "Apple Watch", null, "cumulative", nine.plusSeconds(1800),
                        nine.plusSeconds(2400), 500, MAY_3, 0)
                .insert();
        MetricSeries expected = uncached.metric(user, "steps", FROM, TO, "raw", "resolved").await()
                .atMost(Duration.ofSeconds(30));
        assertThat(expected.points()).hasSize(2);

        assertThat(read("steps", FROM, TO)).isEqualTo(expected);
        assertThat(keptDates("steps")).isEmpty();
    }

    @Test
    void moreRowsThanARawReadMayHaveIsStillRefused() throws SQLException {
        MetricRows rows = new MetricRows(user);
        Instant start = Instant.parse("2024-05-03T01:00:00Z");
        for (int minute = 0; minute < 70; minute++) {
            Instant at = start.plusSeconds(60L * minute);
            rows.add("heart_rate", "apple_health", "Apple Watch", "sample", at, at, 70);
        }
        rows.insert();
        // 70 rows: kept, and answered from the cache.
        assertThat(read("heart_rate", FROM, TO).points()).hasSize(70);
        assertThat(keptDates("heart_rate")).containsExactly(MAY_3);

        rows = new MetricRows(user);
        for (int minute = 0; minute < 40; minute++) {
            Instant at = start.plusSeconds(86_400 + 60L * minute);
            rows.add("heart_rate", "oura", "Oura Ring Gen3", "sample", at, at, 60);
        }
        rows.insert();
        // Two dates of 70 and 40 rows: each kept, together over the cap of 100.
        assertThat(read("heart_rate", "2024-05-04T00:00:00Z", "2024-05-05T00:00:00Z").points()).hasSize(40);
        assertThatThrownBy(() -> read("heart_rate", FROM, "2024-05-05T00:00:00Z"))
                .isInstanceOf(ProblemException.class).hasMessageContaining("100");
        assertThatThrownBy(() -> uncached.metric(user, "heart_rate", FROM, "2024-05-05T00:00:00Z", "raw", "resolved")
                .await().atMost(Duration.ofSeconds(30))).isInstanceOf(ProblemException.class);
    }

    /** A ranking of the activity and heart sources, round trips of Health Mate (withings connected or not), device ranks. */
    private Policy policy(SplittableRandom random) {
        List<String> activity = new ArrayList<>(List.of("apple_health", "oura", "withings"));
        List<String> heart = new ArrayList<>(activity);
        Collections.shuffle(activity, new Random(random.nextLong()));
        Collections.shuffle(heart, new Random(random.nextLong()));
        List<String> devices = new ArrayList<>(List.of("Watch", "iPhone"));
        Collections.shuffle(devices, new Random(random.nextLong()));
        return new Policy(user, random.nextLong(1, 1_000), "UTC", Map.of("activity", activity, "heart", heart),
                Map.of(), Map.of("apple_health", devices), random.nextBoolean() ? Set.of("withings") : Set.of(),
                Map.of("withings", List.of("Health Mate")), null);
    }

    private MetricSeries read(String metric, String from, String to) {
        return reads.metric(user, metric, from, to, "raw", "resolved").await().atMost(Duration.ofSeconds(30));
    }

    private List<LocalDate> keptDates(String metric) {
        return Db.query("SELECT utc_date FROM normalizer.metric_resolved_raw_cache WHERE user_id = ? AND metric = ?"
                + " ORDER BY utc_date", user, metric).stream()
                .map(row -> ((java.sql.Date) row.get("utc_date")).toLocalDate()).toList();
    }

    private void plant(String metric, LocalDate date, byte[] hours) throws SQLException {
        try (Connection connection = LocalStack.openAdminConnection(); PreparedStatement update =
                connection.prepareStatement("UPDATE normalizer.metric_resolved_raw_cache SET hours = ?"
                        + " WHERE user_id = ? AND metric = ? AND utc_date = ?")) {
            update.setBytes(1, hours);
            update.setString(2, user);
            update.setString(3, metric);
            update.setObject(4, date);
            assertThat(update.executeUpdate()).isEqualTo(1);
        }
    }
}
