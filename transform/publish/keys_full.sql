-- publish/keys_full: the key of each period's indicator_pop rows (their
-- count and an order-free hash of every column, as store.PopPeriodKeys
-- computes them from the table), written with the rows: the dashboards'
-- period keys and the Parquet export's partition keys read them instead of
-- hashing the whole table again. fp is the run's global fingerprint
-- (tf_gfp, kept in transform_state): keys written by another build of the
-- models are not read.
CREATE OR REPLACE TABLE pop_keys AS
SELECT t.period, min(year(t.period_start))::INTEGER AS year, count(*) AS n,
       count(*)::VARCHAR || ':' || sum(hash(t)::HUGEINT)::VARCHAR AS key,
       (SELECT fp FROM tf_gfp) AS fp
FROM indicator_pop t
GROUP BY t.period;
