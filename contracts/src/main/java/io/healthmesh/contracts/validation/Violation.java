package io.healthmesh.contracts.validation;

/**
 * One broken rule.
 *
 * @param field JSON path of the offending field, e.g. {@code payload.unit} or
 *     {@code payload.details.stages[2].end}
 * @param reason what is wrong, naming the offending value
 */
public record Violation(String field, String reason) {

    /** {@code field: reason}, for logs and dead-letter headers. */
    public String describe() {
        return field + ": " + reason;
    }
}
