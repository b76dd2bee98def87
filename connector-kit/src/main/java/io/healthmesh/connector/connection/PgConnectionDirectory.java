package io.healthmesh.connector.connection;

import io.healthmesh.connector.config.ConnectionsConfig;
import io.healthmesh.connector.crypto.TokenCipher;
import io.healthmesh.connector.messaging.ConnectionStatusPublisher;
import io.healthmesh.connector.provider.OAuthProvider;
import io.healthmesh.connector.provider.ProviderException;
import io.healthmesh.connector.provider.TokenGrant;
import io.healthmesh.connector.repository.ConnectionRecord;
import io.healthmesh.connector.repository.ConnectionRepository;
import io.healthmesh.connector.repository.TokenRecord;
import io.healthmesh.contracts.status.ConnectionState;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * The connection directory over PostgreSQL (tables of V900). Blocking API for the sync side's
 * worker threads (never call it on an event loop). Tokens are decrypted only to be handed out or
 * sent to the provider; none reaches a log or an exception message.
 *
 * <p>Refresh: a token that expires within {@code healthmesh.connector.refresh-margin} (or that the
 * provider just refused) is refreshed inside a transaction holding the connection row's lock
 * ({@code SELECT .. FOR UPDATE}). The expiry is checked again once the lock is held, so of several
 * replicas asking at once one calls the provider and the others get its new token. The new access
 * token and the (rotated, or re-encrypted) refresh token are written by one statement before the
 * lock is released. A refused refresh marks the connection token_expired and reports it.
 */
@ApplicationScoped
public class PgConnectionDirectory implements ConnectionDirectory {

    private static final Logger LOG = Logger.getLogger(PgConnectionDirectory.class);

    static final Duration DB_TIMEOUT = Duration.ofSeconds(30);
    /** Waiting for the lock (another replica's refresh) plus our own provider call. */
    private static final Duration REFRESH_TIMEOUT = Duration.ofSeconds(90);
    private static final int MAX_REASON = 500;
    private static final Set<ConnectionState> SYNCABLE =
            EnumSet.of(ConnectionState.CONNECTED, ConnectionState.SYNCING, ConnectionState.BACKFILLING,
                    ConnectionState.ERROR);

    static final String REFUSED_REASON = "The provider no longer accepts this connection's authorization; "
            + "connect the source again.";

    private final Pool pool;
    private final ConnectionRepository repository;
    private final TokenCipher cipher;
    private final ConnectionStatusPublisher publisher;
    private final Providers providers;
    private final Duration refreshMargin;

    public PgConnectionDirectory(Pool pool, ConnectionRepository repository, TokenCipher cipher,
            ConnectionStatusPublisher publisher, Providers providers, ConnectionsConfig config) {
        this.pool = pool;
        this.repository = repository;
        this.cipher = cipher;
        this.publisher = publisher;
        this.providers = providers;
        this.refreshMargin = config.refreshMargin();
    }

    @Override
    public Optional<ConnectionRef> find(String userId, String source) {
        return repository.find(pool, userId, source).await().atMost(DB_TIMEOUT)
                .filter(c -> c.state() != ConnectionState.DISCONNECTED)
                .map(PgConnectionDirectory::ref);
    }

    @Override
    public Optional<ConnectionRef> byProviderUser(String source, String providerUserId) {
        if (providerUserId == null) {
            return Optional.empty();
        }
        return repository.byProviderUser(pool, source, providerUserId).await().atMost(DB_TIMEOUT)
                .map(PgConnectionDirectory::ref);
    }

    @Override
    public boolean maySync(String userId, String source) {
        return repository.find(pool, userId, source).await().atMost(DB_TIMEOUT)
                .map(c -> SYNCABLE.contains(c.state()))
                .orElse(false);
    }

    @Override
    public String accessToken(String userId, String source, String refusedToken) throws ProviderException {
        TokenRecord tokens = repository.tokens(pool, userId, source, refreshMargin, false).await().atMost(DB_TIMEOUT)
                .orElseThrow(() -> notConnected(userId, source));
        requireUsable(tokens);
        String access = cipher.decrypt(tokens.accessToken(), TokenContexts.access(userId, source));
        if (!tokens.expiring() && access != null && !access.equals(refusedToken)) {
            return access;
        }
        return refreshUnderLock(userId, source, refusedToken);
    }

