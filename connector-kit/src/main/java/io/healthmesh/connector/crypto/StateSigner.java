package io.healthmesh.connector.crypto;

import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * The OAuth2 {@code state} parameter: {@code <id>.<signature>}, where the id is 192 random bits
 * (the primary key of the stored state) and the signature an HMAC-SHA256 of the source and the id
 * under a key derived from the token key. A forged or altered state is refused before the
 * database is asked; states signed under a previous token key still verify during a rotation.
 */
@ApplicationScoped
public class StateSigner {

    private static final String PURPOSE = "healthmesh connector-kit oauth-state v1";
    private static final int ID_BYTES = 24;
    private static final int MAX_LENGTH = 200;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder URL = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder URL_DECODER = Base64.getUrlDecoder();

    private final List<byte[]> keys;

    public StateSigner(TokenKeys tokenKeys) {
        this.keys = tokenKeys.derived(PURPOSE);
    }

    /** A fresh state for a source. */
    public Issued issue(String source) {
        byte[] random = new byte[ID_BYTES];
        RANDOM.nextBytes(random);
        String id = URL.encodeToString(random);
        return new Issued(id, id + "." + URL.encodeToString(sign(keys.get(0), source, id)));
    }

    /** The state's id when its signature holds for this source; empty for anything else. */
    public Optional<String> verify(String source, String state) {
        if (state == null || state.length() > MAX_LENGTH) {
            return Optional.empty();
        }
        int dot = state.indexOf('.');
        if (dot <= 0 || dot != state.lastIndexOf('.')) {
            return Optional.empty();
        }
        String id = state.substring(0, dot);
        byte[] presented;
        try {
            presented = URL_DECODER.decode(state.substring(dot + 1));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        for (byte[] key : keys) {
            if (MessageDigest.isEqual(sign(key, source, id), presented)) {
                return Optional.of(id);
            }
        }
        return Optional.empty();
    }

    private static byte[] sign(byte[] key, String source, String id) {
        return TokenKeys.hmac(key, ("state|" + source + "|" + id).getBytes(StandardCharsets.UTF_8));
    }

    /** A state: the id to store, and the signed value that travels through the browser. */
    public record Issued(String id, String value) {
    }
}
