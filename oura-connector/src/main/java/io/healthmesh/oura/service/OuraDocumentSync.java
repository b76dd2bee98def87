package io.healthmesh.oura.service;

import com.fasterxml.jackson.databind.JsonNode;
import io.healthmesh.connector.provider.DataTypeSync;
import io.healthmesh.connector.provider.DocumentChange;
import io.healthmesh.connector.provider.ProviderException;
import io.healthmesh.connector.provider.SyncContext;
import io.healthmesh.contracts.event.Reading;
import io.healthmesh.contracts.source.SourceId;
import io.healthmesh.oura.client.OuraApi;
import io.healthmesh.oura.config.OuraConfig;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * What every Oura document collection shares ({@code daily_activity}, {@code sleep}, ...): the data
 * type is the collection's name, which is also the webhook {@code data_type}; every event of a
 * document has the document's {@code id} as its sourceRecordId (the metric tells its readings
 * apart), so a document Oura re-analyses later (same id, new values) updates its rows in place, and
 * one record tombstone (a reading without metric, {@code deleted}) removes every row and session
 * it produced.
 *
 * <p>Windows: daily documents are matched on their 04:00-local {@code timestamp} and {@code sleep}
 * has behaved as start-exclusive, so the query is padded by a day on each side of the wanted days
 * and the answers are filtered by their {@code day}. The wanted days of a window [from, to) are the
 * UTC dates widened by a day on each side, so any zone's local days overlapping it are in. An
 * incremental run (no window) asks for the last {@code oura.sync.lookback-days} again: Oura has
 * no "changed since", so it keeps no cursor.
 */
public abstract class OuraDocumentSync implements DataTypeSync {

    /** Oura names no device per document; its data all comes from the ring. */
    public static final String DEVICE = "Oura Ring";

    private static final Logger LOG = Logger.getLogger(OuraDocumentSync.class);

    private final OuraApi api;
    private final OuraConfig.Sync settings;
    private final Clock clock;

    protected OuraDocumentSync(OuraApi api, OuraConfig config, Clock clock) {
        this.api = api;
        this.settings = config.sync();
        this.clock = clock;
    }

    @Override
    public final String source() {
        return SourceId.OURA;
    }

    /** Publishes what one present document holds now (and tombstones for what it no longer holds). */
    protected abstract void publish(SyncContext context, JsonNode document, SyncOutcome.Counter counter);

    @Override
    public String sync(SyncContext context, String cursor, Instant from, Instant to)
            throws ProviderException, InterruptedException {
        SyncOutcome outcome = run(context, from, to);
        LOG.debugf("Oura %s of user %s: %d readings, %d sessions, %d tombstones, skipped %s", dataType(),
                context.userId(), outcome.readings(), outcome.sessions(), outcome.tombstones(), outcome.skipped());
        return null;
    }

    /** {@link #sync}, answering what was done. */
    public SyncOutcome run(SyncContext context, Instant from, Instant to) throws ProviderException,
            InterruptedException {
        DayRange wanted = wantedDays(from, to);
        Map<String, String> params = new LinkedHashMap<>();
        params.put("start_date", wanted.first().minusDays(1).toString());
        params.put("end_date", wanted.last().plusDays(1).toString());
        SyncOutcome.Counter counter = new SyncOutcome.Counter();
        api.list(context, dataType(), params, document -> {
            LocalDate day = OuraJson.day(document, "day");
            if (day == null) {
                counter.skip("document without day");
            } else if (day.isBefore(wanted.first()) || day.isAfter(wanted.last())) {
                counter.skip("outside the window (padding)");
            } else {
                publishChecked(context, document, counter);
            }
        });
        return counter.outcome(null);
    }

    /** A webhook named one document: fetch it, or remove what it produced when it is gone. */
    @Override
    public String syncDocument(SyncContext context, String cursor, DocumentChange change)
            throws ProviderException, InterruptedException {
        SyncOutcome outcome = runDocument(context, change);
        LOG.debugf("Oura %s %s %s of user %s: %d readings, %d sessions, %d tombstones", dataType(),
                change.kind().code(), change.documentId(), context.userId(), outcome.readings(), outcome.sessions(),
                outcome.tombstones());
        return null;
    }

    public SyncOutcome runDocument(SyncContext context, DocumentChange change)
            throws ProviderException, InterruptedException {
        SyncOutcome.Counter counter = new SyncOutcome.Counter();
        Optional<JsonNode> document = change.deleted() ? Optional.empty()
                : api.document(context, dataType(), change.documentId());
        if (document.isEmpty()) {
            // Deleted, or gone by the time we asked (a delete is on its way): nothing of it may stay.
            tombstone(context, change.documentId(), counter);
        } else {
            publishChecked(context, document.get(), counter);
        }
        return counter.outcome(null);
    }

    private void publishChecked(SyncContext context, JsonNode document, SyncOutcome.Counter counter) {
        if (OuraJson.text(document, "id") == null) {
            counter.skip("document without id");
            return;
        }
        publish(context, document, counter);
    }

    /** Removes every row and session the document produced (a reading without a metric). */
    protected static void tombstone(SyncContext context, String documentId, SyncOutcome.Counter counter) {
        context.reading(Reading.builder().sourceRecordId(documentId).deleted(true).build());
        counter.tombstones++;
    }

    /** The days to publish for a window; the incremental one is the last lookback-days up to tomorrow. */
    DayRange wantedDays(Instant from, Instant to) {
        if (from == null && to == null) {
            LocalDate today = LocalDate.now(clock.withZone(ZoneOffset.UTC));
            return new DayRange(today.minusDays(Math.max(1, settings.lookbackDays())), today.plusDays(1));
        }
        Instant start = from == null ? Instant.EPOCH : from;
        Instant end = to == null ? clock.instant() : to;
        LocalDate first = LocalDate.ofInstant(start, ZoneOffset.UTC).minusDays(1);
        LocalDate last = LocalDate.ofInstant(end.minusMillis(1), ZoneOffset.UTC).plusDays(1);
        return new DayRange(first, last.isBefore(first) ? first : last);
    }

    /** Inclusive. */
    record DayRange(LocalDate first, LocalDate last) {
    }
}
