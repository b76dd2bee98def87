package io.healthmesh.contracts.event;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.OffsetDateTime;

/**
 * A stretch of time with a type: a night's sleep, a nap, a workout or a mindfulness session.
 *
 * @param sourceRecordId the source's own id, or one built by {@code Identity}
 * @param type null only on a tombstone
 * @param start start, with offset
 * @param end end, with offset
 * @param zone IANA zone id where known
 * @param device the device that recorded the session
 * @param app the app that wrote it
 * @param details stages, totals and workout statistics, whichever the source gives
 * @param importJobId the file import job this session came from, if any
 * @param deleted true for a tombstone: remove the session of this identity
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Session(
        String sourceRecordId,
        SessionType type,
        OffsetDateTime start,
        OffsetDateTime end,
        String zone,
        String device,
        String app,
        SessionDetails details,
        String importJobId,
        boolean deleted)
        implements Payload {

    @Override
    public EventKind eventKind() {
        return EventKind.SESSION;
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder()
                .sourceRecordId(sourceRecordId)
                .type(type)
                .start(start)
                .end(end)
                .zone(zone)
                .device(device)
                .app(app)
                .details(details)
                .importJobId(importJobId)
                .deleted(deleted);
    }

    public static final class Builder {
        private String sourceRecordId;
        private SessionType type;
        private OffsetDateTime start;
        private OffsetDateTime end;
        private String zone;
        private String device;
        private String app;
        private SessionDetails details;
        private String importJobId;
        private boolean deleted;

        private Builder() {
        }

        public Builder sourceRecordId(String sourceRecordId) {
            this.sourceRecordId = sourceRecordId;
            return this;
        }

        public Builder type(SessionType type) {
            this.type = type;
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

        public Builder details(SessionDetails details) {
            this.details = details;
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

        public Session build() {
            return new Session(sourceRecordId, type, start, end, zone, device, app, details, importJobId, deleted);
        }
    }
}
