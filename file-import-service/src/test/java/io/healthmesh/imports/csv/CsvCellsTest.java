package io.healthmesh.imports.csv;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CsvCellsTest {

    @ParameterizedTest
    @ValueSource(strings = {"=HYPERLINK(\"http://evil.example\",\"x\")", "+1+1", "-1+2", "@SUM(1)", "\tcmd", "\rcmd",
        "=1", "-", "+", "@", "-e", "--5", "-5 ", "- 5"})
    void formulaLikeCellsGetAnApostrophe(String cell) {
        assertThat(CsvCells.safe(cell)).isEqualTo("'" + cell);
    }

    @ParameterizedTest
    @ValueSource(strings = {"-5", "-3.2", "+7", "-0.5", "-3,2", "-1e5", "+2.5E-3", "-.5", "Breakfast", "",
        "'=already", "a=b", " =x", "71.4", "Crème fraîche", "B12 (Cobalamin) (µg)"})
    void otherCellsStayAsTheyAre(String cell) {
        assertThat(CsvCells.safe(cell)).isEqualTo(cell);
    }

    @Test
    void nullStaysNull() {
        assertThat(CsvCells.safe(null)).isNull();
    }

    @Test
    void longCellsAreCutWithAnEllipsis() {
        String cell = "x".repeat(500);
        String safe = CsvCells.safe(cell);
        assertThat(safe).hasSize(CsvLimits.MAX_ECHO_CHARS).endsWith("\u2026").startsWith("xxxx");
        assertThat(CsvCells.safe("y".repeat(200))).isEqualTo("y".repeat(200));
    }

    @Test
    void aFormulaIsNeutralisedBeforeItIsCut() {
        String safe = CsvCells.safe("=" + "A".repeat(400));
        assertThat(safe).startsWith("'=AAA").hasSize(CsvLimits.MAX_ECHO_CHARS);
    }

    @Test
    void aSurrogatePairIsNotCutInHalf() {
        String cell = "a".repeat(198) + "\uD83D\uDE00" + "b".repeat(10);
        String safe = CsvCells.safe(cell);
        assertThat(safe).isEqualTo("a".repeat(198) + "\u2026");
        assertThat(Character.isHighSurrogate(safe.charAt(safe.length() - 2))).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"=x", "-5", "@" + "z", "\tq", "plain"})
    void isIdempotent(String cell) {
        String once = CsvCells.safe(cell + "w".repeat(300));
        assertThat(CsvCells.safe(once)).isEqualTo(once);
        assertThat(CsvCells.safe(CsvCells.safe(cell))).isEqualTo(CsvCells.safe(cell));
    }
}
