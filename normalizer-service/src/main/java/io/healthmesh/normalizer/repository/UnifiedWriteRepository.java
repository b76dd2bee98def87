package io.healthmesh.normalizer.repository;

import io.healthmesh.contracts.event.IngestOutcome;
import io.healthmesh.normalizer.domain.MetricKey;
import io.healthmesh.normalizer.domain.MetricRow;
import io.healthmesh.normalizer.domain.RecordKey;
import io.healthmesh.normalizer.domain.SessionRow;
import io.healthmesh.normalizer.domain.WritePlan;
import io.smallrye.mutiny.Uni;
import io.vertx.pgclient.PgException;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

/**
 * Applies a {@link WritePlan} in one transaction, one statement per kind of change, with arrays
 * passed to {@code unnest} (never a round trip per row). Upserts change a row only when the event
 * is at least as recent as what is stored and something really differs, so a replay writes
 * nothing; deletions leave tombstones so an older replayed event cannot bring a row back.
 */
@ApplicationScoped
public class UnifiedWriteRepository {

    private static final String DELETE_RECORDS = """
            WITH t AS (
                SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[])
                    AS t(user_id, source, source_record_id, occurred_at)),
            tombstones AS (
                INSERT INTO record_tombstone (user_id, source, source_record_id, metric, occurred_at)
                SELECT user_id, source, source_record_id, '*', occurred_at FROM t
                ON CONFLICT (user_id, source, source_record_id, metric) DO UPDATE
                    SET occurred_at = EXCLUDED.occurred_at
                    WHERE record_tombstone.occurred_at < EXCLUDED.occurred_at),
            metrics AS (
                DELETE FROM unified_metric m USING t
                WHERE m.user_id = t.user_id AND m.source = t.source AND m.source_record_id = t.source_record_id
                  AND m.occurred_at <= t.occurred_at)
            DELETE FROM health_session s USING t
            WHERE s.user_id = t.user_id AND s.source = t.source AND s.source_record_id = t.source_record_id
              AND s.occurred_at <= t.occurred_at
            """;

    private static final String DELETE_METRICS = """
            WITH t AS (
                SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::timestamptz[])
                    AS t(user_id, source, source_record_id, metric, occurred_at)),
            tombstones AS (
                INSERT INTO record_tombstone (user_id, source, source_record_id, metric, occurred_at)
                SELECT user_id, source, source_record_id, metric, occurred_at FROM t
                ON CONFLICT (user_id, source, source_record_id, metric) DO UPDATE
                    SET occurred_at = EXCLUDED.occurred_at
                    WHERE record_tombstone.occurred_at < EXCLUDED.occurred_at)
            DELETE FROM unified_metric m USING t
            WHERE m.user_id = t.user_id AND m.source = t.source AND m.source_record_id = t.source_record_id
              AND m.metric = t.metric AND m.occurred_at <= t.occurred_at
            """;

    private static final String DELETE_SESSIONS = """
            WITH t AS (
                SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[])
                    AS t(user_id, source, source_record_id, occurred_at)),
            tombstones AS (
                INSERT INTO record_tombstone (user_id, source, source_record_id, metric, occurred_at)
                SELECT user_id, source, source_record_id, 'session', occurred_at FROM t
                ON CONFLICT (user_id, source, source_record_id, metric) DO UPDATE
                    SET occurred_at = EXCLUDED.occurred_at
                    WHERE record_tombstone.occurred_at < EXCLUDED.occurred_at),
            derived AS (
                DELETE FROM unified_metric m USING t
                WHERE m.user_id = t.user_id AND m.source = t.source AND m.source_record_id = t.source_record_id
                  AND m.derived_from_session AND m.occurred_at <= t.occurred_at)
            DELETE FROM health_session s USING t
            WHERE s.user_id = t.user_id AND s.source = t.source AND s.source_record_id = t.source_record_id
              AND s.occurred_at <= t.occurred_at
            """;

