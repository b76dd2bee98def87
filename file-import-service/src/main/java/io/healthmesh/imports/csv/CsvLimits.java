package io.healthmesh.imports.csv;

/** Sizes past which a file is refused ({@link CsvInspector}) or stops being read ({@link CsvImportParser}). */
public final class CsvLimits {

    /** Characters in one row (record), quoted newlines included: 1 MiB. */
    public static final int MAX_RECORD_CHARS = 1 << 20;
    /** Cells in one row. */
    public static final int MAX_COLUMNS = 2_000;
    /** Bytes read from the start of a file to sniff its dialect. */
    public static final int SNIFF_BYTES = 1 << 20;
    /** Characters of a cell echoed back to a client. */
    public static final int MAX_ECHO_CHARS = 200;

    private CsvLimits() {
    }
}
