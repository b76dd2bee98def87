package io.healthmesh.connector.provider.standard;

import io.quarkus.oidc.client.Tokens;

/**
 * A successful answer of the token endpoint, as a {@link ProviderUserLookup} sees it. Never printed:
 * {@link #toString()} names no token.
 */
public final class TokenResponse {

    private final Tokens tokens;

    TokenResponse(Tokens tokens) {
        this.tokens = tokens;
    }

    /** The new access token, for an API call such as Oura's {@code personal_info}. */
    public String accessToken() {
        return tokens.getAccessToken();
    }

    /**
     * A top-level field of the JSON answer as text, or null when it is absent, null or blank. Vert.x
     * gives numbers ({@code "user_id": 363}) as their text, which is what a user id or
     * {@code expires_in} needs.
     */
    public String field(String name) {
        String value;
        try {
            value = tokens.get(name);
        } catch (ClassCastException e) {
            // Vert.x 4.5 answers any value's text; kept in case a later JsonObject.getString casts instead.
            return null;
        }
        return value == null || value.isBlank() ? null : value;
    }

    @Override
    public String toString() {
        return "TokenResponse[tokens hidden]";
    }
}
