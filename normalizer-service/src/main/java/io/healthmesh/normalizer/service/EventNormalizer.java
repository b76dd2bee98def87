package io.healthmesh.normalizer.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.healthmesh.contracts.event.Aggregation;
import io.healthmesh.contracts.event.Envelope;
import io.healthmesh.contracts.event.EventJson;
import io.healthmesh.contracts.event.Reading;
import io.healthmesh.contracts.event.Session;
import io.healthmesh.contracts.event.SessionDetails;
import io.healthmesh.contracts.identity.Identity;
import io.healthmesh.contracts.vocab.Metric;
import io.healthmesh.contracts.vocab.Units;
import io.healthmesh.contracts.vocab.Vocabulary;
import io.healthmesh.normalizer.domain.DayRule;
import io.healthmesh.normalizer.domain.MetricRow;
import io.healthmesh.normalizer.domain.QualityAssessment;
import io.healthmesh.normalizer.domain.SessionRow;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Turns a validated event into the rows it writes: a reading into one unified metric in its
 * canonical unit, a session into a health session plus, for sleep, its derived daily metrics.
 */
@ApplicationScoped
public class EventNormalizer {

    private static final ObjectMapper JSON = EventJson.mapper();
    private static final String SLEEP_CATEGORY = "sleep";

    private final QualityScorer quality;
    private final SleepMetricsDeriver sleepMetrics;

    public EventNormalizer(QualityScorer quality, SleepMetricsDeriver sleepMetrics) {
        this.quality = quality;
        this.sleepMetrics = sleepMetrics;
    }

    /** Requires a valid, non-deleted reading (see EventValidator). */
    public MetricRow reading(Envelope envelope, Reading reading) {
        Metric metric = Vocabulary.metric(reading.metric())
                .orElseThrow(() -> new IllegalArgumentException("unknown metric " + reading.metric()));
        double original = reading.value();
        double canonical = metric.measuresDifference()
                ? Units.convertDifference(original, reading.unit(), metric.canonicalUnit())
                : Units.convert(original, reading.unit(), metric.canonicalUnit());
        Aggregation aggregation = reading.effectiveAggregation();
        boolean userEntered = Boolean.TRUE.equals(reading.userEntered());
        QualityAssessment assessment = quality.assessReading(envelope.source(), metric, canonical, aggregation,
                Duration.between(reading.start(), reading.end()), userEntered);
        LocalDate localDate = aggregation == Aggregation.DAILY && reading.localDate() != null
                ? reading.localDate()
                : DayRule.localDate(reading.start(), reading.zone());
        return new MetricRow(envelope.userId(), envelope.source(), reading.sourceRecordId(), metric.code(),
                metric.category().code(), canonical, metric.canonicalUnit(), original, reading.unit(), aggregation,
                reading.start().toInstant(), reading.end().toInstant(), reading.start().getOffset().getTotalSeconds(),
                localDate, reading.zone(), reading.device(), reading.app(), userEntered, assessment.score(),
                toJson(assessment.factors()), envelope.eventId(), reading.importJobId(), false,
                envelope.occurredAt().toInstant());
    }

    /** Requires a valid, non-deleted session. */
    public SessionRow session(Envelope envelope, Session session) {
        QualityAssessment assessment = quality.assessSession(envelope.source());
        SessionDetails details = session.details() == null ? SessionDetails.builder().build() : session.details();
        return new SessionRow(envelope.userId(), envelope.source(), session.sourceRecordId(),
                session.type().code(), session.start().toInstant(),
                session.end().toInstant(), session.start().getOffset().getTotalSeconds(),
                DayRule.localDate(session.end(), session.zone()), session.zone(), session.device(), session.app(),
                toJson(details), assessment.score(), toJson(assessment.factors()), envelope.eventId(),
                session.importJobId(), envelope.occurredAt().toInstant());
    }

    /**
     * The daily sleep metrics of a sleep session, dated on the local date the session ends, each
     * with the session's identity so a tombstone of the session's record removes them too.
     */
    public List<MetricRow> derivedSleepMetrics(Envelope envelope, Session session) {
        Map<String, Double> values = sleepMetrics.derive(session);
        List<MetricRow> rows = new ArrayList<>(values.size());
        OffsetDateTime end = session.end();
        LocalDate night = DayRule.localDate(end, session.zone());
        for (Map.Entry<String, Double> entry : values.entrySet()) {
            Metric metric = Vocabulary.metric(entry.getKey()).orElseThrow();
            QualityAssessment assessment = quality.assessReading(envelope.source(), metric, entry.getValue(),
                    Aggregation.DAILY, Duration.ZERO, false);
            rows.add(new MetricRow(envelope.userId(), envelope.source(), session.sourceRecordId(), metric.code(),
                    SLEEP_CATEGORY, entry.getValue(), metric.canonicalUnit(), entry.getValue(),
                    metric.canonicalUnit(), Aggregation.DAILY, session.start().toInstant(), end.toInstant(),
                    session.start().getOffset().getTotalSeconds(), night, session.zone(), session.device(),
                    session.app(), false, assessment.score(), toJson(assessment.factors()),
                    Identity.eventId(envelope.userId(), envelope.source(), session.sourceRecordId(), metric.code()),
                    session.importJobId(), true, envelope.occurredAt().toInstant()));
        }
        return rows;
    }

    private static String toJson(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot write " + value.getClass().getSimpleName() + " as JSON", e);
        }
    }
}
