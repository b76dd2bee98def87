package io.healthmesh.normalizer.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.healthmesh.contracts.event.Aggregation;
import io.healthmesh.normalizer.domain.StoredMetric;
import io.healthmesh.normalizer.domain.TimeWindow;
import io.healthmesh.contracts.policy.Policy;
import io.healthmesh.contracts.vocab.Vocabulary;
import io.healthmesh.normalizer.service.MetricBuckets;
import io.healthmesh.normalizer.service.ResolvedBuckets;
import io.healthmesh.normalizer.service.SourceRanking;
import io.healthmesh.testsupport.RealStackResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The writer of metric reads answers byte for byte what the service's ObjectMapper (the one
 * Quarkus REST wrote the records with before, to a byte stream) answers.
 */
@QuarkusTest
@WithTestResource(RealStackResource.class)
class MetricSeriesJsonTest {

    @Inject
    ObjectMapper mapper;

    @Test
    void sameBytesAsTheObjectMapperForEveryKindOfPoint() throws Exception {
        SplittableRandom random = new SplittableRandom(7);
        for (int series = 0; series < 300; series++) {
            List<MetricPoint> points = new ArrayList<>();
            int n = random.nextInt(40);
            for (int i = 0; i < n; i++) {
                points.add(new MetricPoint(time(random), time(random), number(random), boxed(random), boxed(random),
                        random.nextInt(4) == 0 ? random.nextLong() : random.nextInt(2000), text(random),
                        devices(random), random.nextInt(3) == 0 ? null : random.nextInt(-5, 50),
                        random.nextInt(3) == 0 ? null : random.nextBoolean(), number(random)));
            }
            MetricSeries value = new MetricSeries(text(random), text(random), text(random), text(random),
                    text(random), random.nextInt(50) == 0 ? null : points);

            String expected = new String(mapper.writeValueAsBytes(value), StandardCharsets.UTF_8);
            MetricSeriesJson json = new MetricSeriesJson(mapper.writer());

            assertThat(json.direct()).isTrue();
            assertThat(new String(json.toBytes(value), StandardCharsets.UTF_8)).isEqualTo(expected);
            assertThat(new String(MetricSeriesJson.throughGenerator(value, mapper.writer()), StandardCharsets.UTF_8))
                    .isEqualTo(expected);
        }
    }

    @Test
    void aTypicalReadLooksAsBefore() throws Exception {
        MetricSeries value = new MetricSeries("heart_rate", "count/min", "sample", "all", "raw", List.of(
                new MetricPoint(OffsetDateTime.parse("2025-06-16T00:00:00+02:00"),
                        OffsetDateTime.parse("2025-06-16T00:00:00+02:00"), 63.0, null, null, 1, "apple_health",
                        List.of("Apple Watch"), null, null, 1.0),
                new MetricPoint(OffsetDateTime.parse("2025-06-16T00:00:00Z"),
                        OffsetDateTime.parse("2025-06-17T00:00:00.5-04:30"), 65.25, 60.0, 70.0, 2, "withings",
                        List.of(), 2, true, 0.8)));

        assertThat(new String(new MetricSeriesJson(mapper.writer()).toBytes(value), StandardCharsets.UTF_8))
                .isEqualTo(new String(mapper.writeValueAsBytes(value), StandardCharsets.UTF_8))
                .startsWith("{\"metric\":\"heart_rate\",\"unit\":\"count/min\",\"kind\":\"sample\",\"view\":\"all\","
                        + "\"granularity\":\"raw\",\"points\":[{\"start\":\"2025-06-16T00:00:00+02:00\"");
    }

    @Test
    void timestampsAreFormattedAsIsoOffsetDateTime() {
        SplittableRandom random = new SplittableRandom(11);
        for (int i = 0; i < 200_000; i++) {
            OffsetDateTime value = time(random);
            if (value == null) {
                continue;
            }
            assertThat(MetricSeriesJson.isoOffsetDateTime(value))
                    .isEqualTo(DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(value));
        }
        for (OffsetDateTime value : List.of(OffsetDateTime.of(LocalDateTime.MIN, ZoneOffset.MAX),
                OffsetDateTime.of(LocalDateTime.MAX, ZoneOffset.MIN),
                OffsetDateTime.of(-1, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC),
                OffsetDateTime.of(10_000, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC),
                OffsetDateTime.of(9999, 12, 31, 23, 59, 59, 999_999_999, ZoneOffset.ofHoursMinutesSeconds(-5, -30, -7)),
                OffsetDateTime.of(0, 1, 1, 0, 0, 0, 1, ZoneOffset.ofHours(14)))) {
            assertThat(MetricSeriesJson.isoOffsetDateTime(value))
                    .isEqualTo(DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(value));
        }
    }

