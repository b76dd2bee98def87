package io.healthmesh.gateway.api;

import io.healthmesh.testsupport.RealStackResource;
import io.quarkus.test.junit.QuarkusTestProfile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The gateway with Kafka unreachable: the real PostgreSQL, but {@code kafka.bootstrap.servers}
 * (the push producer's and the Kafka health check's address) on a loopback port nobody listens on.
 */
public class KafkaDownProfile implements QuarkusTestProfile {

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(ClosedKafkaResource.class));
    }

    public static class ClosedKafkaResource extends RealStackResource {
        @Override
        public Map<String, String> start() {
            Map<String, String> config = new HashMap<>(super.start());
            String closed = "127.0.0.1:" + closedPort();
            config.put("kafka.bootstrap.servers", closed);
            // Quarkus's Kafka health check builds its client from every kafka.* name, the environment
            // variable's too: where KAFKA_BOOTSTRAP_SERVERS is set (CI), it must be overridden as well.
            config.put("KAFKA_BOOTSTRAP_SERVERS", closed);
            return config;
        }

        private static int closedPort() {
            // A port the system just handed out and nobody listens on any more.
            try (ServerSocket socket = new ServerSocket(0)) {
                return socket.getLocalPort();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
