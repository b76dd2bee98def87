package io.healthmesh.contracts.event;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.healthmesh.contracts.vocab.Metric;
import io.healthmesh.contracts.vocab.Vocabulary;
import java.time.LocalDate;
import java.time.OffsetDateTime;

/**
 * One measured value from a source, in the unit the source gave it.
 *
 * @param sourceRecordId the source's own id, or one built by {@code Identity} from the record's identity
 * @param metric canonical metric code chosen by the producer; null only on a tombstone without a
 *     metric, which removes every row and session of this sourceRecordId
 * @param value the value as the source gave it, in {@code unit}
 * @param unit the unit as the source gave it; {@code Units} maps it to the metric's canonical unit
 * @param aggregation null means the metric's default (see {@link #effectiveAggregation()})
 * @param start start of the interval, with offset
 * @param end end of the interval, with offset; equal to start for an instantaneous sample
 * @param localDate the local date of a daily reading
 * @param zone IANA zone id where known
 * @param device the device that measured, as the source names it
 * @param app the app that wrote the value (Apple's sourceName)
 * @param userEntered true when typed in by hand rather than measured
 * @param importJobId the file import job this reading came from, if any
 * @param deleted true for a tombstone: remove what this identity wrote before
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Reading(
        String sourceRecordId,
        String metric,
        Double value,
        String unit,
        Aggregation aggregation,
        OffsetDateTime start,
        OffsetDateTime end,
        LocalDate localDate,
        String zone,
        String device,
        String app,
        Boolean userEntered,
        String importJobId,
        boolean deleted)
        implements Payload {

    @Override
    public EventKind eventKind() {
        return EventKind.READING;
    }

    /** The given aggregation, else the metric's default; null when neither is known. */
    @JsonIgnore
    public Aggregation effectiveAggregation() {
        if (aggregation != null) {
            return aggregation;
        }
        if (metric == null) {
            return null;
        }
        return Vocabulary.metric(metric).map(Metric::defaultAggregation).orElse(null);
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder()
                .sourceRecordId(sourceRecordId)
                .metric(metric)
                .value(value)
                .unit(unit)
                .aggregation(aggregation)
                .start(start)
                .end(end)
                .localDate(localDate)
                .zone(zone)
                .device(device)
                .app(app)
                .userEntered(userEntered)
                .importJobId(importJobId)
                .deleted(deleted);
    }

    /** Named setters for the fourteen components, which are easy to misplace positionally. */
    public static final class Builder {
        private String sourceRecordId;
        private String metric;
        private Double value;
        private String unit;
        private Aggregation aggregation;
        private OffsetDateTime start;
        private OffsetDateTime end;
        private LocalDate localDate;
        private String zone;
        private String device;
        private String app;
        private Boolean userEntered;
        private String importJobId;
        private boolean deleted;

        private Builder() {
        }

        public Builder sourceRecordId(String sourceRecordId) {
            this.sourceRecordId = sourceRecordId;
            return this;
        }

        public Builder metric(String metric) {
            this.metric = metric;
            return this;
        }

        public Builder value(Double value) {
            this.value = value;
            return this;
        }

        public Builder unit(String unit) {
            this.unit = unit;
            return this;
        }

        public Builder aggregation(Aggregation aggregation) {
            this.aggregation = aggregation;
            return this;
        }

        public Builder start(OffsetDateTime start) {
            this.start = start;
            return this;
        }

        public Builder end(OffsetDateTime end) {
            this.end = end;
            return this;
        }

        /** Sets start and end to the same instant, as for an instantaneous sample. */
        public Builder at(OffsetDateTime instant) {
            this.start = instant;
            this.end = instant;
            return this;
        }

        public Builder localDate(LocalDate localDate) {
            this.localDate = localDate;
            return this;
        }

        public Builder zone(String zone) {
            this.zone = zone;
            return this;
        }

        public Builder device(String device) {
            this.device = device;
            return this;
        }

        public Builder app(String app) {
            this.app = app;
            return this;
        }

        public Builder userEntered(Boolean userEntered) {
            this.userEntered = userEntered;
            return this;
        }

        public Builder importJobId(String importJobId) {
            this.importJobId = importJobId;
            return this;
        }

        public Builder deleted(boolean deleted) {
            this.deleted = deleted;
            return this;
        }

        public Reading build() {
            return new Reading(sourceRecordId, metric, value, unit, aggregation, start, end, localDate,
                    zone, device, app, userEntered, importJobId, deleted);
        }
    }
}
