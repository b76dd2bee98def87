package io.healthmesh.imports.apple;

import io.healthmesh.contracts.event.Reading;
import io.healthmesh.contracts.event.Session;

/**
 * Receives what {@link AppleExportParser} makes of an export, each payload as soon as it is complete,
 * on the parsing thread. An exception thrown here stops the parse and propagates unchanged.
 */
public interface AppleExportHandler {

    void reading(Reading reading);

    void session(Session session);

    /** Something read and not imported; {@code reason} is one of {@link SkipReason}'s stable keys. */
    void skipped(String reason);
}