    private static final String UPSERT_SESSIONS = """
            INSERT INTO health_session (user_id, source, source_record_id, type, start_time, end_time, utc_offset,
                local_date, zone, device, app, details, quality, quality_reasons, event_id, import_job_id, occurred_at)
            SELECT i.user_id, i.source, i.source_record_id, i.type, i.start_time, i.end_time, i.utc_offset,
                   i.local_date, i.zone, i.device, i.app, i.details::jsonb, i.quality, i.quality_reasons::jsonb,
                   i.event_id, i.import_job_id, i.occurred_at
            FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::timestamptz[], $6::timestamptz[],
                        $7::int[], $8::date[], $9::text[], $10::text[], $11::text[], $12::text[], $13::float8[],
                        $14::text[], $15::uuid[], $16::text[], $17::timestamptz[])
                AS i(user_id, source, source_record_id, type, start_time, end_time, utc_offset, local_date, zone,
                     device, app, details, quality, quality_reasons, event_id, import_job_id, occurred_at)
            WHERE NOT EXISTS (
                SELECT 1 FROM record_tombstone t
                WHERE t.user_id = i.user_id AND t.source = i.source AND t.source_record_id = i.source_record_id
                  AND t.metric IN ('*', 'session') AND t.occurred_at >= i.occurred_at)
            ON CONFLICT ON CONSTRAINT health_session_natural_key DO UPDATE SET
                type = EXCLUDED.type, start_time = EXCLUDED.start_time, end_time = EXCLUDED.end_time,
                utc_offset = EXCLUDED.utc_offset, local_date = EXCLUDED.local_date, zone = EXCLUDED.zone,
                device = EXCLUDED.device, app = EXCLUDED.app, details = EXCLUDED.details,
                quality = EXCLUDED.quality, quality_reasons = EXCLUDED.quality_reasons,
                event_id = EXCLUDED.event_id, import_job_id = EXCLUDED.import_job_id,
                occurred_at = EXCLUDED.occurred_at, updated_at = now()
            WHERE EXCLUDED.occurred_at >= health_session.occurred_at
              AND (health_session.type, health_session.start_time, health_session.end_time, health_session.utc_offset,
                   health_session.local_date, health_session.zone, health_session.device, health_session.app,
                   health_session.details, health_session.quality, health_session.quality_reasons)
                  IS DISTINCT FROM
                  (EXCLUDED.type, EXCLUDED.start_time, EXCLUDED.end_time, EXCLUDED.utc_offset, EXCLUDED.local_date,
                   EXCLUDED.zone, EXCLUDED.device, EXCLUDED.app, EXCLUDED.details, EXCLUDED.quality,
                   EXCLUDED.quality_reasons)
            """;

    /** Derived sleep metrics a session no longer has (a changed night, a sleep turned nap). */
    private static final String DELETE_STALE_DERIVED = """
            DELETE FROM unified_metric m
            USING unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::timestamptz[])
                AS s(user_id, source, source_record_id, kept, occurred_at)
            WHERE m.user_id = s.user_id AND m.source = s.source AND m.source_record_id = s.source_record_id
              AND m.derived_from_session AND m.occurred_at <= s.occurred_at
              AND NOT (m.metric = ANY (string_to_array(s.kept, ',')))
            """;

