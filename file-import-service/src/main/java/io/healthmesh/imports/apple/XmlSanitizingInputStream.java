package io.healthmesh.imports.apple;

import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Makes export.xml bytes safe and parseable before the XML parser sees them:
 * <ul>
 *   <li>drops the bytes 0x00-0x08, 0x0B, 0x0C and 0x0E-0x1F, illegal in XML 1.0 yet found in
 *       third-party metadata values (UTF-8 never uses them inside a multi-byte character, so this is
 *       safe on bytes);</li>
 *   <li>removes the whole {@code <!DOCTYPE ... [ internal subset ]>}: iOS 16.0 writes a broken one
 *       (an unterminated ATTLIST, a stray '>'), the data needs none of it, and without it no entity
 *       can be declared, so XXE and entity expansion have nothing to work with. The subset ends at
 *       the first {@code ]} followed by optional whitespace and {@code >}; its own '>'s do not matter.
 *       Its line breaks are kept, so the parser's line numbers stay those of the file.</li>
 * </ul>
 * Only the prolog goes through the byte-by-byte state machine; after the root element's {@code <}
 * the stream only filters control bytes, in bulk.
 *
 * <p>Also bounds the bytes between two {@code <} at {@link #MAX_BYTES_BETWEEN_TAGS}: the parser holds a
 * start tag with all its attributes in memory (a {@code <} cannot occur inside one), and no element
 * of an export comes near that size, so a file built to exhaust the heap with one giant tag fails
 * instead. Text is never held: the parser skips what is not asked for.
 *
 * <p>Remembers a failure of the underlying stream, so the parser can tell a damaged or hostile
 * archive from malformed XML.
 */
final class XmlSanitizingInputStream extends InputStream {

    private static final byte[] DOCTYPE = {'<', '!', 'D', 'O', 'C', 'T', 'Y', 'P', 'E'};
    private static final byte[] COMMENT = {'<', '!', '-', '-'};
    private static final int BUFFER_BYTES = 64 * 1024;
    static final int MAX_BYTES_BETWEEN_TAGS = 8 * 1024 * 1024;
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long BELOW_0X20_MASK = 0xE0E0E0E0E0E0E0E0L;
    private static final long LOW_BITS = 0x0101010101010101L;
    private static final long HIGH_BITS = 0x8080808080808080L;
    private static final long LOW_SEVEN_BITS = 0x7F7F7F7F7F7F7F7FL;
    private static final long TABS = 0x0909090909090909L;
    private static final long LINE_FEEDS = 0x0A0A0A0A0A0A0A0AL;
    private static final long CARRIAGE_RETURNS = 0x0D0D0D0D0D0D0D0DL;

    /** Raised by this stream itself when a tag runs past the limit; the XML, not the source, is at fault. */
    static final class TagTooLongException extends IOException {
        TagTooLongException() {
            super("more than " + MAX_BYTES_BETWEEN_TAGS / (1024 * 1024) + " MiB without a new tag");
        }
    }

    private enum State { PROLOG, PROCESSING_INSTRUCTION, COMMENT, DOCTYPE, SUBSET, SUBSET_CLOSING, BODY }

    private final InputStream source;
    private final byte[] buffer = new byte[BUFFER_BYTES];
    private int position;
    private int limit;
    private boolean sourceEnded;
    private IOException sourceFailure;
    private long bytesSinceTagStart;

    private State state = State.PROLOG;
    private byte quote;
    private byte previous;
    private int dashes;
    /** Bytes of a recognised construct's opening to emit before anything else. */
    private byte[] pending;
    private int pendingPosition;

    XmlSanitizingInputStream(InputStream source) {
        this.source = source;
    }

    /** The exception the underlying stream threw, if it did. */
    IOException sourceFailure() {
        return sourceFailure;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n;
        do {
            n = read(one, 0, 1);
        } while (n == 0);
        return n < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] out, int offset, int length) throws IOException {
        if (length == 0) {
            return 0;
        }
        int written = 0;
        if (state != State.BODY) {
            written = readProlog(out, offset, length);
            if (written < 0) {
                return -1;
            }
            if (state != State.BODY || written == length) {
                return written;
            }
        }
        while (true) {
            int n = readBody(out, offset + written, length - written);
            if (n < 0) {
                return written > 0 ? written : -1;
            }
            if (n > 0 || written > 0) {
                return written + n;
            }
            // Every byte of that chunk was a control byte: read on rather than report zero.
        }
    }

    @Override
    public void close() throws IOException {
        source.close();
    }

    private int readBody(byte[] out, int offset, int length) throws IOException {
        int n;
        if (position < limit) {
            n = Math.min(length, limit - position);
            System.arraycopy(buffer, position, out, offset, n);
            position += n;
        } else {
            n = readSource(out, offset, length);
            if (n < 0) {
                return -1;
            }
        }
        checkTagLength(out, offset, n);
        return dropControlBytes(out, offset, n);
    }

    /** Looks only at the chunk's first and last {@code <}: chunks are far smaller than the limit. */
    private void checkTagLength(byte[] bytes, int offset, int n) throws TagTooLongException {
        int first = offset;
        int end = offset + n;
        while (first < end && bytes[first] != '<') {
            first++;
        }
        if (bytesSinceTagStart + (first - offset) > MAX_BYTES_BETWEEN_TAGS) {
            throw new TagTooLongException();
        }
        if (first == end) {
            bytesSinceTagStart += n;
            return;
        }
        int last = end - 1;
        while (bytes[last] != '<') {
            last--;
        }
        bytesSinceTagStart = end - last - 1;
    }

    /** Compacts {@code out[offset, offset+n)} in place without the illegal control bytes; the count kept. */
    static int dropControlBytes(byte[] out, int offset, int n) {
        int end = offset + n;
        int i = offset;
        // Sixteen bytes at a time: a byte below 0x20 is a zero byte of (word & 0xE0E0..E0), found with the
        // classic has-a-zero-byte test. A word holding one (a line break or tab, in every line of an export)
        // is told apart from one holding an illegal byte with exact per-byte tests, not byte by byte: the
        // byte loop's exit, wherever the line break falls, was a mispredicted branch per line.
        while (i + 2 * Long.BYTES <= end) {
            long first = (long) LONGS.get(out, i);
            long second = (long) LONGS.get(out, i + Long.BYTES);
            if ((mayHoldControlByte(first) | mayHoldControlByte(second)) != 0
                    && (illegalBytes(first) | illegalBytes(second)) != 0) {
                break;
            }
            i += 2 * Long.BYTES;
        }
        while (i + Long.BYTES <= end) {
            long word = (long) LONGS.get(out, i);
            if (mayHoldControlByte(word) != 0 && illegalBytes(word) != 0) {
                break;
            }
            i += Long.BYTES;
        }
        // The first illegal byte, if any, is in the word reached: found byte by byte from there.
        while (i < end && !isIllegal(out[i])) {
            i++;
        }
        if (i == end) {
            return n;
        }
        int kept = i;
        for (; i < end; i++) {
            byte b = out[i];
            if (!isIllegal(b)) {
                out[kept++] = b;
            }
        }
        return kept - offset;
    }

    /** Non-zero when some byte of the word is below 0x20 (may also flag bytes after it). */
    private static long mayHoldControlByte(long word) {
        long masked = word & BELOW_0X20_MASK;
        return (masked - LOW_BITS) & ~masked & HIGH_BITS;
    }

    /** The high bit of exactly each byte of the word that {@link #isIllegal} refuses. */
    private static long illegalBytes(long word) {
        return zeroBytes(word & BELOW_0X20_MASK) & ~zeroBytes(word ^ TABS) & ~zeroBytes(word ^ LINE_FEEDS)
                & ~zeroBytes(word ^ CARRIAGE_RETURNS);
    }

    /** The high bit of exactly each zero byte of x (no borrow between bytes, unlike the quick test). */
    private static long zeroBytes(long x) {
        long y = (x & LOW_SEVEN_BITS) + LOW_SEVEN_BITS;
        return ~(y | x | LOW_SEVEN_BITS);
    }

    private static boolean isIllegal(byte b) {
        // Bytes >= 0x80 are negative and fail the first test, so multi-byte UTF-8 passes untouched.
        return (b & 0xE0) == 0 && b != '\t' && b != '\n' && b != '\r';
    }

    /** Emits prolog bytes until the root element starts (state BODY) or {@code out} is full; -1 at end. */
    private int readProlog(byte[] out, int offset, int length) throws IOException {
        int written = 0;
        while (written < length && state != State.BODY) {
            if (pending != null) {
                out[offset + written++] = pending[pendingPosition++];
                if (pendingPosition == pending.length) {
                    pending = null;
                }
                continue;
            }
            if (!ensure(1)) {
                return written > 0 ? written : -1;
            }
            byte b = buffer[position];
            if (isIllegal(b)) {
                position++;
                continue;
            }
            if (emitsInProlog(b)) {
                out[offset + written++] = b;
            }
        }
        return written;
    }

    /**
     * Advances the state machine by one byte (or a whole recognised opening), consuming it; true when
     * the byte at the current position is to be emitted, having been consumed.
     */
    private boolean emitsInProlog(byte b) throws IOException {
        switch (state) {
            case PROLOG -> {
                if (b != '<') {
                    position++;
                    return true;
                }
                ensure(DOCTYPE.length);
                if (startsWith(DOCTYPE)) {
                    position += DOCTYPE.length;
                    state = State.DOCTYPE;
                    quote = 0;
                    return false;
                }
                if (startsWith(COMMENT)) {
                    position += COMMENT.length;
                    pending = COMMENT;
                    pendingPosition = 0;
                    state = State.COMMENT;
                    dashes = 0;
                    return false;
                }
                position++;
                if (position < limit && buffer[position] == '?') {
                    state = State.PROCESSING_INSTRUCTION;
                    previous = 0;
                } else {
                    state = State.BODY;
                }
                return true;
            }
            case PROCESSING_INSTRUCTION -> {
                position++;
                if (previous == '?' && b == '>') {
                    state = State.PROLOG;
                }
                previous = b;
                return true;
            }
            case COMMENT -> {
                position++;
                if (b == '>' && dashes >= 2) {
                    state = State.PROLOG;
                }
                dashes = b == '-' ? dashes + 1 : 0;
                return true;
            }
            case DOCTYPE -> {
                position++;
                if (quote != 0) {
                    if (b == quote) {
                        quote = 0;
                    }
                } else if (b == '"' || b == '\'') {
                    quote = b;
                } else if (b == '[') {
                    state = State.SUBSET;
                } else if (b == '>') {
                    state = State.PROLOG;
                }
                return isLineBreak(b);
            }
            case SUBSET -> {
                position++;
                if (b == ']') {
                    state = State.SUBSET_CLOSING;
                }
                return isLineBreak(b);
            }
            case SUBSET_CLOSING -> {
                position++;
                if (b == '>') {
                    state = State.PROLOG;
                } else if (b != ']' && b != ' ' && b != '\t' && b != '\r' && b != '\n') {
                    state = State.SUBSET;
                }
                return isLineBreak(b);
            }
            default -> throw new IllegalStateException("prolog state machine in " + state);
        }
    }

    private static boolean isLineBreak(byte b) {
        return b == '\n' || b == '\r';
    }

    private boolean startsWith(byte[] prefix) {
        if (limit - position < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (buffer[position + i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    /** At least {@code n} buffered bytes unless the source ends first; false when none is left. */
    private boolean ensure(int n) throws IOException {
        if (limit - position >= n) {
            return true;
        }
        if (position > 0) {
            System.arraycopy(buffer, position, buffer, 0, limit - position);
            limit -= position;
            position = 0;
        }
        while (limit < n && !sourceEnded) {
            int read = readSource(buffer, limit, buffer.length - limit);
            if (read < 0) {
                sourceEnded = true;
            } else {
                limit += read;
            }
        }
        return limit > position;
    }

    private int readSource(byte[] into, int offset, int length) throws IOException {
        try {
            return source.read(into, offset, length);
        } catch (IOException e) {
            sourceFailure = e;
            throw e;
        }
    }
}
