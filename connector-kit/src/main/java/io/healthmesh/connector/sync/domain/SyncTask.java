package io.healthmesh.connector.sync.domain;

import io.healthmesh.connector.provider.DocumentChange;
import java.time.Instant;
import java.util.UUID;

/**
 * One sync task as a replica claimed it.
 *
 * @param windowFrom start of the window to fetch (backfill, targeted), or null: since the cursor
 * @param windowTo end of the window (exclusive), or null
 * @param attempts claims so far, this one included
 * @param document the one document a targeted sync fetches (or removes), or null
 */
public record SyncTask(UUID id, String userId, String source, String dataType, TaskKind kind, Instant windowFrom,
        Instant windowTo, TaskState state, String leaseOwner, int attempts, Instant createdAt,
        DocumentChange document) {
}
