package io.healthmesh.gateway.security;

import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.util.KeyUtils;
import java.security.PrivateKey;
import java.time.Instant;

/** Bearer tokens for tests: signed with the test key the %test profile trusts, or with another one. */
public final class TestTokens {

    public static final String ISSUER = "https://healthmesh.local/dev";

    private TestTokens() {
    }

    /** A valid token for the user, an hour long. */
    public static String of(String userId) {
        return sign(userId, ISSUER, Instant.now().plusSeconds(3600), "tokens/test-signing-key.pem");
    }

    public static String bearer(String userId) {
        return "Bearer " + of(userId);
    }

    public static String sign(String subject, String issuer, Instant expiresAt, String keyResource) {
        try {
            PrivateKey key = KeyUtils.readPrivateKey(keyResource);
            return Jwt.issuer(issuer).subject(subject).issuedAt(expiresAt.minusSeconds(3600)).expiresAt(expiresAt)
                    .sign(key);
        } catch (Exception e) {
            throw new IllegalStateException("Cannot sign a test token with " + keyResource, e);
        }
    }
}
