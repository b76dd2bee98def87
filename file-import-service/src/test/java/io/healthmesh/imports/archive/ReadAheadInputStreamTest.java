package io.healthmesh.imports.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.healthmesh.imports.archive.ExportRejectedException.Reason;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ReadAheadInputStreamTest {

    private static byte[] randomBytes(int size) {
        byte[] bytes = new byte[size];
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < size; i++) {
            bytes[i] = (byte) random.nextInt(256);
        }
        return bytes;
    }

    /** A source that hands out at most {@code step} bytes per read, then throws {@code failure} at {@code failAt}. */
    private static InputStream source(byte[] bytes, int step, int failAt, IOException failure) {
        return new InputStream() {
            private int position;

            @Override
            public int read() {
                throw new UnsupportedOperationException("reads in chunks");
            }

            @Override
            public int read(byte[] buffer, int offset, int length) throws IOException {
                if (position == failAt) {
                    throw failure;
                }
                if (position == bytes.length) {
                    return -1;
                }
                int n = Math.min(Math.min(length, step), Math.min(bytes.length, failAt) - position);
                System.arraycopy(bytes, position, buffer, offset, n);
                position += n;
                return n;
            }
        };
    }

    @Test
    void hasTheSourcesBytesWhateverTheReadSizes() throws IOException {
        byte[] bytes = randomBytes(1_000_003);
        ReadAheadInputStream ahead = ReadAheadInputStream.start(source(bytes, 10_007, Integer.MAX_VALUE, null));
        ByteArrayOutputStream read = new ByteArrayOutputStream();
        byte[] buffer = new byte[70_001];
        SplittableRandom sizes = new SplittableRandom(3);
        try {
            while (true) {
                if (sizes.nextInt(10) == 0) {
                    int b = ahead.read();
                    if (b < 0) {
                        break;
                    }
                    read.write(b);
                    continue;
                }
                int n = ahead.read(buffer, 1, 1 + sizes.nextInt(buffer.length - 1));
                if (n < 0) {
                    break;
                }
                read.write(buffer, 1, n);
            }
            assertThat(read.toByteArray()).isEqualTo(bytes);
            assertThat(ahead.read()).isEqualTo(-1);
        } finally {
            ahead.stop();
        }
    }

    @Test
    void whatTheSourceThrowsComesAfterTheBytesBeforeIt() throws IOException {
        byte[] bytes = randomBytes(300_000);
        HostileArchiveException bomb = new HostileArchiveException(Reason.ZIP_BOMB, "inflates past the limit");
        ReadAheadInputStream ahead = ReadAheadInputStream.start(source(bytes, 65_536, 200_000, bomb));
        try {
            byte[] delivered = new byte[200_000];
            int at = 0;
            while (at < delivered.length) {
                at += ahead.read(delivered, at, delivered.length - at);
            }
            assertThat(delivered).isEqualTo(Arrays.copyOf(bytes, 200_000));
            assertThatThrownBy(() -> ahead.read(new byte[10], 0, 10)).isSameAs(bomb);
            assertThatThrownBy(ahead::read).as("and on every read after").isSameAs(bomb);
        } finally {
            ahead.stop();
        }
    }

    @Test
    void stoppingEndsTheReadingThreadBeforeReturning() throws IOException {
        AtomicInteger readsAfterStop = new AtomicInteger();
        AtomicBoolean stopped = new AtomicBoolean();
        InputStream endless = new InputStream() {
            @Override
            public int read() {
                return 0;
            }

            @Override
            public int read(byte[] buffer, int offset, int length) {
                if (stopped.get()) {
                    readsAfterStop.incrementAndGet();
                }
                return length;
            }
        };
        ReadAheadInputStream ahead = ReadAheadInputStream.start(endless);
        assertThat(ahead.read(new byte[100], 0, 100)).isEqualTo(100);

        ahead.stop();
        stopped.set(true);
        // A stopped stream's thread has ended (stop joined it): reading once more finds no chunk to come.
        byte[] rest = new byte[1 << 20];
        assertThatThrownBy(() -> {
            while (ahead.read(rest, 0, rest.length) >= 0) {
                // what was already read ahead
            }
        }).isInstanceOf(IOException.class).hasMessageContaining("stopped without its end");
        assertThat(readsAfterStop).hasValue(0);
    }

    @Test
    void readsFromAnEmptySourceEndAtOnce() throws IOException {
        ReadAheadInputStream ahead = ReadAheadInputStream.start(new ByteArrayInputStream(new byte[0]));
        try {
            assertThat(ahead.read(new byte[8], 0, 8)).isEqualTo(-1);
            assertThat(ahead.read(new byte[8], 0, 0)).isZero();
        } finally {
            ahead.stop();
        }
    }
}
