package io.healthmesh.withings.service;

import com.fasterxml.jackson.databind.JsonNode;
import io.healthmesh.connector.provider.DataTypeSync;
import io.healthmesh.connector.provider.ProviderException;
import io.healthmesh.connector.provider.SyncContext;
import io.healthmesh.contracts.event.Aggregation;
import io.healthmesh.contracts.event.Reading;
import io.healthmesh.contracts.identity.Identity;
import io.healthmesh.contracts.source.SourceId;
import io.healthmesh.contracts.vocab.Units;
import io.healthmesh.withings.client.WithingsApi;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Daily activity: {@code POST /v2/measure action=getactivity}, one aggregate per local day, by
 * {@code lastupdate} when incremental and by {@code startdateymd}/{@code enddateymd} for a window
 * (never both: Withings then answers an empty list). Each day becomes daily readings (local date,
 * the day's zone, the interval of the local day):
 *
 * <ul>
 *   <li>{@code steps} (count) from {@code steps};</li>
 *   <li>{@code distance} (m) from {@code distance};</li>
 *   <li>{@code floors} (count) from {@code elevation}, which Withings documents as floors climbed;</li>
 *   <li>{@code active_energy} (kcal) from {@code calories}, the active calories;</li>
 *   <li>{@code basal_energy} (kcal) from {@code totalcalories - calories}, the passive part;</li>
 *   <li>{@code exercise_time} (sent in s) from {@code active}, moderate plus intense seconds.</li>
 * </ul>
 * Heart-rate fields are not asked for (no daily heart-rate metric). The sourceRecordId is
 * {@code date|brand|device}, the device being the {@code hash_deviceid} (or {@code deviceid}), else
 * {@code model-<modelid>} for phone and external sources (brand 18, e.g. HealthKit or Google Fit
 * steps Health Mate imported), so two sources of one day stay apart. Those external days are kept,
 * their device naming the tracker ("HealthKit step iPhone tracker"), for the user's device ranking.
 */
@Singleton
public class WithingsActivitySync implements DataTypeSync {

    public static final String DATA_TYPE = "activity";

    private static final Logger LOG = Logger.getLogger(WithingsActivitySync.class);

    private final WithingsApi api;

    @Inject
    public WithingsActivitySync(WithingsApi api) {
        this.api = api;
    }

    @Override
    public String source() {
        return SourceId.WITHINGS;
    }

    @Override
    public String dataType() {
        return DATA_TYPE;
    }

    @Override
    public String cursorAt(Instant instant) {
        return SyncSupport.cursorAt(instant);
    }

    @Override
    public String sync(SyncContext context, String cursor, Instant from, Instant to)
            throws ProviderException, InterruptedException {
        SyncOutcome outcome = run(context, cursor, from, to);
        LOG.debugf("Withings activity of user %s: %d readings, skipped %s", context.userId(), outcome.readings(),
                outcome.skipped());
        return outcome.cursor();
    }

    /** {@link #sync}, answering what was done. */
    public SyncOutcome run(SyncContext context, String cursor, Instant from, Instant to)
            throws ProviderException, InterruptedException {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("action", "getactivity");
        boolean windowed = SyncSupport.windowed(from, to);
        if (windowed) {
            SyncSupport.putDayRange(params, from, to);
        } else {
            params.put("lastupdate", Long.toString(SyncSupport.lastUpdate(cursor, DATA_TYPE)));
        }
        SyncOutcome.Counter counter = new SyncOutcome.Counter();
        Long[] watermark = new Long[1];
        api.pages(context, "v2/measure", params, body -> {
            for (JsonNode day : body.path("activities")) {
                watermark[0] = SyncSupport.later(watermark[0], SyncSupport.integer(day, "modified"));
                day(context, day, counter);
            }
        });
        return counter.outcome(windowed || watermark[0] == null ? null : Long.toString(watermark[0]));
    }

    private void day(SyncContext context, JsonNode day, SyncOutcome.Counter counter) {
        LocalDate date;
        try {
            String text = SyncSupport.text(day, "date");
            if (text == null) {
                counter.skip("day without date");
                return;
            }
            date = LocalDate.parse(text);
        } catch (DateTimeException e) {
            counter.skip("day with an unreadable date");
            return;
        }
        ZoneId zone = SyncSupport.zone(SyncSupport.text(day, "timezone"));
        ZoneId local = SyncSupport.zoneOrUtc(zone);
        OffsetDateTime start = date.atStartOfDay(local).toOffsetDateTime();
        OffsetDateTime end = date.plusDays(1).atStartOfDay(local).toOffsetDateTime();
        Reading.Builder base = Reading.builder()
                .sourceRecordId(sourceRecordId(date, day))
                .aggregation(Aggregation.DAILY)
                .start(start)
                .end(end)
                .localDate(date)
                .zone(SyncSupport.zoneId(zone))
                .device(SyncSupport.text(day, "model"))
                .userEntered(false);

        BigDecimal calories = SyncSupport.decimal(day, "calories");
        BigDecimal totalCalories = SyncSupport.decimal(day, "totalcalories");
        emit(context, counter, base, "steps", SyncSupport.decimal(day, "steps"), Units.COUNT);
        emit(context, counter, base, "distance", SyncSupport.decimal(day, "distance"), Units.METRE);
        emit(context, counter, base, "floors", SyncSupport.decimal(day, "elevation"), Units.COUNT);
        emit(context, counter, base, "active_energy", calories, Units.KILOCALORIE);
        if (calories != null && totalCalories != null && totalCalories.compareTo(calories) >= 0) {
            emit(context, counter, base, "basal_energy", totalCalories.subtract(calories), Units.KILOCALORIE);
        }
        emit(context, counter, base, "exercise_time", SyncSupport.decimal(day, "active"), Units.SECOND);
    }

    private static void emit(SyncContext context, SyncOutcome.Counter counter, Reading.Builder base, String metric,
            BigDecimal value, String unit) {
        if (value == null) {
            return;
        }
        if (value.signum() < 0) {
            counter.skip(metric + ": negative");
            return;
        }
        context.reading(base.metric(metric).value(value.doubleValue()).unit(unit).build());
        counter.readings++;
    }

    /** {@code date|brand|device}: deterministic, from the day's identity only. */
    static String sourceRecordId(LocalDate date, JsonNode day) {
        String device = SyncSupport.text(day, "hash_deviceid");
        if (device == null) {
            device = SyncSupport.text(day, "deviceid");
        }
        if (device == null) {
            String modelId = SyncSupport.text(day, "modelid");
            device = modelId == null ? "" : "model-" + modelId;
        }
        String brand = SyncSupport.text(day, "brand");
        return Identity.encodeField(date.toString()) + "|" + Identity.encodeField(brand) + "|"
                + Identity.encodeField(device);
    }
}
