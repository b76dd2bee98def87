package io.healthmesh.gateway.security;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import io.healthmesh.testsupport.RealStackResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.util.KeyUtils;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/**
 * Only a token signed by the configured issuer's key, unexpired, with that issuer, gets past the
 * gateway. The internal services are not running in these tests: a request that passes
 * authentication reaches the downstream call and gets its 503, one that does not gets the 401.
 */
@QuarkusTest
@WithTestResource(RealStackResource.class)
class AuthenticationTest {

    private static final String ROUTE = "/api/v1/me/preferences";

    @Test
    void aValidTokenPassesAuthentication() {
        given().header("Authorization", TestTokens.bearer("alice"))
                .when().get(ROUTE)
                .then().statusCode(503)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:healthmesh:problem:service-unavailable"));
    }

    @Test
    void noTokenIs401Problem() {
        given().when().get(ROUTE)
                .then().statusCode(401)
                .contentType("application/problem+json")
                .header("WWW-Authenticate", startsWith("Bearer"))
                .body("type", equalTo("urn:healthmesh:problem:unauthorized"));
    }

    @Test
    void expiredTokenIs401() {
        // Beyond the 60 s clock skew smallrye-jwt allows.
        String expired = TestTokens.sign("alice", TestTokens.ISSUER, Instant.now().minusSeconds(600),
                "tokens/test-signing-key.pem");
        assertUnauthorized("Bearer " + expired);
    }

    @Test
    void tokenSignedByAnotherKeyIs401() {
        String forged = TestTokens.sign("alice", TestTokens.ISSUER, Instant.now().plusSeconds(3600),
                "tokens/forger-signing-key.pem");
        assertUnauthorized("Bearer " + forged);
    }

    @Test
    void tokenOfAnotherIssuerIs401() {
        String foreign = TestTokens.sign("alice", "https://elsewhere.example", Instant.now().plusSeconds(3600),
                "tokens/test-signing-key.pem");
        assertUnauthorized("Bearer " + foreign);
    }

    @Test
    void unsignedTokenIs401() {
        Base64.Encoder url = Base64.getUrlEncoder().withoutPadding();
        String header = url.encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
        String claims = url.encodeToString(("{\"iss\":\"" + TestTokens.ISSUER + "\",\"sub\":\"alice\",\"exp\":"
                + Instant.now().plusSeconds(3600).getEpochSecond() + "}").getBytes(StandardCharsets.UTF_8));
        assertUnauthorized("Bearer " + header + "." + claims + ".");
    }

    @Test
    void tamperedClaimsAre401() {
        String[] parts = TestTokens.of("alice").split("\\.");
        String claims = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                .replace("\"alice\"", "\"bob\"");
        String tampered = parts[0] + "." + Base64.getUrlEncoder().withoutPadding()
                .encodeToString(claims.getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
        assertUnauthorized("Bearer " + tampered);
    }

    @Test
    void tokenWithoutSubjectIs401() throws Exception {
        // smallrye-jwt would take upn as the principal; the API acts only for a subject.
        String noSubject = Jwt.issuer(TestTokens.ISSUER).upn("alice")
                .expiresAt(Instant.now().plusSeconds(3600))
                .sign(KeyUtils.readPrivateKey("tokens/test-signing-key.pem"));
        assertUnauthorized("Bearer " + noSubject);
    }

    @Test
    void garbageIs401() {
        assertUnauthorized("Bearer not-a-jwt");
        assertUnauthorized("Basic YWxpY2U6c2VjcmV0");
    }

    @Test
    void devTokenIsAcceptedByTheGateway() {
        String token = given().contentType(ContentType.JSON).body("{\"userId\": \"carol\"}")
                .when().post("/api/v1/dev/token")
                .then().statusCode(200)
                .body("tokenType", equalTo("Bearer"))
                .extract().path("accessToken");
        given().header("Authorization", "Bearer " + token)
                .when().get(ROUTE)
                .then().statusCode(503);
    }

    @Test
    void devTokenNeedsAUserId() {
        given().contentType(ContentType.JSON).body("{}")
                .when().post("/api/v1/dev/token")
                .then().statusCode(400).contentType("application/problem+json");
    }

    @Test
    void webhooksAndCallbacksAreReachableWithoutToken() {
        // Public routes: no 401; the connector behind them is not running here, hence 503.
        given().contentType(ContentType.JSON).body("{}")
                .when().post("/api/v1/webhooks/oura")
                .then().statusCode(503).contentType("application/problem+json");
        given().when().get("/api/v1/connect/withings/callback?state=x&code=y")
                .then().statusCode(503);
    }

    private static void assertUnauthorized(String authorization) {
        given().header("Authorization", authorization)
                .when().get(ROUTE)
                .then().statusCode(401)
                .contentType("application/problem+json")
                .body("status", equalTo(401));
    }
}
