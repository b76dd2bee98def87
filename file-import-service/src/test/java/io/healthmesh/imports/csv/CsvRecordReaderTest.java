package io.healthmesh.imports.csv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.healthmesh.imports.csv.CsvRecordReader.CsvRecord;
import io.healthmesh.imports.csv.CsvRecordReader.RecordTooLargeException;
import java.io.ByteArrayInputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CsvRecordReaderTest {

    @Test
    void lfCrlfAndCrLineEndingsMixed() throws Exception {
        List<CsvRecord> records = read("a,b\nc,d\r\ne,f\rg,h");
        assertThat(records).extracting(CsvRecord::cells)
                .containsExactly(List.of("a", "b"), List.of("c", "d"), List.of("e", "f"), List.of("g", "h"));
        assertThat(records).extracting(CsvRecord::line).containsExactly(1L, 2L, 3L, 4L);
    }

    @Test
    void quotedCellsHoldDelimitersQuotesAndLineBreaks() throws Exception {
        List<CsvRecord> records = read("\"a,1\",\"say \"\"hi\"\"\",\"line1\r\nline2\nline3\"\nnext,row\n");
        assertThat(records.get(0).cells()).containsExactly("a,1", "say \"hi\"", "line1\nline2\nline3");
        assertThat(records.get(1).line()).isEqualTo(4);
        assertThat(records).hasSize(2);
    }

    @Test
    void literalQuotesAroundAName() throws Exception {
        // MyFitnessPal 2026: """Walking, 3.5 mph""" is the text "Walking, 3.5 mph" with its quotes.
        List<CsvRecord> records = read("2026-01-10,\"\"\"Walking, 3.5 mph\"\"\",Cardio\n");
        assertThat(records.get(0).cells()).containsExactly("2026-01-10", "\"Walking, 3.5 mph\"", "Cardio");
        assertThat(CsvColumns.stripOneQuoteLayer(records.get(0).cells().get(1))).isEqualTo("Walking, 3.5 mph");
    }

    @Test
    void lenientAboutBlanksBeforeAQuoteAndStrayQuotes() throws Exception {
        List<CsvRecord> records = read("a, \"b,c\" ,d\"e,\"f\"g\n");
        assertThat(records.get(0).cells()).containsExactly("a", "b,c ", "d\"e", "fg");
    }

    @Test
    void emptyCellsAndBlankLines() throws Exception {
        List<CsvRecord> records = read("a,,\n\n,,\n");
        assertThat(records).extracting(CsvRecord::cells)
                .containsExactly(List.of("a", "", ""), List.of(""), List.of("", "", ""));
        assertThat(records.get(1).isBlank()).isTrue();
        assertThat(records.get(2).isBlank()).isTrue();
    }

    @Test
    void anUnterminatedQuoteRunsToTheEnd() throws Exception {
        List<CsvRecord> records = read("a,b\n1,\"open\n2,3\n");
        assertThat(records).hasSize(2);
        assertThat(records.get(1).unterminatedQuote()).isTrue();
        assertThat(records.get(1).cells()).containsExactly("1", "open\n2,3\n");
    }

    @Test
    void limits() {
        RecordTooLargeException tooLong = catchThrowableOfType(
                () -> read("a,b\n" + "x".repeat(CsvLimits.MAX_RECORD_CHARS + 1) + "\n"),
                RecordTooLargeException.class);
        assertThat(tooLong.line()).isEqualTo(2);
        assertThat(tooLong.tooManyColumns()).isFalse();

        RecordTooLargeException tooWide = catchThrowableOfType(
                () -> read(",".repeat(CsvLimits.MAX_COLUMNS) + "\n"), RecordTooLargeException.class);
        assertThat(tooWide.tooManyColumns()).isTrue();
    }

    @Test
    void atTheLimitsIsFine() throws Exception {
        assertThat(read(",".repeat(CsvLimits.MAX_COLUMNS - 1)).get(0).cells()).hasSize(CsvLimits.MAX_COLUMNS);
        assertThat(read("x".repeat(CsvLimits.MAX_RECORD_CHARS)).get(0).cells().get(0))
                .hasSize(CsvLimits.MAX_RECORD_CHARS);
    }

    @Test
    void openSkipsTheByteOrderMarkAndDecodesWindows1252() throws Exception {
        byte[] utf8 = "\uFEFFDate,B12 (\u00b5g)\n".getBytes(StandardCharsets.UTF_8);
        CsvDialect dialect = new CsvDialect(CsvDialect.UTF_8, true, ',', '"', '.', 1);
        CsvRecordReader reader = new CsvRecordReader(CsvRecordReader.open(new ByteArrayInputStream(utf8), dialect),
                ',', '"');
        assertThat(reader.next().cells()).containsExactly("Date", "B12 (\u00b5g)");

        byte[] latin = {'D', ',', 'B', (byte) 0xB5, 'g', ',', (byte) 0xE9};
        CsvDialect windows = new CsvDialect(CsvDialect.WINDOWS_1252, false, ',', '"', '.', 1);
        reader = new CsvRecordReader(CsvRecordReader.open(new ByteArrayInputStream(latin), windows), ',', '"');
        assertThat(reader.next().cells()).containsExactly("D", "B\u00b5g", "\u00e9");
    }

    private static List<CsvRecord> read(String text) throws Exception {
        CsvRecordReader reader = new CsvRecordReader(new StringReader(text), ',', '"');
        List<CsvRecord> records = new ArrayList<>();
        CsvRecord record;
        while ((record = reader.next()) != null) {
            records.add(record);
        }
        return records;
    }
}
