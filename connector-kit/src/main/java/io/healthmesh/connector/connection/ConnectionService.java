package io.healthmesh.connector.connection;

import io.healthmesh.commons.problem.ProblemException;
import io.healthmesh.connector.crypto.TokenCipher;
import io.healthmesh.connector.crypto.TokenCipherException;
import io.healthmesh.connector.provider.ConnectionHooks;
import io.healthmesh.connector.provider.OAuthProvider;
import io.healthmesh.connector.provider.ProviderException;
import io.healthmesh.connector.repository.ConnectionRecord;
import io.healthmesh.connector.repository.ConnectionRepository;
import io.healthmesh.connector.repository.TokenRecord;
import io.healthmesh.connector.sync.SyncScheduler;
import io.healthmesh.connector.sync.service.RateBudget;
import io.healthmesh.contracts.status.ConnectionState;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Optional;
import org.jboss.logging.Logger;

/** A user's connection as stored, and its end: disconnect (imported data stays: nothing here touches it). */
@ApplicationScoped
public class ConnectionService {

    private static final Logger LOG = Logger.getLogger(ConnectionService.class);

    private final Providers providers;
    private final RateBudget budget;
    private final ConnectionRepository repository;
    private final PgConnectionDirectory directory;
    private final TokenCipher cipher;
    private final SyncScheduler scheduler;

    public ConnectionService(Providers providers, ConnectionRepository repository, PgConnectionDirectory directory,
            TokenCipher cipher, SyncScheduler scheduler, RateBudget budget) {
        this.providers = providers;
        this.budget = budget;
        this.repository = repository;
        this.directory = directory;
        this.cipher = cipher;
        this.scheduler = scheduler;
    }

    /** The stored connection (disconnected ones included), or a 404 problem {@code not-connected}. */
    public ConnectionRecord find(String userId, String source) {
        providers.require(source);
        return repository.find(directory.pool(), userId, source).await().atMost(PgConnectionDirectory.DB_TIMEOUT)
                .orElseThrow(() -> notConnected(source));
    }

    /**
     * Hooks (best effort), revocation at the provider (best effort), tokens deleted and state
     * disconnected (published before that commits), then the sync side drops its tasks.
     */
    public ConnectionRecord disconnect(String userId, String source) {
        OAuthProvider provider = providers.require(source);
        ConnectionRecord existing = repository.find(directory.pool(), userId, source)
                .await().atMost(PgConnectionDirectory.DB_TIMEOUT)
                .filter(c -> c.state() != ConnectionState.DISCONNECTED)
                .orElseThrow(() -> notConnected(source));
        ConnectionRef connection = PgConnectionDirectory.ref(existing);

        runDisconnectingHook(connection);
        revoke(provider, userId, source);

        Optional<ConnectionRecord> gone;
        try {
            gone = directory.pool().withTransaction(tx -> repository.disconnect(tx, userId, source)
                            .chain(row -> row.isEmpty() ? Uni.createFrom().item(row)
                                    : directory.publish(row.get()).replaceWith(row)))
                    .await().atMost(PgConnectionDirectory.DB_TIMEOUT);
        } catch (RuntimeException e) {
            // Nothing committed: the tokens stay until a retry (revocation is best effort and may run again).
            LOG.errorf("Disconnecting %s/%s failed (%s)", userId, source, e.toString());
            throw ProblemException.unavailable("status-unavailable",
                    "The disconnect could not be stored and published; try again shortly.");
        }
        try {
            scheduler.disconnected(connection);
        } catch (RuntimeException e) {
            // The connection cannot sync any more (maySync is false); leftover tasks find that out.
            LOG.errorf("The sync side could not drop the tasks of %s/%s (%s)", userId, source, e.toString());
        }
        LOG.infof("User %s disconnected %s", userId, source);
        return gone.orElseGet(() -> find(userId, source));
    }

    private void runDisconnectingHook(ConnectionRef connection) {
        Optional<ConnectionHooks> hooks = providers.hooks(connection.source());
        if (hooks.isEmpty()) {
            return;
        }
        try {
            hooks.get().disconnecting(new HookSyncContext(directory, budget, connection.userId(), connection.source(),
                    connection.providerUserId()));
        } catch (ProviderException e) {
            LOG.warnf("The disconnect hook of %s/%s failed (%s): %s; disconnecting anyway", connection.userId(),
                    connection.source(), e.kind(), e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            LOG.warnf("The disconnect hook of %s/%s was interrupted; disconnecting anyway", connection.userId(),
                    connection.source());
        } catch (RuntimeException e) {
            LOG.warnf("The disconnect hook of %s/%s failed (%s); disconnecting anyway", connection.userId(),
                    connection.source(), e.getClass().getName());
        }
    }

    private void revoke(OAuthProvider provider, String userId, String source) {
        Optional<TokenRecord> tokens = repository.tokens(directory.pool(), userId, source, Duration.ZERO, false)
                .await().atMost(PgConnectionDirectory.DB_TIMEOUT);
        if (tokens.isEmpty() || (tokens.get().accessToken() == null && tokens.get().refreshToken() == null)) {
            return;
        }
        try {
            String access = cipher.decrypt(tokens.get().accessToken(), TokenContexts.access(userId, source));
            String refresh = cipher.decrypt(tokens.get().refreshToken(), TokenContexts.refresh(userId, source));
            provider.revoke(access, refresh);
        } catch (ProviderException e) {
            LOG.warnf("Revoking the grant of %s/%s failed (%s): %s; deleting the tokens anyway", userId, source,
                    e.kind(), e.getMessage());
        } catch (TokenCipherException e) {
            LOG.warnf("The tokens of %s/%s cannot be read (%s); deleting them without revoking", userId, source,
                    e.getMessage());
        } catch (RuntimeException e) {
            LOG.warnf("Revoking the grant of %s/%s failed (%s); deleting the tokens anyway", userId, source,
                    e.getClass().getName());
        }
    }

    private static ProblemException notConnected(String source) {
        return ProblemException.notFound("not-connected", "There is no connection to " + source + " for this user.");
    }
}
