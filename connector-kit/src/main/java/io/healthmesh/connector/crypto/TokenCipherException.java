package io.healthmesh.connector.crypto;

/** A stored value that cannot be read: tampered with, under an unknown key, or not ours. Never names the value. */
public class TokenCipherException extends RuntimeException {

    public TokenCipherException(String message) {
        super(message);
    }

    public TokenCipherException(String message, Throwable cause) {
        super(message, cause);
    }
}
