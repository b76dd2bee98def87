package io.healthmesh.gateway.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.healthmesh.gateway.security.TestTokens;
import io.healthmesh.testsupport.LocalStack;
import io.healthmesh.testsupport.RealStackResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Three requests per user per hour in this profile; the count lives in PostgreSQL. */
@QuarkusTest
@WithTestResource(RealStackResource.class)
@TestProfile(RateLimitFilterTest.SmallBudget.class)
class RateLimitFilterTest {

    public static class SmallBudget implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("healthmesh.gateway.rate-limit.requests", "3", "healthmesh.gateway.rate-limit.window", "1h");
        }
    }

    @Test
    void theRequestAfterTheBudgetIs429WithRetryAfter() throws Exception {
        String user = "rate-" + UUID.randomUUID();
        for (int i = 0; i < 3; i++) {
            given().header("Authorization", TestTokens.bearer(user))
                    .when().get("/api/v1/me/preferences")
                    .then().statusCode(503);
        }
        String retryAfter = given().header("Authorization", TestTokens.bearer(user))
                .when().get("/api/v1/me/preferences")
                .then().statusCode(429)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:healthmesh:problem:rate-limited"))
                .extract().header("Retry-After");
        assertThat(Long.parseLong(retryAfter)).isBetween(1L, 3600L);
        assertThat(countedRequests(user)).isEqualTo(4);

        // Another user's budget is untouched.
        given().header("Authorization", TestTokens.bearer("other-" + UUID.randomUUID()))
                .when().get("/api/v1/me/preferences")
                .then().statusCode(503);
    }

    @Test
    void requestsWithoutAValidTokenAreNotCounted() throws Exception {
        given().when().get("/api/v1/me/preferences").then().statusCode(401);
        String user = "anon-" + UUID.randomUUID();
        assertThat(countedRequests(user)).isZero();
    }

    private static int countedRequests(String user) throws Exception {
        try (Connection db = LocalStack.openAdminConnection();
                PreparedStatement query = db.prepareStatement(
                        "select coalesce(sum(requests), 0) from gateway.rate_limit_window where user_id = ?")) {
            query.setString(1, user);
            try (ResultSet rows = query.executeQuery()) {
                rows.next();
                return rows.getInt(1);
            }
        }
    }
}
