package io.healthmesh.normalizer.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.healthmesh.contracts.event.Aggregation;
import io.healthmesh.normalizer.Db;
import io.healthmesh.normalizer.MetricRows;
import io.healthmesh.normalizer.api.MetricPoint;
import io.healthmesh.normalizer.api.MetricSeries;
import io.healthmesh.normalizer.config.ReadConfig;
import io.healthmesh.normalizer.domain.StoredMetric;
import io.healthmesh.normalizer.repository.DayCacheRepository;
import io.healthmesh.normalizer.repository.DayRowsCodec;
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
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Raw reads through metric_row_cache (V5__row_cache.sql) against real PostgreSQL: they answer what
 * the same reads answer from the table alone (the service with the cache turned off), take whole
 * UTC dates from the cache once read, see every change to a row at once, leave nothing of deleted
 * rows behind, and keep neither today (still arriving) nor a date with more rows than a read may
 * have. The test profile caps raw reads at 100 points.
 */
@QuarkusTest
@WithTestResource(RealStackResource.class)
class CachedRawReadTest {

    private static final Instant FIRST = Instant.parse("2024-05-01T00:00:00Z");
    /** A day of Berlin in summer: the last two hours of May 2 (UTC) and the rest of May 3. */
    private static final String FROM = "2024-05-03T00:00:00+02:00";
    private static final String TO = "2024-05-04T00:00:00+02:00";

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

    /** Steps from the Watch every other hour (one-hour readings) and the iPhone (two-hour ones, half past); heart rate every other hour. */
    @BeforeEach
    void insertRows() throws SQLException {
        user = "cached-rows-" + UUID.randomUUID();
        MetricRows rows = new MetricRows(user);
        for (int hour = 0; hour < 5 * 24; hour += 2) {
            Instant start = FIRST.plus(Duration.ofHours(hour));
            rows.add("steps", "apple_health", "Apple Watch", "cumulative", start, start.plusSeconds(3600),
                    100 + hour % 7);
            rows.add("steps", "apple_health", "iPhone", "cumulative", start.plusSeconds(1800),
                    start.plusSeconds(9000), 90 + hour % 5);
            rows.add("heart_rate", "oura", "Oura Ring Gen3", "sample", start, start, 55 + hour % 20);
        }
        rows.insert();
        uncached = UncachedReads.service(repository, dayCache, rowCache, resolvedCache, policies, config);
    }

    @AfterEach
    void deleteRows() {
        Db.deleteMetricRows(user);
    }

    @Test
    void aSecondReadTakesItsDatesFromTheCacheAndAnswersTheSame() throws SQLException {
        for (String view : List.of("all", "resolved")) {
            MetricSeries expected = uncached.metric(user, "steps", FROM, TO, "raw", view).await().atMost(Duration.ofSeconds(30));
            assertThat(read("steps", view)).isEqualTo(expected);
            assertThat(read("steps", view)).isEqualTo(expected);
        }
        // 12 from each device, and the iPhone's reading from 20:30 that reaches into the range.
        assertThat(read("steps", "all").points()).hasSize(25)
                .allMatch(p -> !p.end().toInstant().isBefore(Instant.parse("2024-05-02T22:00:00Z")));
        assertThat(cachedDates("steps")).containsExactly(LocalDate.of(2024, 5, 2), LocalDate.of(2024, 5, 3));

        // Served from the cache: what it holds for a date is what the read is made of.
        StoredMetric planted = new StoredMetric("apple_health", "Apple Watch", null, 12_345, Aggregation.CUMULATIVE,
                Instant.parse("2024-05-03T09:10:00Z"), Instant.parse("2024-05-03T09:11:00Z"), 0,
                LocalDate.of(2024, 5, 3), null, 1.0);
        plant("steps", LocalDate.of(2024, 5, 3), List.of(planted));
        // May 2's three (two from 22:00 on, one reaching in) and the planted one.
        assertThat(read("steps", "all").points()).hasSize(4).extracting(MetricPoint::value).contains(12_345.0);
    }

