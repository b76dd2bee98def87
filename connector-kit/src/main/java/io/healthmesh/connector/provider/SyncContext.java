package io.healthmesh.connector.provider;

import io.healthmesh.contracts.event.Reading;
import io.healthmesh.contracts.event.Session;

/**
 * What one sync task of one connection may use. Every provider request goes through
 * {@link #accessToken()} and {@link #beforeRequest()}; events go through {@link #reading} and
 * {@link #session} and count as delivered only after {@link #awaitAcknowledged()}.
 */
public interface SyncContext {

    /** Our user id. */
    String userId();

    /** The provider's id of the user. */
    String providerUserId();

    /**
     * A valid access token: refreshed first (once across all replicas, under the connection's
     * lock) when it expires soon or when {@link #tokenRefused()} said the provider refused it.
     */
    String accessToken() throws ProviderException;

    /** The provider refused the token we gave: the next {@link #accessToken()} refreshes. */
    void tokenRefused();

    /** Takes one request from the app-wide rate budget shared by every replica; blocks until there is one. */
    void beforeRequest() throws InterruptedException;

    /** Publishes a reading to the source's raw topic (keyed by user); acknowledged later. */
    void reading(Reading reading);

    /** Publishes a session to the source's raw topic; acknowledged later. */
    void session(Session session);

    /** Waits until the broker acknowledged everything published so far; throws if it refused any. */
    void awaitAcknowledged();
}
