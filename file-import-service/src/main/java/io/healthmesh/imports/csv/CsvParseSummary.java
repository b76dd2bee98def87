package io.healthmesh.imports.csv;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a parse read and made of it.
 *
 * @param rowsRead data rows read (header and blank rows not counted)
 * @param readings readings emitted
 * @param skippedByReason skip events by {@link CsvSkipReason} slug, sorted by slug; one row can give several
 *     (one per unusable value), so these do not add up to rows
 */
public record CsvParseSummary(long rowsRead, long readings, Map<String, Long> skippedByReason) {

    public CsvParseSummary {
        skippedByReason = Collections.unmodifiableMap(new TreeMap<>(skippedByReason));
    }

    public long skipped() {
        return skippedByReason.values().stream().mapToLong(Long::longValue).sum();
    }

    public long skipped(String reason) {
        return skippedByReason.getOrDefault(reason, 0L);
    }
}