    private static final String UPSERT_METRICS = """
            INSERT INTO unified_metric (user_id, source, source_record_id, metric, category, value, unit,
                original_value, original_unit, aggregation, start_time, end_time, utc_offset, local_date, zone,
                device, app, user_entered, quality, quality_reasons, event_id, import_job_id,
                derived_from_session, occurred_at)
            SELECT i.user_id, i.source, i.source_record_id, i.metric, i.category, i.value, i.unit, i.original_value,
                   i.original_unit, i.aggregation, i.start_time, i.end_time, i.utc_offset, i.local_date, i.zone,
                   i.device, i.app, i.user_entered, i.quality, i.quality_reasons::jsonb, i.event_id,
                   i.import_job_id, i.derived_from_session, i.occurred_at
            FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::float8[], $7::text[],
                        $8::float8[], $9::text[], $10::text[], $11::timestamptz[], $12::timestamptz[], $13::int[],
                        $14::date[], $15::text[], $16::text[], $17::text[], $18::boolean[], $19::float8[],
                        $20::text[], $21::uuid[], $22::text[], $23::boolean[], $24::timestamptz[])
                AS i(user_id, source, source_record_id, metric, category, value, unit, original_value,
                     original_unit, aggregation, start_time, end_time, utc_offset, local_date, zone, device, app,
                     user_entered, quality, quality_reasons, event_id, import_job_id, derived_from_session,
                     occurred_at)
            WHERE NOT EXISTS (
                SELECT 1 FROM record_tombstone t
                WHERE t.user_id = i.user_id AND t.source = i.source AND t.source_record_id = i.source_record_id
                  AND (t.metric IN ('*', i.metric) OR (i.derived_from_session AND t.metric = 'session'))
                  AND t.occurred_at >= i.occurred_at)
            ON CONFLICT ON CONSTRAINT unified_metric_natural_key DO UPDATE SET
                category = EXCLUDED.category, value = EXCLUDED.value, unit = EXCLUDED.unit,
                original_value = EXCLUDED.original_value, original_unit = EXCLUDED.original_unit,
                aggregation = EXCLUDED.aggregation, start_time = EXCLUDED.start_time, end_time = EXCLUDED.end_time,
                utc_offset = EXCLUDED.utc_offset, local_date = EXCLUDED.local_date, zone = EXCLUDED.zone,
                device = EXCLUDED.device, app = EXCLUDED.app, user_entered = EXCLUDED.user_entered,
                quality = EXCLUDED.quality, quality_reasons = EXCLUDED.quality_reasons,
                event_id = EXCLUDED.event_id, import_job_id = EXCLUDED.import_job_id,
                derived_from_session = EXCLUDED.derived_from_session, occurred_at = EXCLUDED.occurred_at,
                updated_at = now()
            WHERE EXCLUDED.occurred_at >= unified_metric.occurred_at
              AND (unified_metric.category, unified_metric.value, unified_metric.unit, unified_metric.original_value,
                   unified_metric.original_unit, unified_metric.aggregation, unified_metric.start_time,
                   unified_metric.end_time, unified_metric.utc_offset, unified_metric.local_date, unified_metric.zone,
                   unified_metric.device, unified_metric.app, unified_metric.user_entered, unified_metric.quality,
                   unified_metric.quality_reasons, unified_metric.derived_from_session)
                  IS DISTINCT FROM
                  (EXCLUDED.category, EXCLUDED.value, EXCLUDED.unit, EXCLUDED.original_value, EXCLUDED.original_unit,
                   EXCLUDED.aggregation, EXCLUDED.start_time, EXCLUDED.end_time, EXCLUDED.utc_offset,
                   EXCLUDED.local_date, EXCLUDED.zone, EXCLUDED.device, EXCLUDED.app, EXCLUDED.user_entered,
                   EXCLUDED.quality, EXCLUDED.quality_reasons, EXCLUDED.derived_from_session)
            """;

    /**
     * Records the latest outcome per (job, event) and moves the job's totals by exactly what
     * changed, so a redelivered event leaves the counts as they were.
     */
    private static final String RECORD_OUTCOMES = """
            WITH incoming AS (
                SELECT * FROM unnest($1::text[], $2::uuid[], $3::boolean[]) AS i(import_job_id, event_id, accepted)),
            previous AS (
                SELECT o.import_job_id, o.event_id, o.accepted
                FROM import_event_outcome o JOIN incoming i USING (import_job_id, event_id)),
            changed AS (
                INSERT INTO import_event_outcome (import_job_id, event_id, accepted)
                SELECT import_job_id, event_id, accepted FROM incoming
                ON CONFLICT (import_job_id, event_id) DO UPDATE SET accepted = EXCLUDED.accepted
                    WHERE import_event_outcome.accepted IS DISTINCT FROM EXCLUDED.accepted
                RETURNING import_job_id, event_id, accepted),
            deltas AS (
                SELECT c.import_job_id,
                       sum((CASE WHEN c.accepted THEN 1 ELSE 0 END) - (CASE WHEN p.accepted THEN 1 ELSE 0 END)) AS accepted,
                       sum((CASE WHEN c.accepted THEN 0 ELSE 1 END) - (CASE WHEN NOT p.accepted THEN 1 ELSE 0 END)) AS rejected
                FROM changed c LEFT JOIN previous p USING (import_job_id, event_id)
                GROUP BY c.import_job_id)
            INSERT INTO import_job_outcome (import_job_id, accepted, rejected, updated_at)
            SELECT import_job_id, accepted, rejected, now() FROM deltas
            ON CONFLICT (import_job_id) DO UPDATE SET
                accepted = import_job_outcome.accepted + EXCLUDED.accepted,
                rejected = import_job_outcome.rejected + EXCLUDED.rejected,
                updated_at = now()
            """;

