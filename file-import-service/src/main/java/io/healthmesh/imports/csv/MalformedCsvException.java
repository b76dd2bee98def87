package io.healthmesh.imports.csv;

/**
 * The rest of the file cannot be read: a row beyond the size limits, a quote never closed, or a
 * mapping that does not fit the file's header. What was emitted before stays emitted. The message is
 * user-facing and names the row.
 */
public final class MalformedCsvException extends Exception {

    private final long rowNumber;

    public MalformedCsvException(String message, long rowNumber) {
        super(message);
        this.rowNumber = rowNumber;
    }

    /** 1-based physical line where the offending row starts; 0 when not about a row. */
    public long rowNumber() {
        return rowNumber;
    }
}
