package io.healthmesh.connector.sync.repository;

import static io.healthmesh.connector.sync.repository.SyncTaskRepository.await;
import static io.healthmesh.connector.sync.repository.SyncTaskRepository.utc;

import io.healthmesh.connector.provider.DocumentChange;
import io.healthmesh.connector.sync.domain.PendingNotification;
import io.healthmesh.connector.sync.repository.SyncTaskRepository.NewTask;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/**
 * Provider notifications: stored durably the moment they arrive (before the provider gets its
 * answer), then turned into targeted sync tasks by whichever replica gets to them first. Blocking.
 */
@ApplicationScoped
public class NotificationRepository {

    private static final String INSERT = """
            INSERT INTO notification (id, source, provider_user_id, data_type, window_from, window_to, payload,
                document_id, change_kind)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
            """;

    private static final String PENDING = """
            SELECT id, source, provider_user_id, data_type, window_from, window_to, document_id, change_kind
            FROM notification
            WHERE processed_at IS NULL ORDER BY received_at LIMIT $1
            """;

    /** Only the first replica to process a notification gets a row back (and queues its tasks). */
    private static final String PROCESSED = """
            UPDATE notification SET processed_at = now() WHERE id = $1 AND processed_at IS NULL
            """;

    private final Pool pool;
    private final SyncTaskRepository tasks;

    public NotificationRepository(Pool pool, SyncTaskRepository tasks) {
        this.pool = pool;
        this.tasks = tasks;
    }

    /** Stores a notification; it is durable when this returns. */
    public UUID store(String source, String providerUserId, String dataType, Instant from, Instant to,
            String payload) {
        return await(storeIn(pool, source, providerUserId, dataType, from, to, null, payload));
    }

    /** Stores a notification that names one document; it is durable when this returns. */
    public UUID store(String source, String providerUserId, String dataType, DocumentChange document,
            String payload) {
        return await(storeIn(pool, source, providerUserId, dataType, null, null, document, payload));
    }

    /**
     * Stores a notification through the caller's client, so that a connector can make it part of
     * its own transaction (Oura: remembering the delivery's signature and storing it commit together,
     * so a replay is refused and a failed store can be delivered again).
     */
    public Uni<UUID> storeIn(SqlClient client, String source, String providerUserId, String dataType, Instant from,
            Instant to, DocumentChange document, String payload) {
        UUID id = UUID.randomUUID();
        return client.preparedQuery(INSERT).execute(Tuple.tuple(Arrays.asList(id, source, providerUserId, dataType,
                        utc(from), utc(to), payload, document == null ? null : document.documentId(),
                        document == null ? null : document.kind().code())))
                .replaceWith(id);
    }

    /** The oldest notifications nobody processed yet. */
    public List<PendingNotification> pending(int limit) {
        RowSet<Row> rows = await(pool.preparedQuery(PENDING).execute(Tuple.of(limit)));
        List<PendingNotification> pending = new ArrayList<>();
        rows.forEach(row -> pending.add(new PendingNotification(row.getUUID("id"), row.getString("source"),
                row.getString("provider_user_id"), row.getString("data_type"), instant(row, "window_from"),
                instant(row, "window_to"), SyncTaskRepository.document(row))));
        return pending;
    }

    /**
     * Marks the notification processed and queues its tasks (none for an unknown user) in one
     * transaction; false when another replica processed it first.
     */
    public boolean process(UUID id, String userId, String source, List<NewTask> targeted) {
        return await(pool.withTransaction(connection -> connection.preparedQuery(PROCESSED).execute(Tuple.of(id))
                .chain(rows -> rows.rowCount() == 0 ? Uni.createFrom().item(false)
                        : tasks.insertTasks(connection, userId, source, targeted).replaceWith(true))));
    }

    private static Instant instant(Row row, String column) {
        OffsetDateTime value = row.getOffsetDateTime(column);
        return value == null ? null : value.toInstant();
    }
}
