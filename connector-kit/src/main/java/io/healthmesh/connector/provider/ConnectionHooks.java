package io.healthmesh.connector.provider;

/**
 * What a provider does around a connection's life besides tokens and data (Withings subscribes to
 * notifications per category after connect and revokes them on disconnect). Optional CDI bean of
 * the connector service; calls go through the same token and rate budget as a sync.
 */
public interface ConnectionHooks {

    String source();

    /** After the tokens are stored, before the backfill. A failure is reported on the connection, not fatal. */
    void connected(SyncContext context) throws ProviderException, InterruptedException;

    /** Before the tokens are revoked and deleted. A failure is logged; the disconnect goes on. */
    void disconnecting(SyncContext context) throws ProviderException, InterruptedException;
}
