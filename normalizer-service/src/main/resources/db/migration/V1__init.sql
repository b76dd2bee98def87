-- The normalizer schema belongs to normalizer-service; Flyway creates it and records its history here.
COMMENT ON SCHEMA normalizer IS 'Owned by normalizer-service: unified metrics and sessions, reads with the resolution policy';
