package io.healthmesh.imports.apple;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AppleNumbersTest {

    @Test
    void readsDecimals() {
        assertThat(AppleNumbers.parse("812")).isEqualTo(812.0);
        assertThat(AppleNumbers.parse("41.8271")).isEqualTo(41.8271);
        assertThat(AppleNumbers.parse("-0.5")).isEqualTo(-0.5);
        assertThat(AppleNumbers.parse(".5")).isEqualTo(0.5);
        assertThat(AppleNumbers.parse("1.2e-3")).isEqualTo(0.0012);
        assertThat(AppleNumbers.parse("5E2")).isEqualTo(500.0);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "NaN", "Infinity", "-Infinity", "0x1p3", "1.2.3", "1e", "e5", ".", "-", "72,5", "12 kg",
        "1d", "1f"})
    void refusesAnythingElseWithoutAnException(String text) {
        assertThat(AppleNumbers.parse(text)).isNaN();
    }

    @Test
    void spotsDecimalCommas() {
        assertThat(AppleNumbers.hasDecimalComma("72,5")).isTrue();
        assertThat(AppleNumbers.hasDecimalComma("72.5")).isFalse();
    }
}
