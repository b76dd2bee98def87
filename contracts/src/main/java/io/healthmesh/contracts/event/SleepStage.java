package io.healthmesh.contracts.event;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * Sleep stages across sources. {@link #ASLEEP_UNSPECIFIED} is sleep without a stage (Apple before
 * iOS 16, classic Fitbit logs); {@link #IN_BED} overlaps the other stages and is never added to them.
 */
public enum SleepStage {
    AWAKE("awake"),
    LIGHT("light"),
    DEEP("deep"),
    REM("rem"),
    ASLEEP_UNSPECIFIED("asleep_unspecified"),
    IN_BED("in_bed");

    private final String code;

    SleepStage(String code) {
        this.code = code;
    }

    // Also names the stage as a map key (stage totals); adding @JsonKey would break reading.
    @JsonValue
    public String code() {
        return code;
    }
}
