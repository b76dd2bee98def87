package io.healthmesh.commons.security;

import static io.healthmesh.commons.security.ServiceAuthChecks.absoluteHttpUrl;
import static io.healthmesh.commons.security.ServiceAuthChecks.present;

import io.healthmesh.commons.security.ServiceAuthConfig.Mode;
import io.quarkus.oidc.client.OidcClients;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import java.net.URI;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The one way to get the credential an outgoing internal call carries, whatever the mode: the
 * value of its {@code Authorization} header. REST clients get it through
 * {@link ServiceCredentialHeaders}; code that builds an internal request by hand (forwarding a
 * webhook, say) calls {@link #authorization()}.
 * <ul>
 * <li>{@code secret} mode: {@code Bearer <healthmesh.service-secret>}, at once;</li>
 * <li>{@code oidc} mode: {@code Bearer <access token>} of a client-credentials grant at
 * {@code healthmesh.service-auth.client.token-url} (through quarkus-oidc-client), kept until
 * shortly before it expires and then replaced; concurrent callers share one token request.</li>
 * </ul>
 */
@ApplicationScoped
public class ServiceCredentials {

    private static final Logger LOG = Logger.getLogger(ServiceCredentials.class);

    private final Mode mode;
    private final Uni<String> secretBearer;
    private final ClientCredentialsTokens tokens;
    private final String notConfigured;

    public ServiceCredentials(ServiceAuthConfig config,
            @ConfigProperty(name = "healthmesh.service-secret") Optional<String> secret,
            Instance<OidcClients> oidcClients) {
        this.mode = config.mode();
        if (mode == Mode.SECRET) {
            this.secretBearer = Uni.createFrom().item("Bearer " + ServiceAuthChecks.requireSecret(secret));
            this.tokens = null;
            this.notConfigured = null;
            return;
        }
        this.secretBearer = null;
        ServiceAuthConfig.Client client = config.client();
        boolean any = present(client.tokenUrl()) || present(client.clientId()) || present(client.clientSecret());
        boolean all = present(client.tokenUrl()) && present(client.clientId()) && present(client.clientSecret());
        if (any && !all) {
            throw new IllegalStateException("healthmesh.service-auth.client.token-url, client-id and client-secret "
                    + "(HEALTHMESH_SERVICE_AUTH_CLIENT_TOKEN_URL, _CLIENT_ID, _CLIENT_SECRET) go together: some are "
                    + "missing");
        }
        if (all) {
            URI tokenUrl = absoluteHttpUrl(client.tokenUrl().get(), "healthmesh.service-auth.client.token-url");
            this.tokens = new ClientCredentialsTokens(oidcClients.get(), tokenUrl, client);
            this.notConfigured = null;
        } else {
            // A service that only answers internal calls needs no client of its own.
            this.tokens = null;
            this.notConfigured = "This service has no client credentials for internal calls: set "
                    + "healthmesh.service-auth.client.token-url, client-id and client-secret";
            LOG.info("oidc mode without healthmesh.service-auth.client.*: this service cannot make internal calls");
        }
    }

    /** Created at startup, so that incomplete client settings stop the service at once. */
    void onStart(@Observes StartupEvent started) {
        LOG.debugf("Internal calls carry the service credential of %s mode", mode);
    }

    /** The {@code Authorization} header value for an internal call; fails when no credential can be had. */
    public Uni<String> authorization() {
        if (mode == Mode.SECRET) {
            return secretBearer;
        }
        if (tokens == null) {
            return Uni.createFrom().failure(() -> new ServiceCredentialUnavailableException(notConfigured));
        }
        return tokens.accessToken().map(token -> "Bearer " + token);
    }

    @PreDestroy
    void close() {
        if (tokens != null) {
            tokens.close();
        }
    }
}
