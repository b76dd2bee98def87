package io.healthmesh.normalizer.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.healthmesh.contracts.event.Aggregation;
import io.healthmesh.contracts.policy.Policy;
import io.healthmesh.contracts.vocab.Category;
import io.healthmesh.contracts.vocab.Metric;
import io.healthmesh.contracts.vocab.Vocabulary;
import io.healthmesh.normalizer.api.MetricPoint;
import io.healthmesh.normalizer.domain.StoredMetric;
import io.healthmesh.normalizer.domain.StoredSession;
import io.healthmesh.normalizer.domain.TimeWindow;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Table-driven checks of ARCHITECTURE's resolution rules, on stored rows and a policy. */
class ResolutionTest {

    private static final Metric STEPS = Vocabulary.metric("steps").orElseThrow();
    private static final Metric BODY_MASS = Vocabulary.metric("body_mass").orElseThrow();
    private static final Metric HEART_RATE = Vocabulary.metric("heart_rate").orElseThrow();

    private static Policy policy(Map<String, List<String>> categories, Map<String, List<String>> overrides,
            Set<String> connected) {
        Map<String, List<String>> all = new HashMap<>();
        all.put("activity", List.of("apple_health", "fitbit", "oura", "withings", "push", "csv"));
        all.put("body", List.of("withings", "apple_health", "push", "csv"));
        all.put("heart", List.of("apple_health", "oura", "withings", "push"));
        all.put("sleep", List.of("oura", "withings", "apple_health", "push"));
        all.put("workouts", List.of("strava", "apple_health", "oura", "push"));
        all.putAll(categories);
        return new Policy("u1", 1, "UTC", all, overrides, Map.of("apple_health", List.of("Watch", "iPhone")),
                connected, Map.of("withings", List.of("Health Mate"), "oura", List.of("Oura")), null);
    }

    private static Policy defaults() {
        return policy(Map.of(), Map.of(), Set.of());
    }

    private static StoredMetric amount(String source, String device, double value, String start, String end) {
        return amount(source, device, null, value, start, end);
    }

    private static StoredMetric amount(String source, String device, String app, double value, String start,
            String end) {
        OffsetDateTime s = OffsetDateTime.parse(start);
        return new StoredMetric(source, device, app, value, Aggregation.CUMULATIVE, s.toInstant(),
                OffsetDateTime.parse(end).toInstant(), s.getOffset().getTotalSeconds(), null, null, 1.0);
    }

    private static StoredMetric sample(String source, String device, String app, double value, String at) {
        OffsetDateTime t = OffsetDateTime.parse(at);
        return new StoredMetric(source, device, app, value, Aggregation.SAMPLE, t.toInstant(), t.toInstant(),
                t.getOffset().getTotalSeconds(), t.toLocalDate(), null, 1.0);
    }

    private static StoredMetric daily(String source, double value, String date) {
        OffsetDateTime start = OffsetDateTime.parse(date + "T00:00:00Z");
        return new StoredMetric(source, null, null, value, Aggregation.DAILY, start.toInstant(),
                start.plusDays(1).toInstant(), 0, LocalDate.parse(date), null, 1.0);
    }

    private static TimeWindow hours(String from, String to) {
        return TimeWindow.parse(from, to, ZoneOffset.UTC);
    }

    private static TimeWindow days(String from, String to) {
        return TimeWindow.parse(from, to, ZoneOffset.UTC);
    }

    @Test
    void theWorkedExample() {
        // Watch 08:00-08:10 500, iPhone 08:05-08:15 400, push 08:00-09:00 3000, policy [apple_health, push].
        List<StoredMetric> rows = List.of(
                amount("apple_health", "Apple Watch", 500, "2024-03-10T08:00:00Z", "2024-03-10T08:10:00Z"),
                amount("apple_health", "iPhone", 400, "2024-03-10T08:05:00Z", "2024-03-10T08:15:00Z"),
                amount("push", null, 3000, "2024-03-10T08:00:00Z", "2024-03-10T09:00:00Z"),
                amount("push", null, 2000, "2024-03-10T09:00:00Z", "2024-03-10T10:00:00Z"));
        Policy policy = policy(Map.of("activity", List.of("apple_health", "push")), Map.of(), Set.of());

        List<MetricPoint> points = ResolvedBuckets.hourly(rows, hours("2024-03-10T08:00:00Z", "2024-03-10T10:00:00Z"),
                SourceRanking.forMetric(policy, STEPS), true);

        assertThat(points).hasSize(2);
        assertThat(points.get(0).source()).isEqualTo("apple_health");
        assertThat(points.get(0).value()).isCloseTo(700, within(1e-9));
        assertThat(points.get(0).devices()).containsExactly("Apple Watch", "iPhone");
        assertThat(points.get(0).rank()).isEqualTo(1);
        assertThat(points.get(0).fallback()).isFalse();
        assertThat(points.get(1).source()).isEqualTo("push");
        assertThat(points.get(1).value()).isEqualTo(2000);
        assertThat(points.get(1).rank()).isEqualTo(2);
        assertThat(points.get(1).fallback()).isTrue();
    }

