package io.healthmesh.connector.repository;

import io.healthmesh.contracts.status.ConnectionState;

/**
 * A connection's encrypted tokens and whether the access token expires within the margin asked
 * (by the database's clock). Holds ciphertext only; {@link #toString()} shows none of it.
 */
public record TokenRecord(
        String userId,
        String source,
        String providerUserId,
        ConnectionState state,
        byte[] accessToken,
        byte[] refreshToken,
        String keyId,
        boolean expiring) {

    @Override
    public String toString() {
        return "TokenRecord[userId=" + userId + ", source=" + source + ", state=" + state + ", keyId=" + keyId
                + ", expiring=" + expiring + "]";
    }
}
