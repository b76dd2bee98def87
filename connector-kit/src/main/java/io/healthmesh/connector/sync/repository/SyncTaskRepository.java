package io.healthmesh.connector.sync.repository;

import io.healthmesh.connector.provider.DocumentChange;
import io.healthmesh.connector.sync.domain.BackfillProgress;
import io.healthmesh.connector.sync.domain.SyncTask;
import io.healthmesh.connector.sync.domain.TaskKind;
import io.healthmesh.connector.sync.domain.TaskState;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Sync tasks, cursors and schedules in PostgreSQL. Replicas claim tasks with
 * {@code FOR UPDATE SKIP LOCKED} and hold them with a lease they renew while working; every change
 * of a running task is conditional on still holding its lease, so a replica that lost its task
 * (it stalled and another took over, or the connection was disconnected) cannot overwrite what the
 * new owner did or bring a cursor back. Blocking: call from worker threads, never an event loop.
 */
@ApplicationScoped
public class SyncTaskRepository {

    static final Duration DB_TIMEOUT = Duration.ofSeconds(10);

    private static final String COLUMNS = """
            id, user_id, source, data_type, kind, window_from, window_to, state, lease_owner, attempts, created_at,
            document_id, change_kind
            """;

    private static final String INSERT_TASK = """
            INSERT INTO sync_task (id, user_id, source, data_type, kind, window_from, window_to, document_id,
                change_kind)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
            """;

    /** One incremental per connection and data type at a time, and none while its backfill is pending. */
    private static final String INSERT_INCREMENTAL = """
            INSERT INTO sync_task (id, user_id, source, data_type, kind)
            SELECT $1, $2, $3, $4, 'incremental'
            WHERE NOT EXISTS (SELECT 1 FROM sync_task
                              WHERE user_id = $2 AND source = $3 AND data_type = $4 AND kind = 'backfill'
                                AND state IN ('queued', 'running'))
            ON CONFLICT (user_id, source, data_type) WHERE kind = 'incremental' AND state IN ('queued', 'running')
            DO NOTHING
            """;

    /** Queued and running tasks of a connection stop; a running one notices at its next heartbeat. */
    private static final String CANCEL_CONNECTION = """
            UPDATE sync_task SET state = 'cancelled', last_error = $4, lease_owner = NULL, lease_expires_at = NULL,
                updated_at = now()
            WHERE user_id = $1 AND source = $2 AND state IN ('queued', 'running') AND ($3::text IS NULL OR kind = $3)
            """;

    private static final String UPSERT_SCHEDULE = """
            INSERT INTO sync_schedule (user_id, source, next_sync, sync_interval)
            VALUES ($1, $2, now() + $3 * interval '1 millisecond', $3 * interval '1 millisecond')
            ON CONFLICT (user_id, source) DO UPDATE SET next_sync = excluded.next_sync,
                sync_interval = excluded.sync_interval
            """;

    private static final String DELETE_SCHEDULE = "DELETE FROM sync_schedule WHERE user_id = $1 AND source = $2";

    private static final String DELETE_CURSORS = "DELETE FROM sync_cursor WHERE user_id = $1 AND source = $2";

    /** Takes the due schedules (each by one replica) and moves them one interval on. */
    private static final String TAKE_DUE_SCHEDULES = """
            UPDATE sync_schedule s SET next_sync = now() + $2 * interval '1 millisecond',
                sync_interval = $2 * interval '1 millisecond'
            FROM (SELECT user_id, source FROM sync_schedule WHERE next_sync <= now()
                  ORDER BY next_sync FOR UPDATE SKIP LOCKED LIMIT $1) due
            WHERE s.user_id = due.user_id AND s.source = due.source
            RETURNING s.user_id, s.source
            """;

    private static final String NEXT_SYNC = "SELECT next_sync FROM sync_schedule WHERE user_id = $1 AND source = $2";

    /** Fails tasks claimed too often that nobody works on any more. */
    private static final String GIVE_UP = """
            UPDATE sync_task SET state = 'failed', lease_owner = NULL, lease_expires_at = NULL, updated_at = now(),
                last_error = 'gave up after ' || attempts || ' attempts'
                    || coalesce(' (last error: ' || last_error || ')', '')
            WHERE attempts >= $1
              AND ((state = 'queued' AND not_before <= now()) OR (state = 'running' AND lease_expires_at < now()))
            RETURNING\s""" + COLUMNS + ", last_error";

