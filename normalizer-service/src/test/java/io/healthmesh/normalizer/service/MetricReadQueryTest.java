package io.healthmesh.normalizer.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.healthmesh.commons.problem.ProblemException;
import io.healthmesh.contracts.event.Aggregation;
import io.healthmesh.contracts.policy.Policy;
import io.healthmesh.contracts.vocab.Metric;
import io.healthmesh.contracts.vocab.Vocabulary;
import io.healthmesh.normalizer.Db;
import io.healthmesh.normalizer.FixedPolicySource;
import io.healthmesh.normalizer.api.MetricPoint;
import io.healthmesh.normalizer.api.MetricSeries;
import io.healthmesh.normalizer.domain.DailyValues;
import io.healthmesh.normalizer.domain.DayRule;
import io.healthmesh.normalizer.domain.StoredMetric;
import io.healthmesh.normalizer.domain.TimeWindow;
import io.healthmesh.testsupport.LocalStack;
import io.healthmesh.testsupport.RealStackResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Reads through the service (its query with the hour-back bound and the long-reading index, the
 * rows streamed into the folds) answer exactly what the code before answered: the previous query
 * (a month back, sorted) over JDBC, and the Reference* copies of the bucketing, on the same rows in
 * PostgreSQL. Rows of every kind: samples, minute and hour-long amounts, amounts over days and
 * weeks that start long before the range, daily values, three zones and a fixed offset, a DST
 * change, overlapping devices, round trips.
 */
@QuarkusTest
@WithTestResource(RealStackResource.class)
class MetricReadQueryTest {

    /** The query before V3 (UnifiedReadRepository.METRICS at d826d7d). */
    private static final String PREVIOUS_QUERY = """
            SELECT source, device, app, value, aggregation, start_time, end_time, utc_offset, local_date, zone, quality
            FROM normalizer.unified_metric
            WHERE user_id = ? AND metric = ? AND start_time >= ? AND start_time < ? AND end_time >= ?
            ORDER BY start_time, source, device
            LIMIT ?
            """;
    private static final int MAX_POINTS = 100; // %test.healthmesh.read.max-points

    @Inject
    UserDataReadService reads;

    private String user;

