-- Idempotency-Key records of the push API (POST /api/v1/readings), shared by every gateway replica.
-- A request claims (user_id, idem_key) with one INSERT ... ON CONFLICT; the claim holds the hash of
-- the body, and once the batch is published the answer that was given, so that a retry with the same
-- key and body gets it again without publishing again. A failed publish deletes its claim.
CREATE TABLE idempotency_key (
    user_id         text        NOT NULL,
    idem_key        text        NOT NULL,
    -- SHA-256 of the request body's bytes
    request_hash    bytea       NOT NULL,
    -- Which request holds the claim: only it may complete or release the row.
    claim_id        uuid        NOT NULL,
    state           text        NOT NULL CHECK (state IN ('in_flight', 'completed')),
    claimed_at      timestamptz NOT NULL,
    expires_at      timestamptz NOT NULL,
    response_status integer,
    response_body   text,
    PRIMARY KEY (user_id, idem_key),
    CHECK (state = 'in_flight' OR (response_status IS NOT NULL AND response_body IS NOT NULL))
);
-- Expired keys are deleted by age.
CREATE INDEX idempotency_key_expires ON idempotency_key (expires_at);
