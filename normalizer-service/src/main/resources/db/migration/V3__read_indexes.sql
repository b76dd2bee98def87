-- Metric reads (UnifiedReadRepository.METRICS) ask for one user's metric over a start-time range in
-- (start_time, source, device) order. With source and device in the index the rows come in that
-- order without a sort (an incremental sort cost about a third of the query on a year of minute
-- rows). It serves every query the previous (user_id, metric, start_time) index served, and
-- replaces it.
--
-- Readings longer than an hour get an index of their own: a read looks back an hour before its
-- range in the main index, and a month (the longest reading allowed) only among these, instead of
-- scanning a month of minute rows to find the few that reach into the range.
--
-- Not CONCURRENTLY: Flyway's PostgreSQL lock makes a concurrent build wait on Flyway itself, so the
-- builds lock writes to the table once, for as long as they take. On a large table, build the two
-- indexes beforehand with CREATE INDEX CONCURRENTLY (same names and definitions): IF NOT EXISTS
-- then makes this migration instant.
CREATE INDEX IF NOT EXISTS unified_metric_read_ordered
    ON unified_metric (user_id, metric, start_time, source, device);

CREATE INDEX IF NOT EXISTS unified_metric_read_long
    ON unified_metric (user_id, metric, start_time, source, device)
    WHERE end_time - start_time > interval '1 hour';

DROP INDEX IF EXISTS unified_metric_read;
