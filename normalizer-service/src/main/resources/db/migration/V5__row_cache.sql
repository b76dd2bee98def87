-- Raw reads take the rows of whole UTC dates from metric_row_cache: each date's rows of a metric
-- (every row starting on that UTC date, in the read's order) as a read fetched them from
-- unified_metric, encoded by DayRowsCodec. A raw read of a day decodes two such entries instead of
-- a few thousand rows.
--
-- Validity rides on metric_day_generation (V4__day_cache.sql): a row starting on UTC date D is in
-- [start - 18 h, end + 18 h], so every change to it bumps (user, metric, D). An entry is valid
-- only while its date's generation is the one it was read at; a read takes the generations before
-- it reads the rows. As there, deleting every row of metric_row_cache is always safe.
CREATE TABLE metric_row_cache (
    user_id    text   NOT NULL,
    metric     text   NOT NULL,
    utc_date   date   NOT NULL,
    generation bigint NOT NULL,
    rows       bytea  NOT NULL, -- DayRowsCodec
    PRIMARY KEY (user_id, metric, utc_date)
);

-- Already compact: stored as is, so reading an entry back costs no decompression.
ALTER TABLE metric_row_cache ALTER COLUMN rows SET STORAGE EXTERNAL;

-- The triggers of V4 now clear deleted data from this cache too.
CREATE OR REPLACE FUNCTION metric_day_dates_changed() RETURNS trigger
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
        -- Deleted data does not stay behind in the caches either.
        DELETE FROM metric_day_cache c
        USING (SELECT DISTINCT user_id, metric FROM changed_old) r
        WHERE c.user_id = r.user_id AND c.metric = r.metric
          AND c.generation <> (SELECT g.generation FROM metric_day_generation g
                               WHERE g.user_id = c.user_id AND g.metric = c.metric AND g.local_date = c.local_date);
        DELETE FROM metric_row_cache c
        USING (SELECT DISTINCT user_id, metric FROM changed_old) r
        WHERE c.user_id = r.user_id AND c.metric = r.metric
          AND c.generation <> (SELECT g.generation FROM metric_day_generation g
                               WHERE g.user_id = c.user_id AND g.metric = c.metric AND g.local_date = c.utc_date);
    END IF;
    RETURN NULL;
END;
$$;

CREATE OR REPLACE FUNCTION metric_day_cache_cleared() RETURNS trigger
LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
    DELETE FROM metric_day_cache;
    DELETE FROM metric_row_cache;
    RETURN NULL;
END;
$$;
