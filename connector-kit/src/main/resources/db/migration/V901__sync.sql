-- connector-kit, sync side: sync work shared by every replica of a connector service through this
-- database (runs in the service's own schema, after its V1..; versions 900-999 belong to shared modules).

-- One unit of sync work: one data type of one connection, claimed by a replica through a lease.
CREATE TABLE sync_task (
    id               uuid        PRIMARY KEY,
    user_id          text        NOT NULL,
    source           text        NOT NULL,
    data_type        text        NOT NULL,
    kind             text        NOT NULL CHECK (kind IN ('backfill', 'incremental', 'targeted')),
    window_from      timestamptz,
    window_to        timestamptz,
    state            text        NOT NULL DEFAULT 'queued'
                                 CHECK (state IN ('queued', 'running', 'done', 'failed', 'cancelled')),
    lease_owner      text,
    lease_expires_at timestamptz,
    attempts         integer     NOT NULL DEFAULT 0,
    not_before       timestamptz NOT NULL DEFAULT now(),
    last_error       text,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now()
);

-- What a replica claims: queued work that is due, and running work whose replica stopped renewing.
CREATE INDEX sync_task_queued ON sync_task (not_before) WHERE state = 'queued';
CREATE INDEX sync_task_running ON sync_task (lease_expires_at) WHERE state = 'running';
CREATE INDEX sync_task_connection ON sync_task (user_id, source, kind, state);
-- At most one pending incremental sync per connection and data type, whichever replica schedules it.
CREATE UNIQUE INDEX sync_task_one_incremental ON sync_task (user_id, source, data_type)
    WHERE kind = 'incremental' AND state IN ('queued', 'running');

-- Where the last acknowledged sync of a connection's data type ended (opaque to the kit).
CREATE TABLE sync_cursor (
    user_id    text        NOT NULL,
    source     text        NOT NULL,
    data_type  text        NOT NULL,
    cursor     text        NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, source, data_type)
);

-- When a connection's next incremental sync is due.
CREATE TABLE sync_schedule (
    user_id       text        NOT NULL,
    source        text        NOT NULL,
    next_sync     timestamptz NOT NULL,
    sync_interval interval    NOT NULL,
    PRIMARY KEY (user_id, source)
);
CREATE INDEX sync_schedule_due ON sync_schedule (next_sync);

-- The app-wide rate budget: one row per request granted in the current window, per source.
-- Writers serialize on an advisory lock per source; rows older than the window are deleted.
CREATE TABLE rate_request (
    source text        NOT NULL,
    at     timestamptz NOT NULL
);
CREATE INDEX rate_request_source_at ON rate_request (source, at);

-- Provider notifications, stored before the provider gets its answer; turned into targeted syncs.
CREATE TABLE notification (
    id               uuid        PRIMARY KEY,
    source           text        NOT NULL,
    provider_user_id text        NOT NULL,
    data_type        text,
    window_from      timestamptz,
    window_to        timestamptz,
    payload          text,
    received_at      timestamptz NOT NULL DEFAULT now(),
    processed_at     timestamptz
);
CREATE INDEX notification_pending ON notification (received_at) WHERE processed_at IS NULL;
