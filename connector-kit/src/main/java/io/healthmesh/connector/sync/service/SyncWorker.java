package io.healthmesh.connector.sync.service;

import io.healthmesh.connector.connection.ConnectionDirectory;
import io.healthmesh.connector.connection.ConnectionRef;
import io.healthmesh.connector.sync.config.SyncConfig;
import io.healthmesh.connector.sync.domain.PendingNotification;
import io.healthmesh.connector.sync.domain.SyncTask;
import io.healthmesh.connector.sync.domain.TaskKind;
import io.healthmesh.connector.sync.domain.TaskState;
import io.healthmesh.connector.sync.messaging.SyncEventPublisher;
import io.healthmesh.connector.sync.repository.NotificationRepository;
import io.healthmesh.connector.sync.repository.SyncTaskRepository;
import io.healthmesh.connector.sync.repository.SyncTaskRepository.NewTask;
import io.healthmesh.contracts.status.ConnectionState;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * This replica's share of the sync work. Every poll interval it renews the leases of the tasks it
 * runs (a task cancelled or taken over meanwhile stops at its next event), fails tasks claimed too
 * often, turns due schedules into incremental tasks and stored notifications into targeted ones,
 * and claims tasks while it has room. Tasks run on their own threads; every state another replica
 * would need lives in PostgreSQL, so any replica can die at any moment.
 */
@ApplicationScoped
public class SyncWorker {

    private static final Logger LOG = Logger.getLogger(SyncWorker.class);
    private static final int BATCH = 100;

    private final String owner;
    private final SyncTaskRepository tasks;
    private final NotificationRepository notifications;
    private final ConnectionDirectory directory;
    private final DataTypeSyncs syncs;
    private final RateBudget budget;
    private final SyncEventPublisher publisher;
    private final SyncConfig config;
    private final TaskRunner runner;
    private final Map<UUID, TaskSyncContext> running = new ConcurrentHashMap<>();
    private ExecutorService taskThreads;
    private ScheduledExecutorService ticker;

    @Inject
    public SyncWorker(SyncTaskRepository tasks, NotificationRepository notifications, ConnectionDirectory directory,
            DataTypeSyncs syncs, RateBudget budget, SyncEventPublisher publisher, SyncConfig config) {
        this("sync-worker-" + UUID.randomUUID(), tasks, notifications, directory, syncs, budget, publisher, config);
    }

    /** A worker of its own (tests: a second replica, one whose broker refuses). */
    public SyncWorker(String owner, SyncTaskRepository tasks, NotificationRepository notifications,
            ConnectionDirectory directory, DataTypeSyncs syncs, RateBudget budget, SyncEventPublisher publisher,
            SyncConfig config) {
        this.owner = owner;
        this.tasks = tasks;
        this.notifications = notifications;
        this.directory = directory;
        this.syncs = syncs;
        this.budget = budget;
        this.publisher = publisher;
        this.config = config;
        this.runner = new TaskRunner(tasks, directory, syncs, budget, config.sync());
    }

    void onStart(@Observes StartupEvent startup) {
        if (config.sync().enabled()) {
            start();
        } else {
            LOG.info("Sync work is off on this replica (healthmesh.connector.sync.enabled=false)");
        }
    }

    void onStop(@Observes ShutdownEvent shutdown) {
        stop();
    }

    public String owner() {
        return owner;
    }

