package io.healthmesh.imports.csv;

/**
 * An upload that is not a CSV file we can read. The message is user-facing (it becomes the problem
 * detail); {@link #reason()} is the stable code.
 */
public final class CsvRejectedException extends Exception {

    private final Reason reason;

    CsvRejectedException(Reason reason, String userMessage) {
        super(userMessage);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }

    /** Why a file was refused. */
    public enum Reason {
        /** No bytes, or only a byte order mark. */
        EMPTY,
        /** A ZIP, GZIP or PDF file (an MFP export arrives as a ZIP of CSV files). */
        ARCHIVE_OR_DOCUMENT,
        /** UTF-16 or UTF-32 text. */
        UNSUPPORTED_ENCODING,
        /** NUL or many other control bytes: not text. */
        BINARY,
        /** Only blank lines, or a first row without any column name. */
        NO_HEADER,
        /** No delimiter (comma, semicolon or tab) found in the header. */
        ONE_COLUMN,
        /** A row longer than {@value CsvLimits#MAX_RECORD_CHARS} characters. */
        ROW_TOO_LONG,
        /** A row with more than {@value CsvLimits#MAX_COLUMNS} cells. */
        TOO_MANY_COLUMNS
    }
}
