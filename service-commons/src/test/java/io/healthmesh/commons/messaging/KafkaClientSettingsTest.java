package io.healthmesh.commons.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.Test;

/**
 * The plain producers' connection and security settings, read from configuration the way a
 * deployment gives them (environment variables) and the way application.properties would.
 */
class KafkaClientSettingsTest {

    private static final String JAAS = "org.apache.kafka.common.security.scram.ScramLoginModule required "
            + "username=\"ingestion-gateway\" password=\"s3cr3t-value\";";

    private static SmallRyeConfig config(Map<String, String> environment, Map<String, String> properties) {
        return new SmallRyeConfigBuilder()
                .withSources(new EnvConfigSource(environment, 300))
                .withSources(new PropertiesConfigSource(properties, "application.properties", 250))
                .build();
    }

    @Test
    void environmentVariablesBecomeTheClientsSecuritySettings() {
        KafkaClientSettings settings = KafkaClientSettings.of(config(Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", "healthmesh-kafka-bootstrap:9092",
                "KAFKA_SECURITY_PROTOCOL", "SASL_PLAINTEXT",
                "KAFKA_SASL_MECHANISM", "SCRAM-SHA-512",
                "KAFKA_SASL_JAAS_CONFIG", JAAS,
                "KAFKA_SSL_TRUSTSTORE_LOCATION", "/etc/kafka/ca.p12",
                "KAFKA_SSL_TRUSTSTORE_PASSWORD", "changeit",
                "KAFKA_SSL_TRUSTSTORE_TYPE", "PKCS12",
                "PGHOST", "db"), Map.of()));

        assertThat(settings.asMap()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "security.protocol", "SASL_PLAINTEXT",
                "sasl.mechanism", "SCRAM-SHA-512",
                "sasl.jaas.config", JAAS,
                "ssl.truststore.location", "/etc/kafka/ca.p12",
                "ssl.truststore.password", "changeit",
                "ssl.truststore.type", "PKCS12"));
    }

    @Test
    void propertiesAreReadTooAndOnlyConnectionSettingsAreTaken() {
        KafkaClientSettings settings = KafkaClientSettings.of(config(Map.of(), Map.of(
                "kafka.bootstrap.servers", "127.0.0.1:9092",
                "kafka.default.api.timeout.ms", "5000",
                "kafka.security.protocol", "SSL",
                "kafka.ssl.keystore.location", "/etc/kafka/user.p12",
                "kafka.ssl.keystore.password", "pw",
                "kafka.ssl.key.password", "kpw",
                "kafka-streams.application-id", "x",
                "quarkus.kafka.devservices.enabled", "false")));

        assertThat(settings.asMap()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "security.protocol", "SSL",
                "ssl.keystore.location", "/etc/kafka/user.p12",
                "ssl.keystore.password", "pw",
                "ssl.key.password", "kpw"));
    }

    @Test
    void anEmptyValueIsLeftOutAndNoSettingsMeanPlaintext() {
        KafkaClientSettings settings = KafkaClientSettings.of(config(
                Map.of("KAFKA_SASL_JAAS_CONFIG", ""), Map.of("kafka.bootstrap.servers", "127.0.0.1:9092")));
        assertThat(settings.asMap()).isEmpty();

        Properties producer = AcknowledgedSends.producerSettings("127.0.0.1:9092", "c", settings, Map.of());
        assertThat(producer).doesNotContainKeys("security.protocol", "sasl.jaas.config");
    }

    @Test
    void theSettingsLandInTheProducerPropertiesAndExplicitOverridesStillWin() {
        KafkaClientSettings settings = KafkaClientSettings.of(config(Map.of(
                "KAFKA_SECURITY_PROTOCOL", "SASL_PLAINTEXT",
                "KAFKA_SASL_MECHANISM", "SCRAM-SHA-512",
                "KAFKA_SASL_JAAS_CONFIG", JAAS), Map.of()));

        Properties producer = AcknowledgedSends.producerSettings("broker:9092", "gateway-push", settings,
                Map.of(ProducerConfig.MAX_BLOCK_MS_CONFIG, 2_000, "sasl.mechanism", "PLAIN"));

        assertThat(producer)
                .containsEntry("security.protocol", "SASL_PLAINTEXT")
                .containsEntry("sasl.jaas.config", JAAS)
                .containsEntry("sasl.mechanism", "PLAIN")
                .containsEntry(ProducerConfig.MAX_BLOCK_MS_CONFIG, 2_000)
                .containsEntry(ProducerConfig.ACKS_CONFIG, "all")
                .containsEntry(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "broker:9092")
                .containsEntry(ProducerConfig.CLIENT_ID_CONFIG, "gateway-push");
    }

    @Test
    void toStringNamesTheSettingsButNeverTheirValues() {
        KafkaClientSettings settings = KafkaClientSettings.of(config(Map.of(
                "KAFKA_SASL_JAAS_CONFIG", JAAS, "KAFKA_SECURITY_PROTOCOL", "SASL_PLAINTEXT"), Map.of()));
        assertThat(settings.toString()).contains("sasl.jaas.config").doesNotContain("s3cr3t-value")
                .doesNotContain("SASL_PLAINTEXT");
    }
}
