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
 * {@code daily_sleep}: the day's {@code oura_sleep_score}. Its contributors are sub-scores, not
 * durations; the durations come from {@code sleep} ({@link OuraSleepSync}).
 */
@Singleton
public class OuraDailySleepSync extends OuraDocumentSync {

    public static final String DATA_TYPE = "daily_sleep";

    @Inject
    public OuraDailySleepSync(OuraApi api, OuraConfig config, Clock clock) {
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
            day.putAmount("oura_sleep_score", OuraJson.decimal(document, "score"), Units.COUNT);
        }
    }
}
