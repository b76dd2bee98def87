-- CSV jobs: the preview (sniffed dialect, header, first rows, suggested mapping) shown while the job
-- waits in awaiting_mapping, and the mapping its owner posted.
ALTER TABLE import_job ADD COLUMN preview jsonb;
ALTER TABLE import_job ADD COLUMN mapping jsonb;

-- Jobs nobody mapped expire (their uploads are deleted).
CREATE INDEX import_job_awaiting_mapping ON import_job (created_at) WHERE state = 'awaiting_mapping';
