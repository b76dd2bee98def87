package io.healthmesh.connector.provider.standard;

import java.time.Duration;

/**
 * A token or revocation endpoint answered something other than 2xx. Raised by
 * {@link StandardOAuthResponseFilter} inside quarkus-oidc-client's response handling, because the
 * client itself turns an error into an {@code OidcClientException} carrying only the raw body: the
 * status (429, 5xx) and {@code Retry-After} would be lost, and the body could be echoed into a log.
 * Carries only what is safe to show: the status, the OAuth2 {@code error} code and a redacted
 * {@code error_description}.
 */
final class EndpointRefusal extends RuntimeException {

    private final int status;
    private final String error;
    private final String description;
    private final Duration retryAfter;

    EndpointRefusal(int status, String error, String description, Duration retryAfter) {
        super("HTTP " + status + (error == null ? "" : " " + error) + (description == null ? "" : ": " + description),
                null, false, false);
        this.status = status;
        this.error = error;
        this.description = description;
        this.retryAfter = retryAfter;
    }

    int status() {
        return status;
    }

    /** The OAuth2 error code ({@code invalid_grant}), or null when the answer had none. */
    String error() {
        return error;
    }

    String description() {
        return description;
    }

    /** From the {@code Retry-After} header; null when absent or unreadable. */
    Duration retryAfter() {
        return retryAfter;
    }
}
