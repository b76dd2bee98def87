package io.healthmesh.connector.messaging;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.healthmesh.commons.messaging.TopicNames;
import io.healthmesh.contracts.event.EventJson;
import io.healthmesh.contracts.source.Topics;
import io.healthmesh.contracts.status.ConnectionStatus;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;

/**
 * Publishes connection reports to connection.status.v1 (compacted, keyed {@code userId:source}),
 * like the project's other small keyed publishers: a messaging emitter whose send completes on
 * the broker's ack (acks=all, idempotence, 15 s delivery timeout from the shared producer
 * settings). The channel {@value #CHANNEL} is configured in the kit's microprofile-config.properties.
 */
@ApplicationScoped
public class ConnectionStatusPublisher {

    public static final String CHANNEL = "connection-reports";

    private final MutinyEmitter<String> emitter;
    private final String topic;

    public ConnectionStatusPublisher(@Channel(CHANNEL) MutinyEmitter<String> emitter, TopicNames topics) {
        this.emitter = emitter;
        this.topic = topics.deployed(Topics.CONNECTION_STATUS);
    }

    /** Completes when the broker acknowledged the report. */
    public Uni<Void> publish(ConnectionStatus status) {
        OutgoingKafkaRecordMetadata<String> metadata = OutgoingKafkaRecordMetadata.<String>builder()
                .withTopic(topic)
                .withKey(status.key())
                .build();
        return Uni.createFrom().deferred(() -> emitter.sendMessage(Message.of(json(status), Metadata.of(metadata))));
    }

    private static String json(ConnectionStatus status) {
        try {
            return EventJson.mapper().writeValueAsString(status);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot write the report of " + status.key(), e);
        }
    }
}
