package io.healthmesh.contracts.validation;

import io.healthmesh.contracts.event.Aggregation;
import io.healthmesh.contracts.event.Envelope;
import io.healthmesh.contracts.event.HeartRateStats;
import io.healthmesh.contracts.event.Payload;
import io.healthmesh.contracts.event.Reading;
import io.healthmesh.contracts.event.Session;
import io.healthmesh.contracts.event.SessionDetails;
import io.healthmesh.contracts.event.SessionType;
import io.healthmesh.contracts.event.SleepStage;
import io.healthmesh.contracts.event.SleepStageInterval;
import io.healthmesh.contracts.identity.Identity;
import io.healthmesh.contracts.source.SourceId;
import io.healthmesh.contracts.source.Topics;
import io.healthmesh.contracts.vocab.Conversion;
import io.healthmesh.contracts.vocab.Metric;
import io.healthmesh.contracts.vocab.Units;
import io.healthmesh.contracts.vocab.Vocabulary;
import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/**
 * The hard rules every event must pass, shared by importers, the push API and the normalizer so
 * that a value refused in one place is refused everywhere. Stateless and thread-safe.
 *
 * <p>An empty list means valid. Every violation is reported, not only the first, so a producer
 * can fix a record in one go.
 */
public final class EventValidator {

    /** Longest interval of one non-daily reading. */
    public static final Duration MAX_READING_INTERVAL = Duration.ofDays(31);
    /** Longest sleep or nap. */
    public static final Duration MAX_SLEEP_SESSION = Duration.ofHours(48);
    /** Longest workout or mindfulness session. */
    public static final Duration MAX_OTHER_SESSION = Duration.ofDays(7);
    /**
     * Slack for stage intervals and stage totals against their session, since sources round
     * stage boundaries (Oura's hypnogram has five-minute steps, clipped by the connector) and
     * totals independently of the session's own start and end.
     */
    public static final Duration SESSION_SLACK = Duration.ofMinutes(1);

    private static final Set<String> IANA_ZONES = Set.copyOf(ZoneId.getAvailableZoneIds());
    private static final Set<SleepStage> DISJOINT_STAGES =
            EnumSet.of(SleepStage.AWAKE, SleepStage.LIGHT, SleepStage.DEEP, SleepStage.REM);
    private static final String HEART_RATE = "heart_rate";

    public List<Violation> validate(Envelope envelope) {
        List<Violation> violations = new ArrayList<>();
        if (envelope == null) {
            violations.add(new Violation("", "event missing"));
            return violations;
        }
        validateEnvelope(envelope, violations);
        Payload payload = envelope.payload();
        if (payload instanceof Reading reading) {
            validateReading(reading, violations);
        } else if (payload instanceof Session session) {
            validateSession(session, violations);
        }
        return violations;
    }

    /**
     * {@link #validate(Envelope)}, and the source must be one the (unprefixed) raw topic carries:
     * the topic follows the producer path, so {@code oura} on {@code raw.csv.v1} is a producer bug.
     */
    public List<Violation> validate(Envelope envelope, String rawTopic) {
        List<Violation> violations = validate(envelope);
        if (envelope == null) {
            return violations;
        }
        Set<String> allowed = Topics.sourcesAllowedOn(rawTopic);
        if (allowed.isEmpty()) {
            violations.add(new Violation("source", "'" + rawTopic + "' is not a raw topic"));
        } else if (envelope.source() != null && !allowed.contains(envelope.source())) {
            violations.add(new Violation("source", "source '" + envelope.source() + "' is not allowed on "
                    + rawTopic + " (allowed: " + String.join(", ", new TreeSet<>(allowed)) + ")"));
        }
        return violations;
    }

