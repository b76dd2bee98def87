package io.healthmesh.imports.archive;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;

/**
 * The bytes of export.xml, from a bare upload or inflated out of export.zip, with what a job needs
 * to report progress. Closing it closes the zip.
 *
 * <p>For a zip it is also the zip-bomb guard: it counts the bytes actually inflated (declared sizes
 * are not trusted) and fails with {@link HostileArchiveException} as soon as they pass the limit.
 * Not thread-safe, like any stream; {@link #compressedBytesRead()} may be read from another thread
 * for progress (it is only ever slightly stale).
 */
public final class ExportStream extends InputStream {

    private final InputStream in;
    private final Closeable owner;
    private final long totalBytes;
    private final long maxBytes;
    private final String limitExceededMessage;
    private final long compressedSize;
    private final double compressedPerInflatedByte;
    private volatile long bytesRead;
    private volatile boolean ended;

    private ExportStream(InputStream in, Closeable owner, long totalBytes, long maxBytes,
            String limitExceededMessage, long compressedSize, double compressedPerInflatedByte) {
        this.in = in;
        this.owner = owner;
        this.totalBytes = totalBytes;
        this.maxBytes = maxBytes;
        this.limitExceededMessage = limitExceededMessage;
        this.compressedSize = compressedSize;
        this.compressedPerInflatedByte = compressedPerInflatedByte;
    }

    static ExportStream bare(InputStream file, long fileSize) {
        return new ExportStream(file, file, fileSize, Long.MAX_VALUE, null, fileSize, 1.0);
    }

    /**
     * @param maxInflatedBytes inflating more than this is a zip bomb
     * @param compressedSize the entry's compressed size, for the progress estimate
     * @param declaredSize the entry's declared inflated size, for the progress estimate
     */
    static ExportStream zipEntry(InputStream entry, Closeable zip, long uploadSize, long maxInflatedBytes,
            String limitExceededMessage, long compressedSize, long declaredSize) {
        double ratio = declaredSize > 0 ? (double) compressedSize / declaredSize : 0;
        return new ExportStream(entry, zip, uploadSize, maxInflatedBytes, limitExceededMessage, compressedSize,
                ratio);
    }

    /**
     * Bytes of the upload consumed so far. For a zip this is estimated from the bytes inflated and
     * the entry's declared sizes (the JDK does not expose the compressed position); it reaches the
     * entry's compressed size at its end, which is less than {@link #totalBytes()} by the other
     * entries (routes, ECGs), which are never read.
     */
    public long compressedBytesRead() {
        if (ended) {
            return compressedSize;
        }
        long estimate = (long) (bytesRead * compressedPerInflatedByte);
        return Math.min(estimate, compressedSize);
    }

    /** True when the bytes are inflated out of a zip (reading them costs CPU, not just a copy). */
    public boolean inflates() {
        return owner != in;
    }

    /** The size of the uploaded file. */
    public long totalBytes() {
        return totalBytes;
    }

    /** Bytes of export.xml delivered so far (inflated bytes for a zip). */
    public long bytesRead() {
        return bytesRead;
    }

    @Override
    public int read() throws IOException {
        int b = in.read();
        if (b < 0) {
            ended = true;
        } else {
            count(1);
        }
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        int n = in.read(buffer, offset, length);
        if (n < 0) {
            ended = true;
        } else {
            count(n);
        }
        return n;
    }

    @Override
    public int available() throws IOException {
        return in.available();
    }

    @Override
    public void close() throws IOException {
        try {
            in.close();
        } finally {
            if (owner != in) {
                owner.close();
            }
        }
    }

    private void count(int n) throws HostileArchiveException {
        long total = bytesRead + n;
        bytesRead = total;
        if (total > maxBytes) {
            throw new HostileArchiveException(ExportRejectedException.Reason.ZIP_BOMB, limitExceededMessage);
        }
    }
}
