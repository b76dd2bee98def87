package io.healthmesh.gateway.repository;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/** Request counts per user and window in PostgreSQL: every gateway replica counts into the same row. */
@ApplicationScoped
public class RateLimitRepository {

    private static final String COUNT = """
            INSERT INTO rate_limit_window (user_id, window_start, requests) VALUES ($1, $2, 1)
            ON CONFLICT (user_id, window_start) DO UPDATE SET requests = rate_limit_window.requests + 1
            RETURNING requests
            """;
    private static final String FORGET = "DELETE FROM rate_limit_window WHERE window_start < $1";

    private final Pool pool;

    public RateLimitRepository(Pool pool) {
        this.pool = pool;
    }

    /** Counts one request of the user in the window starting at {@code windowStart}; answers the window's count. */
    public Uni<Integer> count(String userId, Instant windowStart) {
        return pool.preparedQuery(COUNT)
                .execute(Tuple.of(userId, OffsetDateTime.ofInstant(windowStart, ZoneOffset.UTC)))
                .map(rows -> rows.iterator().next().getInteger("requests"));
    }

    /** Deletes the windows that started before {@code before}. */
    public Uni<Integer> forgetBefore(Instant before) {
        return pool.preparedQuery(FORGET)
                .execute(Tuple.of(OffsetDateTime.ofInstant(before, ZoneOffset.UTC)))
                .map(rows -> rows.rowCount());
    }
}
