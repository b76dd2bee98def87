package io.healthmesh.normalizer.repository;

import io.healthmesh.contracts.event.Aggregation;
import io.healthmesh.contracts.validation.EventValidator;
import io.healthmesh.normalizer.domain.StoredMetric;
import io.healthmesh.normalizer.domain.StoredSession;
import io.healthmesh.normalizer.service.PointFold;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.vertx.UniHelper;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.SqlResult;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.stream.Collector;
import java.util.stream.Collectors;

/** Reads unified metrics and sessions of one user over a time range. */
@ApplicationScoped
public class UnifiedReadRepository {

    /**
     * One user's rows of a metric starting in {@code [$3, $4)} and ending at or after {@code $5}, in
     * (start_time, source, device) order: the read index's own order (V3__read_indexes.sql), no
     * sort.
     */
    private static final String METRICS = """
            SELECT source, device, app, value, aggregation, start_time, end_time, utc_offset, local_date, zone, quality
            FROM unified_metric
            WHERE user_id = $1 AND metric = $2 AND start_time >= $3 AND start_time < $4 AND end_time >= $5
            ORDER BY start_time, source, device
            LIMIT $6
            """;

    /** The same for readings longer than an hour, from their own (partial) index. */
    private static final String LONG_METRICS = """
            SELECT source, device, app, value, aggregation, start_time, end_time, utc_offset, local_date, zone, quality
            FROM unified_metric
            WHERE user_id = $1 AND metric = $2 AND start_time >= $3 AND start_time < $4 AND end_time >= $5
              AND end_time - start_time > interval '1 hour'
            ORDER BY start_time, source, device
            LIMIT $6
            """;

    /** Readings longer than this have their own index (the partial index's predicate). */
    private static final Duration LONG_READING = Duration.ofHours(1);

    /** Every metric of the vocabulary at once: the index serves each code as its own range. */
    private static final String ALL_METRICS = """
            SELECT metric, source, device, app, value, aggregation, start_time, end_time, utc_offset, local_date, zone,
                   quality
            FROM unified_metric
            WHERE user_id = $1 AND metric = ANY ($2::text[]) AND start_time >= $3 AND start_time < $4
              AND end_time >= $5
            """;

    private static final String SESSIONS = """
            SELECT source, source_record_id, type, start_time, end_time, utc_offset, zone, device, app, details, quality
            FROM health_session
            WHERE user_id = $1 AND type = $2 AND start_time >= $3 AND start_time < $4 AND end_time > $5
            ORDER BY start_time, source
            """;

    private final Pool pool;

    public UnifiedReadRepository(Pool pool) {
        this.pool = pool;
    }

    /**
     * Rows that may touch {@code [from, to)} (start before {@code to}, end at or after
     * {@code from}), in (start_time, source, device) order, at most {@code limit}, handed to
     * {@code fold} one by one as they are decoded (on the connection's event loop), never held as
     * a result set: a year of minute readings is folded with memory for the fold's state only.
     * Answers the fold once every row is in; a failure of the fold fails the read.
     *
     * <p>A reading may start up to the longest interval allowed (31 days) before {@code from}.
     * Rows starting from {@code from - 1 h} on come from the read index; one starting earlier that
     * still reaches {@code from} is longer than an hour, so the month before is searched only among
     * those, in their own index. Every row of that first query starts before every row of the
     * second, so the two in turn are the rows in order (ORDER BY over a UNION ALL of the two let
     * the planner sort the whole union instead).
     */
    public Uni<PointFold> metrics(String userId, String metric, Instant from, Instant to, int limit,
            PointFold fold) {
        return metrics(userId, metric, from, to, limit, fold, null);
    }

