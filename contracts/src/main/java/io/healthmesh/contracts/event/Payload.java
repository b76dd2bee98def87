package io.healthmesh.contracts.event;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.time.OffsetDateTime;

/** The body of an {@link Envelope}: a {@link Reading} or a {@link Session}. */
public sealed interface Payload permits Reading, Session {

    /** The envelope kind this payload travels under. */
    @JsonIgnore
    EventKind eventKind();

    String sourceRecordId();

    OffsetDateTime start();

    OffsetDateTime end();

    String zone();

    String device();

    String app();

    String importJobId();

    boolean deleted();
}
