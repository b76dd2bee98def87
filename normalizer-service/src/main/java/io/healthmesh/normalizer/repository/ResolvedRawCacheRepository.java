package io.healthmesh.normalizer.repository;

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

/**
 * The resolved raw hours of whole UTC dates (V6__resolved_raw_cache.sql): looked up with their
 * dates' current generations, stored with the generations read before their rows were. What an
 * entry holds is the service's (ResolvedHoursCodec): here it is bytes.
 */
@ApplicationScoped
public class ResolvedRawCacheRepository {

    /**
     * Per date of {@code [$3, $4]} with a generation or an entry: the generation now (0: no row of
     * that date ever changed), and the entry's fingerprint and hours if it was made at that generation.
     */
    private static final String LOOKUP = """
            SELECT coalesce(g.local_date, c.utc_date) AS utc_date, coalesce(g.generation, 0) AS generation,
                   CASE WHEN c.generation = coalesce(g.generation, 0) THEN c.fingerprint END AS fingerprint,
                   CASE WHEN c.generation = coalesce(g.generation, 0) THEN c.hours END AS hours
            FROM (SELECT local_date, generation FROM metric_day_generation
                  WHERE user_id = $1 AND metric = $2 AND local_date BETWEEN $3 AND $4) g
            FULL JOIN (SELECT utc_date, generation, fingerprint, hours FROM metric_resolved_raw_cache
                       WHERE user_id = $1 AND metric = $2 AND utc_date BETWEEN $3 AND $4) c
                ON c.utc_date = g.local_date
            """;

    /** An entry of another ranking is replaced; one of the same ranking only by a later or equal generation. */
    private static final String STORE = """
            INSERT INTO metric_resolved_raw_cache AS c (user_id, metric, utc_date, fingerprint, generation, hours)
            SELECT $1, $2, d.utc_date, $3, d.generation, d.hours
            FROM unnest($4::date[], $5::bigint[], $6::bytea[]) AS d(utc_date, generation, hours)
            ON CONFLICT (user_id, metric, utc_date) DO UPDATE
                SET fingerprint = excluded.fingerprint, generation = excluded.generation, hours = excluded.hours
                WHERE c.fingerprint <> excluded.fingerprint OR c.generation <= excluded.generation
            """;

    /** A date as the cache knows it: its generation now, and the entry made at that generation (else nulls). */
    public record CachedHours(long generation, String fingerprint, byte[] hours) {
    }

    /** A date's hours as resolved from its rows read at {@code generation}. */
    public record ResolvedHours(LocalDate date, long generation, byte[] hours) {
    }

    private final Pool pool;

    public ResolvedRawCacheRepository(Pool pool) {
        this.pool = pool;
    }

    /** What the cache knows of the dates {@code [first, last]} (a date absent: generation 0, nothing cached). */
    public Uni<Map<LocalDate, CachedHours>> lookup(String userId, String metric, LocalDate first, LocalDate last) {
        return pool.preparedQuery(LOOKUP).execute(Tuple.of(userId, metric, first, last)).map(found -> {
            Map<LocalDate, CachedHours> dates = new HashMap<>();
            for (Row row : found) {
                Buffer hours = row.getBuffer(3);
                dates.put(row.getLocalDate(0), new CachedHours(row.getLong(1), row.getString(2),
                        hours == null ? null : hours.getBytes()));
            }
            return dates;
        });
    }

    public Uni<Void> store(String userId, String metric, String fingerprint, List<ResolvedHours> dates) {
        if (dates.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        LocalDate[] days = new LocalDate[dates.size()];
        Long[] generations = new Long[dates.size()];
        io.vertx.core.buffer.Buffer[] hours = new io.vertx.core.buffer.Buffer[dates.size()];
        for (int i = 0; i < dates.size(); i++) {
            ResolvedHours date = dates.get(i);
            days[i] = date.date();
            generations[i] = date.generation();
            hours[i] = io.vertx.core.buffer.Buffer.buffer(date.hours());
        }
        return pool.preparedQuery(STORE).execute(Tuple.of(userId, metric, fingerprint, days, generations, hours))
                .replaceWithVoid();
    }
}
