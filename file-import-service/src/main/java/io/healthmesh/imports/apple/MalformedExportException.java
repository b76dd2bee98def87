package io.healthmesh.imports.apple;

/**
 * export.xml is not well-formed XML (typically truncated), is not an Apple Health export, or its
 * archive ended early. Everything emitted before the error stays emitted; {@link #summary()} says
 * how much that was. The message is user-facing and names the line and column.
 */
public final class MalformedExportException extends Exception {

    private final int line;
    private final int column;
    private final ParseSummary summary;

    MalformedExportException(String problem, int line, int column, ParseSummary summary, Throwable cause) {
        super(userMessage(problem, line, column, summary), cause);
        this.line = line;
        this.column = column;
        this.summary = summary;
    }

    /** 1-based line of the error, or -1 when unknown. */
    public int line() {
        return line;
    }

    /**
     * 1-based column of the error, or -1 when unknown; counted in bytes, as the parser counts, so it
     * runs ahead of the character column after non-ASCII text on the line.
     */
    public int column() {
        return column;
    }

    /** What was read and emitted before the error. */
    public ParseSummary summary() {
        return summary;
    }

    private static String userMessage(String problem, int line, int column, ParseSummary summary) {
        String where = line > 0 ? " at line " + line + ", column " + column : "";
        return "The export is damaged or incomplete" + where + ": " + problem + ". The "
                + summary.recordsRead() + " records before it were read (readings imported: " + summary.readings()
                + ", sessions: " + summary.sessions() + ").";
    }
}