    @Test
    void aReadingThatStartedBeforeTheRangeIsInIt() throws SQLException {
        new MetricRows(user).add("steps", "withings", null, "cumulative", Instant.parse("2024-05-02T20:30:00Z"),
                Instant.parse("2024-05-02T23:00:00Z"), 4_000).insert();
        MetricSeries expected = uncached.metric(user, "steps", FROM, TO, "raw", "all").await()
                .atMost(Duration.ofSeconds(30));
        assertThat(expected.points()).extracting(MetricPoint::value).contains(4_000.0);
        assertThat(read("steps", "all")).isEqualTo(expected);
        assertThat(read("steps", "all")).isEqualTo(expected);
    }

    @Test
    void changedRowsAreReadAtOnce() throws SQLException {
        MetricSeries before = read("heart_rate", "all");
        assertThat(before.points()).hasSize(12);

        new MetricRows(user).add("heart_rate", "apple_health", "Apple Watch", "sample",
                Instant.parse("2024-05-03T07:00:30Z"), Instant.parse("2024-05-03T07:00:30Z"), 140).insert();
        assertThat(read("heart_rate", "all").points()).hasSize(13).extracting(MetricPoint::value).contains(140.0);

        try (Connection connection = LocalStack.openAdminConnection(); PreparedStatement update =
                connection.prepareStatement("UPDATE normalizer.unified_metric SET value = 150 WHERE user_id = ?"
                        + " AND value = 140")) {
            update.setString(1, user);
            assertThat(update.executeUpdate()).isEqualTo(1);
        }
        assertThat(read("heart_rate", "all").points()).hasSize(13).extracting(MetricPoint::value).contains(150.0)
                .doesNotContain(140.0);
        assertThat(read("heart_rate", "all")).isEqualTo(uncached.metric(user, "heart_rate", FROM, TO, "raw", "all")
                .await().atMost(Duration.ofSeconds(30)));
    }

    @Test
    void deletedRowsLeaveNothingBehindInTheCache() {
        read("steps", "all");
        read("heart_rate", "all");
        assertThat(cachedDates("steps")).hasSize(2);

        Db.deleteMetricRows(user);

        assertThat(Db.count("SELECT count(*) FROM normalizer.metric_row_cache WHERE user_id = ?", user)).isZero();
        assertThat(read("steps", "all").points()).isEmpty();
        assertThat(read("heart_rate", "all").points()).isEmpty();
    }

    @Test
    void anEntryThatCannotBeReadIsReadAgain() throws SQLException {
        MetricSeries first = read("steps", "all");
        try (Connection connection = LocalStack.openAdminConnection(); PreparedStatement update =
                connection.prepareStatement("UPDATE normalizer.metric_row_cache SET rows = '\\x0102'::bytea"
                        + " WHERE user_id = ? AND metric = 'steps' AND utc_date = '2024-05-03'")) {
            update.setString(1, user);
            assertThat(update.executeUpdate()).isEqualTo(1);
        }

        assertThat(read("steps", "all")).isEqualTo(first);
        assertThat(Db.count("SELECT count(*) FROM normalizer.metric_row_cache WHERE user_id = ? AND metric = 'steps'"
                + " AND utc_date = '2024-05-03' AND length(rows) > 2", user)).isEqualTo(1);
    }

    @Test
    void todayIsNotKeptWhileItsRowsAreStillArriving() throws SQLException {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        LocalDate today = now.atOffset(ZoneOffset.UTC).toLocalDate();
        Instant midnight = today.atStartOfDay(ZoneOffset.UTC).toInstant();
        new MetricRows(user)
                .add("heart_rate", "oura", "Oura Ring Gen3", "sample", midnight.minusSeconds(600),
                        midnight.minusSeconds(600), 61)
                .add("heart_rate", "oura", "Oura Ring Gen3", "sample", now, now, 62)
                .insert();
        String from = midnight.minus(Duration.ofHours(1)).toString();
        String to = now.plusSeconds(1).toString();

        assertThat(reads.metric(user, "heart_rate", from, to, "raw", "all").await().atMost(Duration.ofSeconds(30))
                .points()).extracting(MetricPoint::value).containsExactly(61.0, 62.0);
        assertThat(cachedDates("heart_rate")).contains(today.minusDays(1)).doesNotContain(today);
    }

