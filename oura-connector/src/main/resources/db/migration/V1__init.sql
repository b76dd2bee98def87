-- The oura schema belongs to oura-connector; Flyway creates it and records its history here.
COMMENT ON SCHEMA oura IS 'Owned by oura-connector: Oura OAuth2, sync, backfill, webhooks';
