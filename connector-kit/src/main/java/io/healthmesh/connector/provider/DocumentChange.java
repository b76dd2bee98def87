package io.healthmesh.connector.provider;

import java.util.Objects;

/**
 * A provider notification that names one document of a data type rather than a time window (Oura:
 * {@code {event_type, data_type, object_id}}): the sync fetches that document, or removes what it
 * produced when the provider says it is gone.
 *
 * @param documentId the provider's id of the document
 * @param kind what happened to it
 */
public record DocumentChange(String documentId, Kind kind) {

    /** What happened to the document, as the provider said it. */
    public enum Kind {
        CREATED("created"),
        UPDATED("updated"),
        DELETED("deleted");

        private final String code;

        Kind(String code) {
            this.code = code;
        }

        /** How it is stored in the notification and sync task tables. */
        public String code() {
            return code;
        }

        public static Kind of(String code) {
            for (Kind kind : values()) {
                if (kind.code.equals(code)) {
                    return kind;
                }
            }
            throw new IllegalArgumentException("Unknown document change " + code);
        }
    }

    public DocumentChange {
        Objects.requireNonNull(documentId, "documentId");
        Objects.requireNonNull(kind, "kind");
        if (documentId.isBlank()) {
            throw new IllegalArgumentException("A document change names a document");
        }
    }

    public boolean deleted() {
        return kind == Kind.DELETED;
    }
}
