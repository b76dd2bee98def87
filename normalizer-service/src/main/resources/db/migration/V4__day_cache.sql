-- Day-granularity reads are served per local date from metric_day_cache: each date's points as
-- the read computed them from unified_metric (UserDataReadService), for one view and one policy
-- fingerprint. A date's points depend only on the rows that fall on that date, so a cached date
-- stays right until a row touching it changes; then its generation moves on.
--
-- metric_day_generation counts the changes of the rows that may fall on a (user, metric, date).
-- The triggers below bump it in the same transaction as the change, whoever makes it (the
-- consumer, a deletion, an operator's SQL, a bulk load): a cached date is valid only while its
-- generation is the one it was computed at. A read takes the generations before it reads the rows,
-- so a change committed in between only makes the cached date stale, never wrong.
--
-- Deleting every row of metric_day_cache is always safe (the next reads compute them again).
-- Never delete rows of metric_day_generation: a date would start over at 0, the generation a
-- cached date may carry.
-- A daily value falls on its local_date whatever its start and end. A read fetches rows by time,
-- so one stored far from its date (outside [date - 18 h, date + 1 + 18 h] UTC) is in a read only
-- if the read's rows reach it: a date with such a value is not cached (the read finds them here).
CREATE INDEX IF NOT EXISTS unified_metric_daily_by_date
    ON unified_metric (user_id, metric, local_date)
    WHERE aggregation = 'daily';

CREATE TABLE metric_day_generation (
    user_id    text   NOT NULL,
    metric     text   NOT NULL,
    local_date date   NOT NULL,
    generation bigint NOT NULL,
    PRIMARY KEY (user_id, metric, local_date)
);

CREATE TABLE metric_day_cache (
    user_id     text   NOT NULL,
    metric      text   NOT NULL,
    view        text   NOT NULL CHECK (view IN ('all', 'resolved')),
    local_date  date   NOT NULL,
    fingerprint text   NOT NULL, -- what the points depend on besides the rows (the policy's ranking, the format)
    generation  bigint NOT NULL,
    points      bytea  NOT NULL, -- DayPointsCodec
    PRIMARY KEY (user_id, metric, view, local_date)
);

-- A row may fall on the local dates of its own clock (offsets within +-18 h) from its start to its
-- end, and a daily value on its local_date: every UTC date of [start - 18 h, end + 18 h] and that
-- date are bumped, once per (user, metric, date) and statement.
-- SET search_path FROM CURRENT: the migration's schema, whatever the session changing the rows uses.
CREATE FUNCTION metric_day_dates_changed() RETURNS trigger
LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
DECLARE
    -- The transition tables this statement has: new rows (insert, update), old rows (update, delete).
    changed text := CASE TG_OP
        WHEN 'INSERT' THEN 'SELECT * FROM changed_new'
        WHEN 'UPDATE' THEN 'SELECT * FROM changed_new UNION ALL SELECT * FROM changed_old'
        ELSE 'SELECT * FROM changed_old' END;
BEGIN
    -- One statement, in key order: two writers never lock the same dates in opposite orders.
    EXECUTE format($bump$
        INSERT INTO metric_day_generation AS g (user_id, metric, local_date, generation)
        SELECT DISTINCT r.user_id, r.metric, d.day::date, 1
        FROM (%s) r
        CROSS JOIN LATERAL generate_series(
                LEAST(r.local_date, ((r.start_time - interval '18 hours') AT TIME ZONE 'UTC')::date),
                GREATEST(r.local_date, ((r.end_time + interval '18 hours') AT TIME ZONE 'UTC')::date),
                interval '1 day') AS d(day)
        ORDER BY 1, 2, 3
        ON CONFLICT (user_id, metric, local_date) DO UPDATE SET generation = g.generation + 1
        $bump$, changed);
    IF TG_OP = 'DELETE' THEN
        -- Deleted data does not stay behind in the cache either.
        DELETE FROM metric_day_cache c
        USING (SELECT DISTINCT user_id, metric FROM changed_old) r
        WHERE c.user_id = r.user_id AND c.metric = r.metric
          AND c.generation <> (SELECT g.generation FROM metric_day_generation g
                               WHERE g.user_id = c.user_id AND g.metric = c.metric AND g.local_date = c.local_date);
    END IF;
    RETURN NULL;
END;
$$;

CREATE TRIGGER metric_day_inserted AFTER INSERT ON unified_metric
    REFERENCING NEW TABLE AS changed_new FOR EACH STATEMENT EXECUTE FUNCTION metric_day_dates_changed();
CREATE TRIGGER metric_day_updated AFTER UPDATE ON unified_metric
    REFERENCING OLD TABLE AS changed_old NEW TABLE AS changed_new
    FOR EACH STATEMENT EXECUTE FUNCTION metric_day_dates_changed();
CREATE TRIGGER metric_day_deleted AFTER DELETE ON unified_metric
    REFERENCING OLD TABLE AS changed_old FOR EACH STATEMENT EXECUTE FUNCTION metric_day_dates_changed();

CREATE FUNCTION metric_day_cache_cleared() RETURNS trigger
LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
    DELETE FROM metric_day_cache;
    RETURN NULL;
END;
$$;

CREATE TRIGGER metric_day_truncated AFTER TRUNCATE ON unified_metric
    FOR EACH STATEMENT EXECUTE FUNCTION metric_day_cache_cleared();