    private void validateEnvelope(Envelope envelope, List<Violation> violations) {
        if (envelope.schemaVersion() != Envelope.SCHEMA_VERSION) {
            violations.add(new Violation("schemaVersion",
                    "must be " + Envelope.SCHEMA_VERSION + ", was " + envelope.schemaVersion()));
        }
        if (isBlank(envelope.userId())) {
            violations.add(new Violation("userId", "missing"));
        }
        if (isBlank(envelope.source())) {
            violations.add(new Violation("source", "missing"));
        } else if (!SourceId.isKnown(envelope.source())) {
            violations.add(new Violation("source", "unknown source '" + envelope.source() + "'"));
        }
        if (envelope.occurredAt() == null) {
            violations.add(new Violation("occurredAt", "missing"));
        }
        Payload payload = envelope.payload();
        if (envelope.kind() == null) {
            violations.add(new Violation("kind", "missing"));
        }
        if (payload == null) {
            violations.add(new Violation("payload", "missing"));
        } else if (envelope.kind() != null && envelope.kind() != payload.eventKind()) {
            violations.add(new Violation("kind", "kind '" + envelope.kind().code() + "' does not match a "
                    + payload.eventKind().code() + " payload"));
        }
        if (envelope.eventId() == null) {
            violations.add(new Violation("eventId", "missing"));
        } else if (payload != null) {
            checkEventId(envelope, payload, violations);
        }
    }

    private void checkEventId(Envelope envelope, Payload payload, List<Violation> violations) {
        UUID expected;
        String rule;
        if (payload instanceof Reading reading) {
            expected = Identity.eventId(envelope.userId(), envelope.source(), reading.sourceRecordId(),
                    reading.metric());
            rule = "eventId does not match userId|source|sourceRecordId|metric";
        } else {
            expected = Identity.sessionEventId(envelope.userId(), envelope.source(), payload.sourceRecordId());
            rule = "eventId does not match userId|source|sourceRecordId|session";
        }
        if (!expected.equals(envelope.eventId())) {
            violations.add(new Violation("eventId", rule + " (expected " + expected + ")"));
        }
    }

    private void validateReading(Reading reading, List<Violation> violations) {
        if (isBlank(reading.sourceRecordId())) {
            violations.add(new Violation("payload.sourceRecordId", "missing"));
        }
        checkZone(reading.zone(), violations);
        Optional<Metric> metric = Vocabulary.metric(reading.metric());
        if (reading.metric() == null) {
            if (!reading.deleted()) {
                violations.add(new Violation("payload.metric", "missing (only a tombstone may omit it)"));
            }
        } else if (metric.isEmpty()) {
            violations.add(new Violation("payload.metric", "unknown metric '" + reading.metric() + "'"));
        }
        if (reading.deleted()) {
            // A tombstone only names what to remove; its value and times are not used.
            return;
        }
        boolean valueUsable = checkValuePresent(reading.value(), violations);
        boolean unitKnown = checkUnitKnown(reading.unit(), metric.orElse(null), violations);
        if (metric.isPresent() && unitKnown) {
            checkUnitFitsAndRange(reading, metric.get(), valueUsable, violations);
        }
        checkInterval(reading.start(), reading.end(), "payload", violations);
        Aggregation aggregation = reading.effectiveAggregation();
        if (aggregation == Aggregation.DAILY && reading.localDate() == null) {
            violations.add(new Violation("payload.localDate", "missing: a daily reading needs its local date"));
        }
        if (aggregation != Aggregation.DAILY && reading.start() != null && reading.end() != null) {
            Duration length = Duration.between(reading.start(), reading.end());
            if (length.compareTo(MAX_READING_INTERVAL) > 0) {
                violations.add(new Violation("payload.end", "interval of " + length.toDays()
                        + " days is longer than " + MAX_READING_INTERVAL.toDays() + " days"));
            }
        }
    }

    private boolean checkValuePresent(Double value, List<Violation> violations) {
        if (value == null) {
            violations.add(new Violation("payload.value", "missing"));
            return false;
        }
        if (!Double.isFinite(value)) {
            violations.add(new Violation("payload.value", "not a finite number: " + value));
            return false;
        }
        return true;
    }

    private boolean checkUnitKnown(String unit, Metric metric, List<Violation> violations) {
        if (isBlank(unit)) {
            violations.add(new Violation("payload.unit", "missing"));
            return false;
        }
        if (!Units.isKnown(unit)) {
            String forMetric = metric == null ? ""
                    : " for metric '" + metric.code() + "' (canonical unit " + metric.canonicalUnit() + ")";
            violations.add(new Violation("payload.unit", "unknown unit '" + unit + "'" + forMetric));
            return false;
        }
        return true;
    }

