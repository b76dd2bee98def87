package io.healthmesh.systemtests.normalizer;

import io.healthmesh.contracts.event.Aggregation;
import io.healthmesh.contracts.event.Envelope;
import io.healthmesh.contracts.event.Reading;
import io.healthmesh.contracts.event.Session;
import io.healthmesh.contracts.event.SessionDetails;
import io.healthmesh.contracts.event.SessionType;
import io.healthmesh.contracts.event.SleepStage;
import java.time.OffsetDateTime;
import java.util.Map;

/** Raw events for the normalizer's cross-service tests. */
final class RawEvents {

    static final OffsetDateTime EMITTED = OffsetDateTime.parse("2024-05-02T12:00:00Z");

    private RawEvents() {
    }

    static Envelope sample(String user, String source, String id, String metric, double value, String unit,
            OffsetDateTime at, String importJobId) {
        return Envelope.reading(user, source, Reading.builder().sourceRecordId(id).metric(metric).value(value)
                .unit(unit).aggregation(Aggregation.SAMPLE).start(at).end(at).importJobId(importJobId).build(),
                EMITTED);
    }

    static Envelope amount(String user, String source, String id, String metric, double value, String unit,
            OffsetDateTime start, OffsetDateTime end, String device) {
        return Envelope.reading(user, source, Reading.builder().sourceRecordId(id).metric(metric).value(value)
                .unit(unit).aggregation(Aggregation.CUMULATIVE).start(start).end(end).device(device).build(), EMITTED);
    }

    static Envelope corrected(Envelope event, double value) {
        Reading reading = ((Reading) event.payload()).toBuilder().value(value).build();
        return new Envelope(event.eventId(), event.schemaVersion(), event.kind(), event.userId(), event.source(),
                event.occurredAt().plusMinutes(5), reading);
    }

    static Envelope deletion(String user, String source, String id, String metric) {
        return Envelope.reading(user, source, Reading.builder().sourceRecordId(id).metric(metric).deleted(true)
                .build(), EMITTED.plusMinutes(10));
    }

    static Envelope sleep(String user, String source, String id, OffsetDateTime start, OffsetDateTime end) {
        SessionDetails details = SessionDetails.builder().stageTotalsSeconds(Map.of(SleepStage.LIGHT, 16_000.0,
                SleepStage.DEEP, 4_000.0, SleepStage.REM, 6_000.0, SleepStage.AWAKE, 1_200.0)).build();
        return Envelope.session(user, source, Session.builder().sourceRecordId(id).type(SessionType.SLEEP)
                .start(start).end(end).details(details).build(), EMITTED);
    }
}
