package io.healthmesh.gateway.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** The gateway's own settings ({@code healthmesh.gateway.*}); auth keys are smallrye-jwt's {@code mp.jwt.*}. */
@ConfigMapping(prefix = "healthmesh.gateway")
public interface GatewayConfig {

    /** Request body limits per kind of route. */
    Limits limits();

    /** The per-user rate limit, counted in PostgreSQL so every replica shares it. */
    RateLimit rateLimit();

    /** Calls to the internal services. */
    Downstream downstream();

    /** Tokens minted by {@code POST /api/v1/dev/token} (only with {@code healthmesh.dev-tokens} on). */
    DevTokens devTokens();

    /** The push API, {@code POST /api/v1/readings}. */
    Push push();

    interface Limits {
        /** Largest JSON body of an ordinary route (preferences, mappings). */
        @WithDefault("65536")
        long jsonBytes();

        /** Largest push batch body ({@code POST /api/v1/readings}). */
        @WithDefault("5242880")
        long pushBytes();

        /** Largest upload streamed through to file-import (its own limit applies as well). */
        @WithDefault("8589934592")
        long uploadBytes();

        /** Largest provider webhook or notification body. */
        @WithDefault("1048576")
        long webhookBytes();
    }

    interface RateLimit {
        @WithDefault("true")
        boolean enabled();

        /** Requests one user may make per window, across every replica. */
        @WithDefault("600")
        int requests();

        @WithDefault("1m")
        Duration window();
    }

    interface Downstream {
        /** How long an ordinary call may take before the gateway answers 504. */
        @WithDefault("15s")
        Duration timeout();

        /** Reads of a user's data may scan a year of minute rows. */
        @WithDefault("120s")
        Duration readTimeout();

        /** Extra attempts of an idempotent call (GET, PUT, DELETE) that failed to connect or got a 502/503/504. */
        @WithDefault("2")
        int retries();

        /** Calls in the breaker's rolling window. */
        @WithDefault("10")
        int breakerWindow();

        /** How long an open breaker refuses calls before it lets one through again. */
        @WithDefault("10s")
        Duration breakerDelay();

        /** Ceiling on one upload, transfer included (GBs over a slow line), so a stalled one ends. */
        @WithDefault("6h")
        Duration uploadTimeout();
    }

    interface DevTokens {
        @WithDefault("12h")
        Duration lifespan();
    }

    interface Push {
        /** Most readings in one batch; a larger one is refused with 413 (split it). */
        @WithDefault("5000")
        int maxReadings();

        /**
         * How long a batch's sends may take, the broker's acknowledgement of each included, before the
         * API answers 503 (the producer's own max.block.ms and delivery.timeout.ms are 15 s too).
         */
        @WithDefault("15s")
        Duration sendTimeout();

        /** Idempotency-Key records, in PostgreSQL so that a retry reaching another replica finds them. */
        Idempotency idempotency();

        interface Idempotency {
            /** How long a key is remembered after its first use; a reuse after that is a new request. */
            @WithDefault("24h")
            Duration retention();

            /**
             * How long a claimed key counts as in flight (409 for retries) when its request never
             * finished (its replica died); after that a retry with the same body takes it over.
             */
            @WithDefault("60s")
            Duration claimTimeout();

            /** How often each replica deletes expired keys. */
            @WithDefault("10m")
            Duration cleanupInterval();
        }
    }
}
