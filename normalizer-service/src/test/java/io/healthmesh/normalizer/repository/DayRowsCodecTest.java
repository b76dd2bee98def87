package io.healthmesh.normalizer.repository;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.healthmesh.contracts.event.Aggregation;
import io.healthmesh.normalizer.domain.StoredMetric;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class DayRowsCodecTest {

    private static final String[] SOURCES = {"apple_health", "oura", "withings", "csv"};
    private static final String[] DEVICES = {null, "Apple Watch", "iPhone", "Oura Ring Gen3", "Körperwaage ✓"};
    private static final String[] ZONES = {null, "Europe/Berlin", "Pacific/Kiritimati", "America/St_Johns"};
    private static final double[] AWKWARD = {0.0, -0.0, 72, -3, 0.1, 1e300, -1e-300, Double.MIN_VALUE,
            Math.pow(2, 53), Math.pow(2, 53) + 2, 9.007199254740993E15, Double.MAX_VALUE, 123_456_789.5};

    @Test
    void rowsComeBackExactlyAsTheyWere() {
        SplittableRandom random = new SplittableRandom(20261127);
        for (int round = 0; round < 200; round++) {
            List<StoredMetric> rows = randomDay(random, random.nextInt(round < 5 ? 2 : 400));
            List<StoredMetric> decoded = DayRowsCodec.decode(DayRowsCodec.encode(rows));
            // Record equality compares the doubles bit for bit (0.0 is not -0.0).
            assertThat(decoded).isEqualTo(rows);
            if (!rows.isEmpty()) {
                Instant from = rows.get(random.nextInt(rows.size())).start().plusNanos(random.nextInt(-1_000, 1_000));
                Instant to = from.plusSeconds(random.nextLong(0, 86_400L)).plusNanos(random.nextInt(0, 2_000));
                assertThat(DayRowsCodec.decode(DayRowsCodec.encode(rows), from, to)).as("rows starting in [%s, %s)",
                        from, to).isEqualTo(rows.stream()
                        .filter(row -> !row.start().isBefore(from) && row.start().isBefore(to)).toList());
            }
        }
    }

    @Test
    void anInstantReadingSharesItsStartAndEndAsTheTableReadsDo() {
        Instant at = Instant.parse("2024-05-03T10:15:30.123456Z");
        List<StoredMetric> decoded = DayRowsCodec.decode(DayRowsCodec.encode(List.of(row("oura", null, 61, at, at))));
        assertThat(decoded.get(0).end()).isSameAs(decoded.get(0).start()).isEqualTo(at);
    }

    @Test
    void aDayOfMinuteReadingsTakesAFewBytesARow() {
        List<StoredMetric> rows = new ArrayList<>();
        Instant midnight = Instant.parse("2024-05-03T00:00:00Z");
        for (int minute = 0; minute < 1_440; minute++) {
            Instant start = midnight.plusSeconds(60L * minute);
            rows.add(row("apple_health", "Apple Watch", 60 + minute % 40, start, start.plusSeconds(60)));
            rows.add(row("oura", "Oura Ring Gen3", 58 + minute % 30, start, start));
        }
        assertThat(DayRowsCodec.encode(rows).length).isLessThan(rows.size() * 16);
    }

    @Test
    void anEntryThatIsNotOneIsRefused() {
        byte[] encoded = DayRowsCodec.encode(randomDay(new SplittableRandom(7), 50));
        assertThatThrownBy(() -> DayRowsCodec.decode(Arrays.copyOf(encoded, encoded.length - 3)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DayRowsCodec.decode(Arrays.copyOf(encoded, encoded.length + 1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("after the last");
        assertThatThrownBy(() -> DayRowsCodec.decode(new byte[] {2, 0, 0, 0}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("format 2");
        assertThatThrownBy(() -> DayRowsCodec.decode(new byte[] {1, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x7F}))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DayRowsCodec.decode(new byte[0])).isInstanceOf(IllegalArgumentException.class);
    }

    private static List<StoredMetric> randomDay(SplittableRandom random, int size) {
        Instant start = Instant.parse("2024-03-31T00:00:00Z").plusSeconds(random.nextLong(-86_400L * 400, 86_400L * 400));
        List<StoredMetric> rows = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            start = start.plusNanos(1_000L * random.nextLong(0, 90_000_000L));
            Instant end = random.nextInt(3) == 0 ? start
                    : start.plusNanos(1_000L * random.nextLong(random.nextInt(20) == 0 ? -5_000_000L : 0,
                            31L * 86_400_000_000L));
            double value = random.nextInt(4) == 0 ? AWKWARD[random.nextInt(AWKWARD.length)]
                    : random.nextBoolean() ? random.nextInt(-100, 30_000) : random.nextDouble() * 300;
            Aggregation aggregation = Aggregation.values()[random.nextInt(Aggregation.values().length)];
            int offset = random.nextInt(-18 * 3_600, 18 * 3_600 + 1);
            LocalDate localDate = LocalDate.ofEpochDay(Math.floorDiv(start.getEpochSecond(), 86_400L)
                    + random.nextInt(-2, 3));
            double quality = (float) (random.nextInt(11) / 10.0);
            rows.add(new StoredMetric(SOURCES[random.nextInt(SOURCES.length)], DEVICES[random.nextInt(DEVICES.length)],
                    random.nextBoolean() ? null : "Health", value, aggregation, start, end, offset, localDate,
                    ZONES[random.nextInt(ZONES.length)], quality));
        }
        return rows;
    }

    private static StoredMetric row(String source, String device, double value, Instant start, Instant end) {
        return new StoredMetric(source, device, null, value, Aggregation.SAMPLE, start, end, 7_200,
                LocalDate.of(2024, 5, 3), "Europe/Berlin", 0.95);
    }
}
