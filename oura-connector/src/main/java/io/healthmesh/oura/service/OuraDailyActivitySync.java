package io.healthmesh.oura.service;

import com.fasterxml.jackson.databind.JsonNode;
import io.healthmesh.connector.provider.SyncContext;
import io.healthmesh.contracts.vocab.Units;
import io.healthmesh.oura.client.OuraApi;
import io.healthmesh.oura.config.OuraConfig;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.math.BigDecimal;
import java.time.Clock;

/**
 * {@code daily_activity} (Oura's day starts 04:00 local): daily {@code steps}, {@code active_energy}
 * ({@code active_calories}), {@code basal_energy} ({@code total_calories - active_calories}, the
 * part at rest) and {@code oura_activity_score}. {@code equivalent_walking_distance} is energy
 * expressed as a walk, not a distance travelled, so it is not a {@code distance}.
 */
@Singleton
public class OuraDailyActivitySync extends OuraDocumentSync {

    public static final String DATA_TYPE = "daily_activity";

    @Inject
    public OuraDailyActivitySync(OuraApi api, OuraConfig config, Clock clock) {
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
        BigDecimal active = OuraJson.decimal(document, "active_calories");
        BigDecimal total = OuraJson.decimal(document, "total_calories");
        day.putAmount("steps", OuraJson.decimal(document, "steps"), Units.COUNT);
        day.putAmount("active_energy", active, Units.KILOCALORIE);
        day.putAmount("basal_energy", active != null && total != null && total.compareTo(active) >= 0
                ? total.subtract(active) : null, Units.KILOCALORIE);
        day.putAmount("oura_activity_score", OuraJson.decimal(document, "score"), Units.COUNT);
    }
}
