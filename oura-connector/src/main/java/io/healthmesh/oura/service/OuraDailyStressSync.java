package io.healthmesh.oura.service;

import com.fasterxml.jackson.databind.JsonNode;
import io.healthmesh.connector.provider.SyncContext;
import io.healthmesh.contracts.vocab.Units;
import io.healthmesh.oura.client.OuraApi;
import io.healthmesh.oura.config.OuraConfig;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Clock;

/** {@code daily_stress}: seconds in high stress ({@code oura_stress_high}) and high recovery ({@code oura_recovery_high}). */
@Singleton
public class OuraDailyStressSync extends OuraDocumentSync {

    public static final String DATA_TYPE = "daily_stress";

    @Inject
    public OuraDailyStressSync(OuraApi api, OuraConfig config, Clock clock) {
        super(api, config, clock);
    }

    @Override
    public String dataType() {
        return DATA_TYPE;
    }

    @Override
    protected void publish(SyncContext context, JsonNode document, SyncOutcome.Counter counter) {
        DailyReadings day = DailyReadings.of(context, document, OuraJson.day(document, "day"), counter);
        if (day == null) {
            return;
        }
        day.putAmount("oura_stress_high", OuraJson.decimal(document, "stress_high"), Units.SECOND);
        day.putAmount("oura_recovery_high", OuraJson.decimal(document, "recovery_high"), Units.SECOND);
    }
}
