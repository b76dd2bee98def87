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
 * {@code workout}: a {@code workout} session from {@code start_datetime} to {@code end_datetime}
 * with its {@code activity} (Oura's free string, e.g. {@code running}), {@code calories} (kcal) and
 * {@code distance} (m, often null). Oura's workouts carry no heart rate; the heart-rate samples
 * during one come through {@link OuraHeartRateSync}.
 */
@Singleton
public class OuraWorkoutSync extends OuraDocumentSync {

    public static final String DATA_TYPE = "workout";

    @Inject
    public OuraWorkoutSync(OuraApi api, OuraConfig config, Clock clock) {
        super(api, config, clock);
    }

    @Override
    public String dataType() {
        return DATA_TYPE;
    }

    @Override
    protected void publish(SyncContext context, JsonNode document, SyncOutcome.Counter counter) {
        OffsetDateTime start = OuraJson.time(document, "start_datetime");
        OffsetDateTime end = OuraJson.time(document, "end_datetime");
        if (start == null || end == null || end.isBefore(start)) {
            counter.skip("workout without readable times");
            return;
        }
        context.session(Session.builder()
                .sourceRecordId(OuraJson.text(document, "id"))
                .type(SessionType.WORKOUT)
                .start(start)
                .end(end)
                .device(DEVICE)
                .details(SessionDetails.builder()
                        .activityType(OuraJson.text(document, "activity"))
                        .energyKcal(OuraSleepSync.nonNegative(OuraJson.decimal(document, "calories")))
                        .distanceMeters(OuraSleepSync.nonNegative(OuraJson.decimal(document, "distance")))
                        .build())
                .build());
        counter.sessions++;
    }
}
