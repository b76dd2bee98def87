package io.healthmesh.connector.provider.standard;

import java.net.URI;
import java.util.Objects;

/**
 * Whether and how a provider lets us end a user's grant on disconnect.
 *
 * @param style how the endpoint is called
 * @param endpoint the revocation endpoint; null for {@link Style#NONE}
 */
public record Revocation(Style style, URI endpoint) {

    public enum Style {
        /** The provider offers no revocation: the kit only deletes the tokens. */
        NONE,
        /**
         * RFC 7009: POST {@code token=..&token_type_hint=..} with the client's authentication, sent through
         * quarkus-oidc-client's {@code OidcClient.revokeAccessToken}. The refresh token is revoked first (that ends
         * the grant where the server supports it), then the access token.
         */
        RFC7009,
        /**
         * {@code GET <endpoint>?access_token=<access token>} without client authentication (Oura). quarkus-oidc-client
         * cannot send this: its revocation is always an RFC 7009 form POST with a {@code token} field.
         */
        ACCESS_TOKEN_QUERY
    }

    public Revocation {
        Objects.requireNonNull(style, "style");
        if (style == Style.NONE) {
            endpoint = null;
        } else {
            StandardOAuthSettings.requireAbsoluteHttp(endpoint, "revocation endpoint");
        }
    }

    public static Revocation none() {
        return new Revocation(Style.NONE, null);
    }

    public static Revocation rfc7009(String endpoint) {
        return new Revocation(Style.RFC7009, URI.create(endpoint));
    }

    public static Revocation accessTokenQuery(String endpoint) {
        return new Revocation(Style.ACCESS_TOKEN_QUERY, URI.create(endpoint));
    }
}
