package io.healthmesh.commons.messaging;

import io.healthmesh.contracts.event.Envelope;
import io.healthmesh.contracts.event.EventJson;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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
 *
 * <p>{@link #awaitAcknowledged()} flushes the producer, so it also waits for whatever other users of
 * a shared producer sent; a request among many concurrent ones (the push API) uses
 * {@link #awaitAcknowledged(Duration)}, which waits for this object's own sends only, within a bound.
 */
public final class AcknowledgedSends {

    private final Producer<byte[], byte[]> producer;
    private final String topic;
    private final String what;
    private final AtomicLong acknowledged = new AtomicLong();
    private final AtomicReference<Exception> failure = new AtomicReference<>();
    /** Sends handed to the producer, and those of them that ended (acknowledged or refused). */
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong ended = new AtomicLong();
    /** Set by a bounded wait; completed by the send that settles this object (or by the wait itself). */
    private volatile CompletableFuture<Void> settledSignal;

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
     * a 15 s delivery timeout; {@code overrides} replace any of them. A PLAINTEXT client: see
     * {@link #producerSettings(String, String, KafkaClientSettings, Map)} for a secured broker.
     */
    public static Properties producerSettings(String bootstrap, String clientId, Map<String, Object> overrides) {
        return producerSettings(bootstrap, clientId, KafkaClientSettings.none(), overrides);
    }

    /**
     * The raw-event settings above with the connection and security settings of the service's
     * configuration ({@code kafka.security.protocol}, {@code kafka.sasl.*}, {@code kafka.ssl.*});
     * {@code overrides} still replace any of them.
     */
    public static Properties producerSettings(String bootstrap, String clientId, KafkaClientSettings connection,
            Map<String, Object> overrides) {
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
        config.putAll(connection.asMap());
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
        sent.incrementAndGet();
        try {
            producer.send(new ProducerRecord<>(topic, event.userId().getBytes(StandardCharsets.UTF_8),
                    EventJson.write(event)), (metadata, error) -> {
                        try {
                            if (error == null) {
                                acknowledged.incrementAndGet();
                                if (onAcknowledged != null) {
                                    onAcknowledged.run();
                                }
                            } else {
                                failure.compareAndSet(null, error);
                            }
                        } finally {
                            ended.incrementAndGet();
                            signalIfSettled();
                        }
                    });
        } catch (KafkaException e) {
            // No metadata within max.block.ms (broker away, topic missing), a closed producer, ...
            failure.compareAndSet(null, e);
            ended.incrementAndGet();
            signalIfSettled();
            throwIfFailed();
        }
    }

    /** Waits until the broker acknowledged every event sent so far; throws if it refused any. */
    public void awaitAcknowledged() {
        producer.flush();
        throwIfFailed();
    }

    /**
     * Waits at most {@code timeout} until the broker acknowledged every event sent through this
     * object, without flushing the producer: sends of other users of a shared producer are not
     * waited for (the linger time still applies to this object's last batch). Returns early when
     * the broker refused one. Throws {@link PublishFailedException} for a refusal and when the
     * bound passed first; the events not yet acknowledged then may still reach the broker later
     * (the producer keeps them until its delivery timeout), so a caller that reports failure must
     * let a retry send the same events again (same eventIds: consumers upsert them once).
     */
    public void awaitAcknowledged(Duration timeout) {
        CompletableFuture<Void> settled = new CompletableFuture<>();
        settledSignal = settled;
        // A send that ended before the signal was set did not see it: check once after setting it.
        signalIfSettled();
        try {
            settled.get(Math.max(0, timeout.toNanos()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            failure.compareAndSet(null, new TimeoutException("the broker acknowledged " + acknowledged.get()
                    + " of " + sent.get() + " events within " + timeout.toMillis() + " ms"));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failure.compareAndSet(null, e);
        } catch (ExecutionException e) {
            // Never completed exceptionally; kept for the compiler.
            failure.compareAndSet(null, e);
        }
        throwIfFailed();
    }

    /** Events sent through this object that the broker acknowledged. */
    public long acknowledged() {
        return acknowledged.get();
    }

    private void signalIfSettled() {
        CompletableFuture<Void> settled = settledSignal;
        if (settled != null && (failure.get() != null || ended.get() >= sent.get())) {
            settled.complete(null);
        }
    }

    private void throwIfFailed() {
        Exception error = failure.get();
        if (error != null) {
            throw new PublishFailedException("Kafka did not take " + what + ": " + error.getMessage(), error);
        }
    }
}
