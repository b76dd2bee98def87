package io.healthmesh.normalizer.messaging;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.healthmesh.contracts.event.EventJson;
import io.healthmesh.contracts.event.IngestOutcome;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;

/** Publishes each touched import job's current totals to ingest.outcome.v1, keyed by job id. */
@ApplicationScoped
public class OutcomePublisher {

    private final MutinyEmitter<String> emitter;

    public OutcomePublisher(@Channel("ingest-outcomes") MutinyEmitter<String> emitter) {
        this.emitter = emitter;
    }

    public Uni<Void> publish(List<IngestOutcome> outcomes) {
        if (outcomes.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<Uni<Void>> sends = outcomes.stream().map(this::publish).toList();
        return Uni.join().all(sends).andFailFast().replaceWithVoid();
    }

    private Uni<Void> publish(IngestOutcome outcome) {
        OutgoingKafkaRecordMetadata<String> metadata = OutgoingKafkaRecordMetadata.<String>builder()
                .withKey(outcome.importJobId())
                .build();
        return Uni.createFrom().deferred(() -> emitter.sendMessage(Message.of(json(outcome), Metadata.of(metadata))));
    }

    private static String json(IngestOutcome outcome) {
        try {
            return EventJson.mapper().writeValueAsString(outcome);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot write the outcome of job " + outcome.importJobId(), e);
        }
    }
}
