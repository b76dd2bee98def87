package io.healthmesh.commons.security;

import io.healthmesh.commons.security.ServiceAuthConfig.Mode;
import io.healthmesh.commons.security.ServiceTokenVerifier.Verdict;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Checks the credential of a service-to-service call, by {@code healthmesh.service-auth.mode}:
 * <ul>
 * <li>{@code secret} (default): the configured shared secret ({@code healthmesh.service-secret},
 * compared in constant time), which must then be set and not blank;</li>
 * <li>{@code oidc}: an OIDC client-credentials access token of the configured issuer and audience
 * ({@link ServiceTokenVerifier}); the shared secret is not accepted, and need not be set.</li>
 * </ul>
 * Created at startup, so a missing setting stops the service before it serves anything, and in
 * oidc mode the issuer's keys are fetched (in the background) before the first call arrives.
 */
@ApplicationScoped
public class ServiceCredentialVerifier {

    private static final Logger LOG = Logger.getLogger(ServiceCredentialVerifier.class);

    private final byte[] secret;
    private final ServiceTokenVerifier tokens;

    public ServiceCredentialVerifier(ServiceAuthConfig config,
            @ConfigProperty(name = "healthmesh.service-secret") Optional<String> secret) {
        if (config.mode() == Mode.SECRET) {
            this.secret = ServiceAuthChecks.requireSecret(secret).getBytes(StandardCharsets.UTF_8);
            this.tokens = null;
        } else {
            this.secret = null;
            this.tokens = tokenVerifier(config);
        }
    }

    void onStart(@Observes StartupEvent started) {
        if (tokens != null) {
            LOG.infof("Internal routes accept OIDC client-credentials tokens (%s)", tokens);
            tokens.keys().refresh(true);
        }
    }

    /** The mode's outcome for the bearer value of a call: accepted, refused, or not checkable now. */
    Uni<Verdict> verify(String presented) {
        if (tokens != null) {
            return tokens.verify(presented);
        }
        return Uni.createFrom().item(acceptsSecret(presented) ? Verdict.ACCEPTED : Verdict.REFUSED);
    }

    private boolean acceptsSecret(String presented) {
        // Constant-time comparison so the secret cannot be guessed byte by byte from timings.
        return MessageDigest.isEqual(secret, presented.getBytes(StandardCharsets.UTF_8));
    }

    static ServiceTokenVerifier tokenVerifier(ServiceAuthConfig config) {
        String issuer = config.issuer().filter(value -> !value.isBlank()).orElseThrow(() -> new IllegalStateException(
                "healthmesh.service-auth.issuer (HEALTHMESH_SERVICE_AUTH_ISSUER) must be set when "
                        + "healthmesh.service-auth.mode is oidc"));
        ServiceAuthChecks.absoluteHttpUrl(issuer, "healthmesh.service-auth.issuer");
        String audience = config.audience().filter(value -> !value.isBlank()).orElseThrow(() ->
                new IllegalStateException("healthmesh.service-auth.audience (HEALTHMESH_SERVICE_AUTH_AUDIENCE) must "
                        + "be set when healthmesh.service-auth.mode is oidc"));
        URI jwks = config.jwksUrl().filter(value -> !value.isBlank())
                .map(value -> ServiceAuthChecks.absoluteHttpUrl(value, "healthmesh.service-auth.jwks-url"))
                .orElse(null);
        IssuerKeys keys = new IssuerKeys(issuer, jwks, config.httpTimeout(), config.jwksRefreshInterval(),
                config.jwksMinRefreshInterval());
        return new ServiceTokenVerifier(issuer, audience, config.requiredScope().filter(value -> !value.isBlank()),
                config.scopeClaim(), config.clockSkew(), keys);
    }
}
