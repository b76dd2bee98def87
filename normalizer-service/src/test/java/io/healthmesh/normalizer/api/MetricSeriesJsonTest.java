package io.healthmesh.normalizer.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.healthmesh.testsupport.RealStackResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The streaming writer of metric reads answers byte for byte what the service's ObjectMapper
 * (the one Quarkus REST wrote the records with before) answers.
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
            String actual = new String(MetricSeriesJson.toBytes(value, mapper.writer()), StandardCharsets.UTF_8);

            assertThat(actual).isEqualTo(expected);
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

        assertThat(new String(MetricSeriesJson.toBytes(value, mapper.writer()), StandardCharsets.UTF_8))
                .isEqualTo(mapper.writeValueAsString(value))
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
