package io.healthmesh.imports.service;

/**
 * The file cannot be imported further (malformed, hostile, not what it claimed to be): the job
 * fails with this message for its owner, and where the file says so, the line and column.
 */
public class ImportFailedException extends Exception {

    private final Integer line;
    private final Integer column;

    public ImportFailedException(String message, Integer line, Integer column) {
        super(message);
        this.line = line;
        this.column = column;
    }

    public Integer line() {
        return line;
    }

    public Integer column() {
        return column;
    }
}
