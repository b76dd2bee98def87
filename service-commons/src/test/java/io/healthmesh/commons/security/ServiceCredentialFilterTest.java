package io.healthmesh.commons.security;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.healthmesh.testsupport.RealStackResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
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
    void pathsThatOnlyStartLikeInternalAreNotInternal() {
        assertTrue(ServiceCredentialFilter.isInternal("/internal/users/u1/metrics"));
        assertTrue(ServiceCredentialFilter.isInternal("/internal"));
        assertTrue(ServiceCredentialFilter.isInternal("//internal//service"));
        assertFalse(ServiceCredentialFilter.isInternal("/internals"));
        assertFalse(ServiceCredentialFilter.isInternal("/api/v1/internal"));
    }
}
