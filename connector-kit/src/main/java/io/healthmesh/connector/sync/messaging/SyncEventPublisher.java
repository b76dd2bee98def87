package io.healthmesh.connector.sync.messaging;

import io.healthmesh.commons.messaging.AcknowledgedSends;
import io.healthmesh.commons.messaging.KafkaClientSettings;
import io.healthmesh.commons.messaging.TopicNames;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Publishes sync tasks' readings and sessions to their source's raw topic, keyed by user id, from
 * the task's thread. A plain Kafka producer with the project's raw-event settings
 * ({@link AcknowledgedSends#producerSettings}) and the configuration's connection and security
 * settings ({@link KafkaClientSettings}), so that a task can wait for the broker's
 * acknowledgement of exactly what it sent before its cursor advances.
 */
@ApplicationScoped
public class SyncEventPublisher {

    private final KafkaProducer<byte[], byte[]> producer;
    private final TopicNames topics;

    @Inject
    public SyncEventPublisher(@ConfigProperty(name = "kafka.bootstrap.servers") String bootstrap, TopicNames topics,
            @ConfigProperty(name = "quarkus.application.name", defaultValue = "connector") String application,
            KafkaClientSettings connection) {
        this(bootstrap, topics, application + "-sync-events", connection, Map.of());
    }

    /**
     * A PLAINTEXT publisher with some producer settings replaced (tests: a broker that is not there,
     * short timeouts).
     */
    public SyncEventPublisher(String bootstrap, TopicNames topics, String clientId, Map<String, Object> overrides) {
        this(bootstrap, topics, clientId, KafkaClientSettings.none(), overrides);
    }

    /** A publisher with the given connection settings and some producer settings replaced. */
    public SyncEventPublisher(String bootstrap, TopicNames topics, String clientId, KafkaClientSettings connection,
            Map<String, Object> overrides) {
        this.producer = new KafkaProducer<>(AcknowledgedSends.producerSettings(bootstrap, clientId, connection,
                overrides));
        this.topics = topics;
    }

    /** One task's stream of sends to the raw topic of {@code source}. */
    public AcknowledgedSends batch(String source) {
        return new AcknowledgedSends(producer, topics.deployed(RawTopics.of(source)), "the sync's events");
    }

    public void close() {
        producer.close(Duration.ofSeconds(10));
    }

    void onShutdown(@Observes ShutdownEvent shutdown) {
        close();
    }
}
