package io.healthmesh.imports.messaging;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.healthmesh.contracts.event.IngestOutcome;
import io.healthmesh.imports.repository.ImportJobRepository;
import io.healthmesh.imports.service.UploadStorage;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.Record;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.time.Duration;
import java.util.UUID;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * The normalizer's verdicts per job (ingest.outcome.v1): stores the latest counts and completes a
 * job once accepted + rejected reaches what it published.
 */
@ApplicationScoped
public class OutcomeConsumer {

    private static final Logger LOG = Logger.getLogger(OutcomeConsumer.class);

    private final ImportJobRepository jobs;
    private final UploadStorage storage;
    private final ObjectMapper json;

    public OutcomeConsumer(ImportJobRepository jobs, UploadStorage storage, ObjectMapper json) {
        this.jobs = jobs;
        this.storage = storage;
        this.json = json;
    }

    /** Blocking: a completed job's upload file is deleted from here. */
    @Incoming("ingest-outcomes")
    @Blocking
    public void consume(Record<String, String> message) {
        IngestOutcome outcome = read(message.value());
        UUID job = jobId(outcome);
        if (job == null) {
            return;
        }
        Uni.createFrom().deferred(() -> jobs.outcome(job, outcome.accepted(), outcome.rejected(), outcome.updatedAt())
                        .chain(() -> jobs.completeIfJudged(job)))
                .onFailure().invoke(e -> LOG.warnf("Outcome of %s not stored (%s); retrying", job, e.toString()))
                .onFailure().retry().withBackOff(Duration.ofMillis(200), Duration.ofSeconds(10)).indefinitely()
                .await().indefinitely()
                .ifPresent(path -> storage.delete(job));
    }

    private IngestOutcome read(String value) {
        try {
            return value == null ? null : json.readValue(value, IngestOutcome.class);
        } catch (IOException e) {
            LOG.warnf("Skipping an unreadable outcome: %s", e.getMessage());
            return null;
        }
    }

    /** Outcomes of jobs that are not ours (CSV jobs of another deployment, say) are skipped. */
    private static UUID jobId(IngestOutcome outcome) {
        if (outcome == null || outcome.importJobId() == null || outcome.updatedAt() == null) {
            return null;
        }
        try {
            return UUID.fromString(outcome.importJobId());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