    @Test
    void rawPointsAreWrittenFromTheirRowsAsTheirPointsWouldBe() throws Exception {
        SplittableRandom random = new SplittableRandom(13);
        TimeWindow everything = new TimeWindow(Instant.MIN, Instant.MAX, LocalDate.MIN, LocalDate.MAX);
        MetricSeriesJson json = new MetricSeriesJson(mapper.writer());
        for (int series = 0; series < 200; series++) {
            List<StoredMetric> rows = new ArrayList<>();
            int n = random.nextInt(60);
            for (int i = 0; i < n; i++) {
                OffsetDateTime start = time(random);
                if (start == null || random.nextInt(20) == 0) {
                    start = Instant.ofEpochSecond(random.nextLong(-62_000_000_000L, 400_000_000_000L))
                            .atOffset(ZoneOffset.UTC); // years 0 to beyond 9999
                }
                Instant end = random.nextBoolean() ? start.toInstant()
                        : start.toInstant().plusNanos(random.nextLong(1, 100_000_000_000L));
                Aggregation aggregation = Aggregation.values()[random.nextInt(3)];
                String source = text(random);
                rows.add(new StoredMetric(source == null ? "apple_health" : source,
                        random.nextInt(4) == 0 ? null : text(random), null, number(random), aggregation,
                        start.toInstant(), end, start.getOffset().getTotalSeconds(), start.toLocalDate(), null,
                        number(random)));
            }
            List<MetricPoint> points = MetricBuckets.raw(rows, everything);
            assertThat(points).isInstanceOf(MetricBuckets.RawPoints.class).hasSize(rows.size());
            MetricSeries value = new MetricSeries("heart_rate", "count/min", "sample", "all", "raw", points);

            assertThat(new String(json.toBytes(value), StandardCharsets.UTF_8))
                    .isEqualTo(new String(mapper.writeValueAsBytes(value), StandardCharsets.UTF_8));
        }
    }

    @Test
    void resolvedRawPointsAreWrittenFromTheirPiecesAsTheirPointsWouldBe() throws Exception {
        SplittableRandom random = new SplittableRandom(17);
        TimeWindow everything = new TimeWindow(Instant.MIN, Instant.MAX, LocalDate.MIN, LocalDate.MAX);
        Policy policy = new Policy("u", 1, "UTC", Map.of("activity", List.of("withings", "apple_health", "oura")),
                Map.of(), Map.of("apple_health", List.of("Watch", "iPhone")), Set.of("withings"),
                Map.of("withings", List.of("Health Mate")), null);
        String[][] devices = {{"apple_health", "Apple Watch", null}, {"apple_health", "iPhone", "Health"},
            {"apple_health", null, "Health Mate"}, {"oura", "Ring", null}, {"withings", null, null}};
        MetricSeriesJson json = new MetricSeriesJson(mapper.writer());
        for (int series = 0; series < 200; series++) {
            // Overlapping amounts of several devices (merged into parts of rows), samples and daily
            // values, at changing offsets, around local midnights.
            List<StoredMetric> rows = new ArrayList<>();
            long base = random.nextLong(-2_000_000_000L, 4_000_000_000L);
            int n = random.nextInt(80);
            for (int i = 0; i < n; i++) {
                String[] device = devices[random.nextInt(devices.length)];
                Instant start = Instant.ofEpochSecond(base + random.nextLong(3 * 86_400L),
                        random.nextBoolean() ? 0 : random.nextInt(1_000_000_000));
                Aggregation aggregation = Aggregation.values()[random.nextInt(3)];
                Instant end = aggregation == Aggregation.SAMPLE && random.nextBoolean() ? start
                        : start.plusSeconds(random.nextInt(1, aggregation == Aggregation.DAILY ? 90_000 : 7_200));
                int offset = random.nextInt(-56, 57) * 900;
                rows.add(new StoredMetric(device[0], device[1], device[2], number(random), aggregation, start, end,
                        offset, LocalDateTime.ofEpochSecond(start.getEpochSecond(), 0, ZoneOffset.ofTotalSeconds(offset))
                                .toLocalDate(), null, number(random)));
            }
            List<MetricPoint> points = ResolvedBuckets.raw(rows, everything,
                    SourceRanking.forMetric(policy, Vocabulary.metric("steps").orElseThrow()));
            assertThat(points).isInstanceOf(ResolvedBuckets.RawPieces.class);
            MetricSeries value = new MetricSeries("steps", "count", "cumulative", "resolved", "raw", points);

            assertThat(new String(json.toBytes(value), StandardCharsets.UTF_8))
                    .isEqualTo(written(json, value))
                    .isEqualTo(new String(mapper.writeValueAsBytes(new MetricSeries("steps", "count", "cumulative",
                            "resolved", "raw", List.copyOf(points))), StandardCharsets.UTF_8));
        }
    }

