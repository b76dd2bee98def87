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

    @Test
    void givesExactlyWhatParseDoubleGives() {
        // Short plain decimals take a shortcut past parseDouble; it must answer the very same double.
        java.util.Random random = new java.util.Random(20261127);
        java.util.List<String> texts = new java.util.ArrayList<>(java.util.List.of("0", "-0", "+0", "-0.0", "0.000",
                "5.", "+.5", "-.5", "007", "999999999999999", "9999999999999999", "0.1", "0.2", "0.3",
                "1.000000000000001", "123456789012.345", "-98765.4321098765", "4503599627370497", "9007199254740993",
                "0.000000000000001", "1e0", "2.5E-3"));
        for (int i = 0; i < 200_000; i++) {
            int digits = 1 + random.nextInt(18);
            StringBuilder text = new StringBuilder();
            if (random.nextInt(4) == 0) {
                text.append(random.nextBoolean() ? '-' : '+');
            }
            int dotAt = random.nextInt(digits + 2) - 1;
            for (int d = 0; d < digits; d++) {
                if (d == dotAt) {
                    text.append('.');
                }
                text.append((char) ('0' + random.nextInt(10)));
            }
            if (dotAt == digits) {
                text.append('.');
            }
            texts.add(text.toString());
        }
        for (String text : texts) {
            assertThat(Double.doubleToRawLongBits(AppleNumbers.parse(text))).as(text)
                    .isEqualTo(Double.doubleToRawLongBits(Double.parseDouble(text)));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "NaN", "Infinity", "-Infinity", "0x1p3", "1.2.3", "1e", "e5", ".", "-", "72,5", "12 kg",
        "1d", "1f", "+", "-.", "1-", "1+1", "--1", "1..", " 1", "1 "})
    void refusesAnythingElseWithoutAnException(String text) {
        assertThat(AppleNumbers.parse(text)).isNaN();
    }

    @Test
    void spotsDecimalCommas() {
        assertThat(AppleNumbers.hasDecimalComma("72,5")).isTrue();
        assertThat(AppleNumbers.hasDecimalComma("72.5")).isFalse();
    }
}
