package io.healthmesh.normalizer.api;

import static io.healthmesh.normalizer.TestEvents.amount;
import static io.healthmesh.normalizer.TestEvents.daily;
import static io.healthmesh.normalizer.TestEvents.sample;
import static io.healthmesh.normalizer.TestEvents.session;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.healthmesh.commons.messaging.TopicNames;
import io.healthmesh.contracts.event.Envelope;
import io.healthmesh.contracts.event.SessionDetails;
import io.healthmesh.contracts.event.SessionType;
import io.healthmesh.contracts.event.SleepStage;
import io.healthmesh.contracts.source.Topics;
import io.healthmesh.contracts.policy.Policy;
import io.healthmesh.normalizer.Db;
import io.healthmesh.normalizer.FixedPolicySource;
import io.healthmesh.normalizer.service.UserDataReadService;
import io.healthmesh.testsupport.RealStackResource;
import io.healthmesh.testsupport.TestKafka;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(RealStackResource.class)
class UserDataResourceTest {

    @Inject
    TopicNames topics;

    @Inject
    UserDataReadService reads;

    @Inject
    ObjectMapper mapper;

    private String user;

    private static RequestSpecification internal() {
        return given().header("Authorization", "Bearer local-service-secret");
    }

    @BeforeEach
    void publishADay() {
        user = "reader-" + UUID.randomUUID();
        try (TestKafka kafka = new TestKafka()) {
            kafka.publish(topics.deployed(Topics.RAW_APPLE_HEALTH),
                    amount(user, "apple_health", "w1", "steps", 500, "count", "2024-03-10T08:00:00+01:00",
                            "2024-03-10T08:10:00+01:00", "Apple Watch", "Europe/Paris"),
                    amount(user, "apple_health", "p1", "steps", 400, "count", "2024-03-10T08:05:00+01:00",
                            "2024-03-10T08:15:00+01:00", "iPhone", "Europe/Paris"),
                    // 23:30-00:30 local: half of it belongs to the 11th.
                    amount(user, "apple_health", "w2", "steps", 600, "count", "2024-03-10T23:30:00+01:00",
                            "2024-03-11T00:30:00+01:00", "Apple Watch", "Europe/Paris"));
            kafka.publish(topics.deployed(Topics.RAW_OURA),
                    daily(user, "oura", "d1", "steps", 8_000, "count", "2024-03-10", "+01:00"),
                    session(user, "oura", "n1", SessionType.SLEEP, "2024-03-09T23:00:00+01:00",
                            "2024-03-10T07:00:00+01:00", SessionDetails.builder().stageTotalsSeconds(Map.of(
                                    SleepStage.LIGHT, 20_000.0, SleepStage.DEEP, 5_000.0)).build()));
            kafka.publish(topics.deployed(Topics.RAW_WITHINGS),
                    sample(user, "withings", "g1", "heart_rate", 60, "count/min", "2024-03-10T07:00:00+01:00"),
                    sample(user, "withings", "g2", "heart_rate", 70, "count/min", "2024-03-10T07:20:00+01:00"));
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> Db.count(
                "select count(*) from normalizer.unified_metric where user_id = ? and not derived_from_session",
                user) == 6 && Db.count("select count(*) from normalizer.health_session where user_id = ?", user) == 1);
    }

    @Test
    void daysAttributeEverySourceAndDeviceAndSplitAtLocalMidnight() {
        internal().when().get("/internal/users/{u}/metrics/steps?from=2024-03-10&to=2024-03-11&view=all"
                        + "&granularity=day", user)
                .then().statusCode(200)
                .body("metric", equalTo("steps"))
                .body("unit", equalTo("count"))
                .body("kind", equalTo("cumulative"))
                .body("view", equalTo("all"))
                .body("granularity", equalTo("day"))
                .body("points", hasSize(4))
                .body("points.find { it.source == 'oura' }.value", equalTo(8000.0f))
                .body("points.find { it.devices == ['iPhone'] }.value", equalTo(400.0f))
                .body("points.findAll { it.devices == ['Apple Watch'] }.value", contains(800.0f, 300.0f))
                .body("points.findAll { it.devices == ['Apple Watch'] }.start",
                        contains("2024-03-10T00:00:00+01:00", "2024-03-11T00:00:00+01:00"))
                .body("points[0].rank", nullValue())
                .body("points[0].fallback", nullValue());
    }

