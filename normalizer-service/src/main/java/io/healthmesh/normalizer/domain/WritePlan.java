package io.healthmesh.normalizer.domain;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * What one poll's events write, reduced in log order to one operation per key so a single batch
 * statement per kind can apply it: a later event for a key replaces an earlier one, a deletion
 * cancels the writes before it, and a record tombstone cancels everything of its record before it.
 * Applying record tombstones, then metric and session deletions, then session and metric upserts
 * reproduces the log order's end state.
 */
public final class WritePlan {

    private final Map<MetricKey, MetricRow> metricUpserts = new LinkedHashMap<>();
    private final Map<MetricKey, Instant> metricDeletions = new LinkedHashMap<>();
    private final Map<RecordKey, SessionWrite> sessionUpserts = new LinkedHashMap<>();
    private final Map<RecordKey, Instant> sessionDeletions = new LinkedHashMap<>();
    private final Map<RecordKey, Instant> recordDeletions = new LinkedHashMap<>();
    private final Map<JobEvent, Boolean> outcomes = new LinkedHashMap<>();

    /** A session with the daily metrics derived from it (empty for anything but sleep). */
    public record SessionWrite(SessionRow session, List<MetricRow> derivedMetrics) {
    }

    /** One event of one import job. */
    public record JobEvent(String importJobId, UUID eventId) {
    }

    public void upsertMetric(MetricRow row) {
        metricDeletions.remove(row.key());
        metricUpserts.remove(row.key());
        metricUpserts.put(row.key(), row);
    }

    public void deleteMetric(MetricKey key, Instant occurredAt) {
        metricUpserts.remove(key);
        metricDeletions.merge(key, occurredAt, WritePlan::later);
    }

    public void upsertSession(SessionRow session, List<MetricRow> derivedMetrics) {
        sessionDeletions.remove(session.key());
        sessionUpserts.remove(session.key());
        sessionUpserts.put(session.key(), new SessionWrite(session, List.copyOf(derivedMetrics)));
    }

    public void deleteSession(RecordKey key, Instant occurredAt) {
        sessionUpserts.remove(key);
        sessionDeletions.merge(key, occurredAt, WritePlan::later);
    }

    /** A tombstone without a metric: every metric and the session of the record. */
    public void deleteRecord(RecordKey key, Instant occurredAt) {
        metricUpserts.keySet().removeIf(metric -> metric.recordKey().equals(key));
        metricDeletions.keySet().removeIf(metric -> metric.recordKey().equals(key));
        sessionUpserts.remove(key);
        sessionDeletions.remove(key);
        recordDeletions.merge(key, occurredAt, WritePlan::later);
    }

    /** The latest outcome of an event of an import job wins. */
    public void outcome(String importJobId, UUID eventId, boolean accepted) {
        JobEvent key = new JobEvent(importJobId, eventId);
        outcomes.remove(key);
        outcomes.put(key, accepted);
    }

    public Collection<MetricRow> metricUpserts() {
        return metricUpserts.values();
    }

    public Map<MetricKey, Instant> metricDeletions() {
        return metricDeletions;
    }

    public Collection<SessionWrite> sessionUpserts() {
        return sessionUpserts.values();
    }

    public Map<RecordKey, Instant> sessionDeletions() {
        return sessionDeletions;
    }

    public Map<RecordKey, Instant> recordDeletions() {
        return recordDeletions;
    }

    public Map<JobEvent, Boolean> outcomes() {
        return outcomes;
    }

    /** Metric rows of readings and of sleep sessions together, for one upsert statement. */
    public List<MetricRow> allMetricRows() {
        List<MetricRow> rows = new ArrayList<>(metricUpserts.values());
        for (SessionWrite write : sessionUpserts.values()) {
            for (MetricRow derived : write.derivedMetrics()) {
                // A reading of the same key later in the log would have been planned after; the
                // session's own derivation wins only where no reading wrote that key.
                if (!metricUpserts.containsKey(derived.key())) {
                    rows.add(derived);
                }
            }
        }
        return rows;
    }

    public boolean isEmpty() {
        return metricUpserts.isEmpty() && metricDeletions.isEmpty() && sessionUpserts.isEmpty()
                && sessionDeletions.isEmpty() && recordDeletions.isEmpty() && outcomes.isEmpty();
    }

    private static Instant later(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }
}
