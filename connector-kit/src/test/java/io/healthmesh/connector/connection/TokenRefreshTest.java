package io.healthmesh.connector.connection;

import static io.healthmesh.connector.testing.KitApi.connect;
import static io.healthmesh.connector.testing.KitApi.reports;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.healthmesh.connector.crypto.TokenCipher;
import io.healthmesh.connector.provider.ProviderException;
import io.healthmesh.connector.provider.TokenGrant;
import io.healthmesh.connector.testing.FakeWithings;
import io.healthmesh.connector.testing.KitDb;
import io.healthmesh.connector.testing.KitStackResource;
import io.healthmesh.connector.testing.LogCapture;
import io.healthmesh.connector.testing.RecordingHooks;
import io.healthmesh.connector.testing.RecordingSyncScheduler;
import io.healthmesh.contracts.status.ConnectionState;
import io.healthmesh.contracts.status.ConnectionStatus;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The directory the sync side uses: tokens refreshed once under the row lock, reports, who may sync. */
@QuarkusTest
@WithTestResource(KitStackResource.class)
class TokenRefreshTest {

    @Inject
    ConnectionDirectory directory;

    @Inject
    FakeWithings withings;

    @Inject
    RecordingSyncScheduler scheduler;

    @Inject
    RecordingHooks hooks;

    @Inject
    TokenCipher cipher;

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

    /** A connected user whose access token expires within the refresh margin (5 min). */
    private String expiringConnection() {
        String user = "user-" + UUID.randomUUID();
        connect(user);
        assertThat(KitDb.update("UPDATE " + KitDb.schema() + ".connection SET access_expires_at = now()"
                + " + interval '1 minute' WHERE user_id = ? AND source = 'withings'", user)).isEqualTo(1);
        assertThat(withings.refreshCalls()).isZero();
        return user;
    }

    private String storedRefreshToken(String user) {
        return cipher.decrypt((byte[]) KitDb.connection(user, "withings").get("refresh_token"),
                TokenContexts.refresh(user, "withings"));
    }

    @Test
    void aConnectWhoseFirstTokenIsShortLivedRefreshesItForTheHook() {
        String user = "user-" + UUID.randomUUID();
        withings.expiresIn(Duration.ofMinutes(1));

        connect(user);

        assertThat(withings.refreshCalls()).isEqualTo(1);
        assertThat(hooks.calls(user)).singleElement().satisfies(call ->
                assertThat(call.accessToken()).isEqualTo(withings.lastGrant().accessToken()));
    }

    @Test
    void aFreshTokenIsHandedOutWithoutARefresh() throws Exception {
        String user = "user-" + UUID.randomUUID();
        connect(user);
        TokenGrant grant = withings.lastGrant();

        assertThat(directory.accessToken(user, "withings", null)).isEqualTo(grant.accessToken());
        assertThat(withings.refreshCalls()).isZero();
        assertThat(directory.find(user, "withings")).hasValueSatisfying(ref ->
                assertThat(ref.providerUserId()).isEqualTo(grant.providerUserId()));
        assertThat(directory.byProviderUser("withings", grant.providerUserId())).hasValueSatisfying(ref ->
                assertThat(ref.userId()).isEqualTo(user));
        assertThat(directory.maySync(user, "withings")).isTrue();
        assertThat(directory.find("nobody-" + UUID.randomUUID(), "withings")).isEmpty();
        assertThat(directory.maySync("nobody-" + UUID.randomUUID(), "withings")).isFalse();
    }

    @Test
    void twoReplicasAskingAtOnceMakeOneRefreshAndGetTheSameNewToken() throws Exception {
        String user = expiringConnection();
        TokenGrant original = withings.lastGrant();
        withings.refreshDelay(Duration.ofMillis(700));

        CyclicBarrier start = new CyclicBarrier(2);
        List<CompletableFuture<String>> askers = new ArrayList<>();
        List<Long> tookMillis = new java.util.concurrent.CopyOnWriteArrayList<>();
        for (int i = 0; i < 2; i++) {
            askers.add(CompletableFuture.supplyAsync(() -> {
                try {
                    start.await(10, TimeUnit.SECONDS);
                    long began = System.nanoTime();
                    String token = directory.accessToken(user, "withings", null);
                    tookMillis.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began));
                    return token;
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }));
        }
        List<String> tokens = new ArrayList<>();
        for (CompletableFuture<String> asker : askers) {
            tokens.add(asker.get(60, TimeUnit.SECONDS));
        }

