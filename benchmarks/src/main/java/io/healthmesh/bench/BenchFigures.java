package io.healthmesh.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;

/**
 * Each benchmark's headline figures, one line per figure beside its floor, appended to the file
 * named by {@code HEALTHMESH_BENCH_FIGURES} (tab-separated) when it is set: what
 * {@code benchmarks/run-all.sh} turns into one report ({@link BenchReport}). Without the variable
 * nothing is written; the benchmarks print their own tables either way.
 */
final class BenchFigures {

    static final String ENVIRONMENT = "HEALTHMESH_BENCH_FIGURES";
    static final String HEADER = "bench\tfigure\tvalue\tunit\tfloor\tfloor_value\tratio\ttarget\tmet";

    private BenchFigures() {
    }

    /**
     * A figure compared with its floor: {@code ratio} is the benchmark's own (value / floor, or
     * floor / value for latencies), {@code target} as the issue states it ("&gt;= 0.70",
     * "&lt;= 1.5").
     */
    static void ratio(String bench, String figure, double value, String unit, String floor, double floorValue,
            double ratio, String target, boolean met) {
        append(String.join("\t", bench, figure, number(value), unit, floor, number(floorValue),
                String.format(Locale.ROOT, "%.2f", ratio), target, met ? "ok" : "MISS"));
    }

    /** A figure with a limit but no floor (memory growth, rows written by a replay). */
    static void limit(String bench, String figure, double value, String unit, String target, boolean met) {
        append(String.join("\t", bench, figure, number(value), unit, "", "", "", target, met ? "ok" : "MISS"));
    }

    private static String number(double value) {
        return Double.isNaN(value) ? "" : String.format(Locale.ROOT, "%.3f", value);
    }

    private static synchronized void append(String line) {
        String file = System.getenv(ENVIRONMENT);
        if (file == null || file.isBlank()) {
            return;
        }
        Path path = Path.of(file);
        try {
            if (!Files.exists(path)) {
                Files.writeString(path, HEADER + "\n", StandardCharsets.UTF_8);
            }
            Files.writeString(path, line.replace('\n', ' ') + "\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to " + path, e);
        }
    }
}
