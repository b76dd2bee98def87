package io.healthmesh.connector.sync.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Settings of the kit's sync side. Only keys under {@code healthmesh.connector.sync} and
 * {@code healthmesh.connector.rate-limit}; the connections side of the kit owns the others.
 */
@ConfigMapping(prefix = "healthmesh.connector")
public interface SyncConfig {

    Sync sync();

    /** The provider's app-wide request budget, shared by every replica (none set: unlimited). */
    RateLimit rateLimit();

    interface Sync {

        /** Whether this replica runs sync work; false: it still queues work (connects, notifications). */
        @WithDefault("true")
        boolean enabled();

        /** Time between incremental syncs of one connection. */
        @WithDefault("1h")
        Duration interval();

        /** How far back the backfill on connect reaches. */
        @WithDefault("90")
        int backfillDays();

        /** How long a claimed task stays with its replica without a heartbeat. */
        @WithDefault("60s")
        Duration lease();

        /** How often a replica renews its leases and looks for work. */
        @WithDefault("2s")
        Duration pollInterval();

        /** Tasks one replica runs at the same time. */
        @WithDefault("2")
        int concurrentTasks();

        /** Claims of one task (provider outages, broker outages, replica deaths) before it fails. */
        @WithDefault("8")
        int maxAttempts();

        /** Wait before a failed attempt is retried: base * 2^(attempt - 1), at most max. */
        Backoff backoff();
    }

    interface Backoff {

        @WithDefault("30s")
        Duration base();

        @WithDefault("30m")
        Duration max();
    }

    interface RateLimit {

        /** Requests allowed in any sliding {@link #window()} (Withings: 120). */
        OptionalInt requests();

        /** The sliding window (Withings: 60s). */
        Optional<Duration> window();
    }
}
