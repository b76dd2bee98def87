-- Oura webhooks: the app's subscriptions (one per event type and data type, for every user) and the
-- signatures of the notifications already taken (a replayed delivery is refused).

CREATE TABLE webhook_subscription (
    id              text        PRIMARY KEY,
    event_type      text        NOT NULL,
    data_type       text        NOT NULL,
    callback_url    text        NOT NULL,
    expiration_time timestamptz,
    updated_at      timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX webhook_subscription_once ON webhook_subscription (event_type, data_type, callback_url);

-- A signature is remembered for as long as its timestamp would still be accepted (and a little more);
-- older rows are purged, since the timestamp check refuses their deliveries anyway.
CREATE TABLE webhook_signature (
    signature   text        PRIMARY KEY,
    received_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX webhook_signature_received ON webhook_signature (received_at);
