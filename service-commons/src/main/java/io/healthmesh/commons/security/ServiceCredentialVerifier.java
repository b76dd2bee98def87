package io.healthmesh.commons.security;

import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Checks the credential of a service-to-service call against the configured shared secret
 * ({@code healthmesh.service-secret}). Production replaces the shared secret with OIDC
 * client-credentials tokens; that verifier is not written yet.
 */
@ApplicationScoped
public class ServiceCredentialVerifier {

    private final byte[] secret;

    public ServiceCredentialVerifier(@ConfigProperty(name = "healthmesh.service-secret") String secret) {
        if (secret.isBlank()) {
            throw new IllegalStateException("healthmesh.service-secret must not be blank");
        }
        this.secret = secret.getBytes(StandardCharsets.UTF_8);
    }

    public boolean accepts(String presented) {
        // Constant-time comparison so the secret cannot be guessed byte by byte from timings.
        return MessageDigest.isEqual(secret, presented.getBytes(StandardCharsets.UTF_8));
    }
}
