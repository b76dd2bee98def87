package io.healthmesh.withings.service;

import com.fasterxml.jackson.databind.JsonNode;
import io.healthmesh.connector.provider.DataTypeSync;
import io.healthmesh.connector.provider.ProviderException;
import io.healthmesh.connector.provider.SyncContext;
import io.healthmesh.contracts.event.Aggregation;
import io.healthmesh.contracts.event.Reading;
import io.healthmesh.contracts.source.SourceId;
import io.healthmesh.withings.client.WithingsApi;
import io.healthmesh.withings.service.MeasureTypes.MeasureType;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Body and vital measures: {@code POST /measure action=getmeas}, real measures only
 * ({@code category=1}; the user's objectives, category 2, are goals rather than measurements and
 * are not synced). Each measure group (one weigh-in, one blood-pressure reading) becomes one sample
 * reading per measure whose type has a vocabulary metric ({@link MeasureTypes}).
 *
 * <ul>
 *   <li>value = {@code value x 10^unit}, in decimal arithmetic;</li>
 *   <li>sourceRecordId = {@code grpid}, or {@code grpid|position} for a measure with a position
 *       (the metric completes the natural key);</li>
 *   <li>time = the group's {@code date}, zone = the body's {@code timezone};</li>
 *   <li>device = the group's {@code model} (else its device id), none for manual entries;</li>
 *   <li>userEntered = {@code attrib} 2 (manual) or 4 (manual at account creation); an ambiguous
 *       group ({@code attrib} 1: maybe another household member) is not the user's measurement
 *       until they claim it, so its ids are sent as tombstones (removing what an earlier sync wrote,
 *       nothing otherwise).</li>
 * </ul>
 * Withings' documentation does not say how a deleted group appears in getmeas, so deletions made in
 * Withings are not detected.
 */
@Singleton
public class WithingsMeasuresSync implements DataTypeSync {

    public static final String DATA_TYPE = "measures";

    static final int ATTRIB_AMBIGUOUS = 1;
    static final Set<Integer> ATTRIB_MANUAL = Set.of(2, 4);

    private static final Logger LOG = Logger.getLogger(WithingsMeasuresSync.class);

    private final WithingsApi api;

    @Inject
    public WithingsMeasuresSync(WithingsApi api) {
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
        LOG.debugf("Withings measures of user %s: %d readings, %d tombstones, skipped %s", context.userId(),
                outcome.readings(), outcome.tombstones(), outcome.skipped());
        return outcome.cursor();
    }

    /** {@link #sync}, answering what was done. */
    public SyncOutcome run(SyncContext context, String cursor, Instant from, Instant to)
            throws ProviderException, InterruptedException {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("action", "getmeas");
        params.put("meastypes", MeasureTypes.REQUESTED);
        params.put("category", "1");
        boolean windowed = SyncSupport.windowed(from, to);
        if (windowed) {
            params.put("startdate", Long.toString(SyncSupport.start(from).getEpochSecond()));
            // Withings' enddate is inclusive, the window's end is not.
            params.put("enddate", Long.toString(Math.max(0, SyncSupport.end(to).getEpochSecond() - 1)));
        } else {
            params.put("lastupdate", Long.toString(SyncSupport.lastUpdate(cursor, DATA_TYPE)));
        }
        SyncOutcome.Counter counter = new SyncOutcome.Counter();
        Long[] watermark = new Long[2]; // [0] the first page's updatetime, [1] the latest group change
        api.pages(context, "measure", params, body -> {
            if (watermark[0] == null) {
                watermark[0] = SyncSupport.integer(body, "updatetime");
            }
            ZoneId zone = SyncSupport.zone(SyncSupport.text(body, "timezone"));
            for (JsonNode group : body.path("measuregrps")) {
                watermark[1] = SyncSupport.later(watermark[1], SyncSupport.integer(group, "modified"));
                group(context, group, zone, counter);
            }
        });
        if (windowed) {
            return counter.outcome(null);
        }
        Long next = watermark[0] != null ? watermark[0] : watermark[1];
        return counter.outcome(next == null ? null : Long.toString(next));
    }

