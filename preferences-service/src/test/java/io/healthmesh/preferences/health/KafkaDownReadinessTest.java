package io.healthmesh.preferences.health;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.healthmesh.testsupport.RealStackResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Kafka unreachable: readiness answers DOWN within seconds, not after the Kafka admin client's
 * default minute (the shared kafka.default.api.timeout.ms of service-commons; the fault suite found
 * this service's readiness hanging for 60 s while the broker was away).
 */
@QuarkusTest
@TestProfile(KafkaDownReadinessTest.KafkaDown.class)
class KafkaDownReadinessTest {

    @Test
    void readinessIsDownPromptlyWhileKafkaIsUnreachable() {
        long started = System.nanoTime();
        given().when().get("/q/health/ready")
                .then().statusCode(503)
                .body("checks.find { it.name == 'Kafka connection health check' }.status", equalTo("DOWN"));
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        assertTrue(took.compareTo(Duration.ofSeconds(15)) < 0, "readiness answered after " + took);
    }

    /** The real PostgreSQL, Kafka's address on a loopback port nobody listens on. */
    public static class KafkaDown implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(ClosedKafka.class));
        }
    }

    public static class ClosedKafka extends RealStackResource {
        @Override
        public Map<String, String> start() {
            Map<String, String> config = new HashMap<>(super.start());
            String closed = "127.0.0.1:" + closedPort();
            config.put("kafka.bootstrap.servers", closed);
            // The health check's client reads every kafka.* name, the environment variable's too.
            config.put("KAFKA_BOOTSTRAP_SERVERS", closed);
            return config;
        }

        private static int closedPort() {
            try (ServerSocket socket = new ServerSocket(0)) {
                return socket.getLocalPort();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
