package io.healthmesh.imports.apple;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a parse read and made of it.
 *
 * <p>The counts do not add up to each other by design: one ActivitySummary gives up to three
 * readings, many sleep records give one session, a skipped correlation child is not a top-level
 * element.
 *
 * @param recordsRead elements read directly under {@code HealthData}, of every kind
 * @param readings readings emitted
 * @param sessions sessions emitted (sleep, naps, workouts, mindfulness)
 * @param skippedByReason things read and not imported, by {@link SkipReason} key, sorted by key
 */
public record ParseSummary(long recordsRead, long readings, long sessions, Map<String, Long> skippedByReason) {

    public ParseSummary {
        skippedByReason = Collections.unmodifiableMap(new TreeMap<>(skippedByReason));
    }

    public long skipped() {
        return skippedByReason.values().stream().mapToLong(Long::longValue).sum();
    }

    public long skipped(String reason) {
        return skippedByReason.getOrDefault(reason, 0L);
    }
}
