package io.healthmesh.imports.csv;

/**
 * How a CSV file is written, as {@link CsvInspector} sniffed it from the file's first bytes; stored
 * with the import job and handed back to {@link CsvImportParser}.
 *
 * @param encoding {@value #UTF_8} or {@value #WINDOWS_1252} (a superset of Latin-1, used when the bytes are
 *     not valid UTF-8)
 * @param bom true when the file starts with a UTF-8 byte order mark, which the parser skips
 * @param delimiter {@code ,}, {@code ;} or a tab
 * @param quote the quote character, {@code "}
 * @param decimalSeparator {@code .}, or {@code ,} for a European spreadsheet re-save ({@code ;}-delimited with
 *     numbers like {@code 71,4})
 * @param headerLine 1-based physical line number of the header row (leading blank lines are skipped)
 */
public record CsvDialect(String encoding, boolean bom, char delimiter, char quote, char decimalSeparator,
        int headerLine) {

    public static final String UTF_8 = "UTF-8";
    public static final String WINDOWS_1252 = "windows-1252";
}