    /**
     * The most urgent task nobody works on: queued and due, or running under a lease that ran out
     * (its replica died). Targeted syncs first (the user just produced data), then incremental, then
     * backfills; oldest first within a kind. The tasks of one document run one at a time in the order
     * their notifications came (an update fetched while a later delete already published its
     * tombstone would bring the document back): a document task waits while another task of that
     * document runs, or an older one is still pending.
     */
    private static final String CLAIM = """
            UPDATE sync_task t SET state = 'running', lease_owner = $1,
                lease_expires_at = now() + $2 * interval '1 millisecond', attempts = t.attempts + 1, updated_at = now()
            WHERE t.id = (
                SELECT c.id FROM sync_task c
                WHERE ((c.state = 'queued' AND c.not_before <= now())
                       OR (c.state = 'running' AND c.lease_expires_at < now()))
                  AND (c.document_id IS NULL OR NOT EXISTS (
                      SELECT 1 FROM sync_task o
                      WHERE o.user_id = c.user_id AND o.source = c.source AND o.data_type = c.data_type
                        AND o.document_id = c.document_id AND o.id <> c.id
                        AND ((o.state = 'running' AND o.lease_expires_at >= now())
                             OR (o.state IN ('queued', 'running') AND o.created_at < c.created_at))))
                ORDER BY CASE c.kind WHEN 'targeted' THEN 0 WHEN 'incremental' THEN 1 ELSE 2 END, c.created_at
                FOR UPDATE OF c SKIP LOCKED
                LIMIT 1)
            RETURNING\s""" + COLUMNS;

    private static final String HEARTBEAT = """
            UPDATE sync_task SET lease_expires_at = now() + $3 * interval '1 millisecond', updated_at = now()
            WHERE id = $1 AND lease_owner = $2 AND state = 'running'
            """;

    private static final String DONE = """
            UPDATE sync_task SET state = 'done', lease_owner = NULL, lease_expires_at = NULL, last_error = NULL,
                updated_at = now()
            WHERE id = $1 AND lease_owner = $2 AND state = 'running'
            RETURNING user_id, source, data_type
            """;

    private static final String SAVE_CURSOR = """
            INSERT INTO sync_cursor (user_id, source, data_type, cursor, updated_at) VALUES ($1, $2, $3, $4, now())
            ON CONFLICT (user_id, source, data_type) DO UPDATE SET cursor = excluded.cursor, updated_at = now()
            """;

    /** Back to the queue after {@code $3} ms; {@code $5} = 1 gives the claim's attempt back (rate limits). */
    private static final String REQUEUE = """
            UPDATE sync_task SET state = 'queued', lease_owner = NULL, lease_expires_at = NULL,
                not_before = now() + $3 * interval '1 millisecond', last_error = $4, attempts = attempts - $5,
                updated_at = now()
            WHERE id = $1 AND lease_owner = $2 AND state = 'running'
            RETURNING not_before
            """;

    private static final String END = """
            UPDATE sync_task SET state = $3, last_error = $4, lease_owner = NULL, lease_expires_at = NULL,
                updated_at = now()
            WHERE id = $1 AND lease_owner = $2 AND state = 'running'
            """;

    private static final String CURSOR = """
            SELECT cursor FROM sync_cursor WHERE user_id = $1 AND source = $2 AND data_type = $3
            """;

    /** The connection's latest backfill (its tasks share the created_at of the transaction that queued them). */
    private static final String BACKFILL_PROGRESS = """
            SELECT count(*) AS total,
                   count(*) FILTER (WHERE state = 'done') AS done,
                   count(*) FILTER (WHERE state = 'failed') AS failed,
                   count(*) FILTER (WHERE state IN ('queued', 'running')) AS pending
            FROM sync_task
            WHERE user_id = $1 AND source = $2 AND kind = 'backfill' AND state <> 'cancelled'
              AND created_at = (SELECT max(created_at) FROM sync_task
                                WHERE user_id = $1 AND source = $2 AND kind = 'backfill')
            """;

    private static final String PENDING = """
            SELECT count(*) AS pending FROM sync_task
            WHERE user_id = $1 AND source = $2 AND state IN ('queued', 'running')
            """;

    /**
     * Data types of a connection whose latest finished task failed (a 403 on one data type, say):
     * while there is one, the connection's error stands, whatever its other data types did since.
     */
    private static final String STANDING_FAILURE = """
            SELECT f.last_error FROM sync_task f
            WHERE f.user_id = $1 AND f.source = $2 AND f.state = 'failed'
              AND NOT EXISTS (SELECT 1 FROM sync_task d
                              WHERE d.user_id = f.user_id AND d.source = f.source AND d.data_type = f.data_type
                                AND d.state = 'done' AND d.updated_at > f.updated_at)
            ORDER BY f.updated_at DESC
            LIMIT 1
            """;

    private final Pool pool;

    public SyncTaskRepository(Pool pool) {
        this.pool = pool;
    }

    /** A new window (or document) of work for one data type each, in one transaction. */
    public record NewTask(String dataType, TaskKind kind, Instant from, Instant to, DocumentChange document) {

