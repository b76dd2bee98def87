package io.healthmesh.systemtests.resolution;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import io.healthmesh.contracts.event.Aggregation;
import io.healthmesh.contracts.event.Envelope;
import io.healthmesh.contracts.event.EventJson;
import io.healthmesh.contracts.event.Reading;
import io.healthmesh.contracts.identity.Identity;
import io.healthmesh.contracts.source.Topics;
import io.healthmesh.contracts.status.ConnectionState;
import io.healthmesh.contracts.status.ConnectionStatus;
import io.healthmesh.systemtests.harness.Harness;
import io.healthmesh.systemtests.harness.ServiceModule;
import io.healthmesh.testsupport.ServiceProcess;
import io.healthmesh.testsupport.TestKafka;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The user's policy from preferences-service applied on every normalizer read, across the real
 * services: a change is visible on the very next read, and a connection report turns Apple Health
 * copies of a connected source's data into that source's.
 */
class ResolutionIT {

    private static final OffsetDateTime EMITTED = OffsetDateTime.parse("2024-06-02T12:00:00Z");
    private static final String DAY = "2024-06-01";

    private static Harness harness;
    private static ServiceProcess preferences;
    private static ServiceProcess normalizer;

    @BeforeAll
    static void start() {
        harness = Harness.get();
        List<ServiceProcess> started = harness.start(ServiceModule.PREFERENCES, ServiceModule.NORMALIZER);
        preferences = started.get(0);
        normalizer = started.get(1);
    }

    private static RequestSpecification call(ServiceProcess service) {
        return given().baseUri(service.baseUrl()).header("Authorization", harness.bearer())
                .contentType(ContentType.JSON);
    }

    private static Envelope reading(String user, String source, String id, String metric, double value, String unit,
            Aggregation aggregation, OffsetDateTime start, OffsetDateTime end, String device, String app) {
        Reading.Builder reading = Reading.builder().sourceRecordId(id).metric(metric).value(value).unit(unit)
                .aggregation(aggregation).start(start).end(end).device(device).app(app);
        if (aggregation == Aggregation.DAILY) {
            reading.localDate(start.toLocalDate());
        }
        return Envelope.reading(user, source, reading.build(), EMITTED);
    }

    @Test
    void everyReadRightAfterAPreferenceChangeAppliesIt() throws Exception {
        String user = "resolve-" + UUID.randomUUID();
        OffsetDateTime midnight = OffsetDateTime.parse(DAY + "T00:00:00+02:00");
        List<Envelope> apple = new ArrayList<>();
        for (int hour = 8; hour < 15; hour++) {
            apple.add(reading(user, "apple_health", "w" + hour, "steps", 1000, "count", Aggregation.CUMULATIVE,
                    midnight.plusHours(hour), midnight.plusHours(hour + 1), "Apple Watch", "Health"));
        }
        try (TestKafka kafka = new TestKafka()) {
            kafka.publish(harness.topic(Topics.RAW_APPLE_HEALTH), apple);
            kafka.publish(harness.topic(Topics.RAW_OURA), reading(user, "oura", "d1", "steps", 8000, "count",
                    Aggregation.DAILY, midnight, midnight.plusDays(1), null, null));
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> harness.metricRows(user) == 8);

        for (int i = 0; i < 100; i++) {
            boolean ouraFirst = i % 2 == 0;
            String order = ouraFirst ? "[\"oura\", \"apple_health\"]" : "[\"apple_health\", \"oura\"]";
            call(preferences).body("{\"sources\": " + order + "}")
                    .when().put("/internal/users/{u}/preferences/activity", user)
                    .then().statusCode(200);
            call(normalizer).when().get("/internal/users/{u}/metrics/steps?from={d}&to={d}&granularity=day",
                            user, DAY, DAY)
                    .then().statusCode(200)
                    .body("points", hasSize(1))
                    .body("points[0].source", equalTo(ouraFirst ? "oura" : "apple_health"))
                    .body("points[0].value", equalTo(ouraFirst ? 8000.0f : 7000.0f))
                    .body("points[0].rank", equalTo(1));
        }
        // Reads with no change between them: preferences-service confirms the normalizer's copy
        // of the policy (304, no body) and the copy applies.
        for (int i = 0; i < 3; i++) {
            call(normalizer).when().get("/internal/users/{u}/metrics/steps?from={d}&to={d}&granularity=day",
                            user, DAY, DAY)
                    .then().statusCode(200)
                    .body("points[0].source", equalTo("apple_health"))
                    .body("points[0].value", equalTo(7000.0f));
        }
        call(preferences).body("{\"sources\": [\"oura\", \"apple_health\"]}")
                .when().put("/internal/users/{u}/preferences/activity", user)
                .then().statusCode(200);
        call(normalizer).when().get("/internal/users/{u}/metrics/steps?from={d}&to={d}&granularity=day",
                        user, DAY, DAY)
                .then().statusCode(200)
                .body("points[0].source", equalTo("oura"));
    }