    private void checkUnitFitsAndRange(Reading reading, Metric metric, boolean valueUsable,
            List<Violation> violations) {
        String unit = reading.unit();
        if (!Units.convertible(unit, metric.canonicalUnit())) {
            violations.add(new Violation("payload.unit", "unit '" + unit + "' does not fit metric '"
                    + metric.code() + "' (canonical unit " + metric.canonicalUnit() + ")"));
            return;
        }
        if (!valueUsable) {
            return;
        }
        double value = reading.value();
        double canonical = Conversion.toCanonical(metric, value, unit);
        String unitSuffix = " " + metric.canonicalUnit();
        if (canonical < metric.minPlausible()) {
            violations.add(new Violation("payload.value", format(canonical) + unitSuffix
                    + " is below the limit " + format(metric.minPlausible()) + unitSuffix
                    + " for " + metric.code()));
        } else if (canonical > metric.maxPlausible()) {
            violations.add(new Violation("payload.value", format(canonical) + unitSuffix
                    + " is above the limit " + format(metric.maxPlausible()) + unitSuffix
                    + " for " + metric.code()));
        }
    }

    private void validateSession(Session session, List<Violation> violations) {
        if (isBlank(session.sourceRecordId())) {
            violations.add(new Violation("payload.sourceRecordId", "missing"));
        }
        checkZone(session.zone(), violations);
        if (session.deleted()) {
            return;
        }
        if (session.type() == null) {
            violations.add(new Violation("payload.type", "missing"));
        }
        boolean intervalValid = checkInterval(session.start(), session.end(), "payload", violations);
        Duration length = intervalValid ? Duration.between(session.start(), session.end()) : null;
        if (length != null && session.type() != null) {
            Duration max = isSleep(session.type()) ? MAX_SLEEP_SESSION : MAX_OTHER_SESSION;
            if (length.compareTo(max) > 0) {
                violations.add(new Violation("payload.end", "a " + session.type().code() + " of "
                        + length.toHours() + " h is longer than " + max.toHours() + " h"));
            }
        }
        if (session.details() != null) {
            checkDetails(session, length, violations);
        }
    }

    private void checkDetails(Session session, Duration sessionLength, List<Violation> violations) {
        SessionDetails details = session.details();
        if (details.stages() != null) {
            List<SleepStageInterval> stages = details.stages();
            for (int i = 0; i < stages.size(); i++) {
                checkStage(stages.get(i), "payload.details.stages[" + i + "]", session, sessionLength, violations);
            }
        }
        if (details.stageTotalsSeconds() != null) {
            checkStageTotals(details.stageTotalsSeconds(), sessionLength, violations);
        }
        checkNonNegative(details.distanceMeters(), "payload.details.distance", violations);
        checkNonNegative(details.energyKcal(), "payload.details.energy", violations);
        checkNonNegative(details.latencySeconds(), "payload.details.latency", violations);
        if (details.efficiency() != null
                && !(details.efficiency() >= 0 && details.efficiency() <= 100)) {
            violations.add(new Violation("payload.details.efficiency",
                    "must be a percentage 0-100, was " + format(details.efficiency())));
        }
        if (details.heartRate() != null) {
            checkHeartRate(details.heartRate(), violations);
        }
    }

    private void checkStage(SleepStageInterval stage, String field, Session session, Duration sessionLength,
            List<Violation> violations) {
        if (stage == null) {
            violations.add(new Violation(field, "missing"));
            return;
        }
        if (stage.stage() == null) {
            violations.add(new Violation(field + ".stage", "missing"));
        }
        if (!checkInterval(stage.start(), stage.end(), field, violations) || sessionLength == null) {
            return;
        }
        if (stage.start().isBefore(session.start().minus(SESSION_SLACK))) {
            violations.add(new Violation(field + ".start", "stage starts at " + stage.start()
                    + ", before the session's start " + session.start()));
        }
        if (stage.end().isAfter(session.end().plus(SESSION_SLACK))) {
            violations.add(new Violation(field + ".end", "stage ends at " + stage.end()
                    + ", after the session's end " + session.end()));
        }
    }

