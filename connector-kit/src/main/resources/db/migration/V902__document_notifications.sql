-- connector-kit: notifications that name one document instead of a time window (Oura's
-- {event_type, data_type, object_id}), and the targeted sync tasks they turn into. Both columns
-- are null for window notifications (Withings) and for every other task.

ALTER TABLE notification ADD COLUMN document_id text;
ALTER TABLE notification ADD COLUMN change_kind text
    CHECK (change_kind IS NULL OR change_kind IN ('created', 'updated', 'deleted'));
ALTER TABLE notification ADD CONSTRAINT notification_document_with_kind
    CHECK ((document_id IS NULL) = (change_kind IS NULL));

ALTER TABLE sync_task ADD COLUMN document_id text;
ALTER TABLE sync_task ADD COLUMN change_kind text
    CHECK (change_kind IS NULL OR change_kind IN ('created', 'updated', 'deleted'));
ALTER TABLE sync_task ADD CONSTRAINT sync_task_document_with_kind
    CHECK ((document_id IS NULL) = (change_kind IS NULL));
