package io.healthmesh.normalizer.service;

import io.healthmesh.commons.problem.Problem;
import io.healthmesh.commons.problem.ProblemException;
import io.healthmesh.contracts.event.SessionType;
import io.healthmesh.contracts.policy.Policy;
import io.healthmesh.contracts.vocab.Category;
import io.healthmesh.contracts.vocab.Metric;
import io.healthmesh.contracts.vocab.Vocabulary;
import io.healthmesh.normalizer.api.DaySummary;
import io.healthmesh.normalizer.api.MetricPoint;
import io.healthmesh.normalizer.api.MetricSeries;
import io.healthmesh.normalizer.api.SessionList;
import io.healthmesh.normalizer.api.SessionPoint;
import io.healthmesh.normalizer.config.ReadConfig;
import io.healthmesh.normalizer.domain.DailyValues;
import io.healthmesh.normalizer.domain.StoredMetric;
import io.healthmesh.normalizer.domain.StoredSession;
import io.healthmesh.normalizer.domain.TimeWindow;
import io.healthmesh.normalizer.repository.DayCacheRepository;
import io.healthmesh.normalizer.repository.UnifiedReadRepository;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * The read path. {@code view=all}: every source, each point one source and device.
 * {@code view=resolved}: the user's policy decides, per bucket, which source's data makes the
 * point. The policy is fetched for every read that needs it (a resolved view, or a range given
 * as plain dates, which are days of the user's home zone), so a read right after a change sees it.
 */
@ApplicationScoped
public class UserDataReadService {

    public enum View { ALL, RESOLVED }

    /** Day-granularity reads look a day beyond the window: other clocks' local dates reach past it. */
    private static final Duration LOCAL_DATE_SLACK = Duration.ofDays(1);
    private static final Pattern PLAIN_DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");
    /**
     * The version of what a day read answers for a date. Cached dates of another version are
     * computed again: raise it with any change to the day folds' answers (MetricBuckets,
     * ResolvedBuckets, BucketCalendar) or to {@link SourceRanking#fingerprint}.
     */
    static final int DAY_POINTS_VERSION = 1;
    /** Day reads over more dates than this (about ten years) skip the cache: its lookup lists every date. */
    private static final long MAX_CACHED_RANGE_DAYS = 3_700;
    private static final Logger LOG = Logger.getLogger(UserDataReadService.class);

    private final UnifiedReadRepository repository;
    private final DayCacheRepository dayCache;
    private final RawRowReader rawRows;
    private final ResolvedRawReader resolvedHours;
    private final PolicySource policies;
    private final ReadConfig config;

    public UserDataReadService(UnifiedReadRepository repository, DayCacheRepository dayCache, RawRowReader rawRows,
            ResolvedRawReader resolvedHours, PolicySource policies, ReadConfig config) {
        this.repository = repository;
        this.dayCache = dayCache;
        this.rawRows = rawRows;
        this.resolvedHours = resolvedHours;
        this.policies = policies;
        this.config = config;
    }

    public Uni<MetricSeries> metric(String userId, String metricCode, String from, String to, String granularity,
            String view) {
        return metric(userId, metricCode, from, to, granularity, view, null);
    }

    /**
     * {@link #metric(String, String, String, String, String, String)}, where a raw all-view read
     * also hands its points' rows, as they arrive, to a listener from {@code rawListeners} (the
     * JSON writer's; null: none).
     */
    public Uni<MetricSeries> metric(String userId, String metricCode, String from, String to, String granularity,
            String view, Supplier<MetricBuckets.RawPointListener> rawListeners) {
        Metric metric = Vocabulary.metric(metricCode).orElseThrow(() -> ProblemException.notFound("unknown-metric",
                "No metric '" + metricCode + "'"));
        MetricBuckets.Granularity grain = parse(MetricBuckets.Granularity.class, "granularity", granularity);
        View chosen = parse(View.class, "view", view);
        requireRange(from, to);
        boolean plainDates = plainDates(from, to);
        boolean days = grain == MetricBuckets.Granularity.DAY;
        int limit = grain == MetricBuckets.Granularity.RAW ? config.maxPoints() + 1 : Integer.MAX_VALUE;
        Uni<Policy> policy = chosen == View.RESOLVED || plainDates ? policies.policy(userId)
                : Uni.createFrom().nullItem();
        boolean resolvedRaw = chosen == View.RESOLVED && grain == MetricBuckets.Granularity.RAW;
        if (plainDates && !days) {
            // The home zone places the range's hours: the rows can only be asked for once it is known.
            return policy.chain(p -> {
                TimeWindow window = window(from, to, homeZone(p));
                Supplier<Uni<PointFold>> read = () -> rows(userId, metric, window.from(), window.to(), limit, grain,
                        fold(metric, chosen, grain, window, p, rawListeners));
                if (resolvedRaw && resolvedHours.mayAnswer(window.from(), window.to())) {
                    return resolvedHours.lookup(userId, metric.code(), window.from(), window.to(), limit)
                            .chain(known -> fromResolvedHours(userId, metric, window, p, limit, known, read))
                            .map(rows -> series(metric, chosen, grain, rows));
                }
                return read.get().map(rows -> series(metric, chosen, grain, rows));
            });
        }
        TimeWindow utcWindow = window(from, to, ZoneOffset.UTC);
        if (days) {
            if (chosen == View.ALL && !plainDates) {
                return days(userId, metric, chosen, utcWindow, null);
            }
            return policy.chain(p -> days(userId, metric, chosen, window(from, to, homeZone(p)), p));
        }
        Instant rowsFrom = utcWindow.from();
        Instant rowsTo = utcWindow.to();
        if (chosen == View.ALL && !plainDates) {
            // Nothing to wait for: the rows go straight into the buckets as they arrive.
            return rows(userId, metric, rowsFrom, rowsTo, limit, grain,
                    fold(metric, chosen, grain, utcWindow, null, rawListeners))
                    .map(rows -> series(metric, chosen, grain, rows));
        }
        if (grain != MetricBuckets.Granularity.RAW) {
            // The policy names the ranking. Hours may have any number of rows: they stream into the
            // buckets once it is known, never wait in memory for it.
            return policy.chain(p -> rows(userId, metric, rowsFrom, rowsTo, limit, grain,
                    fold(metric, chosen, grain, window(from, to, homeZone(p)), p, rawListeners))
                    .map(rows -> series(metric, chosen, grain, rows)));
        }
        if (resolvedRaw && resolvedHours.mayAnswer(rowsFrom, rowsTo)) {
            // What the kept hours need is fetched while the policy is; the ranking picks the hours.
            return Uni.combine().all()
                    .unis(policy, resolvedHours.lookup(userId, metric.code(), rowsFrom, rowsTo, limit))
                    .asTuple()
                    .chain(both -> {
                        Policy p = both.getItem1();
                        TimeWindow window = window(from, to, homeZone(p));
                        return fromResolvedHours(userId, metric, window, p, limit, both.getItem2(),
                                () -> rows(userId, metric, rowsFrom, rowsTo, limit, grain,
                                        fold(metric, chosen, grain, window, p, rawListeners)));
                    })
                    .map(rows -> series(metric, chosen, grain, rows));
        }
        // A raw read has at most max-points + 1 rows: they and the policy are fetched at the same
        // time, and rows that arrive before the policy wait in a buffer.
        AwaitingPolicy rows = new AwaitingPolicy(p -> fold(metric, chosen, grain, window(from, to, homeZone(p)), p,
                rawListeners));
        return Uni.combine().all().unis(policy.invoke(rows::policy),
                        rows(userId, metric, rowsFrom, rowsTo, limit, grain, rows))
                .asTuple()
                .map(both -> series(metric, chosen, grain, both.getItem2()));
    }

    /**
     * A day read: every row that may fall on one of the window's dates (whatever its clock), folded
     * into the dates' buckets. Put together per local date ({@link DayReadPlan}) where it can: the
     * dates the cache holds for this view and fingerprint at their current generation, the others
     * folded from their rows (runs of consecutive dates, one query each) and kept for the next
     * reads. A range of more dates than the cache is for, around a date some zone skipped, or with
     * a daily value stored far from its date, folds all its rows in one go (as does every day read
     * with the cache turned off).
     */
    private Uni<MetricSeries> days(String userId, Metric metric, View view, TimeWindow window, Policy policy) {
        Instant rowsFrom = DayReadPlan.stretchStart(window.firstDate());
        Instant rowsTo = DayReadPlan.stretchEnd(window.lastDate());
        // Called when needed: the repository sends its queries as soon as it is asked.
        Supplier<Uni<MetricSeries>> uncached = () -> repository.metrics(userId, metric.code(), rowsFrom, rowsTo,
                        Integer.MAX_VALUE, fold(metric, view, MetricBuckets.Granularity.DAY, window, policy, null))
                .map(rows -> series(metric, view, MetricBuckets.Granularity.DAY, rows));
        if (!config.dayCache().enabled()
                || ChronoUnit.DAYS.between(window.firstDate(), window.lastDate()) >= MAX_CACHED_RANGE_DAYS
                || !DayReadPlan.perDate(window)) {
            return uncached.get();
        }
        String viewCode = code(view);
        String fingerprint = dayFingerprint(metric, view, policy);
        return dayCache.lookup(userId, metric.code(), viewCode, window.firstDate(), window.lastDate(), fingerprint)
                .chain(known -> {
                    if (known.misplacedDailyValues()) {
                        return uncached.get();
                    }
                    DayReadPlan plan = new DayReadPlan(window, known.days());
                    Uni<Void> reads = Uni.createFrom().voidItem();
                    for (DayReadPlan.Run run : plan.runs()) {
                        reads = reads.chain(() -> repository.metrics(userId, metric.code(), run.rowsFrom(),
                                        run.rowsTo(), Integer.MAX_VALUE,
                                        fold(metric, view, MetricBuckets.Granularity.DAY, window, policy, null))
                                .invoke(rows -> plan.computed(run, rows.finish()))
                                .replaceWithVoid());
                    }
                    return reads.chain(() -> dayCache.store(userId, metric.code(), viewCode, fingerprint,
                                            plan.toKeep())
                                    .onFailure().recoverWithItem(failure -> {
                                        // The answer stands without the cache; the next read computes them again.
                                        LOG.warnf("Could not keep %d day(s) of %s for later reads: %s",
                                                plan.toKeep().size(), metric.code(), failure.toString());
                                        return null;
                                    }))
                            .map(kept -> new MetricSeries(metric.code(), metric.canonicalUnit(),
                                    metric.defaultAggregation().code(), viewCode,
                                    code(MetricBuckets.Granularity.DAY), plan.points()));
                });
    }

    /**
     * What a cached date's points depend on besides its rows: the view, the day fold's own version
     * and, resolved, the user's ranking for the metric (hashed: it is stored with every date).
     */
    private static String dayFingerprint(Metric metric, View view, Policy policy) {
        return Fingerprints.sha256("v" + DAY_POINTS_VERSION + ";" + code(view) + (view == View.RESOLVED
                ? ";" + SourceRanking.forMetric(policy, metric).fingerprint() : ""));
    }

    /** A resolved raw read of whole UTC hours from its dates' kept hours ({@link ResolvedRawReader}), or {@code read}. */
    private Uni<PointFold> fromResolvedHours(String userId, Metric metric, TimeWindow window, Policy policy, int limit,
            ResolvedRawReader.Known known, Supplier<Uni<PointFold>> read) {
        return resolvedHours.metrics(userId, metric.code(), window.from(), window.to(), window,
                SourceRanking.forMetric(policy, metric), limit, known, foldExecutor(MetricBuckets.Granularity.RAW), read);
    }

    /** A raw or hour read's rows, folded: a raw read's through the row cache. */
    private Uni<PointFold> rows(String userId, Metric metric, Instant from, Instant to, int limit,
            MetricBuckets.Granularity grain, PointFold fold) {
        return grain == MetricBuckets.Granularity.RAW
                ? rawRows.metrics(userId, metric.code(), from, to, limit, fold, foldExecutor(grain))
                : repository.metrics(userId, metric.code(), from, to, limit, fold, foldExecutor(grain));
    }

    /**
     * Where a read's rows are folded: a raw read's (at most max-points + 1 rows, so the rows
     * waiting there are bounded) on a worker thread, while the connection's event loop decodes the
     * next ones; other reads' on the event loop as they are decoded (a year of rows must not pile up).
     */
    private static Executor foldExecutor(MetricBuckets.Granularity grain) {
        return grain == MetricBuckets.Granularity.RAW ? Infrastructure.getDefaultWorkerPool() : null;
    }

    /** How a read's rows become its points: by view and granularity, streaming where it can. */
    private PointFold fold(Metric metric, View view, MetricBuckets.Granularity grain, TimeWindow window,
            Policy policy, Supplier<MetricBuckets.RawPointListener> rawListeners) {
        boolean additive = DailyValues.additive(metric);
        SourceRanking ranking = view == View.RESOLVED ? SourceRanking.forMetric(policy, metric) : null;
        return switch (grain) {
            case RAW -> ranking == null
                    ? MetricBuckets.rawFold(window, rawListeners == null ? null : rawListeners.get())
                    : ResolvedBuckets.rawFold(window, ranking);
            case HOUR -> ranking == null ? MetricBuckets.fold(ChronoUnit.HOURS, window, additive)
                    : ResolvedBuckets.fold(ChronoUnit.HOURS, window, ranking, additive, true);
            case DAY -> ranking == null ? MetricBuckets.fold(ChronoUnit.DAYS, window, additive)
                    : ResolvedBuckets.fold(ChronoUnit.DAYS, window, ranking, additive, true);
        };
    }

    private MetricSeries series(Metric metric, View view, MetricBuckets.Granularity grain, PointFold rows) {
        if (grain == MetricBuckets.Granularity.RAW && rows.rows() > config.maxPoints()) {
            throw new ProblemException(Problem.of("too-many-points", 422, "Too many points",
                    "More than " + config.maxPoints() + " raw points in this range; ask for"
                            + " granularity=hour or granularity=day, or a shorter range"));
        }
        return new MetricSeries(metric.code(), metric.canonicalUnit(), metric.defaultAggregation().code(), code(view),
                code(grain), rows.finish());
    }

    /**
     * A fold that waits for the policy (raw reads only, whose rows are capped): rows decoded
     * before it is known are kept, and handed on once it is; after that they stream. {@link #policy} runs where the policy arrives, the rows
     * on the connection's event loop, {@link #finish} after both are complete.
     */
    private static final class AwaitingPolicy implements PointFold {
        private final Function<Policy, PointFold> factory;
        private volatile PointFold ready;
        private PointFold target;
        private List<StoredMetric> waiting = new ArrayList<>();
        private long rows;

        AwaitingPolicy(Function<Policy, PointFold> factory) {
            this.factory = factory;
        }

        void policy(Policy policy) {
            ready = factory.apply(policy);
        }

        @Override
        public void accept(StoredMetric row) {
            rows++;
            if (target == null && ready != null) {
                handOver();
            }
            if (target != null) {
                target.accept(row);
            } else {
                waiting.add(row);
            }
        }

        private void handOver() {
            target = ready;
            waiting.forEach(target::accept);
            waiting = null;
        }

        @Override
        public long rows() {
            return rows;
        }

        @Override
        public List<MetricPoint> finish() {
            if (target == null) {
                handOver();
            }
            return target.finish();
        }
    }

    public Uni<SessionList> sessions(String userId, String type, String from, String to, String view) {
        SessionType sessionType = parse(SessionType.class, "type", type);
        View chosen = parse(View.class, "view", view);
        requireRange(from, to);
        return policyIfNeeded(userId, chosen, from, to).chain(policy -> {
            TimeWindow window = window(from, to, homeZone(policy));
            return repository.sessions(userId, sessionType.code(), window.from(), window.to())
                    .map(rows -> new SessionList(sessionType.code(), code(chosen), chosen == View.RESOLVED
                            ? resolvedSessions(rows, SourceRanking.forCategory(policy, sessionType.category()))
                            : rows.stream().map(s -> sessionPoint(s, s.source(), null, null)).toList()));
        });
    }

    /** Per category, the day's resolved value of every metric with data that day. */
    public Uni<DaySummary> summary(String userId, String date) {
        LocalDate day = parseDate(date);
        return policies.policy(userId).chain(policy -> {
            TimeWindow window = window(day.toString(), day.toString(), homeZone(policy));
            List<String> codes = Vocabulary.all().stream().map(Metric::code).toList();
            return repository.allMetrics(userId, codes, window.from().minus(LOCAL_DATE_SLACK),
                    window.to().plus(LOCAL_DATE_SLACK)).map(byMetric -> {
                        Map<String, List<DaySummary.Entry>> categories = new LinkedHashMap<>();
                        for (Category category : Category.values()) {
                            List<DaySummary.Entry> entries = new ArrayList<>();
                            for (Metric metric : Vocabulary.inCategory(category)) {
                                List<StoredMetric> rows = byMetric.get(metric.code());
                                if (rows == null) {
                                    continue;
                                }
                                ResolvedBuckets.daily(rows, window, SourceRanking.forMetric(policy, metric),
                                                DailyValues.additive(metric)).stream()
                                        .filter(p -> p.start().toLocalDate().equals(day))
                                        .findFirst()
                                        .ifPresent(p -> entries.add(new DaySummary.Entry(metric.code(), p.value(),
                                                metric.canonicalUnit(), p.source())));
                            }
                            if (!entries.isEmpty()) {
                                categories.put(category.code(), entries);
                            }
                        }
                        return new DaySummary(day, categories);
                    });
        });
    }

    private static List<SessionPoint> resolvedSessions(List<StoredSession> rows, SourceRanking ranking) {
        return SessionResolver.resolve(rows, ranking).stream()
                .map(r -> sessionPoint(r.session(), r.standing().source(), r.standing().rank(),
                        r.standing().fallback()))
                .toList();
    }

    private static SessionPoint sessionPoint(StoredSession session, String source, Integer rank, Boolean fallback) {
        ZoneOffset offset = ZoneOffset.ofTotalSeconds(session.utcOffsetSeconds());
        return new SessionPoint(session.start().atOffset(offset), session.end().atOffset(offset), source,
                session.device(), session.details(), rank, fallback);
    }

    private Uni<Policy> policyIfNeeded(String userId, View view, String from, String to) {
        return view == View.RESOLVED || plainDates(from, to) ? policies.policy(userId) : Uni.createFrom().nullItem();
    }

    private static boolean plainDates(String from, String to) {
        return PLAIN_DATE.matcher(from).matches() || PLAIN_DATE.matcher(to).matches();
    }

    private static ZoneId homeZone(Policy policy) {
        if (policy == null || policy.homeZone() == null) {
            return ZoneOffset.UTC;
        }
        return ZoneId.of(policy.homeZone());
    }

    private static void requireRange(String from, String to) {
        if (from == null || from.isBlank() || to == null || to.isBlank()) {
            throw ProblemException.badRequest("invalid-time-range",
                    "from and to are required (ISO-8601 instants with offset, or YYYY-MM-DD)");
        }
    }

    private static TimeWindow window(String from, String to, ZoneId homeZone) {
        try {
            return TimeWindow.parse(from, to, homeZone);
        } catch (IllegalArgumentException e) {
            throw ProblemException.badRequest("invalid-time-range", e.getMessage());
        }
    }

    private static LocalDate parseDate(String date) {
        try {
            if (date != null && PLAIN_DATE.matcher(date).matches()) {
                return LocalDate.parse(date);
            }
        } catch (DateTimeParseException e) {
            // falls through to the problem below
        }
        throw ProblemException.badRequest("invalid-date", "date must be a date such as 2024-03-10");
    }

    private static <E extends Enum<E>> E parse(Class<E> type, String name, String value) {
        try {
            return Enum.valueOf(type, value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            List<String> allowed = Arrays.stream(type.getEnumConstants()).map(c -> code(c)).toList();
            throw ProblemException.badRequest("invalid-" + name, name + " must be one of " + allowed);
        }
    }

    private static String code(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }
}