    @Test
    void metricReadsAreTheBytesJacksonWritesForTheSameAnswer() throws Exception {
        // metric, from, to, granularity, view
        for (List<String> read : List.of(List.of("steps", "2024-03-10", "2024-03-11", "day", "all"),
                List.of("steps", "2024-03-10", "2024-03-11", "day", "resolved"),
                List.of("steps", "2024-03-10T00:00:00+01:00", "2024-03-12T00:00:00+01:00", "hour", "resolved"),
                List.of("heart_rate", "2024-03-10", "2024-03-10", "raw", "all"),
                List.of("heart_rate", "2024-03-10T00:00:00Z", "2024-03-11T00:00:00Z", "raw", "resolved"))) {
            String body = internal().queryParam("from", read.get(1)).queryParam("to", read.get(2))
                    .queryParam("granularity", read.get(3)).queryParam("view", read.get(4))
                    .when().get("/internal/users/{u}/metrics/" + read.get(0), user)
                    .then().statusCode(200).contentType("application/json").extract().asString();
            MetricSeries answer = reads.metric(user, read.get(0), read.get(1), read.get(2), read.get(3), read.get(4))
                    .await().atMost(Duration.ofSeconds(30));

            org.assertj.core.api.Assertions.assertThat(answer.points()).as(read.toString()).isNotEmpty();
            org.assertj.core.api.Assertions.assertThat(body).as(read.toString())
                    .isEqualTo(new String(mapper.writeValueAsBytes(answer), java.nio.charset.StandardCharsets.UTF_8));
        }
    }

    @Test
    void hoursLeaveDailyValuesOut() {
        internal().queryParam("from", "2024-03-10T08:00:00+01:00").queryParam("to", "2024-03-10T09:00:00+01:00")
                .queryParam("view", "all").queryParam("granularity", "hour")
                .when().get("/internal/users/{u}/metrics/steps", user)
                .then().statusCode(200)
                .body("points.source", contains("apple_health", "apple_health"))
                .body("points.value", contains(500.0f, 400.0f));
    }

    @Test
    void samplesByDayHaveMeanMinMaxAndCount() {
        internal().when().get("/internal/users/{u}/metrics/heart_rate?from=2024-03-10&to=2024-03-10&view=all",
                        user)
                .then().statusCode(200)
                .body("kind", equalTo("sample"))
                .body("points", hasSize(1))
                .body("points[0].value", equalTo(65.0f))
                .body("points[0].min", equalTo(60.0f))
                .body("points[0].max", equalTo(70.0f))
                .body("points[0].count", equalTo(2));
    }

    @Test
    void rawPointsKeepOffsetsAndSleepMetricsAreDatedOnTheMorning() {
        internal().when().get("/internal/users/{u}/metrics/heart_rate?from=2024-03-10&to=2024-03-10&view=all"
                        + "&granularity=raw", user)
                .then().statusCode(200)
                .body("points.start", contains("2024-03-10T07:00:00+01:00", "2024-03-10T07:20:00+01:00"));
        internal().when().get("/internal/users/{u}/metrics/sleep_duration?from=2024-03-10&to=2024-03-10&view=all",
                        user)
                .then().statusCode(200)
                .body("points", hasSize(1))
                .body("points[0].value", equalTo(25_000.0f))
                .body("points[0].start", equalTo("2024-03-10T00:00:00+01:00"));
    }

    @Test
    void sessionsOfAllSources() {
        internal().when().get("/internal/users/{u}/sessions/sleep?from=2024-03-09&to=2024-03-10&view=all", user)
                .then().statusCode(200)
                .body("type", equalTo("sleep"))
                .body("sessions", hasSize(1))
                .body("sessions[0].source", equalTo("oura"))
                .body("sessions[0].start", equalTo("2024-03-09T23:00:00+01:00"))
                .body("sessions[0].details.stageTotals.deep", equalTo(5000.0f));
    }

    @Test
    void rawReadsAreCappedWithAHint() {
        List<Envelope> many = new ArrayList<>();
        OffsetDateTime start = OffsetDateTime.parse("2024-04-01T00:00:00Z");
        for (int i = 0; i < 101; i++) {
            many.add(sample(user, "withings", "cap" + i, "heart_rate", 60, "count/min", start.plusMinutes(i)
                    .toString()));
        }
        try (TestKafka kafka = new TestKafka()) {
            kafka.publish(topics.deployed(Topics.RAW_WITHINGS), many);
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> Db.count(
                "select count(*) from normalizer.unified_metric where user_id = ? and source_record_id like 'cap%'",
                user) == 101);

        internal().when().get("/internal/users/{u}/metrics/heart_rate?from=2024-04-01&to=2024-04-01&view=all"
                        + "&granularity=raw", user)
                .then().statusCode(422)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:healthmesh:problem:too-many-points"));
        internal().when().get("/internal/users/{u}/metrics/heart_rate?from=2024-04-01&to=2024-04-01&view=all"
                        + "&granularity=hour", user)
                .then().statusCode(200)
                .body("points.count", contains(60, 41));
    }

