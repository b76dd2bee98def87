package io.healthmesh.contracts.vocab;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;
import java.util.Optional;

/** The health categories users rank sources by. */
public enum Category {
    ACTIVITY,
    SLEEP,
    BODY,
    HEART,
    VITALS,
    NUTRITION,
    WORKOUTS,
    RECOVERY;

    /** The lowercase code used in URLs, JSON and the database. */
    @JsonValue
    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The category with this exact lowercase code, if any. */
    public static Optional<Category> fromCode(String code) {
        if (code == null) {
            return Optional.empty();
        }
        for (Category category : values()) {
            if (category.code().equals(code)) {
                return Optional.of(category);
            }
        }
        return Optional.empty();
    }
}
