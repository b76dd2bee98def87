package io.healthmesh.oura.service;

import com.fasterxml.jackson.databind.JsonNode;
import io.healthmesh.connector.provider.DataTypeSync;
import io.healthmesh.connector.provider.DocumentChange;
import io.healthmesh.connector.provider.ProviderException;
import io.healthmesh.connector.provider.SyncContext;
import io.healthmesh.contracts.event.Aggregation;
import io.healthmesh.contracts.event.Reading;
import io.healthmesh.contracts.source.SourceId;
import io.healthmesh.contracts.vocab.Units;
import io.healthmesh.oura.client.OuraApi;
import io.healthmesh.oura.config.OuraConfig;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * {@code heartrate}, a time series (no documents, no webhook): {@code heart_rate} samples at each
 * row's {@code timestamp} (UTC), sourceRecordId = that instant, so asking for an overlapping window
 * again writes nothing new. Asked for with {@code start_datetime}/{@code end_datetime} in UTC
 * ({@code Z}, never an offset whose {@code +} would need encoding) in windows of at most
 * {@code oura.sync.heart-rate-chunk-days}. The cursor is the end of the last window asked for; an
 * incremental run starts a day before it, since the ring uploads late (the phone app syncs when it
 * is opened); without a cursor it asks for the last {@code oura.sync.lookback-days}.
 */
@Singleton
public class OuraHeartRateSync implements DataTypeSync {

    public static final String DATA_TYPE = "heartrate";

    private static final Logger LOG = Logger.getLogger(OuraHeartRateSync.class);
    private static final DateTimeFormatter UTC = DateTimeFormatter.ISO_INSTANT;
    static final Duration LATE_UPLOADS = Duration.ofDays(1);

    private final OuraApi api;
    private final OuraConfig.Sync settings;
    private final Clock clock;

    @Inject
    public OuraHeartRateSync(OuraApi api, OuraConfig config, Clock clock) {
        this.api = api;
        this.settings = config.sync();
        this.clock = clock;
    }

    @Override
    public String source() {
        return SourceId.OURA;
    }

    @Override
    public String dataType() {
        return DATA_TYPE;
    }

    @Override
    public String cursorAt(Instant instant) {
        return UTC.format(instant.truncatedTo(ChronoUnit.SECONDS));
    }

    @Override
    public String sync(SyncContext context, String cursor, Instant from, Instant to)
            throws ProviderException, InterruptedException {
        SyncOutcome outcome = run(context, cursor, from, to);
        LOG.debugf("Oura heart rate of user %s: %d samples, skipped %s", context.userId(), outcome.readings(),
                outcome.skipped());
        return outcome.cursor();
    }

    /** Oura sends no heart-rate webhooks; should one ever name a row, the recent past is synced again. */
    @Override
    public String syncDocument(SyncContext context, String cursor, DocumentChange change)
            throws ProviderException, InterruptedException {
        return sync(context, cursor, null, null);
    }

    public SyncOutcome run(SyncContext context, String cursor, Instant from, Instant to)
            throws ProviderException, InterruptedException {
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        boolean windowed = from != null || to != null;
        Instant start;
        Instant end;
        if (windowed) {
            start = from == null ? now.minus(Duration.ofDays(settings.lookbackDays())) : from;
            end = to == null ? now : to;
        } else {
            Instant since = parse(cursor);
            // A day before the cursor again: samples the ring uploaded late land behind it.
            start = since == null ? now.minus(Duration.ofDays(Math.max(1, settings.lookbackDays())))
                    : since.minus(LATE_UPLOADS);
            end = now;
        }
        Duration chunk = Duration.ofDays(Math.max(1, settings.heartRateChunkDays()));
        SyncOutcome.Counter counter = new SyncOutcome.Counter();
        for (Instant chunkStart = start; chunkStart.isBefore(end); chunkStart = chunkStart.plus(chunk)) {
            Instant chunkEnd = chunkStart.plus(chunk).isBefore(end) ? chunkStart.plus(chunk) : end;
            Map<String, String> params = new LinkedHashMap<>();
            params.put("start_datetime", UTC.format(chunkStart));
            params.put("end_datetime", UTC.format(chunkEnd));
            api.list(context, DATA_TYPE, params, row -> sample(context, row, counter));
        }
        // A window (backfill) leaves the cursor to cursorAt; an incremental run moves it to now.
        return counter.outcome(windowed ? null : cursorAt(end));
    }

    private static void sample(SyncContext context, JsonNode row, SyncOutcome.Counter counter) {
        OffsetDateTime at = OuraJson.time(row, "timestamp");
        BigDecimal bpm = OuraJson.decimal(row, "bpm");
        if (at == null || bpm == null) {
            counter.skip("row without timestamp or bpm");
            return;
        }
        if (bpm.signum() <= 0) {
            counter.skip("bpm not positive");
            return;
        }
        OffsetDateTime utc = at.withOffsetSameInstant(ZoneOffset.UTC);
        context.reading(Reading.builder()
                .sourceRecordId(UTC.format(utc.toInstant()))
                .metric("heart_rate")
                .value(bpm.doubleValue())
                .unit(Units.COUNT_PER_MINUTE)
                .aggregation(Aggregation.SAMPLE)
                .at(utc)
                .device(OuraDocumentSync.DEVICE)
                .userEntered(false)
                .build());
        counter.readings++;
    }

    private static Instant parse(String cursor) {
        if (cursor == null || cursor.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(cursor.strip());
        } catch (DateTimeException e) {
            LOG.warn("Oura heart-rate cursor is not an instant; syncing the lookback");
            return null;
        }
    }
}
