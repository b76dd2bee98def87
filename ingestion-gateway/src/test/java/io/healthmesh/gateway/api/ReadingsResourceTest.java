package io.healthmesh.gateway.api;

import static io.healthmesh.gateway.api.PushApi.as;
import static io.healthmesh.gateway.api.PushApi.eventsOf;
import static io.healthmesh.gateway.api.PushApi.newUser;
import static io.healthmesh.gateway.api.PushApi.stepsBatch;
import static io.healthmesh.gateway.api.PushApi.token;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.healthmesh.contracts.event.Envelope;
import io.healthmesh.contracts.event.Reading;
import io.healthmesh.contracts.identity.Identity;
import io.healthmesh.contracts.source.Topics;
import io.healthmesh.contracts.validation.EventValidator;
import io.healthmesh.gateway.messaging.PushPublisher;
import io.healthmesh.testsupport.RealStackResource;
import io.healthmesh.testsupport.TestKafka;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** POST /api/v1/readings against the real PostgreSQL and Kafka (the run's own topic prefix). */
@QuarkusTest
@WithTestResource(RealStackResource.class)
class ReadingsResourceTest {

    private static final String PATH = "/api/v1/readings";
    private static TestKafka kafka;

    @Inject
    PushPublisher publisher;

    @TestHTTPResource("/")
    URL base;

    @BeforeAll
    static void connect() {
        kafka = new TestKafka();
    }

    @AfterAll
    static void disconnect() {
        kafka.close();
    }

    private List<Envelope> published(String user) {
        return eventsOf(kafka, publisher.topic(), user);
    }

    private static List<UUID> eventIds(Response response) {
        return response.jsonPath().getList("eventIds", String.class).stream().map(UUID::fromString).toList();
    }

    @Test
    void aValidBatchIsOnThePushTopicWhenThe202Comes() {
        String user = newUser();

        Response response = as(user).body(stepsBatch("band", 3)).when().post(PATH)
                .then().statusCode(202)
                .contentType("application/json")
                .body("accepted", equalTo(3))
                .header(ReadingsResource.REPLAYED_HEADER, nullValue())
                .extract().response();

        List<Envelope> events = published(user);
        assertEquals(3, events.size());
        assertEquals(eventIds(response), events.stream().map(Envelope::eventId).toList());
        EventValidator validator = new EventValidator();
        for (int i = 0; i < 3; i++) {
            Envelope event = events.get(i);
            Reading reading = (Reading) event.payload();
            assertEquals(user, event.userId());
            assertEquals("push", event.source());
            assertEquals(Envelope.SCHEMA_VERSION, event.schemaVersion());
            assertEquals("band-" + i, reading.sourceRecordId());
            assertEquals(Identity.eventId(user, "push", "band-" + i, "steps"), event.eventId());
            assertEquals("steps", reading.metric());
            assertEquals(10.0 + i, reading.value());
            assertEquals("count", reading.unit());
            assertEquals(OffsetDateTime.parse("2024-03-12T06:0" + i + ":00+01:00"), reading.start());
            assertEquals("Band 7", reading.device());
            assertEquals("Tracker", reading.app());
            assertEquals(List.of(), validator.validate(event, Topics.RAW_PUSH));
        }
        assertTrue(publisher.topic().endsWith(Topics.RAW_PUSH) && !publisher.topic().equals(Topics.RAW_PUSH),
                "the run's prefixed push topic: " + publisher.topic());
    }

    @Test
    void anAppleSampleGetsTheEventIdTheExportImporterGivesTheSameSample() {
        String user = newUser();
        String body = """
                {"source": "apple_health", "readings": [{
                  "metric": "heart_rate", "value": 64, "unit": "count/min",
                  "start": "2024-03-12T07:15:32.480-07:00", "end": "2024-03-12T07:15:32.480-07:00",
                  "zone": "America/Los_Angeles",
                  "device": "<<HKDevice: 0x283735e00>, name:Apple Watch, manufacturer:Apple Inc., model:Watch, hardware:Watch6,2, software:10.3>",
                  "app": "Maya’s Apple Watch", "hkType": "HKQuantityTypeIdentifierHeartRate",
                  "createdAt": "2024-03-12T07:20:01.002-07:00"}]}
                """;

        Response response = as(user).body(body).when().post(PATH).then().statusCode(202).extract().response();

        // The same sample as the export writes it: the phone's offset at export time, whole seconds,
        // the device dump with another object address (file-import's parser feeds these to Identity).
        DateTimeFormatter export = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss Z");
        String exportedId = Identity.appleSourceRecordId("HKQuantityTypeIdentifierHeartRate", "Maya’s Apple Watch",
                "<<HKDevice: 0x2813a2b70>, name:Apple Watch, manufacturer:Apple Inc., model:Watch, hardware:Watch6,2,"
                        + " software:10.3>",
                OffsetDateTime.parse("2024-03-12 06:15:32 -0800", export),
                OffsetDateTime.parse("2024-03-12 06:15:32 -0800", export),
                OffsetDateTime.parse("2024-03-12 06:20:01 -0800", export));
        UUID exportEventId = Identity.eventId(user, "apple_health", exportedId, "heart_rate");
        assertEquals(List.of(exportEventId), eventIds(response));

        List<Envelope> events = published(user);
        assertEquals(1, events.size());
        assertEquals(exportEventId, events.get(0).eventId());
        assertEquals("apple_health", events.get(0).source());
        Reading reading = (Reading) events.get(0).payload();
        assertEquals(exportedId, reading.sourceRecordId());
        assertEquals("name:Apple Watch, manufacturer:Apple Inc., model:Watch, hardware:Watch6,2, software:10.3",
                reading.device());
        assertEquals("America/Los_Angeles", reading.zone());
    }

    @Test
    void aBatchWithInvalidReadingsIs422NamingEachAndNothingIsPublished() {
        String user = newUser();
        String body = """
                {"source": "push", "readings": [
                  {"id": "fine", "metric": "steps", "value": 10, "unit": "count",
                   "start": "2024-03-12T07:00:00Z", "end": "2024-03-12T07:01:00Z"},
                  {"id": "nan", "metric": "heart_rate", "value": "NaN", "unit": "count/min",
                   "start": "2024-03-12T07:00:00Z", "end": "2024-03-12T07:00:00Z"},
                  {"id": "huge", "metric": "heart_rate", "value": 1e999, "unit": "count/min",
                   "start": "2024-03-12T07:00:00Z", "end": "2024-03-12T07:00:00Z"},
                  {"id": "local", "metric": "steps", "value": 10, "unit": "count",
                   "start": "2024-03-12T07:00:00", "end": "2024-03-12T07:01:00Z"},
                  {"id": "unit", "metric": "body_mass", "value": 80, "unit": "stone-ish",
                   "start": "2024-03-12T07:00:00Z", "end": "2024-03-12T07:00:00Z"},
                  {"metric": "steps", "value": 10, "unit": "count",
                   "start": "2024-03-12T07:00:00Z", "end": "2024-03-12T07:01:00Z"}
                ]}
                """;

        as(user).body(body).when().post(PATH)
                .then().statusCode(422)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:healthmesh:problem:invalid-readings"))
                .body("instance", equalTo(PATH))
                .body("detail", containsString("5 of 6 readings are invalid"))
                .body("errors.index", equalTo(List.of(1, 2, 3, 4, 5)))
                .body("errors.field", equalTo(List.of("value", "value", "start", "unit", "id")))
                .body("errors[2].reason", containsString("no UTC offset"))
                .body("errors[3].reason", containsString("stone-ish"));

        // A valid batch after the refused one: the topic read reaches past the refusal.
        as(user).body(stepsBatch("after", 1)).when().post(PATH).then().statusCode(202);
        List<Envelope> events = published(user);
        assertEquals(List.of("after-0"), events.stream().map(e -> e.payload().sourceRecordId()).toList());
    }

    @Test
    void aRetryWithTheSameKeyGetsTheSameAnswerAndPublishesNothingMore() {
        String user = newUser();
        String key = UUID.randomUUID().toString();
        String body = stepsBatch("retry", 4);

        String first = as(user).header("Idempotency-Key", key).body(body).when().post(PATH)
                .then().statusCode(202)
                .header(ReadingsResource.REPLAYED_HEADER, nullValue())
                .extract().asString();
        String second = as(user).header("Idempotency-Key", key).body(body).when().post(PATH)
                .then().statusCode(202)
                .contentType("application/json")
                .header(ReadingsResource.REPLAYED_HEADER, "true")
                .extract().asString();

        assertEquals(first, second);
        assertEquals(4, JsonPath.from(second).getInt("accepted"));
        assertEquals(4, published(user).size(), "the retry published nothing");

        // The same key and body from another user is that user's own request.
        String other = newUser();
        as(other).header("Idempotency-Key", key).body(body).when().post(PATH)
                .then().statusCode(202).header(ReadingsResource.REPLAYED_HEADER, nullValue());
        assertEquals(4, published(other).size());
    }

    @Test
    void theSameKeyWithAnotherBodyIsRefused() {
        String user = newUser();
        String key = UUID.randomUUID().toString();
        as(user).header("Idempotency-Key", key).body(stepsBatch("first", 2)).when().post(PATH).then().statusCode(202);

        as(user).header("Idempotency-Key", key).body(stepsBatch("second", 2)).when().post(PATH)
                .then().statusCode(422)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:healthmesh:problem:idempotency-key-reused"));

        List<Envelope> events = published(user);
        assertEquals(List.of("first-0", "first-1"), events.stream().map(e -> e.payload().sourceRecordId()).toList());
    }

    @Test
    void withoutAKeyAReplayPublishesTheSameEventIdsAgain() {
        String user = newUser();
        String body = stepsBatch("again", 2);

        List<UUID> first = eventIds(as(user).body(body).when().post(PATH).then().statusCode(202).extract().response());
        List<UUID> second = eventIds(as(user).body(body).when().post(PATH).then().statusCode(202).extract().response());

        assertEquals(first, second);
        List<UUID> onTopic = published(user).stream().map(Envelope::eventId).toList();
        List<UUID> twice = new ArrayList<>(first);
        twice.addAll(first);
        assertEquals(twice, onTopic, "published twice, with the same eventIds (the normalizer upserts them once)");
    }

    @Test
    void concurrentRequestsWithOneKeyPublishTheBatchOnce() throws Exception {
        String user = newUser();
        String key = UUID.randomUUID().toString();
        String body = stepsBatch("race", 300);
        String bearer = "Bearer " + token(user);
        int requests = 6;
        HttpClient client = HttpClient.newHttpClient();
        ExecutorService pool = Executors.newFixedThreadPool(requests);
        CountDownLatch start = new CountDownLatch(1);
        List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
        try {
            for (int i = 0; i < requests; i++) {
                calls.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        start.await();
                        HttpRequest request = HttpRequest.newBuilder(URI.create(base + "api/v1/readings"))
                                .header("Authorization", bearer).header("Content-Type", "application/json")
                                .header("Idempotency-Key", key)
                                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
                        return client.send(request, HttpResponse.BodyHandlers.ofString());
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }, pool));
            }
            start.countDown();
            List<HttpResponse<String>> responses = new ArrayList<>();
            for (CompletableFuture<HttpResponse<String>> call : calls) {
                responses.add(call.get(60, TimeUnit.SECONDS));
            }

            List<HttpResponse<String>> fresh = responses.stream()
                    .filter(r -> r.statusCode() == 202 && r.headers().firstValue(ReadingsResource.REPLAYED_HEADER).isEmpty())
                    .toList();
            assertEquals(1, fresh.size(), "exactly one request publishes: " + statuses(responses));
            for (HttpResponse<String> response : responses) {
                if (response.statusCode() == 202) {
                    assertEquals(fresh.get(0).body(), response.body());
                } else {
                    assertEquals(409, response.statusCode(), response.body());
                    assertEquals("5", response.headers().firstValue("Retry-After").orElse(null));
                    assertTrue(response.body().contains("idempotency-key-in-flight"), response.body());
                }
            }
            assertEquals(300, published(user).size());
        } finally {
            pool.shutdownNow();
        }
    }

    private static List<String> statuses(List<HttpResponse<String>> responses) {
        return responses.stream().map(r -> r.statusCode()
                + r.headers().firstValue(ReadingsResource.REPLAYED_HEADER).map(h -> " replayed").orElse("")).toList();
    }

    @Test
    void withoutAValidTokenItIs401() {
        given().contentType("application/json").body(stepsBatch("anon", 1)).when().post(PATH)
                .then().statusCode(401)
                .contentType("application/problem+json")
                .header("WWW-Authenticate", containsString("Bearer"));
        given().header("Authorization", "Bearer not-a-jwt").contentType("application/json")
                .body(stepsBatch("anon", 1)).when().post(PATH)
                .then().statusCode(401)
                .contentType("application/problem+json");
    }

    @Test
    void aBatchOverTheMaximumIs413() {
        as(newUser()).body(stepsBatch("big", 5001)).when().post(PATH)
                .then().statusCode(413)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:healthmesh:problem:too-many-readings"))
                .body("detail", containsString("at most 5000 readings"));
    }

    @Test
    void anEmptyBatchIs422AndAnUnreadableBodyOrKey400() {
        String user = newUser();
        as(user).body("{\"source\": \"push\", \"readings\": []}").when().post(PATH)
                .then().statusCode(422)
                .body("type", equalTo("urn:healthmesh:problem:empty-batch"));
        as(user).body("{\"source\": \"withings\", \"readings\": []}").when().post(PATH)
                .then().statusCode(422)
                .body("errors[0].field", equalTo("source"));
        as(user).body("{\"source\": \"push\", \"readings\": [").when().post(PATH)
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:healthmesh:problem:malformed-request"));
        as(user).body("{\"source\": \"push\", \"readings\": [{\"id\": \"x\", \"value\": \"ten\"}]}").when().post(PATH)
                .then().statusCode(400)
                .body("detail", containsString("value"));
        as(user).header("Idempotency-Key", "x".repeat(256)).body(stepsBatch("k", 1)).when().post(PATH)
                .then().statusCode(400)
                .body("type", equalTo("urn:healthmesh:problem:invalid-idempotency-key"));
    }

    @Test
    void readinessReportsKafka() {
        given().when().get("/q/health/ready")
                .then().statusCode(200)
                .body("checks.name", hasItem("Kafka connection health check"))
                .body("checks.find { it.name == 'Kafka connection health check' }.status", equalTo("UP"))
                .body("checks", hasSize(org.hamcrest.Matchers.greaterThanOrEqualTo(2)));
    }
}