    @Test
    void aLargeReadWrittenInChunksIsTheSameBytes() throws Exception {
        List<StoredMetric> rows = new ArrayList<>();
        Instant start = Instant.parse("2025-06-15T22:00:00Z");
        for (int i = 0; i < 20_000; i++) {
            rows.add(new StoredMetric(i % 3 == 0 ? "apple_health" : i % 3 == 1 ? "oura" : "withings",
                    i % 3 == 0 ? "Apple Watch" : i % 3 == 1 ? null : "ScanWatch", null, 50 + i % 97 + (i % 7) / 8.0,
                    Aggregation.SAMPLE, start.plusSeconds(60L * (i / 3)), start.plusSeconds(60L * (i / 3)), 7200,
                    LocalDate.of(2025, 6, 16), "Europe/Berlin", 1.0));
        }
        TimeWindow day = TimeWindow.parse("2025-06-16", "2025-06-30", java.time.ZoneId.of("Europe/Berlin"));
        MetricSeriesJson json = new MetricSeriesJson(mapper.writer());
        for (List<MetricPoint> points : List.of(MetricBuckets.raw(rows, day), List.copyOf(MetricBuckets.raw(rows, day)))) {
            MetricSeries value = new MetricSeries("heart_rate", "count/min", "sample", "all", "raw", points);
            java.io.ByteArrayOutputStream chunks = new java.io.ByteArrayOutputStream();
            List<Integer> sizes = new ArrayList<>();
            json.write(value, (bytes, offset, length) -> {
                chunks.write(bytes, offset, length);
                sizes.add(length);
            });

            assertThat(sizes).hasSizeGreaterThan(10).allSatisfy(size -> assertThat(size).isLessThanOrEqualTo(65_536));
            assertThat(chunks.toString(StandardCharsets.UTF_8))
                    .isEqualTo(new String(mapper.writeValueAsBytes(value), StandardCharsets.UTF_8))
                    .isEqualTo(new String(json.toBytes(value), StandardCharsets.UTF_8));
        }
    }

