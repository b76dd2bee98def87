package io.healthmesh.connector.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class StateSignerTest {

    private static String key(char fill) {
        byte[] bytes = new byte[32];
        Arrays.fill(bytes, (byte) fill);
        return Base64.getEncoder().encodeToString(bytes);
    }

    private final StateSigner signer = new StateSigner(TokenKeys.of(key('a')));

    @Test
    void anIssuedStateVerifiesForItsSourceOnly() {
        StateSigner.Issued state = signer.issue("withings");

        assertThat(signer.verify("withings", state.value())).contains(state.id());
        assertThat(signer.verify("oura", state.value())).isEmpty();
        // 192 random bits as base64url.
        assertThat(Base64.getUrlDecoder().decode(state.id())).hasSize(24);
        assertThat(signer.issue("withings").id()).isNotEqualTo(state.id());
    }

    @Test
    void forgedAlteredOrMalformedStatesAreRefused() {
        StateSigner.Issued state = signer.issue("withings");
        String signature = state.value().substring(state.value().indexOf('.') + 1);
        StateSigner other = new StateSigner(TokenKeys.of(key('b')));

        assertThat(signer.verify("withings", other.issue("withings").value())).isEmpty();
        assertThat(signer.verify("withings", signer.issue("withings").id() + "." + signature)).isEmpty();
        char last = signature.charAt(signature.length() - 2);
        String altered = state.value().substring(0, state.value().length() - 2) + (last == 'A' ? 'B' : 'A')
                + signature.charAt(signature.length() - 1);
        assertThat(signer.verify("withings", altered)).isEmpty();
        assertThat(signer.verify("withings", state.id())).isEmpty();
        assertThat(signer.verify("withings", state.value() + ".x")).isEmpty();
        assertThat(signer.verify("withings", state.id() + ".%%%")).isEmpty();
        assertThat(signer.verify("withings", "")).isEmpty();
        assertThat(signer.verify("withings", null)).isEmpty();
        assertThat(signer.verify("withings", "a".repeat(5000))).isEmpty();
    }

    @Test
    void statesSignedBeforeAKeyRotationStillVerify() {
        StateSigner.Issued issued = signer.issue("withings");
        StateSigner rotated = new StateSigner(TokenKeys.of(key('b'), key('a')));

        assertThat(rotated.verify("withings", issued.value())).contains(issued.id());
    }
}
