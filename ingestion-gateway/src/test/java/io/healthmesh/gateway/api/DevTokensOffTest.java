package io.healthmesh.gateway.api;

import static io.restassured.RestAssured.given;

import io.healthmesh.testsupport.RealStackResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** With the runtime flag off (as in %prod) the dev token route does not exist. */
@QuarkusTest
@WithTestResource(RealStackResource.class)
@TestProfile(DevTokensOffTest.FlagOff.class)
class DevTokensOffTest {

    public static class FlagOff implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("healthmesh.dev-tokens", "false");
        }
    }

    @Test
    void devTokenIs404() {
        given().contentType(ContentType.JSON).body("{\"userId\": \"mallory\"}")
                .when().post("/api/v1/dev/token")
                .then().statusCode(404).contentType("application/problem+json");
    }
}