    /**
     * {@link #metrics(String, String, Instant, Instant, int, PointFold)} where, given a
     * {@code foldExecutor}, the connection's event loop only decodes rows: they go on to the fold
     * in batches, in order, on that executor, so decoding and folding (for a raw read, rendering
     * its JSON) run on two cores at once. Decoded rows may wait there for the fold, so only reads
     * whose rows are capped (raw ones) should use it. The answer comes on the caller's context.
     */
    public Uni<PointFold> metrics(String userId, String metric, Instant from, Instant to, int limit,
            PointFold fold, Executor foldExecutor) {
        Context caller = Vertx.currentContext();
        RowHandoff handoff = foldExecutor == null ? null : new RowHandoff(fold, foldExecutor);
        Collector<io.vertx.sqlclient.Row, ?, ?> collector = handoff == null
                ? Collector.of(() -> fold, (f, row) -> f.accept(toMetric(row, 0)), UnifiedReadRepository::oneFold)
                : Collector.of(() -> handoff, RowHandoff::add, UnifiedReadRepository::oneFold, RowHandoff::flush);
        return UniHelper.toUni(pool.getDelegate().withConnection(connection -> {
            Future<?> answered = touching(connection, userId, metric, from, to, limit, collector);
            if (handoff == null) {
                return answered.map(done -> fold);
            }
            return answered.compose(done -> caller == null ? Future.fromCompletionStage(handoff.folded())
                    : Future.fromCompletionStage(handoff.folded(), caller));
        }));
    }

    /**
     * The rows of {@link #metrics} for an empty range at {@code instant}: those starting before it
     * that reach it (at most {@code limit}), in order, as a list.
     */
    public Uni<List<StoredMetric>> rowsReaching(String userId, String metric, Instant instant, int limit) {
        List<StoredMetric> rows = new ArrayList<>();
        Collector<io.vertx.sqlclient.Row, ?, ?> collector = Collector.of(() -> rows,
                (list, row) -> list.add(toMetric(row, 0)), UnifiedReadRepository::oneFold);
        return UniHelper.toUni(pool.getDelegate().withConnection(connection ->
                touching(connection, userId, metric, instant, instant, limit, collector).map(done -> rows)));
    }

    /** Rows starting in {@code [from, to)} (the rows of whole UTC dates), in order, at most {@code limit}, as a list. */
    public Uni<List<StoredMetric>> rowsStarting(String userId, String metric, Instant from, Instant to, int limit) {
        Tuple params = Tuple.tuple(List.of(userId, metric, utc(from), utc(to), utc(from), limit));
        return UniHelper.toUni(pool.getDelegate().preparedQuery(METRICS)
                .collecting(Collectors.mapping((io.vertx.sqlclient.Row row) -> toMetric(row, 0), Collectors.toList()))
                .execute(params.getDelegate())
                .map(SqlResult::value));
    }

    /**
     * Sends both queries of {@link #metrics} on one connection, the second without waiting for the
     * first (pipelined; the answers come back in order), each row to {@code collector}. Complete
     * once both are answered, failed or not, so the connection goes back to the pool only then.
     */
    private static Future<?> touching(SqlConnection connection, String userId, String metric, Instant from,
            Instant to, int limit, Collector<io.vertx.sqlclient.Row, ?, ?> collector) {
        Instant shortStart = from.minus(LONG_READING);
        Tuple longParams = Tuple.tuple(List.of(userId, metric, utc(from.minus(EventValidator.MAX_READING_INTERVAL)),
                utc(shortStart), utc(from), limit));
        // The second keeps the whole limit: more rows than that in all are refused by the raw read's
        // cap either way, and fewer are all fetched either way.
        Tuple params = Tuple.tuple(List.of(userId, metric, utc(shortStart), utc(to), utc(from), limit));
        // Collectors are only on the core API (not the Mutiny one).
        Future<?> longRows = connection.preparedQuery(LONG_METRICS).collecting(collector)
                .execute(longParams.getDelegate());
        Future<?> rows = connection.preparedQuery(METRICS).collecting(collector).execute(params.getDelegate());
        return Future.join(longRows, rows);
    }

    private static <T> T oneFold(T a, T b) {
        throw new UnsupportedOperationException("one fold per read");
    }

    /**
     * Rows decoded on a connection's event loop, handed to a fold on another executor in batches,
     * in the order they came: each batch is folded after the one before it (a chain of stages),
     * so the fold sees one thread at a time and every row in order.
     */
    private static final class RowHandoff {
        private static final int BATCH = 512;
        private final PointFold fold;
        private final Executor executor;
        private List<io.vertx.sqlclient.Row> batch = new ArrayList<>(BATCH);
        /** Written by the decoding thread, read where both queries' answers are joined. */
        private volatile CompletableFuture<Void> folded = CompletableFuture.completedFuture(null);

        RowHandoff(PointFold fold, Executor executor) {
            this.fold = fold;
            this.executor = executor;
        }