    @Test
    void anIphoneAndWatchDayNeitherDoublesNorLosesSteps() {
        // The Watch covers the morning walk, the iPhone the whole day including it; the day is the
        // Watch's morning plus the iPhone's steps outside it.
        List<StoredMetric> rows = new ArrayList<>();
        for (int hour = 8; hour < 20; hour++) {
            String start = String.format("2024-03-10T%02d:00:00Z", hour);
            String end = String.format("2024-03-10T%02d:00:00Z", hour + 1);
            rows.add(amount("apple_health", "iPhone", 1000, start, end));
            if (hour < 10) {
                rows.add(amount("apple_health", "Apple Watch", 1500, start, end));
            }
        }

        List<MetricPoint> day = ResolvedBuckets.daily(rows, days("2024-03-10", "2024-03-10"),
                SourceRanking.forMetric(defaults(), STEPS), true);

        assertThat(day).singleElement().satisfies(p -> assertThat(p.value()).isCloseTo(2 * 1500 + 10 * 1000,
                within(1e-9)));
    }

    @Test
    void overlappingAmountsOfOneDeviceAddUpWhileAnotherDevicesDoNot() {
        // Two meals of one diary day each cover the whole local date; an app's copy of the same day does not add.
        List<StoredMetric> rows = List.of(
                amount("myfitnesspal", null, 412, "2025-03-06T00:00:00Z", "2025-03-07T00:00:00Z"),
                amount("myfitnesspal", null, 655, "2025-03-06T00:00:00Z", "2025-03-07T00:00:00Z"),
                amount("apple_health", "iPhone", "MyFitnessPal", 1000, "2025-03-06T00:00:00Z", "2025-03-07T00:00:00Z"),
                amount("apple_health", "Apple Watch", 300, "2025-03-06T12:00:00Z", "2025-03-06T13:00:00Z"),
                amount("apple_health", "Apple Watch", 200, "2025-03-06T12:00:00Z", "2025-03-06T13:00:00Z"));
        Metric energy = Vocabulary.metric("dietary_energy").orElseThrow();

        List<MetricPoint> diary = ResolvedBuckets.daily(rows, days("2025-03-06", "2025-03-06"),
                SourceRanking.forMetric(policy(Map.of("nutrition", List.of("myfitnesspal", "apple_health")),
                        Map.of(), Set.of()), energy), true);
        assertThat(diary).singleElement().satisfies(p -> {
            assertThat(p.source()).isEqualTo("myfitnesspal");
            assertThat(p.value()).isCloseTo(1067, within(1e-9));
        });

        // Apple first: the Watch's two amounts of 12:00-13:00 add up and replace the iPhone's share of that hour.
        List<MetricPoint> apple = ResolvedBuckets.daily(rows, days("2025-03-06", "2025-03-06"),
                SourceRanking.forMetric(policy(Map.of("nutrition", List.of("apple_health", "myfitnesspal")),
                        Map.of(), Set.of()), energy), true);
        assertThat(apple).singleElement().satisfies(p -> assertThat(p.value())
                .isCloseTo(500 + 1000 * 23.0 / 24, within(1e-9)));
    }

    @Test
    void oneSourceOnItsOwnIsTheWinnerEverywhere() {
        List<StoredMetric> rows = List.of(amount("push", null, 100, "2024-03-10T08:00:00Z", "2024-03-10T08:30:00Z"));

        assertThat(ResolvedBuckets.hourly(rows, hours("2024-03-10T00:00:00Z", "2024-03-11T00:00:00Z"),
                SourceRanking.forMetric(defaults(), STEPS), true))
                .singleElement().satisfies(p -> {
                    assertThat(p.source()).isEqualTo("push");
                    assertThat(p.value()).isEqualTo(100);
                    assertThat(p.rank()).isEqualTo(5);
                    assertThat(p.fallback()).isTrue();
                });
    }

