package io.healthmesh.connector.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.healthmesh.connector.repository.ConnectionRecord;
import io.healthmesh.contracts.status.ConnectionState;
import java.time.OffsetDateTime;

/** This service's view of one user's connection; never its tokens. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ConnectionView(
        String source,
        ConnectionState state,
        Double progress,
        String reason,
        String scope,
        OffsetDateTime connectedAt,
        OffsetDateTime lastSuccessfulSync,
        OffsetDateTime nextSync,
        OffsetDateTime updatedAt) {

    static ConnectionView of(ConnectionRecord record) {
        return new ConnectionView(record.source(), record.state(), record.progress(), record.reason(), record.scope(),
                record.connectedAt(), record.lastSuccessfulSync(), record.nextSync(), record.updatedAt());
    }
}
