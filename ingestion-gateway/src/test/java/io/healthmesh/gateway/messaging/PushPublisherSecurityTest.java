package io.healthmesh.gateway.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.healthmesh.commons.messaging.KafkaClientSettings;
import io.healthmesh.commons.messaging.PublishFailedException;
import io.healthmesh.commons.messaging.TopicNames;
import io.healthmesh.contracts.event.Envelope;
import io.healthmesh.contracts.event.Reading;
import io.healthmesh.testsupport.LocalStack;
import io.healthmesh.testsupport.TestTopics;
import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.errors.AuthenticationException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The push publisher, built through the constructor CDI uses, takes the Kafka security settings
 * from the configuration: against the local stack's PLAINTEXT broker the same publisher succeeds
 * without them and fails its batch with SASL settings (the client's SASL handshake is refused, an
 * authentication error, long before the bound), so the settings really reach its producer.
 */
class PushPublisherSecurityTest {

    private static final OffsetDateTime AT = OffsetDateTime.parse("2024-03-10T08:00:00+01:00");
    private static final Duration BOUND = Duration.ofSeconds(8);

    private static String prefix;

    @BeforeAll
    static void topics() {
        prefix = TestTopics.freshPrefix();
        TestTopics.createAll(LocalStack.kafkaBootstrapServers(), prefix);
    }

    private static PushPublisher publisher(Map<String, String> security) {
        Map<String, String> environment = new HashMap<>(security);
        environment.put("KAFKA_BOOTSTRAP_SERVERS", LocalStack.kafkaBootstrapServers());
        KafkaClientSettings connection = KafkaClientSettings.of(new SmallRyeConfigBuilder()
                .withSources(new EnvConfigSource(environment, 300)).build());
        return new PushPublisher(LocalStack.kafkaBootstrapServers(), new TopicNames(Optional.of(prefix)),
                "push-security-test", connection);
    }

    private static List<Envelope> batch() {
        Reading reading = Reading.builder().sourceRecordId("security-" + System.nanoTime()).metric("steps")
                .value(10.0).unit("count").start(AT).end(AT.plusMinutes(1)).build();
        return List.of(Envelope.reading("security-test-user", "push", reading, AT));
    }

    @Test
    void withoutSecuritySettingsTheBatchIsAcknowledged() {
        PushPublisher plain = publisher(Map.of());
        try {
            plain.publish(batch(), BOUND);
        } finally {
            plain.close(null);
        }
    }

    @Test
    void withSaslSettingsTheProducerAuthenticatesAndThePlaintextBrokerRefusesIt() {
        PushPublisher sasl = publisher(Map.of(
                "KAFKA_SECURITY_PROTOCOL", "SASL_PLAINTEXT",
                "KAFKA_SASL_MECHANISM", "PLAIN",
                "KAFKA_SASL_JAAS_CONFIG", "org.apache.kafka.common.security.plain.PlainLoginModule required "
                        + "username=\"push\" password=\"not-a-real-password\";"));
        long started = System.nanoTime();
        try {
            assertThatThrownBy(() -> sasl.publish(batch(), BOUND))
                    .isInstanceOf(PublishFailedException.class)
                    // Refused for its authentication, not for a missing topic or the bound passing.
                    .hasRootCauseInstanceOf(AuthenticationException.class);
        } finally {
            sasl.close(null);
        }
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(BOUND);
    }
}
