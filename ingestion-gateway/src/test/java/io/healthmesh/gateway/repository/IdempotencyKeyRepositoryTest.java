package io.healthmesh.gateway.repository;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.healthmesh.gateway.domain.IdempotencyClaim;
import io.healthmesh.gateway.service.IdempotencyKeyCleanup;
import io.healthmesh.testsupport.RealStackResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Claims of Idempotency-Keys in the real PostgreSQL, as several replicas would make them. */
@QuarkusTest
@WithTestResource(RealStackResource.class)
class IdempotencyKeyRepositoryTest {

    private static final Duration DAY = Duration.ofHours(24);
    private static final Duration MINUTE = Duration.ofMinutes(1);
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final byte[] BODY = "hash-of-a".getBytes(StandardCharsets.UTF_8);
    private static final byte[] OTHER_BODY = "hash-of-b".getBytes(StandardCharsets.UTF_8);

    @Inject
    IdempotencyKeyRepository keys;

    @Inject
    IdempotencyKeyCleanup cleanup;

    @Inject
    Pool pool;

    private static String user() {
        return "idem-" + UUID.randomUUID();
    }

    private IdempotencyClaim claim(String user, String key, byte[] hash, Duration retention, Duration claimTimeout) {
        return keys.claim(user, key, hash, retention, claimTimeout).await().atMost(WAIT);
    }

    private long rows(String user) {
        return pool.preparedQuery("SELECT count(*) AS n FROM idempotency_key WHERE user_id = $1")
                .execute(Tuple.of(user)).await().atMost(WAIT).iterator().next().getLong("n");
    }

    @Test
    void concurrentClaimsOfOneKeyMakeExactlyOneOwner() {
        String user = user();
        List<Uni<IdempotencyClaim>> claims = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            claims.add(keys.claim(user, "k", BODY, DAY, MINUTE));
        }

        List<IdempotencyClaim> results = Uni.join().all(claims).andFailFast().await().atMost(WAIT);

        assertEquals(1, results.stream().filter(IdempotencyClaim.Claimed.class::isInstance).count(), results.toString());
        assertEquals(7, results.stream().filter(IdempotencyClaim.InFlight.class::isInstance).count(), results.toString());
    }

    @Test
    void aCompletedKeyAnswersItsStoredResponseToTheSameBodyOnly() {
        String user = user();
        IdempotencyClaim.Claimed first = assertInstanceOf(IdempotencyClaim.Claimed.class,
                claim(user, "k", BODY, DAY, MINUTE));
        assertTrue(keys.complete(user, "k", first.claimId(), 202, "{\"accepted\":1}").await().atMost(WAIT));

        assertEquals(new IdempotencyClaim.Completed(202, "{\"accepted\":1}"), claim(user, "k", BODY, DAY, MINUTE));
        assertInstanceOf(IdempotencyClaim.OtherBody.class, claim(user, "k", OTHER_BODY, DAY, MINUTE));
        assertInstanceOf(IdempotencyClaim.Claimed.class, claim(user, "other-key", OTHER_BODY, DAY, MINUTE));
    }

    @Test
    void aReleasedClaimCanBeClaimedAgainAndOnlyItsOwnerReleasesIt() {
        String user = user();
        IdempotencyClaim.Claimed first = assertInstanceOf(IdempotencyClaim.Claimed.class,
                claim(user, "k", BODY, DAY, MINUTE));
        assertFalse(keys.release(user, "k", UUID.randomUUID()).await().atMost(WAIT), "not the owner");
        assertInstanceOf(IdempotencyClaim.InFlight.class, claim(user, "k", BODY, DAY, MINUTE));

        assertTrue(keys.release(user, "k", first.claimId()).await().atMost(WAIT));

        IdempotencyClaim.Claimed second = assertInstanceOf(IdempotencyClaim.Claimed.class,
                claim(user, "k", BODY, DAY, MINUTE));
        assertNotEquals(first.claimId(), second.claimId());
        assertFalse(keys.complete(user, "k", first.claimId(), 202, "{}").await().atMost(WAIT),
                "a claim taken over cannot be completed by its former owner");
    }

    @Test
    void anUnfinishedClaimIsTakenOverAfterTheClaimTimeoutBySameBodyOnly() {
        String user = user();
        assertInstanceOf(IdempotencyClaim.Claimed.class, claim(user, "k", BODY, DAY, MINUTE));

        // A claim timeout of zero: the first claim counts as abandoned (its replica died).
        assertInstanceOf(IdempotencyClaim.OtherBody.class, claim(user, "k", OTHER_BODY, DAY, Duration.ZERO));
        assertInstanceOf(IdempotencyClaim.Claimed.class, claim(user, "k", BODY, DAY, Duration.ZERO));
    }

    @Test
    void anExpiredKeyIsANewKeyAndTheCleanupDeletesOnlyExpiredOnes() {
        String user = user();
        IdempotencyClaim.Claimed old = assertInstanceOf(IdempotencyClaim.Claimed.class,
                claim(user, "old", BODY, Duration.ZERO, MINUTE));
        assertTrue(keys.complete(user, "old", old.claimId(), 202, "{}").await().atMost(WAIT));
        IdempotencyClaim.Claimed kept = assertInstanceOf(IdempotencyClaim.Claimed.class,
                claim(user, "kept", BODY, DAY, MINUTE));
        assertTrue(keys.complete(user, "kept", kept.claimId(), 202, "{}").await().atMost(WAIT));

        // Retention zero: expired at once, so even another body may use the key now.
        assertInstanceOf(IdempotencyClaim.Claimed.class, claim(user, "old", OTHER_BODY, Duration.ZERO, MINUTE));
        assertEquals(2, rows(user));

        assertTrue(cleanup.deleteExpired().await().atMost(WAIT) >= 1);

        assertEquals(1, rows(user));
        assertEquals(new IdempotencyClaim.Completed(202, "{}"), claim(user, "kept", BODY, DAY, MINUTE));
    }
}
