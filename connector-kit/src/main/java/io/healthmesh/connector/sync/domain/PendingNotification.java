package io.healthmesh.connector.sync.domain;

import io.healthmesh.connector.provider.DocumentChange;
import java.time.Instant;
import java.util.UUID;

/**
 * A stored provider notification not yet turned into sync work.
 *
 * @param document the document it names, or null for a window notification (or "since the cursor")
 */
public record PendingNotification(UUID id, String source, String providerUserId, String dataType, Instant windowFrom,
        Instant windowTo, DocumentChange document) {
}
