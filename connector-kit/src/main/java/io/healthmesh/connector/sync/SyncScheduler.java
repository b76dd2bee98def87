package io.healthmesh.connector.sync;

import io.healthmesh.connector.connection.ConnectionRef;
import io.healthmesh.connector.provider.DocumentChange;
import java.time.Instant;

/**
 * The sync side of the kit as the connections side uses it. Implemented over the sync task,
 * cursor and schedule tables; tasks are claimed by any replica through leases.
 */
public interface SyncScheduler {

    /** A new (or renewed) connection: queue a backfill of every data type of its source and schedule incremental syncs. */
    void connected(ConnectionRef connection);

    /** The connection is gone: drop its queued tasks, schedule and cursors (imported data stays). */
    void disconnected(ConnectionRef connection);

    /**
     * A provider said something changed for one of its users: stored durably at once and turned
     * into a targeted sync of that data type and window (an unknown user changes nothing).
     *
     * @param dataType the {@code DataTypeSync#dataType()} to run; null means every data type
     * @param from start of the changed window, or null for "since the cursor"
     * @param to end of the changed window, or null
     * @param payload the notification as received, kept for audit (no secrets)
     */
    void notified(String source, String providerUserId, String dataType, Instant from, Instant to, String payload);

    /**
     * A provider said one document of one of its users changed (or was deleted): stored durably at
     * once and turned into a targeted sync of that document ({@code DataTypeSync#syncDocument});
     * an unknown user changes nothing.
     *
     * @param dataType the {@code DataTypeSync#dataType()} the document belongs to
     * @param payload the notification as received, kept for audit (no secrets)
     */
    void notifiedDocument(String source, String providerUserId, String dataType, DocumentChange document,
            String payload);
}
