package io.healthmesh.contracts.event;

import com.fasterxml.jackson.annotation.JsonValue;
import io.healthmesh.contracts.vocab.Category;

/** Kinds of sessions, each resolved by the source ranking of the category it belongs to. */
public enum SessionType {
    SLEEP("sleep", Category.SLEEP),
    NAP("nap", Category.SLEEP),
    WORKOUT("workout", Category.WORKOUTS),
    MINDFULNESS("mindfulness", Category.RECOVERY);

    private final String code;
    private final Category category;

    SessionType(String code, Category category) {
        this.code = code;
        this.category = category;
    }

    public Category category() {
        return category;
    }

    @JsonValue
    public String code() {
        return code;
    }
}
