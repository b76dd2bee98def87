package io.healthmesh.normalizer.service;

import io.healthmesh.contracts.event.Aggregation;
import io.healthmesh.normalizer.config.ReadConfig;
import io.healthmesh.normalizer.domain.StoredMetric;
import io.healthmesh.normalizer.domain.TimeWindow;
import io.healthmesh.normalizer.repository.ResolvedRawCacheRepository;
import io.healthmesh.normalizer.repository.ResolvedRawCacheRepository.CachedHours;
import io.healthmesh.normalizer.repository.ResolvedRawCacheRepository.ResolvedHours;
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
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Resolved raw reads of whole UTC hours, put together from the hours of whole UTC dates resolved
 * before (V6__resolved_raw_cache.sql): per date and ranking, the pieces of every hour bucket of the
 * date, as a read of the whole date resolved them. A bucket inside the range has all its rows
 * among the date's, and resolves alike in any read that covers it whole; the range's daily values
 * are resolved per read (its dates decide which count), from the rows reaching into the range and
 * those the dates keep. Dates not kept at their current generation for the ranking are resolved
 * from their rows (RawRowReader) and kept.
 *
 * <p>A range not on whole UTC hours, over today (its rows are still arriving) or longer than the
 * row cache is for, or with a date that cannot be kept (an hour bucket of a clock at a half-hour
 * offset, more rows than a raw read may have), is read as before: {@code uncached}.
 */
@ApplicationScoped
public class ResolvedRawReader {

    /** What a kept date's hours depend on besides the rows and the ranking: raise it with any change to their answers. */
    static final int HOURS_VERSION = 1;
    private static final Logger LOG = Logger.getLogger(ResolvedRawReader.class);

    private final UnifiedReadRepository repository;
    private final RawRowReader rawRows;
    private final ResolvedRawCacheRepository cache;
    private final ReadConfig config;
    private final Clock clock;

    @Inject
    public ResolvedRawReader(UnifiedReadRepository repository, RawRowReader rawRows, ResolvedRawCacheRepository cache,
            ReadConfig config) {
        this(repository, rawRows, cache, config, Clock.systemUTC());
    }

    ResolvedRawReader(UnifiedReadRepository repository, RawRowReader rawRows, ResolvedRawCacheRepository cache,
            ReadConfig config, Clock clock) {
        this.repository = repository;
        this.rawRows = rawRows;
        this.cache = cache;
        this.config = config;
        this.clock = clock;
    }

    /** Whether a raw read of {@code [from, to)} may come from kept hours (known before the policy is). */
    public boolean mayAnswer(Instant from, Instant to) {
        return config.resolvedRawCache().enabled() && wholeHour(from) && wholeHour(to) && to.isAfter(from)
                && ChronoUnit.DAYS.between(from, to) < RawRowReader.MAX_CACHED_RANGE_DAYS
                && RowCacheRepository.utcDate(to.minusNanos(1)).isBefore(LocalDate.now(clock));
    }

    /** What a read starts from, fetched while the policy is: the dates' entries and the rows reaching into the range. */
    public record Known(Map<LocalDate, CachedHours> dates, List<StoredMetric> reaching) {
    }

    public Uni<Known> lookup(String userId, String metric, Instant from, Instant to, int limit) {
        return Uni.combine().all()
                .unis(cache.lookup(userId, metric, RowCacheRepository.utcDate(from),
                                RowCacheRepository.utcDate(to.minusNanos(1))),
                        repository.rowsReaching(userId, metric, from, limit))
                .asTuple()
                .map(both -> new Known(both.getItem1(), both.getItem2()));
    }

