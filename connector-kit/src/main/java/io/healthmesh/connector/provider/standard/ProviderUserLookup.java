package io.healthmesh.connector.provider.standard;

import io.healthmesh.connector.provider.ProviderException;

/**
 * How a standard provider learns the provider's id of the user after a code exchange. OAuth2 does
 * not say where it is: some token responses carry it ({@code user_id}), others need an API call
 * with the new access token (Oura: {@code GET /v2/usercollection/personal_info} answers {@code id}).
 * The connector supplies the step; the kit runs it once per connect, never on refresh (the stored id
 * stays).
 */
@FunctionalInterface
public interface ProviderUserLookup {

    /**
     * @return the provider's id of the user, or null when it cannot be known (notifications naming
     *     users by it then find no connection)
     * @throws ProviderException the lookup failed; the connect fails with it (its kind decides the
     *     problem the user sees)
     */
    String providerUserId(TokenResponse tokens) throws ProviderException;

    /** No id: the provider has none we need. */
    static ProviderUserLookup none() {
        return tokens -> null;
    }

    /** The id is a field of the token response ({@code user_id}). */
    static ProviderUserLookup tokenResponseField(String field) {
        return tokens -> tokens.field(field);
    }
}
