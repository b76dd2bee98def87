package io.healthmesh.oura.service;

import com.fasterxml.jackson.databind.JsonNode;
import io.healthmesh.connector.provider.SyncContext;
import io.healthmesh.contracts.event.Aggregation;
import io.healthmesh.contracts.event.HeartRateStats;
import io.healthmesh.contracts.event.Reading;
import io.healthmesh.contracts.event.Session;
import io.healthmesh.contracts.event.SessionDetails;
import io.healthmesh.contracts.event.SessionType;
import io.healthmesh.contracts.event.SleepStage;
import io.healthmesh.contracts.event.SleepStageInterval;
import io.healthmesh.contracts.vocab.Units;
import io.healthmesh.oura.client.OuraApi;
import io.healthmesh.oura.config.OuraConfig;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * {@code sleep}: one document per detected sleep period. {@code long_sleep} is a {@code sleep}
 * session, {@code sleep} and {@code late_nap} are naps; {@code rest} (a rejected detection) and
 * {@code deleted} (deleted by the user) remove whatever the period produced before (a period can
 * become one after re-analysis). A session spans {@code bedtime_start} to {@code bedtime_end} with:
 * <ul>
 *   <li>stages as intervals from the hypnogram ({@code sleep_phase_30_sec}, else
 *       {@code sleep_phase_5_min}: 1 deep, 2 light, 3 REM, 4 awake), clipped to the session, and
 *       Oura's own stage totals (deep, light, REM, awake, in bed);</li>
 *   <li>heart rate: {@code average_heart_rate}, {@code lowest_heart_rate} as the minimum, the
 *       highest 5-minute value as the maximum; {@code efficiency} (%), {@code latency} (s).</li>
 * </ul>
 * Readings of the period (sourceRecordId = the document id too): {@code hrv_rmssd} from
 * {@code average_hrv} (RMSSD, not SDNN) and {@code respiratory_rate} from {@code average_breath},
 * as samples over the period; for the main sleep, {@code resting_heart_rate} from
 * {@code lowest_heart_rate} as a daily value of its {@code day}. The daily sleep metrics are
 * derived from the session by the normalizer.
 */
@Singleton
public class OuraSleepSync extends OuraDocumentSync {

    public static final String DATA_TYPE = "sleep";

    private static final Map<Character, SleepStage> PHASES = Map.of(
            '1', SleepStage.DEEP, '2', SleepStage.LIGHT, '3', SleepStage.REM, '4', SleepStage.AWAKE);

    @Inject
    public OuraSleepSync(OuraApi api, OuraConfig config, Clock clock) {
        super(api, config, clock);
    }

    @Override
    public String dataType() {
        return DATA_TYPE;
    }

    @Override
    protected void publish(SyncContext context, JsonNode document, SyncOutcome.Counter counter) {
        String id = OuraJson.text(document, "id");
        String type = OuraJson.text(document, "type");
        SessionType sessionType = type == null ? null : switch (type) {
            case "long_sleep" -> SessionType.SLEEP;
            case "sleep", "late_nap" -> SessionType.NAP;
            default -> null;
        };
        if (sessionType == null) {
            // rest, deleted, or a type we do not know: not a sleep (any more).
            counter.skip("period of type " + type);
            tombstone(context, id, counter);
            return;
        }
        OffsetDateTime start = OuraJson.time(document, "bedtime_start");
        OffsetDateTime end = OuraJson.time(document, "bedtime_end");
        if (start == null || end == null || end.isBefore(start)) {
            counter.skip("period without a readable bedtime");
            return;
        }
        SessionDetails.Builder details = SessionDetails.builder()
                .stages(stages(document, start, end))
                .stageTotalsSeconds(totals(document))
                .heartRate(heartRate(document))
                .latencySeconds(nonNegative(OuraJson.decimal(document, "latency")));
        BigDecimal efficiency = OuraJson.decimal(document, "efficiency");
        if (efficiency != null && efficiency.signum() >= 0 && efficiency.compareTo(BigDecimal.valueOf(100)) <= 0) {
            details.efficiency(efficiency.doubleValue());
        }
        context.session(Session.builder()
                .sourceRecordId(id)
                .type(sessionType)
                .start(start)
                .end(end)
                .device(DEVICE)
                .details(details.build())
                .build());
        counter.sessions++;

        Reading.Builder period = Reading.builder().sourceRecordId(id).aggregation(Aggregation.SAMPLE)
                .start(start).end(end).device(DEVICE).userEntered(false);
        sample(context, counter, period, id, "hrv_rmssd", OuraJson.decimal(document, "average_hrv"),
                Units.MILLISECOND);
        sample(context, counter, period, id, "respiratory_rate", OuraJson.decimal(document, "average_breath"),
                Units.COUNT_PER_MINUTE);
        LocalDate day = OuraJson.day(document, "day");
        BigDecimal lowest = OuraJson.decimal(document, "lowest_heart_rate");
        if (sessionType == SessionType.SLEEP && day != null && lowest != null && lowest.signum() > 0) {
            context.reading(Reading.builder().sourceRecordId(id).metric("resting_heart_rate")
                    .value(lowest.doubleValue()).unit(Units.COUNT_PER_MINUTE).aggregation(Aggregation.DAILY)
                    .start(day.atStartOfDay().atOffset(end.getOffset()))
                    .end(day.plusDays(1).atStartOfDay().atOffset(end.getOffset()))
                    .localDate(day).device(DEVICE).userEntered(false).build());
            counter.readings++;
        } else {
            // A nap has no resting heart rate: a period re-analysed into a nap loses it.
            removeMetric(context, counter, id, "resting_heart_rate");
        }
    }

