package io.healthmesh.connector.testing;

import static io.restassured.RestAssured.given;

import io.healthmesh.contracts.event.EventJson;
import io.healthmesh.contracts.source.Topics;
import io.healthmesh.contracts.status.ConnectionStatus;
import io.healthmesh.testsupport.TestKafka;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import jakarta.ws.rs.core.UriBuilder;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.ConfigProvider;

/** What the kit's tests do through its REST API and its status topic. */
public final class KitApi {

    public static final String SERVICE_SECRET = "local-service-secret";

    private KitApi() {
    }

    public static RequestSpecification internal() {
        return given().header("Authorization", "Bearer " + SERVICE_SECRET).redirects().follow(false);
    }

    /** Starts a connect; answers the authorization URL. */
    public static URI authorizationUrl(String userId) {
        String url = internal().when().get("/internal/users/{u}/connect/{s}", userId, FakeWithings.SOURCE)
                .then().statusCode(200).extract().path("authorizationUrl");
        return URI.create(url);
    }

    /** The state the service put in an authorization URL. */
    public static String stateOf(URI authorizationUrl) {
        return queryParameter(authorizationUrl, "state");
    }

    public static String queryParameter(URI uri, String name) {
        for (String pair : uri.getRawQuery().split("&")) {
            int eq = pair.indexOf('=');
            if (pair.substring(0, eq).equals(name)) {
                return java.net.URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    public static Response callback(String state, String code) {
        RequestSpecification request = internal();
        if (state != null) {
            request = request.queryParam("state", state);
        }
        if (code != null) {
            request = request.queryParam("code", code);
        }
        return request.when().get("/internal/connect/{s}/callback", FakeWithings.SOURCE);
    }

    public static Response denied(String state) {
        return internal().queryParam("state", state).queryParam("error", "access_denied")
                .queryParam("error_description", "The user refused")
                .when().get("/internal/connect/{s}/callback", FakeWithings.SOURCE);
    }

    /** Connects a user all the way (302 to the return URL). */
    public static void connect(String userId) {
        String state = stateOf(authorizationUrl(userId));
        callback(state, "code-" + userId).then().statusCode(302);
    }

    public static String returnUrl(String source, String outcome) {
        String base = ConfigProvider.getConfig().getValue("healthmesh.connect-return-url", String.class);
        return UriBuilder.fromUri(base).queryParam("source", source).queryParam("outcome", outcome).build()
                .toString();
    }

    /** Every report about (user, source) on the run's connection.status.v1, in order. */
    public static List<ConnectionStatus> reports(String userId, String source) {
        String prefix = ConfigProvider.getConfig().getOptionalValue("healthmesh.topic-prefix", String.class).orElse("");
        String key = userId + ConnectionStatus.KEY_SEPARATOR + source;
        try (TestKafka kafka = new TestKafka()) {
            List<ConsumerRecord<byte[], byte[]>> records = kafka.readAll(Topics.prefixed(prefix, Topics.CONNECTION_STATUS));
            return records.stream()
                    .filter(r -> r.key() != null && key.equals(new String(r.key(), StandardCharsets.UTF_8)))
                    .sorted(java.util.Comparator.comparingLong(ConsumerRecord::offset))
                    .map(r -> read(r.value()))
                    .collect(Collectors.toList());
        }
    }

    private static ConnectionStatus read(byte[] json) {
        try {
            return EventJson.mapper().readValue(json, ConnectionStatus.class);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The problem document of a response, checked to be one and to hold no stack trace. */
    public static Map<String, Object> problem(Response response, int status, String slug) {
        response.then().statusCode(status).contentType("application/problem+json");
        String body = response.asString();
        org.assertj.core.api.Assertions.assertThat(body)
                .doesNotContain("Exception")
                .doesNotContain("\tat ")
                .doesNotContain(".java:")
                .doesNotContain("at io.");
        Map<String, Object> problem = response.jsonPath().getMap("");
        org.assertj.core.api.Assertions.assertThat(problem.get("type")).isEqualTo("urn:healthmesh:problem:" + slug);
        return problem;
    }
}
