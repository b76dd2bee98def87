package io.healthmesh.connector.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class TokenCipherTest {

    private static final String KEY_A = key('a');
    private static final String KEY_B = key('b');
    private static final String TOKEN = "at-6a1f0c2e-plaintext-token";
    private static final String CONTEXT = "access|user-1|withings";

    private static String key(char fill) {
        byte[] bytes = new byte[32];
        Arrays.fill(bytes, (byte) fill);
        return Base64.getEncoder().encodeToString(bytes);
    }

    @Test
    void aValueRoundTripsAndIsTaggedWithTheKeyId() throws Exception {
        TokenCipher cipher = new TokenCipher(TokenKeys.of(KEY_A));

        byte[] stored = cipher.encrypt(TOKEN, CONTEXT);

        assertThat(cipher.decrypt(stored, CONTEXT)).isEqualTo(TOKEN);
        String expectedId = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(Base64.getDecoder().decode(KEY_A)), 0, 4);
        assertThat(cipher.currentKeyId()).isEqualTo(expectedId).hasSize(8);
        assertThat(TokenCipher.keyIdOf(stored)).isEqualTo(expectedId);
        assertThat(stored.length).isEqualTo(1 + 4 + 12 + TOKEN.length() + 16);
    }

    @Test
    void theCiphertextHoldsNoPlaintextAndEveryValueGetsItsOwnNonce() {
        TokenCipher cipher = new TokenCipher(TokenKeys.of(KEY_A));

        byte[] first = cipher.encrypt(TOKEN, CONTEXT);
        byte[] second = cipher.encrypt(TOKEN, CONTEXT);

        assertThat(first).isNotEqualTo(second);
        assertThat(Arrays.copyOfRange(first, 5, 17)).isNotEqualTo(Arrays.copyOfRange(second, 5, 17));
        assertThat(new String(first, StandardCharsets.ISO_8859_1)).doesNotContain(TOKEN).doesNotContain("plaintext");
    }

    @Test
    void everyTamperedByteFails() {
        TokenCipher cipher = new TokenCipher(TokenKeys.of(KEY_A));
        byte[] stored = cipher.encrypt(TOKEN, CONTEXT);

        for (int i = 0; i < stored.length; i++) {
            byte[] tampered = stored.clone();
            tampered[i] ^= 0x01;
            assertThatThrownBy(() -> cipher.decrypt(tampered, CONTEXT)).as("byte %d flipped", i)
                    .isInstanceOf(TokenCipherException.class)
                    .message().doesNotContain(TOKEN);
        }
        assertThatThrownBy(() -> cipher.decrypt(Arrays.copyOf(stored, stored.length - 1), CONTEXT))
                .isInstanceOf(TokenCipherException.class);
    }

    @Test
    void aValueMovedToAnotherRowOrColumnDoesNotDecrypt() {
        TokenCipher cipher = new TokenCipher(TokenKeys.of(KEY_A));
        byte[] stored = cipher.encrypt(TOKEN, CONTEXT);

        assertThatThrownBy(() -> cipher.decrypt(stored, "access|user-2|withings"))
                .isInstanceOf(TokenCipherException.class);
        assertThatThrownBy(() -> cipher.decrypt(stored, "refresh|user-1|withings"))
                .isInstanceOf(TokenCipherException.class);
    }

    @Test
    void afterARotationOldValuesStillDecryptAndNewOnesUseTheNewKey() {
        TokenCipher before = new TokenCipher(TokenKeys.of(KEY_A));
        byte[] old = before.encrypt(TOKEN, CONTEXT);

        TokenCipher after = new TokenCipher(TokenKeys.of(KEY_B, KEY_A));

        assertThat(after.decrypt(old, CONTEXT)).isEqualTo(TOKEN);
        byte[] rewritten = after.encrypt(after.decrypt(old, CONTEXT), CONTEXT);
        assertThat(TokenCipher.keyIdOf(rewritten)).isEqualTo(after.currentKeyId()).isNotEqualTo(before.currentKeyId());
        assertThat(after.decrypt(rewritten, CONTEXT)).isEqualTo(TOKEN);
        // Once the old key is dropped from the configuration, what it wrote no longer reads, and says why.
        TokenCipher forgotten = new TokenCipher(TokenKeys.of(KEY_B));
        assertThatThrownBy(() -> forgotten.decrypt(old, CONTEXT))
                .isInstanceOf(TokenCipherException.class)
                .hasMessageContaining(before.currentKeyId())
                .hasMessageContaining("healthmesh.token-previous-keys");
    }

    @Test
    void aKeyWithoutBase64PaddingIsTheSameKey() {
        // ./healthmesh makes local keys with `base64 | tr -d '\n='`.
        TokenCipher padded = new TokenCipher(TokenKeys.of(KEY_A));
        TokenCipher unpadded = new TokenCipher(TokenKeys.of(KEY_A.replace("=", "")));

        assertThat(unpadded.currentKeyId()).isEqualTo(padded.currentKeyId());
        assertThat(unpadded.decrypt(padded.encrypt(TOKEN, CONTEXT), CONTEXT)).isEqualTo(TOKEN);
    }

    @Test
    void badKeysAreRefusedWithoutQuotingThem() {
        String shortKey = Base64.getEncoder().encodeToString("sixteen-byte-key".getBytes(StandardCharsets.US_ASCII));
        assertThatThrownBy(() -> TokenKeys.of(shortKey))
                .hasMessageContaining("32 bytes").message().doesNotContain(shortKey);
        assertThatThrownBy(() -> TokenKeys.of("not base64 at all: s3cr3t!"))
                .hasMessageContaining("base64").message().doesNotContain("s3cr3t");
        assertThatThrownBy(() -> TokenKeys.of(" ")).hasMessageContaining("healthmesh.token-key");
        assertThat(TokenKeys.of(KEY_B, KEY_A).toString()).doesNotContain(KEY_A).doesNotContain(KEY_B);
    }

    @Test
    void nullStaysNull() {
        TokenCipher cipher = new TokenCipher(TokenKeys.of(KEY_A));
        assertThat(cipher.encrypt(null, CONTEXT)).isNull();
        assertThat(cipher.decrypt(null, CONTEXT)).isNull();
    }

    @Test
    void pkceChallengeIsTheRfc7636Example() {
        // RFC 7636, appendix B.
        assertThat(Pkce.s256Challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"))
                .isEqualTo("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
        assertThat(Pkce.newVerifier()).hasSize(43).matches("[A-Za-z0-9_-]+");
    }
}