    private void checkStageTotals(Map<SleepStage, Double> totals, Duration sessionLength,
            List<Violation> violations) {
        double limit = sessionLength == null ? Double.NaN : sessionLength.plus(SESSION_SLACK).toSeconds();
        double disjointSum = 0;
        boolean singleTotalTooLong = false;
        for (Map.Entry<SleepStage, Double> total : totals.entrySet()) {
            String field = "payload.details.stageTotals." + total.getKey().code();
            Double seconds = total.getValue();
            if (seconds == null || !Double.isFinite(seconds)) {
                violations.add(new Violation(field, "missing or not a finite number"));
                continue;
            }
            if (seconds < 0) {
                violations.add(new Violation(field, "negative: " + format(seconds) + " s"));
                continue;
            }
            if (seconds > limit) {
                singleTotalTooLong = true;
                violations.add(new Violation(field, format(seconds) + " s exceeds the session's "
                        + sessionLength.toSeconds() + " s"));
            }
            if (DISJOINT_STAGES.contains(total.getKey())) {
                disjointSum += seconds;
            }
        }
        if (disjointSum > limit && !singleTotalTooLong) {
            violations.add(new Violation("payload.details.stageTotals", "awake, light, deep and rem add up to "
                    + format(disjointSum) + " s, more than the session's " + sessionLength.toSeconds() + " s"));
        }
    }

    private void checkHeartRate(HeartRateStats heartRate, List<Violation> violations) {
        Metric limits = Vocabulary.metric(HEART_RATE).orElseThrow();
        checkHeartRateValue(heartRate.average(), "payload.details.heartRate.average", limits, violations);
        checkHeartRateValue(heartRate.min(), "payload.details.heartRate.min", limits, violations);
        checkHeartRateValue(heartRate.max(), "payload.details.heartRate.max", limits, violations);
        if (heartRate.min() != null && heartRate.max() != null && heartRate.min() > heartRate.max()) {
            violations.add(new Violation("payload.details.heartRate.min", "min " + format(heartRate.min())
                    + " is above max " + format(heartRate.max())));
        }
    }

    private void checkHeartRateValue(Double bpm, String field, Metric limits, List<Violation> violations) {
        if (bpm != null && !limits.isPlausible(bpm)) {
            violations.add(new Violation(field, format(bpm) + " count/min is outside "
                    + format(limits.minPlausible()) + "-" + format(limits.maxPlausible()) + " count/min"));
        }
    }

    /** Reports missing or reversed times; true when both are present and in order. */
    private boolean checkInterval(OffsetDateTime start, OffsetDateTime end, String prefix,
            List<Violation> violations) {
        if (start == null) {
            violations.add(new Violation(prefix + ".start", "missing"));
        }
        if (end == null) {
            violations.add(new Violation(prefix + ".end", "missing"));
        }
        if (start == null || end == null) {
            return false;
        }
        if (start.isAfter(end)) {
            violations.add(new Violation(prefix + ".start", "start " + start + " is after end " + end));
            return false;
        }
        return true;
    }

    private void checkZone(String zone, List<Violation> violations) {
        if (zone != null && !IANA_ZONES.contains(zone)) {
            violations.add(new Violation("payload.zone", "'" + zone + "' is not an IANA time zone id"));
        }
    }

    private void checkNonNegative(Double value, String field, List<Violation> violations) {
        if (value != null && !(value >= 0 && Double.isFinite(value))) {
            violations.add(new Violation(field, "must be a non-negative number, was " + value));
        }
    }

    private static boolean isSleep(SessionType type) {
        return type == SessionType.SLEEP || type == SessionType.NAP;
    }

    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }

    /** Up to seven significant digits, without a trailing ".0": {@code 907.1847 kg}, {@code 650 kg}. */
    static String format(double value) {
        if (!Double.isFinite(value)) {
            return Double.toString(value);
        }
        return new BigDecimal(value).round(new MathContext(7)).stripTrailingZeros().toPlainString();
    }
}
