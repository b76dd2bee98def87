package io.healthmesh.connector.sync.domain;

import java.time.Instant;
import java.util.UUID;

/** A stored provider notification not yet turned into sync work. */
public record PendingNotification(UUID id, String source, String providerUserId, String dataType, Instant windowFrom,
        Instant windowTo) {
}
