package io.healthmesh.connector.sync.domain;

/** Why a sync task exists. */
public enum TaskKind {
    /** The history of a new connection: a window of {@code backfill-days} up to the connect. */
    BACKFILL("backfill"),
    /** The scheduled sync from the stored cursor. */
    INCREMENTAL("incremental"),
    /** What a provider notification named (a window, or "since the cursor" without one). */
    TARGETED("targeted");

    private final String code;

    TaskKind(String code) {
        this.code = code;
    }

    public String code() {
        return code;
    }

    public static TaskKind of(String code) {
        for (TaskKind kind : values()) {
            if (kind.code.equals(code)) {
                return kind;
            }
        }
        throw new IllegalArgumentException("Unknown sync task kind " + code);
    }
}