    @Test
    void fullyOverlappingSourcesAreNeverSummed() {
        List<StoredMetric> rows = List.of(
                amount("oura", null, 6000, "2024-03-10T08:00:00Z", "2024-03-10T09:00:00Z"),
                amount("apple_health", "Apple Watch", 6500, "2024-03-10T08:00:00Z", "2024-03-10T09:00:00Z"));

        assertThat(ResolvedBuckets.hourly(rows, hours("2024-03-10T08:00:00Z", "2024-03-10T09:00:00Z"),
                SourceRanking.forMetric(defaults(), STEPS), true))
                .singleElement().satisfies(p -> {
                    assertThat(p.source()).isEqualTo("apple_health");
                    assertThat(p.value()).isEqualTo(6500);
                });
    }

    @Test
    void theNextSourceFillsOnlyTheBucketsTheFirstHasNothingIn() {
        List<StoredMetric> rows = List.of(
                daily("oura", 9000, "2024-03-10"),
                daily("oura", 8000, "2024-03-11"),
                amount("apple_health", "Apple Watch", 7000, "2024-03-11T08:00:00Z", "2024-03-11T20:00:00Z"),
                amount("apple_health", "Apple Watch", 6000, "2024-03-12T08:00:00Z", "2024-03-12T20:00:00Z"));
        Policy policy = policy(Map.of("activity", List.of("oura", "apple_health")), Map.of(), Set.of());

        List<MetricPoint> points = ResolvedBuckets.daily(rows, days("2024-03-10", "2024-03-13"),
                SourceRanking.forMetric(policy, STEPS), true);

        assertThat(points).extracting(MetricPoint::source, MetricPoint::value, MetricPoint::fallback)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("oura", 9000.0, false),
                        org.assertj.core.groups.Tuple.tuple("oura", 8000.0, false),
                        org.assertj.core.groups.Tuple.tuple("apple_health", 6000.0, true));
    }

    @Test
    void aMetricOverrideBeatsItsCategory() {
        List<StoredMetric> rows = List.of(daily("oura", 9000, "2024-03-10"),
                amount("apple_health", "Apple Watch", 7000, "2024-03-10T08:00:00Z", "2024-03-10T20:00:00Z"));
        Policy policy = policy(Map.of(), Map.of("steps", List.of("oura", "apple_health")), Set.of());

        assertThat(ResolvedBuckets.daily(rows, days("2024-03-10", "2024-03-10"),
                SourceRanking.forMetric(policy, STEPS), true))
                .singleElement().satisfies(p -> assertThat(p.source()).isEqualTo("oura"));
        assertThat(ResolvedBuckets.daily(rows, days("2024-03-10", "2024-03-10"),
                SourceRanking.forMetric(defaults(), STEPS), true))
                .singleElement().satisfies(p -> assertThat(p.source()).isEqualTo("apple_health"));
    }

    @Test
    void aWeighInArrivingDirectlyAndThroughAppleHealthIsOnePointWhileConnected() {
        List<StoredMetric> rows = List.of(
                sample("withings", "Body+", null, 70.2, "2024-03-10T07:00:00Z"),
                sample("apple_health", null, "Health Mate", 70.2, "2024-03-10T07:00:00Z"));
        Policy bodyFirstApple = policy(Map.of("body", List.of("apple_health", "withings")), Map.of(),
                Set.of("withings"));

        List<MetricPoint> connected = ResolvedBuckets.raw(rows, days("2024-03-10", "2024-03-10"),
                SourceRanking.forMetric(bodyFirstApple, BODY_MASS));
        assertThat(connected).singleElement().satisfies(p -> {
            assertThat(p.source()).isEqualTo("withings");
            assertThat(p.devices()).containsExactly("Body+");
        });

        // Without its own reading, Withings' app data still counts as Withings', just below it.
        List<MetricPoint> viaApple = ResolvedBuckets.daily(List.of(rows.get(1)), days("2024-03-10", "2024-03-10"),
                SourceRanking.forMetric(bodyFirstApple, BODY_MASS), false);
        assertThat(viaApple).singleElement().satisfies(p -> {
            assertThat(p.source()).isEqualTo("withings");
            assertThat(p.fallback()).isTrue();
        });

        // Not connected: Apple Health's copy is Apple Health's, ranked first here.
        Policy notConnected = policy(Map.of("body", List.of("apple_health", "withings")), Map.of(), Set.of());
        assertThat(ResolvedBuckets.raw(rows, days("2024-03-10", "2024-03-10"),
                SourceRanking.forMetric(notConnected, BODY_MASS)))
                .singleElement().satisfies(p -> assertThat(p.source()).isEqualTo("apple_health"));
    }

    @Test
    void aDaysStepsDoNotChangeWhenWithingsConnects() {
        List<StoredMetric> rows = List.of(
                amount("apple_health", "iPhone", "Health", 5000, "2024-03-10T08:00:00Z", "2024-03-10T18:00:00Z"),
                amount("apple_health", "Apple Watch", "Health", 2000, "2024-03-10T08:00:00Z", "2024-03-10T10:00:00Z"));
        double before = ResolvedBuckets.daily(rows, days("2024-03-10", "2024-03-10"),
                SourceRanking.forMetric(defaults(), STEPS), true).get(0).value();
        double after = ResolvedBuckets.daily(rows, days("2024-03-10", "2024-03-10"),
                SourceRanking.forMetric(policy(Map.of(), Map.of(), Set.of("withings")), STEPS), true).get(0).value();

        assertThat(after).isEqualTo(before).isCloseTo(2000 + 4000, within(1e-9));
    }

    @Test
    void samplesComeFromTheBestDeviceOfTheWinner() {
        List<StoredMetric> rows = List.of(
                sample("apple_health", "Apple Watch", null, 60, "2024-03-10T08:10:00Z"),
                sample("apple_health", "Apple Watch", null, 70, "2024-03-10T08:20:00Z"),
                sample("apple_health", "iPhone", null, 90, "2024-03-10T08:15:00Z"),
                sample("oura", null, null, 55, "2024-03-10T08:15:00Z"));

        assertThat(ResolvedBuckets.hourly(rows, hours("2024-03-10T08:00:00Z", "2024-03-10T09:00:00Z"),
                SourceRanking.forMetric(defaults(), HEART_RATE), false))
                .singleElement().satisfies(p -> {
                    assertThat(p.value()).isEqualTo(65);
                    assertThat(p.min()).isEqualTo(60);
                    assertThat(p.max()).isEqualTo(70);
                    assertThat(p.count()).isEqualTo(2);
                    assertThat(p.devices()).containsExactly("Apple Watch");
                });
    }

    @Test
    void resolvedDaysFollowEachReadingsLocalDateAcrossZonesAndDst() {
        // 23:30-00:30 in Berlin the night the clocks go forward: half on the 30th, half on the 31st.
        StoredMetric night = new StoredMetric("push", null, null, 600, Aggregation.CUMULATIVE,
                OffsetDateTime.parse("2024-03-30T23:30:00+01:00").toInstant(),
                OffsetDateTime.parse("2024-03-31T00:30:00+01:00").toInstant(), 3600, null, "Europe/Berlin", 1.0);
        // A New York evening of the 30th is the 31st in UTC.
        StoredMetric newYork = new StoredMetric("push", null, null, 100, Aggregation.CUMULATIVE,
                OffsetDateTime.parse("2024-03-30T21:00:00-04:00").toInstant(),
                OffsetDateTime.parse("2024-03-30T21:10:00-04:00").toInstant(), -14400, null, "America/New_York",
                1.0);

        List<MetricPoint> points = ResolvedBuckets.daily(List.of(night, newYork), days("2024-03-30", "2024-03-31"),
                SourceRanking.forMetric(defaults(), STEPS), true);

        assertThat(points).extracting(p -> p.start().toLocalDate().toString(), MetricPoint::value)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("2024-03-30", 300.0 + 100.0),
                        org.assertj.core.groups.Tuple.tuple("2024-03-31", 300.0));
    }

    @Test
    void sessionsResolvePerOverlap() {
        StoredSession ouraNight = session("oura", null, "2024-03-09T23:00:00Z", "2024-03-10T07:00:00Z");
        StoredSession appleNight = session("apple_health", "Health", "2024-03-09T23:10:00Z", "2024-03-10T06:50:00Z");
        StoredSession appleNap = session("apple_health", "Health", "2024-03-10T14:00:00Z", "2024-03-10T14:30:00Z");
        StoredSession ouraViaApple = session("apple_health", "Oura", "2024-03-09T23:00:00Z", "2024-03-10T07:00:00Z");

        List<SessionResolver.Resolved> kept = SessionResolver.resolve(
                List.of(appleNight, ouraNight, appleNap, ouraViaApple),
                SourceRanking.forCategory(policy(Map.of(), Map.of(), Set.of("oura")), Category.SLEEP));

        assertThat(kept).extracting(r -> r.session().source(), r -> r.standing().source())
                .containsExactly(org.assertj.core.groups.Tuple.tuple("oura", "oura"),
                        org.assertj.core.groups.Tuple.tuple("apple_health", "apple_health"));
        assertThat(kept.get(1).session()).isSameAs(appleNap);
        assertThat(kept.get(1).standing().fallback()).isTrue();
    }

    private static StoredSession session(String source, String app, String start, String end) {
        return new StoredSession(source, source + start, "sleep", OffsetDateTime.parse(start).toInstant(),
                OffsetDateTime.parse(end).toInstant(), 0, null, null, app, Map.of(), 1.0);
    }
}
