package io.healthmesh.imports.domain;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * queued (stored, waiting for a replica) -> parsing (the file is read and its events published)
 * -> publishing (all sent; waiting until the normalizer has judged every one) -> done; or failed,
 * cancelled. CSV jobs wait in awaiting_mapping first.
 */
public enum JobState {
    QUEUED, PARSING, PUBLISHING, AWAITING_MAPPING, DONE, FAILED, CANCELLED;

    @JsonValue
    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static JobState of(String code) {
        return valueOf(code.toUpperCase(Locale.ROOT));
    }

    public boolean isFinal() {
        return this == DONE || this == FAILED || this == CANCELLED;
    }
}
