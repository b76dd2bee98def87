package io.healthmesh.withings.service;

import com.fasterxml.jackson.databind.JsonNode;
import io.healthmesh.connector.provider.DataTypeSync;
import io.healthmesh.connector.provider.ProviderException;
import io.healthmesh.connector.provider.SyncContext;
import io.healthmesh.contracts.event.HeartRateStats;
import io.healthmesh.contracts.event.Session;
import io.healthmesh.contracts.event.SessionDetails;
import io.healthmesh.contracts.event.SessionType;
import io.healthmesh.contracts.event.SleepStage;
import io.healthmesh.contracts.source.SourceId;
import io.healthmesh.contracts.validation.EventValidator;
import io.healthmesh.withings.client.WithingsApi;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Nights: {@code POST /v2/sleep action=getsummary} (by {@code lastupdate}, or by
 * {@code startdateymd}/{@code enddateymd} for a window; the {@code date} is the wake-up day), with
 * {@code data_fields} named, since without them the heart-rate fields are left out. Each summary
 * becomes a {@code sleep} session (Withings does not tell naps apart), sourceRecordId = its
 * {@code id}, from {@code startdate} to {@code enddate} in its {@code timezone}, with details:
 *
 * <ul>
 *   <li>stage totals (s): light, deep, rem from the stage durations, awake from
 *       {@code wakeupduration}, in bed from {@code total_timeinbed}, and asleep-unspecified from
 *       {@code asleepduration} when the night came from an external source without stages;</li>
 *   <li>efficiency (%) = {@code sleep_efficiency} (a 0-1 ratio) x 100;</li>
 *   <li>latency (s) from {@code sleep_latency} (else its deprecated alias {@code durationtosleep});</li>
 *   <li>heart rate average, min, max (bpm) from {@code hr_*}; 0 means "not measured".</li>
 * </ul>
 * The daily sleep metrics are derived from the session by the normalizer.
 */
@Singleton
public class WithingsSleepSync implements DataTypeSync {

    public static final String DATA_TYPE = "sleep";

    static final String DATA_FIELDS = String.join(",", "total_timeinbed", "total_sleep_time", "asleepduration",
            "lightsleepduration", "deepsleepduration", "remsleepduration", "wakeupduration", "sleep_latency",
            "durationtosleep", "sleep_efficiency", "hr_average", "hr_min", "hr_max");

