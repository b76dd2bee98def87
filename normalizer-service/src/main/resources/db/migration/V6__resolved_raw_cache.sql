-- Resolved raw reads take the points of whole UTC hours from metric_resolved_raw_cache: per UTC
-- date and ranking (fingerprint), the resolved raw points of every local hour of that date, as a
-- read of the whole date answered them, with what a read of part of the date also needs (rows
-- starting in each UTC hour, for the raw read's cap; the date's daily values, which are resolved
-- per read: the read's dates decide which count). Encoded by ResolvedHoursCodec. Only dates whose
-- every hour bucket starts on a whole UTC hour are kept (clocks at whole-hour offsets).
--
-- Validity rides on metric_day_generation as metric_row_cache's does (V5__row_cache.sql): every
-- row overlapping a date's hours overlaps the date, so any change to one bumps (user, metric, date).
-- Deleting every row of this table is always safe.
CREATE TABLE metric_resolved_raw_cache (
    user_id     text   NOT NULL,
    metric      text   NOT NULL,
    utc_date    date   NOT NULL,
    fingerprint text   NOT NULL, -- the ranking and the format the points were resolved with
    generation  bigint NOT NULL,
    hours       bytea  NOT NULL, -- ResolvedHoursCodec
    PRIMARY KEY (user_id, metric, utc_date)
);

ALTER TABLE metric_resolved_raw_cache ALTER COLUMN hours SET STORAGE EXTERNAL;

-- Deleted data does not stay behind here either. Triggers of one event fire in name order: this
-- one after metric_day_deleted, which has bumped the generations by then.
CREATE FUNCTION metric_resolved_raw_deleted() RETURNS trigger
LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
    DELETE FROM metric_resolved_raw_cache c
    USING (SELECT DISTINCT user_id, metric FROM changed_old) r
    WHERE c.user_id = r.user_id AND c.metric = r.metric
      AND c.generation <> (SELECT g.generation FROM metric_day_generation g
                           WHERE g.user_id = c.user_id AND g.metric = c.metric AND g.local_date = c.utc_date);
    RETURN NULL;
END;
$$;

CREATE TRIGGER metric_resolved_raw_deleted AFTER DELETE ON unified_metric
    REFERENCING OLD TABLE AS changed_old FOR EACH STATEMENT EXECUTE FUNCTION metric_resolved_raw_deleted();

CREATE FUNCTION metric_resolved_raw_cleared() RETURNS trigger
LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
    DELETE FROM metric_resolved_raw_cache;
    RETURN NULL;
END;
$$;

CREATE TRIGGER metric_resolved_raw_truncated AFTER TRUNCATE ON unified_metric
    FOR EACH STATEMENT EXECUTE FUNCTION metric_resolved_raw_cleared();