    private void group(SyncContext context, JsonNode group, ZoneId zone, SyncOutcome.Counter counter) {
        String grpid = SyncSupport.text(group, "grpid");
        if (grpid == null) {
            counter.skip("group without grpid");
            return;
        }
        Long category = SyncSupport.integer(group, "category");
        if (category != null && category != 1) {
            counter.skip("objective (category " + category + ")");
            return;
        }
        Long attrib = SyncSupport.integer(group, "attrib");
        if (attrib != null && attrib == ATTRIB_AMBIGUOUS) {
            for (String sourceRecordId : sourceRecordIds(grpid, group)) {
                context.reading(Reading.builder().sourceRecordId(sourceRecordId).deleted(true).build());
                counter.tombstones++;
            }
            counter.skip("ambiguous group (attrib 1)");
            return;
        }
        Long date = SyncSupport.integer(group, "date");
        if (date == null) {
            counter.skip("group without date");
            return;
        }
        OffsetDateTime at = OffsetDateTime.ofInstant(Instant.ofEpochSecond(date), SyncSupport.zoneOrUtc(zone));
        boolean userEntered = attrib != null && ATTRIB_MANUAL.contains(attrib.intValue());
        String device = SyncSupport.text(group, "model");
        if (device == null) {
            device = SyncSupport.text(group, "deviceid");
        }

        // One reading per (sourceRecordId, metric): a group may repeat a measure (seen in real data) or
        // give one metric twice (temperature 12 and body temperature 71).
        Map<String, Candidate> readings = new LinkedHashMap<>();
        for (JsonNode measure : group.path("measures")) {
            Long type = SyncSupport.integer(measure, "type");
            Long value = SyncSupport.integer(measure, "value");
            Long exponent = SyncSupport.integer(measure, "unit");
            if (type == null || value == null || exponent == null) {
                counter.skip("measure without type, value or unit");
                continue;
            }
            MeasureType measureType = MeasureTypes.byId(type.intValue()).orElse(null);
            if (measureType == null) {
                counter.skip("type " + type + ": unknown");
                continue;
            }
            if (!measureType.mapped()) {
                counter.skip("type " + type + " (" + measureType.name() + "): no metric");
                continue;
            }
            String sourceRecordId = sourceRecordId(grpid, measure);
            double scaled = BigDecimal.valueOf(value).scaleByPowerOfTen(exponent.intValue()).doubleValue();
            String key = sourceRecordId + "\n" + measureType.metric();
            Candidate existing = readings.get(key);
            if (existing != null && existing.type().priority() >= measureType.priority()) {
                counter.skip("type " + type + ": same metric and id as an earlier measure of the group");
                continue;
            }
            if (existing != null) {
                counter.skip("type " + existing.type().id() + ": same metric and id as a preferred type");
            }
            readings.put(key, new Candidate(measureType, sourceRecordId, scaled));
        }
        for (Candidate candidate : readings.values()) {
            context.reading(Reading.builder()
                    .sourceRecordId(candidate.sourceRecordId())
                    .metric(candidate.type().metric())
                    .value(candidate.value())
                    .unit(candidate.type().unit())
                    .aggregation(Aggregation.SAMPLE)
                    .at(at)
                    .zone(SyncSupport.zoneId(zone))
                    .device(device)
                    .userEntered(userEntered)
                    .build());
            counter.readings++;
        }
    }

    private record Candidate(MeasureType type, String sourceRecordId, double value) {
    }

    /** {@code grpid}, or {@code grpid|position} when the measure has a position. */
    static String sourceRecordId(String grpid, JsonNode measure) {
        Long position = SyncSupport.integer(measure, "position");
        return position == null ? grpid : grpid + "|" + position;
    }

    private static Set<String> sourceRecordIds(String grpid, JsonNode group) {
        Set<String> ids = new LinkedHashSet<>();
        ids.add(grpid);
        for (JsonNode measure : group.path("measures")) {
            ids.add(sourceRecordId(grpid, measure));
        }
        return ids;
    }
}
