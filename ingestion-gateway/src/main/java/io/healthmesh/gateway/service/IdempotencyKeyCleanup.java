package io.healthmesh.gateway.service;

import io.healthmesh.gateway.config.GatewayConfig;
import io.healthmesh.gateway.repository.IdempotencyKeyRepository;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

/**
 * Deletes expired Idempotency-Key records every {@code healthmesh.gateway.push.idempotency.cleanup-interval}.
 * Every replica runs it: each deletes chunks of expired rows that no one else holds locked
 * ({@code FOR UPDATE SKIP LOCKED}), so replicas neither wait on nor disturb each other.
 */
@ApplicationScoped
public class IdempotencyKeyCleanup {

    private static final Logger LOG = Logger.getLogger(IdempotencyKeyCleanup.class);
    static final int CHUNK = 1000;

    private final IdempotencyKeyRepository keys;
    private final GatewayConfig.Push.Idempotency settings;

    public IdempotencyKeyCleanup(IdempotencyKeyRepository keys, GatewayConfig config) {
        this.keys = keys;
        this.settings = config.push().idempotency();
    }

    void start(@Observes StartupEvent started, Vertx vertx) {
        vertx.setPeriodic(settings.cleanupInterval().toMillis(), tick -> deleteExpired()
                .subscribe().with(deleted -> {
                    if (deleted > 0) {
                        LOG.debugf("Deleted %d expired Idempotency-Key records", deleted);
                    }
                }, e -> LOG.warnf("Could not delete expired Idempotency-Key records: %s", e.getMessage())));
    }

    /** Deletes expired keys chunk by chunk until a chunk comes back short; answers how many. */
    public Uni<Integer> deleteExpired() {
        return deleteFrom(0);
    }

    private Uni<Integer> deleteFrom(int deletedSoFar) {
        return keys.deleteExpired(CHUNK).chain(deleted -> deleted < CHUNK
                ? Uni.createFrom().item(deletedSoFar + deleted)
                : deleteFrom(deletedSoFar + deleted));
    }
}
