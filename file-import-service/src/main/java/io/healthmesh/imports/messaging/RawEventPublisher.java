package io.healthmesh.imports.messaging;

import io.healthmesh.commons.messaging.AcknowledgedSends;
import io.healthmesh.commons.messaging.KafkaClientSettings;
import io.healthmesh.commons.messaging.TopicNames;
import io.healthmesh.contracts.event.Envelope;
import io.quarkus.runtime.ShutdownEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Metrics;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Publishes a job's events to its raw topic from the job's worker thread. A plain Kafka producer,
 * not a messaging channel: a multi-GB import sends millions of events, and the worker needs
 * back-pressure (send blocks when the producer's buffer is full) and an exact count of what the
 * broker acknowledged, with the project's raw-event settings ({@link AcknowledgedSends#producerSettings})
 * and the configuration's connection and security settings ({@link KafkaClientSettings}).
 */
@ApplicationScoped
public class RawEventPublisher {

    /** {@code healthmesh_imports_events_published_total{topic}}: import events the broker acknowledged. */
    public static final String PUBLISHED = "healthmesh.imports.events.published";

    private final Producer<byte[], byte[]> producer;
    private final TopicNames topics;

    @Inject
    public RawEventPublisher(@ConfigProperty(name = "kafka.bootstrap.servers") String bootstrap, TopicNames topics,
            KafkaClientSettings connection) {
        this(new KafkaProducer<>(settings(bootstrap, "file-import-events", connection)), topics);
    }

    /** Over a given producer (tests wrap the real one to play a broker that stops acknowledging). */
    public RawEventPublisher(Producer<byte[], byte[]> producer, TopicNames topics) {
        this.producer = producer;
        this.topics = topics;
    }

    /**
     * The project's raw-event settings; a send may wait up to 30 s for room in the producer's
     * buffer, which a multi-GB import fills faster than a slow broker empties it.
     */
    public static Properties settings(String bootstrap, String clientId) {
        return settings(bootstrap, clientId, KafkaClientSettings.none());
    }

    /** {@link #settings(String, String)} with the given connection and security settings. */
    public static Properties settings(String bootstrap, String clientId, KafkaClientSettings connection) {
        return AcknowledgedSends.producerSettings(bootstrap, clientId, connection,
                Map.of(ProducerConfig.MAX_BLOCK_MS_CONFIG, 30_000));
    }

    /**
     * One job's stream of sends: counts acknowledgements, remembers the first failure and how many
     * events from the first on are all acknowledged. Events are numbered in the job's parse order;
     * {@code firstSequence} events were acknowledged by an earlier attempt and are not sent again.
     */
    public Batch batch(String rawTopic, long firstSequence) {
        return new Batch(new AcknowledgedSends(producer, topics.deployed(rawTopic), "the job's events"),
                new AcknowledgedPrefix(firstSequence),
                Metrics.counter(PUBLISHED, "topic", rawTopic));
    }

    public static final class Batch {
        private final AcknowledgedSends sends;
        private final AcknowledgedPrefix prefix;
        private final Counter published;

        private Batch(AcknowledgedSends sends, AcknowledgedPrefix prefix, Counter published) {
            this.sends = sends;
            this.prefix = prefix;
            this.published = published;
        }

        /**
         * Sends event number {@code sequence} (parse order) keyed by its user; throws the first
         * failure any earlier send met.
         */
        public void send(Envelope event, long sequence) {
            sends.send(event, () -> {
                prefix.acknowledged(sequence);
                published.increment();
            });
        }

        /** Every event numbered below this one is acknowledged (this attempt's or an earlier one's). */
        public long acknowledgedPrefix() {
            return prefix.value();
        }

        /** Waits until the broker acknowledged every event sent so far (or one failed). */
        public void awaitAcknowledged() {
            sends.awaitAcknowledged();
        }

        /** Events this attempt sent that the broker acknowledged. */
        public long acknowledged() {
            return sends.acknowledged();
        }
    }

    void close(@Observes ShutdownEvent shutdown) {
        producer.close(Duration.ofSeconds(10));
    }
}