        public NewTask(String dataType, TaskKind kind, Instant from, Instant to) {
            this(dataType, kind, from, to, null);
        }
    }

    /**
     * A (re)connected connection: its pending backfill is superseded by a new one over
     * [{@code from}, {@code to}) for every data type, and its incremental syncs are scheduled.
     */
    public void connected(String userId, String source, Collection<String> dataTypes, Instant from, Instant to,
            Duration interval) {
        await(pool.withTransaction(connection -> connection.preparedQuery(CANCEL_CONNECTION)
                .execute(Tuple.of(userId, source, TaskKind.BACKFILL.code(), "superseded by a new connect"))
                .chain(() -> insertTasks(connection, userId, source,
                        dataTypes.stream().map(type -> new NewTask(type, TaskKind.BACKFILL, from, to)).toList()))
                .chain(() -> connection.preparedQuery(UPSERT_SCHEDULE)
                        .execute(Tuple.of(userId, source, interval.toMillis())))
                .replaceWithVoid()));
    }

    /** The connection is gone: its pending tasks are cancelled, its schedule and cursors deleted. */
    public void disconnected(String userId, String source) {
        await(pool.withTransaction(connection -> connection.preparedQuery(CANCEL_CONNECTION)
                .execute(Tuple.tuple(Arrays.asList(userId, source, null, "disconnected")))
                .chain(() -> connection.preparedQuery(DELETE_SCHEDULE).execute(Tuple.of(userId, source)))
                .chain(() -> connection.preparedQuery(DELETE_CURSORS).execute(Tuple.of(userId, source)))
                .replaceWithVoid()));
    }

    /** Cancels every queued or running task of a connection (a running one stops at its next heartbeat). */
    public int cancelConnection(String userId, String source, String reason) {
        return await(pool.preparedQuery(CANCEL_CONNECTION)
                .execute(Tuple.tuple(Arrays.asList(userId, source, null, reason)))).rowCount();
    }

    /** Takes up to {@code limit} due schedules and moves each one {@code interval} on; answers them. */
    public List<Connection> takeDueSchedules(int limit, Duration interval) {
        RowSet<Row> rows = await(pool.preparedQuery(TAKE_DUE_SCHEDULES).execute(Tuple.of(limit, interval.toMillis())));
        List<Connection> due = new ArrayList<>();
        rows.forEach(row -> due.add(new Connection(row.getString("user_id"), row.getString("source"))));
        return due;
    }

    /** A connection as the tables name it. */
    public record Connection(String userId, String source) {
    }

    /** Queues an incremental sync per data type unless one is pending or the backfill still runs; answers how many. */
    public int queueIncremental(String userId, String source, Collection<String> dataTypes) {
        if (dataTypes.isEmpty()) {
            return 0;
        }
        List<Tuple> batch = dataTypes.stream()
                .map(type -> Tuple.of(UUID.randomUUID(), userId, source, type)).toList();
        int queued = 0;
        for (RowSet<Row> rows = await(pool.preparedQuery(INSERT_INCREMENTAL).executeBatch(batch)); rows != null;
                rows = rows.next()) {
            queued += rows.rowCount();
        }
        return queued;
    }

    public Optional<Instant> nextSync(String userId, String source) {
        RowSet<Row> rows = await(pool.preparedQuery(NEXT_SYNC).execute(Tuple.of(userId, source)));
        return rows.size() == 0 ? Optional.empty()
                : Optional.of(rows.iterator().next().getOffsetDateTime("next_sync").toInstant());
    }

    /** Fails tasks claimed {@code maxAttempts} times that wait for another claim; answers them. */
    public List<GivenUp> giveUp(int maxAttempts) {
        RowSet<Row> rows = await(pool.preparedQuery(GIVE_UP).execute(Tuple.of(maxAttempts)));
        List<GivenUp> failed = new ArrayList<>();
        rows.forEach(row -> failed.add(new GivenUp(task(row), row.getString("last_error"))));
        return failed;
    }

    public record GivenUp(SyncTask task, String reason) {
    }

    public Optional<SyncTask> claim(String owner, Duration lease) {
        RowSet<Row> rows = await(pool.preparedQuery(CLAIM).execute(Tuple.of(owner, lease.toMillis())));
        return rows.size() == 0 ? Optional.empty() : Optional.of(task(rows.iterator().next()));
    }

    /** Renews the lease; false when it is lost (another replica took the task, or it was cancelled). */
    public boolean heartbeat(UUID id, String owner, Duration lease) {
        return await(pool.preparedQuery(HEARTBEAT).execute(Tuple.of(id, owner, lease.toMillis()))).rowCount() == 1;
    }

