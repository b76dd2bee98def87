package io.healthmesh.contracts.event;

import com.fasterxml.jackson.annotation.JsonValue;

/** The envelope's {@code kind}; it names the payload type and is its JSON discriminator. */
public enum EventKind {
    READING("reading"),
    SESSION("session");

    private final String code;

    EventKind(String code) {
        this.code = code;
    }

    @JsonValue
    public String code() {
        return code;
    }
}
