package io.healthmesh.normalizer.service;

import io.healthmesh.commons.problem.Problem;
import io.healthmesh.commons.problem.ProblemException;
import io.healthmesh.contracts.event.SessionType;
import io.healthmesh.contracts.vocab.Metric;
import io.healthmesh.contracts.vocab.Vocabulary;
import io.healthmesh.normalizer.api.MetricPoint;
import io.healthmesh.normalizer.api.MetricSeries;
import io.healthmesh.normalizer.api.SessionList;
import io.healthmesh.normalizer.api.SessionPoint;
import io.healthmesh.normalizer.config.ReadConfig;
import io.healthmesh.normalizer.domain.DailyValues;
import io.healthmesh.normalizer.domain.StoredMetric;
import io.healthmesh.normalizer.domain.TimeWindow;
import io.healthmesh.normalizer.repository.UnifiedReadRepository;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The read path: metric series and sessions of one user, every source attributed
 * ({@code view=all}). The resolved view (which source wins per bucket) plugs in here once the
 * preferences service serves the policy; until then it answers 501.
 */
@ApplicationScoped
public class UserDataReadService {

    public enum View { ALL, RESOLVED }

    /** Day-granularity reads look a day beyond the window: other clocks' local dates reach past it. */
    private static final Duration LOCAL_DATE_SLACK = Duration.ofDays(1);

    private final UnifiedReadRepository repository;
    private final ReadConfig config;

    public UserDataReadService(UnifiedReadRepository repository, ReadConfig config) {
        this.repository = repository;
        this.config = config;
    }

    public Uni<MetricSeries> metric(String userId, String metricCode, String from, String to, String granularity,
            String view) {
        Metric metric = Vocabulary.metric(metricCode).orElseThrow(() -> ProblemException.notFound("unknown-metric",
                "No metric '" + metricCode + "'; see the vocabulary in /q/openapi or GET /sources"));
        MetricBuckets.Granularity grain = parse(MetricBuckets.Granularity.class, "granularity", granularity);
        View chosen = parse(View.class, "view", view);
        requireAllView(chosen);
        TimeWindow window = window(from, to, homeZone(userId));
        int limit = grain == MetricBuckets.Granularity.RAW ? config.maxPoints() + 1 : Integer.MAX_VALUE;
        boolean days = grain == MetricBuckets.Granularity.DAY;
        return repository.metrics(userId, metric.code(),
                        days ? window.from().minus(LOCAL_DATE_SLACK) : window.from(),
                        days ? window.to().plus(LOCAL_DATE_SLACK) : window.to(), limit)
                .map(rows -> new MetricSeries(metric.code(), metric.canonicalUnit(),
                        metric.defaultAggregation().code(), code(chosen), code(grain),
                        points(rows, window, grain, metric)));
    }

    public Uni<SessionList> sessions(String userId, String type, String from, String to, String view) {
        SessionType sessionType = parse(SessionType.class, "type", type);
        View chosen = parse(View.class, "view", view);
        requireAllView(chosen);
        TimeWindow window = window(from, to, homeZone(userId));
        return repository.sessions(userId, sessionType.code(), window.from(), window.to())
                .map(rows -> new SessionList(sessionType.code(), code(chosen), rows.stream()
                        .map(s -> {
                            ZoneOffset offset = ZoneOffset.ofTotalSeconds(s.utcOffsetSeconds());
                            return new SessionPoint(s.start().atOffset(offset), s.end().atOffset(offset), s.source(),
                                    s.device(), s.details(), null, null);
                        })
                        .toList()));
    }

    private List<MetricPoint> points(List<StoredMetric> rows, TimeWindow window, MetricBuckets.Granularity grain,
            Metric metric) {
        return switch (grain) {
            case RAW -> {
                List<MetricPoint> points = MetricBuckets.raw(rows, window);
                if (rows.size() > config.maxPoints()) {
                    throw new ProblemException(Problem.of("too-many-points", 422, "Too many points",
                            "More than " + config.maxPoints() + " raw points in this range; ask for"
                                    + " granularity=hour or granularity=day, or a shorter range"));
                }
                yield points;
            }
            case HOUR -> MetricBuckets.hourly(rows, window, DailyValues.additive(metric));
            case DAY -> MetricBuckets.daily(rows, window, DailyValues.additive(metric));
        };
    }

    private static void requireAllView(View view) {
        if (view == View.RESOLVED) {
            throw new ProblemException(Problem.of("resolution-not-available", 501, "Not implemented",
                    "view=resolved needs the preferences policy, which is not served yet; use view=all"));
        }
    }

    /** The user's home zone for plain-date ranges; UTC until the preferences service serves it. */
    private static ZoneId homeZone(String userId) {
        return ZoneOffset.UTC;
    }

    private static TimeWindow window(String from, String to, ZoneId homeZone) {
        try {
            return TimeWindow.parse(from, to, homeZone);
        } catch (IllegalArgumentException e) {
            throw ProblemException.badRequest("invalid-time-range", e.getMessage());
        }
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
