package io.healthmesh.imports.service;

import io.healthmesh.imports.domain.ImportJob;
import io.healthmesh.imports.domain.JobProgress;
import io.healthmesh.imports.messaging.RawEventPublisher;
import io.healthmesh.imports.messaging.RawEventPublisher.PublishFailedException;
import io.healthmesh.imports.repository.ImportJobRepository;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.jboss.logging.Logger;

/**
 * Runs one claimed job of a kind to its next state on the calling worker thread. Subclasses read
 * the file and publish through the {@link ImportRun}; the ending is the same for every kind: once
 * the broker acknowledged everything, the job is publishing (done when the normalizer has judged
 * it all); a bad file fails with its reason and keeps what was sent; a broker outage releases the
 * job for a later attempt, which reads the file again but sends only what follows the events the
 * broker had acknowledged (the heartbeat saves that point too, for a replica that dies); a cancel
 * stops it at the next event.
 */
public abstract class ImportRunner {

    private static final Logger LOG = Logger.getLogger(ImportRunner.class);
    private static final Duration DB_TIMEOUT = Duration.ofSeconds(10);
    private static final int DISTINCT_IN_MEMORY = 262_144;

    private final ImportJobRepository jobs;
    private final UploadStorage storage;
    private final RawEventPublisher publisher;

    protected ImportRunner(ImportJobRepository jobs, UploadStorage storage, RawEventPublisher publisher) {
        this.jobs = jobs;
        this.storage = storage;
        this.publisher = publisher;
    }

    /** The job kind this runner processes ({@code import_job.kind}). */
    public abstract String kind();

    /** The raw topic and the source of the job's events. */
    protected abstract String topic(ImportJob job);

    protected abstract String source(ImportJob job);

    /**
     * Reads the whole file, publishing through {@code run}; answers the final progress (bytes and
     * records read, skips) or throws what ended the file early.
     */
    protected abstract JobProgress read(ImportRun run) throws ImportFailedException, IOException;

    public ImportRun start(ImportJob job) {
        Path scratch = storage.scratchOf(job.id());
        try {
            Files.createDirectories(scratch);
        } catch (IOException e) {
            throw new IllegalStateException("Cannot create " + scratch, e);
        }
        return new ImportRun(job, source(job), publisher.batch(topic(job), job.ackedEvents()),
                new DistinctEventCounter(scratch, DISTINCT_IN_MEMORY));
    }

    public void process(ImportRun run, String owner) {
        ImportJob job = run.job();
        try (DistinctEventCounter distinct = run.distinct()) {
            JobProgress read;
            try {
                read = read(run);
                run.finishSending();
            } finally {
                // Whatever ended the reading, the sending thread ends before the counter closes.
                run.finishSendingQuietly();
            }
            run.batch().awaitAcknowledged();
            long published = distinct.distinct();
            JobProgress progress = run.progress();
            JobProgress finalProgress = new JobProgress(read.bytesRead(), read.recordsRead(), progress.sent(),
                    read.skipped(), progress.errorSample());
            if (jobs.parsed(job.id(), owner, published, finalProgress, run.acknowledgedPrefix()).await()
                    .atMost(DB_TIMEOUT)) {
                jobs.completeIfJudged(job.id()).await().atMost(DB_TIMEOUT).ifPresent(path -> storage.delete(job.id()));
            }
        } catch (ImportFailedException e) {
            awaitQuietly(run);
            fail(run, owner, e.getMessage(), e.line(), e.column());
        } catch (ImportRun.StopRequested e) {
            awaitQuietly(run);
            if ("cancel".equals(e.getMessage())) {
                jobs.cancelled(job.id(), owner).await().atMost(DB_TIMEOUT).ifPresent(p -> storage.delete(job.id()));
            }
        } catch (PublishFailedException e) {
            // Every send still in flight ends (acknowledged or failed): the acknowledged prefix is final.
            awaitQuietly(run);
            long resumeAt = run.acknowledgedPrefix();
            LOG.warnf("Import %s: %s; released for another attempt, which resumes sending at event %d"
                    + " (this attempt started at %d)", job.id(), e.getMessage(), resumeAt, run.resumedAt());
            jobs.release(job.id(), owner, resumeAt, run.progress()).await().atMost(DB_TIMEOUT);
        } catch (IOException | RuntimeException e) {
            LOG.errorf(e, "Import %s failed", job.id());
            awaitQuietly(run);
            fail(run, owner, "The import stopped on an internal error; quote job " + job.id(), null, null);
        }
    }

    private void fail(ImportRun run, String owner, String reason, Integer line, Integer column) {
        jobs.fail(run.job().id(), owner, reason, line, column, run.progress()).await().atMost(DB_TIMEOUT)
                .ifPresent(path -> storage.delete(run.job().id()));
    }

    private static void awaitQuietly(ImportRun run) {
        run.finishSendingQuietly();
        try {
            run.batch().awaitAcknowledged();
        } catch (PublishFailedException e) {
            run.note("some events were not acknowledged by the broker: " + e.getMessage());
        }
    }
}