    @Test
    void badRequestsAreProblems() {
        internal().when().get("/internal/users/{u}/metrics/stepz?from=2024-03-10&to=2024-03-10&view=all", user)
                .then().statusCode(404).body("type", equalTo("urn:healthmesh:problem:unknown-metric"));
        internal().when().get("/internal/users/{u}/metrics/steps?from=2024-03-10T08:00:00&to=2024-03-10&view=all",
                        user)
                .then().statusCode(400).body("type", equalTo("urn:healthmesh:problem:invalid-time-range"));
        internal().when().get("/internal/users/{u}/metrics/steps?to=2024-03-10&view=all", user)
                .then().statusCode(400).body("type", equalTo("urn:healthmesh:problem:invalid-time-range"));
        internal().when().get("/internal/users/{u}/metrics/steps?from=2024-03-10&to=2024-03-10&view=all"
                        + "&granularity=week", user)
                .then().statusCode(400).body("type", equalTo("urn:healthmesh:problem:invalid-granularity"));
        internal().when().get("/internal/users/{u}/sessions/siesta?from=2024-03-10&to=2024-03-10&view=all", user)
                .then().statusCode(400).body("type", equalTo("urn:healthmesh:problem:invalid-type"));
    }

    @Test
    void theResolvedViewPicksOneSourcePerBucketAndMergesItsDevices() {
        // Watch 500 (08:00-08:10) and iPhone 400 (08:05-08:15) merge to 700; the late walk adds 300 to
        // each of the 10th and the 11th (local dates); Oura's 8000 ranks below Apple Health for steps.
        internal().when().get("/internal/users/{u}/metrics/steps?from=2024-03-10&to=2024-03-11&granularity=day",
                        user)
                .then().statusCode(200)
                .body("view", equalTo("resolved"))
                .body("points.source", contains("apple_health", "apple_health"))
                .body("points.value", contains(1000.0f, 300.0f))
                .body("points[0].devices", contains("Apple Watch", "iPhone"))
                .body("points[0].rank", equalTo(1))
                .body("points[0].fallback", equalTo(false));

        FixedPolicySource.set(new Policy(user, 2, "Europe/Paris", Map.of("activity", List.of("oura", "apple_health")),
                Map.of(), Map.of(), Set.of(), Map.of(), null));
        internal().when().get("/internal/users/{u}/metrics/steps?from=2024-03-10&to=2024-03-11&granularity=day",
                        user)
                .then().statusCode(200)
                .body("points.source", contains("oura", "apple_health"))
                .body("points.value", contains(8000.0f, 300.0f))
                .body("points.fallback", contains(false, true));
    }

    @Test
    void sessionsAndTheDaySummaryAreResolvedToo() {
        internal().when().get("/internal/users/{u}/sessions/sleep?from=2024-03-09&to=2024-03-10", user)
                .then().statusCode(200)
                .body("view", equalTo("resolved"))
                .body("sessions", hasSize(1))
                .body("sessions[0].rank", equalTo(1));
        internal().when().get("/internal/users/{u}/summary?date=2024-03-10", user)
                .then().statusCode(200)
                .body("date", equalTo("2024-03-10"))
                .body("categories.activity.find { it.metric == 'steps' }.value", equalTo(1000.0f))
                .body("categories.activity.find { it.metric == 'steps' }.source", equalTo("apple_health"))
                .body("categories.sleep.find { it.metric == 'sleep_duration' }.value", equalTo(25000.0f))
                .body("categories.heart.find { it.metric == 'heart_rate' }.value", equalTo(65.0f))
                .body("categories.heart.find { it.metric == 'heart_rate' }.unit", equalTo("count/min"));
        internal().when().get("/internal/users/{u}/summary?date=yesterday", user)
                .then().statusCode(400).body("type", equalTo("urn:healthmesh:problem:invalid-date"));
    }

    @Test
    void plainDatesAreDaysOfTheHomeZone() {
        // 2024-03-10 in Tokyo (+09:00) ends at 15:00 UTC: the 23:30 Paris walk is outside it, while
        // Oura's daily value for the 10th stays the 10th's.
        FixedPolicySource.set(FixedPolicySource.defaults(user, "Asia/Tokyo"));
        internal().when().get("/internal/users/{u}/metrics/steps?from=2024-03-10&to=2024-03-10&view=all"
                        + "&granularity=raw", user)
                .then().statusCode(200)
                .body("points.value", contains(8000.0f, 500.0f, 400.0f));
    }

    @Test
    void withoutThePolicyAResolvedReadIsA503() {
        FixedPolicySource.makeUnavailable(user);
        internal().when().get("/internal/users/{u}/metrics/steps?from=2024-03-10&to=2024-03-10", user)
                .then().statusCode(503)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:healthmesh:problem:policy-unavailable"));
    }

    @Test
    void readsNeedTheServiceCredential() {
        given().when().get("/internal/users/{u}/metrics/steps?from=2024-03-10&to=2024-03-10&view=all", user)
                .then().statusCode(401);
    }
}
