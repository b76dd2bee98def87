package io.healthmesh.imports.service;

import io.healthmesh.contracts.event.Envelope;
import io.healthmesh.contracts.event.Reading;
import io.healthmesh.contracts.event.Session;
import io.healthmesh.imports.domain.ImportJob;
import io.healthmesh.imports.domain.JobProgress;
import io.healthmesh.imports.messaging.RawEventPublisher;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * The running state of one claimed job, whatever its kind: what was sent, the distinct events,
 * skips and a sample of errors. The job's thread reads the file, makes each event and counts its id,
 * then hands it to the job's {@link EventSender}, whose thread serializes and sends it; the worker's
 * heartbeat reads the progress and may ask the job to stop (cancel, lease lost), which takes effect
 * at the next event read.
 */
public final class ImportRun {

    private static final int ERROR_SAMPLE = 20;

    private final ImportJob job;
    private final String source;
    private final RawEventPublisher.Batch batch;
    private final DistinctEventCounter distinct;
    private final OffsetDateTime emitted = OffsetDateTime.now(ZoneOffset.UTC);
    private final Map<String, Long> skipped = new ConcurrentHashMap<>();
    private final List<String> errors = Collections.synchronizedList(new ArrayList<>());
    private final AtomicLong records = new AtomicLong();
    /** Events acknowledged by an earlier attempt (the first ones in parse order): not sent again. */
    private final long resumeAt;
    /** Only the sender's thread touches it. */
    private long nextSequence;
    private final EventSender sender;
    private volatile LongSupplier bytesRead = () -> 0;
    private volatile String stopReason;

    ImportRun(ImportJob job, String source, RawEventPublisher.Batch batch, DistinctEventCounter distinct) {
        this.job = job;
        this.source = source;
        this.batch = batch;
        this.distinct = distinct;
        this.resumeAt = job.ackedEvents();
        this.sender = new EventSender("import-send-" + job.id(), this::send);
    }

    public ImportJob job() {
        return job;
    }

    /** Reader side: makes the reading's event and hands it over to the sending thread. */
    public void reading(Reading reading) {
        checkNotStopped();
        handOver(Envelope.reading(job.userId(), source, reading, emitted));
    }

    public void session(Session session) {
        checkNotStopped();
        handOver(Envelope.session(job.userId(), source, session, emitted));
    }

    /** A record that produced no event, counted by reason. */
    public void skipped(String reason) {
        records.incrementAndGet();
        skipped.merge(reason, 1L, Long::sum);
    }

    /** Keeps a message for the job's error sample (the first few only). */
    public void note(String error) {
        if (errors.size() < ERROR_SAMPLE) {
            errors.add(error);
        }
    }

    /** Where the job's reader is in the upload, for progress. */
    void trackBytes(LongSupplier bytesRead) {
        this.bytesRead = bytesRead;
    }

    private void checkNotStopped() {
        if (stopReason != null) {
            throw new StopRequested(stopReason);
        }
    }

    /**
     * Every event counts (distinct ids) however many attempts it takes. The event's id (a SHA-1) and
     * its count are the reader's work, not the sender's: the sending thread, which serializes and
     * compresses every event, is the one that limits an import's rate.
     */
    private void handOver(Envelope event) {
        records.incrementAndGet();
        distinct.add(event.eventId());
        sender.add(event);
    }

    /**
     * Sending side, in the order the reader handed over: an event is sent only if no earlier attempt
     * had it acknowledged: the parse order is deterministic, so event number n is the same event in
     * every attempt.
     */
    private void send(Object item) {
        Envelope event = (Envelope) item;
        long sequence = nextSequence++;
        if (sequence >= resumeAt) {
            batch.send(event, sequence);
        }
    }

    /** Waits until every event handed over was sent (not acknowledged: see the batch); throws a send failure. */
    void finishSending() {
        sender.finish();
    }

    /** The same, for a job that ends early: its failure, if any, is the batch's to report. */
    void finishSendingQuietly() {
        sender.finishQuietly();
    }

    /** {@code sent} counts the events acknowledged by earlier attempts and by this one. */
    JobProgress progress() {
        return new JobProgress(bytesRead.getAsLong(), records.get(), resumeAt + batch.acknowledged(),
                Map.copyOf(skipped), List.copyOf(errors));
    }

    /** Every event before this one (parse order) is acknowledged: where a retry resumes sending. */
    long acknowledgedPrefix() {
        return batch.acknowledgedPrefix();
    }

    /** Events an earlier attempt had acknowledged, which this one does not send again. */
    long resumedAt() {
        return resumeAt;
    }

    RawEventPublisher.Batch batch() {
        return batch;
    }

    DistinctEventCounter distinct() {
        return distinct;
    }

    void stop(String reason) {
        stopReason = reason;
    }

    /** Thrown from inside a parser's callbacks to stop a job (cancel asked, or lease lost). */
    static final class StopRequested extends RuntimeException {
        StopRequested(String reason) {
            super(reason, null, false, false);
        }
    }
}
