-- A provider's "slow down" answer pauses the whole app's budget for that source, not just the task
-- that got it: Withings (601) and Oura (429) count requests per app, so every replica waits.
CREATE TABLE rate_pause (
    source text        PRIMARY KEY,
    until  timestamptz NOT NULL
);
