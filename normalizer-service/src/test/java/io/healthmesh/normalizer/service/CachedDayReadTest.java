package io.healthmesh.normalizer.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.healthmesh.contracts.policy.Policy;
import io.healthmesh.normalizer.Db;
import io.healthmesh.normalizer.FixedPolicySource;
import io.healthmesh.normalizer.MetricRows;
import io.healthmesh.normalizer.api.MetricPoint;
import io.healthmesh.normalizer.api.MetricSeries;
import io.healthmesh.normalizer.repository.DayPointsCodec;
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
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Day reads through metric_day_cache (V4__day_cache.sql) against real PostgreSQL: a second read
 * takes its dates from the cache and answers the same; any change to a row (insert, delete, by
 * whoever) makes its dates computed again; deleted data leaves the cache; a policy change is
 * answered at once; a daily value stored far from its date keeps the read off the cache.
 */
@QuarkusTest
@WithTestResource(RealStackResource.class)
class CachedDayReadTest {

    private static final LocalDate FIRST = LocalDate.of(2024, 5, 1);
    private static final int DAYS = 5;
    private static final String FROM = "2024-05-02";
    private static final String TO = "2024-05-04";

    @Inject
    UserDataReadService reads;

    private String user;

    /** Hourly steps from the Watch, the iPhone (half an hour later) and the Oura ring; hourly heart rate. */
    @BeforeEach
    void insertRows() throws SQLException {
        user = "cached-days-" + UUID.randomUUID();
        MetricRows rows = new MetricRows(user);
        for (int hour = 0; hour < DAYS * 24; hour++) {
            Instant start = FIRST.atStartOfDay(ZoneOffset.UTC).toInstant().plus(Duration.ofHours(hour));
            rows.add("steps", "apple_health", "Apple Watch", "cumulative", start, start.plusSeconds(3600),
                    100 + hour % 7);
            rows.add("steps", "apple_health", "iPhone", "cumulative", start.plusSeconds(1800),
                    start.plusSeconds(5400), 90 + hour % 5);
            rows.add("steps", "oura", "Oura Ring Gen3", "cumulative", start, start.plusSeconds(3600), 80);
            rows.add("heart_rate", "oura", "Oura Ring Gen3", "sample", start, start, 55 + hour % 20);
        }
        rows.insert();
    }

    @AfterEach
    void deleteRows() {
        Db.deleteMetricRows(user);
    }

    @Test
    void aSecondReadTakesItsDatesFromTheCacheAndAnswersTheSame() throws SQLException {
        MetricSeries all = read("steps", "all");
        MetricSeries resolved = read("steps", "resolved");
        MetricSeries heart = read("heart_rate", "resolved");
        assertThat(all.points()).hasSize(3 * 3);
        assertThat(resolved.points()).extracting(MetricPoint::source).containsOnly("apple_health").hasSize(3);
        assertThat(cachedDates("steps", "all")).isEqualTo(3);
        assertThat(cachedDates("steps", "resolved")).isEqualTo(3);

        assertThat(read("steps", "all")).isEqualTo(all);
        assertThat(read("steps", "resolved")).isEqualTo(resolved);
        assertThat(read("heart_rate", "resolved")).isEqualTo(heart);

        // Served from the cache: what it holds for a date is what the read answers for that date.
        MetricPoint planted = new MetricPoint(OffsetDateTime.parse("2024-05-03T00:00Z"),
                OffsetDateTime.parse("2024-05-04T00:00Z"), 12_345, null, null, 1, "apple_health",
                List.of("Apple Watch"), 1, false, 1.0);
        plant("steps", "resolved", LocalDate.of(2024, 5, 3), List.of(planted));
        assertThat(read("steps", "resolved").points()).contains(planted).hasSize(3);
    }

    @Test
    void anEntryThatCannotBeReadIsComputedAgain() throws SQLException {
        MetricSeries first = read("steps", "all");
        try (Connection connection = LocalStack.openAdminConnection(); PreparedStatement update =
                connection.prepareStatement("UPDATE normalizer.metric_day_cache SET points = '\\x0102'::bytea"
                        + " WHERE user_id = ? AND metric = 'steps' AND view = 'all' AND local_date = '2024-05-03'")) {
            update.setString(1, user);
            assertThat(update.executeUpdate()).isEqualTo(1);
        }

        assertThat(read("steps", "all")).isEqualTo(first);
        assertThat(Db.count("SELECT count(*) FROM normalizer.metric_day_cache WHERE user_id = ? AND metric = 'steps'"
                + " AND view = 'all' AND local_date = '2024-05-03' AND length(points) > 2", user)).isEqualTo(1);
    }

