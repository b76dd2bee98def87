package io.healthmesh.imports.csv;

import io.healthmesh.imports.csv.CsvRecordReader.CsvRecord;
import io.healthmesh.imports.csv.CsvRecordReader.RecordTooLargeException;
import io.healthmesh.imports.csv.CsvRejectedException.Reason;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The dialect of a file from its first bytes: refuses what is not CSV text, then finds the encoding, the
 * delimiter (the one of {@code , ; tab} that splits the header and the following rows consistently into
 * the most columns), the decimal separator and the header line (the first non-blank row).
 */
final class CsvSniffer {

    /** Rows after the header compared for the delimiter and the decimal separator. */
    static final int SAMPLE_ROWS = 50;
    private static final char QUOTE = '"';
    private static final char[] DELIMITERS = {',', ';', '\t'};
    private static final Pattern COMMA_DECIMAL = Pattern.compile("[+-]?\\d+,\\d+");
    private static final Pattern DOT_DECIMAL = Pattern.compile("[+-]?\\d+\\.\\d+");

    private CsvSniffer() {
    }

    /**
     * @param sample the file's first bytes
     * @param length how many of them there are
     * @param truncated true when the file goes on after them
     */
    static CsvDialect sniff(byte[] sample, int length, boolean truncated) throws CsvRejectedException {
        refuseNonText(sample, length);
        boolean bom = startsWith(sample, length, 0xEF, 0xBB, 0xBF);
        int offset = bom ? 3 : 0;
        if (length == offset) {
            throw new CsvRejectedException(Reason.EMPTY, "The file is empty.");
        }
        String encoding = isUtf8(sample, offset, length - offset, truncated) ? CsvDialect.UTF_8
                : CsvDialect.WINDOWS_1252;
        String text = new String(sample, offset, length - offset, Charset.forName(encoding));

        char best = 0;
        int bestColumns = 0;
        int bestConsistent = -1;
        List<CsvRecord> bestRecords = null;
        for (char delimiter : DELIMITERS) {
            List<CsvRecord> records = records(text, delimiter, truncated);
            if (records.isEmpty()) {
                throw new CsvRejectedException(Reason.NO_HEADER, "The file has no header row: it holds only blank "
                        + "lines.");
            }
            int columns = records.get(0).cells().size();
            if (columns < 2) {
                continue;
            }
            int consistent = 0;
            for (int i = 1; i < records.size(); i++) {
                if (fits(records.get(i), columns)) {
                    consistent++;
                }
            }
            if (consistent > bestConsistent || (consistent == bestConsistent && columns > bestColumns)) {
                best = delimiter;
                bestColumns = columns;
                bestConsistent = consistent;
                bestRecords = records;
            }
        }
        if (bestRecords == null) {
            throw new CsvRejectedException(Reason.ONE_COLUMN, "Only one column found: a CSV file needs a header row "
                    + "with column names separated by commas, semicolons or tabs.");
        }
        if (bestColumns > CsvLimits.MAX_COLUMNS) {
            throw new CsvRejectedException(Reason.TOO_MANY_COLUMNS, "The header has " + bestColumns
                    + " columns; at most " + CsvLimits.MAX_COLUMNS + " are supported.");
        }
        char decimal = best == ',' ? '.' : decimalSeparator(bestRecords);
        int headerLine = (int) Math.min(Integer.MAX_VALUE, bestRecords.get(0).line());
        return new CsvDialect(encoding, bom, best, QUOTE, decimal, headerLine);
    }

