package io.healthmesh.commons.security;

import java.net.URI;
import java.util.Optional;

/** The checks of the service-credential settings that both directions share; failures name the setting. */
final class ServiceAuthChecks {

    private ServiceAuthChecks() {
    }

    /** The shared secret of secret mode: required, and not blank. */
    static String requireSecret(Optional<String> secret) {
        if (secret.isEmpty() || secret.get().isBlank()) {
            throw new IllegalStateException("healthmesh.service-secret (HEALTHMESH_SERVICE_SECRET) must be set and "
                    + "not blank when healthmesh.service-auth.mode is secret");
        }
        return secret.get();
    }

    /**
     * The URL as a URI when it is an absolute http(s) URL with a host; otherwise an
     * IllegalStateException naming {@code what}.
     */
    static URI absoluteHttpUrl(String url, String what) {
        URI uri;
        try {
            uri = URI.create(url.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(what + " is not a URL");
        }
        if (!uri.isAbsolute() || uri.getHost() == null
                || !("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()))) {
            throw new IllegalStateException(what + " must be an absolute http(s) URL, got " + url);
        }
        return uri;
    }

    static boolean present(Optional<String> value) {
        return value.isPresent() && !value.get().isBlank();
    }
}
