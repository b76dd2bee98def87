package io.healthmesh.preferences.messaging;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.healthmesh.contracts.policy.Policy;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;

/** Publishes a user's whole policy to preferences.v1 (compacted, keyed by user id); completes on the broker's ack. */
@ApplicationScoped
public class PolicyPublisher {

    private final MutinyEmitter<String> emitter;
    private final ObjectMapper json;

    public PolicyPublisher(@Channel("policies") MutinyEmitter<String> emitter, ObjectMapper json) {
        this.emitter = emitter;
        this.json = json;
    }

    public Uni<Void> publish(Policy policy) {
        OutgoingKafkaRecordMetadata<String> metadata = OutgoingKafkaRecordMetadata.<String>builder()
                .withKey(policy.userId()).build();
        return Uni.createFrom().deferred(() -> emitter.sendMessage(Message.of(write(policy), Metadata.of(metadata))));
    }

    private String write(Policy policy) {
        try {
            return json.writeValueAsString(policy);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot write the policy of " + policy.userId(), e);
        }
    }
}