    private static final String JOB_TOTALS = """
            SELECT import_job_id, accepted, rejected, updated_at FROM import_job_outcome
            WHERE import_job_id = ANY ($1::text[])
            """;

    private final Pool pool;

    public UnifiedWriteRepository(Pool pool) {
        this.pool = pool;
    }

    /** Applies the plan atomically; answers the current totals of every import job it touched. */
    public Uni<List<IngestOutcome>> apply(WritePlan plan) {
        if (plan.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return pool.withTransaction(connection -> deleteRecords(connection, plan.recordDeletions())
                .chain(() -> deleteMetrics(connection, plan.metricDeletions()))
                .chain(() -> deleteSessions(connection, plan.sessionDeletions()))
                .chain(() -> upsertSessions(connection, plan.sessionUpserts()))
                .chain(() -> upsertMetrics(connection, plan.allMetricRows()))
                .chain(() -> recordOutcomes(connection, plan.outcomes())));
    }

    /**
     * Whether PostgreSQL refused the data itself (SQL state classes 22 data exception and 23
     * integrity violation, e.g. a NUL character in text) rather than being unavailable: retrying
     * the same data cannot help.
     */
    public static boolean isDataError(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof PgException pg && pg.getSqlState() != null
                    && (pg.getSqlState().startsWith("22") || pg.getSqlState().startsWith("23"))) {
                return true;
            }
        }
        return false;
    }

    private static Uni<Void> deleteRecords(SqlConnection connection, Map<RecordKey, Instant> deletions) {
        if (deletions.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        Collection<Map.Entry<RecordKey, Instant>> entries = deletions.entrySet();
        return execute(connection, DELETE_RECORDS, List.of(
                column(entries, e -> e.getKey().userId(), String.class),
                column(entries, e -> e.getKey().source(), String.class),
                column(entries, e -> e.getKey().sourceRecordId(), String.class),
                column(entries, e -> utc(e.getValue()), OffsetDateTime.class)));
    }

    private static Uni<Void> deleteMetrics(SqlConnection connection, Map<MetricKey, Instant> deletions) {
        if (deletions.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        Collection<Map.Entry<MetricKey, Instant>> entries = deletions.entrySet();
        return execute(connection, DELETE_METRICS, List.of(
                column(entries, e -> e.getKey().userId(), String.class),
                column(entries, e -> e.getKey().source(), String.class),
                column(entries, e -> e.getKey().sourceRecordId(), String.class),
                column(entries, e -> e.getKey().metric(), String.class),
                column(entries, e -> utc(e.getValue()), OffsetDateTime.class)));
    }

    private static Uni<Void> deleteSessions(SqlConnection connection, Map<RecordKey, Instant> deletions) {
        if (deletions.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        Collection<Map.Entry<RecordKey, Instant>> entries = deletions.entrySet();
        return execute(connection, DELETE_SESSIONS, List.of(
                column(entries, e -> e.getKey().userId(), String.class),
                column(entries, e -> e.getKey().source(), String.class),
                column(entries, e -> e.getKey().sourceRecordId(), String.class),
                column(entries, e -> utc(e.getValue()), OffsetDateTime.class)));
    }

    private static Uni<Void> upsertSessions(SqlConnection connection, Collection<WritePlan.SessionWrite> writes) {
        if (writes.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<SessionRow> rows = writes.stream().map(WritePlan.SessionWrite::session).toList();
        Uni<Void> sessions = execute(connection, UPSERT_SESSIONS, List.of(
                column(rows, SessionRow::userId, String.class),
                column(rows, SessionRow::source, String.class),
                column(rows, SessionRow::sourceRecordId, String.class),
                column(rows, SessionRow::type, String.class),
                column(rows, r -> utc(r.start()), OffsetDateTime.class),
                column(rows, r -> utc(r.end()), OffsetDateTime.class),
                column(rows, SessionRow::utcOffsetSeconds, Integer.class),
                column(rows, SessionRow::localDate, LocalDate.class),
                column(rows, SessionRow::zone, String.class),
                column(rows, SessionRow::device, String.class),
                column(rows, SessionRow::app, String.class),
                column(rows, SessionRow::details, String.class),
                column(rows, SessionRow::quality, Double.class),
                column(rows, SessionRow::qualityReasons, String.class),
                column(rows, SessionRow::eventId, UUID.class),
                column(rows, SessionRow::importJobId, String.class),
                column(rows, r -> utc(r.occurredAt()), OffsetDateTime.class)));
        List<WritePlan.SessionWrite> all = List.copyOf(writes);
        return sessions.chain(() -> execute(connection, DELETE_STALE_DERIVED, List.of(
                column(all, w -> w.session().userId(), String.class),
                column(all, w -> w.session().source(), String.class),
                column(all, w -> w.session().sourceRecordId(), String.class),
                column(all, w -> String.join(",", w.derivedMetrics().stream().map(MetricRow::metric).toList()),
                        String.class),
                column(all, w -> utc(w.session().occurredAt()), OffsetDateTime.class))));
    }

    private static Uni<Void> upsertMetrics(SqlConnection connection, List<MetricRow> rows) {
        if (rows.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return execute(connection, UPSERT_METRICS, List.of(
                column(rows, MetricRow::userId, String.class),
                column(rows, MetricRow::source, String.class),
                column(rows, MetricRow::sourceRecordId, String.class),
                column(rows, MetricRow::metric, String.class),
                column(rows, MetricRow::category, String.class),
                column(rows, MetricRow::value, Double.class),
                column(rows, MetricRow::unit, String.class),
                column(rows, MetricRow::originalValue, Double.class),
                column(rows, MetricRow::originalUnit, String.class),
                column(rows, r -> r.aggregation().code(), String.class),
                column(rows, r -> utc(r.start()), OffsetDateTime.class),
                column(rows, r -> utc(r.end()), OffsetDateTime.class),
                column(rows, MetricRow::utcOffsetSeconds, Integer.class),
                column(rows, MetricRow::localDate, LocalDate.class),
                column(rows, MetricRow::zone, String.class),
                column(rows, MetricRow::device, String.class),
                column(rows, MetricRow::app, String.class),
                column(rows, MetricRow::userEntered, Boolean.class),
                column(rows, MetricRow::quality, Double.class),
                column(rows, MetricRow::qualityReasons, String.class),
                column(rows, MetricRow::eventId, UUID.class),
                column(rows, MetricRow::importJobId, String.class),
                column(rows, MetricRow::derivedFromSession, Boolean.class),
                column(rows, r -> utc(r.occurredAt()), OffsetDateTime.class)));
    }

    private static Uni<List<IngestOutcome>> recordOutcomes(SqlConnection connection,
            Map<WritePlan.JobEvent, Boolean> outcomes) {
        if (outcomes.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        Collection<Map.Entry<WritePlan.JobEvent, Boolean>> entries = outcomes.entrySet();
        Set<String> jobs = new LinkedHashSet<>();
        entries.forEach(e -> jobs.add(e.getKey().importJobId()));
        return execute(connection, RECORD_OUTCOMES, List.of(
                column(entries, e -> e.getKey().importJobId(), String.class),
                column(entries, e -> e.getKey().eventId(), UUID.class),
                column(entries, Map.Entry::getValue, Boolean.class)))
                .chain(() -> connection.preparedQuery(JOB_TOTALS)
                        .execute(Tuple.of(jobs.toArray(String[]::new))))
                .map(rows -> {
                    List<IngestOutcome> totals = new ArrayList<>();
                    for (Row row : rows) {
                        totals.add(new IngestOutcome(row.getString("import_job_id"), row.getLong("accepted"),
                                row.getLong("rejected"), row.getOffsetDateTime("updated_at")));
                    }
                    return totals;
                });
    }

    private static Uni<Void> execute(SqlConnection connection, String sql, List<Object> arrays) {
        return connection.preparedQuery(sql).execute(Tuple.tuple(arrays)).replaceWithVoid();
    }

    @SuppressWarnings("unchecked")
    private static <T, V> V[] column(Collection<T> items, Function<T, V> value, Class<V> type) {
        V[] array = (V[]) java.lang.reflect.Array.newInstance(type, items.size());
        int i = 0;
        for (T item : items) {
            array[i++] = value.apply(item);
        }
        return array;
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