    /**
     * Marks the task done and stores the cursor (when not null) in one transaction, only while the
     * caller still holds the task: a cancelled or taken-over task keeps the cursor where it was.
     */
    public boolean done(UUID id, String owner, String cursor) {
        return await(pool.withTransaction(connection -> connection.preparedQuery(DONE).execute(Tuple.of(id, owner))
                .chain(rows -> {
                    if (rows.size() == 0) {
                        return Uni.createFrom().item(false);
                    }
                    if (cursor == null) {
                        return Uni.createFrom().item(true);
                    }
                    Row row = rows.iterator().next();
                    return connection.preparedQuery(SAVE_CURSOR).execute(Tuple.of(row.getString("user_id"),
                            row.getString("source"), row.getString("data_type"), cursor)).replaceWith(true);
                })));
    }

    /**
     * Puts the task back in the queue for {@code delay}; {@code countAttempt} false gives the
     * claim's attempt back (the provider only asked us to slow down). Answers when it is due, or
     * empty when the caller no longer held the task.
     */
    public Optional<Instant> requeue(UUID id, String owner, Duration delay, String error, boolean countAttempt) {
        RowSet<Row> rows = await(pool.preparedQuery(REQUEUE).execute(Tuple.tuple(Arrays.asList(id, owner,
                delay.toMillis(), error, countAttempt ? 0 : 1))));
        return rows.size() == 0 ? Optional.empty()
                : Optional.of(rows.iterator().next().getOffsetDateTime("not_before").toInstant());
    }

    /** Ends a held task as failed or cancelled; false when the caller no longer held it. */
    public boolean end(UUID id, String owner, TaskState state, String error) {
        if (state != TaskState.FAILED && state != TaskState.CANCELLED) {
            throw new IllegalArgumentException("A task ends failed or cancelled here, not " + state);
        }
        return await(pool.preparedQuery(END).execute(Tuple.of(id, owner, state.code(), error))).rowCount() == 1;
    }

    public Optional<String> cursor(String userId, String source, String dataType) {
        RowSet<Row> rows = await(pool.preparedQuery(CURSOR).execute(Tuple.of(userId, source, dataType)));
        return rows.size() == 0 ? Optional.empty() : Optional.of(rows.iterator().next().getString("cursor"));
    }

    public BackfillProgress backfillProgress(String userId, String source) {
        Row row = await(pool.preparedQuery(BACKFILL_PROGRESS).execute(Tuple.of(userId, source))).iterator().next();
        return new BackfillProgress(row.getInteger("total"), row.getInteger("done"), row.getInteger("failed"),
                row.getInteger("pending"));
    }

    /** Queued and running tasks of a connection. */
    public int pending(String userId, String source) {
        return await(pool.preparedQuery(PENDING).execute(Tuple.of(userId, source))).iterator().next()
                .getInteger("pending");
    }

    /** The error of the latest failure among data types whose latest finished task failed; empty when none did. */
    public Optional<String> standingFailure(String userId, String source) {
        RowSet<Row> rows = await(pool.preparedQuery(STANDING_FAILURE).execute(Tuple.of(userId, source)));
        if (rows.size() == 0) {
            return Optional.empty();
        }
        String error = rows.iterator().next().getString("last_error");
        return Optional.of(error == null ? "a sync of this connection failed" : error);
    }

    /** Inserts tasks inside the caller's transaction. */
    Uni<Void> insertTasks(SqlConnection connection, String userId, String source, List<NewTask> tasks) {
        if (tasks.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<Tuple> batch = tasks.stream().map(task -> Tuple.tuple(Arrays.asList(UUID.randomUUID(), userId, source,
                task.dataType(), task.kind().code(), utc(task.from()), utc(task.to()),
                task.document() == null ? null : task.document().documentId(),
                task.document() == null ? null : task.document().kind().code()))).toList();
        return connection.preparedQuery(INSERT_TASK).executeBatch(batch).replaceWithVoid();
    }

    static OffsetDateTime utc(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }

    private static Instant instant(Row row, String column) {
        OffsetDateTime value = row.getOffsetDateTime(column);
        return value == null ? null : value.toInstant();
    }

    private static SyncTask task(Row row) {
        return new SyncTask(row.getUUID("id"), row.getString("user_id"), row.getString("source"),
                row.getString("data_type"), TaskKind.of(row.getString("kind")), instant(row, "window_from"),
                instant(row, "window_to"), TaskState.of(row.getString("state")), row.getString("lease_owner"),
                row.getInteger("attempts"), instant(row, "created_at"), document(row));
    }

    /** The document a row names, or null. */
    static DocumentChange document(Row row) {
        String id = row.getString("document_id");
        return id == null ? null : new DocumentChange(id, DocumentChange.Kind.of(row.getString("change_kind")));
    }

    static <T> T await(Uni<T> uni) {
        return uni.await().atMost(DB_TIMEOUT);
    }
}
