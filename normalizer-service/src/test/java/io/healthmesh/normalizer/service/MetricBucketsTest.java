package io.healthmesh.normalizer.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.healthmesh.contracts.event.Aggregation;
import io.healthmesh.normalizer.api.MetricPoint;
import io.healthmesh.normalizer.domain.StoredMetric;
import io.healthmesh.normalizer.domain.TimeWindow;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class MetricBucketsTest {

    private static StoredMetric amount(String source, String device, double value, String start, String end,
            String zone) {
        OffsetDateTime s = OffsetDateTime.parse(start);
        return new StoredMetric(source, device, null, value, Aggregation.CUMULATIVE, s.toInstant(),
                OffsetDateTime.parse(end).toInstant(), s.getOffset().getTotalSeconds(), null, zone, 1.0);
    }

    private static StoredMetric sample(String source, double value, String at) {
        OffsetDateTime t = OffsetDateTime.parse(at);
        return new StoredMetric(source, "scale", null, value, Aggregation.SAMPLE, t.toInstant(), t.toInstant(),
                t.getOffset().getTotalSeconds(), t.toLocalDate(), null, 0.8);
    }

    private static StoredMetric daily(String source, double value, String date, String offset) {
        OffsetDateTime start = OffsetDateTime.parse(date + "T00:00:00" + offset);
        return new StoredMetric(source, null, null, value, Aggregation.DAILY, start.toInstant(),
                start.plusDays(1).toInstant(), start.getOffset().getTotalSeconds(), LocalDate.parse(date), null, 1.0);
    }

    private static TimeWindow days(String from, String to) {
        return TimeWindow.parse(from, to, ZoneOffset.UTC);
    }

    @Test
    void anAmountCrossingLocalMidnightIsSplitProRata() {
        // 23:00-01:00 local (+02:00): half on each local date.
        List<MetricPoint> points = MetricBuckets.daily(List.of(
                amount("apple_health", "Watch", 1000, "2024-06-01T23:00:00+02:00", "2024-06-02T01:00:00+02:00", null)),
                days("2024-06-01", "2024-06-02"), true);

        assertThat(points).hasSize(2);
        assertThat(points.get(0).start()).isEqualTo(OffsetDateTime.parse("2024-06-01T00:00:00+02:00"));
        assertThat(points.get(0).value()).isCloseTo(500, within(1e-9));
        assertThat(points.get(1).start()).isEqualTo(OffsetDateTime.parse("2024-06-02T00:00:00+02:00"));
        assertThat(points.get(1).value()).isCloseTo(500, within(1e-9));
    }

    @Test
    void theReadingsZoneDecidesItsLocalDateNotUtc() {
        // 2024-03-10T02:00Z is still the 9th in New York.
        List<MetricPoint> points = MetricBuckets.daily(List.of(
                amount("push", null, 300, "2024-03-09T21:00:00-05:00", "2024-03-09T21:30:00-05:00", "America/New_York")),
                days("2024-03-09", "2024-03-10"), true);

        assertThat(points).singleElement().satisfies(p -> {
            assertThat(p.start()).isEqualTo(OffsetDateTime.parse("2024-03-09T00:00:00-05:00"));
            assertThat(p.value()).isEqualTo(300);
        });
    }

    @Test
    void aDstDayHas23HoursAndItsAmountsStayWhole() {
        // Europe/Berlin springs forward on 2024-03-31: the day lasts 23 h. 23 hourly amounts of 10 sum to 230.
        ZoneId berlin = ZoneId.of("Europe/Berlin");
        Instant start = LocalDate.of(2024, 3, 31).atStartOfDay(berlin).toInstant();
        List<StoredMetric> rows = new java.util.ArrayList<>();
        for (int hour = 0; hour < 23; hour++) {
            Instant s = start.plusSeconds(3600L * hour);
            OffsetDateTime local = s.atZone(berlin).toOffsetDateTime();
            rows.add(amount("apple_health", "Watch", 10, local.toString(), local.plusHours(1).toString(),
                    "Europe/Berlin"));
        }

        List<MetricPoint> byDay = MetricBuckets.daily(rows, days("2024-03-31", "2024-03-31"), true);
        List<MetricPoint> byHour = MetricBuckets.hourly(rows, TimeWindow.parse("2024-03-30T22:00:00Z",
                "2024-03-31T22:00:00Z", ZoneOffset.UTC), true);

        assertThat(byDay).singleElement().satisfies(p -> {
            assertThat(p.value()).isCloseTo(230, within(1e-9));
            assertThat(p.start()).isEqualTo(OffsetDateTime.parse("2024-03-31T00:00:00+01:00"));
            assertThat(p.end()).isEqualTo(OffsetDateTime.parse("2024-04-01T00:00:00+02:00"));
        });
        assertThat(byHour).hasSize(23).allSatisfy(p -> assertThat(p.value()).isCloseTo(10, within(1e-9)));
    }

    @Test
    void samplesGiveMeanMinMaxAndCount() {
        List<MetricPoint> points = MetricBuckets.daily(List.of(
                sample("withings", 70.0, "2024-03-10T07:00:00+01:00"),
                sample("withings", 71.0, "2024-03-10T20:00:00+01:00"),
                sample("withings", 69.0, "2024-03-10T12:00:00+01:00")), days("2024-03-10", "2024-03-10"), false);

        assertThat(points).singleElement().satisfies(p -> {
            assertThat(p.value()).isCloseTo(70.0, within(1e-9));
            assertThat(p.min()).isEqualTo(69.0);
            assertThat(p.max()).isEqualTo(71.0);
            assertThat(p.count()).isEqualTo(3);
            assertThat(p.quality()).isEqualTo(0.8);
            assertThat(p.devices()).containsExactly("scale");
        });
    }

    @Test
    void dailyValuesFillDayBucketsWholeAndNeverHourBuckets() {
        List<StoredMetric> rows = List.of(daily("oura", 8500, "2024-03-10", "+01:00"));

        assertThat(MetricBuckets.daily(rows, days("2024-03-10", "2024-03-10"), true))
                .singleElement().satisfies(p -> assertThat(p.value()).isEqualTo(8500));
        assertThat(MetricBuckets.hourly(rows, TimeWindow.parse("2024-03-09T23:00:00Z", "2024-03-10T23:00:00Z",
                ZoneOffset.UTC), true)).isEmpty();
        assertThat(MetricBuckets.daily(rows, days("2024-03-11", "2024-03-12"), true)).isEmpty();
    }

    @Test
    void aSourcesDailyValueIsNotAddedToItsFinerReadingsOfTheSameDay() {
        List<StoredMetric> rows = List.of(daily("oura", 8500, "2024-03-10", "Z"),
                new StoredMetric("oura", null, null, 1200, Aggregation.CUMULATIVE, Instant.parse("2024-03-10T08:00:00Z"),
                        Instant.parse("2024-03-10T09:00:00Z"), 0, null, null, 1.0));

        assertThat(MetricBuckets.daily(rows, days("2024-03-10", "2024-03-10"), true))
                .singleElement().satisfies(p -> assertThat(p.value()).isEqualTo(8500));
    }

    @Test
    void everySourceAndDeviceIsItsOwnPointInTheAllView() {
        List<MetricPoint> points = MetricBuckets.hourly(List.of(
                amount("apple_health", "Watch", 500, "2024-03-10T08:00:00Z", "2024-03-10T08:10:00Z", null),
                amount("apple_health", "iPhone", 400, "2024-03-10T08:05:00Z", "2024-03-10T08:15:00Z", null),
                amount("push", null, 3000, "2024-03-10T08:00:00Z", "2024-03-10T09:00:00Z", null)),
                TimeWindow.parse("2024-03-10T08:00:00Z", "2024-03-10T09:00:00Z", ZoneOffset.UTC), true);

        assertThat(points).extracting(MetricPoint::source, p -> p.devices(), MetricPoint::value)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("apple_health", List.of("Watch"), 500.0),
                        org.assertj.core.groups.Tuple.tuple("apple_health", List.of("iPhone"), 400.0),
                        org.assertj.core.groups.Tuple.tuple("push", List.of(), 3000.0));
    }

    @Test
    void rawPointsKeepTheirWrittenOffset() {
        List<MetricPoint> points = MetricBuckets.raw(List.of(sample("withings", 70.0, "2024-03-10T07:00:00+01:00")),
                days("2024-03-10", "2024-03-10"));

        assertThat(points).singleElement().satisfies(p -> {
            assertThat(p.start().toString()).isEqualTo("2024-03-10T07:00+01:00");
            assertThat(p.count()).isEqualTo(1);
        });
    }
}
