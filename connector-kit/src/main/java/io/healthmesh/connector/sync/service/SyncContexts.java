package io.healthmesh.connector.sync.service;

import io.healthmesh.connector.connection.ConnectionDirectory;
import io.healthmesh.connector.connection.ConnectionRef;
import io.healthmesh.connector.provider.SyncContext;
import io.healthmesh.connector.sync.messaging.SyncEventPublisher;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Sync contexts outside a sync task, for {@code ConnectionHooks} (subscribing to notifications
 * after a connect, revoking them before a disconnect): the same tokens, rate budget and raw topic
 * as a task's context.
 */
@ApplicationScoped
public class SyncContexts {

    private final ConnectionDirectory directory;
    private final RateBudget budget;
    private final SyncEventPublisher publisher;

    public SyncContexts(ConnectionDirectory directory, RateBudget budget, SyncEventPublisher publisher) {
        this.directory = directory;
        this.budget = budget;
        this.publisher = publisher;
    }

    public SyncContext forConnection(ConnectionRef connection) {
        return new TaskSyncContext(connection, directory, budget, publisher.batch(connection.source()));
    }
}
