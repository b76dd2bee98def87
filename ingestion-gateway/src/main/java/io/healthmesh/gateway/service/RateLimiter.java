package io.healthmesh.gateway.service;

import io.healthmesh.gateway.config.GatewayConfig;
import io.healthmesh.gateway.repository.RateLimitRepository;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.time.Instant;
import java.util.OptionalLong;
import org.jboss.logging.Logger;

/**
 * The per-user rate limit: a fixed window ({@code healthmesh.gateway.rate-limit.window}) of at
 * most {@code requests} calls, counted in PostgreSQL so that every replica shares one budget.
 */
@ApplicationScoped
public class RateLimiter {

    private static final Logger LOG = Logger.getLogger(RateLimiter.class);

    private final RateLimitRepository windows;
    private final GatewayConfig.RateLimit settings;
    private final Clock clock;

    public RateLimiter(RateLimitRepository windows, GatewayConfig config) {
        this.windows = windows;
        this.settings = config.rateLimit();
        this.clock = Clock.systemUTC();
    }

    public boolean enabled() {
        return settings.enabled();
    }

    /**
     * Counts a request of the user; answers empty when it is within the budget, else the seconds
     * until the window ends (for Retry-After).
     */
    public Uni<OptionalLong> admit(String userId) {
        long windowMillis = settings.window().toMillis();
        long now = clock.millis();
        long start = now - Math.floorMod(now, windowMillis);
        return windows.count(userId, Instant.ofEpochMilli(start)).map(count -> {
            if (count <= settings.requests()) {
                return OptionalLong.empty();
            }
            long secondsLeft = Math.max(1, (start + windowMillis - now + 999) / 1000);
            return OptionalLong.of(secondsLeft);
        });
    }

    void forgetOldWindows(@Observes StartupEvent started, Vertx vertx) {
        long every = Math.max(settings.window().toMillis(), 60_000);
        vertx.setPeriodic(every, tick -> windows.forgetBefore(Instant.ofEpochMilli(clock.millis() - 2 * every))
                .subscribe().with(deleted -> { }, e -> LOG.warnf("Could not delete old rate-limit windows: %s",
                        e.getMessage())));
    }
}
