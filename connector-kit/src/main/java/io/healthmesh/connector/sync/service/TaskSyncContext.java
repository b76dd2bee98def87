package io.healthmesh.connector.sync.service;

import io.healthmesh.commons.messaging.AcknowledgedSends;
import io.healthmesh.connector.connection.ConnectionDirectory;
import io.healthmesh.connector.connection.ConnectionRef;
import io.healthmesh.connector.provider.ProviderException;
import io.healthmesh.connector.provider.SyncContext;
import io.healthmesh.connector.sync.messaging.SyncEventPublisher;
import io.healthmesh.contracts.event.Envelope;
import io.healthmesh.contracts.event.Reading;
import io.healthmesh.contracts.event.Session;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * What one run of a sync task (or a connection hook) uses: tokens through the connection
 * directory, requests through the shared rate budget, events through one publisher batch. The
 * worker may ask it to stop (task cancelled, lease lost, shutdown); that takes effect at the next
 * token, request or event, and interrupts a wait for the rate budget.
 */
public final class TaskSyncContext implements SyncContext {

    private final ConnectionRef connection;
    private final ConnectionDirectory directory;
    private final RateBudget budget;
    private final AcknowledgedSends batch;
    private String lastToken;
    private boolean refused;
    private volatile String stopReason;
    private volatile boolean completing;
    private Thread runner;

    public TaskSyncContext(ConnectionRef connection, ConnectionDirectory directory, RateBudget budget,
            AcknowledgedSends batch) {
        this.connection = connection;
        this.directory = directory;
        this.budget = budget;
        this.batch = batch;
    }

    @Override
    public String userId() {
        return connection.userId();
    }

    @Override
    public String providerUserId() {
        return connection.providerUserId();
    }

    @Override
    public String accessToken() throws ProviderException {
        checkRunning();
        String token = directory.accessToken(connection.userId(), connection.source(), refused ? lastToken : null);
        refused = false;
        lastToken = token;
        return token;
    }

    @Override
    public void tokenRefused() {
        refused = true;
    }

    @Override
    public void beforeRequest() throws InterruptedException {
        checkRunning();
        budget.acquire(connection.source());
        checkRunning();
    }

    @Override
    public void reading(Reading reading) {
        checkRunning();
        batch.send(Envelope.reading(connection.userId(), connection.source(), reading, now()));
    }

    @Override
    public void session(Session session) {
        checkRunning();
        batch.send(Envelope.session(connection.userId(), connection.source(), session, now()));
    }

    @Override
    public void awaitAcknowledged() {
        batch.awaitAcknowledged();
    }

    /** Events the broker acknowledged so far. */
    public long acknowledged() {
        return batch.acknowledged();
    }

    /** Binds the thread that runs the sync, so that {@link #stop} can interrupt its waits. */
    synchronized void attach(Thread thread) {
        runner = thread;
    }

    synchronized void detach() {
        runner = null;
        Thread.interrupted();
    }

    /**
     * Stops the run at its next token, request or event; a wait for the rate budget ends at once.
     * A run that is already writing its outcome is not interrupted: its writes are conditional on
     * still holding the task, so they decide by themselves.
     */
    synchronized void stop(String reason) {
        stopReason = reason;
        if (runner != null && !completing) {
            runner.interrupt();
        }
    }

    /** The provider's part is over; what remains is writing the outcome and reporting it. */
    synchronized void completing() {
        completing = true;
    }

    boolean isCompleting() {
        return completing;
    }

    String stopReason() {
        return stopReason;
    }

    private void checkRunning() {
        String reason = stopReason;
        if (reason != null) {
            throw new StopRequested(reason);
        }
    }

    private static OffsetDateTime now() {
        return OffsetDateTime.now(ZoneOffset.UTC);
    }

    /** Thrown into a provider's sync to end it: the task was cancelled, taken over, or the replica stops. */
    static final class StopRequested extends RuntimeException {
        StopRequested(String reason) {
            super(reason, null, false, false);
        }
    }
}