    @Test
    void rawPointsRenderedAsTheirRowsCameAreTheSameBytes() throws Exception {
        SplittableRandom random = new SplittableRandom(19);
        TimeWindow everything = new TimeWindow(Instant.MIN, Instant.MAX, LocalDate.MIN, LocalDate.MAX);
        MetricSeriesJson json = new MetricSeriesJson(mapper.writer());
        for (int series = 0; series < 100; series++) {
            // Rows in time order around local midnights, at offsets that change between rows (the
            // date of one timestamp is reused for the next only on the same local day).
            List<StoredMetric> rows = new ArrayList<>();
            long second = random.nextLong(-2_000_000_000L, 4_000_000_000L);
            int n = random.nextInt(3_000);
            for (int i = 0; i < n; i++) {
                second += random.nextInt(4) == 0 ? random.nextLong(0, 200_000) : random.nextInt(0, 120);
                int offset = random.nextInt(8) == 0 ? random.nextInt(-64_800, 64_801)
                        : random.nextInt(-56, 57) * 900;
                Instant start = Instant.ofEpochSecond(second, random.nextBoolean() ? 0 : random.nextInt(1_000_000_000));
                Instant end = random.nextBoolean() ? start : start.plusSeconds(random.nextInt(1, 90_000));
                rows.add(new StoredMetric(random.nextBoolean() ? "oura" : "withings",
                        random.nextInt(4) == 0 ? null : random.nextInt(500) == 0 ? "D\u00e9vice \"x\" ".repeat(9_000)
                                : "Device " + random.nextInt(3), null, number(random),
                        Aggregation.SAMPLE, start, end, offset, null, null, number(random)));
            }
            MetricBuckets.RawPointListener rendering = json.rawRendering();
            List<MetricPoint> points = MetricBuckets.rawFold(everything, rendering).over(rows);
            MetricSeries value = new MetricSeries("heart_rate", "count/min", "sample", "all", "raw", points);

            assertThat(rendering).isNotNull();
            assertThat(written(json, value)).isEqualTo(new String(mapper.writeValueAsBytes(value),
                    StandardCharsets.UTF_8));
        }
    }

    @Test
    void aRenderingThatDidNotSeeEveryPointIsNotUsed() throws Exception {
        TimeWindow everything = new TimeWindow(Instant.MIN, Instant.MAX, LocalDate.MIN, LocalDate.MAX);
        MetricSeriesJson json = new MetricSeriesJson(mapper.writer());
        Instant start = Instant.parse("2025-06-16T08:00:00Z");
        List<StoredMetric> rows = List.of(
                new StoredMetric("oura", "Ring", null, 61, Aggregation.SAMPLE, start, start, 0, null, null, 1.0),
                new StoredMetric("oura", "Ring", null, 62, Aggregation.SAMPLE, start.plusSeconds(60),
                        start.plusSeconds(60), 0, null, null, 1.0));
        MetricBuckets.RawPointListener rendering = json.rawRendering();
        rendering.point(rows.get(0)); // a row the fold did not keep
        List<MetricPoint> points = MetricBuckets.rawFold(everything, rendering).over(rows);
        MetricSeries value = new MetricSeries("heart_rate", "count/min", "sample", "all", "raw", points);
        MetricBuckets.RawPointListener otherWriters = new MetricSeriesJson(mapper.writer()).rawRendering();
        MetricSeries renderedElsewhere = new MetricSeries("heart_rate", "count/min", "sample", "all", "raw",
                MetricBuckets.rawFold(everything, otherWriters).over(rows));

        String expected = new String(mapper.writeValueAsBytes(value), StandardCharsets.UTF_8);
        assertThat(written(json, value)).isEqualTo(expected);
        assertThat(written(json, renderedElsewhere)).isEqualTo(expected);
    }

