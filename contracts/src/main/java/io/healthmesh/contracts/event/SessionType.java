package io.healthmesh.contracts.event;

import com.fasterxml.jackson.annotation.JsonValue;

public enum SessionType {
    SLEEP("sleep"),
    NAP("nap"),
    WORKOUT("workout"),
    MINDFULNESS("mindfulness");

    private final String code;

    SessionType(String code) {
        this.code = code;
    }

    @JsonValue
    public String code() {
        return code;
    }
}
