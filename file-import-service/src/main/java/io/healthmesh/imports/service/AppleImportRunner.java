package io.healthmesh.imports.service;

import io.healthmesh.commons.client.PreferencesClient;
import io.healthmesh.contracts.event.Envelope;
import io.healthmesh.contracts.event.Reading;
import io.healthmesh.contracts.event.Session;
import io.healthmesh.contracts.policy.Policy;
import io.healthmesh.contracts.source.SourceId;
import io.healthmesh.contracts.source.Topics;
import io.healthmesh.imports.apple.AppleExportHandler;
import io.healthmesh.imports.apple.AppleExportParser;
import io.healthmesh.imports.apple.MalformedExportException;
import io.healthmesh.imports.apple.ParseSummary;
import io.healthmesh.imports.archive.ExportArchive;
import io.healthmesh.imports.archive.ExportStream;
import io.healthmesh.imports.archive.ExportRejectedException;
import io.healthmesh.imports.domain.ImportJob;
import io.healthmesh.imports.domain.JobProgress;
import io.healthmesh.imports.messaging.RawEventPublisher;
import io.healthmesh.imports.messaging.RawEventPublisher.PublishFailedException;
import io.healthmesh.imports.repository.ImportJobRepository;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;

/**
 * Processes one claimed Apple Health job on the calling worker thread: streams the export through
 * the parser, publishes every event (keyed by user) and counts the distinct ones; a heartbeat
 * saves progress and keeps the lease. A malformed file keeps what was sent and fails with line
 * and column; a hostile one fails with its reason; a broker outage releases the job for a later
 * attempt; a cancel stops it at the next heartbeat.
 */
@ApplicationScoped
public class AppleImportRunner {

    private static final Logger LOG = Logger.getLogger(AppleImportRunner.class);
    private static final Duration DB_TIMEOUT = Duration.ofSeconds(10);
    private static final int DISTINCT_IN_MEMORY = 262_144;
    private static final int ERROR_SAMPLE = 20;

    private final ImportJobRepository jobs;
    private final UploadStorage storage;
    private final RawEventPublisher publisher;
    private final PreferencesClient preferences;
    private final ImportService imports;

    public AppleImportRunner(ImportJobRepository jobs, UploadStorage storage, RawEventPublisher publisher,
            @RestClient PreferencesClient preferences, ImportService imports) {
        this.jobs = jobs;
        this.storage = storage;
        this.publisher = publisher;
        this.preferences = preferences;
        this.imports = imports;
    }

    /** The running state of one job, read by the heartbeat. */
    public static final class Run implements AppleExportHandler {
        private final ImportJob job;
        private final RawEventPublisher.Batch batch;
        private final DistinctEventCounter distinct;
        private final OffsetDateTime emitted = OffsetDateTime.now(ZoneOffset.UTC);
        private final Map<String, Long> skipped = new ConcurrentHashMap<>();
        private final List<String> errors = Collections.synchronizedList(new ArrayList<>());
        private final AtomicLong records = new AtomicLong();
        private volatile ExportStream stream;
        private volatile String stopReason;

        Run(ImportJob job, RawEventPublisher.Batch batch, DistinctEventCounter distinct) {
            this.job = job;
            this.batch = batch;
            this.distinct = distinct;
        }

        @Override
        public void reading(Reading reading) {
            publish(Envelope.reading(job.userId(), SourceId.APPLE_HEALTH, reading, emitted));
        }

        @Override
        public void session(Session session) {
            publish(Envelope.session(job.userId(), SourceId.APPLE_HEALTH, session, emitted));
        }

        @Override
        public void skipped(String reason) {
            records.incrementAndGet();
            skipped.merge(reason, 1L, Long::sum);
        }

        private void publish(Envelope event) {
            if (stopReason != null) {
                throw new StopRequested(stopReason);
            }
            records.incrementAndGet();
            batch.send(event);
            distinct.add(event.eventId());
        }

        void note(String error) {
            if (errors.size() < ERROR_SAMPLE) {
                errors.add(error);
            }
        }

