package io.healthmesh.imports.repository;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.healthmesh.imports.domain.ImportJob;
import io.healthmesh.imports.domain.JobProgress;
import io.healthmesh.imports.domain.JobState;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Import jobs in PostgreSQL. Replicas claim work with {@code FOR UPDATE SKIP LOCKED} and hold it
 * with a lease they renew while working; every change of a running job is conditional on still
 * holding its lease, so a replica that lost its job (it stalled, another took over) cannot
 * overwrite the new owner's progress.
 */
@ApplicationScoped
public class ImportJobRepository {

    private static final String COLUMNS = """
            id, user_id, kind, state, file_name, storage_path, total_bytes, bytes_read, records_read, sent,
            acked_events, published, skipped::text AS skipped, error_sample::text AS error_sample, accepted, rejected,
            failure_reason, failure_line, failure_column, cancel_requested, attempts, created_at, started_at,
            parsed_at, finished_at, updated_at, preview::text AS preview, mapping::text AS mapping
            """;

    private static final String INSERT = """
            INSERT INTO import_job (id, user_id, kind, state, file_name, storage_path, total_bytes, preview)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8::text::jsonb)
            """;

    /** A CSV job leaves awaiting_mapping once, with the mapping its owner posted. */
    private static final String MAP = """
            UPDATE import_job SET mapping = $3::text::jsonb, state = 'queued', updated_at = now()
            WHERE id = $1 AND user_id = $2 AND state = 'awaiting_mapping'
            """;

    private static final String EXPIRE_UNMAPPED = """
            UPDATE import_job SET state = 'failed', finished_at = now(), updated_at = now(),
                failure_reason = 'no mapping was posted within ' || $1::bigint || ' hours; upload the file again'
            WHERE state = 'awaiting_mapping' AND created_at < now() - $1::bigint * interval '1 hour'
            RETURNING storage_path
            """;

    private static final String FIND = "SELECT " + COLUMNS + " FROM import_job WHERE id = $1";

    private static final String GIVE_UP = """
            UPDATE import_job SET state = 'failed', finished_at = now(), updated_at = now(), lease_owner = NULL,
                failure_reason = 'gave up after ' || attempts || ' attempts (replicas died or the broker was away)'
            WHERE attempts >= $1 AND (state = 'queued' OR (state = 'parsing' AND lease_expires_at < now()))
            RETURNING storage_path
            """;

    /**
     * The oldest job nobody works on: queued, or parsing under a lease that ran out (its replica
     * died). A job that is publishing needs no worker: the normalizer's outcomes complete it.
     */
    private static final String CLAIM = """
            UPDATE import_job j SET state = 'parsing', lease_owner = $1, lease_expires_at = now() + $2 * interval '1 millisecond',
                attempts = j.attempts + 1, started_at = coalesce(j.started_at, now()), updated_at = now()
            WHERE j.id = (
                SELECT id FROM import_job
                WHERE (state = 'queued' OR (state = 'parsing' AND lease_expires_at < now()))
                  AND NOT cancel_requested
                ORDER BY created_at
                FOR UPDATE SKIP LOCKED
                LIMIT 1)
            RETURNING\s""" + COLUMNS;

    private static final String HEARTBEAT = """
            UPDATE import_job SET lease_expires_at = now() + $3 * interval '1 millisecond', bytes_read = $4,
                records_read = $5, sent = $6, skipped = $7::text::jsonb, error_sample = $8::text::jsonb,
                acked_events = GREATEST(acked_events, $9), updated_at = now()
            WHERE id = $1 AND lease_owner = $2 AND state = 'parsing'
            RETURNING cancel_requested
            """;

    private static final String PARSED = """
            UPDATE import_job SET state = 'publishing', published = $3, parsed_at = now(), bytes_read = $4,
                records_read = $5, sent = $6, skipped = $7::text::jsonb, error_sample = $8::text::jsonb,
                acked_events = GREATEST(acked_events, $9), lease_owner = NULL, lease_expires_at = NULL,
                updated_at = now()
            WHERE id = $1 AND lease_owner = $2 AND state = 'parsing'
            """;

    private static final String FAIL = """
            UPDATE import_job SET state = 'failed', failure_reason = $3, failure_line = $4, failure_column = $5,
                bytes_read = coalesce($6, bytes_read), records_read = coalesce($7, records_read),
                sent = coalesce($8, sent), skipped = coalesce($9::text::jsonb, skipped),
                error_sample = coalesce($10::text::jsonb, error_sample), finished_at = now(),
                lease_owner = NULL, lease_expires_at = NULL, updated_at = now()
            WHERE id = $1 AND lease_owner = $2 AND state IN ('parsing', 'publishing')
            RETURNING storage_path
            """;

