-- Each user's own choices (nothing filled in) with the policy version, and the connectors'
-- latest reports. The version grows strictly: max(previous + 1, microseconds since the epoch),
-- so a version published by a transaction that then failed to commit is still superseded.
CREATE TABLE user_preferences (
    user_id     text PRIMARY KEY,
    version     bigint      NOT NULL,
    preferences jsonb       NOT NULL,
    updated_at  timestamptz NOT NULL
);

CREATE TABLE connection_status (
    user_id              text        NOT NULL,
    source               text        NOT NULL,
    state                text        NOT NULL CHECK (state IN ('connected', 'syncing', 'backfilling', 'error',
                                                               'token_expired', 'disconnected')),
    progress             double precision,
    reason               text,
    last_successful_sync timestamptz,
    next_sync            timestamptz,
    updated_at           timestamptz NOT NULL,
    PRIMARY KEY (user_id, source)
);