    private String refreshUnderLock(String userId, String source, String refusedToken) throws ProviderException {
        OAuthProvider provider = providers.provider(source).orElseThrow(() -> new ProviderException(
                ProviderException.Kind.FAILED, "This service has no OAuth provider for " + source));
        RefreshOutcome outcome = pool.withTransaction(connection -> connection
                        .query("SET LOCAL lock_timeout = '60s'").execute()
                        .chain(() -> repository.tokens(connection, userId, source, refreshMargin, true))
                        .chain(locked -> {
                            if (locked.isEmpty()) {
                                return Uni.createFrom().item(RefreshOutcome.failed(notConnected(userId, source)));
                            }
                            TokenRecord tokens = locked.get();
                            ProviderException unusable = unusable(tokens);
                            if (unusable != null) {
                                return Uni.createFrom().item(RefreshOutcome.failed(unusable));
                            }
                            String access = cipher.decrypt(tokens.accessToken(), TokenContexts.access(userId, source));
                            if (!tokens.expiring() && access != null && !access.equals(refusedToken)) {
                                // Refreshed by someone else while we waited for the lock.
                                return Uni.createFrom().item(RefreshOutcome.token(access));
                            }
                            return refresh(connection, provider, tokens);
                        }))
                .await().atMost(REFRESH_TIMEOUT);
        if (outcome.failure() != null) {
            throw outcome.failure();
        }
        return outcome.accessToken();
    }

    /** Runs inside the transaction that holds the row lock; the provider call runs on a worker thread. */
    private Uni<RefreshOutcome> refresh(SqlConnection connection, OAuthProvider provider, TokenRecord tokens) {
        String userId = tokens.userId();
        String source = tokens.source();
        String refreshToken = cipher.decrypt(tokens.refreshToken(), TokenContexts.refresh(userId, source));
        if (refreshToken == null) {
            return expire(connection, userId, source, "no refresh token stored");
        }
        return Uni.createFrom().item(() -> callRefresh(provider, refreshToken))
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .chain(result -> {
                    if (result.grant() != null) {
                        TokenGrant grant = result.grant();
                        String newRefresh = grant.refreshToken() != null ? grant.refreshToken() : refreshToken;
                        return repository.refreshed(connection, userId, source,
                                        cipher.encrypt(grant.accessToken(), TokenContexts.access(userId, source)),
                                        cipher.encrypt(newRefresh, TokenContexts.refresh(userId, source)),
                                        cipher.currentKeyId(), grant.expiresIn(), grant.scope())
                                .map(saved -> {
                                    LOG.debugf("Refreshed the access token of %s/%s (refresh token %s)", userId, source,
                                            grant.refreshToken() != null ? "rotated" : "kept");
                                    return RefreshOutcome.token(grant.accessToken());
                                });
                    }
                    ProviderException failure = result.failure();
                    if (failure.kind() == ProviderException.Kind.GRANT_REFUSED) {
                        return expire(connection, userId, source, failure.getMessage());
                    }
                    LOG.warnf("Refreshing the token of %s/%s failed (%s): %s", userId, source, failure.kind(),
                            failure.getMessage());
                    return Uni.createFrom().item(RefreshOutcome.failed(failure));
                });
    }

    /** token_expired, reported before the transaction commits; the caller gets GRANT_REFUSED. */
    private Uni<RefreshOutcome> expire(SqlConnection connection, String userId, String source, String why) {
        LOG.warnf("The provider refused to refresh %s/%s (%s); the connection is token_expired", userId, source, why);
        return reportIn(connection, userId, source, ConnectionState.TOKEN_EXPIRED, null, REFUSED_REASON, null, null)
                .map(reported -> RefreshOutcome.failed(new ProviderException(ProviderException.Kind.GRANT_REFUSED,
                        "The provider refused the refresh token of " + userId + "/" + source)));
    }

