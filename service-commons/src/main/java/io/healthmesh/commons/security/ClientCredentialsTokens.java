package io.healthmesh.commons.security;

import io.quarkus.oidc.client.OidcClient;
import io.quarkus.oidc.client.OidcClientException;
import io.quarkus.oidc.client.OidcClients;
import io.quarkus.oidc.client.Tokens;
import io.quarkus.oidc.client.runtime.OidcClientConfig;
import io.quarkus.oidc.client.runtime.OidcClientConfig.Grant;
import io.quarkus.oidc.common.runtime.config.OidcClientCommonConfig.Credentials.Secret.Method;
import io.smallrye.mutiny.TimeoutException;
import io.smallrye.mutiny.Uni;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;
import org.jboss.logging.Logger;

/**
 * This service's own access token from a client-credentials grant, through a quarkus-oidc-client
 * {@link OidcClient} created programmatically (absolute token endpoint, no discovery, created on
 * first use), so nothing is configured under {@code quarkus.oidc-client} and services in secret
 * mode never build one. The token is kept until {@code refresh-margin} before it expires (at half
 * its life when it lives less than twice the margin; a minute when the answer says nothing of its
 * expiry), then a new grant replaces it; concurrent callers share one request.
 */
final class ClientCredentialsTokens {

    private static final Logger LOG = Logger.getLogger(ClientCredentialsTokens.class);

    static final String OIDC_CLIENT_ID = "healthmesh-service-auth";
    /** How long a token is kept when the token endpoint says nothing of its expiry. */
    static final Duration UNKNOWN_EXPIRY_REUSE = Duration.ofMinutes(1);
    /** What quarkus-oidc-client says, without a cause, when the token endpoint cannot be reached (OidcClientImpl). */
    private static final String OIDC_SERVER_NOT_AVAILABLE = "OIDC Server is not available";

    private record Cached(String accessToken, long replaceAtMillis) {
    }

    private final OidcClients oidcClients;
    private final OidcClientConfig clientConfig;
    private final String tokenUrl;
    private final Duration refreshMargin;
    private final Duration timeout;
    private final LongSupplier clock;

    private volatile Cached cached;
    // Guarded by this.
    private OidcClient client;
    private CompletableFuture<Cached> pending;
    private boolean closed;

    ClientCredentialsTokens(OidcClients oidcClients, URI tokenUrl, ServiceAuthConfig.Client settings) {
        this(oidcClients, tokenUrl, settings, System::currentTimeMillis);
    }

    ClientCredentialsTokens(OidcClients oidcClients, URI tokenUrl, ServiceAuthConfig.Client settings,
            LongSupplier clock) {
        this.oidcClients = oidcClients;
        this.tokenUrl = tokenUrl.toString();
        this.refreshMargin = settings.refreshMargin();
        this.timeout = settings.timeout();
        this.clock = clock;
        var builder = OidcClientConfig.builder()
                .id(OIDC_CLIENT_ID)
                // Absolute, or quarkus-oidc-client quietly makes a disabled client (checked by ServiceCredentials).
                .tokenPath(this.tokenUrl)
                .discoveryEnabled(false)
                .clientId(settings.clientId().orElseThrow())
                .credentials().clientSecret(settings.clientSecret().orElseThrow(), Method.BASIC).end()
                .connectionTimeout(settings.timeout())
                .grant(Grant.Type.CLIENT)
                .earlyTokensAcquisition(false);
        settings.scopes().filter(scopes -> !scopes.isEmpty()).ifPresent(builder::scopes);
        settings.audience().filter(audience -> !audience.isBlank()).ifPresent(builder::audience);
        this.clientConfig = builder.build();
    }

    /** A valid access token: the one held, or a new one when it is due for replacement. */
    Uni<String> accessToken() {
        Cached current = cached;
        if (current != null && clock.getAsLong() < current.replaceAtMillis()) {
            return Uni.createFrom().item(current.accessToken());
        }
        return Uni.createFrom().completionStage(this::renew).map(Cached::accessToken);
    }

    private CompletableFuture<Cached> renew() {
        CompletableFuture<Cached> result;
        OidcClient oidc;
        synchronized (this) {
            Cached current = cached;
            if (current != null && clock.getAsLong() < current.replaceAtMillis()) {
                return CompletableFuture.completedFuture(current);
            }
            if (pending != null) {
                return pending;
            }
            if (closed) {
                return CompletableFuture.failedFuture(new ServiceCredentialUnavailableException(
                        "The service's OIDC client is closed"));
            }
            result = new CompletableFuture<>();
            pending = result;
            oidc = client;
        }
        Uni<OidcClient> clientUni = oidc != null ? Uni.createFrom().item(oidc) : oidcClients.newClient(clientConfig)
                .invoke(created -> {
                    synchronized (this) {
                        client = created;
                    }
                });
        clientUni.chain(created -> created.getTokens())
                .ifNoItem().after(timeout.plus(timeout)).fail()
                .subscribe().with(tokens -> {
                    Cached next = cache(tokens);
                    synchronized (this) {
                        if (next != null) {
                            cached = next;
                        }
                        pending = null;
                    }
                    if (next == null) {
                        result.completeExceptionally(new ServiceCredentialUnavailableException(
                                "The token endpoint " + tokenUrl + " answered without an access token"));
                    } else {
                        result.complete(next);
                    }
                }, failure -> {
                    synchronized (this) {
                        pending = null;
                    }
                    ServiceCredentialUnavailableException unavailable = unavailable(failure);
                    LOG.warn(unavailable.getMessage());
                    result.completeExceptionally(unavailable);
                });
        return result;
    }

    private Cached cache(Tokens tokens) {
        if (tokens == null || tokens.getAccessToken() == null || tokens.getAccessToken().isBlank()) {
            return null;
        }
        long now = clock.getAsLong();
        Long expiresAt = tokens.getAccessTokenExpiresAt();
        long replaceAt;
        if (expiresAt == null) {
            replaceAt = now + UNKNOWN_EXPIRY_REUSE.toMillis();
        } else {
            long expiresAtMillis = expiresAt * 1000;
            long life = Math.max(0, expiresAtMillis - now);
            long margin = Math.min(refreshMargin.toMillis(), life / 2);
            replaceAt = expiresAtMillis - margin;
        }
        LOG.debugf("Got a service access token from %s; replacing it in %d s", tokenUrl,
                Math.max(0, (replaceAt - now) / 1000));
        return new Cached(tokens.getAccessToken(), replaceAt);
    }

    private ServiceCredentialUnavailableException unavailable(Throwable failure) {
        String why;
        if (failure instanceof TimeoutException) {
            why = "did not answer within " + timeout.plus(timeout);
        } else if (failure instanceof OidcClientException && OIDC_SERVER_NOT_AVAILABLE.equals(failure.getMessage())) {
            why = "could not be reached";
        } else if (failure instanceof OidcClientException) {
            // Its message is the token endpoint's raw answer: not repeated.
            why = "refused the client credentials or answered something that is not a token response";
        } else {
            why = "failed (" + failure.getClass().getSimpleName() + ")";
        }
        return new ServiceCredentialUnavailableException("No service access token: the token endpoint " + tokenUrl
                + " " + why);
    }

    void close() {
        OidcClient current;
        synchronized (this) {
            closed = true;
            current = client;
            client = null;
        }
        if (current != null) {
            try {
                current.close();
            } catch (IOException e) {
                LOG.debugf("Closing the service's OIDC client failed (%s)", e.getClass().getName());
            }
        }
    }
}
