package io.healthmesh.connector.sync.service;

import io.healthmesh.commons.messaging.PublishFailedException;
import io.healthmesh.connector.connection.ConnectionDirectory;
import io.healthmesh.connector.provider.DataTypeSync;
import io.healthmesh.connector.provider.ProviderException;
import io.healthmesh.connector.sync.config.SyncConfig;
import io.healthmesh.connector.sync.domain.BackfillProgress;
import io.healthmesh.connector.sync.domain.SyncTask;
import io.healthmesh.connector.sync.domain.TaskKind;
import io.healthmesh.connector.sync.domain.TaskState;
import io.healthmesh.connector.sync.repository.SyncTaskRepository;
import io.healthmesh.contracts.status.ConnectionState;
import io.micrometer.core.instrument.Metrics;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Runs one claimed task to its end: hands the data type's {@link DataTypeSync} the cursor or the
 * window, waits for the broker's acknowledgement of everything it published, and only then marks
 * the task done and stores the new cursor, in one transaction. Failures decide what comes next
 * (see {@link #run}); the connection's state is reported through the {@link ConnectionDirectory}.
 */
final class TaskRunner {

    private static final Logger LOG = Logger.getLogger(TaskRunner.class);
    /** {@code healthmesh_connector_sync_runs_total{source, kind, outcome}}: every run of a task, by how it ended. */
    static final String RUNS = "healthmesh.connector.sync.runs";
    /** {@code healthmesh_connector_provider_errors_total{source, kind}}: provider refusals and outages, by kind. */
    static final String PROVIDER_ERRORS = "healthmesh.connector.provider.errors";

    private final SyncTaskRepository tasks;
    private final ConnectionDirectory directory;
    private final DataTypeSyncs syncs;
    private final RateBudget budget;
    private final SyncConfig.Sync config;

    TaskRunner(SyncTaskRepository tasks, ConnectionDirectory directory, DataTypeSyncs syncs, RateBudget budget,
            SyncConfig.Sync config) {
        this.tasks = tasks;
        this.directory = directory;
        this.syncs = syncs;
        this.budget = budget;
        this.config = config;
    }

    /**
     * Runs the task on the calling thread. What happens when it does not succeed:
     * <ul>
     *   <li>RATE_LIMITED: back to the queue for the provider's retry-after (else the backoff), and the
     *       source's shared budget paused as long, so no replica sends meanwhile; not an attempt;
     *   <li>UNAVAILABLE, a broker that did not acknowledge, a token refused twice, an unexpected error:
     *       back to the queue with exponential backoff, failed after max-attempts (the connection reports an error);
     *   <li>TOKEN_INVALID: the token is refreshed and the sync runs once more at once;
     *   <li>GRANT_REFUSED: failed, and the connection's other pending tasks cancelled (the directory
     *       already marked it token_expired);
     *   <li>FORBIDDEN: failed, and the connection reports an error saying the membership may have lapsed or
     *       a scope is missing (not a login failure: the tokens stay); it stands until that data type syncs
     *       again;
     *   <li>FAILED: failed, and the connection reports an error with the reason.
     * </ul>
     * A cancelled, taken-over or stopping task just ends: whoever holds it now decides.
     */
    void run(SyncTask task, TaskSyncContext context, String owner) {
        Optional<DataTypeSync> found = syncs.find(task.source(), task.dataType());
        if (found.isEmpty()) {
            String reason = "no DataTypeSync for " + task.source() + " " + task.dataType() + " in this service";
            tasks.end(task.id(), owner, TaskState.FAILED, reason);
            report(task, ConnectionState.ERROR, reason);
            return;
        }
        DataTypeSync sync = found.get();
        if (task.kind() != TaskKind.BACKFILL) {
            // A backfill reports its own progress; the directory keeps other states (expired, backfilling) as they are.
            report(task, ConnectionState.SYNCING, null);
        }
        try {
            String cursor = tasks.cursor(task.userId(), task.source(), task.dataType()).orElse(null);
            String next;
            try {
                next = runOnce(sync, context, cursor, task);
            } catch (ProviderException e) {
                if (e.kind() != ProviderException.Kind.TOKEN_INVALID) {
                    throw e;
                }
                LOG.debugf("Sync %s: the provider refused the access token; refreshing and running again", task.id());
                providerError(task, e.kind());
                context.tokenRefused();
                next = runOnce(sync, context, cursor, task);
            }
            context.awaitAcknowledged();
            context.completing();
            if (next == null && cursor == null && task.kind() == TaskKind.BACKFILL) {
                // Everything changed before the backfill was queued is now known.
                next = sync.cursorAt(task.createdAt());
            }
            if (tasks.done(task.id(), owner, next)) {
                ran(task, "done");
                afterDone(task);
            } else {
                LOG.infof("Sync %s ended, but it was cancelled or taken over meanwhile; its cursor is not stored",
                        task.id());
            }
        } catch (TaskSyncContext.StopRequested e) {
            LOG.infof("Sync %s stopped: %s", task.id(), e.getMessage());
        } catch (InterruptedException e) {
            if (context.stopReason() == null) {
                Thread.currentThread().interrupt();
            }
            LOG.infof("Sync %s interrupted (%s)", task.id(), context.stopReason());
        } catch (ProviderException e) {
            context.completing();
            providerError(task, e.kind());
            ran(task, "provider_" + e.kind().name().toLowerCase(java.util.Locale.ROOT));
            providerFailed(task, owner, e);
        } catch (PublishFailedException e) {
            context.completing();
            ran(task, "publish_failed");
            retryLater(task, owner, e.getMessage());
        } catch (RuntimeException e) {
            if (context.stopReason() != null && !context.isCompleting()) {
                LOG.infof("Sync %s stopped (%s): %s", task.id(), context.stopReason(), e.toString());
            } else {
                LOG.warnf(e, "Sync %s failed unexpectedly", task.id());
                context.completing();
                ran(task, "error");
                retryLater(task, owner, "unexpected error: " + e);
            }
        }
    }

    private static void ran(SyncTask task, String outcome) {
        Metrics.counter(RUNS, "source", task.source(), "kind", task.kind().name().toLowerCase(java.util.Locale.ROOT),
                "outcome", outcome).increment();
    }

    private static void providerError(SyncTask task, ProviderException.Kind kind) {
        Metrics.counter(PROVIDER_ERRORS, "source", task.source(), "kind", kind.name().toLowerCase(java.util.Locale.ROOT))
                .increment();
    }

    /** A document the notification named, else the window (or the cursor when there is none). */
    private static String runOnce(DataTypeSync sync, TaskSyncContext context, String cursor, SyncTask task)
            throws ProviderException, InterruptedException {
        if (task.document() != null) {
            return sync.syncDocument(context, cursor, task.document());
        }
        return sync.sync(context, cursor, task.windowFrom(), task.windowTo());
    }

    private void providerFailed(SyncTask task, String owner, ProviderException e) {
        switch (e.kind()) {
            case RATE_LIMITED -> {
                Duration wait = e.retryAfter() != null ? e.retryAfter() : backoff(task.attempts());
                pauseBudget(task, wait);
                tasks.requeue(task.id(), owner, wait, "rate limited: " + e.getMessage(), false);
                LOG.infof("Sync %s rate limited; again in %s", task.id(), wait);
            }
            case UNAVAILABLE -> retryLater(task, owner, "provider unavailable: " + e.getMessage());
            case TOKEN_INVALID -> retryLater(task, owner, "access token refused again after a refresh: " + e.getMessage());
            case GRANT_REFUSED -> {
                // The directory marked the connection token_expired and reported it; nothing more runs for it.
                tasks.end(task.id(), owner, TaskState.FAILED, "grant refused: " + e.getMessage());
                tasks.cancelConnection(task.userId(), task.source(), "grant refused; the user must connect again");
            }
            case FORBIDDEN -> {
                // Stored as the task's error too: it is the connection's reason for as long as it stands.
                String reason = forbiddenReason(task, e);
                if (tasks.end(task.id(), owner, TaskState.FAILED, reason)) {
                    report(task, ConnectionState.ERROR, reason);
                }
            }
            case FAILED -> {
                if (tasks.end(task.id(), owner, TaskState.FAILED, e.getMessage())) {
                    report(task, ConnectionState.ERROR, e.getMessage());
                }
            }
        }
    }

    /**
     * A refusal is not a login failure: the tokens are fine, but the user's consent or account
     * does not cover the data type. The reason says so in words the user can act on, with the
     * provider's own words after it.
     */
    static String forbiddenReason(SyncTask task, ProviderException e) {
        return "Access to " + task.dataType() + " was refused: the membership of the account at the provider may"
                + " have lapsed, or the permission (scope) for it was not granted. Renew the membership, or connect"
                + " again granting every permission. (" + e.getMessage() + ")";
    }

    /** The provider counts requests per app: every replica's tasks of this source wait, not just this one. */
    private void pauseBudget(SyncTask task, Duration wait) {
        try {
            budget.pause(task.source(), wait);
        } catch (RuntimeException e) {
            LOG.warnf("Sync %s: could not pause the %s budget for %s: %s", task.id(), task.source(), wait, e.toString());
        }
    }

    /** Back to the queue after the backoff of this attempt, or failed when it was the last one allowed. */
    private void retryLater(SyncTask task, String owner, String error) {
        if (task.attempts() >= config.maxAttempts()) {
            String reason = "gave up after " + task.attempts() + " attempts: " + error;
            if (tasks.end(task.id(), owner, TaskState.FAILED, reason)) {
                report(task, ConnectionState.ERROR, reason);
            }
            return;
        }
        Duration wait = backoff(task.attempts());
        tasks.requeue(task.id(), owner, wait, error, true);
        LOG.infof("Sync %s: %s; attempt %d again in %s", task.id(), error, task.attempts() + 1, wait);
    }

    /** base * 2^(attempt - 1), at most max. */
    Duration backoff(int attempt) {
        Duration base = config.backoff().base();
        Duration max = config.backoff().max();
        int doublings = Math.max(0, Math.min(attempt - 1, 30));
        Duration wait = base.multipliedBy(1L << doublings);
        return wait.compareTo(max) > 0 ? max : wait;
    }

    /** Backfilling with its progress while the backfill lasts; connected once nothing of the connection is pending. */
    private void afterDone(SyncTask task) {
        try {
            if (task.kind() == TaskKind.BACKFILL) {
                BackfillProgress progress = tasks.backfillProgress(task.userId(), task.source());
                if (!progress.finished()) {
                    directory.report(task.userId(), task.source(), ConnectionState.BACKFILLING, progress.progress(),
                            null, null, null);
                    return;
                }
                if (progress.failed() > 0) {
                    // The failed part reported its error, but backfilling progress may have been reported
                    // since: the error is reported again; a later sync that succeeds reports connected.
                    tasks.standingFailure(task.userId(), task.source())
                            .ifPresent(reason -> report(task, ConnectionState.ERROR, reason));
                    return;
                }
                connected(task);
            } else if (tasks.pending(task.userId(), task.source()) == 0) {
                // A data type still failing (forbidden, say) keeps its error, even after a syncing report.
                Optional<String> failing = tasks.standingFailure(task.userId(), task.source());
                if (failing.isPresent()) {
                    report(task, ConnectionState.ERROR, failing.get());
                } else {
                    connected(task);
                }
            }
        } catch (RuntimeException e) {
            LOG.warnf("Sync %s done, but its connection's state could not be reported: %s", task.id(), e.toString());
        }
    }

    private void connected(SyncTask task) {
        OffsetDateTime next = tasks.nextSync(task.userId(), task.source())
                .map(at -> at.atOffset(ZoneOffset.UTC)).orElse(null);
        directory.report(task.userId(), task.source(), ConnectionState.CONNECTED, null, null,
                OffsetDateTime.now(ZoneOffset.UTC), next);
    }

    void report(SyncTask task, ConnectionState state, String reason) {
        try {
            directory.report(task.userId(), task.source(), state, null, reason, null, null);
        } catch (RuntimeException e) {
            LOG.warnf("Could not report %s of %s %s: %s", state, task.userId(), task.source(), e.toString());
        }
    }
}
