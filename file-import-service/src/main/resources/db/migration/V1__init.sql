-- The imports schema belongs to file-import-service; Flyway creates it and records its history here.
COMMENT ON SCHEMA imports IS 'Owned by file-import-service: Apple Health and CSV imports and their jobs';
