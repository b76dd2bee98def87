package io.healthmesh.oura.service;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one sync run did: the cursor to store (null keeps the old one), what it published, and what
 * it skipped, by reason, for the log and for tests.
 */
public record SyncOutcome(String cursor, int readings, int sessions, int tombstones, Map<String, Integer> skipped) {

    public SyncOutcome {
        skipped = Collections.unmodifiableMap(new TreeMap<>(skipped));
    }

    /** Collects a run's counts. */
    public static final class Counter {
        int readings;
        int sessions;
        int tombstones;
        final Map<String, Integer> skipped = new TreeMap<>();

        void skip(String reason) {
            skipped.merge(reason, 1, Integer::sum);
        }

        SyncOutcome outcome(String cursor) {
            return new SyncOutcome(cursor, readings, sessions, tombstones, skipped);
        }
    }
}
