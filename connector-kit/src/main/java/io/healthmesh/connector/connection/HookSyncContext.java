package io.healthmesh.connector.connection;

import io.healthmesh.connector.provider.ProviderException;
import io.healthmesh.connector.provider.SyncContext;
import io.healthmesh.connector.sync.service.RateBudget;
import io.healthmesh.contracts.event.Reading;
import io.healthmesh.contracts.event.Session;

/**
 * The context {@link io.healthmesh.connector.provider.ConnectionHooks} get on connect and
 * disconnect: the connection's identity and its tokens (refreshed through the directory, under
 * the connection's lock). Hooks do not publish data; their requests take from the same app-wide
 * rate budget as syncs, since the provider counts them all.
 */
final class HookSyncContext implements SyncContext {

    private final PgConnectionDirectory directory;
    private final RateBudget budget;
    private final String userId;
    private final String source;
    private final String providerUserId;
    private String lastToken;
    private String refusedToken;

    HookSyncContext(PgConnectionDirectory directory, RateBudget budget, String userId, String source,
            String providerUserId) {
        this.directory = directory;
        this.budget = budget;
        this.userId = userId;
        this.source = source;
        this.providerUserId = providerUserId;
    }

    @Override
    public String userId() {
        return userId;
    }

    @Override
    public String providerUserId() {
        return providerUserId;
    }

    @Override
    public synchronized String accessToken() throws ProviderException {
        lastToken = directory.accessToken(userId, source, refusedToken);
        refusedToken = null;
        return lastToken;
    }

    @Override
    public synchronized void tokenRefused() {
        refusedToken = lastToken;
    }

    @Override
    public void beforeRequest() throws InterruptedException {
        budget.acquire(source);
    }

    @Override
    public void reading(Reading reading) {
        throw new UnsupportedOperationException("Connection hooks do not publish readings");
    }

    @Override
    public void session(Session session) {
        throw new UnsupportedOperationException("Connection hooks do not publish sessions");
    }

    @Override
    public void awaitAcknowledged() {
        // Nothing published, nothing to wait for.
    }

    @Override
    public String toString() {
        return "HookSyncContext[userId=" + userId + ", source=" + source + "]";
    }
}
