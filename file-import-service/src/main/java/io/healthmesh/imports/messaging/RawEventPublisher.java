package io.healthmesh.imports.messaging;

import io.healthmesh.commons.messaging.TopicNames;
import io.healthmesh.contracts.event.Envelope;
import io.healthmesh.contracts.event.EventJson;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
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

    private final Producer<byte[], byte[]> producer;
    private final TopicNames topics;

    @Inject
    public RawEventPublisher(@ConfigProperty(name = "kafka.bootstrap.servers") String bootstrap, TopicNames topics) {
        this(new KafkaProducer<>(settings(bootstrap, "file-import-events")), topics);
    }

    /** Over a given producer (tests wrap the real one to play a broker that stops acknowledging). */
    public RawEventPublisher(Producer<byte[], byte[]> producer, TopicNames topics) {
        this.producer = producer;
        this.topics = topics;
    }

    /** The producer settings: acks=all, idempotence, lz4 batches, 15 s delivery timeout. */
    public static Properties settings(String bootstrap, String clientId) {
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
        config.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        return config;
    }

    /**
     * One job's stream of sends: counts acknowledgements, remembers the first failure and how many
     * events from the first on are all acknowledged. Events are numbered in the job's parse order;
     * {@code firstSequence} events were acknowledged by an earlier attempt and are not sent again.
     */
    public Batch batch(String rawTopic, long firstSequence) {
        return new Batch(topics.deployed(rawTopic), firstSequence);
    }

    public final class Batch {
        private final String topic;
        private final AtomicLong acknowledged = new AtomicLong();
        private final AtomicReference<Exception> failure = new AtomicReference<>();
        private final AcknowledgedPrefix prefix;

        private Batch(String topic, long firstSequence) {
            this.topic = topic;
            this.prefix = new AcknowledgedPrefix(firstSequence);
        }

        /**
         * Sends event number {@code sequence} (parse order) keyed by its user; throws the first
         * failure any earlier send met.
         */
        public void send(Envelope event, long sequence) {
            throwIfFailed();
            producer.send(new ProducerRecord<>(topic, event.userId().getBytes(StandardCharsets.UTF_8),
                    EventJson.write(event)), (metadata, error) -> {
                        if (error == null) {
                            acknowledged.incrementAndGet();
                            prefix.acknowledged(sequence);
                        } else {
                            failure.compareAndSet(null, error);
                        }
                    });
        }

        /** Every event numbered below this one is acknowledged (this attempt's or an earlier one's). */
        public long acknowledgedPrefix() {
            return prefix.value();
        }

        /** Waits until the broker acknowledged every event sent so far (or one failed). */
        public void awaitAcknowledged() {
            producer.flush();
            throwIfFailed();
        }

        /** Events this attempt sent that the broker acknowledged. */
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
