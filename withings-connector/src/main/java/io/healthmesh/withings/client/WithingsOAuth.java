package io.healthmesh.withings.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.healthmesh.connector.provider.OAuthProvider;
import io.healthmesh.connector.provider.ProviderException;
import io.healthmesh.connector.provider.ProviderException.Kind;
import io.healthmesh.connector.provider.TokenGrant;
import io.healthmesh.contracts.source.SourceId;
import io.healthmesh.withings.config.WithingsConfig;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;
import org.jboss.logging.Logger;

/**
 * Withings' OAuth2 authorization-code flow, which is not standard: the token endpoint wants
 * {@code action=requesttoken}, answers inside the {@code {status, body}} envelope with HTTP 200 even
 * on errors, names the user ({@code userid}) and rotates the refresh token on every refresh.
 * No PKCE (Withings documents none); the client secret goes in the form.
 */
@Singleton
public class WithingsOAuth implements OAuthProvider {

    /** Measures (user.metrics), activity and sleep (both user.activity), profile (user.info); comma-separated. */
    public static final String SCOPE = "user.info,user.metrics,user.activity";

    /** The documented lifetime of an access token, used when an answer leaves {@code expires_in} out. */
    static final Duration DEFAULT_EXPIRES_IN = Duration.ofHours(3);

    private static final Logger LOG = Logger.getLogger(WithingsOAuth.class);

    private final WithingsConfig config;
    private final WithingsHttp http;

    @Inject
    public WithingsOAuth(WithingsConfig config, WithingsHttp http) {
        this.config = config;
        this.http = http;
    }

    @Override
    public String source() {
        return SourceId.WITHINGS;
    }

    @Override
    public boolean supportsPkce() {
        return false;
    }

    @Override
    public URI authorizationUrl(String state, String codeChallenge, String redirectUri) {
        // codeChallenge is null here: supportsPkce() is false.
        Map<String, String> query = new LinkedHashMap<>();
        query.put("response_type", "code");
        query.put("client_id", config.clientId());
        query.put("scope", SCOPE);
        query.put("redirect_uri", redirectUri);
        query.put("state", state);
        StringJoiner joined = new StringJoiner("&");
        query.forEach((key, value) -> joined.add(key + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8)));
        String base = config.authUrl();
        return URI.create(base + (base.contains("?") ? "&" : "?") + joined);
    }

    @Override
    public TokenGrant exchange(String code, String codeVerifier, String redirectUri) throws ProviderException {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("action", "requesttoken");
        form.put("grant_type", "authorization_code");
        form.put("client_id", config.clientId());
        form.put("client_secret", config.clientSecret());
        form.put("code", code);
        form.put("redirect_uri", redirectUri);
        return grant(form, "requesttoken (authorization_code)", null);
    }

    @Override
    public TokenGrant refresh(String refreshToken) throws ProviderException {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("action", "requesttoken");
        form.put("grant_type", "refresh_token");
        form.put("client_id", config.clientId());
        form.put("client_secret", config.clientSecret());
        form.put("refresh_token", refreshToken);
        return grant(form, "requesttoken (refresh_token)", refreshToken);
    }

    /**
     * Withings' revoke ({@code /v2/oauth2 action=revoke}) needs a signed request (nonce and HMAC
     * signature, a partner feature) and the userid, neither of which this call has; so nothing is
     * sent. The kit deletes the tokens, and {@code WithingsNotifications} revokes the subscriptions.
     */
    @Override
    public void revoke(String accessToken, String refreshToken) {
        LOG.debug("Withings grants are not revoked remotely (signed partner service); the tokens are dropped");
    }

    private TokenGrant grant(Map<String, String> form, String operation, String previousRefreshToken)
            throws ProviderException {
        WithingsResponse response;
        try {
            response = http.post(URI.create(config.tokenUrl()), form, null, operation);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProviderException(Kind.UNAVAILABLE, "Withings " + operation + " was interrupted");
        }
        if (!response.ok()) {
            throw WithingsStatus.forTokenEndpoint(operation, response);
        }
        JsonNode body = response.body();
        String accessToken = text(body, "access_token");
        if (accessToken == null) {
            throw new ProviderException(Kind.FAILED, "Withings " + operation + " answered without an access token");
        }
        // Rotation: the answer's refresh token replaces the old one (which dies soon after).
        String refreshToken = text(body, "refresh_token");
        if (refreshToken == null) {
            refreshToken = previousRefreshToken;
        }
        if (refreshToken == null) {
            throw new ProviderException(Kind.FAILED, "Withings " + operation + " answered without a refresh token");
        }
        long expiresIn = body.path("expires_in").asLong(0);
        return new TokenGrant(accessToken, refreshToken,
                expiresIn > 0 ? Duration.ofSeconds(expiresIn) : DEFAULT_EXPIRES_IN,
                text(body, "userid"), text(body, "scope"));
    }

    /** A field as text whether Withings sent it as a string or a number (userid is either); null if absent. */
    private static String text(JsonNode body, String field) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull() || node.isContainerNode()) {
            return null;
        }
        String value = node.asText();
        return value.isBlank() ? null : value;
    }
}
