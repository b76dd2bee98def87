package io.healthmesh.imports.service;

import io.healthmesh.imports.config.ImportConfig;
import io.healthmesh.imports.domain.ImportJob;
import io.healthmesh.imports.repository.ImportJobRepository;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.file.Path;
import java.time.Duration;
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
 * This replica's share of the import work: every poll interval it renews the leases of the jobs it
 * runs (saving their progress, noticing cancels), gives up on jobs claimed too often, and claims
 * queued or abandoned jobs while it has room. Jobs run on their own threads; nothing here lives
 * only in memory that another replica would need.
 */
@ApplicationScoped
public class ImportWorker {

    private static final Logger LOG = Logger.getLogger(ImportWorker.class);
    private static final Duration DB_TIMEOUT = Duration.ofSeconds(10);

    private final ImportJobRepository jobs;
    private final Map<String, ImportRunner> runners;
    private final UploadStorage storage;
    private final ImportConfig config;
    private final String owner = "import-worker-" + UUID.randomUUID();
    private final Map<UUID, ImportRun> running = new ConcurrentHashMap<>();
    private ExecutorService jobThreads;
    private ScheduledExecutorService ticker;

    public ImportWorker(ImportJobRepository jobs, AppleImportRunner apple, CsvImportRunner csv, UploadStorage storage,
            ImportConfig config) {
        this.jobs = jobs;
        this.runners = Map.of(apple.kind(), apple, csv.kind(), csv);
        this.storage = storage;
        this.config = config;
    }

    void start(@Observes StartupEvent startup) {
        jobThreads = Executors.newFixedThreadPool(config.concurrentJobs(), r -> {
            Thread thread = new Thread(r, "import-job");
            thread.setDaemon(true);
            return thread;
        });
        ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "import-ticker");
            thread.setDaemon(true);
            return thread;
        });
        long every = config.pollInterval().toMillis();
        ticker.scheduleWithFixedDelay(this::tick, every, every, TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent shutdown) {
        // Running jobs are simply abandoned: their leases run out and another replica resumes them.
        ticker.shutdownNow();
        running.values().forEach(run -> run.stop("shutdown"));
        jobThreads.shutdownNow();
    }

    private void tick() {
        try {
            heartbeats();
            jobs.giveUp(config.maxAttempts()).await().atMost(DB_TIMEOUT).forEach(path -> storage.delete(Path.of(path)));
            jobs.expireUnmapped(config.mappingTimeout()).await().atMost(DB_TIMEOUT)
                    .forEach(path -> storage.delete(Path.of(path)));
            while (running.size() < config.concurrentJobs()) {
                Optional<ImportJob> claimed = jobs.claim(owner, config.lease()).await().atMost(DB_TIMEOUT);
                if (claimed.isEmpty()) {
                    break;
                }
                launch(claimed.get());
            }
        } catch (RuntimeException e) {
            LOG.warnf("Import worker tick failed (%s); next tick retries", e.toString());
        }
    }

    private void heartbeats() {
        for (Map.Entry<UUID, ImportRun> entry : running.entrySet()) {
            ImportRun run = entry.getValue();
            Optional<Boolean> cancel = jobs.heartbeat(entry.getKey(), owner, config.lease(), run.progress(),
                    run.acknowledgedPrefix())
                    .await().atMost(DB_TIMEOUT);
            if (cancel.isEmpty()) {
                LOG.warnf("Import %s: lease lost to another replica; stopping here", entry.getKey());
                run.stop("lease lost");
            } else if (cancel.get()) {
                run.stop("cancel");
            }
        }
    }

    private void launch(ImportJob job) {
        ImportRunner runner = runners.get(job.kind());
        ImportRun run = runner.start(job);
        running.put(job.id(), run);
        jobThreads.submit(() -> {
            try {
                runner.process(run, owner);
            } finally {
                running.remove(job.id());
            }
        });
    }
}
