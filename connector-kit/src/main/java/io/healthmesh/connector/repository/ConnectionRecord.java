package io.healthmesh.connector.repository;

import io.healthmesh.contracts.status.ConnectionState;
import io.healthmesh.contracts.status.ConnectionStatus;
import java.time.OffsetDateTime;

/** A connection row without its tokens: what may be shown, reported and logged. */
public record ConnectionRecord(
        String userId,
        String source,
        String providerUserId,
        ConnectionState state,
        String reason,
        Double progress,
        String scope,
        OffsetDateTime connectedAt,
        OffsetDateTime lastSuccessfulSync,
        OffsetDateTime nextSync,
        OffsetDateTime updatedAt) {

    /** The report of this row on connection.status.v1. */
    public ConnectionStatus toStatus() {
        return new ConnectionStatus(userId, source, state, progress, reason, lastSuccessfulSync, nextSync, updatedAt);
    }
}
