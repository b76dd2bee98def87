package io.healthmesh.connector.connection;

/**
 * What each encrypted value is bound to (GCM associated data): a token decrypts only in the row
 * and column it was written for, a PKCE verifier only with its state.
 */
final class TokenContexts {

    private TokenContexts() {
    }

    static String access(String userId, String source) {
        return "access|" + userId + "|" + source;
    }

    static String refresh(String userId, String source) {
        return "refresh|" + userId + "|" + source;
    }

    static String pkceVerifier(String stateId) {
        return "pkce|" + stateId;
    }
}