        JobProgress progress() {
            ExportStream current = stream;
            return new JobProgress(current == null ? 0 : current.compressedBytesRead(), records.get(),
                    batch.acknowledged(), Map.copyOf(skipped), List.copyOf(errors));
        }

        void stop(String reason) {
            stopReason = reason;
        }
    }

    /** Thrown from inside the parser's callbacks to stop a job (cancel asked, or lease lost). */
    static final class StopRequested extends RuntimeException {
        StopRequested(String reason) {
            super(reason, null, false, false);
        }
    }

    public Run start(ImportJob job) {
        Path scratch = storage.scratchOf(job.id());
        try {
            Files.createDirectories(scratch);
        } catch (IOException e) {
            throw new IllegalStateException("Cannot create " + scratch, e);
        }
        return new Run(job, publisher.batch(Topics.RAW_APPLE_HEALTH),
                new DistinctEventCounter(scratch, DISTINCT_IN_MEMORY));
    }

    /** Runs the job to its next state; the caller renews the lease through {@link Run#progress()}. */
    public void process(Run run, String owner) {
        ImportJob job = run.job;
        ZoneId homeZone = homeZone(run);
        try (ExportStream in = ExportArchive.open(Path.of(job.storagePath()), imports.limits());
                DistinctEventCounter distinct = run.distinct) {
            run.stream = in;
            ParseSummary summary = new AppleExportParser(job.id().toString(), homeZone).parse(in, run);
            run.batch.awaitAcknowledged();
            long published = distinct.distinct();
            JobProgress progress = run.progress();
            // Read to its end: the whole upload counts as read (a zip's other entries are never needed).
            JobProgress finalProgress = new JobProgress(in.totalBytes(), summary.recordsRead(), progress.sent(),
                    summary.skippedByReason(), progress.errorSample());
            if (jobs.parsed(job.id(), owner, published, finalProgress).await().atMost(DB_TIMEOUT)) {
                jobs.completeIfJudged(job.id()).await().atMost(DB_TIMEOUT).ifPresent(path -> storage.delete(job.id()));
            }
        } catch (MalformedExportException e) {
            awaitQuietly(run);
            fail(run, owner, e.getMessage(), e.line(), e.column());
        } catch (ExportRejectedException e) {
            awaitQuietly(run);
            fail(run, owner, e.getMessage(), null, null);
        } catch (StopRequested e) {
            awaitQuietly(run);
            if ("cancel".equals(e.getMessage())) {
                jobs.cancelled(job.id(), owner).await().atMost(DB_TIMEOUT).ifPresent(p -> storage.delete(job.id()));
            }
        } catch (PublishFailedException e) {
            LOG.warnf("Import %s: %s; released for another attempt", job.id(), e.getMessage());
            jobs.release(job.id(), owner).await().atMost(DB_TIMEOUT);
        } catch (IOException | RuntimeException e) {
            LOG.errorf(e, "Import %s failed", job.id());
            awaitQuietly(run);
            fail(run, owner, "The import stopped on an internal error; quote job " + job.id(), null, null);
        }
    }

    private void fail(Run run, String owner, String reason, Integer line, Integer column) {
        jobs.fail(run.job.id(), owner, reason, line, column, run.progress()).await().atMost(DB_TIMEOUT)
                .ifPresent(path -> storage.delete(run.job.id()));
    }

    private static void awaitQuietly(Run run) {
        try {
            run.batch.awaitAcknowledged();
        } catch (PublishFailedException e) {
            run.note("some events were not acknowledged by the broker: " + e.getMessage());
        }
    }

    /**
     * Samples without an HKTimeZone are placed in the user's home zone: the export's written
     * offsets are the phone's at export time, not when the sample was taken.
     */
    private ZoneId homeZone(Run run) {
        try {
            Policy policy = preferences.policy(run.job.userId()).await().atMost(Duration.ofSeconds(5));
            return policy.homeZone() == null ? null : ZoneId.of(policy.homeZone());
        } catch (RuntimeException e) {
            run.note("home zone unknown (preferences unavailable): samples without HKTimeZone keep their offset");
            return null;
        }
    }
}
