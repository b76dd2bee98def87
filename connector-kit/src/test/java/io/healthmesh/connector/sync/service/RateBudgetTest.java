package io.healthmesh.connector.sync.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.healthmesh.connector.sync.SyncStackResource;
import io.healthmesh.connector.sync.SyncTestProfile;
import io.healthmesh.connector.sync.SyncTables;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.PoolOptions;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The app-wide rate budget against real PostgreSQL: three "replicas" (budget instances with pools
 * of their own, two threads each) share one limit, and no sliding window ever holds more grants
 * than it allows. Checked strictly on the grant times (the database's clock, the one clock all
 * replicas share), and on the callers' clock with a tolerance for threads that stall between the
 * grant and noting its time (the test machine is shared and often loaded).
 */
@QuarkusTest
@TestProfile(SyncTestProfile.class)
class RateBudgetTest {

    private static final int LIMIT = 20;
    private static final Duration WINDOW = Duration.ofSeconds(2);
    private static final int REQUESTS = 300;
    /** How long a caller may stall between its grant and noting the time, on a loaded machine. */
    private static final Duration CALLER_STALL = Duration.ofSeconds(1);

    @Inject
    Vertx vertx;

    @BeforeEach
    void empty() {
        SyncTables.reset();
    }

    @Test
    void threeReplicasTogetherNeverExceedTheLimitInAnySlidingWindow() throws Exception {
        String source = "rate-test-" + UUID.randomUUID();
        List<Pool> pools = new ArrayList<>();
        List<RateBudget> replicas = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Pool pool = ownPool();
            pools.add(pool);
            RateBudget budget = new RateBudget(pool, LIMIT, WINDOW);
            budget.acquire("warm-up-" + UUID.randomUUID());
            replicas.add(budget);
        }
        List<Long> callerNanos = Collections.synchronizedList(new ArrayList<>());
        List<Instant> grants = Collections.synchronizedList(new ArrayList<>());
        ExecutorService threads = Executors.newFixedThreadPool(6);
        long started = System.nanoTime();
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 6; t++) {
                RateBudget budget = replicas.get(t % 3);
                done.add(threads.submit(() -> {
                    for (int i = 0; i < REQUESTS / 6; i++) {
                        grants.add(budget.acquire(source));
                        callerNanos.add(System.nanoTime());
                    }
                    return null;
                }));
            }
            for (Future<?> future : done) {
                future.get(3, TimeUnit.MINUTES);
            }
        } finally {
            threads.shutdownNow();
            pools.forEach(Pool::closeAndAwait);
        }
        long elapsed = System.nanoTime() - started;
        System.out.printf("RateBudgetTest: %d grants in %d ms%n", REQUESTS, elapsed / 1_000_000);

        assertThat(grants).hasSize(REQUESTS);
        List<Long> callerTimes = new ArrayList<>(callerNanos);
        Collections.sort(callerTimes);
        List<Long> dbTimes = new ArrayList<>(grants.stream().map(at -> at.getEpochSecond() * 1_000_000_000L + at.getNano())
                .toList());
        Collections.sort(dbTimes);
        assertEveryWindowHoldsAtMostTheLimit("grant times", dbTimes, WINDOW);
        assertEveryWindowHoldsAtMostTheLimit("callers' clock", callerTimes, WINDOW.minus(CALLER_STALL));
        // 300 grants at 20 per window need at least 14 full windows after the first 20, and not much more.
        assertThat(Duration.ofNanos(elapsed)).isGreaterThanOrEqualTo(WINDOW.multipliedBy(REQUESTS / LIMIT - 1))
                .isLessThan(WINDOW.plus(RateBudget.MARGIN).multipliedBy(REQUESTS / LIMIT + 8));
    }

    @Test
    void withoutALimitEveryRequestIsGrantedAtOnce() throws Exception {
        Pool pool = ownPool();
        try {
            RateBudget unlimited = new RateBudget(pool, 0, null);
            unlimited.acquire("warm-up");
            long started = System.nanoTime();
            for (int i = 0; i < 200; i++) {
                unlimited.acquire("anything");
            }
            // 200 grants without a wait: far less than one 2 s window, even on a loaded machine.
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(WINDOW.multipliedBy(5));
        } finally {
            pool.closeAndAwait();
        }
    }

    @Test
    void aPauseHoldsEveryReplicaOfTheSourceWithOrWithoutALimit() throws Exception {
        String source = "pause-test-" + UUID.randomUUID();
        Pool first = ownPool();
        Pool second = ownPool();
        try {
            RateBudget limited = new RateBudget(first, LIMIT, WINDOW);
            RateBudget otherReplica = new RateBudget(second, LIMIT, WINDOW);
            RateBudget unlimited = new RateBudget(second, 0, null);
            Instant before = SyncTables.dbNow();
            limited.pause(source, Duration.ofSeconds(3));
            limited.pause(source, Duration.ofMillis(100)); // a shorter pause does not cut the longer one

            Instant granted = otherReplica.acquire(source);
            assertThat(granted).isAfterOrEqualTo(before.plusSeconds(3));
            long started = System.nanoTime();
            otherReplica.pause(source, Duration.ofSeconds(2));
            unlimited.acquire(source);
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(1500));
            // Other sources are not held.
            long other = System.nanoTime();
            otherReplica.pause(source, Duration.ofSeconds(30));
            limited.acquire("other-" + source);
            assertThat(Duration.ofNanos(System.nanoTime() - other)).isLessThan(Duration.ofSeconds(10));
        } finally {
            first.closeAndAwait();
            second.closeAndAwait();
        }
    }

    /** With the grants sorted, any LIMIT + 1 consecutive ones must span at least {@code window}. */
    private static void assertEveryWindowHoldsAtMostTheLimit(String clock, List<Long> sortedNanos, Duration window) {
        for (int i = 0; i + LIMIT < sortedNanos.size(); i++) {
            long span = sortedNanos.get(i + LIMIT) - sortedNanos.get(i);
            assertThat(span)
                    .as("%s: grants %d..%d (%d of them) fall within %d ms", clock, i, i + LIMIT, LIMIT + 1,
                            span / 1_000_000)
                    .isGreaterThanOrEqualTo(window.toNanos());
        }
    }

    private Pool ownPool() {
        PgConnectOptions connect = PgConnectOptions.fromUri(SyncStackResource.reactiveUrl())
                .setUser(SyncStackResource.role()).setPassword(SyncStackResource.role());
        return Pool.pool(vertx, connect, new PoolOptions().setMaxSize(2));
    }
}
