package io.healthmesh.gateway.messaging;

import io.healthmesh.commons.messaging.AcknowledgedSends;
import io.healthmesh.commons.messaging.KafkaClientSettings;
import io.healthmesh.commons.messaging.PublishFailedException;
import io.healthmesh.commons.messaging.TopicNames;
import io.healthmesh.contracts.event.Envelope;
import io.healthmesh.contracts.source.Topics;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Publishes push batches to {@code raw.push.v1} (under {@code healthmesh.topic-prefix}), keyed by
 * user, through one producer with the project's raw-event settings
 * ({@link AcknowledgedSends#producerSettings}: acks=all, idempotence, 15 s max.block.ms and
 * delivery timeout) and the configuration's connection and security settings
 * ({@link KafkaClientSettings}: {@code kafka.security.protocol}, {@code kafka.sasl.*}, {@code kafka.ssl.*})
 * shared by every request. Each batch waits for its own events' acknowledgements
 * only, never for other requests' sends, and not longer than the bound it is given. Created at
 * startup, so that no request pays for making the producer.
 */
@Startup
@ApplicationScoped
public class PushPublisher {

    private final Producer<byte[], byte[]> producer;
    private final String topic;

    @Inject
    public PushPublisher(@ConfigProperty(name = "kafka.bootstrap.servers") String bootstrap, TopicNames topics,
            @ConfigProperty(name = "quarkus.application.name", defaultValue = "ingestion-gateway") String application,
            KafkaClientSettings connection) {
        this(new KafkaProducer<>(AcknowledgedSends.producerSettings(bootstrap, application + "-push", connection,
                Map.of())), topics);
    }

    public PushPublisher(Producer<byte[], byte[]> producer, TopicNames topics) {
        this.producer = producer;
        this.topic = topics.deployed(Topics.RAW_PUSH);
    }

    /**
     * Sends the events in order and returns once the broker acknowledged every one of them.
     *
     * @param within the bound for the whole batch, sends and acknowledgements together (a send
     *     itself may block up to the producer's max.block.ms while the broker is unreachable)
     * @throws PublishFailedException when the broker refused one or the bound passed: the batch
     *     counts as not published, though some of its events may have reached the topic (a retry
     *     publishes the same eventIds, which the normalizer upserts once)
     */
    public void publish(List<Envelope> events, Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        AcknowledgedSends sends = new AcknowledgedSends(producer, topic, "the batch's readings");
        for (Envelope event : events) {
            sends.send(event);
        }
        sends.awaitAcknowledged(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
    }

    public String topic() {
        return topic;
    }

    void close(@Observes ShutdownEvent shutdown) {
        producer.close(Duration.ofSeconds(10));
    }
}
