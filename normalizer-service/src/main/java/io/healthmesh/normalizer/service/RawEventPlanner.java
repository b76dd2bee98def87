package io.healthmesh.normalizer.service;

import io.healthmesh.commons.messaging.TopicNames;
import io.healthmesh.contracts.event.Envelope;
import io.healthmesh.contracts.event.EventJson;
import io.healthmesh.contracts.event.MalformedEventException;
import io.healthmesh.contracts.event.Reading;
import io.healthmesh.contracts.event.Session;
import io.healthmesh.contracts.validation.EventValidator;
import io.healthmesh.contracts.validation.Violation;
import io.healthmesh.normalizer.domain.DeadLetter;
import io.healthmesh.normalizer.domain.MetricKey;
import io.healthmesh.normalizer.domain.RecordKey;
import io.healthmesh.normalizer.domain.WritePlan;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Reads, validates and normalizes one poll's raw records, in log order, into a write plan and the
 * records to dead-letter. Each record is judged on its own: one bad record never holds up the rest.
 */
@ApplicationScoped
public class RawEventPlanner {

    private static final Logger LOG = Logger.getLogger(RawEventPlanner.class);

    private final EventValidator validator = new EventValidator();
    private final EventNormalizer normalizer;
    private final TopicNames topics;

    public RawEventPlanner(EventNormalizer normalizer, TopicNames topics) {
        this.normalizer = normalizer;
        this.topics = topics;
    }

    /** One consumed record: where it came from and its bytes. */
    public record RawRecord(String topic, int partition, long offset, byte[] key, byte[] value) {
    }

    public record Planned(WritePlan plan, List<DeadLetter> deadLetters, int accepted) {
    }

    public Planned plan(List<RawRecord> records) {
        WritePlan plan = new WritePlan();
        List<DeadLetter> deadLetters = new ArrayList<>();
        int accepted = 0;
        for (RawRecord record : records) {
            String refusal = apply(record, plan);
            if (refusal == null) {
                accepted++;
            } else {
                deadLetters.add(new DeadLetter(record.topic(), record.partition(), record.offset(), record.key(),
                        record.value(), refusal));
            }
        }
        return new Planned(plan, deadLetters, accepted);
    }

    /** Adds the record's writes to the plan; answers why it is refused, or null. */
    private String apply(RawRecord record, WritePlan plan) {
        Envelope envelope;
        try {
            envelope = EventJson.read(record.value());
        } catch (MalformedEventException e) {
            return "malformed: " + e.getMessage();
        }
        String importJobId = importJobId(envelope);
        List<Violation> violations = validator.validate(envelope, topics.contractName(record.topic()));
        if (!violations.isEmpty()) {
            recordOutcome(plan, envelope, importJobId, false);
            return "invalid: " + violations.stream().map(Violation::describe).collect(Collectors.joining("; "));
        }
        try {
            if (envelope.payload() instanceof Reading reading) {
                applyReading(plan, envelope, reading);
            } else if (envelope.payload() instanceof Session session) {
                applySession(plan, envelope, session);
            }
        } catch (RuntimeException e) {
            // A valid event that still cannot be normalized is a defect here, not the producer's:
            // dead-letter it with the cause so it can be replayed once fixed.
            LOG.errorf(e, "Cannot normalize event %s from %s-%d@%d", envelope.eventId(), record.topic(),
                    record.partition(), record.offset());
            recordOutcome(plan, envelope, importJobId, false);
            return "unprocessable: " + e;
        }
        recordOutcome(plan, envelope, importJobId, true);
        return null;
    }

    private void applyReading(WritePlan plan, Envelope envelope, Reading reading) {
        if (!reading.deleted()) {
            plan.upsertMetric(normalizer.reading(envelope, reading));
        } else if (reading.metric() == null) {
            plan.deleteRecord(new RecordKey(envelope.userId(), envelope.source(), reading.sourceRecordId()),
                    envelope.occurredAt().toInstant());
        } else {
            plan.deleteMetric(new MetricKey(envelope.userId(), envelope.source(), reading.sourceRecordId(),
                    reading.metric()), envelope.occurredAt().toInstant());
        }
    }

    private void applySession(WritePlan plan, Envelope envelope, Session session) {
        if (session.deleted()) {
            plan.deleteSession(new RecordKey(envelope.userId(), envelope.source(), session.sourceRecordId()),
                    envelope.occurredAt().toInstant());
        } else {
            plan.upsertSession(normalizer.session(envelope, session),
                    normalizer.derivedSleepMetrics(envelope, session));
        }
    }

    private static void recordOutcome(WritePlan plan, Envelope envelope, String importJobId, boolean accepted) {
        if (importJobId != null && envelope.eventId() != null) {
            plan.outcome(importJobId, envelope.eventId(), accepted);
        }
    }

    private static String importJobId(Envelope envelope) {
        if (envelope.payload() instanceof Reading reading) {
            return reading.importJobId();
        }
        if (envelope.payload() instanceof Session session) {
            return session.importJobId();
        }
        return null;
    }
}
