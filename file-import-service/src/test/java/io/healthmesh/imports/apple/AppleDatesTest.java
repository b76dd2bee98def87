package io.healthmesh.imports.apple;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.OffsetDateTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AppleDatesTest {

    @Test
    void readsTheFixedLayoutWithItsWrittenOffset() {
        OffsetDateTime time = AppleDates.parse("2023-04-01 07:15:32 -0700");
        assertThat(time).isEqualTo(OffsetDateTime.parse("2023-04-01T07:15:32-07:00"));
        assertThat(time.getOffset().getTotalSeconds()).isEqualTo(-7 * 3600);
        assertThat(AppleDates.parse("2024-02-29 23:59:59 +0545"))
                .isEqualTo(OffsetDateTime.parse("2024-02-29T23:59:59+05:45"));
        assertThat(AppleDates.parse("2024-01-01 00:00:00 +0000"))
                .isEqualTo(OffsetDateTime.parse("2024-01-01T00:00:00Z"));
    }

    @Test
    void runsOfOneDayAndDayChangesReadLikeTheFormatter() {
        // The last date read is reused: a run, a change back and forth, and every day of a leap year
        // must each give what an independent parse gives.
        java.util.Random random = new java.util.Random(20261127);
        java.time.format.DateTimeFormatter written = java.time.format.DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss xx");
        java.time.LocalDateTime time = java.time.LocalDateTime.of(2023, 12, 30, 0, 0);
        for (int i = 0; i < 20_000; i++) {
            time = random.nextInt(10) == 0 ? time.minusDays(random.nextInt(3)) : time.plusSeconds(random.nextInt(600));
            OffsetDateTime expected = time.atOffset(java.time.ZoneOffset.ofTotalSeconds(random.nextInt(-18 * 4, 18 * 4 + 1) * 900));
            String text = written.format(expected);
            OffsetDateTime parsed = AppleDates.parse(text);
            assertThat(parsed).as(text).isEqualTo(expected);
            assertThat(parsed.toLocalDate()).as(text).isEqualTo(java.time.LocalDate.parse(text.substring(0, 10)));
        }
        assertThat(AppleDates.parse("2024-02-29 23:59:59 +0000")).isEqualTo(OffsetDateTime.parse("2024-02-29T23:59:59Z"));
        assertThat(AppleDates.parse("2023-02-29 23:59:59 +0000")).isNull();
        assertThat(AppleDates.parse("2024-02-29 00:00:00 +0000")).isEqualTo(OffsetDateTime.parse("2024-02-29T00:00:00Z"));
    }

    @Test
    void epochSecondIsTheParsedTimesSecond() {
        java.util.List<String> texts = new java.util.ArrayList<>(java.util.Arrays.asList(null, "", "garbage",
                "2023-04-01 07:15:32 -0700", "2024-02-29 23:59:59 +0545", "0000-01-01 00:00:00 +1800",
                "9999-12-31 23:59:59 -1800", "1969-12-31 23:59:59 +0000", "2023-02-29 07:15:32 -0700",
                "2023-04-01 24:00:00 -0700", "2023-04-01 07:15:32 +1801", "2023-04-01 07:15:32 +0007",
                "2023-04-01T07:15:32-07:00", "2023-04-01 07:15:32.987 -0700", "2023-04-01 07:15:32Z",
                "2023-04-01 07:15:32 -07:00", "2023-04-01 07:15:32 *0700", "2023-04-01 07:1a:32 -0700"));
        java.util.Random random = new java.util.Random(20261128);
        for (int i = 0; i < 5_000; i++) {
            texts.add(String.format("%04d-%02d-%02d %02d:%02d:%02d %s%02d%02d", random.nextInt(10_000),
                    random.nextInt(14), random.nextInt(33), random.nextInt(25), random.nextInt(61), random.nextInt(61),
                    random.nextBoolean() ? "+" : "-", random.nextInt(20), random.nextInt(61)));
        }
        for (String text : texts) {
            OffsetDateTime parsed = AppleDates.parse(text);
            assertThat(AppleDates.epochSecond(text)).as(text)
                    .isEqualTo(parsed == null ? AppleDates.ABSENT : parsed.toEpochSecond());
        }
    }

    @Test
    void readsEveryOffsetFromMinus18To18Hours() {
        for (int minutes = -18 * 60; minutes <= 18 * 60; minutes++) {
            int abs = Math.abs(minutes);
            String text = String.format("2024-06-01 12:00:00 %s%02d%02d", minutes < 0 ? "-" : "+", abs / 60, abs % 60);
            OffsetDateTime time = AppleDates.parse(text);
            assertThat(time).as(text).isNotNull();
            assertThat(time.getOffset().getTotalSeconds()).as(text).isEqualTo(minutes * 60);
            assertThat(time.toLocalDateTime()).as(text).isEqualTo(java.time.LocalDateTime.of(2024, 6, 1, 12, 0));
        }
        assertThat(AppleDates.parse("2024-06-01 12:00:00 +1801")).isNull();
    }

    @Test
    void readsUnusualLayoutsThroughTheFallback() {
        assertThat(AppleDates.parse("2024-03-12T08:00:00+01:00")).isEqualTo(OffsetDateTime.parse("2024-03-12T08:00:00+01:00"));
        assertThat(AppleDates.parse("2024-03-12 08:00:00.250 +0100"))
                .isEqualTo(OffsetDateTime.parse("2024-03-12T08:00:00.250+01:00"));
        assertThat(AppleDates.parse("2024-03-12 08:00:00 +01:00")).isEqualTo(OffsetDateTime.parse("2024-03-12T08:00:00+01:00"));
        assertThat(AppleDates.parse("2024-03-12T08:00:00Z")).isEqualTo(OffsetDateTime.parse("2024-03-12T08:00:00Z"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "2023-02-29 07:15:32 -0700", "2023-04-31 07:15:32 -0700", "2023-04-01 24:00:00 -0700",
        "2023-04-01 07:60:00 -0700", "2023-13-01 07:15:32 -0700", "2023-04-01 07:15:32 -1900", "2023-04-01 07:15:32",
        "2023-04-01 07:15:32 *0700", "12/03/2024 08:55", "2023-04-01 07:15:3x -0700"})
    void refusesWhatIsNoTime(String text) {
        assertThat(AppleDates.parse(text)).isNull();
    }

    @Test
    void nullStaysNull() {
        assertThat(AppleDates.parse(null)).isNull();
    }
}
