package io.healthmesh.normalizer.repository;

import io.healthmesh.normalizer.domain.StoredMetric;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import org.jboss.logging.Logger;

/**
 * The rows of whole UTC dates that raw reads take from the cache (V5__row_cache.sql): looked up
 * with their dates' current generations, stored with the generations read before their rows were.
 */
@ApplicationScoped
public class RowCacheRepository {

    /**
     * Per date of {@code [$3, $4]} with a generation or an entry: the generation now (0: no row of
     * that date ever changed) and the rows if they were read at that generation.
     */
    private static final String LOOKUP = """
            SELECT coalesce(g.local_date, c.utc_date) AS utc_date, coalesce(g.generation, 0) AS generation,
                   CASE WHEN c.generation = coalesce(g.generation, 0) THEN c.rows END AS rows
            FROM (SELECT local_date, generation FROM metric_day_generation
                  WHERE user_id = $1 AND metric = $2 AND local_date BETWEEN $3 AND $4) g
            FULL JOIN (SELECT utc_date, generation, rows FROM metric_row_cache
                       WHERE user_id = $1 AND metric = $2 AND utc_date BETWEEN $3 AND $4) c
                ON c.utc_date = g.local_date
            """;

    private static final String STORE = """
            INSERT INTO metric_row_cache AS c (user_id, metric, utc_date, generation, rows)
            SELECT $1, $2, d.utc_date, d.generation, d.rows
            FROM unnest($3::date[], $4::bigint[], $5::bytea[]) AS d(utc_date, generation, rows)
            ON CONFLICT (user_id, metric, utc_date) DO UPDATE
                SET generation = excluded.generation, rows = excluded.rows
                WHERE c.generation <= excluded.generation
            """;

    /** A date as the cache knows it: its generation now, and its rows in the range asked for if they are valid (else null). */
    public record CachedRows(long generation, List<StoredMetric> rows) {
    }

    /** A date's rows as read at {@code generation}. */
    public record ReadRows(LocalDate date, long generation, List<StoredMetric> rows) {
    }

    private static final Logger LOG = Logger.getLogger(RowCacheRepository.class);

    private final Pool pool;

    public RowCacheRepository(Pool pool) {
        this.pool = pool;
    }

    /**
     * What the cache knows of the UTC dates of {@code [from, to)} (a date absent: generation 0,
     * nothing cached); of a cached date, the rows starting in that range, decoded on
     * {@code decodeExecutor} (as a raw read's rows are folded there: not on the connection's
     * event loop).
     */
    public Uni<Map<LocalDate, CachedRows>> lookup(String userId, String metric, Instant from, Instant to,
            Executor decodeExecutor) {
        LocalDate first = utcDate(from);
        LocalDate last = utcDate(to.minusNanos(1));
        return pool.preparedQuery(LOOKUP).execute(Tuple.of(userId, metric, first, last))
                .emitOn(decodeExecutor).map(found -> {
            Map<LocalDate, CachedRows> dates = new HashMap<>();
            for (Row row : found) {
                LocalDate date = row.getLocalDate(0);
                Buffer rows = row.getBuffer(2);
                dates.put(date, new CachedRows(row.getLong(1),
                        rows == null ? null : decodeOrMiss(metric, date, rows, from, to)));
            }
            return dates;
        });
    }

    public static LocalDate utcDate(Instant instant) {
        return LocalDate.ofEpochDay(Math.floorDiv(instant.getEpochSecond(), 86_400L));
    }

    /** The instant the UTC date begins. */
    public static Instant utcStart(LocalDate date) {
        return Instant.ofEpochSecond(date.toEpochDay() * 86_400L);
    }

    /** The stored rows, or null (read again) if they cannot be decoded: only a hand-made entry cannot. */
    private static List<StoredMetric> decodeOrMiss(String metric, LocalDate date, Buffer rows, Instant from,
            Instant to) {
        try {
            return DayRowsCodec.decode(rows.getBytes(), from, to);
        } catch (IllegalArgumentException e) {
            LOG.warnf("Cached %s rows of a user on %s cannot be read (%s); reading them again", metric, date,
                    e.getMessage());
            return null;
        }
    }

    /**
     * Keeps each date's rows for its generation. An entry of a later generation already there stays
     * (a concurrent read saw newer rows); one of the same generation is replaced (it was read again
     * because it could not be decoded).
     */
    public Uni<Void> store(String userId, String metric, List<ReadRows> dates) {
        if (dates.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        LocalDate[] days = new LocalDate[dates.size()];
        Long[] generations = new Long[dates.size()];
        io.vertx.core.buffer.Buffer[] rows = new io.vertx.core.buffer.Buffer[dates.size()];
        for (int i = 0; i < dates.size(); i++) {
            ReadRows date = dates.get(i);
            days[i] = date.date();
            generations[i] = date.generation();
            rows[i] = io.vertx.core.buffer.Buffer.buffer(DayRowsCodec.encode(date.rows()));
        }
        return pool.preparedQuery(STORE).execute(Tuple.of(userId, metric, days, generations, rows))
                .replaceWithVoid();
    }
}
