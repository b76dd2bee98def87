-- How far a job's events are acknowledged: every event before this one (in the file's parse order,
-- which is deterministic) was acknowledged by the broker. A retry parses the file again but sends
-- only the events from here on, instead of the whole file again.
ALTER TABLE import_job ADD COLUMN acked_events bigint NOT NULL DEFAULT 0;
COMMENT ON COLUMN import_job.acked_events IS
    'events (in parse order) all acknowledged by the broker from the first on: a retry resumes sending here';
