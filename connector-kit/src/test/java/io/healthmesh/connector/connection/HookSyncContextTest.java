package io.healthmesh.connector.connection;

import static org.assertj.core.api.Assertions.assertThat;

import io.healthmesh.connector.sync.service.RateBudget;
import io.healthmesh.connector.testing.KitStackResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Connect and disconnect hooks call the provider too, so their requests wait on the same shared budget. */
@QuarkusTest
@WithTestResource(KitStackResource.class)
class HookSyncContextTest {

    @Inject
    RateBudget budget;

    @Test
    void aHookRequestWaitsWhileTheProviderAskedTheAppToSlowDown() throws Exception {
        String source = "hook-test-" + UUID.randomUUID();
        HookSyncContext context = new HookSyncContext(null, budget, "user-1", source, "provider-user-1");
        context.beforeRequest(); // nothing holds the source yet

        budget.pause(source, Duration.ofMillis(1500));
        long started = System.nanoTime();
        context.beforeRequest();

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(1400));
    }
}
