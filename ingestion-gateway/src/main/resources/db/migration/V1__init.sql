-- The gateway schema belongs to ingestion-gateway; Flyway creates it and records its history here.
COMMENT ON SCHEMA gateway IS 'Owned by ingestion-gateway: the public entry (JWT, routing, push API, limits)';
