package io.healthmesh.connector.connection;

import io.healthmesh.connector.provider.ProviderException;
import io.healthmesh.contracts.status.ConnectionState;
import java.time.OffsetDateTime;
import java.util.Optional;

/**
 * The connections side of the kit as the sync side uses it: who is connected, valid tokens, and
 * the connection's reported state. Implemented over the connection table (tokens encrypted).
 */
public interface ConnectionDirectory {

    /** The connection, if the user has one to this source that is not disconnected. */
    Optional<ConnectionRef> find(String userId, String source);

    /** The connection of a provider's user (notifications name users by the provider's id). */
    Optional<ConnectionRef> byProviderUser(String source, String providerUserId);

    /** Whether the connection may sync now (connected, syncing, backfilling or error; not token_expired or disconnected). */
    boolean maySync(String userId, String source);

    /**
     * A valid access token: the stored one, or a refreshed one when it expires within the refresh
     * margin or equals {@code refusedToken} (the provider just refused it). Refreshes happen under
     * the connection's row lock, so replicas asking at once make one refresh call; a rotated refresh
     * token is saved in the same transaction as the new access token. A refused refresh marks the
     * connection token_expired, reports it, and throws {@link ProviderException.Kind#GRANT_REFUSED}.
     */
    String accessToken(String userId, String source, String refusedToken) throws ProviderException;

    /**
     * Records and publishes the connection's state on connection.status.v1 (keyed userId:source).
     * {@code progress} only for backfilling; {@code reason} for error and token_expired;
     * {@code lastSuccessfulSync} and {@code nextSync} null keep the stored ones. Syncing replaces
     * only connected, syncing or error (a backfill's progress and an expired grant stay shown).
     */
    void report(String userId, String source, ConnectionState state, Double progress, String reason,
            OffsetDateTime lastSuccessfulSync, OffsetDateTime nextSync);
}
