-- The withings schema belongs to withings-connector; Flyway creates it and records its history here.
COMMENT ON SCHEMA withings IS 'Owned by withings-connector: Withings OAuth2, sync, backfill, notifications';
