package io.healthmesh.imports.csv;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits text into CSV records, RFC 4180 with the usual leniency: LF, CRLF and CR line endings (also
 * mixed); quoted cells with delimiters, doubled quotes and line breaks (a CRLF inside quotes becomes LF);
 * blanks before an opening quote are dropped; a quote inside an unquoted cell, or text after a closing
 * quote, is kept as written. Cells are returned untrimmed. Memory is bounded by the row limits.
 */
final class CsvRecordReader {

    /** One record: the physical line it starts on, its cells, and whether a quote was left open at the end of input. */
    record CsvRecord(long line, List<String> cells, boolean unterminatedQuote) {

        /** True when every cell is empty or whitespace (a blank line, or one of only delimiters). */
        boolean isBlank() {
            for (String cell : cells) {
                if (!cell.isBlank()) {
                    return false;
                }
            }
            return true;
        }

        String cell(int index) {
            return index < cells.size() ? cells.get(index) : "";
        }
    }

    /** A row past {@link CsvLimits#MAX_RECORD_CHARS} characters or {@link CsvLimits#MAX_COLUMNS} cells. */
    static final class RecordTooLargeException extends Exception {

        private final long line;
        private final boolean tooManyColumns;

        RecordTooLargeException(long line, boolean tooManyColumns) {
            super(tooManyColumns ? "more than " + CsvLimits.MAX_COLUMNS + " columns"
                    : "longer than " + CsvLimits.MAX_RECORD_CHARS + " characters");
            this.line = line;
            this.tooManyColumns = tooManyColumns;
        }

        long line() {
            return line;
        }

        boolean tooManyColumns() {
            return tooManyColumns;
        }
    }

    private static final int BUFFER = 1 << 16;
    private static final int NONE = -2;

    private enum State { START, UNQUOTED, QUOTED, AFTER_QUOTE }

    private final Reader in;
    private final char delimiter;
    private final char quote;
    private final int maxRecordChars;
    private final int maxColumns;
    private final char[] buffer = new char[BUFFER];
    private int position;
    private int limit;
    private int pushedBack = NONE;
    private long line = 1;
    private final StringBuilder cell = new StringBuilder();

    CsvRecordReader(Reader in, char delimiter, char quote) {
        this(in, delimiter, quote, CsvLimits.MAX_RECORD_CHARS, CsvLimits.MAX_COLUMNS);
    }

    CsvRecordReader(Reader in, char delimiter, char quote, int maxRecordChars, int maxColumns) {
        this.in = in;
        this.delimiter = delimiter;
        this.quote = quote;
        this.maxRecordChars = maxRecordChars;
        this.maxColumns = maxColumns;
    }

    /**
     * The decoded text of a raw file: the UTF-8 byte order mark skipped (whatever the dialect says),
     * undecodable bytes replaced by U+FFFD.
     *
     * @throws IllegalArgumentException the dialect names an encoding the JVM does not have
     */
    static Reader open(InputStream raw, CsvDialect dialect) throws IOException {
        Charset charset = Charset.forName(dialect.encoding());
        BufferedInputStream in = new BufferedInputStream(raw, BUFFER);
        if (charset.name().equals("UTF-8")) {
            in.mark(3);
            byte[] head = in.readNBytes(3);
            if (!(head.length == 3 && (head[0] & 0xff) == 0xEF && (head[1] & 0xff) == 0xBB
                    && (head[2] & 0xff) == 0xBF)) {
                in.reset();
            }
        }
        CharsetDecoder decoder = charset.newDecoder()
                .onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE);
        return new InputStreamReader(in, decoder);
    }

    /** The next record, or null at the end of input. */
    CsvRecord next() throws IOException, RecordTooLargeException {
        int c = read();
        if (c < 0) {
            return null;
        }
        long startLine = line;
        List<String> cells = new ArrayList<>();
        cell.setLength(0);
        State state = State.START;
        int chars = 0;
        while (true) {
            if (c < 0) {
                boolean open = state == State.QUOTED;
                cells.add(cell.toString());
                return new CsvRecord(startLine, cells, open);
            }
            if (++chars > maxRecordChars) {
                throw new RecordTooLargeException(startLine, false);
            }
            char ch = (char) c;
            if (state == State.QUOTED) {
                if (ch == quote) {
                    int following = read();
                    if (following == quote) {
                        cell.append(quote);
                        chars++;
                    } else {
                        unread(following);
                        state = State.AFTER_QUOTE;
                    }
                } else if (ch == '\r') {
                    line++;
                    int following = read();
                    if (following != '\n') {
                        unread(following);
                    } else {
                        chars++;
                    }
                    cell.append('\n');
                } else {
                    if (ch == '\n') {
                        line++;
                    }
                    cell.append(ch);
                }
            } else if (ch == delimiter) {
                cells.add(cell.toString());
                cell.setLength(0);
                if (cells.size() >= maxColumns) {
                    throw new RecordTooLargeException(startLine, true);
                }
                state = State.START;
            } else if (ch == '\n' || ch == '\r') {
                line++;
                if (ch == '\r') {
                    int following = read();
                    if (following != '\n') {
                        unread(following);
                    }
                }
                cells.add(cell.toString());
                return new CsvRecord(startLine, cells, false);
            } else if (ch == quote && state == State.START) {
                cell.setLength(0);
                state = State.QUOTED;
            } else {
                cell.append(ch);
                if (state == State.START && ch != ' ' && ch != '\t') {
                    state = State.UNQUOTED;
                }
            }
            c = read();
        }
    }

    private int read() throws IOException {
        if (pushedBack != NONE) {
            int c = pushedBack;
            pushedBack = NONE;
            return c;
        }
        if (position == limit) {
            int n;
            do {
                n = in.read(buffer, 0, buffer.length);
            } while (n == 0);
            if (n < 0) {
                return -1;
            }
            position = 0;
            limit = n;
        }
        return buffer[position++];
    }

    private void unread(int c) {
        pushedBack = c;
    }
}
