package io.healthmesh.normalizer;

import io.healthmesh.contracts.event.Aggregation;
import io.healthmesh.contracts.event.Envelope;
import io.healthmesh.contracts.event.Reading;
import io.healthmesh.contracts.event.Session;
import io.healthmesh.contracts.event.SessionDetails;
import io.healthmesh.contracts.event.SessionType;
import java.time.LocalDate;
import java.time.OffsetDateTime;

/** Concise raw events for tests, built with the contracts' own builders. */
public final class TestEvents {

    public static final OffsetDateTime EMITTED = OffsetDateTime.parse("2024-03-11T12:00:00Z");

    private TestEvents() {
    }

    public static Envelope sample(String user, String source, String id, String metric, double value, String unit,
            String at) {
        OffsetDateTime time = OffsetDateTime.parse(at);
        return Envelope.reading(user, source, Reading.builder().sourceRecordId(id).metric(metric).value(value)
                .unit(unit).aggregation(Aggregation.SAMPLE).start(time).end(time).build(), EMITTED);
    }

    public static Envelope amount(String user, String source, String id, String metric, double value, String unit,
            String start, String end) {
        return amount(user, source, id, metric, value, unit, start, end, null, null);
    }

    public static Envelope amount(String user, String source, String id, String metric, double value, String unit,
            String start, String end, String device, String zone) {
        return Envelope.reading(user, source, Reading.builder().sourceRecordId(id).metric(metric).value(value)
                .unit(unit).aggregation(Aggregation.CUMULATIVE).start(OffsetDateTime.parse(start))
                .end(OffsetDateTime.parse(end)).device(device).zone(zone).build(), EMITTED);
    }

    public static Envelope daily(String user, String source, String id, String metric, double value, String unit,
            String date, String offset) {
        LocalDate day = LocalDate.parse(date);
        OffsetDateTime start = OffsetDateTime.parse(date + "T00:00:00" + offset);
        return Envelope.reading(user, source, Reading.builder().sourceRecordId(id).metric(metric).value(value)
                .unit(unit).aggregation(Aggregation.DAILY).start(start).end(start.plusDays(1)).localDate(day)
                .build(), EMITTED);
    }

    public static Envelope later(Envelope event, int minutes) {
        return new Envelope(event.eventId(), event.schemaVersion(), event.kind(), event.userId(), event.source(),
                event.occurredAt().plusMinutes(minutes), event.payload());
    }

    public static Envelope withValue(Envelope event, double value, int minutesLater) {
        Reading reading = ((Reading) event.payload()).toBuilder().value(value).build();
        return new Envelope(event.eventId(), event.schemaVersion(), event.kind(), event.userId(), event.source(),
                event.occurredAt().plusMinutes(minutesLater), reading);
    }

    public static Envelope withImportJob(Envelope event, String jobId) {
        Reading reading = ((Reading) event.payload()).toBuilder().importJobId(jobId).build();
        return new Envelope(event.eventId(), event.schemaVersion(), event.kind(), event.userId(), event.source(),
                event.occurredAt(), reading);
    }

    public static Envelope deletion(String user, String source, String id, String metric, int minutesLater) {
        return Envelope.reading(user, source, Reading.builder().sourceRecordId(id).metric(metric).deleted(true)
                .build(), EMITTED.plusMinutes(minutesLater));
    }

    public static Envelope session(String user, String source, String id, SessionType type, String start,
            String end, SessionDetails details) {
        return Envelope.session(user, source, Session.builder().sourceRecordId(id).type(type)
                .start(OffsetDateTime.parse(start)).end(OffsetDateTime.parse(end)).details(details).build(), EMITTED);
    }

    public static Envelope sessionDeletion(String user, String source, String id, int minutesLater) {
        return Envelope.session(user, source, Session.builder().sourceRecordId(id).deleted(true).build(),
                EMITTED.plusMinutes(minutesLater));
    }
}