    private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);
    private static final long SLACK_SECONDS = EventValidator.SESSION_SLACK.toSeconds();

    private static final Logger LOG = Logger.getLogger(WithingsSleepSync.class);

    private final WithingsApi api;

    @Inject
    public WithingsSleepSync(WithingsApi api) {
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
        LOG.debugf("Withings sleep of user %s: %d sessions, skipped %s", context.userId(), outcome.sessions(),
                outcome.skipped());
        return outcome.cursor();
    }

    /** {@link #sync}, answering what was done. */
    public SyncOutcome run(SyncContext context, String cursor, Instant from, Instant to)
            throws ProviderException, InterruptedException {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("action", "getsummary");
        boolean windowed = SyncSupport.windowed(from, to);
        if (windowed) {
            SyncSupport.putDayRange(params, from, to);
        } else {
            params.put("lastupdate", Long.toString(SyncSupport.lastUpdate(cursor, DATA_TYPE)));
        }
        params.put("data_fields", DATA_FIELDS);
        SyncOutcome.Counter counter = new SyncOutcome.Counter();
        Long[] watermark = new Long[1];
        api.pages(context, "v2/sleep", params, body -> {
            for (JsonNode night : body.path("series")) {
                watermark[0] = SyncSupport.later(watermark[0], SyncSupport.integer(night, "modified"));
                night(context, night, counter);
            }
        });
        return counter.outcome(windowed || watermark[0] == null ? null : Long.toString(watermark[0]));
    }

    private void night(SyncContext context, JsonNode night, SyncOutcome.Counter counter) {
        String id = SyncSupport.text(night, "id");
        Long startEpoch = SyncSupport.integer(night, "startdate");
        Long endEpoch = SyncSupport.integer(night, "enddate");
        if (id == null || startEpoch == null || endEpoch == null) {
            counter.skip("summary without id, startdate or enddate");
            return;
        }
        if (endEpoch < startEpoch) {
            counter.skip("summary ending before it starts");
            return;
        }
        ZoneId zone = SyncSupport.zone(SyncSupport.text(night, "timezone"));
        ZoneId local = SyncSupport.zoneOrUtc(zone);
        long length = endEpoch - startEpoch;
        JsonNode data = night.path("data");

        Map<SleepStage, Double> totals = new EnumMap<>(SleepStage.class);
        put(totals, SleepStage.LIGHT, data, "lightsleepduration");
        put(totals, SleepStage.DEEP, data, "deepsleepduration");
        put(totals, SleepStage.REM, data, "remsleepduration");
        if (!totals.containsKey(SleepStage.LIGHT) && !totals.containsKey(SleepStage.DEEP)
                && !totals.containsKey(SleepStage.REM)) {
            put(totals, SleepStage.ASLEEP_UNSPECIFIED, data, "asleepduration");
        }
        put(totals, SleepStage.AWAKE, data, "wakeupduration");
        put(totals, SleepStage.IN_BED, data, "total_timeinbed");
        double staged = totals.getOrDefault(SleepStage.LIGHT, 0.0) + totals.getOrDefault(SleepStage.DEEP, 0.0)
                + totals.getOrDefault(SleepStage.REM, 0.0) + totals.getOrDefault(SleepStage.AWAKE, 0.0);
        if (staged > length + SLACK_SECONDS && totals.containsKey(SleepStage.AWAKE)) {
            // Awake time counted outside the night's interval: the sleep stages are what matters.
            totals.remove(SleepStage.AWAKE);
            counter.skip("awake total longer than the night leaves");
        }
        if (totals.getOrDefault(SleepStage.IN_BED, 0.0) > length + SLACK_SECONDS) {
            totals.remove(SleepStage.IN_BED);
            counter.skip("time in bed longer than the night");
        }

        SessionDetails.Builder details = SessionDetails.builder()
                .stageTotalsSeconds(totals.isEmpty() ? null : totals)
                .heartRate(heartRate(data))
                .latencySeconds(seconds(data, "sleep_latency") != null ? seconds(data, "sleep_latency")
                        : seconds(data, "durationtosleep"));
        BigDecimal efficiency = SyncSupport.decimal(data, "sleep_efficiency");
        if (efficiency != null && efficiency.signum() >= 0 && efficiency.compareTo(BigDecimal.ONE) <= 0) {
            details.efficiency(efficiency.multiply(HUNDRED).doubleValue());
        }

        context.session(Session.builder()
                .sourceRecordId(id)
                .type(SessionType.SLEEP)
                .start(OffsetDateTime.ofInstant(Instant.ofEpochSecond(startEpoch), local))
                .end(OffsetDateTime.ofInstant(Instant.ofEpochSecond(endEpoch), local))
                .zone(SyncSupport.zoneId(zone))
                .device(device(night))
                .details(details.build())
                .build());
        counter.sessions++;
    }

    private static void put(Map<SleepStage, Double> totals, SleepStage stage, JsonNode data, String field) {
        Double value = seconds(data, field);
        if (value != null) {
            totals.put(stage, value);
        }
    }

    private static Double seconds(JsonNode data, String field) {
        BigDecimal value = SyncSupport.decimal(data, field);
        return value == null || value.signum() < 0 ? null : value.doubleValue();
    }

    private static HeartRateStats heartRate(JsonNode data) {
        Double average = bpm(data, "hr_average");
        Double min = bpm(data, "hr_min");
        Double max = bpm(data, "hr_max");
        if (average == null && min == null && max == null) {
            return null;
        }
        return new HeartRateStats(average, min, max);
    }

    private static Double bpm(JsonNode data, String field) {
        BigDecimal value = SyncSupport.decimal(data, field);
        return value == null || value.signum() <= 0 ? null : value.doubleValue();
    }

    /**
     * getsummary names no device, only a {@code model} class (16 activity tracker, 32 sleep monitor)
     * and a {@code model_id}.
     */
    static String device(JsonNode night) {
        Long model = SyncSupport.integer(night, "model");
        String modelId = SyncSupport.text(night, "model_id");
        String kind = model == null ? null : switch (model.intValue()) {
            case 16 -> "Withings activity tracker";
            case 32 -> "Withings sleep monitor";
            default -> null;
        };
        if (kind == null) {
            return modelId == null ? null : "Withings model " + modelId;
        }
        return modelId == null ? kind : kind + " (model " + modelId + ")";
    }
}
