package io.healthmesh.connector.provider.standard;

import io.healthmesh.connector.provider.OAuthProvider;
import io.healthmesh.connector.provider.ProviderException;
import io.healthmesh.connector.provider.ProviderException.Kind;
import io.healthmesh.connector.provider.TokenGrant;
import io.quarkus.oidc.client.OidcClient;
import io.quarkus.oidc.client.OidcClientException;
import io.quarkus.oidc.client.OidcClients;
import io.quarkus.oidc.client.Tokens;
import io.quarkus.oidc.client.runtime.DisabledOidcClientException;
import io.quarkus.oidc.client.runtime.OidcClientConfig;
import io.quarkus.oidc.client.runtime.OidcClientConfig.Grant;
import io.quarkus.oidc.common.runtime.config.OidcClientCommonConfig.Credentials.Secret.Method;
import io.smallrye.mutiny.TimeoutException;
import io.smallrye.mutiny.Uni;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * The OAuth2 authorization-code flow of a provider that follows RFC 6749 (Oura, and later Fitbit,
 * Strava, WHOOP), declared by {@link StandardOAuthSettings} and created by
 * {@link StandardOAuthProviders}. Code exchange, refresh and RFC 7009 revocation go through a
 * quarkus-oidc-client {@link OidcClient} created programmatically for this provider (grant type
 * {@code authorization_code}, absolute token endpoint, no discovery).
 *
 * <p>Built by hand, because quarkus-oidc-client has no API for them: the authorization URL (it is a
 * token client; building consent URLs belongs to quarkus-oidc's web-app flow, which owns the whole
 * login and session, not something a connector can hand a URL from), and a revocation that is not
 * RFC 7009 ({@link Revocation.Style#ACCESS_TOKEN_QUERY}: its revocation is always a form POST).
 *
 * <p>Blocking: each call waits for the provider at most {@link StandardOAuthSettings#requestTimeout()};
 * the kit calls it on worker threads. No token, code, verifier or secret reaches a log or a message.
 */
public final class StandardOAuthProvider implements OAuthProvider, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(StandardOAuthProvider.class);

    /** What quarkus-oidc-client says, without a cause, when the token endpoint cannot be reached (OidcClientImpl). */
    static final String OIDC_SERVER_NOT_AVAILABLE = "OIDC Server is not available";

    private final StandardOAuthSettings settings;
    private final ProviderUserLookup userLookup;
    private final OidcClients oidcClients;
    private final String clientConfigId;
    private volatile OidcClient client;
    private volatile HttpClient queryRevocationHttp;
    private volatile boolean closed;

    StandardOAuthProvider(StandardOAuthSettings settings, ProviderUserLookup userLookup, OidcClients oidcClients) {
        this.settings = settings;
        this.userLookup = userLookup;
        this.oidcClients = oidcClients;
        this.clientConfigId = StandardOAuthProviders.CLIENT_ID_PREFIX + settings.source();
    }

    public StandardOAuthSettings settings() {
        return settings;
    }

    @Override
    public String source() {
        return settings.source();
    }

    @Override
    public boolean supportsPkce() {
        return settings.pkce();
    }

    @Override
    public URI authorizationUrl(String state, String codeChallenge, String redirectUri) {
        if (settings.pkce() && codeChallenge == null) {
            throw new IllegalArgumentException("The provider " + source() + " takes PKCE: a code challenge is needed");
        }
        Map<String, String> query = new LinkedHashMap<>();
        query.put("response_type", "code");
        query.put("client_id", settings.clientId());
        query.put("redirect_uri", redirectUri);
        query.put("scope", settings.scopeParameter());
        query.put("state", state);
        if (settings.pkce()) {
            query.put("code_challenge", codeChallenge);
            query.put("code_challenge_method", "S256");
        }
        query.putAll(settings.extraAuthorizeParameters());
        String base = settings.authorizationEndpoint().toString();
        return URI.create(base + (settings.authorizationEndpoint().getRawQuery() == null ? "?" : "&")
                + formEncode(query));
    }

    @Override
    public TokenGrant exchange(String code, String codeVerifier, String redirectUri) throws ProviderException {
        Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put("code", code);
        parameters.put("redirect_uri", redirectUri);
        if (settings.pkce() && codeVerifier != null) {
            parameters.put("code_verifier", codeVerifier);
        }
        OidcClient oidc = client();
        Tokens tokens = grant("authorization_code", () -> oidc.getTokens(parameters));
        String refreshToken = tokens.getRefreshToken();
        if (refreshToken == null || refreshToken.isBlank()) {
            // Without one the connection dies with its first access token; the kit has no re-consent-free path.
            throw new ProviderException(Kind.FAILED, source() + " token endpoint (authorization_code) answered "
                    + "without a refresh token");
        }
        TokenResponse response = new TokenResponse(tokens);
        String scope = response.field("scope");
        // RFC 6749 section 5.1: a response without scope granted exactly what was asked.
        return new TokenGrant(tokens.getAccessToken(), refreshToken, expiresIn(tokens),
                userLookup.providerUserId(response), scope != null ? scope : settings.scopeParameter());
    }

    @Override
    public TokenGrant refresh(String refreshToken) throws ProviderException {
        OidcClient oidc = client();
        Tokens tokens = grant("refresh_token", () -> oidc.refreshTokens(refreshToken));
        // A rotating provider (Oura) sends a new refresh token and the old one dies; one that does not rotate
        // leaves it out, and the old one stays valid.
        String rotated = tokens.getRefreshToken();
        boolean rotates = rotated != null && !rotated.isBlank();
        LOG.debugf("Refreshed a %s access token (refresh token %s)", source(), rotates ? "rotated" : "kept");
        // The scope is left null when the answer has none: the kit keeps the stored one.
        return new TokenGrant(tokens.getAccessToken(), rotates ? rotated : refreshToken, expiresIn(tokens), null,
                new TokenResponse(tokens).field("scope"));
    }

    @Override
    public void revoke(String accessToken, String refreshToken) throws ProviderException {
        switch (settings.revocation().style()) {
            case NONE -> LOG.debugf("%s offers no revocation; the tokens are only deleted", source());
            case RFC7009 -> {
                // The refresh token first: revoking it ends the grant where the server supports that (RFC 7009
                // section 2.1), and the access token goes too, in case the server does not cascade.
                revokeRfc7009(refreshToken, "refresh_token");
                revokeRfc7009(accessToken, "access_token");
            }
            case ACCESS_TOKEN_QUERY -> revokeByQuery(accessToken);
        }
    }

    @Override
    public void close() {
        closed = true;
        OidcClient current = client;
        if (current != null) {
            try {
                current.close();
            } catch (IOException e) {
                LOG.debugf("Closing the OAuth2 client of %s failed (%s)", source(), e.getClass().getName());
            }
        }
    }

    /** The OIDC client of this provider, created on first use (on a worker thread, never during bean creation). */
    private OidcClient client() throws ProviderException {
        OidcClient current = client;
        if (current != null) {
            return current;
        }
        synchronized (this) {
            if (closed) {
                throw new ProviderException(Kind.FAILED, "The OAuth2 client of " + source() + " is closed");
            }
            if (client == null) {
                try {
                    client = oidcClients.newClient(oidcClientConfig()).await().atMost(settings.connectTimeout());
                } catch (RuntimeException e) {
                    throw new ProviderException(Kind.FAILED, "The OAuth2 client of " + source()
                            + " could not be created (" + e.getClass().getName() + ")");
                }
            }
            return client;
        }
    }

    OidcClientConfig oidcClientConfig() {
        // No scopes here: quarkus-oidc-client would add them to every token request, and RFC 6749 gives the code
        // exchange no scope while a refresh with one may narrow the grant. Scopes go in the authorization URL.
        return OidcClientConfig.builder()
                .id(clientConfigId)
                .tokenPath(settings.tokenEndpoint().toString())
                .revokePath(settings.revocation().style() == Revocation.Style.RFC7009
                        ? settings.revocation().endpoint().toString()
                        : null)
                .discoveryEnabled(false)
                .clientId(settings.clientId())
                .credentials().clientSecret(settings.clientSecret(),
                        settings.clientAuthentication() == ClientAuthentication.CLIENT_SECRET_BASIC
                                ? Method.BASIC
                                : Method.POST)
                .end()
                .connectionTimeout(settings.connectTimeout())
                .grant(Grant.Type.CODE)
                // Tokens are asked for per user by the kit, never ahead by a filter.
                .earlyTokensAcquisition(false)
                .build();
    }

    private Tokens grant(String grantType, Supplier<Uni<Tokens>> request) throws ProviderException {
        String operation = source() + " token endpoint (" + grantType + ")";
        Tokens tokens;
        try {
            tokens = request.get().await().atMost(settings.requestTimeout());
        } catch (EndpointRefusal refusal) {
            throw tokenEndpointFailure(operation, refusal);
        } catch (TimeoutException e) {
            throw new ProviderException(Kind.UNAVAILABLE, operation + " timed out after " + settings.requestTimeout());
        } catch (DisabledOidcClientException e) {
            throw new ProviderException(Kind.FAILED, "The OAuth2 client of " + source() + " is not usable ("
                    + e.getMessage() + ")");
        } catch (OidcClientException e) {
            if (OIDC_SERVER_NOT_AVAILABLE.equals(e.getMessage())) {
                throw new ProviderException(Kind.UNAVAILABLE, operation + " could not be reached");
            }
            // Otherwise its message is the provider's raw answer, which may quote what we sent: never used.
            throw new ProviderException(Kind.FAILED, operation + " answered something that is not a token response");
        } catch (RuntimeException e) {
            // A 200 that is not JSON, and the like; only the type, since a message may quote the answer.
            throw new ProviderException(Kind.FAILED, operation + " answered something that is not a token response ("
                    + e.getClass().getSimpleName() + ")");
        }
        if (tokens == null || tokens.getAccessToken() == null || tokens.getAccessToken().isBlank()) {
            throw new ProviderException(Kind.FAILED, operation + " answered without an access token");
        }
        return tokens;
    }

    /**
     * The same categories as the Withings adapter: a refused code or refresh token ({@code invalid_grant},
     * RFC 6749 section 5.2) is {@link Kind#GRANT_REFUSED} (the kit answers code-refused, or makes the connection
     * token_expired); 429 is {@link Kind#RATE_LIMITED} with {@code Retry-After}; 5xx {@link Kind#UNAVAILABLE};
     * any other refusal ({@code invalid_client}, {@code unauthorized_client}, {@code invalid_request}: our
     * registration or request is wrong, a new consent would not help) {@link Kind#FAILED}.
     */
    static ProviderException tokenEndpointFailure(String operation, EndpointRefusal refusal) {
        int status = refusal.status();
        String message = operation + " answered " + refusal.getMessage();
        if (status == 429) {
            return new ProviderException(Kind.RATE_LIMITED, message, refusal.retryAfter(), null);
        }
        if (status >= 500) {
            return new ProviderException(Kind.UNAVAILABLE, message, refusal.retryAfter(), null);
        }
        if ("invalid_grant".equals(refusal.error())) {
            return new ProviderException(Kind.GRANT_REFUSED, message);
        }
        return new ProviderException(Kind.FAILED, message);
    }

    private void revokeRfc7009(String token, String tokenTypeHint) throws ProviderException {
        if (token == null) {
            return;
        }
        String operation = source() + " revocation endpoint (" + tokenTypeHint + ")";
        OidcClient oidc = client();
        try {
            // Despite its name, revokeAccessToken posts any token: token=..&token_type_hint=.. (RFC 7009 section 2.1).
            oidc.revokeAccessToken(token, Map.of("token_type_hint", tokenTypeHint))
                    .await().atMost(settings.requestTimeout());
        } catch (EndpointRefusal refusal) {
            if (refusal.status() == 400 && "unsupported_token_type".equals(refusal.error())) {
                // RFC 7009 section 2.2.1: this server revokes only other token types; the next one may do.
                LOG.debugf("%s does not revoke %s tokens", source(), tokenTypeHint);
                return;
            }
            throw revocationFailure(operation, refusal.status(), refusal.getMessage(), refusal.retryAfter());
        } catch (TimeoutException e) {
            throw new ProviderException(Kind.UNAVAILABLE, operation + " timed out after " + settings.requestTimeout());
        } catch (OidcClientException e) {
            if (OIDC_SERVER_NOT_AVAILABLE.equals(e.getMessage())) {
                throw new ProviderException(Kind.UNAVAILABLE, operation + " could not be reached");
            }
            throw new ProviderException(Kind.FAILED, operation + " failed");
        }
    }

    /** {@code GET <endpoint>?access_token=..}: not RFC 7009, so not something quarkus-oidc-client can send. */
    private void revokeByQuery(String accessToken) throws ProviderException {
        if (accessToken == null) {
            return;
        }
        String operation = source() + " revocation endpoint";
        URI endpoint = settings.revocation().endpoint();
        URI uri = URI.create(endpoint + (endpoint.getRawQuery() == null ? "?" : "&")
                + formEncode(Map.of("access_token", accessToken)));
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(settings.requestTimeout())
                .header("Accept", "application/json").GET().build();
        HttpResponse<Void> response;
        try {
            response = queryRevocationHttp().send(request, HttpResponse.BodyHandlers.discarding());
        } catch (HttpTimeoutException e) {
            throw new ProviderException(Kind.UNAVAILABLE, operation + " timed out after " + settings.requestTimeout());
        } catch (IOException e) {
            // Only the type: an IOException's message may name the URI, and the URI holds the token.
            throw new ProviderException(Kind.UNAVAILABLE, operation + " could not be reached ("
                    + e.getClass().getSimpleName() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProviderException(Kind.UNAVAILABLE, operation + " was interrupted");
        }
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
            return;
        }
        if (status == 400 || status == 401 || status == 404) {
            // The token is unknown, expired or already revoked: the grant is gone either way.
            LOG.debugf("%s answered HTTP %d to the revocation; taking the grant as already gone", source(), status);
            return;
        }
        throw revocationFailure(operation, status, "HTTP " + status,
                RetryAfter.parse(response.headers().firstValue("Retry-After").orElse(null)));
    }

    private static ProviderException revocationFailure(String operation, int status, String what, Duration retryAfter) {
        String message = operation + " answered " + what;
        if (status == 429) {
            return new ProviderException(Kind.RATE_LIMITED, message, retryAfter, null);
        }
        if (status >= 500) {
            return new ProviderException(Kind.UNAVAILABLE, message, retryAfter, null);
        }
        return new ProviderException(Kind.FAILED, message);
    }

    private HttpClient queryRevocationHttp() {
        HttpClient http = queryRevocationHttp;
        if (http == null) {
            synchronized (this) {
                if (queryRevocationHttp == null) {
                    queryRevocationHttp = HttpClient.newBuilder().connectTimeout(settings.connectTimeout())
                            .followRedirects(HttpClient.Redirect.NEVER).build();
                }
                http = queryRevocationHttp;
            }
        }
        return http;
    }

    /**
     * {@code expires_in} as the provider wrote it; else the {@code exp} of a JWT access token (which
     * quarkus-oidc-client reads); else the declared default.
     */
    private Duration expiresIn(Tokens tokens) {
        String expiresIn = new TokenResponse(tokens).field("expires_in");
        if (expiresIn != null) {
            try {
                long seconds = (long) Double.parseDouble(expiresIn);
                if (seconds > 0) {
                    return Duration.ofSeconds(seconds);
                }
            } catch (NumberFormatException e) {
                LOG.debugf("%s sent an expires_in that is not a number; using the JWT expiry or the default", source());
            }
        }
        Long expiresAt = tokens.getAccessTokenExpiresAt();
        if (expiresAt != null) {
            Duration left = Duration.between(Instant.now(), Instant.ofEpochSecond(expiresAt));
            if (!left.isNegative() && !left.isZero()) {
                return left;
            }
        }
        return settings.defaultExpiresIn();
    }

    private static String formEncode(Map<String, String> parameters) {
        StringJoiner joined = new StringJoiner("&");
        parameters.forEach((name, value) -> {
            if (value != null) {
                joined.add(URLEncoder.encode(name, StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(value, StandardCharsets.UTF_8));
            }
        });
        return joined.toString();
    }

    @Override
    public String toString() {
        return "StandardOAuthProvider[" + settings + "]";
    }
}
