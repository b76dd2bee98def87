package io.healthmesh.connector.lock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.healthmesh.connector.testing.KitStackResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(KitStackResource.class)
class ClusterLockTest {

    @Inject
    Pool pool;

    @Test
    void twoReplicasNeverWorkUnderTheSameLockAtOnceAndTheSecondSeesTheFirstsWork() throws Exception {
        // Two instances over one pool stand for two replicas: the lock is PostgreSQL's, not the JVM's.
        ClusterLock first = new ClusterLock(pool);
        ClusterLock second = new ClusterLock(pool);
        String name = "test-" + UUID.randomUUID();
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        List<Integer> order = new ArrayList<>();
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (ClusterLock lock : List.of(first, second)) {
                results.add(threads.submit(() -> lock.exclusively(name, Duration.ofSeconds(20), () -> {
                    most.accumulateAndGet(inside.incrementAndGet(), Math::max);
                    int seen;
                    synchronized (order) {
                        seen = order.size();
                        order.add(seen);
                    }
                    Thread.sleep(300);
                    inside.decrementAndGet();
                    return seen;
                })));
            }
            assertThat(List.of(results.get(0).get(), results.get(1).get())).containsExactlyInAnyOrder(0, 1);
        } finally {
            threads.shutdownNow();
        }
        assertThat(most.get()).isEqualTo(1);
    }

    @Test
    void aLockHeldLongerThanTheWaitIsNotAcquiredAndOtherNamesAreFree() throws Exception {
        ClusterLock lock = new ClusterLock(pool);
        String name = "test-" + UUID.randomUUID();
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService thread = Executors.newSingleThreadExecutor();
        try {
            Future<?> holder = thread.submit(() -> lock.exclusively(name, Duration.ofSeconds(5), () -> {
                held.countDown();
                return release.await(20, TimeUnit.SECONDS);
            }));
            assertThat(held.await(10, TimeUnit.SECONDS)).isTrue();

            assertThatThrownBy(() -> lock.exclusively(name, Duration.ofMillis(300), () -> "never"))
                    .isInstanceOf(ClusterLock.NotAcquiredException.class);
            assertThat(lock.exclusively("other-" + name, Duration.ofMillis(300), () -> "free")).isEqualTo("free");

            release.countDown();
            holder.get(10, TimeUnit.SECONDS);
            assertThat(lock.exclusively(name, Duration.ofSeconds(5), () -> "after")).isEqualTo("after");
        } finally {
            thread.shutdownNow();
        }
    }
}
