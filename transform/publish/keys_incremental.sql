-- publish/keys_incremental: the keys of the recomputed years' periods
-- (publish/keys_full.sql) replace theirs; the kept years' rows, and so
-- their keys, are unchanged.
CREATE TABLE IF NOT EXISTS pop_keys (period VARCHAR, year INTEGER, n BIGINT, key VARCHAR, fp VARCHAR);
DELETE FROM pop_keys WHERE year IN (SELECT year FROM tf_years) OR fp IS DISTINCT FROM (SELECT fp FROM tf_gfp);
INSERT INTO pop_keys
SELECT t.period, min(year(t.period_start))::INTEGER, count(*),
       count(*)::VARCHAR || ':' || sum(hash(t)::HUGEINT)::VARCHAR, (SELECT fp FROM tf_gfp)
FROM indicator_pop t
WHERE year(t.period_start) IN (SELECT year FROM tf_years)
GROUP BY t.period;
