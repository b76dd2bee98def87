package io.healthmesh.normalizer.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.healthmesh.contracts.event.Aggregation;
import io.healthmesh.normalizer.domain.StoredMetric;
import io.healthmesh.normalizer.service.ResolvedBuckets.Piece;
import io.healthmesh.normalizer.service.ResolvedHoursCodec.HourPiece;
import io.healthmesh.normalizer.service.SourceRanking.Standing;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** A date's resolved hours come back exactly as they were kept: every field a point is written from, bit for bit. */
class ResolvedHoursCodecTest {

    private static final LocalDate DATE = LocalDate.of(2024, 5, 3);
    private static final Instant START = Instant.parse("2024-05-03T00:00:00Z");

    @Test
    void piecesRowCountsAndDailyValuesComeBackExactly() {
        SplittableRandom random = new SplittableRandom(5);
        double[] awkward = {-0.0, 0.0, Double.NaN, Double.MIN_VALUE, 1e300, -7.5, 0.1 + 0.2, 9_007_199_254_740_993.0};
        for (int round = 0; round < 200; round++) {
            List<HourPiece> pieces = new ArrayList<>();
            long[] rowsPerHour = new long[24];
            for (int hour = 0; hour < 24; hour++) {
                rowsPerHour[hour] = random.nextInt(4) == 0 ? random.nextLong(0, 100_000) : 0;
            }
            int n = random.nextInt(60);
            for (int i = 0; i < n; i++) {
                int hour = random.nextInt(24);
                Instant from = START.plusSeconds(hour * 3600L + random.nextInt(3600))
                        .plusNanos(random.nextInt(1_000_000) * 1000L);
                Instant to = random.nextBoolean() ? from : from.plusNanos(random.nextLong(1, 3_600_000_000L) * 1000L);
                double value = random.nextInt(3) == 0 ? awkward[random.nextInt(awkward.length)]
                        : random.nextBoolean() ? random.nextInt(500) : random.nextDouble() * 1000;
                StoredMetric row = new StoredMetric("apple_health", random.nextInt(3) == 0 ? null : "Device " + i % 3,
                        null, value, Aggregation.CUMULATIVE, from, to, random.nextInt(-12, 15) * 3600, DATE, null,
                        random.nextBoolean() ? 1.0 : random.nextDouble());
                Standing winner = new Standing(random.nextBoolean() ? "withings" : "apple_health", random.nextInt(1, 9),
                        random.nextBoolean());
                pieces.add(new HourPiece(hour, new Piece(row, from, to, value, winner)));
            }
            Instant dailyStart = START.plusSeconds(3600L * random.nextInt(24));
            List<StoredMetric> dailies = random.nextBoolean() ? List.of() : List.of(new StoredMetric("oura", null,
                    null, 8_000, Aggregation.DAILY, dailyStart, dailyStart.plusSeconds(86_400), 7200, DATE,
                    "Europe/Berlin", 1.0));

            byte[] encoded = ResolvedHoursCodec.encode(DATE, rowsPerHour, dailies, pieces);
            ResolvedHoursCodec.Hours all = ResolvedHoursCodec.decode(encoded, DATE, START, START.plusSeconds(86_400));

            assertThat(all.rows()).isEqualTo(Arrays.stream(rowsPerHour).sum());
            assertThat(all.dailyRows()).isEqualTo(dailies);
            assertThat(all.pieces()).hasSize(n);
            for (int i = 0; i < n; i++) {
                Piece kept = pieces.get(i).piece();
                Piece back = all.pieces().get(i);
                assertThat(back.point()).isEqualTo(kept.point());
                assertThat(back.winner()).isEqualTo(kept.winner());
                assertThat(Double.doubleToRawLongBits(back.value())).isEqualTo(Double.doubleToRawLongBits(kept.value()));
            }

            // Hours 6 to 17 only.
            ResolvedHoursCodec.Hours part = ResolvedHoursCodec.decode(encoded, DATE, START.plusSeconds(6 * 3600),
                    START.plusSeconds(18 * 3600));
            assertThat(part.rows()).isEqualTo(Arrays.stream(rowsPerHour, 6, 18).sum());
            assertThat(part.pieces()).extracting(piece -> piece.point())
                    .containsExactlyElementsOf(pieces.stream().filter(p -> p.hour() >= 6 && p.hour() < 18)
                            .map(p -> p.piece().point()).toList());
            assertThat(part.dailyRows()).isEqualTo(dailies.stream()
                    .filter(d -> !d.start().isBefore(START.plusSeconds(6 * 3600))
                            && d.start().isBefore(START.plusSeconds(18 * 3600))).toList());
        }
    }

    @Test
    void aDamagedEntryIsRefused() {
        byte[] encoded = ResolvedHoursCodec.encode(DATE, new long[24], List.of(), List.of(new HourPiece(3,
                Piece.whole(new StoredMetric("oura", "Ring", null, 61, Aggregation.SAMPLE, START.plusSeconds(11_000),
                        START.plusSeconds(11_000), 0, DATE, null, 1.0), new Standing("oura", 1, false)))));
        assertThat(ResolvedHoursCodec.decode(encoded, DATE, START, START.plusSeconds(86_400)).pieces()).hasSize(1);

        for (byte[] damaged : List.of(Arrays.copyOf(encoded, encoded.length - 1),
                Arrays.copyOf(encoded, encoded.length + 1), new byte[] {1, 2}, new byte[] {9})) {
            assertThatThrownBy(() -> ResolvedHoursCodec.decode(damaged, DATE, START, START.plusSeconds(86_400)))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }
}
