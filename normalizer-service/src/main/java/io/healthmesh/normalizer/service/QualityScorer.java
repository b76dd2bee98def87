package io.healthmesh.normalizer.service;

import io.healthmesh.contracts.event.Aggregation;
import io.healthmesh.contracts.source.SourceId;
import io.healthmesh.contracts.vocab.Metric;
import io.healthmesh.normalizer.domain.QualityAssessment;
import io.healthmesh.normalizer.domain.QualityAssessment.Factor;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Scores how much a value can be trusted, from soft signals only (hard limits already rejected
 * the impossible): how reliable the source is, whether a device measured it or a person typed it,
 * how precise its interval is, and whether it sits near the edge of the plausible.
 */
@ApplicationScoped
public class QualityScorer {

    /**
     * Direct device integrations measure; file imports and pushes may have passed through hands
     * and spreadsheets; nutrition logs are estimates by nature.
     */
    private static final Map<String, Double> SOURCE_RELIABILITY = Map.ofEntries(
            Map.entry(SourceId.WITHINGS, 1.0),
            Map.entry(SourceId.OURA, 1.0),
            Map.entry(SourceId.APPLE_HEALTH, 1.0),
            Map.entry(SourceId.FITBIT, 1.0),
            Map.entry(SourceId.WHOOP, 1.0),
            Map.entry(SourceId.STRAVA, 0.95),
            Map.entry(SourceId.PUSH, 0.9),
            Map.entry(SourceId.CRONOMETER, 0.9),
            Map.entry(SourceId.MYFITNESSPAL, 0.85),
            Map.entry(SourceId.CSV, 0.8));

    static final double USER_ENTERED_WEIGHT = 0.7;
    static final double NEAR_LIMIT_WEIGHT = 0.6;
    /** Share of the plausible range, at either end, that counts as near the limit. */
    static final double NEAR_LIMIT_SHARE = 0.02;

    public QualityAssessment assessReading(String source, Metric metric, double canonicalValue,
            Aggregation aggregation, Duration interval, boolean userEntered) {
        return combine(List.of(
                sourceReliability(source),
                entry(userEntered),
                intervalPrecision(aggregation, interval),
                plausibility(metric, canonicalValue)));
    }

    public QualityAssessment assessSession(String source) {
        return combine(List.of(sourceReliability(source)));
    }

    private static Factor sourceReliability(String source) {
        double weight = SOURCE_RELIABILITY.getOrDefault(source, 0.8);
        return new Factor("source_reliability", weight, "source " + source);
    }

    private static Factor entry(boolean userEntered) {
        return userEntered
                ? new Factor("user_entered", USER_ENTERED_WEIGHT, "typed in by hand")
                : new Factor("device_measured", 1.0, "measured or computed by the source");
    }

    private static Factor intervalPrecision(Aggregation aggregation, Duration interval) {
        long seconds = interval.getSeconds();
        return switch (aggregation) {
            case DAILY -> new Factor("interval_precision", 1.0, "a daily value");
            case SAMPLE -> seconds <= 900
                    ? new Factor("interval_precision", 1.0, "a point or short sample")
                    : new Factor("interval_precision", 0.9, "a sample spread over " + human(interval));
            case CUMULATIVE -> {
                if (seconds <= 3_600) {
                    yield new Factor("interval_precision", 1.0, "an amount over at most an hour");
                }
                if (seconds <= 86_400) {
                    yield new Factor("interval_precision", 0.9, "an amount over " + human(interval)
                            + ", spread pro rata");
                }
                yield new Factor("interval_precision", 0.8, "an amount over " + human(interval)
                        + ", spread pro rata");
            }
        };
    }

    private static Factor plausibility(Metric metric, double value) {
        double margin = (metric.maxPlausible() - metric.minPlausible()) * NEAR_LIMIT_SHARE;
        boolean nearLow = metric.minPlausible() > 0 && value < metric.minPlausible() + margin;
        boolean nearHigh = value > metric.maxPlausible() - margin;
        if (nearLow || nearHigh) {
            return new Factor("plausibility", NEAR_LIMIT_WEIGHT,
                    "close to the " + (nearLow ? "lowest" : "highest") + " plausible " + metric.code());
        }
        return new Factor("plausibility", 1.0, "well inside the plausible range");
    }

    private static QualityAssessment combine(List<Factor> factors) {
        double score = 1.0;
        for (Factor factor : factors) {
            score *= factor.weight();
        }
        return new QualityAssessment(Math.round(score * 1000) / 1000.0, factors);
    }

    private static String human(Duration interval) {
        long minutes = interval.toMinutes();
        return minutes < 120 ? minutes + " min" : (minutes / 60) + " h";
    }
}
