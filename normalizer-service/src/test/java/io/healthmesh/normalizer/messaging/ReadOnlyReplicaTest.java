package io.healthmesh.normalizer.messaging;

import static io.healthmesh.normalizer.TestEvents.sample;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import io.healthmesh.commons.messaging.TopicNames;
import io.healthmesh.contracts.source.Topics;
import io.healthmesh.normalizer.Db;
import io.healthmesh.testsupport.RealStackResource;
import io.healthmesh.testsupport.TestKafka;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The read side scales apart from the consumers (deploy/k8s: normalizer-read): the same jar with the
 * runtime setting {@code mp.messaging.incoming.raw-events.enabled=false}
 * ({@code MP_MESSAGING_INCOMING_RAW_EVENTS_ENABLED=false}) serves reads and consumes nothing.
 */
@QuarkusTest
@TestProfile(ReadOnlyReplicaTest.ReadOnly.class)
@WithTestResource(RealStackResource.class)
class ReadOnlyReplicaTest {

    public static class ReadOnly implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("mp.messaging.incoming.raw-events.enabled", "false");
        }
    }

    @Inject
    TopicNames topics;

    @Test
    void servesReadsAndIsReadyWithoutConsumingRawTopics() throws Exception {
        String user = "user-" + UUID.randomUUID();
        try (TestKafka kafka = new TestKafka()) {
            kafka.publish(topics.deployed(Topics.RAW_WITHINGS),
                    sample(user, "withings", "g1", "body_mass", 70.0, "kg", "2024-03-10T07:00:00+01:00"));
        }
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
        given().header("Authorization", "Bearer local-service-secret")
                .get("/internal/users/{u}/metrics/body_mass?from=2024-03-10&to=2024-03-10&view=all", user)
                .then().statusCode(200);
        // Nothing is written, and stays so for longer than a consumer would take to pick the reading up.
        await().during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(7)).pollInterval(Duration.ofMillis(500))
                .until(() -> Db.query("select * from normalizer.unified_metric where user_id = ?", user).isEmpty());
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(metrics).doesNotContain("kafka_consumer_fetch_manager_records_lag_max{");
    }
}
