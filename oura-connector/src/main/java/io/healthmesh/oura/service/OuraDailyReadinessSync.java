package io.healthmesh.oura.service;

import com.fasterxml.jackson.databind.JsonNode;
import io.healthmesh.connector.provider.SyncContext;
import io.healthmesh.contracts.vocab.Units;
import io.healthmesh.oura.client.OuraApi;
import io.healthmesh.oura.config.OuraConfig;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Clock;

/**
 * {@code daily_readiness}: {@code oura_readiness_score} and {@code body_temperature_deviation}
 * (degC against the personal baseline; Oura gives a deviation, never an absolute temperature).
 */
@Singleton
public class OuraDailyReadinessSync extends OuraDocumentSync {

    public static final String DATA_TYPE = "daily_readiness";

    @Inject
    public OuraDailyReadinessSync(OuraApi api, OuraConfig config, Clock clock) {
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
        day.putAmount("oura_readiness_score", OuraJson.decimal(document, "score"), Units.COUNT);
        day.put("body_temperature_deviation", OuraJson.decimal(document, "temperature_deviation"),
                Units.DEGREE_CELSIUS);
    }
}
