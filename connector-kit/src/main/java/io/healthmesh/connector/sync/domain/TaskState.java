package io.healthmesh.connector.sync.domain;

/** Where a sync task stands. */
public enum TaskState {
    QUEUED("queued"),
    RUNNING("running"),
    DONE("done"),
    FAILED("failed"),
    CANCELLED("cancelled");

    private final String code;

    TaskState(String code) {
        this.code = code;
    }

    public String code() {
        return code;
    }

    public static TaskState of(String code) {
        for (TaskState state : values()) {
            if (state.code.equals(code)) {
                return state;
            }
        }
        throw new IllegalArgumentException("Unknown sync task state " + code);
    }
}
