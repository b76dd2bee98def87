package io.healthmesh.normalizer.repository;

import io.healthmesh.normalizer.api.MetricPoint;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * The points of whole local dates of day-granularity reads (V4__day_cache.sql): looked up with
 * their dates' current generations, stored with the generations read before their rows were.
 */
@ApplicationScoped
public class DayCacheRepository {

    /**
     * Per date of {@code [$3, $4]} with a generation or a cached entry: the generation now (0: no
     * row of that date ever changed) and the points if they were computed at that generation for
     * that view and fingerprint. First, if there are any, a row without a date counting the daily
     * values of those dates stored far from their date (V4__day_cache.sql).
     */
    private static final String LOOKUP = """
            WITH misplaced AS (
                SELECT count(*) AS n FROM unified_metric
                WHERE user_id = $1 AND metric = $2 AND aggregation = 'daily' AND local_date BETWEEN $3 AND $4
                  AND (start_time >= (local_date + 1)::timestamp AT TIME ZONE 'UTC' + interval '18 hours'
                       OR end_time < local_date::timestamp AT TIME ZONE 'UTC' - interval '18 hours'))
            SELECT NULL::date AS local_date, n AS generation, NULL::bytea AS points FROM misplaced WHERE n > 0
            UNION ALL
            SELECT coalesce(g.local_date, c.local_date) AS local_date, coalesce(g.generation, 0) AS generation,
                   CASE WHEN c.generation = coalesce(g.generation, 0) AND c.fingerprint = $6 THEN c.points END AS points
            FROM (SELECT local_date, generation FROM metric_day_generation
                  WHERE user_id = $1 AND metric = $2 AND local_date BETWEEN $3 AND $4) g
            FULL JOIN (SELECT local_date, generation, fingerprint, points FROM metric_day_cache
                       WHERE user_id = $1 AND metric = $2 AND local_date BETWEEN $3 AND $4 AND view = $5) c
                ON c.local_date = g.local_date
            """;

    private static final String STORE = """
            INSERT INTO metric_day_cache AS c (user_id, metric, view, local_date, fingerprint, generation, points)
            SELECT $1, $2, $3, d.local_date, $4, d.generation, d.points
            FROM unnest($5::date[], $6::bigint[], $7::bytea[]) AS d(local_date, generation, points)
            ON CONFLICT (user_id, metric, view, local_date) DO UPDATE
                SET fingerprint = excluded.fingerprint, generation = excluded.generation, points = excluded.points
                WHERE c.fingerprint <> excluded.fingerprint OR c.generation <= excluded.generation
            """;

    /** A date as the cache knows it: its generation now, and its points if they are valid (else null). */
    public record CachedDay(long generation, List<MetricPoint> points) {
    }

    /**
     * What the cache knows of a range of dates: per date (absent: generation 0, nothing cached),
     * and whether a daily value of one of them lies far from its date, where the read's answer
     * depends on its window and no date may be taken from the cache or kept.
     */
    public record Known(boolean misplacedDailyValues, Map<LocalDate, CachedDay> days) {
    }

    /** A date's points computed from the rows it had at {@code generation}. */
    public record ComputedDay(LocalDate date, long generation, List<MetricPoint> points) {
    }

    private static final Logger LOG = Logger.getLogger(DayCacheRepository.class);

    private final Pool pool;

    public DayCacheRepository(Pool pool) {
        this.pool = pool;
    }

    /** What the cache knows of the dates {@code [first, last]} for this view and fingerprint. */
    public Uni<Known> lookup(String userId, String metric, String view, LocalDate first, LocalDate last,
            String fingerprint) {
        return pool.preparedQuery(LOOKUP).execute(Tuple.tuple(List.of(userId, metric, first, last, view, fingerprint)))
                .map(rows -> {
                    Map<LocalDate, CachedDay> days = new HashMap<>();
                    boolean misplaced = false;
                    for (Row row : rows) {
                        LocalDate date = row.getLocalDate(0);
                        if (date == null) {
                            misplaced = true;
                            continue;
                        }
                        Buffer points = row.getBuffer(2);
                        days.put(date, new CachedDay(row.getLong(1),
                                points == null ? null : decodeOrMiss(userId, metric, date, points)));
                    }
                    return new Known(misplaced, days);
                });
    }

    /** The stored points, or null (computed again) if they cannot be read: only a hand-made entry cannot. */
    private static List<MetricPoint> decodeOrMiss(String userId, String metric, LocalDate date, Buffer points) {
        try {
            return DayPointsCodec.decode(points.getBytes());
        } catch (IllegalArgumentException e) {
            LOG.warnf("Cached %s of a user on %s cannot be read (%s); computing it again", metric, date,
                    e.getMessage());
            return null;
        }
    }

    /**
     * Keeps each day's points for its generation. An entry already there stays when it is for the
     * same fingerprint and a later generation (a concurrent read that saw newer rows); one of the
     * same generation is replaced (it was computed again because it could not be read).
     */
    public Uni<Void> store(String userId, String metric, String view, String fingerprint, List<ComputedDay> days) {
        if (days.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        LocalDate[] dates = new LocalDate[days.size()];
        Long[] generations = new Long[days.size()];
        io.vertx.core.buffer.Buffer[] points = new io.vertx.core.buffer.Buffer[days.size()];
        for (int i = 0; i < days.size(); i++) {
            ComputedDay day = days.get(i);
            dates[i] = day.date();
            generations[i] = day.generation();
            points[i] = io.vertx.core.buffer.Buffer.buffer(DayPointsCodec.encode(day.points()));
        }
        return pool.preparedQuery(STORE)
                .execute(Tuple.tuple(List.of(userId, metric, view, fingerprint, dates, generations, points)))
                .replaceWithVoid();
    }
}