        void add(io.vertx.sqlclient.Row row) {
            batch.add(row);
            if (batch.size() == BATCH) {
                flush();
            }
        }

        /** Hands on the rows not handed on yet (also each query's finisher, after its last row). */
        RowHandoff flush() {
            if (!batch.isEmpty()) {
                List<io.vertx.sqlclient.Row> rows = batch;
                batch = new ArrayList<>(BATCH);
                folded = folded.thenRunAsync(() -> {
                    for (io.vertx.sqlclient.Row row : rows) {
                        fold.accept(toMetric(row, 0));
                    }
                }, executor);
            }
            return this;
        }

        /**
         * The fold, once every row handed on has been folded; failed with what folding a row
         * threw (as the fold on the event loop failed the query with it, not wrapped).
         */
        CompletionStage<PointFold> folded() {
            CompletableFuture<PointFold> answer = new CompletableFuture<>();
            folded.whenComplete((done, failure) -> {
                if (failure == null) {
                    answer.complete(fold);
                } else {
                    answer.completeExceptionally(failure instanceof CompletionException wrapped
                            && wrapped.getCause() != null ? wrapped.getCause() : failure);
                }
            });
            return answer;
        }
    }

    /** Rows of every given metric that may touch {@code [from, to)}, grouped by metric code. */
    public Uni<Map<String, List<StoredMetric>>> allMetrics(String userId, List<String> metrics, Instant from,
            Instant to) {
        Instant earliestStart = from.minus(EventValidator.MAX_READING_INTERVAL);
        Tuple params = Tuple.tuple(List.of(userId, metrics.toArray(String[]::new), utc(earliestStart), utc(to),
                utc(from)));
        return pool.preparedQuery(ALL_METRICS).execute(params).map(rows -> {
            Map<String, List<StoredMetric>> byMetric = new HashMap<>();
            for (Row row : rows) {
                byMetric.computeIfAbsent(row.getString(0), m -> new ArrayList<>()).add(toMetric(row.getDelegate(), 1));
            }
            return byMetric;
        });
    }

    public Uni<List<StoredSession>> sessions(String userId, String type, Instant from, Instant to) {
        Instant earliestStart = from.minus(EventValidator.MAX_OTHER_SESSION);
        Tuple params = Tuple.tuple(List.of(userId, type, utc(earliestStart), utc(to), utc(from)));
        return pool.preparedQuery(SESSIONS).execute(params).map(UnifiedReadRepository::toSessions);
    }

    /** The columns of {@link #METRICS} from position {@code first} on, by position (no name lookups). */
    private static StoredMetric toMetric(io.vertx.sqlclient.Row row, int first) {
        OffsetDateTime startTime = row.getOffsetDateTime(first + 5);
        OffsetDateTime endTime = row.getOffsetDateTime(first + 6);
        Instant start = startTime.toInstant();
        Instant end = endTime.equals(startTime) ? start : endTime.toInstant();
        return new StoredMetric(row.getString(first), row.getString(first + 1), row.getString(first + 2),
                row.getDouble(first + 3), aggregation(row.getString(first + 4)), start, end,
                row.getInteger(first + 7), row.getLocalDate(first + 8), row.getString(first + 9),
                row.getDouble(first + 10));
    }

    /** The column's code (the table's check allows only these three): by length, then checked. */
    private static Aggregation aggregation(String code) {
        Aggregation aggregation = switch (code.length()) {
            case 6 -> Aggregation.SAMPLE;
            case 10 -> Aggregation.CUMULATIVE;
            case 5 -> Aggregation.DAILY;
            default -> null;
        };
        if (aggregation != null && aggregation.code().equals(code)) {
            return aggregation;
        }
        return Aggregation.valueOf(code.toUpperCase(Locale.ROOT));
    }

    private static List<StoredSession> toSessions(RowSet<Row> rows) {
        List<StoredSession> sessions = new ArrayList<>(rows.size());
        for (Row row : rows) {
            sessions.add(new StoredSession(row.getString("source"), row.getString("source_record_id"),
                    row.getString("type"), row.getOffsetDateTime("start_time").toInstant(),
                    row.getOffsetDateTime("end_time").toInstant(), row.getInteger("utc_offset"),
                    row.getString("zone"), row.getString("device"), row.getString("app"),
                    row.getJsonObject("details").getMap(), row.getDouble("quality")));
        }
        return sessions;
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
