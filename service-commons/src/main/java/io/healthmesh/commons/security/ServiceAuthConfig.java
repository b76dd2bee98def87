package io.healthmesh.commons.security;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * How services prove who they are to each other ({@code healthmesh.service-auth.*}); every key is
 * read at run time, so the same jar runs locally with the shared secret and in production with
 * OIDC client credentials. Each key maps to an environment variable
 * ({@code healthmesh.service-auth.client.token-url} -> {@code HEALTHMESH_SERVICE_AUTH_CLIENT_TOKEN_URL}).
 *
 * <p>The shared secret itself stays under its own key, {@code healthmesh.service-secret}
 * ({@code HEALTHMESH_SERVICE_SECRET}), read by {@link ServiceCredentialVerifier} and
 * {@link ServiceCredentials}.
 */
@ConfigMapping(prefix = "healthmesh.service-auth")
public interface ServiceAuthConfig {

    /**
     * {@code secret}: every internal call carries {@code healthmesh.service-secret} and internal
     * routes accept only that. {@code oidc}: calls carry a client-credentials access token from
     * {@link Client#tokenUrl()} and internal routes accept only JWTs of {@link #issuer()}.
     */
    @WithDefault("secret")
    Mode mode();

    /** The {@code iss} every accepted token carries (oidc mode; required there). */
    Optional<String> issuer();

    /**
     * Where the issuer publishes its signing keys; when absent, the {@code jwks_uri} of
     * {@code <issuer>/.well-known/openid-configuration}.
     */
    Optional<String> jwksUrl();

    /** An {@code aud} every accepted token must name (oidc mode; required there). */
    Optional<String> audience();

    /**
     * A value the {@link #scopeClaim()} of every accepted token must contain (a scope, or a role
     * when the claim is a roles claim); when absent, no scope is required.
     */
    Optional<String> requiredScope();

    /**
     * The claim {@link #requiredScope()} is looked up in: a space-separated string ({@code scope})
     * or an array of strings ({@code scp}, {@code roles}).
     */
    @WithDefault("scope")
    String scopeClaim();

    /** Leeway for {@code exp} and {@code nbf} against this machine's clock. */
    @WithDefault("30s")
    Duration clockSkew();

    /** Keys older than this are fetched again (in the background; verification goes on meanwhile). */
    @WithDefault("10m")
    Duration jwksRefreshInterval();

    /**
     * The shortest time between two fetches of the keys triggered by a token with an unknown key id,
     * so that made-up key ids cannot make a service hammer the issuer.
     */
    @WithDefault("10s")
    Duration jwksMinRefreshInterval();

    /** How long one request to the issuer (discovery, keys) may take. */
    @WithDefault("5s")
    Duration httpTimeout();

    /** The client-credentials client this service gets its own tokens with (oidc mode). */
    Client client();

    enum Mode {
        SECRET,
        OIDC
    }

    interface Client {

        /**
         * The token endpoint, an absolute http(s) URL (quarkus-oidc-client quietly disables a
         * client whose token endpoint is not absolute, so it is checked before).
         */
        Optional<String> tokenUrl();

        Optional<String> clientId();

        Optional<String> clientSecret();

        /** Scopes asked for (sent as one space-separated {@code scope} parameter). */
        Optional<List<String>> scopes();

        /** Sent as the {@code audience} parameter, for issuers that want one (Auth0 and the like). */
        Optional<String> audience();

        /**
         * How long before its expiry a token is replaced; a token that lives less than twice this is
         * replaced at half its life.
         */
        @WithDefault("30s")
        Duration refreshMargin();

        /** How long one token request may take. */
        @WithDefault("5s")
        Duration timeout();
    }
}