    private static String written(MetricSeriesJson json, MetricSeries value) {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        json.write(value, bytes::write);
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void instantsAtAnOffsetAreFormattedAsTheirOffsetDateTime() {
        SplittableRandom random = new SplittableRandom(17);
        byte[] out = new byte[64];
        for (int i = 0; i < 300_000; i++) {
            long second = switch (random.nextInt(4)) {
                case 0 -> random.nextLong(-62_167_219_200L, 253_402_300_800L); // years 0000 to 9999
                case 1 -> random.nextLong(-62_167_219_200L - 200_000, -62_167_219_200L + 200_000);
                case 2 -> random.nextLong(253_402_300_800L - 200_000, 253_402_300_800L + 200_000);
                default -> random.nextLong(-3_000_000_000L, 5_000_000_000L);
            };
            int nano = random.nextBoolean() ? 0 : random.nextInt(1_000_000_000);
            int offset = random.nextBoolean() ? random.nextInt(-64_800, 64_801) : random.nextInt(-72, 73) * 900;
            OffsetDateTime value = OffsetDateTime.of(LocalDateTime.ofEpochSecond(second, nano,
                    ZoneOffset.ofTotalSeconds(offset)), ZoneOffset.ofTotalSeconds(offset));
            int end = MetricSeriesJson.isoOffsetDateTime(second, nano, offset, out, 0);
            if (value.getYear() < 0 || value.getYear() > 9999) {
                assertThat(end).isEqualTo(-1);
            } else {
                assertThat(new String(out, 0, end, StandardCharsets.US_ASCII))
                        .isEqualTo(DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(value));
            }
        }
    }

    @Test
    void aMapperConfiguredOtherwiseIsFollowedThroughItsGenerator() throws Exception {
        MetricSeries value = new MetricSeries("steps", "count", "cumulative", "all", "day", List.of(
                new MetricPoint(OffsetDateTime.parse("2025-06-16T00:00:00+02:00"),
                        OffsetDateTime.parse("2025-06-17T00:00:00+02:00"), 1234.5, null, null, 3, "oura",
                        List.of("Oura Ring Gen3"), 1, false, Double.NaN)));
        for (ObjectMapper other : List.of(mapper.copy().enable(com.fasterxml.jackson.databind.SerializationFeature
                .INDENT_OUTPUT), mapper.copy().enable(com.fasterxml.jackson.core.JsonGenerator.Feature
                .WRITE_NUMBERS_AS_STRINGS), mapper.copy().enable(com.fasterxml.jackson.core.JsonGenerator.Feature
                .ESCAPE_NON_ASCII))) {
            MetricSeriesJson json = new MetricSeriesJson(other.writer());

            assertThat(json.direct()).isFalse();
            assertThat(new String(json.toBytes(value), StandardCharsets.UTF_8))
                    .isEqualTo(new String(other.writeValueAsBytes(value), StandardCharsets.UTF_8));
        }
    }

    private static OffsetDateTime time(SplittableRandom random) {
        if (random.nextInt(30) == 0) {
            return null;
        }
        long seconds = random.nextLong(-2_000_000_000L, 8_000_000_000L);
        int nanos = switch (random.nextInt(5)) {
            case 0 -> random.nextInt(1_000_000_000);
            case 1 -> random.nextInt(1000) * 1_000_000;
            case 2 -> random.nextInt(1_000_000) * 1000;
            default -> 0;
        };
        ZoneOffset offset = switch (random.nextInt(4)) {
            case 0 -> ZoneOffset.UTC;
            case 1 -> ZoneOffset.ofTotalSeconds(random.nextInt(-18 * 3600, 18 * 3600 + 1));
            default -> ZoneOffset.ofTotalSeconds(random.nextInt(-12 * 4, 14 * 4 + 1) * 900);
        };
        return Instant.ofEpochSecond(seconds, nanos).atOffset(offset);
    }

    private static double number(SplittableRandom random) {
        return switch (random.nextInt(12)) {
            case 0 -> Double.NaN;
            case 1 -> random.nextBoolean() ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
            case 2 -> -0.0;
            case 3 -> Double.longBitsToDouble(random.nextLong());
            case 4 -> 2.82879384806159E17; // printed differently by JDK 17's Double.toString and newer ones
            case 5 -> random.nextInt(200);
            case 6 -> Math.round(random.nextDouble() * 1000) / 1000.0;
            case 7 -> random.nextDouble() * 1e-5;
            case 8 -> random.nextDouble() * 1e12;
            default -> random.nextDouble() * 200;
        };
    }

    private static Double boxed(SplittableRandom random) {
        return random.nextInt(3) == 0 ? null : number(random);
    }

    private static final String[] PIECES = {"apple_health", "Apple Watch", "iPhone", "Oura Ring Gen3", "é", "ß",
        "日本", "\uD83D\uDE00", "\"", "\\", "/", "\n", "\t", "\r", "\b", "\f", "\u0000", "\u001f", "\u007f",
        "\u2028", " ", "<script>", "'", "a"};

    private static String text(SplittableRandom random) {
        if (random.nextInt(20) == 0) {
            return null;
        }
        StringBuilder text = new StringBuilder();
        int n = random.nextInt(5);
        for (int i = 0; i < n; i++) {
            text.append(PIECES[random.nextInt(PIECES.length)]);
        }
        return text.toString();
    }

    private static List<String> devices(SplittableRandom random) {
        return switch (random.nextInt(6)) {
            case 0 -> null;
            case 1 -> List.of();
            case 2 -> Arrays.asList(text(random), null);
            default -> List.of(String.valueOf(text(random)));
        };
    }
}
