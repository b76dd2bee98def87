package io.healthmesh.imports.csv;

import io.healthmesh.imports.csv.CsvRecordReader.CsvRecord;
import io.healthmesh.imports.csv.CsvRecordReader.RecordTooLargeException;
import io.healthmesh.imports.csv.CsvRejectedException.Reason;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * First look at an uploaded CSV file: refuses what we cannot read, sniffs the dialect from the first
 * {@value CsvLimits#SNIFF_BYTES} bytes, reads the header and the first rows, recognizes the preset
 * ({@link CsvPresets}) and suggests a mapping. Only the beginning of the file is read; rows further on
 * that break the limits stop the import later ({@link MalformedCsvException}). Stateless and thread-safe.
 */
public final class CsvInspector {

    /** Data rows in a preview. */
    public static final int PREVIEW_ROWS = 10;
    /** The zone a suggestion assumes when the user has no (valid) home zone. */
    public static final String DEFAULT_ZONE = "UTC";

    private static final Set<String> IANA_ZONES = Set.copyOf(ZoneId.getAvailableZoneIds());

    public CsvInspector() {
    }

    /**
     * Sniffs the file and builds the preview.
     *
     * @param fileName the name the file was uploaded under (helps to recognize MyFitnessPal's
     *     Measurement-Summary), may be null
     * @param homeZone the user's home zone, may be null
     * @throws CsvRejectedException not a CSV file we can read: empty, binary (NUL bytes; a ZIP, GZIP or PDF),
     *     UTF-16, no header, one column only, a row beyond {@link CsvLimits}
     */
    public CsvPreview inspect(Path file, String fileName, String homeZone) throws CsvRejectedException, IOException {
        byte[] sample;
        boolean truncated;
        try (InputStream in = Files.newInputStream(file)) {
            sample = in.readNBytes(CsvLimits.SNIFF_BYTES);
            truncated = sample.length == CsvLimits.SNIFF_BYTES && in.read() >= 0;
        }
        CsvDialect dialect = CsvSniffer.sniff(sample, sample.length, truncated);

        List<String> header;
        List<List<String>> rows = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        try (InputStream in = Files.newInputStream(file)) {
            CsvRecordReader records = new CsvRecordReader(CsvRecordReader.open(in, dialect), dialect.delimiter(),
                    dialect.quote());
            CsvRecord record = records.next();
            while (record != null && record.isBlank() && !record.unterminatedQuote()) {
                record = records.next();
            }
            if (record == null) {
                throw new CsvRejectedException(Reason.NO_HEADER, "The file has no header row: it holds only blank "
                        + "lines.");
            }
            if (record.unterminatedQuote()) {
                throw new CsvRejectedException(Reason.NO_HEADER, "The header row opens a quote that is never "
                        + "closed.");
            }
            header = record.cells().stream().map(String::trim).toList();
            checkHeader(header);
            while (rows.size() < PREVIEW_ROWS && (record = records.next()) != null) {
                if (record.unterminatedQuote()) {
                    notes.add("A quote opened in the row on line " + record.line() + " is never closed: the "
                            + "import stops there.");
                    break;
                }
                if (!record.isBlank()) {
                    rows.add(record.cells().stream().map(String::trim).toList());
                }
            }
        } catch (RecordTooLargeException e) {
            if (e.tooManyColumns()) {
                throw new CsvRejectedException(Reason.TOO_MANY_COLUMNS, "The row on line " + e.line() + " has more "
                        + "than " + CsvLimits.MAX_COLUMNS + " columns: this is not a CSV file we can read.");
            }
            throw new CsvRejectedException(Reason.ROW_TOO_LONG, "The row on line " + e.line() + " is longer than "
                    + CsvLimits.MAX_RECORD_CHARS / 1024 + " KiB: this is not a CSV file we can read.");
        }

        String zone = homeZone != null && IANA_ZONES.contains(homeZone) ? homeZone : DEFAULT_ZONE;
        CsvPresets.Suggestion suggestion = CsvPresets.suggest(header, rows, fileName, zone);
        List<String> allNotes = new ArrayList<>(suggestion.notes());
        allNotes.addAll(notes);
        if (dialect.decimalSeparator() == ',') {
            allNotes.add("Numbers are read with a decimal comma (71,4 is 71.4).");
        }
        if (zone.equals(homeZone)) {
            allNotes.add("Dates and times are read as local time in " + zone + ", your home zone; change zone if "
                    + "they were recorded elsewhere.");
        } else {
            allNotes.add("Dates and times are read as UTC" + (homeZone == null ? " (no home zone is set)"
                    : " ('" + CsvCells.safe(homeZone) + "' is not a time zone)") + ": set zone to where they were "
                    + "recorded, e.g. Europe/Berlin.");
        }
        return new CsvPreview(dialect, safe(header), rows.stream().map(CsvInspector::safe).toList(),
                suggestion.preset(), suggestion.mapping(), zone, List.copyOf(allNotes));
    }

    private static void checkHeader(List<String> header) throws CsvRejectedException {
        if (header.size() < 2) {
            throw new CsvRejectedException(Reason.ONE_COLUMN, "Only one column found: a CSV file needs a header row "
                    + "with column names separated by commas, semicolons or tabs.");
        }
        boolean named = header.stream().anyMatch(cell -> cell.codePoints().anyMatch(Character::isLetter));
        if (!named) {
            throw new CsvRejectedException(Reason.NO_HEADER, "The first row holds no column names (it starts '"
                    + CsvCells.safe(String.join(",", header)) + "'): add a header row naming the columns.");
        }
    }

    private static List<String> safe(List<String> cells) {
        return cells.stream().map(CsvCells::safe).toList();
    }
}