    @Test
    void aDateWithMoreRowsThanAReadMayHaveIsNotKept() throws SQLException {
        MetricRows rows = new MetricRows(user);
        Instant start = Instant.parse("2024-06-10T00:00:00Z");
        for (int minute = 0; minute < 150; minute++) {
            Instant at = start.plusSeconds(60L * minute);
            rows.add("heart_rate", "apple_health", "Apple Watch", "sample", at, at, 70 + minute % 9);
        }
        rows.insert();
        String from = "2024-06-10T01:00:00Z";
        String to = "2024-06-10T01:30:00Z";

        MetricSeries half = reads.metric(user, "heart_rate", from, to, "raw", "all").await().atMost(Duration.ofSeconds(30));
        assertThat(half.points()).hasSize(30);
        assertThat(half).isEqualTo(uncached.metric(user, "heart_rate", from, to, "raw", "all").await()
                .atMost(Duration.ofSeconds(30)));
        assertThat(cachedDates("heart_rate")).doesNotContain(LocalDate.of(2024, 6, 10));
    }

    /** Random readings, random ranges, changes between reads: the cache never answers other than the table. */
    @Test
    void anyRangeAnswersWhatTheTableAnswers() throws SQLException {
        SplittableRandom random = new SplittableRandom(27);
        String[][] sources = {{"apple_health", "Apple Watch"}, {"apple_health", "iPhone"}, {"oura", "Oura Ring Gen3"},
            {"withings", null}};
        for (int round = 0; round < 25; round++) {
            MetricRows rows = new MetricRows(user);
            for (int i = 0; i < 3; i++) {
                String[] source = sources[random.nextInt(sources.length)];
                Instant start = FIRST.plusSeconds(random.nextLong(5 * 86_400L));
                Instant end = start.plusSeconds(random.nextInt(4) == 0 ? random.nextLong(2 * 86_400L) : 0);
                rows.add("heart_rate", source[0], source[1], "sample", start, end, random.nextInt(40, 180));
            }
            rows.insert();
            Instant from = FIRST.plusSeconds(random.nextLong(-86_400L, 5 * 86_400L));
            Instant to = from.plusSeconds(random.nextLong(1, 3 * 86_400L));
            for (String view : List.of("all", "resolved")) {
                MetricSeries expected = uncached.metric(user, "heart_rate", from.toString(), to.toString(), "raw",
                        view).await().atMost(Duration.ofSeconds(30));
                String context = "round " + round + " " + view + " [" + from + ", " + to + ")";
                assertThat(read("heart_rate", view, from, to)).as(context).isEqualTo(expected);
                assertThat(read("heart_rate", view, from, to)).as(context + ", again").isEqualTo(expected);
            }
        }
        assertThat(cachedDates("heart_rate")).isNotEmpty();
    }

    private MetricSeries read(String metric, String view) {
        return reads.metric(user, metric, FROM, TO, "raw", view).await().atMost(Duration.ofSeconds(30));
    }

    private MetricSeries read(String metric, String view, Instant from, Instant to) {
        return reads.metric(user, metric, from.toString(), to.toString(), "raw", view).await()
                .atMost(Duration.ofSeconds(30));
    }

    private List<LocalDate> cachedDates(String metric) {
        return Db.query("SELECT utc_date FROM normalizer.metric_row_cache WHERE user_id = ? AND metric = ?"
                + " ORDER BY utc_date", user, metric).stream()
                .map(row -> ((java.sql.Date) row.get("utc_date")).toLocalDate()).toList();
    }

    private void plant(String metric, LocalDate date, List<StoredMetric> rows) throws SQLException {
        try (Connection connection = LocalStack.openAdminConnection(); PreparedStatement update =
                connection.prepareStatement("UPDATE normalizer.metric_row_cache SET rows = ? WHERE user_id = ?"
                        + " AND metric = ? AND utc_date = ?")) {
            update.setBytes(1, DayRowsCodec.encode(rows));
            update.setString(2, user);
            update.setString(3, metric);
            update.setObject(4, date);
            assertThat(update.executeUpdate()).isEqualTo(1);
        }
    }
}
