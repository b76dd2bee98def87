package io.healthmesh.preferences.health;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.healthmesh.testsupport.ClosedKafkaResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.time.Duration;
import java.util.List;
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
            return List.of(new TestResourceEntry(ClosedKafkaResource.class));
        }
    }
}
