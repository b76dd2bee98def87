package io.healthmesh.contracts.event;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.healthmesh.contracts.identity.Identity;
import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * One event on a raw topic: who, which source, when it was emitted, and a nested payload whose type
 * is named by {@code kind}.
 *
 * <p>In JSON, {@code kind} is the payload's type id: it is read both into {@link #kind()} and to
 * choose the payload class, and written from the payload's class (so a record built with a kind
 * that contradicts its payload is written with the payload's kind; the validator reports such a
 * record).
 *
 * @param eventId UUIDv5 of {@code userId|source|sourceRecordId|metric}, see {@link Identity}
 * @param schemaVersion {@link #SCHEMA_VERSION}
 * @param kind reading or session
 * @param userId opaque user id (the token subject)
 * @param source source id, see {@code SourceId}
 * @param occurredAt when the producer emitted the event
 * @param payload a {@link Reading} or a {@link Session}
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Envelope(
        UUID eventId,
        int schemaVersion,
        // Write-only for Jackson: on output the type id below already writes "kind".
        @JsonProperty(access = JsonProperty.Access.WRITE_ONLY) EventKind kind,
        String userId,
        String source,
        OffsetDateTime occurredAt,
        @JsonTypeInfo(
                use = JsonTypeInfo.Id.NAME,
                include = JsonTypeInfo.As.EXTERNAL_PROPERTY,
                property = "kind",
                visible = true)
        @JsonSubTypes({
            @JsonSubTypes.Type(value = Reading.class, name = "reading"),
            @JsonSubTypes.Type(value = Session.class, name = "session")
        })
        Payload payload) {

    public static final int SCHEMA_VERSION = 1;

    /** An envelope for a reading, its eventId derived from the reading's identity. */
    public static Envelope reading(String userId, String source, Reading reading, OffsetDateTime occurredAt) {
        UUID eventId = Identity.eventId(userId, source, reading.sourceRecordId(), reading.metric());
        return new Envelope(eventId, SCHEMA_VERSION, EventKind.READING, userId, source, occurredAt, reading);
    }

    /** An envelope for a session, its eventId derived from the session's identity. */
    public static Envelope session(String userId, String source, Session session, OffsetDateTime occurredAt) {
        UUID eventId = Identity.sessionEventId(userId, source, session.sourceRecordId());
        return new Envelope(eventId, SCHEMA_VERSION, EventKind.SESSION, userId, source, occurredAt, session);
    }
}
