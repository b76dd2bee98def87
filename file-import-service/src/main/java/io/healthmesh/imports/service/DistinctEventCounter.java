package io.healthmesh.imports.service;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.UUID;

/**
 * Counts the distinct event ids of a job in bounded memory, however large the file: ids are
 * buffered, each full buffer is sorted and spilled to a run file, and the runs are merged once at
 * the end. An export can hold the same sample twice (device restores); the normalizer counts
 * distinct events, so "published" must too, or a job would never be seen as fully judged.
 */
public final class DistinctEventCounter implements AutoCloseable {

    private final Path directory;
    private final long[] buffer;
    private int size;
    private final List<Path> runs = new ArrayList<>();

    /** {@code capacity} ids in memory (16 bytes each). */
    public DistinctEventCounter(Path directory, int capacity) {
        this.directory = directory;
        this.buffer = new long[capacity * 2];
    }

    public void add(UUID id) {
        if (size == buffer.length) {
            spill();
        }
        buffer[size++] = id.getMostSignificantBits();
        buffer[size++] = id.getLeastSignificantBits();
    }

    public long distinct() {
        if (runs.isEmpty()) {
            sortBuffer();
            long distinct = 0;
            for (int i = 0; i < size; i += 2) {
                if (i == 0 || buffer[i] != buffer[i - 2] || buffer[i + 1] != buffer[i - 1]) {
                    distinct++;
                }
            }
            return distinct;
        }
        spill();
        return mergeRuns();
    }

    private void spill() {
        if (size == 0) {
            return;
        }
        sortBuffer();
        try {
            Path run = Files.createTempFile(directory, "distinct-", ".run");
            try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(run),
                    1 << 16))) {
                for (int i = 0; i < size; i++) {
                    out.writeLong(buffer[i]);
                }
            }
            runs.add(run);
            size = 0;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot spill event ids to " + directory, e);
        }
    }

    /**
     * Sorts the buffered ids in place, as (most, least significant) pairs: a three-way quicksort on
     * the pairs of the primitive buffer (no object per id; repeated ids, which exports do hold, fall
     * into the middle part at once), insertion sort for short ranges.
     */
    private void sortBuffer() {
        sortPairs(buffer, 0, size / 2 - 1);
    }

    private static void sortPairs(long[] a, int low, int high) {
        while (high - low > 16) {
            int middle = (low + high) >>> 1;
            long pivotMost = a[2 * middle];
            long pivotLeast = a[2 * middle + 1];
            int lt = low;
            int gt = high;
            int i = low;
            while (i <= gt) {
                int c = comparePair(a, i, pivotMost, pivotLeast);
                if (c < 0) {
                    swapPairs(a, lt++, i++);
                } else if (c > 0) {
                    swapPairs(a, i, gt--);
                } else {
                    i++;
                }
            }
            // Recurse into the smaller side, loop on the larger: the stack stays logarithmic.
            if (lt - low < high - gt) {
                sortPairs(a, low, lt - 1);
                low = gt + 1;
            } else {
                sortPairs(a, gt + 1, high);
                high = lt - 1;
            }
        }
        for (int i = low + 1; i <= high; i++) {
            long most = a[2 * i];
            long least = a[2 * i + 1];
            int j = i - 1;
            while (j >= low && comparePair(a, j, most, least) > 0) {
                a[2 * j + 2] = a[2 * j];
                a[2 * j + 3] = a[2 * j + 1];
                j--;
            }
            a[2 * j + 2] = most;
            a[2 * j + 3] = least;
        }
    }

    private static int comparePair(long[] a, int pair, long most, long least) {
        int first = Long.compare(a[2 * pair], most);
        return first != 0 ? first : Long.compare(a[2 * pair + 1], least);
    }

    private static void swapPairs(long[] a, int x, int y) {
        long most = a[2 * x];
        long least = a[2 * x + 1];
        a[2 * x] = a[2 * y];
        a[2 * x + 1] = a[2 * y + 1];
        a[2 * y] = most;
        a[2 * y + 1] = least;
    }

    private long mergeRuns() {
        PriorityQueue<RunReader> heads = new PriorityQueue<>((a, b) -> compare(a.current, b.current));
        try {
            for (Path run : runs) {
                RunReader reader = new RunReader(run);
                if (reader.advance()) {
                    heads.add(reader);
                } else {
                    reader.close();
                }
            }
            long distinct = 0;
            long[] previous = null;
            while (!heads.isEmpty()) {
                RunReader smallest = heads.poll();
                if (previous == null || compare(previous, smallest.current) != 0) {
                    distinct++;
                    previous = smallest.current.clone();
                }
                if (smallest.advance()) {
                    heads.add(smallest);
                } else {
                    smallest.close();
                }
            }
            return distinct;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot merge the spilled event ids", e);
        } finally {
            heads.forEach(RunReader::close);
        }
    }

    private static int compare(long[] a, long[] b) {
        int first = Long.compare(a[0], b[0]);
        return first != 0 ? first : Long.compare(a[1], b[1]);
    }

    @Override
    public void close() {
        for (Path run : runs) {
            try {
                Files.deleteIfExists(run);
            } catch (IOException e) {
                // a leftover run file in the job's scratch folder is removed with the folder
            }
        }
        runs.clear();
    }

    private static final class RunReader {
        private final DataInputStream in;
        private final long[] current = new long[2];

        RunReader(Path run) throws IOException {
            this.in = new DataInputStream(new BufferedInputStream(Files.newInputStream(run), 1 << 16));
        }

        boolean advance() throws IOException {
            try {
                current[0] = in.readLong();
                current[1] = in.readLong();
                return true;
            } catch (EOFException end) {
                return false;
            }
        }

        void close() {
            try {
                in.close();
            } catch (IOException e) {
                // reading is over either way
            }
        }
    }
}
