import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.Base64;

/**
 * Makes the local run's key pair for users' bearer tokens (run as {@code java TokenKeys.java <dir>}):
 * the gateway verifies tokens with {@code token-verify-key.pem} and signs dev tokens with
 * {@code token-signing-key.pem}. Existing keys are kept, so tokens stay valid across restarts.
 */
public class TokenKeys {

    public static void main(String[] args) throws Exception {
        Path directory = Path.of(args[0]);
        Path verify = directory.resolve("token-verify-key.pem");
        Path signing = directory.resolve("token-signing-key.pem");
        if (Files.exists(verify) && Files.exists(signing)) {
            return;
        }
        Files.createDirectories(directory);
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair pair = generator.generateKeyPair();
        Files.writeString(signing, pem("PRIVATE KEY", pair.getPrivate().getEncoded()), StandardCharsets.US_ASCII);
        Files.setPosixFilePermissions(signing, PosixFilePermissions.fromString("rw-------"));
        Files.writeString(verify, pem("PUBLIC KEY", pair.getPublic().getEncoded()), StandardCharsets.US_ASCII);
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }
}
