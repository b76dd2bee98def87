package io.healthmesh.connector.provider;

import java.time.Duration;

/**
 * A provider call that did not give what was asked. The kind decides what the kit does next; the
 * message is safe to show the user and to log (never a token).
 */
public class ProviderException extends Exception {

    public enum Kind {
        /** The access token was refused (expired or revoked early): refresh, then retry once. */
        TOKEN_INVALID,
        /** The refresh token or authorization code was refused: the connection is token_expired. */
        GRANT_REFUSED,
        /** The user's consent does not cover this call (missing scope, lapsed membership). */
        FORBIDDEN,
        /** The provider asks us to slow down: back off for {@link #retryAfter()} (or a default). */
        RATE_LIMITED,
        /** The provider failed or could not be reached: retry later. */
        UNAVAILABLE,
        /** The provider answered something we cannot use: the connection reports an error. */
        FAILED
    }

    private final Kind kind;
    private final Duration retryAfter;

    public ProviderException(Kind kind, String message) {
        this(kind, message, null, null);
    }

    public ProviderException(Kind kind, String message, Duration retryAfter, Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.retryAfter = retryAfter;
    }

    public Kind kind() {
        return kind;
    }

    /** How long the provider asked us to wait; null when it did not say. */
    public Duration retryAfter() {
        return retryAfter;
    }
}
