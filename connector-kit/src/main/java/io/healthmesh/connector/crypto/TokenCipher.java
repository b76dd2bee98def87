package io.healthmesh.connector.crypto;

import jakarta.enterprise.context.ApplicationScoped;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.HexFormat;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts tokens (and PKCE verifiers) for storage: AES-256-GCM with a random 12-byte nonce per
 * value. A stored value is {@code version (1) | key id (4) | nonce (12) | ciphertext + tag (16)};
 * the key id names the key that wrote it, so values written under a previous key still decrypt
 * after a rotation. The {@code context} (what the value is and whose: {@code access|user|source})
 * is bound as associated data: a value copied to another row or column does not decrypt.
 * Tampering fails. No plaintext ever reaches a message of this class.
 */
@ApplicationScoped
public class TokenCipher {

    static final byte VERSION = 1;
    static final int KEY_ID_BYTES = 4;
    static final int NONCE_BYTES = 12;
    static final int TAG_BITS = 128;
    static final int HEADER_BYTES = 1 + KEY_ID_BYTES + NONCE_BYTES;

    private static final SecureRandom RANDOM = new SecureRandom();

    private final TokenKeys keys;

    public TokenCipher(TokenKeys keys) {
        this.keys = keys;
    }

    /** The id of the key new values are written with (stored next to them as key_id). */
    public String currentKeyId() {
        return keys.currentId();
    }

    /** Encrypts with the current key; null stays null. */
    public byte[] encrypt(String plaintext, String context) {
        if (plaintext == null) {
            return null;
        }
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        byte[] keyId = HexFormat.of().parseHex(keys.currentId());
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(keys.current(), "AES"),
                    new GCMParameterSpec(TAG_BITS, nonce));
            byte[] header = ByteBuffer.allocate(HEADER_BYTES).put(VERSION).put(keyId).put(nonce).array();
            cipher.updateAAD(header);
            cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            return ByteBuffer.allocate(HEADER_BYTES + sealed.length).put(header).put(sealed).array();
        } catch (GeneralSecurityException e) {
            throw new TokenCipherException("AES-GCM encryption failed (" + e.getClass().getSimpleName() + ")");
        }
    }

    /** Decrypts with the key the value names; null stays null. */
    public String decrypt(byte[] stored, String context) {
        if (stored == null) {
            return null;
        }
        if (stored.length < HEADER_BYTES + TAG_BITS / 8 || stored[0] != VERSION) {
            throw new TokenCipherException("not a stored token value (unknown format)");
        }
        String keyId = keyIdOf(stored);
        byte[] key = keys.byId(keyId);
        if (key == null) {
            throw new TokenCipherException("value written under key id " + keyId
                    + ", which is neither healthmesh.token-key nor one of healthmesh.token-previous-keys");
        }
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"),
                    new GCMParameterSpec(TAG_BITS, stored, 1 + KEY_ID_BYTES, NONCE_BYTES));
            cipher.updateAAD(stored, 0, HEADER_BYTES);
            cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
            byte[] plain = cipher.doFinal(stored, HEADER_BYTES, stored.length - HEADER_BYTES);
            return new String(plain, StandardCharsets.UTF_8);
        } catch (AEADBadTagException e) {
            throw new TokenCipherException("stored value does not verify (tampered with, or not this row's)");
        } catch (GeneralSecurityException e) {
            throw new TokenCipherException("AES-GCM decryption failed (" + e.getClass().getSimpleName() + ")");
        }
    }

    /** The id of the key a stored value was written with. */
    public static String keyIdOf(byte[] stored) {
        if (stored == null || stored.length < 1 + KEY_ID_BYTES) {
            throw new TokenCipherException("not a stored token value (too short)");
        }
        return HexFormat.of().formatHex(stored, 1, 1 + KEY_ID_BYTES);
    }
}