    @Test
    void aChangedRowMakesItsDatesComputedAgain() throws SQLException {
        MetricSeries before = read("steps", "all");
        double watchOnThird = value(before, LocalDate.of(2024, 5, 3), "Apple Watch");

        insert("steps", "apple_health", "Apple Watch", "cumulative", Instant.parse("2024-05-03T12:00:30Z"),
                Instant.parse("2024-05-03T12:00:40Z"), 1_000);
        assertThat(generations(LocalDate.of(2024, 5, 2), LocalDate.of(2024, 5, 4))).allMatch(g -> g >= 2);

        MetricSeries after = read("steps", "all");
        assertThat(value(after, LocalDate.of(2024, 5, 3), "Apple Watch")).isEqualTo(watchOnThird + 1_000);
        assertThat(value(after, LocalDate.of(2024, 5, 2), "Apple Watch"))
                .isEqualTo(value(before, LocalDate.of(2024, 5, 2), "Apple Watch"));
        assertThat(read("steps", "all")).isEqualTo(after);

        // An update (the consumer's upsert of a newer version, an operator's fix) counts too.
        try (Connection connection = LocalStack.openAdminConnection(); PreparedStatement update =
                connection.prepareStatement("UPDATE normalizer.unified_metric SET value = 1500 WHERE user_id = ?"
                        + " AND value = 1000")) {
            update.setString(1, user);
            assertThat(update.executeUpdate()).isEqualTo(1);
        }
        assertThat(value(read("steps", "all"), LocalDate.of(2024, 5, 3), "Apple Watch"))
                .isEqualTo(watchOnThird + 1_500);
    }

    @Test
    void deletedRowsLeaveNothingBehindInTheCache() throws SQLException {
        read("steps", "all");
        read("steps", "resolved");
        assertThat(cachedDates("steps", "all")).isEqualTo(3);

        Db.deleteMetricRows(user);

        assertThat(Db.count("SELECT count(*) FROM normalizer.metric_day_cache WHERE user_id = ?", user)).isZero();
        assertThat(read("steps", "all").points()).isEmpty();
        assertThat(read("steps", "resolved").points()).isEmpty();
    }

    @Test
    void aPolicyChangeIsAnsweredByTheNextRead() {
        assertThat(read("steps", "resolved").points()).extracting(MetricPoint::source).containsOnly("apple_health");
        FixedPolicySource.set(new Policy(user, 2, "UTC", Map.of("activity", List.of("oura", "apple_health")),
                Map.of(), Map.of(), Set.of(), Map.of(), null));
        assertThat(read("steps", "resolved").points()).extracting(MetricPoint::source).containsOnly("oura")
                .hasSize(3);
        FixedPolicySource.set(FixedPolicySource.defaults(user, "UTC"));
        assertThat(read("steps", "resolved").points()).extracting(MetricPoint::source).containsOnly("apple_health");
    }

    @Test
    void aDailyValueStoredFarFromItsDateKeepsTheReadOffTheCache() throws SQLException {
        insert("steps", "withings", null, "daily", Instant.parse("2024-05-20T00:00:00Z"),
                Instant.parse("2024-05-21T00:00:00Z"), 7_000, LocalDate.of(2024, 5, 3));
        MetricSeries first = read("steps", "all");
        assertThat(cachedDates("steps", "all")).isZero();
        assertThat(read("steps", "all")).isEqualTo(first);
    }

    private MetricSeries read(String metric, String view) {
        return reads.metric(user, metric, FROM, TO, "day", view).await().atMost(Duration.ofSeconds(30));
    }

    private static double value(MetricSeries series, LocalDate date, String device) {
        return series.points().stream()
                .filter(p -> p.start().toLocalDate().equals(date) && p.devices().equals(List.of(device)))
                .findFirst().orElseThrow().value();
    }

    private long cachedDates(String metric, String view) {
        return Db.count("SELECT count(*) FROM normalizer.metric_day_cache WHERE user_id = ? AND metric = ? AND view = ?",
                user, metric, view);
    }

    private List<Long> generations(LocalDate first, LocalDate last) {
        return Db.query("SELECT generation FROM normalizer.metric_day_generation WHERE user_id = ? AND metric = 'steps'"
                        + " AND local_date BETWEEN ? AND ? ORDER BY local_date", user, first, last).stream()
                .map(row -> ((Number) row.get("generation")).longValue()).toList();
    }

    private void plant(String metric, String view, LocalDate date, List<MetricPoint> points) throws SQLException {
        try (Connection connection = LocalStack.openAdminConnection(); PreparedStatement update =
                connection.prepareStatement("UPDATE normalizer.metric_day_cache SET points = ? WHERE user_id = ?"
                        + " AND metric = ? AND view = ? AND local_date = ?")) {
            update.setBytes(1, DayPointsCodec.encode(points));
            update.setString(2, user);
            update.setString(3, metric);
            update.setString(4, view);
            update.setObject(5, date);
            assertThat(update.executeUpdate()).isEqualTo(1);
        }
    }

    private void insert(String metric, String source, String device, String aggregation, Instant start, Instant end,
            double value) throws SQLException {
        new MetricRows(user).add(metric, source, device, aggregation, start, end, value).insert();
    }

    private void insert(String metric, String source, String device, String aggregation, Instant start, Instant end,
            double value, LocalDate localDate) throws SQLException {
        new MetricRows(user).add(metric, source, device, aggregation, start, end, value, localDate).insert();
    }
}
