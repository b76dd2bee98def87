package io.healthmesh.normalizer.messaging;

import static io.healthmesh.normalizer.TestEvents.sample;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.healthmesh.commons.messaging.TopicNames;
import io.healthmesh.contracts.source.Topics;
import io.healthmesh.testsupport.RealStackResource;
import io.healthmesh.testsupport.TestKafka;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** /q/metrics counts what the consumer read, wrote and dead-lettered, and exposes the consumer's lag. */
@QuarkusTest
@WithTestResource(RealStackResource.class)
class PipelineMetricsTest {

    private static TestKafka kafka;

    @Inject
    TopicNames topics;

    @BeforeAll
    static void connect() {
        kafka = new TestKafka();
    }

    @AfterAll
    static void disconnect() {
        kafka.close();
    }

    private static String metrics() {
        return given().get("/q/metrics").then().statusCode(200).extract().asString();
    }

    private static double value(String metrics, String name) {
        return metrics.lines().filter(line -> line.startsWith(name + " ") || line.startsWith(name + "{"))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .sum();
    }

    @Test
    void everySampleNamesTheService() {
        List<String> samples = metrics().lines().filter(line -> !line.startsWith("#") && !line.isBlank()).toList();

        assertThat(samples).isNotEmpty().allSatisfy(line -> assertThat(line).contains("service=\"normalizer-service\""));
    }

    @Test
    void countsConsumedWrittenAndDeadLetteredReadings() {
        String before = metrics();
        double consumed = value(before, "healthmesh_normalizer_readings_consumed_total");
        double written = value(before, "healthmesh_normalizer_readings_written_total");
        double deadLettered = value(before, "healthmesh_normalizer_readings_dead_lettered_total");
        String user = "user-" + UUID.randomUUID();

        kafka.publish(topics.deployed(Topics.RAW_WITHINGS),
                sample(user, "withings", "g1", "body_mass", 70.0, "kg", "2024-03-10T07:00:00+01:00"));
        kafka.publishRaw(topics.deployed(Topics.RAW_WITHINGS), user, "not json".getBytes(StandardCharsets.UTF_8));

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            String after = metrics();
            assertThat(value(after, "healthmesh_normalizer_readings_consumed_total")).isGreaterThanOrEqualTo(consumed + 2);
            assertThat(value(after, "healthmesh_normalizer_readings_written_total")).isGreaterThanOrEqualTo(written + 1);
            assertThat(value(after, "healthmesh_normalizer_readings_dead_lettered_total"))
                    .isGreaterThanOrEqualTo(deadLettered + 1);
        });
        given().get("/internal/service").then().statusCode(401);
        String after = metrics();
        assertThat(after).contains("kafka_consumer_fetch_manager_records_lag_max")
                .contains("http_server_requests_seconds_count");
    }
}
