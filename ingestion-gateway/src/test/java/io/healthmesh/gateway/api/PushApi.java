package io.healthmesh.gateway.api;

import static io.restassured.RestAssured.given;

import io.healthmesh.contracts.event.Envelope;
import io.healthmesh.contracts.event.EventJson;
import io.healthmesh.testsupport.TestKafka;
import io.restassured.specification.RequestSpecification;
import io.smallrye.jwt.build.Jwt;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/** Helpers of the push API's tests: tokens, batches, what reached the push topic. */
final class PushApi {

    static final String ISSUER = "https://healthmesh.local/dev";

    private PushApi() {
    }

    static String newUser() {
        return "push-" + UUID.randomUUID();
    }

    /** A token of the test issuer for the user, signed with the %test profile's key. */
    static String token(String user) {
        return Jwt.issuer(ISSUER).subject(user).sign();
    }

    static RequestSpecification as(String user) {
        return given().header("Authorization", "Bearer " + token(user)).contentType("application/json");
    }

    /** A batch of {@code count} step readings of source push, ids {@code prefix-0 ...}, one per minute. */
    static String stepsBatch(String prefix, int count) {
        StringBuilder json = new StringBuilder("{\"source\": \"push\", \"readings\": [");
        for (int i = 0; i < count; i++) {
            if (i > 0) {
                json.append(',');
            }
            int minute = i % 60;
            int hour = 6 + (i / 60) % 12;
            String start = String.format(Locale.ROOT, "2024-03-12T%02d:%02d:00+01:00", hour, minute);
            String end = String.format(Locale.ROOT, "2024-03-12T%02d:%02d:59+01:00", hour, minute);
            json.append("{\"id\": \"").append(prefix).append('-').append(i).append("\", \"metric\": \"steps\", ")
                    .append("\"value\": ").append(10 + i).append(", \"unit\": \"count\", \"start\": \"").append(start)
                    .append("\", \"end\": \"").append(end).append("\", \"device\": \"Band 7\", \"app\": \"Tracker\"}");
        }
        return json.append("]}").toString();
    }

    /** The push topic's events of one user, in topic order (one user's are all in one partition). */
    static List<Envelope> eventsOf(TestKafka kafka, String topic, String user) {
        return kafka.readAll(topic).stream()
                .filter(record -> user.equals(new String(record.key(), StandardCharsets.UTF_8)))
                .sorted((a, b) -> Long.compare(a.offset(), b.offset()))
                .map(record -> EventJson.read(record.value()))
                .toList();
    }
}