    private static void refuseNonText(byte[] b, int length) throws CsvRejectedException {
        if (length == 0) {
            throw new CsvRejectedException(Reason.EMPTY, "The file is empty.");
        }
        if (startsWith(b, length, 'P', 'K', 3, 4) || startsWith(b, length, 'P', 'K', 5, 6)
                || startsWith(b, length, 'P', 'K', 7, 8)) {
            throw new CsvRejectedException(Reason.ARCHIVE_OR_DOCUMENT, "This is a ZIP archive (or an Excel "
                    + "workbook), not a CSV file. MyFitnessPal sends its export as a ZIP: unzip it and upload the CSV "
                    + "files inside one at a time; save a workbook as CSV first.");
        }
        if (startsWith(b, length, 0x1F, 0x8B)) {
            throw new CsvRejectedException(Reason.ARCHIVE_OR_DOCUMENT, "This is a GZIP-compressed file, not a CSV "
                    + "file: decompress it and upload the CSV file.");
        }
        if (startsWith(b, length, '%', 'P', 'D', 'F')) {
            throw new CsvRejectedException(Reason.ARCHIVE_OR_DOCUMENT, "This is a PDF document, not a CSV file.");
        }
        if (startsWith(b, length, 0xD0, 0xCF, 0x11, 0xE0)) {
            throw new CsvRejectedException(Reason.ARCHIVE_OR_DOCUMENT, "This is an Excel workbook, not a CSV file: "
                    + "save it as CSV first.");
        }
        if (startsWith(b, length, 0xFF, 0xFE) || startsWith(b, length, 0xFE, 0xFF)
                || startsWith(b, length, 0, 0, 0xFE, 0xFF)) {
            throw new CsvRejectedException(Reason.UNSUPPORTED_ENCODING, "The file is UTF-16 or UTF-32 text: save it "
                    + "as 'CSV UTF-8' and upload it again.");
        }
        int controls = 0;
        for (int i = 0; i < length; i++) {
            int c = b[i] & 0xff;
            if (c == 0) {
                throw new CsvRejectedException(Reason.BINARY, "The file contains binary data, not CSV text.");
            }
            // Tab, LF, FF, CR and the DOS end-of-file mark (Ctrl-Z) occur in text files.
            if (c < 0x20 && c != '\t' && c != '\n' && c != '\f' && c != '\r' && c != 0x1A) {
                controls++;
            }
        }
        if (controls > Math.max(8, length / 100)) {
            throw new CsvRejectedException(Reason.BINARY, "The file contains binary data, not CSV text.");
        }
    }

    private static boolean isUtf8(byte[] bytes, int offset, int length, boolean truncated) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes, offset, length);
        CharBuffer out = CharBuffer.allocate(length + 1);
        // A sample cut in the middle of a character is not an error: that character goes on after it.
        CoderResult result = decoder.decode(in, out, !truncated);
        if (result.isError()) {
            return false;
        }
        if (!truncated) {
            return !decoder.flush(out).isError();
        }
        return true;
    }

    /** The non-blank records of the sample, header first; a record the sample may have cut off is left out. */
    static List<CsvRecord> records(String text, char delimiter, boolean truncated) throws CsvRejectedException {
        CsvRecordReader reader = new CsvRecordReader(new StringReader(text), delimiter, QUOTE, Integer.MAX_VALUE,
                Integer.MAX_VALUE);
        List<CsvRecord> records = new ArrayList<>();
        boolean complete = false;
        try {
            CsvRecord record;
            while (records.size() <= SAMPLE_ROWS) {
                record = reader.next();
                if (record == null) {
                    complete = true;
                    break;
                }
                if (!record.isBlank() || record.unterminatedQuote()) {
                    records.add(record);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (RecordTooLargeException e) {
            throw new IllegalStateException("no limit was set", e);
        }
        if (truncated && complete && !records.isEmpty()) {
            // The last record ran to the end of the sample: it may go on in the file.
            records.remove(records.size() - 1);
            if (records.isEmpty()) {
                throw new CsvRejectedException(Reason.ROW_TOO_LONG, "The first row is longer than "
                        + CsvLimits.SNIFF_BYTES / 1024 + " KiB: this is not a CSV file we can read.");
            }
        }
        return records;
    }

    private static boolean fits(CsvRecord record, int columns) {
        List<String> cells = record.cells();
        if (cells.size() < columns) {
            return false;
        }
        for (int i = columns; i < cells.size(); i++) {
            if (!cells.get(i).isBlank()) {
                return false;
            }
        }
        return true;
    }

    /** ',' when more data cells read like {@code 71,4} than like {@code 71.4}. */
    private static char decimalSeparator(List<CsvRecord> records) {
        int commas = 0;
        int dots = 0;
        for (int i = 1; i < records.size(); i++) {
            for (String cell : records.get(i).cells()) {
                String t = cell.trim();
                if (COMMA_DECIMAL.matcher(t).matches()) {
                    commas++;
                } else if (DOT_DECIMAL.matcher(t).matches()) {
                    dots++;
                }
            }
        }
        return commas > dots ? ',' : '.';
    }

    private static boolean startsWith(byte[] bytes, int length, int... prefix) {
        if (length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if ((bytes[i] & 0xff) != prefix[i]) {
                return false;
            }
        }
        return true;
    }
}
