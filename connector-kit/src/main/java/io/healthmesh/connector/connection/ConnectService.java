package io.healthmesh.connector.connection;

import io.healthmesh.commons.problem.Problem;
import io.healthmesh.commons.problem.ProblemException;
import io.healthmesh.connector.config.ConnectAddresses;
import io.healthmesh.connector.config.ConnectionsConfig;
import io.healthmesh.connector.crypto.Pkce;
import io.healthmesh.connector.crypto.StateSigner;
import io.healthmesh.connector.crypto.TokenCipher;
import io.healthmesh.connector.provider.ConnectionHooks;
import io.healthmesh.connector.provider.OAuthProvider;
import io.healthmesh.connector.provider.ProviderException;
import io.healthmesh.connector.provider.TokenGrant;
import io.healthmesh.connector.repository.ConnectionRecord;
import io.healthmesh.connector.repository.ConnectionRepository;
import io.healthmesh.connector.repository.ConsumedState;
import io.healthmesh.connector.sync.SyncScheduler;
import io.healthmesh.connector.sync.service.RateBudget;
import io.healthmesh.contracts.status.ConnectionState;
import io.vertx.pgclient.PgException;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * The OAuth2 authorization-code flow: the authorization URL with a signed, single-use, expiring
 * state (and PKCE where the provider has it), then the callback: state consumed once, code
 * exchanged, tokens stored encrypted, hooks, the backfill queued, the browser sent back.
 * Every failure is a problem answer; none carries a token, a code or a stack trace.
 */
@ApplicationScoped
public class ConnectService {

    private static final Logger LOG = Logger.getLogger(ConnectService.class);

    public static final String OUTCOME_CONNECTED = "connected";

    private final Providers providers;
    private final RateBudget budget;
    private final StateSigner signer;
    private final TokenCipher cipher;
    private final ConnectionRepository repository;
    private final PgConnectionDirectory directory;
    private final SyncScheduler scheduler;
    private final ConnectionsConfig config;
    private final ConnectAddresses addresses;

    public ConnectService(Providers providers, StateSigner signer, TokenCipher cipher,
            ConnectionRepository repository, PgConnectionDirectory directory, SyncScheduler scheduler,
            ConnectionsConfig config, ConnectAddresses addresses, RateBudget budget) {
        this.providers = providers;
        this.budget = budget;
        this.signer = signer;
        this.cipher = cipher;
        this.repository = repository;
        this.directory = directory;
        this.scheduler = scheduler;
        this.config = config;
        this.addresses = addresses;
    }

    /** Where the user's browser goes to give consent; the state is stored before the URL is handed out. */
    public URI authorizationUrl(String userId, String source) {
        OAuthProvider provider = providers.require(source);
        StateSigner.Issued state = signer.issue(source);
        String verifier = provider.supportsPkce() ? Pkce.newVerifier() : null;
        repository.insertState(directory.pool(), state.id(), userId, source,
                        cipher.encrypt(verifier, TokenContexts.pkceVerifier(state.id())), config.stateTtl())
                .await().atMost(PgConnectionDirectory.DB_TIMEOUT);
        String challenge = verifier == null ? null : Pkce.s256Challenge(verifier);
        return provider.authorizationUrl(state.value(), challenge, addresses.redirectUri(source));
    }

    /**
     * Completes a connect from the provider's redirect; answers where the browser goes next.
     *
     * @param error the provider's {@code error} parameter ({@code access_denied} when consent was refused)
     */
    public URI complete(String source, String state, String code, String error) {
        OAuthProvider provider = providers.require(source);
        String stateId = signer.verify(source, state).orElseThrow(() -> invalidState(
                "The state is missing, malformed or was not issued by this service."));
        ConsumedState consumed = repository.consumeState(directory.pool(), stateId, source)
                .await().atMost(PgConnectionDirectory.DB_TIMEOUT)
                .orElseThrow(() -> invalidState(whyUnusable(stateId, source)));
        String userId = consumed.userId();

        if (error != null && !error.isBlank()) {
            throw providerError(userId, source, error);
        }
        if (code == null || code.isBlank()) {
            throw ProblemException.badRequest("missing-code",
                    "The provider's redirect carries neither a code nor an error; connect again.");
        }
        String verifier = cipher.decrypt(consumed.codeVerifier(), TokenContexts.pkceVerifier(stateId));
        TokenGrant grant = exchange(provider, userId, source, code, verifier);

        ConnectionRecord stored = store(userId, source, grant);
        ConnectionRef connection = PgConnectionDirectory.ref(stored);
        String hookFailure = runConnectedHook(connection);
        try {
            if (hookFailure == null) {
                directory.report(userId, source, ConnectionState.BACKFILLING, 0.0, null, null, null);
            } else {
                directory.report(userId, source, ConnectionState.ERROR, null, hookFailure, null, null);
            }
        } catch (RuntimeException e) {
            LOG.errorf("Connected %s/%s but could not report it (%s)", userId, source, e.toString());
            throw ProblemException.unavailable("status-unavailable",
                    "The connection is stored but its status could not be published; connect again shortly.");
        }
        scheduler.connected(connection);
        LOG.infof("User %s connected %s (provider user %s, scope %s)", userId, source, stored.providerUserId(),
                stored.scope());
        return addresses.returnUrl(source, OUTCOME_CONNECTED);
    }

