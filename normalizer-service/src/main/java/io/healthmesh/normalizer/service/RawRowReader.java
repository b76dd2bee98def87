package io.healthmesh.normalizer.service;

import io.healthmesh.normalizer.config.ReadConfig;
import io.healthmesh.normalizer.domain.StoredMetric;
import io.healthmesh.normalizer.repository.RowCacheRepository;
import io.healthmesh.normalizer.repository.UnifiedReadRepository;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executor;
import org.jboss.logging.Logger;

/**
 * The rows of a raw read, as {@link UnifiedReadRepository#metrics} answers them, put together
 * from whole UTC dates the row cache holds (V5__row_cache.sql): the rows starting before the range
 * that reach into it come from the table (there are few), those starting inside it from their
 * dates' cached entries, and dates not cached at their current generation are read from the table
 * (runs of consecutive dates, one query each) and kept for the next reads. A date a read would
 * fetch a capped number of rows for, or a range longer than the cache is for, reads its rows from
 * the table as before, as does every read with the cache turned off.
 */
@ApplicationScoped
public class RawRowReader {

    /** Longer ranges read from the table: a raw read is capped in rows, so a long one is a sparse metric's. */
    static final long MAX_CACHED_RANGE_DAYS = 62;
    private static final Logger LOG = Logger.getLogger(RawRowReader.class);

    private final UnifiedReadRepository repository;
    private final RowCacheRepository rowCache;
    private final ReadConfig config;
    private final Clock clock;

    @Inject
    public RawRowReader(UnifiedReadRepository repository, RowCacheRepository rowCache, ReadConfig config) {
        this(repository, rowCache, config, Clock.systemUTC());
    }

    RawRowReader(UnifiedReadRepository repository, RowCacheRepository rowCache, ReadConfig config, Clock clock) {
        this.repository = repository;
        this.rowCache = rowCache;
        this.config = config;
        this.clock = clock;
    }

    /**
     * {@link UnifiedReadRepository#metrics(String, String, Instant, Instant, int, PointFold, Executor)}
     * for a raw read: the same rows, in the same order, at most {@code limit}, folded on
     * {@code foldExecutor} (none: where the rows are ready); the answer comes on the caller's context.
     */
    public Uni<PointFold> metrics(String userId, String metric, Instant from, Instant to, int limit, PointFold fold,
            Executor foldExecutor) {
        if (!config.rowCache().enabled() || !to.isAfter(from)
                || ChronoUnit.DAYS.between(from, to) >= MAX_CACHED_RANGE_DAYS) {
            return repository.metrics(userId, metric, from, to, limit, fold, foldExecutor);
        }
        LocalDate first = RowCacheRepository.utcDate(from);
        LocalDate last = RowCacheRepository.utcDate(to.minusNanos(1));
        Context caller = Vertx.currentContext();
        return Uni.combine().all()
                .unis(repository.rowsReaching(userId, metric, from, limit),
                        rowCache.lookup(userId, metric, from, to,
                                foldExecutor == null ? Runnable::run : foldExecutor))
                .asTuple()
                .chain(found -> {
                    Assembly dates = new Assembly(first, last, found.getItem2());
                    Uni<Boolean> complete = Uni.createFrom().item(true);
                    for (Run run : dates.runs) {
                        complete = complete.chain(soFar -> !soFar ? Uni.createFrom().item(false)
                                : repository.rowsStarting(userId, metric, RowCacheRepository.utcStart(run.first),
                                        RowCacheRepository.utcStart(run.last.plusDays(1)),
                                        limit).map(rows -> dates.read(run, rows, limit)));
                    }
                    return complete.chain(whole -> {
                        if (!whole) {
                            // A date with as many rows as the read may have: read as before, not cached.
                            return repository.metrics(userId, metric, from, to, limit, fold, foldExecutor);
                        }
                        return keep(userId, metric, dates.toKeep(LocalDate.now(clock)))
                                .chain(() -> fold(fold, found.getItem1(), dates, from, to, limit, foldExecutor,
                                        caller));
                    });
                });
    }

    private Uni<Void> keep(String userId, String metric, List<RowCacheRepository.ReadRows> dates) {
        return rowCache.store(userId, metric, dates).onFailure().recoverWithItem(failure -> {
            // The answer stands without the cache; the next read reads them again.
            LOG.warnf("Could not keep %d date(s) of %s rows for later reads: %s", dates.size(), metric,
                    failure.toString());
            return null;
        });
    }

    /** Folds the rows reaching in from before, then each date's rows inside the range, at most {@code limit}. */
    private static Uni<PointFold> fold(PointFold fold, List<StoredMetric> before, Assembly dates, Instant from,
            Instant to, int limit, Executor foldExecutor, Context caller) {
        Uni<PointFold> folded = Uni.createFrom().item(() -> {
            long left = limit;
            for (StoredMetric row : before) {
                if (left-- == 0) {
                    return fold;
                }
                fold.accept(row);
            }
            for (List<StoredMetric> rows : dates.rows.values()) {
                for (StoredMetric row : rows) {
                    if (!row.start().isBefore(from) && row.start().isBefore(to)) {
                        if (left-- == 0) {
                            return fold;
                        }
                        fold.accept(row);
                    }
                }
            }
            return fold;
        });
        return Workers.on(foldExecutor, caller, folded);
    }


    /** Consecutive dates not in the cache at their generation, read in one query. */
    private record Run(LocalDate first, LocalDate last, Map<LocalDate, Long> generations) {
    }

    /** A read's dates: those the cache had, then those read from the table, with what to keep of them. */
    private static final class Assembly {
        private final TreeMap<LocalDate, List<StoredMetric>> rows = new TreeMap<>();
        private final List<Run> runs = new ArrayList<>();
        private final List<RowCacheRepository.ReadRows> read = new ArrayList<>();

        Assembly(LocalDate first, LocalDate last, Map<LocalDate, RowCacheRepository.CachedRows> known) {
            Map<LocalDate, Long> missing = null;
            LocalDate runStart = null;
            for (LocalDate date = first; !date.isAfter(last); date = date.plusDays(1)) {
                RowCacheRepository.CachedRows cached = known.get(date);
                if (cached != null && cached.rows() != null) {
                    rows.put(date, cached.rows());
                    if (missing != null) {
                        runs.add(new Run(runStart, date.minusDays(1), missing));
                        missing = null;
                    }
                    continue;
                }
                if (missing == null) {
                    missing = new TreeMap<>();
                    runStart = date;
                }
                missing.put(date, cached == null ? 0L : cached.generation());
            }
            if (missing != null) {
                runs.add(new Run(runStart, last, missing));
            }
        }

        /** A run's rows from the table, split by date; false if there may be more than {@code limit}. */
        boolean read(Run run, List<StoredMetric> found, int limit) {
            if (found.size() >= limit) {
                return false;
            }
            for (LocalDate date : run.generations.keySet()) {
                rows.put(date, new ArrayList<>());
            }
            for (StoredMetric row : found) {
                rows.get(RowCacheRepository.utcDate(row.start())).add(row);
            }
            run.generations.forEach((date, generation) ->
                    read.add(new RowCacheRepository.ReadRows(date, generation, rows.get(date))));
            return true;
        }

        /** The dates read from the table that are over: today's rows are still arriving. */
        List<RowCacheRepository.ReadRows> toKeep(LocalDate today) {
            return read.stream().filter(date -> date.date().isBefore(today)).toList();
        }
    }
}
