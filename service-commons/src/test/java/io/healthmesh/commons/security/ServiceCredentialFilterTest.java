package io.healthmesh.commons.security;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import io.healthmesh.commons.client.PreferencesClient;
import io.healthmesh.testsupport.RealStackResource;
import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(RealStackResource.class)
class ServiceCredentialFilterTest {

    @Test
    void missingCredentialIsRefusedWithAProblem() {
        given().when().get("/internal/service")
                .then().statusCode(401)
                .contentType("application/problem+json")
                .header("WWW-Authenticate", "Bearer")
                .body("type", equalTo("urn:healthmesh:problem:unauthorized"));
    }

    @Test
    void wrongCredentialIsRefused() {
        given().header("Authorization", "Bearer local-service-secreT")
                .when().get("/internal/service")
                .then().statusCode(401);
        given().header("Authorization", "Basic bG9jYWwtc2VydmljZS1zZWNyZXQ=")
                .when().get("/internal/service")
                .then().statusCode(401);
    }

    @Test
    void rightCredentialPasses() {
        given().header("Authorization", "Bearer local-service-secret")
                .when().get("/internal/service")
                .then().statusCode(200)
                .body("service", equalTo("service-commons-test"));
    }

    @Test
    void unknownInternalRouteIsRefusedBeforeRouting() {
        // Without the credential nobody learns which internal routes exist.
        given().when().get("/internal/anything/else")
                .then().statusCode(401);
    }

    @Test
    void healthStaysOpen() {
        given().when().get("/q/health/live")
                .then().statusCode(200);
    }

    @Test
    void restClientsCarryTheSharedSecret() {
        WireMockServer preferences = new WireMockServer(WireMockConfiguration.options().dynamicPort()
                .bindAddress("127.0.0.1"));
        preferences.start();
        try {
            preferences.stubFor(get(urlPathEqualTo("/internal/users/u2/policy"))
                    .withHeader("Authorization", WireMock.equalTo("Bearer local-service-secret"))
                    .willReturn(okJson("{\"userId\":\"u2\",\"version\":7}")));
            PreferencesClient client = QuarkusRestClientBuilder.newBuilder()
                    .baseUri(URI.create("http://127.0.0.1:" + preferences.port()))
                    .build(PreferencesClient.class);
            assertEquals(7, client.policy("u2").await().atMost(Duration.ofSeconds(10)).version());
        } finally {
            preferences.stop();
        }
    }

    @Test
    void pathsThatOnlyStartLikeInternalAreNotInternal() {
        assertTrue(ServiceCredentialFilter.isInternal("/internal/users/u1/metrics"));
        assertTrue(ServiceCredentialFilter.isInternal("/internal"));
        assertTrue(ServiceCredentialFilter.isInternal("//internal//service"));
        assertFalse(ServiceCredentialFilter.isInternal("/internals"));
        assertFalse(ServiceCredentialFilter.isInternal("/api/v1/internal"));
    }
}
