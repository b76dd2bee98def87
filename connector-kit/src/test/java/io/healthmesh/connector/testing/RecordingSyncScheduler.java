package io.healthmesh.connector.testing;

import io.healthmesh.connector.connection.ConnectionRef;
import io.healthmesh.connector.provider.DocumentChange;
import io.healthmesh.connector.sync.SyncScheduler;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import java.time.Instant;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/** Stands in for the sync side (built elsewhere) in the kit's tests, and wins over it once both exist. */
@Alternative
@Priority(1)
@ApplicationScoped
public class RecordingSyncScheduler implements SyncScheduler {

    private final Queue<ConnectionRef> connected = new ConcurrentLinkedQueue<>();
    private final Queue<ConnectionRef> disconnected = new ConcurrentLinkedQueue<>();

    @Override
    public void connected(ConnectionRef connection) {
        connected.add(connection);
    }

    @Override
    public void disconnected(ConnectionRef connection) {
        disconnected.add(connection);
    }

    @Override
    public void notified(String source, String providerUserId, String dataType, Instant from, Instant to,
            String payload) {
        throw new UnsupportedOperationException("not part of the connections side");
    }

    @Override
    public void notifiedDocument(String source, String providerUserId, String dataType, DocumentChange document,
            String payload) {
        throw new UnsupportedOperationException("not part of the connections side");
    }

    public List<ConnectionRef> connected() {
        return List.copyOf(connected);
    }

    public List<ConnectionRef> disconnected() {
        return List.copyOf(disconnected);
    }

    public void reset() {
        connected.clear();
        disconnected.clear();
    }
}
