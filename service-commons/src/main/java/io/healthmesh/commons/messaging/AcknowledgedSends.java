package io.healthmesh.commons.messaging;

import io.healthmesh.contracts.event.Envelope;
import io.healthmesh.contracts.event.EventJson;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * One unit of work's sends of raw events (an import job, a connector's sync task) to one topic,
 * keyed by user: counts what the broker acknowledged and remembers the first failure, so the work
 * is reported done, or its cursor moved, only once {@link #awaitAcknowledged()} returned.
 */
public final class AcknowledgedSends {

    private final Producer<byte[], byte[]> producer;
    private final String topic;
    private final String what;
    private final AtomicLong acknowledged = new AtomicLong();
    private final AtomicReference<Exception> failure = new AtomicReference<>();

    /**
     * @param what names the work in the failure message ({@code "the job's events"})
     */
    public AcknowledgedSends(Producer<byte[], byte[]> producer, String topic, String what) {
        this.producer = producer;
        this.topic = topic;
        this.what = what;
    }

    /**
     * The producer settings every raw-event sender uses: acks=all and idempotence (nothing counts
     * before every in-sync replica has it, and a retried send is not written twice), lz4 batches,
     * a 15 s delivery timeout; {@code overrides} replace any of them.
     */
    public static Properties producerSettings(String bootstrap, String clientId, Map<String, Object> overrides) {
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
        return config;
    }

    public String topic() {
        return topic;
    }

    /** Sends one event keyed by its user; throws the first failure any earlier send met. */
    public void send(Envelope event) {
        send(event, null);
    }

    /**
     * Sends one event keyed by its user, running {@code onAcknowledged} (may be null) on the
     * producer's thread once the broker has it; throws the first failure any earlier send met.
     */
    public void send(Envelope event, Runnable onAcknowledged) {
        throwIfFailed();
        try {
            producer.send(new ProducerRecord<>(topic, event.userId().getBytes(StandardCharsets.UTF_8),
                    EventJson.write(event)), (metadata, error) -> {
                        if (error == null) {
                            acknowledged.incrementAndGet();
                            if (onAcknowledged != null) {
                                onAcknowledged.run();
                            }
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

    /** Events sent through this object that the broker acknowledged. */
    public long acknowledged() {
        return acknowledged.get();
    }

    private void throwIfFailed() {
        Exception error = failure.get();
        if (error != null) {
            throw new PublishFailedException("Kafka did not take " + what + ": " + error.getMessage(), error);
        }
    }
}
