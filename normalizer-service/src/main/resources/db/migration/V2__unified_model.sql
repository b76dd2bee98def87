-- Unified metrics and sessions, written by the raw-topic consumer with natural-key upserts.

-- One row per (user, source, source record, metric). value/unit are canonical; the original
-- value and unit are kept as the source gave them. occurred_at (the producer's emit time) orders
-- versions of a record, so a replayed older event never overwrites a newer one.
CREATE TABLE unified_metric (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id          text             NOT NULL,
    source           text             NOT NULL,
    source_record_id text             NOT NULL,
    metric           text             NOT NULL,
    category         text             NOT NULL,
    value            double precision NOT NULL,
    unit             text             NOT NULL,
    original_value   double precision NOT NULL,
    original_unit    text             NOT NULL,
    aggregation      text             NOT NULL CHECK (aggregation IN ('cumulative', 'sample', 'daily')),
    start_time       timestamptz      NOT NULL,
    end_time         timestamptz      NOT NULL,
    utc_offset       integer          NOT NULL, -- seconds east of UTC of the start, as the source wrote it
    local_date       date             NOT NULL, -- the reading's own local date (of its start; daily: as given)
    zone             text,
    device           text,
    app              text,
    user_entered     boolean          NOT NULL DEFAULT false,
    quality          real             NOT NULL CHECK (quality BETWEEN 0 AND 1),
    quality_reasons  jsonb            NOT NULL,
    event_id         uuid             NOT NULL,
    import_job_id    text,
    derived_from_session boolean      NOT NULL DEFAULT false,
    occurred_at      timestamptz      NOT NULL,
    updated_at       timestamptz      NOT NULL DEFAULT now(),
    CONSTRAINT unified_metric_natural_key UNIQUE (user_id, source, source_record_id, metric)
);

-- Reads: one user's metric over a time range.
CREATE INDEX unified_metric_read ON unified_metric (user_id, metric, start_time);

-- One row per (user, source, source record).
CREATE TABLE health_session (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id          text        NOT NULL,
    source           text        NOT NULL,
    source_record_id text        NOT NULL,
    type             text        NOT NULL CHECK (type IN ('sleep', 'nap', 'workout', 'mindfulness')),
    start_time       timestamptz NOT NULL,
    end_time         timestamptz NOT NULL,
    utc_offset       integer     NOT NULL,
    local_date       date        NOT NULL, -- local date the session ends on (sleep is dated by its end)
    zone             text,
    device           text,
    app              text,
    details          jsonb       NOT NULL,
    quality          real        NOT NULL CHECK (quality BETWEEN 0 AND 1),
    quality_reasons  jsonb       NOT NULL,
    event_id         uuid        NOT NULL,
    import_job_id    text,
    occurred_at      timestamptz NOT NULL,
    updated_at       timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT health_session_natural_key UNIQUE (user_id, source, source_record_id)
);

CREATE INDEX health_session_read ON health_session (user_id, type, start_time);

-- Deletions remembered with their time, so a replayed older event cannot bring a deleted record
-- back. metric is a metric code, '*' (every metric and session of the record) or 'session'.
CREATE TABLE record_tombstone (
    user_id          text        NOT NULL,
    source           text        NOT NULL,
    source_record_id text        NOT NULL,
    metric           text        NOT NULL,
    occurred_at      timestamptz NOT NULL,
    PRIMARY KEY (user_id, source, source_record_id, metric)
);

-- Per import job, the latest outcome of each distinct event, so a redelivery never counts twice.
CREATE TABLE import_event_outcome (
    import_job_id text    NOT NULL,
    event_id      uuid    NOT NULL,
    accepted      boolean NOT NULL,
    PRIMARY KEY (import_job_id, event_id)
);

-- Running totals per job, maintained from the changes to import_event_outcome.
CREATE TABLE import_job_outcome (
    import_job_id text        PRIMARY KEY,
    accepted      bigint      NOT NULL DEFAULT 0,
    rejected      bigint      NOT NULL DEFAULT 0,
    updated_at    timestamptz NOT NULL DEFAULT now()
);
