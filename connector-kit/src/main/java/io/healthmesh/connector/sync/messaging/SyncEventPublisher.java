package io.healthmesh.connector.sync.messaging;

import io.healthmesh.commons.messaging.TopicNames;
import io.healthmesh.contracts.event.Envelope;
import io.healthmesh.contracts.event.EventJson;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Publishes sync tasks' readings and sessions to their source's raw topic, keyed by user id, from
 * the task's thread. A plain Kafka producer (as file-import-service's RawEventPublisher, whose
 * settings it repeats: acks=all, idempotence, lz4, 15 s delivery timeout) so that a task can wait
 * for the broker's acknowledgement of exactly what it sent before its cursor advances.
 */
@ApplicationScoped
public class SyncEventPublisher {

    private final KafkaProducer<byte[], byte[]> producer;
    private final TopicNames topics;

    @Inject
    public SyncEventPublisher(@ConfigProperty(name = "kafka.bootstrap.servers") String bootstrap, TopicNames topics,
            @ConfigProperty(name = "quarkus.application.name", defaultValue = "connector") String application) {
        this(bootstrap, topics, application + "-sync-events", Map.of());
    }

    /** A publisher with some producer settings replaced (tests: a broker that is not there, short timeouts). */
    public SyncEventPublisher(String bootstrap, TopicNames topics, String clientId, Map<String, Object> overrides) {
        Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        config.put(ProducerConfig.LINGER_MS_CONFIG, 10);
        config.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 15_000);
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 15_000);
        config.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        config.putAll(overrides);
        this.producer = new KafkaProducer<>(config);
        this.topics = topics;
    }

    /** One task's stream of sends to the raw topic of {@code source}. */
    public Batch batch(String source) {
        return new Batch(topics.deployed(RawTopics.of(source)));
    }

    /** Counts acknowledgements and remembers the first failure of one task's sends. */
    public final class Batch {
        private final String topic;
        private final AtomicLong acknowledged = new AtomicLong();
        private final AtomicReference<Exception> failure = new AtomicReference<>();

        private Batch(String topic) {
            this.topic = topic;
        }

        public String topic() {
            return topic;
        }

        /** Sends one event keyed by its user; throws the first failure any earlier send met. */
        public void send(Envelope event) {
            throwIfFailed();
            try {
                producer.send(new ProducerRecord<>(topic, event.userId().getBytes(StandardCharsets.UTF_8),
                        EventJson.write(event)), (metadata, error) -> {
                            if (error == null) {
                                acknowledged.incrementAndGet();
                            } else {
                                failure.compareAndSet(null, error);
                            }
                        });
            } catch (KafkaException e) {
                // No metadata within max.block.ms (broker away, topic missing), a closed producer, ...
                failure.compareAndSet(null, e);
                throwIfFailed();
            }
        }

        /** Waits until the broker acknowledged every event sent so far; throws if it refused any. */
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
                throw new PublishFailedException("Kafka did not take the sync's events: " + error.getMessage(), error);
            }
        }
    }

    /** The broker did not acknowledge an event; nothing published since the last cursor counts. */
    public static final class PublishFailedException extends RuntimeException {
        public PublishFailedException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    public void close() {
        producer.close(Duration.ofSeconds(10));
    }

    void onShutdown(@Observes ShutdownEvent shutdown) {
        close();
    }
}
