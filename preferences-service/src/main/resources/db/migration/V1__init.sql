-- The preferences schema belongs to preferences-service; Flyway creates it and records its history here.
COMMENT ON SCHEMA preferences IS 'Owned by preferences-service: source registry, per-user priorities, connection status, resolution policy';
