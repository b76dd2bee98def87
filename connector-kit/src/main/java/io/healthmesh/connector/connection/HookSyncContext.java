package io.healthmesh.connector.connection;

import io.healthmesh.connector.provider.ProviderException;
import io.healthmesh.connector.provider.SyncContext;
import io.healthmesh.contracts.event.Reading;
import io.healthmesh.contracts.event.Session;

/**
 * The context {@link io.healthmesh.connector.provider.ConnectionHooks} get on connect and
 * disconnect: the connection's identity and its tokens (refreshed through the directory, under
 * the connection's lock). Hooks do not publish data, and this context takes nothing from the
 * app-wide rate budget: that budget belongs to the sync side, and a hook makes a handful of calls
 * once per connect or disconnect.
 */
final class HookSyncContext implements SyncContext {

    private final PgConnectionDirectory directory;
    private final String userId;
    private final String source;
    private final String providerUserId;
    private String lastToken;
    private String refusedToken;

    HookSyncContext(PgConnectionDirectory directory, String userId, String source, String providerUserId) {
        this.directory = directory;
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
    public void beforeRequest() {
        // No rate budget on the connections side (see the class comment).
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