    private static void sample(SyncContext context, SyncOutcome.Counter counter, Reading.Builder period, String id,
            String metric, BigDecimal value, String unit) {
        if (value == null || value.signum() <= 0) {
            removeMetric(context, counter, id, metric);
            return;
        }
        context.reading(period.metric(metric).value(value.doubleValue()).unit(unit).build());
        counter.readings++;
    }

    private static void removeMetric(SyncContext context, SyncOutcome.Counter counter, String id, String metric) {
        context.reading(Reading.builder().sourceRecordId(id).metric(metric).deleted(true).build());
        counter.tombstones++;
    }

    /** The hypnogram as intervals of equal stages; null when the document has none. */
    static List<SleepStageInterval> stages(JsonNode document, OffsetDateTime start, OffsetDateTime end) {
        String phases = OuraJson.text(document, "sleep_phase_30_sec");
        long epoch = 30;
        if (phases == null) {
            phases = OuraJson.text(document, "sleep_phase_5_min");
            epoch = 300;
        }
        if (phases == null) {
            return null;
        }
        List<SleepStageInterval> stages = new ArrayList<>();
        SleepStage current = null;
        OffsetDateTime from = start;
        int epochs = 0;
        for (; epochs < phases.length(); epochs++) {
            OffsetDateTime at = start.plusSeconds(epoch * epochs);
            if (!at.isBefore(end)) {
                break;
            }
            SleepStage stage = PHASES.get(phases.charAt(epochs));
            if (stage != current) {
                close(stages, current, from, at);
                current = stage;
                from = at;
            }
        }
        OffsetDateTime last = start.plusSeconds(epoch * epochs);
        close(stages, current, from, last.isAfter(end) ? end : last);
        return stages.isEmpty() ? null : stages;
    }

    private static void close(List<SleepStageInterval> stages, SleepStage stage, OffsetDateTime from,
            OffsetDateTime to) {
        if (stage != null && to.isAfter(from)) {
            stages.add(new SleepStageInterval(stage, from, to));
        }
    }

    private static Map<SleepStage, Double> totals(JsonNode document) {
        Map<SleepStage, Double> totals = new EnumMap<>(SleepStage.class);
        put(totals, SleepStage.DEEP, document, "deep_sleep_duration");
        put(totals, SleepStage.LIGHT, document, "light_sleep_duration");
        put(totals, SleepStage.REM, document, "rem_sleep_duration");
        put(totals, SleepStage.AWAKE, document, "awake_time");
        put(totals, SleepStage.IN_BED, document, "time_in_bed");
        return totals.isEmpty() ? null : totals;
    }

    private static void put(Map<SleepStage, Double> totals, SleepStage stage, JsonNode document, String field) {
        Double seconds = nonNegative(OuraJson.decimal(document, field));
        if (seconds != null) {
            totals.put(stage, seconds);
        }
    }

    private static HeartRateStats heartRate(JsonNode document) {
        Double average = positive(OuraJson.decimal(document, "average_heart_rate"));
        Double min = positive(OuraJson.decimal(document, "lowest_heart_rate"));
        Double max = SampleStats.max(document.path("heart_rate"));
        if (average == null && min == null && max == null) {
            return null;
        }
        return new HeartRateStats(average, min, max);
    }

    static Double nonNegative(BigDecimal value) {
        return value == null || value.signum() < 0 ? null : value.doubleValue();
    }

    static Double positive(BigDecimal value) {
        return value == null || value.signum() <= 0 ? null : value.doubleValue();
    }
}
