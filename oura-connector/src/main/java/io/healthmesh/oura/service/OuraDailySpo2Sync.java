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
 * {@code daily_spo2} (Gen3 and later): the night's average {@code oxygen_saturation} as a daily
 * value, in percent 0-100 as Oura gives it (not a fraction). Null on rings that do not measure it.
 */
@Singleton
public class OuraDailySpo2Sync extends OuraDocumentSync {

    public static final String DATA_TYPE = "daily_spo2";

    @Inject
    public OuraDailySpo2Sync(OuraApi api, OuraConfig config, Clock clock) {
        super(api, config, clock);
    }

    @Override
    public String dataType() {
        return DATA_TYPE;
    }

    @Override
    protected void publish(SyncContext context, JsonNode document, SyncOutcome.Counter counter) {
        DailyReadings day = DailyReadings.of(context, document, OuraJson.day(document, "day"), counter);
        if (day != null) {
            day.putAmount("oxygen_saturation", OuraJson.decimal(document.path("spo2_percentage"), "average"),
                    Units.PERCENT);
        }
    }
}
