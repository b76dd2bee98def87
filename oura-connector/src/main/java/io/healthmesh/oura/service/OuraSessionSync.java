package io.healthmesh.oura.service;

import com.fasterxml.jackson.databind.JsonNode;
import io.healthmesh.connector.provider.SyncContext;
import io.healthmesh.contracts.event.Session;
import io.healthmesh.contracts.event.SessionDetails;
import io.healthmesh.contracts.event.SessionType;
import io.healthmesh.oura.client.OuraApi;
import io.healthmesh.oura.config.OuraConfig;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.OffsetDateTime;

/**
 * {@code session} (Oura's "moments"): {@code nap} is a nap; {@code breathing}, {@code meditation},
 * {@code relaxation} and {@code rest} are {@code mindfulness} sessions (their type kept as the
 * activity type); {@code body_status} (a check-in, not a session) and unknown types are skipped.
 * Heart-rate statistics come from the session's 5-minute {@code heart_rate} samples.
 */
@Singleton
public class OuraSessionSync extends OuraDocumentSync {

    public static final String DATA_TYPE = "session";

    @Inject
    public OuraSessionSync(OuraApi api, OuraConfig config, Clock clock) {
        super(api, config, clock);
    }

    @Override
    public String dataType() {
        return DATA_TYPE;
    }

    @Override
    protected void publish(SyncContext context, JsonNode document, SyncOutcome.Counter counter) {
        String type = OuraJson.text(document, "type");
        SessionType sessionType = type == null ? null : switch (type) {
            case "nap" -> SessionType.NAP;
            case "breathing", "meditation", "relaxation", "rest" -> SessionType.MINDFULNESS;
            default -> null;
        };
        String id = OuraJson.text(document, "id");
        if (sessionType == null) {
            counter.skip("session of type " + type);
            // A moment re-labelled into a type we do not import must not stay as it was.
            tombstone(context, id, counter);
            return;
        }
        OffsetDateTime start = OuraJson.time(document, "start_datetime");
        OffsetDateTime end = OuraJson.time(document, "end_datetime");
        if (start == null || end == null || end.isBefore(start)) {
            counter.skip("session without readable times");
            return;
        }
        context.session(Session.builder()
                .sourceRecordId(id)
                .type(sessionType)
                .start(start)
                .end(end)
                .device(DEVICE)
                .details(SessionDetails.builder()
                        .activityType(sessionType == SessionType.MINDFULNESS ? type : null)
                        .heartRate(SampleStats.of(document.path("heart_rate")))
                        .build())
                .build());
        counter.sessions++;
    }
}