    private TokenGrant exchange(OAuthProvider provider, String userId, String source, String code, String verifier) {
        TokenGrant grant;
        try {
            grant = provider.exchange(code, verifier, addresses.redirectUri(source));
        } catch (ProviderException e) {
            LOG.warnf("Code exchange for %s/%s failed (%s): %s", userId, source, e.kind(), e.getMessage());
            throw switch (e.kind()) {
                case GRANT_REFUSED -> ProblemException.badRequest("code-refused", "The provider refused the "
                        + "authorization code (it expired or was already used); connect again.");
                case UNAVAILABLE, RATE_LIMITED -> badGateway("provider-unavailable",
                        "The provider could not be reached or is busy; try connecting again later.");
                default -> badGateway("provider-failed", "The provider did not complete the connect; try again later.");
            };
        } catch (RuntimeException e) {
            // Only the type: an adapter's exception message may quote its request (code, client secret).
            LOG.warnf("Code exchange for %s/%s failed in the provider adapter (%s)", userId, source,
                    e.getClass().getName());
            throw badGateway("provider-failed", "The provider did not complete the connect; try again later.");
        }
        if (grant == null || grant.accessToken() == null || grant.accessToken().isBlank()) {
            LOG.warnf("Code exchange for %s/%s gave no access token", userId, source);
            throw badGateway("provider-failed", "The provider's answer holds no access token; try again later.");
        }
        return grant;
    }

    private ConnectionRecord store(String userId, String source, TokenGrant grant) {
        try {
            return repository.connect(directory.pool(), userId, source, grant.providerUserId(),
                            cipher.encrypt(grant.accessToken(), TokenContexts.access(userId, source)),
                            cipher.encrypt(grant.refreshToken(), TokenContexts.refresh(userId, source)),
                            cipher.currentKeyId(), grant.expiresIn(), grant.scope())
                    .await().atMost(PgConnectionDirectory.DB_TIMEOUT);
        } catch (PgException e) {
            if ("23505".equals(e.getSqlState())
                    && ConnectionRepository.PROVIDER_USER_INDEX.equals(e.getConstraint())) {
                // The tokens are dropped, not revoked: revoking would end the other user's grant too.
                LOG.warnf("User %s tried to connect %s account %s, which another user has connected", userId, source,
                        grant.providerUserId());
                throw ProblemException.conflict("provider-account-in-use", "This " + source
                        + " account is already connected to another Healthmesh account; disconnect it there first.");
            }
            throw e;
        }
    }

    /** Null when the hook (if any) ran; else a reason to report. Never fatal to the connect. */
    private String runConnectedHook(ConnectionRef connection) {
        Optional<ConnectionHooks> hooks = providers.hooks(connection.source());
        if (hooks.isEmpty()) {
            return null;
        }
        try {
            hooks.get().connected(new HookSyncContext(directory, budget, connection.userId(), connection.source(),
                    connection.providerUserId()));
            return null;
        } catch (ProviderException e) {
            LOG.warnf("The connect hook of %s/%s failed (%s): %s", connection.userId(), connection.source(), e.kind(),
                    e.getMessage());
            return "Connected, but setting up updates from " + connection.source() + " failed: " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "Connected, but setting up updates from " + connection.source() + " was interrupted.";
        } catch (RuntimeException e) {
            LOG.warnf("The connect hook of %s/%s failed (%s)", connection.userId(), connection.source(),
                    e.getClass().getName());
            return "Connected, but setting up updates from " + connection.source() + " failed.";
        }
    }

    private ProblemException providerError(String userId, String source, String error) {
        String code = error.length() > 64 ? error.substring(0, 64) : error;
        code = code.replaceAll("[^A-Za-z0-9_.-]", "?");
        LOG.infof("The provider's redirect for %s/%s carries error %s", userId, source, code);
        return switch (code) {
            case "access_denied" -> new ProblemException(Problem.of("consent-denied", 403, "Forbidden",
                    "Access to " + source + " was not granted; nothing was connected."));
            case "server_error", "temporarily_unavailable" -> badGateway("provider-unavailable",
                    "The provider could not complete the authorization (" + code + "); try again later.");
            default -> ProblemException.badRequest("authorization-failed",
                    "The provider ended the authorization with error '" + code + "'; nothing was connected.");
        };
    }

    private String whyUnusable(String stateId, String source) {
        Optional<String> fate = repository.stateFate(directory.pool(), stateId, source)
                .await().atMost(PgConnectionDirectory.DB_TIMEOUT);
        return switch (fate.orElse("unknown")) {
            case "used" -> "This authorization was already completed; a state is good for one callback only.";
            case "expired" -> "This authorization took too long and expired; connect again.";
            default -> "The state is not known to this service; connect again.";
        };
    }

    private static ProblemException invalidState(String detail) {
        return ProblemException.badRequest("invalid-state", detail);
    }

    private static ProblemException badGateway(String slug, String detail) {
        return new ProblemException(Problem.of(slug, 502, "Bad gateway", detail));
    }
}
