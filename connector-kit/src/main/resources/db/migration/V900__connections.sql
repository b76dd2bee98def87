-- connector-kit, connections side: each user's connection to the source of this connector service,
-- its tokens (encrypted by the service, never plaintext here) and the OAuth2 states of pending
-- connects. Shipped in the kit's jar; it runs in the schema of whichever service includes the kit
-- (shared modules use versions 900-999, so no schema name appears here).

CREATE TABLE connection (
    user_id              text             NOT NULL,
    source               text             NOT NULL,
    -- The provider's id of the user (notifications name users by it); null when the grant did not say.
    provider_user_id     text,
    state                text             NOT NULL,
    -- For error and token_expired: what went wrong, in words a user can act on.
    reason               text,
    -- For backfilling: the share done, 0..1.
    progress             double precision,
    -- AES-256-GCM values, each tagged with the id of the key that wrote it (see TokenCipher).
    access_token         bytea,
    refresh_token        bytea,
    -- The key that wrote the tokens of this row: rows still under an older key are found by it.
    key_id               text,
    access_expires_at    timestamptz,
    scope                text,
    connected_at         timestamptz,
    last_successful_sync timestamptz,
    next_sync            timestamptz,
    -- Only grows per row: it is the updatedAt of the row's reports on connection.status.v1.
    updated_at           timestamptz      NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, source),
    CONSTRAINT connection_state_known CHECK (state IN
        ('connected', 'syncing', 'backfilling', 'error', 'token_expired', 'disconnected')),
    CONSTRAINT connection_progress_share CHECK (progress IS NULL OR (progress >= 0 AND progress <= 1)),
    CONSTRAINT connection_tokens_keyed CHECK ((access_token IS NULL AND refresh_token IS NULL) OR key_id IS NOT NULL),
    CONSTRAINT connection_disconnected_has_no_tokens CHECK
        (state <> 'disconnected' OR (access_token IS NULL AND refresh_token IS NULL))
);

-- A provider's user belongs to at most one of our users per source while not disconnected; it also
-- serves the lookup of notifications, which name the provider's user.
CREATE UNIQUE INDEX connection_provider_user_once ON connection (source, provider_user_id)
    WHERE state <> 'disconnected';

-- One row per authorization request: signed, single-use, expiring. The callback consumes it with
-- UPDATE .. WHERE used_at IS NULL AND expires_at > now() RETURNING, so of two replicas handling
-- the same callback exactly one wins. Used and expired rows are purged a day after expiry.
CREATE TABLE oauth_state (
    id            text        PRIMARY KEY,
    user_id       text        NOT NULL,
    source        text        NOT NULL,
    -- The PKCE code verifier, encrypted like the tokens; null when the provider has no PKCE.
    code_verifier bytea,
    created_at    timestamptz NOT NULL DEFAULT now(),
    expires_at    timestamptz NOT NULL,
    used_at       timestamptz
);

CREATE INDEX oauth_state_expires ON oauth_state (expires_at);
