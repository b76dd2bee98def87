package io.healthmesh.demo;

import java.time.LocalDate;
import java.util.Random;

/**
 * Pseudo-random values that depend only on a date and a stream name, so that generating a day
 * again (later today, or as part of a shifted 14-day window) gives the same values.
 * {@link Random}'s algorithm is fixed by its specification, so the sequence is the same on every JVM.
 */
final class DayRandom {

    private final Random random;

    private DayRandom(long seed) {
        this.random = new Random(seed);
    }

    /** A stream per (date, name): sources of the same day draw independently of each other. */
    static DayRandom of(LocalDate date, String stream) {
        long seed = date.toEpochDay() * 0x9E3779B97F4A7C15L ^ stream.hashCode() * 0xC2B2AE3D27D4EB4FL;
        return new DayRandom(seed);
    }

    /** Uniform in [min, max). */
    double between(double min, double max) {
        return min + random.nextDouble() * (max - min);
    }

    /** Uniform in [min, max], both included. */
    int between(int min, int max) {
        return min + random.nextInt(max - min + 1);
    }

    double gaussian(double mean, double standardDeviation) {
        return mean + random.nextGaussian() * standardDeviation;
    }

    boolean chance(double probability) {
        return random.nextDouble() < probability;
    }

    static double round(double value, int decimals) {
        double scale = Math.pow(10, decimals);
        return Math.round(value * scale) / scale;
    }
}
