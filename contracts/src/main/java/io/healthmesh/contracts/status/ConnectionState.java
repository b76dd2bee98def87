package io.healthmesh.contracts.status;

import com.fasterxml.jackson.annotation.JsonValue;

/** Where a user's connection to a source stands. */
public enum ConnectionState {
    CONNECTED("connected"),
    SYNCING("syncing"),
    BACKFILLING("backfilling"),
    ERROR("error"),
    TOKEN_EXPIRED("token_expired"),
    DISCONNECTED("disconnected");

    private final String code;

    ConnectionState(String code) {
        this.code = code;
    }

    @JsonValue
    public String code() {
        return code;
    }

    /** Whether the user still has the source connected (possibly needing attention). */
    public boolean isConnected() {
        return this != DISCONNECTED;
    }
}
