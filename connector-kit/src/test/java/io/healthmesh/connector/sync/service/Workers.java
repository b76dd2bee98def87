package io.healthmesh.connector.sync.service;

import io.healthmesh.connector.connection.ConnectionDirectory;
import io.healthmesh.connector.sync.config.SyncConfig;
import io.healthmesh.connector.sync.messaging.SyncEventPublisher;
import io.healthmesh.connector.sync.repository.NotificationRepository;
import io.healthmesh.connector.sync.repository.SyncTaskRepository;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Makes sync workers as other replicas would run them, and stops them all after each test. */
@ApplicationScoped
public class Workers {

    private final SyncTaskRepository tasks;
    private final NotificationRepository notifications;
    private final ConnectionDirectory directory;
    private final DataTypeSyncs syncs;
    private final RateBudget budget;
    private final SyncEventPublisher publisher;
    private final SyncConfig config;
    private final List<SyncWorker> made = new CopyOnWriteArrayList<>();

    public Workers(SyncTaskRepository tasks, NotificationRepository notifications, ConnectionDirectory directory,
            DataTypeSyncs syncs, RateBudget budget, SyncEventPublisher publisher, SyncConfig config) {
        this.tasks = tasks;
        this.notifications = notifications;
        this.directory = directory;
        this.syncs = syncs;
        this.budget = budget;
        this.publisher = publisher;
        this.config = config;
    }

    public SyncWorker worker(String owner) {
        return worker(owner, publisher, config.sync().concurrentTasks());
    }

    public SyncWorker worker(String owner, int concurrentTasks) {
        return worker(owner, publisher, concurrentTasks);
    }

    public SyncWorker worker(String owner, SyncEventPublisher publisher, int concurrentTasks) {
        SyncWorker worker = new SyncWorker(owner, tasks, notifications, directory, syncs, budget, publisher,
                withConcurrency(config, concurrentTasks));
        made.add(worker);
        return worker;
    }

    public void stopAll() {
        made.forEach(SyncWorker::stop);
        made.clear();
    }

    public SyncConfig config() {
        return config;
    }

    static SyncConfig withConcurrency(SyncConfig base, int concurrentTasks) {
        SyncConfig.Sync sync = base.sync();
        SyncConfig.Sync changed = new SyncConfig.Sync() {
            @Override
            public boolean enabled() {
                return sync.enabled();
            }

            @Override
            public Duration interval() {
                return sync.interval();
            }

            @Override
            public int backfillDays() {
                return sync.backfillDays();
            }

            @Override
            public Duration lease() {
                return sync.lease();
            }

            @Override
            public Duration pollInterval() {
                return sync.pollInterval();
            }

            @Override
            public int concurrentTasks() {
                return concurrentTasks;
            }

            @Override
            public int maxAttempts() {
                return sync.maxAttempts();
            }

            @Override
            public SyncConfig.Backoff backoff() {
                return sync.backoff();
            }
        };
        return new SyncConfig() {
            @Override
            public Sync sync() {
                return changed;
            }

            @Override
            public RateLimit rateLimit() {
                return base.rateLimit();
            }
        };
    }
}
