package io.healthmesh.normalizer.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.io.IOException;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

/**
 * deploy/k8s runs the read side (normalizer-read) with the environment variable
 * {@code MP_MESSAGING_INCOMING_RAW_EVENTS_ENABLED=false}. An environment variable reaches a dashed
 * key only if another source names that key: otherwise it is read as a channel {@code raw} with
 * no connector, and the service does not start (SRMSG00071).
 */
class ReadReplicaEnvironmentTest {

    private static final String INCOMING = "mp.messaging.incoming.";

    @Test
    void theReadSidesVariableTurnsTheRawChannelOffAndMakesNoOtherChannel() throws IOException {
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withSources(new EnvConfigSource(Map.of("MP_MESSAGING_INCOMING_RAW_EVENTS_ENABLED", "false"), 300))
                .withSources(new PropertiesConfigSource(
                        ReadReplicaEnvironmentTest.class.getResource("/application.properties"), 250))
                .build();

        assertThat(config.getValue(INCOMING + "raw-events.enabled", Boolean.class)).isFalse();
        assertThat(StreamSupport.stream(config.getPropertyNames().spliterator(), false)
                .filter(name -> name.startsWith(INCOMING))
                .map(name -> name.substring(INCOMING.length(), name.indexOf('.', INCOMING.length())))
                .collect(Collectors.toSet())).containsExactly("raw-events");
    }
}
