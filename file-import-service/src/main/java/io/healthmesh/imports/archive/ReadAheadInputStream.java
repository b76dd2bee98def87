package io.healthmesh.imports.archive;

import io.healthmesh.imports.handoff.ThreadHandOff;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Reads a stream ahead on a thread of its own, in chunks of 64 kB, at most four ahead of the
 * reader: inflating export.xml out of a zip runs beside the XML scan instead of inside it (on two
 * cores the scan of a zip had fallen to 0.64 of the plain file's speed once the mapping had a
 * thread of its own).
 *
 * <p>What the source throws (a damaged archive, the zip-bomb guard) is thrown by {@link #read}
 * after the bytes before it, as the source would have thrown it. {@link #stop} ends the reading
 * thread and waits for it, so nothing reads the source afterwards: the caller closes it. Closing
 * this stream only stops it. One reader at a time, like any stream.
 */
public final class ReadAheadInputStream extends InputStream {

    private static final int CHUNK = 64 * 1024;
    private static final int AHEAD = 4;

    /** Bytes read from the source, the end of it, or what it threw. */
    private record Chunk(byte[] bytes, int length, Throwable failure) {
        static final Chunk END = new Chunk(null, -1, null);
    }

    private final InputStream source;
    private final BlockingQueue<Chunk> filled = new ArrayBlockingQueue<>(AHEAD);
    private final BlockingQueue<byte[]> free = new ArrayBlockingQueue<>(AHEAD + 2);
    private final Thread thread;
    private volatile boolean stopped;
    private final byte[] one = new byte[1];
    private Chunk current;
    private int position;

    private ReadAheadInputStream(InputStream source) {
        this.source = source;
        this.thread = new Thread(this::readAhead, "apple-export-read-ahead");
        // The parse that started it stops it before returning; a JVM going down need not wait.
        this.thread.setDaemon(true);
    }

    /** Starts reading {@code source} ahead on a new thread. */
    public static ReadAheadInputStream start(InputStream source) {
        ReadAheadInputStream stream = new ReadAheadInputStream(source);
        stream.thread.start();
        return stream;
    }

    @Override
    public int read() throws IOException {
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        if (length == 0) {
            return 0;
        }
        if (current == null || (current.bytes != null && position == current.length)) {
            if (current != null) {
                free.offer(current.bytes);
            }
            current = next();
            position = 0;
        }
        if (current.failure != null) {
            throw rethrow(current.failure);
        }
        if (current == Chunk.END) {
            return -1;
        }
        int n = Math.min(length, current.length - position);
        System.arraycopy(current.bytes, position, buffer, offset, n);
        position += n;
        return n;
    }

    /** Ends the reading thread and waits until it has ended. */
    public void stop() {
        stopped = true;
        ThreadHandOff.awaitEnd(thread, filled);
    }

    @Override
    public void close() {
        stop();
    }

    private Chunk next() throws IOException {
        Chunk chunk = ThreadHandOff.next(filled, thread);
        if (chunk == null) {
            throw new IOException("the read-ahead of the export stopped without its end");
        }
        return chunk;
    }

    private void readAhead() {
        try {
            while (!stopped) {
                byte[] buffer = free.poll();
                int n = source.read(buffer != null ? buffer : (buffer = new byte[CHUNK]), 0, CHUNK);
                if (n < 0) {
                    handOver(Chunk.END);
                    return;
                }
                if (n > 0) {
                    handOver(new Chunk(buffer, n, null));
                }
            }
        } catch (Throwable e) {
            handOver(new Chunk(null, 0, e));
        }
    }

    private void handOver(Chunk chunk) {
        ThreadHandOff.put(filled, chunk, () -> stopped);
    }

    private static IOException rethrow(Throwable failure) {
        if (failure instanceof IOException io) {
            return io;
        }
        if (failure instanceof RuntimeException runtime) {
            throw runtime;
        }
        if (failure instanceof Error error) {
            throw error;
        }
        return new IOException(failure);
    }
}
