package io.healthmesh.connector.provider.standard;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What a connector declares about a provider that speaks standard OAuth2 (RFC 6749 authorization
 * code, optionally RFC 7636 PKCE, optionally RFC 7009 revocation). Built with {@link #builder(String)}
 * from the connector's own configuration ({@code oura.auth-url}, ...) and handed to
 * {@link StandardOAuthProviders#create}. Holds the client secret: {@link #toString()} leaves it out.
 */
public final class StandardOAuthSettings {

    /** Authorization request parameters the provider sets itself; extra parameters may not replace them. */
    static final Set<String> RESERVED_AUTHORIZE_PARAMETERS = Set.of("response_type", "client_id", "redirect_uri",
            "scope", "state", "code_challenge", "code_challenge_method");

    private final String source;
    private final URI authorizationEndpoint;
    private final URI tokenEndpoint;
    private final Revocation revocation;
    private final String clientId;
    private final String clientSecret;
    private final ClientAuthentication clientAuthentication;
    private final List<String> scopes;
    private final String scopeSeparator;
    private final boolean pkce;
    private final Map<String, String> extraAuthorizeParameters;
    private final Duration defaultExpiresIn;
    private final Duration connectTimeout;
    private final Duration requestTimeout;

    private StandardOAuthSettings(Builder builder) {
        source = requireText(builder.source, "source");
        authorizationEndpoint = requireAbsoluteHttp(builder.authorizationEndpoint, "authorization endpoint");
        tokenEndpoint = requireAbsoluteHttp(builder.tokenEndpoint, "token endpoint");
        revocation = Objects.requireNonNull(builder.revocation, "revocation");
        clientId = requireText(builder.clientId, "client id");
        clientSecret = requireText(builder.clientSecret, "client secret");
        clientAuthentication = Objects.requireNonNull(builder.clientAuthentication, "client authentication");
        scopes = List.copyOf(builder.scopes);
        scopeSeparator = Objects.requireNonNull(builder.scopeSeparator, "scope separator");
        pkce = builder.pkce;
        for (String name : builder.extraAuthorizeParameters.keySet()) {
            if (RESERVED_AUTHORIZE_PARAMETERS.contains(name)) {
                throw new IllegalArgumentException("The authorization parameter '" + name + "' is set by the kit");
            }
        }
        extraAuthorizeParameters = Collections.unmodifiableMap(new LinkedHashMap<>(builder.extraAuthorizeParameters));
        defaultExpiresIn = requirePositive(builder.defaultExpiresIn, "default expires-in");
        connectTimeout = requirePositive(builder.connectTimeout, "connect timeout");
        requestTimeout = requirePositive(builder.requestTimeout, "request timeout");
    }

    /** Starts the settings of the provider behind source id {@code source} ({@code oura}). */
    public static Builder builder(String source) {
        return new Builder(source);
    }

    public String source() {
        return source;
    }

    public URI authorizationEndpoint() {
        return authorizationEndpoint;
    }

    public URI tokenEndpoint() {
        return tokenEndpoint;
    }

    public Revocation revocation() {
        return revocation;
    }

    public String clientId() {
        return clientId;
    }

    public String clientSecret() {
        return clientSecret;
    }

    public ClientAuthentication clientAuthentication() {
        return clientAuthentication;
    }

    public List<String> scopes() {
        return scopes;
    }

    public String scopeSeparator() {
        return scopeSeparator;
    }

    /** The scopes as the authorization request carries them; null when none were declared (the provider's default). */
    public String scopeParameter() {
        return scopes.isEmpty() ? null : String.join(scopeSeparator, scopes);
    }

    public boolean pkce() {
        return pkce;
    }

    public Map<String, String> extraAuthorizeParameters() {
        return extraAuthorizeParameters;
    }

    public Duration defaultExpiresIn() {
        return defaultExpiresIn;
    }

    public Duration connectTimeout() {
        return connectTimeout;
    }

    public Duration requestTimeout() {
        return requestTimeout;
    }

    @Override
    public String toString() {
        // Never the client secret: settings reach logs through startup errors.
        return "StandardOAuthSettings[source=" + source + ", authorizationEndpoint=" + authorizationEndpoint
                + ", tokenEndpoint=" + tokenEndpoint + ", revocation=" + revocation.style() + ", clientId=" + clientId
                + ", clientAuthentication=" + clientAuthentication + ", scopes=" + scopes + ", pkce=" + pkce + "]";
    }

    static URI requireAbsoluteHttp(URI uri, String what) {
        // quarkus-oidc-client quietly disables a client whose token endpoint is not an absolute URL (it would then
        // look for an auth-server-url and discovery), so a wrong value must fail here, loudly, at startup.
        if (uri == null || !uri.isAbsolute() || uri.getHost() == null
                || !("https".equals(uri.getScheme()) || "http".equals(uri.getScheme()))) {
            throw new IllegalArgumentException("The " + what + " must be an absolute http(s) URL, got " + uri);
        }
        return uri;
    }

    private static String requireText(String value, String what) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("The " + what + " must be set");
        }
        return value;
    }

    private static Duration requirePositive(Duration value, String what) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException("The " + what + " must be positive");
        }
        return value;
    }

    /** Defaults: no revocation, {@code client_secret_post}, space-separated scopes, no PKCE, 1 h without {@code expires_in}. */
    public static final class Builder {

        private final String source;
        private URI authorizationEndpoint;
        private URI tokenEndpoint;
        private Revocation revocation = Revocation.none();
        private String clientId;
        private String clientSecret;
        private ClientAuthentication clientAuthentication = ClientAuthentication.CLIENT_SECRET_POST;
        private final List<String> scopes = new ArrayList<>();
        private String scopeSeparator = " ";
        private boolean pkce;
        private final Map<String, String> extraAuthorizeParameters = new LinkedHashMap<>();
        private Duration defaultExpiresIn = Duration.ofHours(1);
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration requestTimeout = Duration.ofSeconds(30);

        private Builder(String source) {
            this.source = source;
        }

        /** Where the browser goes for consent ({@code https://cloud.ouraring.com/oauth/authorize}). */
        public Builder authorizationEndpoint(String url) {
            this.authorizationEndpoint = url == null ? null : URI.create(url);
            return this;
        }

        /** Where codes and refresh tokens are exchanged ({@code https://api.ouraring.com/oauth/token}). */
        public Builder tokenEndpoint(String url) {
            this.tokenEndpoint = url == null ? null : URI.create(url);
            return this;
        }

        public Builder revocation(Revocation revocation) {
            this.revocation = revocation;
            return this;
        }

        public Builder client(String clientId, String clientSecret, ClientAuthentication authentication) {
            this.clientId = clientId;
            this.clientSecret = clientSecret;
            this.clientAuthentication = authentication;
            return this;
        }

        /** The scopes to ask for; none means the provider's default set. */
        public Builder scopes(String... scopes) {
            this.scopes.clear();
            this.scopes.addAll(List.of(scopes));
            return this;
        }

        /** RFC 6749 separates scopes with a space; some providers (Withings, Strava) want a comma. */
        public Builder scopeSeparator(String separator) {
            this.scopeSeparator = separator;
            return this;
        }

        /** Whether the provider takes a PKCE (S256) challenge and verifier. */
        public Builder pkce(boolean pkce) {
            this.pkce = pkce;
            return this;
        }

        /** A further authorization request parameter ({@code access_type=offline}, {@code prompt=consent}). */
        public Builder authorizeParameter(String name, String value) {
            this.extraAuthorizeParameters.put(Objects.requireNonNull(name), Objects.requireNonNull(value));
            return this;
        }

        /** The access token lifetime assumed when a token response has no {@code expires_in}. */
        public Builder defaultExpiresIn(Duration defaultExpiresIn) {
            this.defaultExpiresIn = defaultExpiresIn;
            return this;
        }

        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = connectTimeout;
            return this;
        }

        /** How long one token, revocation or user lookup call may take, answer included. */
        public Builder requestTimeout(Duration requestTimeout) {
            this.requestTimeout = requestTimeout;
            return this;
        }

        public StandardOAuthSettings build() {
            return new StandardOAuthSettings(this);
        }
    }
}
