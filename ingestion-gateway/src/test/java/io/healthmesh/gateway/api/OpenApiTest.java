package io.healthmesh.gateway.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.healthmesh.testsupport.RealStackResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** One OpenAPI document describes the whole public API (ARCHITECTURE "APIs"), every route and method. */
@QuarkusTest
@WithTestResource(RealStackResource.class)
class OpenApiTest {

    private static final Map<String, String[]> PUBLIC_API = Map.ofEntries(
            Map.entry("/api/v1/sources", new String[] {"get"}),
            Map.entry("/api/v1/me/connections", new String[] {"get"}),
            Map.entry("/api/v1/me/connections/{source}", new String[] {"delete"}),
            Map.entry("/api/v1/connect/{source}", new String[] {"get"}),
            Map.entry("/api/v1/connect/{source}/callback", new String[] {"get"}),
            Map.entry("/api/v1/me/preferences", new String[] {"get"}),
            Map.entry("/api/v1/me/preferences/{category}", new String[] {"put", "delete"}),
            Map.entry("/api/v1/me/preferences/metrics/{metric}", new String[] {"put", "delete"}),
            Map.entry("/api/v1/me/preferences/devices/{source}", new String[] {"put"}),
            Map.entry("/api/v1/me/preferences/home-zone", new String[] {"put"}),
            Map.entry("/api/v1/imports/apple-health", new String[] {"post"}),
            Map.entry("/api/v1/imports/csv", new String[] {"post"}),
            Map.entry("/api/v1/imports/{id}", new String[] {"get", "delete"}),
            Map.entry("/api/v1/imports/{id}/mapping", new String[] {"post"}),
            Map.entry("/api/v1/me/metrics/{metric}", new String[] {"get"}),
            Map.entry("/api/v1/me/sessions/{type}", new String[] {"get"}),
            Map.entry("/api/v1/me/summary", new String[] {"get"}),
            Map.entry("/api/v1/webhooks/withings/{secret}", new String[] {"head", "post"}),
            Map.entry("/api/v1/webhooks/oura", new String[] {"get", "post"}),
            Map.entry("/api/v1/dev/token", new String[] {"post"}));

    @Test
    void everyPublicRouteIsDescribed() {
        JsonPath document = given().accept("application/json").when().get("/q/openapi?format=json")
                .then().statusCode(200).extract().jsonPath();
        Map<String, Object> paths = document.getMap("paths");
        for (Map.Entry<String, String[]> route : PUBLIC_API.entrySet()) {
            assertThat(paths).as("the OpenAPI document's paths").containsKey(route.getKey());
            @SuppressWarnings("unchecked")
            Map<String, Object> methods = (Map<String, Object>) paths.get(route.getKey());
            assertThat(methods).as(route.getKey()).containsKeys(route.getValue());
        }
    }

    @Test
    void swaggerUiIsServed() {
        given().when().get("/q/swagger-ui/").then().statusCode(200);
    }
}
