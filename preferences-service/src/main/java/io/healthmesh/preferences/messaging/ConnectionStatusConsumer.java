package io.healthmesh.preferences.messaging;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.healthmesh.contracts.source.SourceId;
import io.healthmesh.contracts.status.ConnectionStatus;
import io.healthmesh.preferences.service.ConnectionService;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.Record;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.time.Duration;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Keeps the latest connection report per (user, source). A report that cannot be read is logged
 * and skipped, never allowed to stop the stream; a database outage retries the report.
 */
@ApplicationScoped
public class ConnectionStatusConsumer {

    private static final Logger LOG = Logger.getLogger(ConnectionStatusConsumer.class);

    private final ConnectionService connections;
    private final ObjectMapper json;

    public ConnectionStatusConsumer(ConnectionService connections, ObjectMapper json) {
        this.connections = connections;
        this.json = json;
    }

    @Incoming("connection-status")
    public Uni<Void> consume(Record<String, String> report) {
        ConnectionStatus status = read(report.key(), report.value());
        if (status == null) {
            return Uni.createFrom().voidItem();
        }
        return Uni.createFrom().deferred(() -> connections.record(status))
                .onFailure().invoke(e -> LOG.warnf("Connection report %s not stored (%s); retrying", report.key(),
                        e.toString()))
                .onFailure().retry().withBackOff(Duration.ofMillis(200), Duration.ofSeconds(10)).indefinitely();
    }

    private ConnectionStatus read(String key, String value) {
        try {
            ConnectionStatus status = value == null ? null : json.readValue(value, ConnectionStatus.class);
            if (status == null || status.userId() == null || status.state() == null || status.updatedAt() == null
                    || !SourceId.isKnown(status.source())) {
                LOG.warnf("Skipping an incomplete connection report under key %s", key);
                return null;
            }
            return status;
        } catch (IOException e) {
            LOG.warnf("Skipping an unreadable connection report under key %s: %s", key, e.getMessage());
            return null;
        }
    }
}