    /** Back to the queue after a broker outage, with the point the next attempt resumes sending at. */
    private static final String RELEASE = """
            UPDATE import_job SET state = 'queued', lease_owner = NULL, lease_expires_at = NULL,
                acked_events = GREATEST(acked_events, $3), sent = $4, updated_at = now()
            WHERE id = $1 AND lease_owner = $2 AND state = 'parsing'
            """;

    private static final String CANCELLED = """
            UPDATE import_job SET state = 'cancelled', finished_at = now(), lease_owner = NULL,
                lease_expires_at = NULL, updated_at = now()
            WHERE id = $1 AND state IN ('queued', 'parsing', 'publishing', 'awaiting_mapping')
              AND (lease_owner IS NULL OR lease_owner = $2)
            RETURNING storage_path
            """;

    /** Queued and waiting jobs stop at once; a parsing job stops at its worker's next heartbeat. */
    private static final String REQUEST_CANCEL = """
            UPDATE import_job SET cancel_requested = true, updated_at = now(),
                state = CASE WHEN state IN ('queued', 'publishing', 'awaiting_mapping') THEN 'cancelled' ELSE state END,
                finished_at = CASE WHEN state IN ('queued', 'publishing', 'awaiting_mapping') THEN now()
                                   ELSE finished_at END
            WHERE id = $1 AND user_id = $2 AND state NOT IN ('done', 'failed', 'cancelled')
            """;

    private static final String OUTCOME = """
            UPDATE import_job SET accepted = $2, rejected = $3, outcome_at = $4, updated_at = now()
            WHERE id = $1 AND (outcome_at IS NULL OR outcome_at <= $4)
            """;

    /** Done once the normalizer has judged every distinct event the job published. */
    private static final String COMPLETE = """
            UPDATE import_job SET state = 'done', finished_at = now(), updated_at = now()
            WHERE id = $1 AND state = 'publishing' AND published IS NOT NULL AND accepted + rejected >= published
            RETURNING storage_path
            """;

    private final Pool pool;
    private final ObjectMapper json;

    public ImportJobRepository(Pool pool, ObjectMapper json) {
        this.pool = pool;
        this.json = json;
    }

    public Uni<Void> create(UUID id, String userId, String kind, JobState state, String fileName, String storagePath,
            long totalBytes, String previewJson) {
        return pool.preparedQuery(INSERT).execute(Tuple.tuple(Arrays.asList(id, userId, kind, state.code(), fileName,
                storagePath, totalBytes, previewJson))).replaceWithVoid();
    }

    /** Stores the mapping and queues the job; false when the job no longer waits for one. */
    public Uni<Boolean> map(UUID id, String userId, String mappingJson) {
        return pool.preparedQuery(MAP).execute(Tuple.of(id, userId, mappingJson)).map(rows -> rows.rowCount() == 1);
    }

    /** Fails CSV jobs left waiting for a mapping longer than {@code timeout}; answers their uploads. */
    public Uni<List<String>> expireUnmapped(Duration timeout) {
        long hours = Math.max(1, timeout.toHours());
        return pool.preparedQuery(EXPIRE_UNMAPPED).execute(Tuple.of(hours))
                .map(rows -> rows.stream().map(row -> row.getString("storage_path")).toList());
    }

    public Uni<Optional<ImportJob>> find(UUID id) {
        return pool.preparedQuery(FIND).execute(Tuple.of(id)).map(this::first);
    }

    /** Fails jobs claimed too often; answers their upload files, which are no longer needed. */
    public Uni<List<String>> giveUp(int maxAttempts) {
        return pool.preparedQuery(GIVE_UP).execute(Tuple.of(maxAttempts))
                .map(rows -> rows.stream().map(row -> row.getString("storage_path")).toList());
    }

    public Uni<Optional<ImportJob>> claim(String owner, Duration lease) {
        return pool.preparedQuery(CLAIM).execute(Tuple.of(owner, lease.toMillis())).map(this::first);
    }

