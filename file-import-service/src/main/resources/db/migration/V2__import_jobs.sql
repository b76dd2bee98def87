-- Import jobs: stored here so they survive restarts, claimed through leases so a job whose
-- replica died is taken over by another.
CREATE TABLE import_job (
    id                uuid PRIMARY KEY,
    user_id           text        NOT NULL,
    kind              text        NOT NULL CHECK (kind IN ('apple_health', 'csv')),
    state             text        NOT NULL CHECK (state IN ('queued', 'parsing', 'publishing', 'awaiting_mapping',
                                                            'done', 'failed', 'cancelled')),
    file_name         text,
    storage_path      text        NOT NULL,
    total_bytes       bigint      NOT NULL,
    bytes_read        bigint      NOT NULL DEFAULT 0,
    records_read      bigint      NOT NULL DEFAULT 0,
    sent              bigint      NOT NULL DEFAULT 0, -- events acknowledged by the broker, duplicates included
    published         bigint,                         -- distinct events, known once the file is read
    skipped           jsonb       NOT NULL DEFAULT '{}'::jsonb,
    error_sample      jsonb       NOT NULL DEFAULT '[]'::jsonb,
    accepted          bigint      NOT NULL DEFAULT 0,
    rejected          bigint      NOT NULL DEFAULT 0,
    outcome_at        timestamptz,
    failure_reason    text,
    failure_line      integer,
    failure_column    integer,
    cancel_requested  boolean     NOT NULL DEFAULT false,
    attempts          integer     NOT NULL DEFAULT 0,
    lease_owner       text,
    lease_expires_at  timestamptz,
    created_at        timestamptz NOT NULL DEFAULT now(),
    started_at        timestamptz,
    parsed_at         timestamptz,
    finished_at       timestamptz,
    updated_at        timestamptz NOT NULL DEFAULT now()
);

-- Workers look for claimable jobs: queued ones, or running ones whose lease ran out.
CREATE INDEX import_job_claimable ON import_job (created_at) WHERE state IN ('queued', 'parsing', 'publishing');
CREATE INDEX import_job_user ON import_job (user_id, created_at);