    /** Starts ticking every poll interval. */
    public synchronized void start() {
        if (ticker != null) {
            return;
        }
        ensureThreads();
        ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, owner + "-ticker");
            thread.setDaemon(true);
            return thread;
        });
        long every = config.sync().pollInterval().toMillis();
        ticker.scheduleWithFixedDelay(this::tick, every, every, TimeUnit.MILLISECONDS);
    }

    /**
     * Stops ticking and abandons the running tasks: their leases run out and another replica runs
     * them again (publishing is idempotent, and no cursor moved).
     */
    public synchronized void stop() {
        if (ticker != null) {
            ticker.shutdownNow();
        }
        running.values().forEach(run -> run.stop("shutdown"));
        if (taskThreads != null) {
            taskThreads.shutdownNow();
        }
        ticker = null;
        taskThreads = null;
    }

    private void ensureThreads() {
        if (taskThreads == null) {
            taskThreads = Executors.newFixedThreadPool(Math.max(1, config.sync().concurrentTasks()), r -> {
                Thread thread = new Thread(r, owner + "-task");
                thread.setDaemon(true);
                return thread;
            });
        }
    }

    /** Tasks this worker runs right now. */
    public int running() {
        return running.size();
    }

    /** One round of the worker's duties; the ticker calls it, tests may too. */
    public synchronized void tick() {
        ensureThreads();
        guarded("renewing leases", this::heartbeats);
        guarded("giving up on tasks", this::giveUp);
        guarded("scheduling incremental syncs", this::schedules);
        guarded("processing notifications", this::notifications);
        guarded("claiming tasks", this::claim);
    }

    private void guarded(String what, Runnable step) {
        try {
            step.run();
        } catch (RuntimeException e) {
            LOG.warnf("Sync worker %s: %s failed (%s); the next tick retries", owner, what, e.toString());
        }
    }

    private void heartbeats() {
        for (Map.Entry<UUID, TaskSyncContext> entry : running.entrySet()) {
            if (entry.getValue().isCompleting()) {
                continue; // its outcome is being written (and the lease may already be released)
            }
            if (!tasks.heartbeat(entry.getKey(), owner, config.sync().lease())) {
                LOG.infof("Sync %s was cancelled or taken over; stopping it here", entry.getKey());
                entry.getValue().stop("cancelled or taken over");
            }
        }
    }

    private void giveUp() {
        for (SyncTaskRepository.GivenUp failed : tasks.giveUp(config.sync().maxAttempts())) {
            runner.report(failed.task(), ConnectionState.ERROR, failed.reason());
        }
    }

    private void schedules() {
        List<SyncTaskRepository.Connection> due = tasks.takeDueSchedules(BATCH, config.sync().interval());
        for (SyncTaskRepository.Connection connection : due) {
            if (directory.maySync(connection.userId(), connection.source())) {
                tasks.queueIncremental(connection.userId(), connection.source(), syncs.dataTypes(connection.source()));
            }
        }
    }

    private void notifications() {
        for (PendingNotification notification : notifications.pending(BATCH)) {
            Optional<ConnectionRef> connection =
                    directory.byProviderUser(notification.source(), notification.providerUserId());
            if (connection.isEmpty()) {
                // Nobody we know (or no longer connected): nothing to sync, but the notification is handled.
                notifications.process(notification.id(), null, notification.source(), List.of());
                continue;
            }
            List<String> types = notification.dataType() == null ? syncs.dataTypes(notification.source())
                    : syncs.find(notification.source(), notification.dataType()).isPresent()
                            ? List.of(notification.dataType()) : List.of();
            if (types.isEmpty()) {
                LOG.warnf("Notification %s names data type %s, which no DataTypeSync of %s serves; ignored",
                        notification.id(), notification.dataType(), notification.source());
            }
            List<NewTask> targeted = types.stream().map(type -> new NewTask(type, TaskKind.TARGETED,
                    notification.windowFrom(), notification.windowTo(), notification.document())).toList();
            notifications.process(notification.id(), connection.get().userId(), notification.source(), targeted);
        }
    }

    private void claim() {
        int refused = 0;
        while (running.size() < config.sync().concurrentTasks() && refused < BATCH) {
            Optional<SyncTask> claimed = tasks.claim(owner, config.sync().lease());
            if (claimed.isEmpty()) {
                return;
            }
            SyncTask task = claimed.get();
            Optional<ConnectionRef> connection = directory.find(task.userId(), task.source());
            if (connection.isEmpty() || !directory.maySync(task.userId(), task.source())) {
                refused++;
                tasks.end(task.id(), owner, TaskState.CANCELLED,
                        connection.isEmpty() ? "no connection" : "the connection may not sync (token expired?)");
                continue;
            }
            launch(task, connection.get());
        }
    }

    private void launch(SyncTask task, ConnectionRef connection) {
        TaskSyncContext context;
        try {
            context = new TaskSyncContext(connection, directory, budget, publisher.batch(task.source()));
        } catch (RuntimeException e) {
            tasks.end(task.id(), owner, TaskState.FAILED, e.getMessage());
            runner.report(task, ConnectionState.ERROR, e.getMessage());
            return;
        }
        running.put(task.id(), context);
        try {
            taskThreads.submit(() -> {
                context.attach(Thread.currentThread());
                try {
                    runner.run(task, context, owner);
                } catch (RuntimeException e) {
                    // Its outcome could not be written (database away): the lease runs out and it runs again.
                    LOG.warnf("Sync %s: its outcome could not be stored (%s); it runs again after its lease",
                            task.id(), e.toString());
                } finally {
                    context.detach();
                    running.remove(task.id());
                }
            });
        } catch (RuntimeException e) {
            // Stopping: the lease runs out and another replica runs it.
            running.remove(task.id());
        }
    }
}
