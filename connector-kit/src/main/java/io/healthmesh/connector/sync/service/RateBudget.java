package io.healthmesh.connector.sync.service;

import io.healthmesh.connector.sync.config.SyncConfig;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The provider's app-wide request budget (Withings: 120 requests in any sliding 60 s), shared by
 * every replica through PostgreSQL: one row per granted request in {@code rate_request}. A grant
 * takes the source's advisory lock in a transaction, drops the rows that left the window, counts
 * the rest and inserts one at the database's clock if there is room; otherwise the caller sleeps
 * until the oldest row leaves the window and tries again. The lock serializes grants of a source
 * across every replica (and every instance in one JVM), so no window ever holds more than the limit.
 *
 * <p>The window is widened by {@link #MARGIN} so that requests granted at the limit's edge still
 * fit the provider's window when they reach it a little later than the database granted them.
 *
 * <p>When the provider answers "slow down" anyway, {@link #pause} holds every request of the
 * source, on every replica, for as long as it asked ({@code rate_pause}), with or without a limit.
 */
@ApplicationScoped
public class RateBudget {

    /** Slack against the time between a grant and the request reaching the provider. */
    static final Duration MARGIN = Duration.ofMillis(250);
    private static final Duration DB_TIMEOUT = Duration.ofSeconds(10);

    private static final String LOCK = "SELECT pg_advisory_xact_lock(hashtext('healthmesh.rate-budget'), hashtext($1))";
    private static final String FORGET = """
            DELETE FROM rate_request WHERE source = $1 AND at <= clock_timestamp() - $2 * interval '1 millisecond'
            """;
    private static final String COUNT = """
            SELECT count(*) AS used,
                   (extract(epoch FROM (min(at) + $2 * interval '1 millisecond' - clock_timestamp())) * 1000)::bigint
                       AS wait_ms
            FROM rate_request WHERE source = $1
            """;
    private static final String TAKE = "INSERT INTO rate_request (source, at) VALUES ($1, clock_timestamp()) RETURNING at";
    private static final String PAUSED = """
            SELECT (extract(epoch FROM (until - clock_timestamp())) * 1000)::bigint AS wait_ms
            FROM rate_pause WHERE source = $1 AND until > clock_timestamp()
            """;
    private static final String PAUSE = """
            INSERT INTO rate_pause (source, until) VALUES ($1, clock_timestamp() + $2 * interval '1 millisecond')
            ON CONFLICT (source) DO UPDATE SET until = greatest(rate_pause.until, excluded.until)
            """;

    private final Pool pool;
    private final int requests;
    private final Duration window;

    @Inject
    public RateBudget(Pool pool, SyncConfig config) {
        this(pool, checked(config).requests().orElse(0), config.rateLimit().window().orElse(null));
    }

    private static SyncConfig.RateLimit checked(SyncConfig config) {
        SyncConfig.RateLimit limit = config.rateLimit();
        if (limit.requests().isPresent() != limit.window().isPresent()) {
            throw new IllegalStateException("healthmesh.connector.rate-limit.requests and .window go together; "
                    + "set both (Withings: 120 and 60s) or neither (no limit)");
        }
        return limit;
    }

    /** A budget of {@code requests} per sliding {@code window}; {@code requests <= 0} means no limit. */
    public RateBudget(Pool pool, int requests, Duration window) {
        this.pool = pool;
        this.requests = requests;
        this.window = window;
        if (requests > 0 && (window == null || window.isNegative() || window.isZero())) {
            throw new IllegalArgumentException("A rate limit needs a positive window");
        }
    }

    public boolean limited() {
        return requests > 0;
    }

    /**
     * Takes one request of the source's budget, waiting as long as it takes.
     *
     * @return when the request was granted (the database's clock; now when there is no limit)
     */
    public Instant acquire(String source) throws InterruptedException {
        if (!limited()) {
            // No budget to count in, but a provider's "slow down" holds here too.
            long wait;
            while ((wait = pausedMillis(source)) > 0) {
                Thread.sleep(wait + ThreadLocalRandom.current().nextLong(10));
            }
            return Instant.now();
        }
        while (true) {
            Grant grant = tryAcquire(source);
            if (grant.at() != null) {
                return grant.at();
            }
            // Everyone waiting wakes when the oldest grant leaves the window; a little jitter spreads them.
            Thread.sleep(Math.max(1, grant.waitMillis()) + ThreadLocalRandom.current().nextLong(10));
        }
    }

    /**
     * The provider said to slow down: nobody of this source gets a request for {@code wait} (an
     * earlier, longer pause stands), on every replica.
     */
    public void pause(String source, Duration wait) {
        if (wait == null || wait.isNegative() || wait.isZero()) {
            return;
        }
        pool.withTransaction(connection -> connection.preparedQuery(LOCK).execute(Tuple.of(source))
                        .chain(() -> connection.preparedQuery(PAUSE).execute(Tuple.of(source, wait.toMillis()))))
                .await().atMost(DB_TIMEOUT);
    }

    private long pausedMillis(String source) {
        return pool.preparedQuery(PAUSED).execute(Tuple.of(source))
                .map(rows -> rows.size() == 0 ? 0L : Math.max(1L, rows.iterator().next().getLong("wait_ms")))
                .await().atMost(DB_TIMEOUT);
    }

    private record Grant(Instant at, long waitMillis) {
    }

    private Grant tryAcquire(String source) {
        long span = window.plus(MARGIN).toMillis();
        Uni<Grant> attempt = pool.withTransaction(connection -> connection.preparedQuery(LOCK).execute(Tuple.of(source))
                .chain(() -> connection.preparedQuery(PAUSED).execute(Tuple.of(source)))
                .chain(paused -> paused.size() > 0
                        ? Uni.createFrom().item(new Grant(null, paused.iterator().next().getLong("wait_ms")))
                        : grantIn(connection, source, span)));
        return attempt.await().atMost(DB_TIMEOUT);
    }

    private Uni<Grant> grantIn(SqlConnection connection, String source, long span) {
        return connection.preparedQuery(FORGET).execute(Tuple.of(source, span))
                .chain(() -> connection.preparedQuery(COUNT).execute(Tuple.of(source, span)))
                .chain(rows -> {
                    Row row = rows.iterator().next();
                    if (row.getLong("used") >= requests) {
                        Long wait = row.getLong("wait_ms");
                        return Uni.createFrom().item(new Grant(null, wait == null ? 1 : wait));
                    }
                    return connection.preparedQuery(TAKE).execute(Tuple.of(source)).map(taken ->
                            new Grant(taken.iterator().next().getOffsetDateTime("at").toInstant(), 0));
                });
    }
}
