package io.healthmesh.gateway.service;

import io.healthmesh.commons.problem.Problem;
import io.healthmesh.commons.problem.ProblemException;
import io.healthmesh.contracts.event.Aggregation;
import io.healthmesh.contracts.event.Envelope;
import io.healthmesh.contracts.event.Reading;
import io.healthmesh.contracts.identity.Identity;
import io.healthmesh.contracts.source.SourceId;
import io.healthmesh.contracts.source.Topics;
import io.healthmesh.contracts.validation.EventValidator;
import io.healthmesh.contracts.validation.Violation;
import io.healthmesh.contracts.vocab.Metric;
import io.healthmesh.contracts.vocab.Vocabulary;
import io.healthmesh.gateway.config.GatewayConfig;
import io.healthmesh.gateway.domain.PushBatch;
import io.healthmesh.gateway.domain.PushReading;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Turns a push batch into reading envelopes for {@code raw.push.v1}, or refuses it whole.
 *
 * <ul>
 *   <li>{@code push}: sourceRecordId = the reading's {@code id}.</li>
 *   <li>{@code apple_health}: sourceRecordId = {@link Identity#appleSourceRecordId} of (hkType, app,
 *       device, start, end, createdAt), the export importer's identity, so a sample that arrives
 *       by export and by push is one row; the device is normalized as the importer does.</li>
 *   <li>aggregation = the metric's default; a daily metric's localDate is the start's date in the
 *       reading's zone, else at its offset (no field of the push shape carries a date of its own).</li>
 *   <li>start, end and createdAt may lie at most {@link #MAX_AHEAD} after the batch arrived.</li>
 * </ul>
 *
 * Every reading is then checked with the contracts' {@link EventValidator} against the push topic.
 * A batch with any invalid reading is refused with one 422 naming every bad reading by index.
 */
@ApplicationScoped
public class PushBatchMapper {

    private static final Set<String> PUSH_SOURCES = Set.of(SourceId.PUSH, SourceId.APPLE_HEALTH);
    /**
     * How far after the batch's arrival a reading's times may lie: a phone's or a device's clock may
     * be off, but nothing is measured a day ahead. Without a bound a reading dated 9999 would be
     * accepted, stored and sit at the end of every read for good.
     */
    static final Duration MAX_AHEAD = Duration.ofDays(1);
    private static final String PAYLOAD = "payload.";

    private final EventValidator validator = new EventValidator();
    private final int maxReadings;

    @Inject
    public PushBatchMapper(GatewayConfig config) {
        this(config.push().maxReadings());
    }

    public PushBatchMapper(int maxReadings) {
        this.maxReadings = maxReadings;
    }

    /** Every reading of the batch as an envelope of the user, in the batch's order. */
    public List<Envelope> toEvents(String userId, PushBatch batch, OffsetDateTime occurredAt) {
        if (batch == null) {
            throw ProblemException.unprocessable("empty-batch", "Send {\"source\": ..., \"readings\": [...]}.", null);
        }
        String source = batch.source();
        if (source == null || !PUSH_SOURCES.contains(source)) {
            String reason = source == null ? "missing" : "unknown source '" + source + "'";
            throw ProblemException.unprocessable("invalid-batch", "The batch's source must be push or apple_health.",
                    List.of(new Problem.ProblemItem(null, "source", reason + " (push or apple_health)")));
        }
        List<PushReading> readings = batch.readings();
        if (readings == null || readings.isEmpty()) {
            throw ProblemException.unprocessable("empty-batch", "The batch has no readings.", null);
        }
        if (readings.size() > maxReadings) {
            // 413 like a body over the byte limit: either way the client's remedy is to split the batch.
            throw new ProblemException(Problem.of("too-many-readings", 413, "Payload too large",
                    "A batch holds at most " + maxReadings + " readings; this one has " + readings.size()
                            + ". Split it."));
        }
        List<Envelope> events = new ArrayList<>(readings.size());
        List<Problem.ProblemItem> errors = new ArrayList<>();
        int invalid = 0;
        for (int index = 0; index < readings.size(); index++) {
            int before = errors.size();
            Envelope event = toEvent(userId, source, readings.get(index), index, occurredAt, errors);
            if (errors.size() > before) {
                invalid++;
            } else {
                events.add(event);
            }
        }
        if (invalid > 0) {
            throw ProblemException.unprocessable("invalid-readings", invalid + " of " + readings.size()
                    + " readings are invalid; nothing was published.", errors);
        }
        return events;
    }

    private Envelope toEvent(String userId, String source, PushReading pushed, int index, OffsetDateTime occurredAt,
            List<Problem.ProblemItem> errors) {
        if (pushed == null) {
            errors.add(new Problem.ProblemItem(index, null, "missing (null reading)"));
            return null;
        }
        Reported reported = new Reported(index, errors);
        boolean apple = SourceId.APPLE_HEALTH.equals(source);
        boolean deleted = Boolean.TRUE.equals(pushed.deleted());
        // A push tombstone names its id only; an Apple sample's times are part of its identity.
        boolean timesRequired = apple || !deleted;
        OffsetDateTime latest = occurredAt.plus(MAX_AHEAD);
        OffsetDateTime start = time(pushed.start(), "start", timesRequired, latest, reported);
        OffsetDateTime end = time(pushed.end(), "end", timesRequired, latest, reported);

        String sourceRecordId;
        String device = pushed.device();
        if (apple) {
            require(pushed.hkType(), "hkType", "the HealthKit type identifier of the sample", reported);
            require(pushed.app(), "app", "the sample's sourceName", reported);
            OffsetDateTime createdAt = time(pushed.createdAt(), "createdAt", true, latest, reported);
            device = Identity.normalizeAppleDevice(device);
            sourceRecordId = Identity.appleSourceRecordId(pushed.hkType(), pushed.app(), device, start, end,
                    createdAt);
        } else {
            require(pushed.id(), "id", "a push reading's own id", reported);
            sourceRecordId = pushed.id();
        }

        Optional<Metric> metric = Vocabulary.metric(pushed.metric());
        Aggregation aggregation = metric.map(Metric::defaultAggregation).orElse(null);
        LocalDate localDate = aggregation == Aggregation.DAILY && start != null ? localDate(start, pushed.zone()) : null;
        Reading reading = Reading.builder()
                .sourceRecordId(sourceRecordId)
                .metric(pushed.metric())
                .value(pushed.value())
                .unit(pushed.unit())
                .aggregation(aggregation)
                .start(start)
                .end(end)
                .localDate(localDate)
                .zone(pushed.zone())
                .device(device)
                .app(pushed.app())
                .userEntered(pushed.userEntered())
                .deleted(deleted)
                .build();
        Envelope event = Envelope.reading(userId, source, reading, occurredAt);
        for (Violation violation : validator.validate(event, Topics.RAW_PUSH)) {
            reported.add(field(violation.field(), apple), violation.reason());
        }
        return event;
    }

    /** The push shape's name of a validated field: {@code payload.unit} is {@code unit}, and so on. */
    private static String field(String validatedField, boolean apple) {
        String field = validatedField.startsWith(PAYLOAD) ? validatedField.substring(PAYLOAD.length()) : validatedField;
        if (field.equals("sourceRecordId")) {
            return apple ? "hkType" : "id";
        }
        if (field.equals("localDate")) {
            return "start";
        }
        return field;
    }

    private static OffsetDateTime time(String text, String field, boolean required, OffsetDateTime latest,
            Reported reported) {
        if (text == null || text.isBlank()) {
            if (required) {
                reported.add(field, "missing");
            }
            return null;
        }
        try {
            OffsetDateTime time = OffsetDateTime.parse(text.trim());
            if (time.isAfter(latest)) {
                reported.add(field, "'" + text + "' is in the future (more than " + MAX_AHEAD.toHours()
                        + " h after the batch arrived)");
                return null;
            }
            return time;
        } catch (DateTimeParseException e) {
            reported.add(field, hasNoOffset(text.trim())
                    ? "'" + text + "' has no UTC offset (write e.g. 2024-03-10T07:00:00+01:00 or ...Z)"
                    : "'" + text + "' is not an ISO-8601 date-time with offset");
            return null;
        }
    }

    private static boolean hasNoOffset(String text) {
        try {
            LocalDateTime.parse(text);
            return true;
        } catch (DateTimeParseException e) {
            return false;
        }
    }

    private static void require(String value, String field, String what, Reported reported) {
        if (value == null || value.isBlank()) {
            reported.add(field, "missing: " + what);
        }
    }

    private static LocalDate localDate(OffsetDateTime start, String zone) {
        if (zone != null) {
            try {
                return start.atZoneSameInstant(ZoneId.of(zone)).toLocalDate();
            } catch (DateTimeException e) {
                // Not a zone id: the validator reports it; the offset's date stands in meanwhile.
            }
        }
        return start.toLocalDate();
    }

    /** One reading's errors: a field reported once (a time that did not parse is not also "missing"). */
    private static final class Reported {
        private final int index;
        private final List<Problem.ProblemItem> errors;
        private final Set<String> fields = new HashSet<>();

        Reported(int index, List<Problem.ProblemItem> errors) {
            this.index = index;
            this.errors = errors;
        }

        void add(String field, String reason) {
            if (fields.add(field)) {
                errors.add(new Problem.ProblemItem(index, field, reason));
            }
        }
    }
}
