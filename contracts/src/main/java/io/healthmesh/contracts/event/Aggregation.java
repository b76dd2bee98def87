package io.healthmesh.contracts.event;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * How a reading's value combines inside a time bucket.
 *
 * <ul>
 *   <li>{@link #CUMULATIVE}: the amount over the reading's interval (steps, energy, nutrients);
 *       buckets sum it pro rata by overlap.</li>
 *   <li>{@link #SAMPLE}: a value at a time or over a short interval (heart rate, weight);
 *       buckets report mean, min, max and count.</li>
 *   <li>{@link #DAILY}: one value for a local date (resting heart rate, vendor scores);
 *       never split and never put in hour buckets.</li>
 * </ul>
 */
public enum Aggregation {
    CUMULATIVE("cumulative"),
    SAMPLE("sample"),
    DAILY("daily");

    private final String code;

    Aggregation(String code) {
        this.code = code;
    }

    @JsonValue
    public String code() {
        return code;
    }
}
