package io.healthmesh.imports.csv;

import io.healthmesh.contracts.event.Reading;

/**
 * Receives what {@link CsvImportParser} makes of a file, in file order, on the parsing thread. An
 * exception thrown here stops the parse and propagates unchanged (e.g. to cancel a job).
 */
public interface CsvRowHandler {

    /** One event per mapped value of a row (or per row of a long-format file). */
    void reading(Reading reading);

    /**
     * A row, or one value of a row, not imported.
     *
     * @param reason one of {@link CsvSkipReason}'s short slugs
     * @param rowNumber 1-based physical line on which the row starts (the header is on
     *     {@link CsvDialect#headerLine()})
     * @param detail for humans; cell text in it has been through {@link CsvCells#safe}
     */
    void skipped(String reason, long rowNumber, String detail);
}
