package io.healthmesh.connector.provider;

import java.net.URI;

/**
 * A provider's OAuth2 authorization-code flow. Standard providers are served by the kit's
 * implementation on quarkus-oidc-client; a provider that is not standard (Withings:
 * {@code action=requesttoken}, answers wrapped in {@code {status, body}}) brings its own adapter.
 * Implementations are CDI beans of the connector service.
 */
public interface OAuthProvider {

    /** The source id ({@code withings}, {@code oura}). */
    String source();

    /** Whether the authorization request carries a PKCE code challenge (S256). */
    boolean supportsPkce();

    /**
     * Where the browser goes to give consent.
     *
     * @param state the signed, single-use state the callback must bring back
     * @param codeChallenge the PKCE S256 challenge, or null when {@link #supportsPkce()} is false
     * @param redirectUri the public callback URL registered with the provider
     */
    URI authorizationUrl(String state, String codeChallenge, String redirectUri);

    /** Exchanges an authorization code for tokens. */
    TokenGrant exchange(String code, String codeVerifier, String redirectUri) throws ProviderException;

    /** Refreshes; a refused refresh token is {@link ProviderException.Kind#GRANT_REFUSED}. */
    TokenGrant refresh(String refreshToken) throws ProviderException;

    /** Revokes the user's grant where the provider offers it; best effort, never throws for "already gone". */
    void revoke(String accessToken, String refreshToken) throws ProviderException;
}
