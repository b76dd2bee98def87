package io.healthmesh.oura.api;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.healthmesh.connector.provider.DocumentChange;
import io.healthmesh.connector.sync.SyncScheduler;
import io.healthmesh.oura.OuraStackResource;
import io.healthmesh.testsupport.LocalStack;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Connecting Oura through the kit's standard OAuth2 provider against WireMock: the authorization
 * URL, the code exchange, the Oura user from personal_info; then a document notification for that
 * user fetches the document with the user's token.
 */
@QuarkusTest
@WithTestResource(OuraStackResource.class)
class OuraConnectTest {

    private static final String BEARER = "Bearer local-service-secret";
    private static final String EMPTY = "{\"data\":[],\"next_token\":null}";

    @Inject
    SyncScheduler scheduler;

    @BeforeEach
    void stubs() {
        OuraStackResource.oura.stubFor(get(urlPathMatching("/v2/usercollection/[a-z_]+"))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody(EMPTY)));
    }

    private static Map<String, String> query(String url) {
        Map<String, String> query = new HashMap<>();
        for (String pair : URI.create(url).getRawQuery().split("&")) {
            String[] kv = pair.split("=", 2);
            query.put(kv[0], URLDecoder.decode(kv[1], StandardCharsets.UTF_8));
        }
        return query;
    }

    private static String providerUserId(String user) throws Exception {
        try (Connection db = LocalStack.openAdminConnection(); PreparedStatement query = db.prepareStatement(
                "select provider_user_id, state from oura.connection where user_id = ?")) {
            query.setString(1, user);
            try (ResultSet row = query.executeQuery()) {
                return row.next() ? row.getString(1) : null;
            }
        }
    }

    @Test
    void aConnectExchangesTheCodeAndLearnsTheOuraUserThenADocumentNotificationFetchesIt() throws Exception {
        String user = "oura-" + UUID.randomUUID();
        String ouraUser = "OU" + UUID.randomUUID().toString().substring(0, 8);
        String tag = UUID.randomUUID().toString().substring(0, 8);
        OuraStackResource.oura.stubFor(post(urlPathEqualTo("/oauth/token")).withRequestBody(containing("code=code-" + tag))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody("""
                        {"token_type":"bearer","access_token":"access-%s","expires_in":86400,
                         "refresh_token":"refresh-%s","scope":"daily heartrate workout session spo2"}
                        """.formatted(tag, tag))));
        OuraStackResource.oura.stubFor(get(urlPathEqualTo("/v2/usercollection/personal_info"))
                .withHeader("Authorization", equalTo("Bearer access-" + tag))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withBody("{\"id\":\"" + ouraUser + "\",\"age\":34}")));

        String url = given().header("Authorization", BEARER).when().get("/internal/users/{u}/connect/oura", user)
                .then().statusCode(200).extract().jsonPath().getString("authorizationUrl");
        Map<String, String> authorize = query(url);
        assertThat(url).startsWith("http://127.0.0.1:" + OuraStackResource.oura.port() + "/oauth/authorize?");
        assertThat(authorize).containsEntry("response_type", "code").containsEntry("client_id", "dev-oura-client")
                .containsEntry("scope", "daily heartrate workout session spo2").doesNotContainKey("code_challenge");

        given().header("Authorization", BEARER).redirects().follow(false)
                .queryParam("state", authorize.get("state")).queryParam("code", "code-" + tag)
                .when().get("/internal/connect/oura/callback").then().statusCode(302);
        assertThat(providerUserId(user)).isEqualTo(ouraUser);

        String documentId = "sleep-" + tag;
        OuraStackResource.oura.stubFor(get(urlPathEqualTo("/v2/usercollection/sleep/" + documentId))
                .willReturn(aResponse().withStatus(404)));
        scheduler.notifiedDocument("oura", ouraUser, "sleep", new DocumentChange(documentId, DocumentChange.Kind.UPDATED),
                "{}");

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> OuraStackResource.oura.verify(
                getRequestedFor(urlPathEqualTo("/v2/usercollection/sleep/" + documentId))
                        .withHeader("Authorization", equalTo("Bearer access-" + tag))));
    }
}
