package io.healthmesh.normalizer.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class TimeWindowTest {

    @Test
    void plainDatesAreWholeDaysOfTheHomeZoneWithToIncluded() {
        TimeWindow window = TimeWindow.parse("2024-03-10", "2024-03-11", ZoneId.of("Europe/Berlin"));

        assertThat(window.from()).isEqualTo(Instant.parse("2024-03-09T23:00:00Z"));
        assertThat(window.to()).isEqualTo(Instant.parse("2024-03-11T23:00:00Z"));
        assertThat(window.firstDate()).isEqualTo(LocalDate.of(2024, 3, 10));
        assertThat(window.lastDate()).isEqualTo(LocalDate.of(2024, 3, 11));
    }

    @Test
    void instantsKeepTheirOffsetAndToIsExcluded() {
        TimeWindow window = TimeWindow.parse("2024-03-10T08:00:00+01:00", "2024-03-10T10:00:00+01:00",
                ZoneOffset.UTC);

        assertThat(window.from()).isEqualTo(Instant.parse("2024-03-10T07:00:00Z"));
        assertThat(window.overlaps(Instant.parse("2024-03-10T09:00:00Z"), Instant.parse("2024-03-10T09:00:00Z")))
                .isFalse();
        assertThat(window.overlaps(Instant.parse("2024-03-10T08:59:00Z"), Instant.parse("2024-03-10T09:30:00Z")))
                .isTrue();
    }

    @Test
    void refusesMissingOffsetsAndEmptyOrReversedRanges() {
        assertThatThrownBy(() -> TimeWindow.parse("2024-03-10T08:00:00", "2024-03-11", ZoneOffset.UTC))
                .hasMessageContaining("from must be an ISO-8601 instant with offset");
        assertThatThrownBy(() -> TimeWindow.parse("2024-03-11", "2024-03-10", ZoneOffset.UTC))
                .hasMessageContaining("before");
        assertThatThrownBy(() -> TimeWindow.parse(null, "2024-03-10", ZoneOffset.UTC))
                .hasMessageContaining("required");
    }
}
