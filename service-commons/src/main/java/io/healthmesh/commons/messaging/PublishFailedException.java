package io.healthmesh.commons.messaging;

/** The broker did not acknowledge an event: nothing sent by the same unit of work counts as delivered. */
public class PublishFailedException extends RuntimeException {

    public PublishFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
