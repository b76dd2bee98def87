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