    private static RefreshCall callRefresh(OAuthProvider provider, String refreshToken) {
        try {
            TokenGrant grant = provider.refresh(refreshToken);
            if (grant == null || grant.accessToken() == null || grant.accessToken().isBlank()) {
                return new RefreshCall(null, new ProviderException(ProviderException.Kind.FAILED,
                        "The provider's refresh answer holds no access token"));
            }
            return new RefreshCall(grant, null);
        } catch (ProviderException e) {
            return new RefreshCall(null, e);
        } catch (RuntimeException e) {
            // Only the type: an adapter's exception message may quote its request.
            return new RefreshCall(null, new ProviderException(ProviderException.Kind.FAILED,
                    "The provider adapter failed to refresh (" + e.getClass().getName() + ")"));
        }
    }

    @Override
    public void report(String userId, String source, ConnectionState state, Double progress, String reason,
            OffsetDateTime lastSuccessfulSync, OffsetDateTime nextSync) {
        Optional<ConnectionRecord> reported = pool.withTransaction(connection -> reportIn(connection, userId, source,
                        state, progress, reason, lastSuccessfulSync, nextSync))
                .await().atMost(DB_TIMEOUT);
        if (reported.isEmpty()) {
            LOG.debugf("Report %s on %s/%s ignored: no connection, or it is disconnected or expired", state.code(),
                    userId, source);
        }
    }

    /**
     * Stores a report in the given transaction and publishes it before the transaction commits: the
     * caller's commit happens only once the broker has the report (if the broker refuses, the
     * stored state rolls back with it). Empty (nothing published) when the state may not change.
     */
    Uni<Optional<ConnectionRecord>> reportIn(SqlClient client, String userId, String source, ConnectionState state,
            Double progress, String reason, OffsetDateTime lastSuccessfulSync, OffsetDateTime nextSync) {
        Double share = state == ConnectionState.BACKFILLING ? clamp(progress) : null;
        String why = state == ConnectionState.ERROR || state == ConnectionState.TOKEN_EXPIRED ? cut(reason) : null;
        return repository.report(client, userId, source, state, share, why, lastSuccessfulSync, nextSync)
                .chain(row -> row.isEmpty() ? Uni.createFrom().item(row)
                        : publisher.publish(row.get().toStatus()).replaceWith(row));
    }

    /** Publishes a stored row's state as it is (disconnect, which changed the row itself). */
    Uni<Void> publish(ConnectionRecord row) {
        return publisher.publish(row.toStatus());
    }

    private static Double clamp(Double progress) {
        if (progress == null || progress.isNaN()) {
            return 0.0;
        }
        return Math.max(0.0, Math.min(1.0, progress));
    }

    private static String cut(String reason) {
        if (reason == null) {
            return null;
        }
        return reason.length() > MAX_REASON ? reason.substring(0, MAX_REASON) : reason;
    }

    private static void requireUsable(TokenRecord tokens) throws ProviderException {
        ProviderException unusable = unusable(tokens);
        if (unusable != null) {
            throw unusable;
        }
    }

    private static ProviderException unusable(TokenRecord tokens) {
        if (tokens.state() == ConnectionState.DISCONNECTED || tokens.accessToken() == null) {
            return notConnected(tokens.userId(), tokens.source());
        }
        if (tokens.state() == ConnectionState.TOKEN_EXPIRED) {
            return new ProviderException(ProviderException.Kind.GRANT_REFUSED,
                    "The connection " + tokens.userId() + "/" + tokens.source() + " is token_expired");
        }
        return null;
    }

    private static ProviderException notConnected(String userId, String source) {
        return new ProviderException(ProviderException.Kind.GRANT_REFUSED,
                "There is no connection " + userId + "/" + source);
    }

    static ConnectionRef ref(ConnectionRecord record) {
        return new ConnectionRef(record.userId(), record.source(), record.providerUserId());
    }

    private record RefreshCall(TokenGrant grant, ProviderException failure) {
    }

    private record RefreshOutcome(String accessToken, ProviderException failure) {
        static RefreshOutcome token(String accessToken) {
            return new RefreshOutcome(accessToken, null);
        }

        static RefreshOutcome failed(ProviderException failure) {
            return new RefreshOutcome(null, failure);
        }

        @Override
        public String toString() {
            return failure == null ? "RefreshOutcome[token]" : "RefreshOutcome[" + failure.kind() + "]";
        }
    }

    Pool pool() {
        return pool;
    }
}
