package io.healthmesh.connector.crypto;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import java.util.Optional;
import javax.crypto.spec.SecretKeySpec;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The token keys: the current one ({@code healthmesh.token-key}) and earlier ones
 * ({@code healthmesh.token-previous-keys}), each named by its id, the first 8 hex characters of the
 * SHA-256 of its 32 bytes. Key material never leaves this class except as derived keys, and no
 * message or {@code toString} ever shows it.
 */
@ApplicationScoped
public class TokenKeys {

    static final int KEY_BYTES = 32;

    private final String currentId;
    /** Current key first, then the previous keys in the configured order. */
    private final Map<String, byte[]> byId;

    /**
     * @param current {@code healthmesh.token-key}: base64 of 32 random bytes ({@code openssl rand -base64 32});
     *     {@code %prod} has no default ({@code HEALTHMESH_TOKEN_KEY})
     * @param previous {@code healthmesh.token-previous-keys}: earlier keys (rotation), whose values still decrypt
     */
    @Inject
    public TokenKeys(@ConfigProperty(name = "healthmesh.token-key") String current,
            @ConfigProperty(name = "healthmesh.token-previous-keys") Optional<List<String>> previous) {
        this(current, previous.orElse(List.of()));
    }

    private TokenKeys(String currentBase64, List<String> previousBase64) {
        byte[] current = decode(currentBase64, "healthmesh.token-key");
        this.currentId = idOf(current);
        Map<String, byte[]> keys = new LinkedHashMap<>();
        keys.put(currentId, current);
        for (int i = 0; i < previousBase64.size(); i++) {
            String value = previousBase64.get(i);
            if (value == null || value.isBlank()) {
                continue;
            }
            byte[] previous = decode(value, "healthmesh.token-previous-keys[" + i + "]");
            keys.putIfAbsent(idOf(previous), previous);
        }
        this.byId = Collections.unmodifiableMap(keys);
    }

    /** Keys from their base64 text, as configured (tests and tools). */
    public static TokenKeys of(String currentBase64, String... previousBase64) {
        return new TokenKeys(currentBase64, List.of(previousBase64));
    }

    /** The id of the key every new value is written with. */
    public String currentId() {
        return currentId;
    }

    byte[] current() {
        return byId.get(currentId);
    }

    byte[] byId(String keyId) {
        return byId.get(keyId);
    }

    /**
     * A key for another purpose (signing states), derived from each token key so that rotating the
     * token key rotates it too: HMAC-SHA256(token key, purpose). Current key's derivation first.
     */
    List<byte[]> derived(String purpose) {
        List<byte[]> keys = new ArrayList<>(byId.size());
        for (byte[] key : byId.values()) {
            keys.add(hmac(key, purpose.getBytes(StandardCharsets.UTF_8)));
        }
        return keys;
    }

    static byte[] hmac(byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    /** The id of a key: the first 8 hex characters of its SHA-256 (never the key). */
    static String idOf(byte[] key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key);
            return HexFormat.of().formatHex(digest, 0, 4);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    private static byte[] decode(String base64, String name) {
        if (base64 == null || base64.isBlank()) {
            throw new IllegalStateException(name + " is not set: give base64 of 32 random bytes (openssl rand -base64 32)");
        }
        byte[] key;
        try {
            key = Base64.getDecoder().decode(base64.trim());
        } catch (IllegalArgumentException e) {
            // Not the value, not the decoder's message (it quotes a character of the value).
            throw new IllegalStateException(name + " is not valid base64");
        }
        if (key.length != KEY_BYTES) {
            throw new IllegalStateException(name + " must be base64 of exactly " + KEY_BYTES + " bytes, not "
                    + key.length);
        }
        return key;
    }

    @Override
    public String toString() {
        return "TokenKeys[current=" + currentId + ", known=" + byId.keySet() + "]";
    }
}
