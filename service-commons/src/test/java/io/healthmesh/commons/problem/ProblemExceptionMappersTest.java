package io.healthmesh.commons.problem;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import io.healthmesh.testsupport.RealStackResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(RealStackResource.class)
class ProblemExceptionMappersTest {

    private static RequestSpecification internal() {
        return given().header("Authorization", "Bearer local-service-secret");
    }

    @Test
    void problemExceptionKeepsItsStatusSlugAndItems() {
        internal().when().get("/internal/probe/unprocessable")
                .then().statusCode(422)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:healthmesh:problem:invalid-readings"))
                .body("status", equalTo(422))
                .body("instance", equalTo("/internal/probe/unprocessable"))
                .body("errors[1].index", equalTo(3))
                .body("errors[1].field", equalTo("value"));
    }

    @Test
    void problemExceptionWithRetryAfterCarriesTheHeader() {
        internal().when().get("/internal/probe/retry-later")
                .then().statusCode(503)
                .contentType("application/problem+json")
                .header("Retry-After", "7")
                .body("type", equalTo("urn:healthmesh:problem:unavailable"));
    }

    @Test
    void problemExceptionWithoutRetryAfterHasNoSuchHeader() {
        internal().when().get("/internal/probe/unprocessable")
                .then().statusCode(422)
                .header("Retry-After", nullValue());
    }

    @Test
    void unexpectedFailureIsA500WithoutInternals() {
        internal().when().get("/internal/probe/crash")
                .then().statusCode(500)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:healthmesh:problem:internal-error"))
                .body("detail", startsWith("An unexpected error occurred; quote incident "))
                .body(not(containsString("secret internal detail")))
                .body(not(containsString("IllegalStateException")));
    }

    @Test
    void aDatabasePoolThatStayedBusyIsA503WithRetryAfter() {
        internal().when().get("/internal/probe/database-busy")
                .then().statusCode(503)
                .contentType("application/problem+json")
                .header("Retry-After", "5")
                .body("type", equalTo("urn:healthmesh:problem:unavailable"))
                .body("detail", equalTo("The service is busy; retry in a few seconds."));
    }

    @Test
    void malformedJsonIsA400Problem() {
        internal().contentType("application/json").body("{\"name\": \"x\", \"count\": ")
                .when().post("/internal/probe/echo")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:healthmesh:problem:malformed-request"));
    }

    @Test
    void wrongFieldTypeNamesTheFieldButNotTheInput() {
        internal().contentType("application/json").body("{\"name\": \"x\", \"count\": \"=cmd|' /C calc'!A0\"}")
                .when().post("/internal/probe/echo")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("detail", containsString("count"))
                .body(not(containsString("calc")));
    }

    @Test
    void timestampWithoutOffsetIsRefused() {
        internal().contentType("application/json").body("{\"name\": \"x\", \"count\": 1, \"at\": \"2024-03-10T08:00:00\"}")
                .when().post("/internal/probe/echo")
                .then().statusCode(400)
                .body("detail", containsString("at"));
    }

    @Test
    void unknownRouteIsA404Problem() {
        internal().when().get("/internal/no-such-thing")
                .then().statusCode(404)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:healthmesh:problem:not-found"))
                .body("detail", equalTo("No resource at /internal/no-such-thing"));
    }

    @Test
    void wrongMethodIsA405Problem() {
        internal().when().delete("/internal/probe/crash")
                .then().statusCode(405)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:healthmesh:problem:method-not-allowed"));
    }
}
