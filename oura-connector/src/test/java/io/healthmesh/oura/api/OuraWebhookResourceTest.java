package io.healthmesh.oura.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.healthmesh.oura.service.WebhookSignatures;
import io.healthmesh.testsupport.LocalStack;
import io.healthmesh.testsupport.RealStackResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The webhook route as Oura calls it (through the gateway, which adds the service credential):
 * the verification challenge, and notifications signed with the client secret of the %test profile.
 */
@QuarkusTest
@WithTestResource(RealStackResource.class)
class OuraWebhookResourceTest {

    private static final String BEARER = "Bearer local-service-secret";
    /** The %test profile's oura.client-secret, which keys the signatures. */
    private static final WebhookSignatures OURA = new WebhookSignatures("dev-oura-secret", Duration.ofMinutes(5),
            Clock.systemUTC());

    private static String notification(String ouraUser, String eventType, String objectId) {
        // Spacing as received: the signature covers these exact bytes, not a re-serialisation.
        return "{\"event_type\": \"" + eventType + "\", \"data_type\": \"sleep\", \"object_id\": \"" + objectId
                + "\", \"event_time\": \"2024-03-12T07:41:03.118000+00:00\", \"user_id\": \"" + ouraUser + "\"}";
    }

    private static ValidatableResponse post(String body, String timestamp, String signature) {
        return given().header("Authorization", BEARER).header("x-oura-timestamp", timestamp)
                .header("x-oura-signature", signature).contentType("application/json")
                .body(body.getBytes(StandardCharsets.UTF_8))
                .when().post("/internal/webhooks/oura").then();
    }

    private static String now() {
        return Long.toString(Instant.now().getEpochSecond());
    }

    /** The notifications stored for an Oura user: document id and change kind. */
    private static List<String> stored(String ouraUser) throws SQLException {
        try (Connection db = LocalStack.openAdminConnection(); PreparedStatement query = db.prepareStatement(
                "select data_type, document_id, change_kind from oura.notification where provider_user_id = ?"
                        + " order by received_at")) {
            query.setString(1, ouraUser);
            List<String> rows = new ArrayList<>();
            try (ResultSet row = query.executeQuery()) {
                while (row.next()) {
                    rows.add(row.getString(1) + " " + row.getString(2) + " " + row.getString(3));
                }
            }
            return rows;
        }
    }

    @Test
    void theChallengeIsAnsweredOnlyWithTheRightVerificationToken() {
        given().header("Authorization", BEARER).queryParam("verification_token", "dev-oura-verification-token")
                .queryParam("challenge", "ch-123").when().get("/internal/webhooks/oura")
                .then().statusCode(200).body("challenge", equalTo("ch-123"));
        given().header("Authorization", BEARER).queryParam("verification_token", "not-ours")
                .queryParam("challenge", "ch-123").when().get("/internal/webhooks/oura")
                .then().statusCode(401).contentType("application/problem+json");
        given().header("Authorization", BEARER).queryParam("challenge", "ch-123").when().get("/internal/webhooks/oura")
                .then().statusCode(401);
    }

    @Test
    void aSignedNotificationIsStoredAsADocumentChange() throws Exception {
        String user = "OU-" + UUID.randomUUID();
        String body = notification(user, "update", "doc-1");
        String timestamp = now();

        post(body, timestamp, OURA.sign(timestamp, body.getBytes(StandardCharsets.UTF_8))).statusCode(200);

        assertThat(stored(user)).containsExactly("sleep doc-1 updated");
    }

    @Test
    void aDeleteIsStoredAsADeletion() throws Exception {
        String user = "OU-" + UUID.randomUUID();
        String body = notification(user, "delete", "doc-2");
        String timestamp = now();

        post(body, timestamp, OURA.sign(timestamp, body.getBytes(StandardCharsets.UTF_8)).toLowerCase())
                .statusCode(200);

        assertThat(stored(user)).containsExactly("sleep doc-2 deleted");
    }

    @Test
    void forgedUnsignedStaleAndReplayedNotificationsAreRefusedWithNoSideEffect() throws Exception {
        String user = "OU-" + UUID.randomUUID();
        String body = notification(user, "create", "doc-3");
        String timestamp = now();
        String signature = OURA.sign(timestamp, body.getBytes(StandardCharsets.UTF_8));

        // Signed with another secret; the right signature over other bytes; the right one under another timestamp.
        post(body, timestamp, new WebhookSignatures("another-secret", Duration.ofMinutes(5), Clock.systemUTC())
                .sign(timestamp, body.getBytes(StandardCharsets.UTF_8))).statusCode(401)
                .body("type", equalTo("urn:healthmesh:problem:forged-notification"));
        post(body.replace("doc-3", "doc-4"), timestamp, signature).statusCode(401);
        post(body.replace("\": \"", "\":\""), timestamp, signature).statusCode(401);
        post(body, Long.toString(Long.parseLong(timestamp) + 1), signature).statusCode(401);
        given().header("Authorization", BEARER).contentType("application/json").body(body)
                .when().post("/internal/webhooks/oura").then().statusCode(401)
                .body("type", equalTo("urn:healthmesh:problem:unsigned-notification"));
        String old = Long.toString(Instant.now().minus(Duration.ofMinutes(10)).getEpochSecond());
        post(body, old, OURA.sign(old, body.getBytes(StandardCharsets.UTF_8))).statusCode(401)
                .body("type", equalTo("urn:healthmesh:problem:stale-notification"));
        assertThat(stored(user)).isEmpty();

        post(body, timestamp, signature).statusCode(200);
        post(body, timestamp, signature).statusCode(409)
                .body("type", equalTo("urn:healthmesh:problem:replayed-notification"));

        assertThat(stored(user)).containsExactly("sleep doc-3 created");
    }

    @Test
    void aSignedNotificationOfADataTypeWeDoNotSyncIsAcknowledgedAndIgnored() throws Exception {
        String user = "OU-" + UUID.randomUUID();
        String body = notification(user, "create", "tag-1").replace("\"sleep\"", "\"enhanced_tag\"");
        String timestamp = now();

        post(body, timestamp, OURA.sign(timestamp, body.getBytes(StandardCharsets.UTF_8))).statusCode(200);

        assertThat(stored(user)).isEmpty();
    }

    @Test
    void withoutTheServiceCredentialNothingIsReached() {
        given().queryParam("verification_token", "dev-oura-verification-token").queryParam("challenge", "c")
                .when().get("/internal/webhooks/oura").then().statusCode(401);
    }
}
