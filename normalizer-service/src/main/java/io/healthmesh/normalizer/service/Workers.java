package io.healthmesh.normalizer.service;

import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import java.util.concurrent.Executor;

/** Where a raw read's CPU work runs: on the worker pool, its answer back on the caller's context. */
final class Workers {

    private Workers() {
    }

    /**
     * {@code work} run on {@code executor} (null: where it is subscribed), its item emitted on
     * {@code caller} (null: where it was made), so the connection's event loop only does I/O and
     * the read goes on where it started.
     */
    static <T> Uni<T> on(Executor executor, Context caller, Uni<T> work) {
        if (executor == null) {
            return work;
        }
        Uni<T> moved = work.runSubscriptionOn(executor);
        return caller == null ? moved : moved.emitOn(command -> caller.runOnContext(ignored -> command.run()));
    }
}