    /**
     * Saves progress and the acknowledged prefix (it only grows) and renews the lease; empty when the
     * lease is lost, else whether cancel was asked.
     */
    public Uni<Optional<Boolean>> heartbeat(UUID id, String owner, Duration lease, JobProgress progress,
            long ackedEvents) {
        return pool.preparedQuery(HEARTBEAT).execute(Tuple.tuple(Arrays.asList(id, owner, lease.toMillis(),
                        progress.bytesRead(), progress.recordsRead(), progress.sent(), write(progress.skipped()),
                        write(progress.errorSample()), ackedEvents)))
                .map(rows -> rows.size() == 0 ? Optional.empty()
                        : Optional.of(rows.iterator().next().getBoolean("cancel_requested")));
    }

    public Uni<Boolean> parsed(UUID id, String owner, long published, JobProgress progress, long ackedEvents) {
        return pool.preparedQuery(PARSED).execute(Tuple.tuple(Arrays.asList(id, owner, published,
                        progress.bytesRead(), progress.recordsRead(), progress.sent(), write(progress.skipped()),
                        write(progress.errorSample()), ackedEvents)))
                .map(rows -> rows.rowCount() == 1);
    }

    public Uni<Optional<String>> fail(UUID id, String owner, String reason, Integer line, Integer column,
            JobProgress progress) {
        boolean known = progress != null;
        return pool.preparedQuery(FAIL).execute(Tuple.tuple(Arrays.asList(id, owner, reason, line, column,
                        known ? progress.bytesRead() : null, known ? progress.recordsRead() : null,
                        known ? progress.sent() : null, known ? write(progress.skipped()) : null,
                        known ? write(progress.errorSample()) : null)))
                .map(ImportJobRepository::storagePath);
    }

    /** Queues the job again; the next attempt sends only the events from {@code ackedEvents} on. */
    public Uni<Void> release(UUID id, String owner, long ackedEvents, JobProgress progress) {
        return pool.preparedQuery(RELEASE).execute(Tuple.of(id, owner, ackedEvents, progress.sent())).replaceWithVoid();
    }

    public Uni<Optional<String>> cancelled(UUID id, String owner) {
        return pool.preparedQuery(CANCELLED).execute(Tuple.of(id, owner)).map(ImportJobRepository::storagePath);
    }

    public Uni<Boolean> requestCancel(UUID id, String userId) {
        return pool.preparedQuery(REQUEST_CANCEL).execute(Tuple.of(id, userId)).map(rows -> rows.rowCount() == 1);
    }

    public Uni<Void> outcome(UUID id, long accepted, long rejected, OffsetDateTime updatedAt) {
        return pool.preparedQuery(OUTCOME).execute(Tuple.of(id, accepted, rejected, updatedAt)).replaceWithVoid();
    }

    /** Marks the job done if the normalizer has judged all of it; answers its upload file then. */
    public Uni<Optional<String>> completeIfJudged(UUID id) {
        return pool.preparedQuery(COMPLETE).execute(Tuple.of(id)).map(ImportJobRepository::storagePath);
    }

    private static Optional<String> storagePath(RowSet<Row> rows) {
        return rows.size() == 0 ? Optional.empty() : Optional.ofNullable(rows.iterator().next().getString("storage_path"));
    }

    private Optional<ImportJob> first(RowSet<Row> rows) {
        if (rows.size() == 0) {
            return Optional.empty();
        }
        Row row = rows.iterator().next();
        return Optional.of(new ImportJob(row.getUUID("id"), row.getString("user_id"), row.getString("kind"),
                JobState.of(row.getString("state")), row.getString("file_name"), row.getString("storage_path"),
                row.getLong("total_bytes"), row.getLong("bytes_read"), row.getLong("records_read"), row.getLong("sent"),
                row.getLong("acked_events"), row.getLong("published"), read(row.getString("skipped"), new TypeReference<Map<String, Long>>() { }),
                read(row.getString("error_sample"), new TypeReference<List<String>>() { }), row.getLong("accepted"),
                row.getLong("rejected"), row.getString("failure_reason"), row.getInteger("failure_line"),
                row.getInteger("failure_column"), row.getBoolean("cancel_requested"), row.getInteger("attempts"),
                row.getOffsetDateTime("created_at"), row.getOffsetDateTime("started_at"),
                row.getOffsetDateTime("parsed_at"), row.getOffsetDateTime("finished_at"),
                row.getOffsetDateTime("updated_at"), row.getString("preview"), row.getString("mapping")));
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private <T> T read(String text, TypeReference<T> type) {
        try {
            return json.readValue(text, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Unreadable job column", e);
        }
    }
}
