package io.healthmesh.connector.api;

import static io.healthmesh.connector.testing.KitApi.connect;
import static io.healthmesh.connector.testing.KitApi.internal;
import static io.healthmesh.connector.testing.KitApi.problem;
import static io.healthmesh.connector.testing.KitApi.reports;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import io.healthmesh.connector.connection.ConnectionDirectory;
import io.healthmesh.connector.provider.TokenGrant;
import io.healthmesh.connector.testing.FakeWithings;
import io.healthmesh.connector.testing.KitDb;
import io.healthmesh.connector.testing.KitStackResource;
import io.healthmesh.connector.testing.LogCapture;
import io.healthmesh.connector.testing.RecordingHooks;
import io.healthmesh.connector.testing.RecordingSyncScheduler;
import io.healthmesh.contracts.status.ConnectionState;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Disconnect: hooks, revocation, tokens deleted, status, sync stopped; nobody else touched. */
@QuarkusTest
@WithTestResource(KitStackResource.class)
class DisconnectTest {

    @Inject
    FakeWithings withings;

    @Inject
    RecordingSyncScheduler scheduler;

    @Inject
    RecordingHooks hooks;

    @Inject
    ConnectionDirectory directory;

    private LogCapture log;

    @BeforeEach
    void reset() {
        withings.reset();
        scheduler.reset();
        hooks.reset();
        log = LogCapture.install();
    }

    @AfterEach
    void noSecretWasLogged() {
        log.assertNoneOf(withings.secrets());
    }

    @Test
    void aDisconnectRevokesDeletesTheTokensReportsAndStopsSyncingOnlyThatConnection() {
        String user = "user-" + UUID.randomUUID();
        String other = "user-" + UUID.randomUUID();
        connect(other);
        Map<String, Object> otherBefore = KitDb.connection(other, "withings");
        connect(user);
        TokenGrant grant = withings.lastGrant();

        internal().when().delete("/internal/users/{u}/connections/withings", user)
                .then().statusCode(200)
                .body("state", equalTo("disconnected"))
                .body("source", equalTo("withings"))
                .body("progress", nullValue());

        assertThat(hooks.calls(user)).extracting(RecordingHooks.Call::what).containsExactly("connected", "disconnecting");
        assertThat(withings.revokes()).singleElement().satisfies(revoke -> {
            assertThat(revoke.accessToken()).isEqualTo(grant.accessToken());
            assertThat(revoke.refreshToken()).isEqualTo(grant.refreshToken());
        });
        Map<String, Object> row = KitDb.connection(user, "withings");
        assertThat(row.get("state")).isEqualTo("disconnected");
        assertThat(row.get("access_token")).isNull();
        assertThat(row.get("refresh_token")).isNull();
        assertThat(row.get("key_id")).isNull();
        assertThat(row.get("access_expires_at")).isNull();
        assertThat(scheduler.disconnected()).singleElement().satisfies(ref -> {
            assertThat(ref.userId()).isEqualTo(user);
            assertThat(ref.providerUserId()).isEqualTo(grant.providerUserId());
        });
        assertThat(reports(user, "withings")).last().satisfies(status ->
                assertThat(status.state()).isEqualTo(ConnectionState.DISCONNECTED));
        assertThat(directory.maySync(user, "withings")).isFalse();
        assertThat(directory.find(user, "withings")).isEmpty();
        assertThat(directory.byProviderUser("withings", grant.providerUserId())).isEmpty();

        // The other user's connection is exactly as it was, and nothing was reported about it.
        Map<String, Object> otherAfter = KitDb.connection(other, "withings");
        assertThat(otherAfter.get("state")).isEqualTo("backfilling");
        assertThat((byte[]) otherAfter.get("access_token")).isEqualTo((byte[]) otherBefore.get("access_token"));
        assertThat((byte[]) otherAfter.get("refresh_token")).isEqualTo((byte[]) otherBefore.get("refresh_token"));
        assertThat(otherAfter.get("updated_at")).isEqualTo(otherBefore.get("updated_at"));
        assertThat(reports(other, "withings")).hasSize(1);
        assertThat(directory.maySync(other, "withings")).isTrue();

        // The view stays (disconnected); a second disconnect finds nothing to disconnect.
        internal().when().get("/internal/users/{u}/connections/withings", user)
                .then().statusCode(200).body("state", equalTo("disconnected"));
        problem(internal().when().delete("/internal/users/{u}/connections/withings", user), 404, "not-connected");
        assertThat(withings.revokes()).hasSize(1);
    }

    @Test
    void disconnectingWhatWasNeverConnectedIsNotFound() {
        problem(internal().when().delete("/internal/users/{u}/connections/withings", "user-" + UUID.randomUUID()),
                404, "not-connected");
        problem(internal().when().delete("/internal/users/{u}/connections/fitbit", "user-" + UUID.randomUUID()),
                404, "unknown-source");
        assertThat(scheduler.disconnected()).isEmpty();
    }

    @Test
    void anExpiredConnectionCanBeDisconnectedAndConnectedAgain() {
        String user = "user-" + UUID.randomUUID();
        connect(user);
        directory.report(user, "withings", ConnectionState.TOKEN_EXPIRED, null, "refused", null, null);

        internal().when().delete("/internal/users/{u}/connections/withings", user)
                .then().statusCode(200).body("state", equalTo("disconnected"));
        connect(user);

        assertThat(KitDb.connection(user, "withings").get("state")).isEqualTo("backfilling");
        assertThat(directory.maySync(user, "withings")).isTrue();
    }
}
