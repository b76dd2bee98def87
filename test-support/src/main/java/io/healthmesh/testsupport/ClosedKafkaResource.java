package io.healthmesh.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.HashMap;
import java.util.Map;

/**
 * The real PostgreSQL of {@link RealStackResource}, but Kafka's address on a loopback port nobody
 * listens on: a service as it runs while the broker is away (producers, consumers and the Kafka
 * health check alike).
 */
public class ClosedKafkaResource extends RealStackResource {

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
