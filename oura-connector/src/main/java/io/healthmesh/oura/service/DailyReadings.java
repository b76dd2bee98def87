package io.healthmesh.oura.service;

import com.fasterxml.jackson.databind.JsonNode;
import io.healthmesh.connector.provider.SyncContext;
import io.healthmesh.contracts.event.Aggregation;
import io.healthmesh.contracts.event.Reading;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * The daily readings of one document (one Oura {@code day}): each a {@code daily} value of its
 * local date, sourceRecordId = the document id. Oura gives no zone, only the offset of the
 * document's {@code timestamp}, so the reading spans that date's midnight to midnight at that
 * offset (daily values are bucketed by their local date and never split, so the span is only
 * informative). A metric the document does not carry (any more) is sent as a tombstone of that
 * metric, so a re-analysed document that lost a value loses its row too.
 */
final class DailyReadings {

    private final SyncContext context;
    private final SyncOutcome.Counter counter;
    private final String documentId;
    private final Reading.Builder base;

    private DailyReadings(SyncContext context, SyncOutcome.Counter counter, String documentId, Reading.Builder base) {
        this.context = context;
        this.counter = counter;
        this.documentId = documentId;
        this.base = base;
    }

    /** Null (counted as skipped) when the document has no readable day. */
    static DailyReadings of(SyncContext context, JsonNode document, LocalDate day, SyncOutcome.Counter counter) {
        if (day == null) {
            counter.skip("document without day");
            return null;
        }
        OffsetDateTime stamp = OuraJson.time(document, "timestamp");
        ZoneOffset offset = stamp == null ? ZoneOffset.UTC : stamp.getOffset();
        Reading.Builder base = Reading.builder()
                .sourceRecordId(OuraJson.text(document, "id"))
                .aggregation(Aggregation.DAILY)
                .start(day.atStartOfDay().atOffset(offset))
                .end(day.plusDays(1).atStartOfDay().atOffset(offset))
                .localDate(day)
                .device(OuraDocumentSync.DEVICE)
                .userEntered(false);
        return new DailyReadings(context, counter, OuraJson.text(document, "id"), base);
    }

    /** The value, or a tombstone of the metric when there is none. */
    void put(String metric, BigDecimal value, String unit) {
        if (value == null) {
            remove(metric);
            return;
        }
        context.reading(base.metric(metric).value(value.doubleValue()).unit(unit).build());
        counter.readings++;
    }

    /** As {@link #put}, for amounts that cannot be negative (a negative one is dropped like a missing one). */
    void putAmount(String metric, BigDecimal value, String unit) {
        if (value != null && value.signum() < 0) {
            counter.skip(metric + ": negative");
            value = null;
        }
        put(metric, value, unit);
    }

    void remove(String metric) {
        context.reading(Reading.builder().sourceRecordId(documentId).metric(metric).deleted(true).build());
        counter.tombstones++;
    }
}
