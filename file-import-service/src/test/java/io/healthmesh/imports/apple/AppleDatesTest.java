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
