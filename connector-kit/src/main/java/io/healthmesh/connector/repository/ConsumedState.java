package io.healthmesh.connector.repository;

/** An OAuth2 state the callback just consumed: whose connect it was and its encrypted PKCE verifier (or null). */
public record ConsumedState(String userId, byte[] codeVerifier) {

    @Override
    public String toString() {
        return "ConsumedState[userId=" + userId + ", pkce=" + (codeVerifier != null) + "]";
    }
}
