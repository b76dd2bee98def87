package io.healthmesh.systemtests.hostile;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;

/**
 * Bearer tokens the dev token route would never hand out (expired, foreign, unsigned, without a
 * subject), built by hand: a JWS is only base64url(header).base64url(claims).signature, so no JWT
 * library is needed to make the hostile ones.
 */
final class Tokens {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Base64.Encoder URL = Base64.getUrlEncoder().withoutPadding();

    private final PrivateKey trustedKey;
    private final PrivateKey foreignKey;
    private final String issuer;

    Tokens(Path trustedSigningKeyPem, String issuer) {
        this.trustedKey = readPkcs8(trustedSigningKeyPem);
        this.foreignKey = freshKey();
        this.issuer = issuer;
    }

    /** The claims a good token has: the trusted issuer, the subject, issued now, valid ten minutes. */
    ObjectNode claims(String subject) {
        long now = Instant.now().getEpochSecond();
        ObjectNode claims = JSON.createObjectNode().put("iss", issuer).put("jti", UUID.randomUUID().toString())
                .put("iat", now).put("exp", now + 600);
        if (subject != null) {
            claims.put("sub", subject);
        }
        return claims;
    }

    /** Signed RS256 by the key the gateway trusts. */
    String signedByTrustedKey(ObjectNode claims) {
        return rs256(claims, trustedKey);
    }

    /** Well-formed and RS256-signed, but by a key nobody trusts. */
    String signedByForeignKey(ObjectNode claims) {
        return rs256(claims, foreignKey);
    }

    /** {@code alg: none}, no signature: the oldest JWT trick. */
    String unsigned(ObjectNode claims) {
        return encode(JSON.createObjectNode().put("alg", "none").put("typ", "JWT")) + "." + encode(claims) + ".";
    }

    /** A good token's header and signature around other claims (the subject swapped for a victim's, say). */
    static String withClaimsReplaced(String token, ObjectNode claims) {
        String[] parts = token.split("\\.");
        return parts[0] + "." + encode(claims) + "." + parts[2];
    }

    private static String rs256(ObjectNode claims, PrivateKey key) {
        String signingInput = encode(JSON.createObjectNode().put("alg", "RS256").put("typ", "JWT")) + "."
                + encode(claims);
        try {
            Signature signature = Signature.getInstance("SHA256withRSA");
            signature.initSign(key);
            signature.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            return signingInput + "." + URL.encodeToString(signature.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String encode(ObjectNode node) {
        try {
            return URL.encodeToString(JSON.writeValueAsBytes(node));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static PrivateKey readPkcs8(Path pem) {
        try {
            String base64 = Files.readString(pem, StandardCharsets.US_ASCII)
                    .replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
            return KeyFactory.getInstance("RSA")
                    .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static PrivateKey freshKey() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair().getPrivate();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
