package io.healthmesh.commons.messaging;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.eclipse.microprofile.config.Config;

/**
 * The Kafka client's connection and security settings from the service's configuration, for the
 * plain producers ({@link AcknowledgedSends#producerSettings(String, String, KafkaClientSettings, Map)}):
 * {@code kafka.security.protocol}, {@code kafka.sasl.*} and {@code kafka.ssl.*}, the same
 * properties the messaging channels and the Kafka health check take from Quarkus's default Kafka
 * configuration ({@code @Identifier("default-kafka-broker")}). Names are read the way Quarkus reads
 * them there: case-insensitively, after {@code kafka.} or {@code kafka_}, with {@code _} as
 * {@code .}, so the environment variables {@code KAFKA_SECURITY_PROTOCOL},
 * {@code KAFKA_SASL_MECHANISM}, {@code KAFKA_SASL_JAAS_CONFIG}, {@code KAFKA_SSL_TRUSTSTORE_LOCATION}
 * ... are {@code security.protocol}, {@code sasl.mechanism}, {@code sasl.jaas.config},
 * {@code ssl.truststore.location}. Empty values are left out.
 *
 * <p>Values may hold secrets ({@code sasl.jaas.config} has a password, {@code ssl.*.password}):
 * {@link #toString()} names the settings only; Kafka itself logs them as {@code [hidden]}.
 */
@ApplicationScoped
public class KafkaClientSettings {

    private static final KafkaClientSettings NONE = new KafkaClientSettings(Map.of());

    private final Map<String, String> settings;

    @Inject
    public KafkaClientSettings(Config config) {
        this(read(config));
    }

    private KafkaClientSettings(Map<String, String> settings) {
        this.settings = Collections.unmodifiableMap(new TreeMap<>(settings));
    }

    /** No settings: a PLAINTEXT client. */
    public static KafkaClientSettings none() {
        return NONE;
    }

    /** The settings of {@code config}. */
    public static KafkaClientSettings of(Config config) {
        return new KafkaClientSettings(config);
    }

    /** Kafka client property name to value, e.g. {@code security.protocol -> SASL_PLAINTEXT}. */
    public Map<String, String> asMap() {
        return settings;
    }

    /** Whether {@code name} (a Kafka client property) is a connection or security setting taken from config. */
    public static boolean isConnectionSetting(String name) {
        return name.equals("security.protocol") || name.startsWith("sasl.") || name.startsWith("ssl.");
    }

    private static Map<String, String> read(Config config) {
        Map<String, String> found = new TreeMap<>();
        for (String property : config.getPropertyNames()) {
            String lower = property.toLowerCase(Locale.ROOT);
            if (!(lower.startsWith("kafka.") || lower.startsWith("kafka_"))) {
                continue;
            }
            String name = lower.substring("kafka.".length()).replace('_', '.');
            if (!isConnectionSetting(name)) {
                continue;
            }
            config.getOptionalValue(property, String.class)
                    .filter(value -> !value.isBlank())
                    .ifPresent(value -> found.put(name, value));
        }
        return found;
    }

    /** The names of the settings, never their values. */
    @Override
    public String toString() {
        return "KafkaClientSettings" + settings.keySet();
    }
}
