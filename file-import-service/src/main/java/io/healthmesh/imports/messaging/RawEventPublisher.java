package io.healthmesh.imports.messaging;

import io.healthmesh.commons.messaging.TopicNames;
import io.healthmesh.contracts.event.Envelope;
import io.healthmesh.contracts.event.EventJson;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Publishes a job's events to its raw topic from the job's worker thread. A plain Kafka producer,
 * not a messaging channel: a multi-GB import sends millions of events, and the worker needs
 * back-pressure (send blocks when the producer's buffer is full) and an exact count of what the
 * broker acknowledged, with the same settings every producer of the project uses (acks=all,
 * idempotence, lz4, 15 s delivery timeout).
 */
@ApplicationScoped
public class RawEventPublisher {

    private final KafkaProducer<byte[], byte[]> producer;
    private final TopicNames topics;

    public RawEventPublisher(@ConfigProperty(name = "kafka.bootstrap.servers") String bootstrap, TopicNames topics) {
        Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        config.put(ProducerConfig.LINGER_MS_CONFIG, 10);
        config.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 15_000);
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 30_000);
        config.put(ProducerConfig.CLIENT_ID_CONFIG, "file-import-events");
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        this.producer = new KafkaProducer<>(config);
        this.topics = topics;
    }

    /** One job's stream of sends: counts acknowledgements and remembers the first failure. */
    public Batch batch(String rawTopic) {
        return new Batch(topics.deployed(rawTopic));
    }

    public final class Batch {
        private final String topic;
        private final AtomicLong acknowledged = new AtomicLong();
        private final AtomicReference<Exception> failure = new AtomicReference<>();

        private Batch(String topic) {
            this.topic = topic;
        }

        /** Sends one event keyed by its user; throws the first failure any earlier send met. */
        public void send(Envelope event) {
            throwIfFailed();
            producer.send(new ProducerRecord<>(topic, event.userId().getBytes(StandardCharsets.UTF_8),
                    EventJson.write(event)), (metadata, error) -> {
                        if (error == null) {
                            acknowledged.incrementAndGet();
                        } else {
                            failure.compareAndSet(null, error);
                        }
                    });
        }

        /** Waits until the broker acknowledged every event sent so far (or one failed). */
        public void awaitAcknowledged() {
            producer.flush();
            throwIfFailed();
        }

        public long acknowledged() {
            return acknowledged.get();
        }

        private void throwIfFailed() {
            Exception error = failure.get();
            if (error != null) {
                throw new PublishFailedException("Kafka did not take the job's events: " + error.getMessage(), error);
            }
        }
    }

    public static final class PublishFailedException extends RuntimeException {
        public PublishFailedException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    void close(@Observes ShutdownEvent shutdown) {
        producer.close(Duration.ofSeconds(10));
    }
}
