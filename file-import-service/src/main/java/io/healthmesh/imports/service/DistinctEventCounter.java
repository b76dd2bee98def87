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
import java.util.Arrays;
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
            long[][] pairs = sortedPairs();
            return countDistinct(pairs);
        }
        spill();
        return mergeRuns();
    }

    private long[][] sortedPairs() {
        long[][] pairs = new long[size / 2][];
        for (int i = 0; i < size; i += 2) {
            pairs[i / 2] = new long[] {buffer[i], buffer[i + 1]};
        }
        Arrays.sort(pairs, DistinctEventCounter::compare);
        return pairs;
    }

    private static long countDistinct(long[][] sorted) {
        long distinct = 0;
        for (int i = 0; i < sorted.length; i++) {
            if (i == 0 || compare(sorted[i], sorted[i - 1]) != 0) {
                distinct++;
            }
        }
        return distinct;
    }

    private void spill() {
        if (size == 0) {
            return;
        }
        long[][] sorted = sortedPairs();
        try {
            Path run = Files.createTempFile(directory, "distinct-", ".run");
            try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(run),
                    1 << 16))) {
                for (long[] pair : sorted) {
                    out.writeLong(pair[0]);
                    out.writeLong(pair[1]);
                }
            }
            runs.add(run);
            size = 0;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot spill event ids to " + directory, e);
        }
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
