package io.healthmesh.bench;

import io.healthmesh.contracts.validation.EventValidator;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlResult;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collector;

/**
 * The read floor: the normalizer's own metric query (UnifiedReadRepository.METRICS, same
 * parameters; kept in step with it) over the reactive PostgreSQL client it uses (Vert.x 4, from the bench JVM), with
 * the pool the normalizer gets from Quarkus (20 connections, prepared statements cached). Every
 * column the normalizer reads is decoded and read, but rows are not kept (a collector folds them),
 * so this is what PostgreSQL, the wire and row decoding cost, without the service's work.
 */
final class SqlFloor implements AutoCloseable {

    /**
     * Copied from normalizer-service UnifiedReadRepository.METRICS: rows starting from an hour
     * before the range on, in the read index's order.
     */
    static final String METRICS = """
            SELECT source, device, app, value, aggregation, start_time, end_time, utc_offset, local_date, zone, quality
            FROM unified_metric
            WHERE user_id = $1 AND metric = $2 AND start_time >= $3 AND start_time < $4 AND end_time >= $5
            ORDER BY start_time, source, device
            LIMIT $6
            """;

    /**
     * Copied from UnifiedReadRepository.LONG_METRICS: readings longer than an hour that start in the
     * month before that (their own index). The normalizer runs it first, then {@link #METRICS}.
     */
    static final String LONG_METRICS = """
            SELECT source, device, app, value, aggregation, start_time, end_time, utc_offset, local_date, zone, quality
            FROM unified_metric
            WHERE user_id = $1 AND metric = $2 AND start_time >= $3 AND start_time < $4 AND end_time >= $5
              AND end_time - start_time > interval '1 hour'
            ORDER BY start_time, source, device
            LIMIT $6
            """;

    /** The normalizer's query before (a month back in one range, for the diagnostics): the same rows. */
    static final String PREVIOUS = """
            SELECT source, device, app, value, aggregation, start_time, end_time, utc_offset, local_date, zone, quality
            FROM unified_metric
            WHERE user_id = $1 AND metric = $2 AND start_time >= $3 AND start_time < $4 AND end_time >= $5
            ORDER BY start_time, source, device
            LIMIT $6
            """;

    /** A rows-and-checksum fold, so decoding cannot be skipped. */
    record Fold(long rows, double checksum) {
    }

    private static final Collector<Row, double[], Fold> FOLD = Collector.of(() -> new double[2], (acc, row) -> {
        acc[0]++;
        String source = row.getString(0);
        String device = row.getString(1);
        String app = row.getString(2);
        double value = row.getDouble(3);
        String aggregation = row.getString(4);
        OffsetDateTime start = row.getOffsetDateTime(5);
        OffsetDateTime end = row.getOffsetDateTime(6);
        Integer offset = row.getInteger(7);
        Object localDate = row.getLocalDate(8);
        String zone = row.getString(9);
        double quality = row.getDouble(10);
        acc[1] += value + quality + offset + source.length() + aggregation.length()
                + (device == null ? 0 : device.length()) + (app == null ? 0 : app.length())
                + (zone == null ? 0 : zone.length()) + (start.toEpochSecond() & 7) + (end.getNano() & 3)
                + (localDate == null ? 0 : 1);
    }, (a, b) -> new double[] {a[0] + b[0], a[1] + b[1]}, acc -> new Fold((long) acc[0], acc[1]));

    private final Vertx vertx;
    private final Pool pool;

    /**
     * @param connectionWait how long a read may wait for a pooled connection: as long as a read may
     *     take, so a year read at c=32 queues instead of failing (the pool's 30 s default)
     */
    SqlFloor(String host, int port, String database, String user, String password, int poolSize,
            Duration connectionWait) {
        vertx = Vertx.vertx();
        PgConnectOptions connect = new PgConnectOptions().setHost(host).setPort(port).setDatabase(database)
                .setUser(user).setPassword(password).setCachePreparedStatements(true)
                .addProperty("search_path", "normalizer");
        pool = PgBuilder.pool().with(new PoolOptions().setMaxSize(poolSize)
                        .setConnectionTimeout((int) connectionWait.toSeconds()).setConnectionTimeoutUnit(TimeUnit.SECONDS))
                .connectingTo(connect).using(vertx).build();
    }

    /**
     * The rows the normalizer fetches for {@code [from, to)} (already widened by a day on each side
     * for day granularity, as the normalizer does), as it fetches them: its two queries pipelined on
     * one connection, its parameters, limit as given.
     */
    Fold fetch(String userId, String metric, Instant from, Instant to, int limit, long timeoutSeconds)
            throws Exception {
        Tuple longParams = longParams(userId, metric, from, limit);
        Tuple params = params(userId, metric, from, to, limit);
        return pool.withConnection(connection -> {
            Future<SqlResult<Fold>> longRows = connection.preparedQuery(LONG_METRICS).collecting(FOLD).execute(longParams);
            Future<SqlResult<Fold>> rows = connection.preparedQuery(METRICS).collecting(FOLD).execute(params);
            return Future.join(longRows, rows).map(done -> new Fold(longRows.result().value().rows()
                    + rows.result().value().rows(), longRows.result().value().checksum()
                    + rows.result().value().checksum()));
        }).toCompletionStage().toCompletableFuture().get(timeoutSeconds, TimeUnit.SECONDS);
    }

    /** The parameters of {@link #LONG_METRICS}, as UnifiedReadRepository sets them. */
    static Tuple longParams(String userId, String metric, Instant from, int limit) {
        return Tuple.tuple(List.of(userId, metric, utc(from.minus(EventValidator.MAX_READING_INTERVAL)),
                utc(from.minus(Duration.ofHours(1))), utc(from), limit));
    }

    /** The parameters of {@link #METRICS}, as UnifiedReadRepository sets them. */
    static Tuple params(String userId, String metric, Instant from, Instant to, int limit) {
        return Tuple.tuple(List.of(userId, metric, utc(from.minus(Duration.ofHours(1))), utc(to), utc(from), limit));
    }

    /** The parameters of {@link #PREVIOUS}. */
    static Tuple previousParams(String userId, String metric, Instant from, Instant to, int limit) {
        return Tuple.tuple(List.of(userId, metric, utc(from.minus(EventValidator.MAX_READING_INTERVAL)), utc(to),
                utc(from), limit));
    }

    /** Any query whose columns are those of {@link #METRICS}. */
    Fold fetch(String sql, Tuple params, long timeoutSeconds) throws Exception {
        SqlResult<Fold> result = pool.preparedQuery(sql).collecting(FOLD).execute(params).toCompletionStage()
                .toCompletableFuture().get(timeoutSeconds, TimeUnit.SECONDS);
        return result.value();
    }

    /** A query of any shape; answers the row count (for the diagnostics). */
    long count(String sql, Tuple params, long timeoutSeconds) throws Exception {
        return pool.preparedQuery(sql).execute(params).toCompletionStage().toCompletableFuture()
                .get(timeoutSeconds, TimeUnit.SECONDS).size();
    }

    static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }

    @Override
    public void close() {
        try {
            pool.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            // Closing at exit.
        }
    }
}