        // Both saw the token expiring and went for the lock: each waited for the one (slow) refresh.
        assertThat(tookMillis).hasSize(2).allSatisfy(ms -> assertThat(ms).isGreaterThanOrEqualTo(600));
        assertThat(withings.refreshCalls()).isEqualTo(1);
        assertThat(withings.refreshedWith()).containsExactly(original.refreshToken());
        TokenGrant refreshed = withings.lastGrant();
        assertThat(tokens).containsExactly(refreshed.accessToken(), refreshed.accessToken());
        // The rotated refresh token was saved with the access token (one statement, one commit).
        Map<String, Object> row = KitDb.connection(user, "withings");
        assertThat(cipher.decrypt((byte[]) row.get("access_token"), TokenContexts.access(user, "withings")))
                .isEqualTo(refreshed.accessToken());
        assertThat(storedRefreshToken(user)).isEqualTo(refreshed.refreshToken()).isNotEqualTo(original.refreshToken());
        assertThat(((java.sql.Timestamp) row.get("access_expires_at")).toInstant())
                .isAfter(java.time.Instant.now().plus(Duration.ofHours(2)));
        // Fresh now: no further refresh.
        assertThat(directory.accessToken(user, "withings", null)).isEqualTo(refreshed.accessToken());
        assertThat(withings.refreshCalls()).isEqualTo(1);
    }

    @Test
    void aTokenTheProviderRefusedIsRefreshedOnceEvenWhenNotExpiring() throws Exception {
        String user = "user-" + UUID.randomUUID();
        connect(user);
        String refused = withings.lastGrant().accessToken();

        String renewed = directory.accessToken(user, "withings", refused);

        assertThat(renewed).isNotEqualTo(refused).isEqualTo(withings.lastGrant().accessToken());
        assertThat(withings.refreshCalls()).isEqualTo(1);
        // A replica that still holds the old refused token gets the new one, no second refresh.
        assertThat(directory.accessToken(user, "withings", refused)).isEqualTo(renewed);
        assertThat(withings.refreshCalls()).isEqualTo(1);
    }

    @Test
    void aRefreshTokenThatDoesNotRotateIsKept() throws Exception {
        String user = expiringConnection();
        String refresh = withings.lastGrant().refreshToken();
        withings.rotateRefreshToken(false);

        directory.accessToken(user, "withings", null);

        assertThat(storedRefreshToken(user)).isEqualTo(refresh);
    }

    @Test
    void aRefusedRefreshExpiresTheConnectionReportsItAndStopsSyncing() {
        String user = expiringConnection();
        withings.failRefresh(new ProviderException(ProviderException.Kind.GRANT_REFUSED, "invalid refresh token"));

        assertThatThrownBy(() -> directory.accessToken(user, "withings", null))
                .isInstanceOfSatisfying(ProviderException.class, e ->
                        assertThat(e.kind()).isEqualTo(ProviderException.Kind.GRANT_REFUSED));

        assertThat(KitDb.connection(user, "withings").get("state")).isEqualTo("token_expired");
        assertThat(directory.maySync(user, "withings")).isFalse();
        List<ConnectionStatus> reports = reports(user, "withings");
        assertThat(reports).last().satisfies(status -> {
            assertThat(status.state()).isEqualTo(ConnectionState.TOKEN_EXPIRED);
            assertThat(status.reason()).contains("connect the source again");
        });
        // Expired stays expired: no more refresh calls, and a sync's late report cannot revive it.
        assertThatThrownBy(() -> directory.accessToken(user, "withings", null)).isInstanceOf(ProviderException.class);
        assertThat(withings.refreshCalls()).isEqualTo(1);
        directory.report(user, "withings", ConnectionState.SYNCING, null, null, null, null);
        assertThat(KitDb.connection(user, "withings").get("state")).isEqualTo("token_expired");
        // A new connect renews it.
        connect(user);
        assertThat(directory.maySync(user, "withings")).isTrue();
    }

    @Test
    void aProviderOutageDuringRefreshChangesNothing() {
        String user = expiringConnection();
        String refresh = withings.lastGrant().refreshToken();
        withings.failRefresh(new ProviderException(ProviderException.Kind.UNAVAILABLE, "Withings is down"));

        assertThatThrownBy(() -> directory.accessToken(user, "withings", null))
                .isInstanceOfSatisfying(ProviderException.class, e ->
                        assertThat(e.kind()).isEqualTo(ProviderException.Kind.UNAVAILABLE));

        assertThat(KitDb.connection(user, "withings").get("state")).isEqualTo("backfilling");
        assertThat(storedRefreshToken(user)).isEqualTo(refresh);
        assertThat(directory.maySync(user, "withings")).isTrue();
    }

    @Test
    void reportsAreStoredAndPublishedWithTheirTimes() {
        String user = "user-" + UUID.randomUUID();
        connect(user);
        OffsetDateTime last = OffsetDateTime.parse("2026-11-26T10:00:00Z");
        OffsetDateTime next = OffsetDateTime.parse("2026-11-26T11:00:00Z");

        directory.report(user, "withings", ConnectionState.BACKFILLING, 0.5, "ignored for backfilling", null, null);
        directory.report(user, "withings", ConnectionState.CONNECTED, 0.9, null, last, next);
        directory.report(user, "withings", ConnectionState.ERROR, null, "Withings answered 500", null, null);

        List<ConnectionStatus> reports = reports(user, "withings");
        assertThat(reports).extracting(ConnectionStatus::state).containsExactly(ConnectionState.BACKFILLING,
                ConnectionState.BACKFILLING, ConnectionState.CONNECTED, ConnectionState.ERROR);
        assertThat(reports.get(1).progress()).isEqualTo(0.5);
        assertThat(reports.get(1).reason()).isNull();
        assertThat(reports.get(2).progress()).isNull();
        assertThat(reports.get(2).lastSuccessfulSync().toInstant()).isEqualTo(last.toInstant());
        assertThat(reports.get(3).reason()).isEqualTo("Withings answered 500");
        // Null times keep the stored ones; updatedAt only grows.
        assertThat(reports.get(3).lastSuccessfulSync().toInstant()).isEqualTo(last.toInstant());
        assertThat(reports.get(3).nextSync().toInstant()).isEqualTo(next.toInstant());
        for (int i = 1; i < reports.size(); i++) {
            assertThat(reports.get(i).updatedAt()).isAfter(reports.get(i - 1).updatedAt());
        }
        assertThat(directory.maySync(user, "withings")).isTrue();
    }
}
