package io.healthmesh.connector.provider;

import java.time.Duration;

/**
 * What a provider's token endpoint granted.
 *
 * @param accessToken the bearer token for API calls
 * @param refreshToken the refresh token; a provider that rotates it sends a new one with every
 *     refresh, and the old one stops working (save both atomically)
 * @param expiresIn the access token's lifetime as the provider states it
 * @param providerUserId the provider's id of the user (Withings userid, Oura user id), when the
 *     grant says it; notifications name users by it
 * @param scope the scopes granted, as the provider wrote them (may be fewer than asked)
 */
public record TokenGrant(String accessToken, String refreshToken, Duration expiresIn, String providerUserId,
        String scope) {

    @Override
    public String toString() {
        // Never the tokens: records print their components, and grants reach logs through exceptions.
        return "TokenGrant[providerUserId=" + providerUserId + ", expiresIn=" + expiresIn + ", scope=" + scope + "]";
    }
}
