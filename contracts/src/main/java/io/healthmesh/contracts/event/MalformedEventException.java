package io.healthmesh.contracts.event;

/**
 * An event that cannot be read at all: not JSON, no kind, or a payload of the wrong shape.
 * Consumers dead-letter it with {@link #reason()}; events that parse but break the rules are the
 * validator's business instead.
 */
public class MalformedEventException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String reason;

    public MalformedEventException(String reason) {
        this(reason, null);
    }

    public MalformedEventException(String reason, Throwable cause) {
        super("malformed event: " + reason, cause);
        this.reason = reason;
    }

    public String reason() {
        return reason;
    }
}
