package io.healthmesh.gateway.api;

import static io.healthmesh.gateway.api.PushApi.as;
import static io.healthmesh.gateway.api.PushApi.newUser;
import static io.healthmesh.gateway.api.PushApi.stepsBatch;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.specification.RequestSpecification;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Kafka unreachable: the push API answers 503 within about 15 s and keeps no claim of the key. */
@QuarkusTest
@TestProfile(KafkaDownProfile.class)
class ReadingsKafkaDownTest {

    @Inject
    Pool pool;

    private long keyRows(String user) {
        return pool.preparedQuery("SELECT count(*) AS n FROM idempotency_key WHERE user_id = $1")
                .execute(Tuple.of(user)).await().atMost(Duration.ofSeconds(10))
                .iterator().next().getLong("n");
    }

    @Test
    void aBatchThatKafkaDoesNotTakeIs503WithinTheBoundAndReleasesItsKey() {
        String user = newUser();
        String key = UUID.randomUUID().toString();
        // A first request that never reaches Kafka (an empty batch) warms the route, token checks and pools.
        as(user).body("{\"source\": \"push\", \"readings\": []}").when().post("/api/v1/readings")
                .then().statusCode(422);
        RequestSpecification request = as(user).header("Idempotency-Key", key).body(stepsBatch("down", 3));

        long started = System.nanoTime();
        request.when().post("/api/v1/readings")
                .then().statusCode(503)
                .contentType("application/problem+json")
                .header("Retry-After", "30")
                .body("type", equalTo("urn:healthmesh:problem:publish-failed"))
                .body("detail", containsString("none of them counts as accepted"));
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        // "About 15 s" (the send timeout): bounded well below a client's patience even on a loaded CI machine.
        assertTrue(took.compareTo(Duration.ofSeconds(30)) < 0, "answered after " + took);
        assertEquals(0, keyRows(user), "the failed batch's claim of the key is released");
    }

    @Test
    void readinessIsDownWhileKafkaIsUnreachable() {
        long started = System.nanoTime();
        given().when().get("/q/health/ready")
                .then().statusCode(503)
                .body("checks.find { it.name == 'Kafka connection health check' }.status", equalTo("DOWN"));
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        assertTrue(took.compareTo(Duration.ofSeconds(15)) < 0, "readiness answered after " + took);
    }
}
