package io.healthmesh.connector.sync.service;

import io.healthmesh.connector.connection.ConnectionDirectory;
import io.healthmesh.connector.connection.ConnectionRef;
import io.healthmesh.connector.provider.DocumentChange;
import io.healthmesh.connector.sync.SyncScheduler;
import io.healthmesh.connector.sync.config.SyncConfig;
import io.healthmesh.connector.sync.repository.NotificationRepository;
import io.healthmesh.connector.sync.repository.SyncTaskRepository;
import io.healthmesh.contracts.status.ConnectionState;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * {@link SyncScheduler} over the sync tables: it only queues work (any replica's
 * {@link SyncWorker} runs it). Blocking: call it from a worker thread, not an event loop.
 */
@ApplicationScoped
public class SyncService implements SyncScheduler {

    private static final Logger LOG = Logger.getLogger(SyncService.class);

    private final SyncTaskRepository tasks;
    private final NotificationRepository notifications;
    private final DataTypeSyncs syncs;
    private final ConnectionDirectory directory;
    private final SyncConfig config;

    public SyncService(SyncTaskRepository tasks, NotificationRepository notifications, DataTypeSyncs syncs,
            ConnectionDirectory directory, SyncConfig config) {
        this.tasks = tasks;
        this.notifications = notifications;
        this.syncs = syncs;
        this.directory = directory;
        this.config = config;
    }

    /**
     * One backfill task per data type of the source over [now - backfill-days, now) (replacing a
     * backfill still pending from an earlier connect), the incremental schedule starting one
     * interval from now, and the connection reported as backfilling.
     */
    @Override
    public void connected(ConnectionRef connection) {
        List<String> dataTypes = syncs.dataTypes(connection.source());
        Instant to = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        Instant from = to.minus(Duration.ofDays(config.sync().backfillDays()));
        tasks.connected(connection.userId(), connection.source(), dataTypes, from, to, config.sync().interval());
        if (dataTypes.isEmpty()) {
            LOG.warnf("No DataTypeSync serves %s: nothing to backfill for %s", connection.source(), connection.userId());
            return;
        }
        try {
            directory.report(connection.userId(), connection.source(), ConnectionState.BACKFILLING, 0.0, null, null,
                    null);
        } catch (RuntimeException e) {
            LOG.warnf("Backfill of %s %s queued, but its state could not be reported: %s", connection.userId(),
                    connection.source(), e.toString());
        }
    }

    /** Queued tasks are cancelled, a running one stops at its next event; schedule and cursors are deleted. */
    @Override
    public void disconnected(ConnectionRef connection) {
        tasks.disconnected(connection.userId(), connection.source());
    }

    /** Stored before this returns (the provider may get its answer then); a worker turns it into tasks. */
    @Override
    public void notified(String source, String providerUserId, String dataType, Instant from, Instant to,
            String payload) {
        notifications.store(source, providerUserId, dataType, from, to, payload);
    }

    /** Stored before this returns; a worker turns it into a targeted sync of the document. */
    @Override
    public void notifiedDocument(String source, String providerUserId, String dataType, DocumentChange document,
            String payload) {
        notifications.store(source, providerUserId, dataType, document, payload);
    }
}