    @Test
    void appleHealthCopiesOfAConnectedSourceCountAsItsOwn() throws Exception {
        String user = "roundtrip-" + UUID.randomUUID();
        OffsetDateTime weighIn = OffsetDateTime.parse(DAY + "T07:00:00+02:00");
        OffsetDateTime midnight = OffsetDateTime.parse(DAY + "T00:00:00+02:00");
        String copyId = Identity.appleSourceRecordId("HKQuantityTypeIdentifierBodyMass", "Health Mate", null,
                weighIn, weighIn, weighIn.plusMinutes(1));
        try (TestKafka kafka = new TestKafka()) {
            kafka.publish(harness.topic(Topics.RAW_WITHINGS), reading(user, "withings", "grp-1", "body_mass", 70.4,
                    "kg", Aggregation.SAMPLE, weighIn, weighIn, "Body+", null));
            kafka.publish(harness.topic(Topics.RAW_APPLE_HEALTH),
                    reading(user, "apple_health", copyId, "body_mass", 155.2, "lb", Aggregation.SAMPLE, weighIn,
                            weighIn, null, "Health Mate"),
                    reading(user, "apple_health", "steps-1", "steps", 4000, "count", Aggregation.CUMULATIVE,
                            midnight.plusHours(9), midnight.plusHours(11), "iPhone", "Health"));
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> harness.metricRows(user) == 3);
        call(preferences).body("{\"sources\": [\"apple_health\", \"withings\"]}")
                .when().put("/internal/users/{u}/preferences/body", user).then().statusCode(200);
        double stepsBefore = steps(user);

        call(normalizer).when().get("/internal/users/{u}/metrics/body_mass?from={d}&to={d}&granularity=raw",
                        user, DAY, DAY)
                .then().statusCode(200)
                .body("points.source", contains("apple_health"));

        try (TestKafka kafka = new TestKafka()) {
            ConnectionStatus connected = new ConnectionStatus(user, "withings", ConnectionState.CONNECTED, null, null,
                    EMITTED, null, EMITTED);
            kafka.publishRaw(harness.topic(Topics.CONNECTION_STATUS), connected.key(),
                    EventJson.mapper().writeValueAsBytes(connected));
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                call(normalizer).when().get("/internal/users/{u}/metrics/body_mass?from={d}&to={d}&granularity=raw",
                                user, DAY, DAY)
                        .then().statusCode(200)
                        .body("points", hasSize(1))
                        .body("points[0].source", equalTo("withings"))
                        .body("points[0].devices", contains("Body+"))
                        .body("points[0].value", equalTo(70.4f)));
        assertThat(steps(user)).isEqualTo(stepsBefore).isEqualTo(4000.0);
    }

    private static double steps(String user) {
        return call(normalizer).when().get("/internal/users/{u}/metrics/steps?from={d}&to={d}&granularity=day",
                        user, DAY, DAY)
                .then().statusCode(200).extract().jsonPath().getDouble("points[0].value");
    }
}