    @BeforeEach
    void insertRows() throws SQLException {
        user = "query-" + UUID.randomUUID();
        SplittableRandom random = new SplittableRandom(31);
        List<Object[]> rows = new ArrayList<>();
        String[][] sources = {{"apple_health", "Apple Watch", "Apple Watch"}, {"apple_health", "iPhone", "iPhone"},
            {"apple_health", null, "Health Mate"}, {"oura", "Oura Ring Gen3", null}, {"withings", "ScanWatch", null}};
        String[] zones = {"Europe/Berlin", "America/New_York", null, "Asia/Kolkata"};
        Instant base = Instant.parse("2024-03-29T00:00:00Z");
        for (String metric : List.of("steps", "heart_rate")) {
            for (int i = 0; i < 70; i++) {
                String[] source = sources[random.nextInt(sources.length)];
                String zone = zones[random.nextInt(zones.length)];
                ZoneId clock = zone == null ? ZoneOffset.ofHours(random.nextInt(-5, 6)) : ZoneId.of(zone);
                Instant start = base.plusSeconds(random.nextLong(4 * 86_400L)).plusNanos(random.nextInt(1000) * 1000L);
                Duration length = switch (random.nextInt(8)) {
                    case 0 -> Duration.ZERO;
                    case 1 -> Duration.ofMinutes(59);
                    case 2 -> Duration.ofMinutes(61);
                    case 3 -> Duration.ofHours(5);
                    case 4 -> Duration.ofDays(3);
                    default -> Duration.ofMinutes(1);
                };
                Aggregation aggregation = metric.equals("heart_rate") && random.nextInt(4) > 0 ? Aggregation.SAMPLE
                        : Aggregation.CUMULATIVE;
                rows.add(row(metric, source, aggregation, 1 + random.nextInt(150), start,
                        aggregation == Aggregation.SAMPLE ? start : start.plus(length), clock, zone,
                        DayRule.localDate(start, clock)));
            }
            // Three weeks of one amount, starting long before every range read here.
            Instant longAgo = Instant.parse("2024-03-10T08:00:00Z");
            rows.add(row(metric, sources[3], Aggregation.CUMULATIVE, 90_000, longAgo,
                    longAgo.plus(Duration.ofDays(21)), ZoneId.of("Europe/Berlin"), "Europe/Berlin",
                    LocalDate.of(2024, 3, 10)));
            for (String date : List.of("2024-03-30", "2024-03-31", "2024-04-01")) {
                Instant midnight = LocalDate.parse(date).atStartOfDay(ZoneId.of("Europe/Berlin")).toInstant();
                rows.add(row(metric, sources[random.nextInt(sources.length)], Aggregation.DAILY, 5000 + i(random),
                        midnight, midnight.plus(Duration.ofDays(1)), ZoneId.of("Europe/Berlin"), null,
                        LocalDate.parse(date)));
            }
        }
        try (Connection connection = LocalStack.openAdminConnection(); PreparedStatement insert =
                connection.prepareStatement("""
                        INSERT INTO normalizer.unified_metric (user_id, source, source_record_id, metric, category, value,
                            unit, original_value, original_unit, aggregation, start_time, end_time, utc_offset,
                            local_date, zone, device, app, quality, quality_reasons, event_id, occurred_at)
                        VALUES (?, ?, ?, ?, ?, ?, 'x', ?, 'x', ?, ?, ?, ?, ?, ?, ?, ?, ?, '[]'::jsonb, ?, now())
                        """)) {
            int n = 0;
            for (Object[] row : rows) {
                insert.setString(1, user);
                for (int c = 0; c < row.length; c++) {
                    insert.setObject(c + 2, row[c]);
                }
                insert.setString(3, "r" + n++);
                insert.setObject(row.length + 2, UUID.randomUUID());
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    private static int i(SplittableRandom random) {
        return random.nextInt(1000);
    }

    /** Parameters 2.. of the insert (source_record_id is set by the caller). */
    private static Object[] row(String metric, String[] source, Aggregation aggregation, double value, Instant start,
            Instant end, ZoneId clock, String zone, LocalDate localDate) {
        Metric m = Vocabulary.metric(metric).orElseThrow();
        return new Object[] {source[0], null, metric, m.category().code(), value, value, aggregation.code(),
            start.atOffset(ZoneOffset.UTC), end.atOffset(ZoneOffset.UTC),
            clock.getRules().getOffset(start).getTotalSeconds(), localDate, zone, source[1], source[2],
            (float) (0.5 + (value % 5) / 10)};
    }

    @AfterEach
    void deleteRows() {
        Db.deleteMetricRows(user);
    }

    @Test
    void everyReadAnswersAsThePreviousQueryAndBucketsDid() throws SQLException {
        for (String home : List.of("UTC", "Europe/Berlin", "Asia/Tokyo")) {
            Policy policy = new Policy(user, 1, home, Map.of("activity", List.of("oura", "apple_health", "withings"),
                    "heart", List.of("apple_health", "withings", "oura")), Map.of(),
                    Map.of("apple_health", List.of("Watch", "iPhone")), Set.of("withings"),
                    Map.of("withings", List.of("Health Mate")), null);
            FixedPolicySource.set(policy);
            for (String metric : List.of("steps", "heart_rate")) {
                for (String[] range : List.of(new String[] {"2024-03-31", "2024-03-31"},
                        new String[] {"2024-03-30", "2024-04-01"},
                        new String[] {"2024-03-31T01:30:00+01:00", "2024-03-31T05:00:00+02:00"},
                        new String[] {"2024-03-30T22:17:00Z", "2024-03-31T03:00:00Z"})) {
                    for (String granularity : List.of("raw", "hour", "day")) {
                        for (String view : List.of("all", "resolved")) {
                            check(policy, metric, range[0], range[1], granularity, view);
                        }
                    }
                }
            }
        }
    }

    private void check(Policy policy, String metricCode, String from, String to, String granularity, String view)
            throws SQLException {
        String read = metricCode + " " + from + ".." + to + " " + granularity + " " + view + " home "
                + policy.homeZone();
        Metric metric = Vocabulary.metric(metricCode).orElseThrow();
        boolean plainDates = !from.contains("T");
        // The home zone only where the policy is asked for (resolved, or plain dates); else UTC.
        ZoneId home = view.equals("resolved") || plainDates ? ZoneId.of(policy.homeZone()) : ZoneOffset.UTC;
        boolean days = granularity.equals("day");
        TimeWindow window = TimeWindow.parse(from, to, home);
        TimeWindow fetched = plainDates && !days ? window : TimeWindow.parse(from, to, ZoneOffset.UTC);
        Instant rowsFrom = days ? fetched.from().minus(Duration.ofDays(1)) : fetched.from();
        Instant rowsTo = days ? fetched.to().plus(Duration.ofDays(1)) : fetched.to();
        int limit = granularity.equals("raw") ? MAX_POINTS + 1 : Integer.MAX_VALUE;
        List<StoredMetric> rows = previousQuery(metricCode, rowsFrom, rowsTo, limit);

        if (granularity.equals("raw") && rows.size() > MAX_POINTS) {
            assertThatThrownBy(() -> answer(metricCode, from, to, granularity, view)).as(read)
                    .isInstanceOf(ProblemException.class);
            return;
        }
        boolean additive = DailyValues.additive(metric);
        SourceRanking ranking = SourceRanking.forMetric(policy, metric);
        List<MetricPoint> expected = switch (granularity + " " + view) {
            case "raw all" -> ReferenceMetricBuckets.raw(rows, window);
            case "hour all" -> ReferenceMetricBuckets.hourly(rows, window, additive);
            case "day all" -> ReferenceMetricBuckets.daily(rows, window, additive);
            case "raw resolved" -> ReferenceResolvedBuckets.raw(rows, window, ranking);
            case "hour resolved" -> ReferenceResolvedBuckets.hourly(rows, window, ranking, additive);
            default -> ReferenceResolvedBuckets.daily(rows, window, ranking, additive);
        };

        assertThat(answer(metricCode, from, to, granularity, view).points()).as(read).isNotEmpty()
                .isEqualTo(expected);
    }

    private MetricSeries answer(String metric, String from, String to, String granularity, String view) {
        return reads.metric(user, metric, from, to, granularity, view).await().atMost(Duration.ofSeconds(30));
    }

    private List<StoredMetric> previousQuery(String metric, Instant from, Instant to, int limit) throws SQLException {
        List<StoredMetric> rows = new ArrayList<>();
        try (Connection connection = LocalStack.openAdminConnection();
                PreparedStatement query = connection.prepareStatement(PREVIOUS_QUERY)) {
            query.setString(1, user);
            query.setString(2, metric);
            query.setObject(3, from.minus(Duration.ofDays(31)).atOffset(ZoneOffset.UTC));
            query.setObject(4, to.atOffset(ZoneOffset.UTC));
            query.setObject(5, from.atOffset(ZoneOffset.UTC));
            query.setInt(6, limit);
            try (ResultSet result = query.executeQuery()) {
                while (result.next()) {
                    rows.add(new StoredMetric(result.getString(1), result.getString(2), result.getString(3),
                            result.getDouble(4), Aggregation.valueOf(result.getString(5).toUpperCase()),
                            result.getObject(6, OffsetDateTime.class).toInstant(),
                            result.getObject(7, OffsetDateTime.class).toInstant(), result.getInt(8),
                            result.getObject(9, LocalDate.class), result.getString(10),
                            (double) result.getFloat(11)));
                }
            }
        }
        return rows;
    }
}
