-- connector-kit: the claim of a document task looks for other pending tasks of the same document
-- (they run one at a time, in order); this keeps that lookup off the whole table.
CREATE INDEX sync_task_document ON sync_task (user_id, source, data_type, document_id)
    WHERE document_id IS NOT NULL AND state IN ('queued', 'running');