    /**
     * The resolved raw read of {@code [from, to)} ({@link #mayAnswer}) in {@code window}: from the
     * dates' hours (decoded on {@code foldExecutor}), resolved and kept first where missing; or
     * {@code uncached} where a date cannot be kept. The answer comes on the caller's context.
     */
    public Uni<PointFold> metrics(String userId, String metric, Instant from, Instant to, TimeWindow window,
            SourceRanking ranking, int limit, Known known, Executor foldExecutor, Supplier<Uni<PointFold>> uncached) {
        String fingerprint = Fingerprints.sha256("v" + HOURS_VERSION + ";" + ranking.fingerprint());
        LocalDate first = RowCacheRepository.utcDate(from);
        LocalDate last = RowCacheRepository.utcDate(to.minusNanos(1));
        Context caller = Vertx.currentContext();
        return Workers.on(foldExecutor, caller, Uni.createFrom().item(() ->
                decodeKept(metric, known.dates(), fingerprint, from, to))).chain(hours -> {
            List<ResolvedHours> resolved = new ArrayList<>();
            Uni<Boolean> complete = Uni.createFrom().item(true);
            for (LocalDate date = first; !date.isAfter(last); date = date.plusDays(1)) {
                if (hours.containsKey(date)) {
                    continue;
                }
                LocalDate missing = date;
                CachedHours cached = known.dates().get(missing);
                long generation = cached == null ? 0 : cached.generation();
                Instant start = RowCacheRepository.utcStart(missing);
                complete = complete.chain(soFar -> !soFar ? Uni.createFrom().item(false)
                        : rawRows.metrics(userId, metric, start, start.plus(1, ChronoUnit.DAYS), limit,
                                new ResolvedBuckets.DateHours(missing, ranking), foldExecutor).map(fold -> {
                                    byte[] encoded = fold.rows() >= limit ? null
                                            : ((ResolvedBuckets.DateHours) fold).encoded();
                                    if (encoded == null) {
                                        return false;
                                    }
                                    hours.put(missing, ResolvedHoursCodec.decode(encoded, missing, from, to));
                                    resolved.add(new ResolvedHours(missing, generation, encoded));
                                    return true;
                                }));
            }
            return complete.call(() -> keep(userId, metric, fingerprint, resolved)).chain(whole -> whole
                    ? Uni.createFrom().item(assemble(window, ranking, known.reaching(), hours))
                    : uncached.get());
        });
    }

    private Uni<Void> keep(String userId, String metric, String fingerprint, List<ResolvedHours> dates) {
        return cache.store(userId, metric, fingerprint, dates).onFailure().recoverWithItem(failure -> {
            // The answer stands without the cache; the next read resolves them again.
            LOG.warnf("Could not keep %d date(s) of resolved %s hours for later reads: %s", dates.size(), metric,
                    failure.toString());
            return null;
        });
    }

    /** The kept dates of the ranking, their hours in the range; one that cannot be decoded is left out (resolved again). */
    private static Map<LocalDate, ResolvedHoursCodec.Hours> decodeKept(String metric, Map<LocalDate, CachedHours> dates,
            String fingerprint, Instant from, Instant to) {
        Map<LocalDate, ResolvedHoursCodec.Hours> hours = new TreeMap<>();
        dates.forEach((date, cached) -> {
            if (cached.hours() == null || !fingerprint.equals(cached.fingerprint())) {
                return;
            }
            try {
                hours.put(date, ResolvedHoursCodec.decode(cached.hours(), date, from, to));
            } catch (IllegalArgumentException e) {
                LOG.warnf("Resolved %s hours of a user on %s cannot be read (%s); resolving them again", metric, date,
                        e.getMessage());
            }
        });
        return hours;
    }

    private static PointFold assemble(TimeWindow window, SourceRanking ranking, List<StoredMetric> reaching,
            Map<LocalDate, ResolvedHoursCodec.Hours> dates) {
        long rows = reaching.size();
        List<ResolvedBuckets.Piece> pieces = new ArrayList<>();
        List<StoredMetric> dailyRows = new ArrayList<>();
        for (StoredMetric row : reaching) {
            if (row.aggregation() == Aggregation.DAILY) {
                dailyRows.add(row);
            }
        }
        for (ResolvedHoursCodec.Hours hours : dates.values()) {
            rows += hours.rows();
            pieces.addAll(hours.pieces());
            dailyRows.addAll(hours.dailyRows());
        }
        return ResolvedBuckets.assembled(rows, pieces, dailyRows, window, ranking);
    }

    private static boolean wholeHour(Instant instant) {
        return instant.getNano() == 0 && Math.floorMod(instant.getEpochSecond(), 3600L) == 0;
    }
}
