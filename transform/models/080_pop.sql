-- 080_pop: unit and cluster rows together, with the previous period of the
-- same type, the same period a year before, % of target and ranks:
--   achievement: % of target (already direction-aware: for lower-is-better
--                100 while at or under the target, else target ÷ actual;
--                for target-is-best 100 minus the distance in %), capped at
--                the indicator's cap_pct where one is configured.
-- tf_pop keeps only what is not a plain function of its other columns:
-- the changes, the cluster figures of each row (tf_crow), the share, the
-- status and the trend, and the names of units and indicators are added by
-- 900_publish, as it writes the rows (a narrower table to keep and to sort:
-- at 700 units × 9 indicators × 4 years, 42 columns took 1.5 s to write).
--
-- The previous period and the same period a year before are the row of the
-- same unit, indicator and period type whose pidx, the period's number
-- counted from year 0 (months: year × 12 + n − 1, quarters × 4, halves × 2,
-- 9M and year: the year), is exactly pidx − 1, and exactly pidx − ppy (ppy:
-- periods per year): a missing period gives NULL, never an earlier row.
-- (uid, iid, type_ord, pidx) is a row's key, packed into one BIGINT, key:
-- ((iid × 8 + type_ord) × 2^16 + pidx) × 2^24 + uid (uid < 2^24, pidx < 2^16:
-- years before 5461), so the previous period's key is key − 2^24 and the
-- same period a year before's key − ppy × 2^24, and a period's rows (what
-- the ranks compare) share key // 2^24. The joins and ranks run on the keys
-- alone (tf_pk), joined back to the rows once: a window over the rows whole
-- sorted every column, 3 times (12× the time).
CREATE OR REPLACE TEMP VIEW tf_popx AS
WITH t AS (
    SELECT r.unit_code, u.uid, false AS is_cluster, u.ord AS unit_ord,
           r.indicator_code, r.year, r.period_type, r.type_ord, r.n, r.fm, r.lm, r.period, r.ea, r.eb,
           r.value, r.value_source, r.ytd_value, r.target, r.months_expected, r.months_reported,
           r.value IS NOT NULL AS complete,
           NULL::DOUBLE AS value_partial, NULL::BIGINT AS units_reported, NULL::BIGINT AS units_expected, false AS ctx
    FROM tf_urow r JOIN tf_units u ON u.code = r.unit_code
    UNION ALL
    SELECT cl.code, 0, true, 2147483647,
           c.indicator_code, c.year, c.period_type, c.type_ord, c.n, c.fm, c.lm, c.period, NULL, NULL,
           c.value, CASE WHEN c.value IS NOT NULL THEN 'cluster' END, c.ytd_value, c.target,
           c.months_expected::INTEGER, c.months_reported::INTEGER,
           c.complete, c.value_partial, c.units_reported, c.units_expected, false
    FROM tf_crow c CROSS JOIN tf_cluster cl
    UNION ALL
    -- ctx: the kept rows of the year before a recomputed year that is not
    -- recomputed itself (tf_ctx, incremental runs only), for the windows
    -- below, only of the periods a recomputed row can read: the same
    -- periods a year before, and the last month, quarter and half (before
    -- the first); they are not output again
    SELECT x.unit_code, CASE WHEN x.is_cluster THEN 0 ELSE u.uid END, x.is_cluster, NULL,
           x.indicator_code, year(x.period_start)::INTEGER, x.period_type, p.type_ord, p.n, p.fm, p.lm, x.period,
           NULL, NULL, x.value, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, true
    FROM tf_old_pop x
    JOIN tf_periods p ON p.period_type = x.period_type AND p.fm = month(x.period_start)
    LEFT JOIN tf_units u ON u.code = x.unit_code
    WHERE year(x.period_start) IN (SELECT year FROM tf_ctx)
      AND (p.lm = 12 OR (p.period_type, p.n) IN (SELECT (period_type, n) FROM tf_pgrid))
),
a AS (
    SELECT t.*, i.iid, i.agg, i.direction, i.cap_pct, i.has_target, i.ord AS ind_ord, i.cluster_value,
           CASE
               WHEN t.target IS NULL OR t.target = 0 OR t.ytd_value IS NULL THEN NULL
               WHEN i.direction = 'higher' THEN t.ytd_value / t.target * 100
               WHEN i.direction = 'lower' THEN
                   CASE WHEN t.ytd_value <= t.target THEN 100 ELSE t.target / t.ytd_value * 100 END
               ELSE greatest(0, 100 - abs(t.ytd_value - t.target) / abs(t.target) * 100)
           END AS pct_of_target,
           CASE t.period_type WHEN 'month' THEN 12 WHEN 'quarter' THEN 4 WHEN 'half' THEN 2 ELSE 1 END AS ppy
    FROM t JOIN tf_ind i ON i.code = t.indicator_code
),
k AS (
    SELECT a.*,
           CASE WHEN a.ppy = 1 THEN a.year ELSE a.year * a.ppy + a.n - 1 END AS pidx
    FROM a
)
SELECT k.*,
       ((k.iid::BIGINT * 8 + k.type_ord) * 65536 + k.pidx) * 16777216 + k.uid AS key,
       CASE
           WHEN k.is_cluster THEN NULL
           WHEN k.direction = 'higher' THEN -k.value
           WHEN k.direction = 'lower' THEN k.value
           ELSE abs(k.value - k.target)
       END AS vkey,
       CASE
           WHEN k.cap_pct IS NOT NULL AND k.pct_of_target > k.cap_pct THEN k.cap_pct
           ELSE k.pct_of_target
       END AS achievement
FROM k;

-- tf_kv: what the ranks and the previous periods read, for every row (a
-- table, whose blocks can go to disk when memory is short, where a
-- materialized CTE's cannot). tf_pk: for each output row's key, the
-- previous period's value, the same period's a year before, its ranks
-- among the units of the period and how many units are ranked.
CREATE TEMP TABLE tf_kv AS
SELECT key, ppy, value, vkey, CASE WHEN NOT is_cluster THEN -achievement END AS tkey, ctx
FROM tf_popx;

CREATE TEMP TABLE tf_pk AS
WITH r AS (
    SELECT key, ppy,
           CASE WHEN vkey IS NOT NULL THEN rank() OVER (PARTITION BY key // 16777216 ORDER BY vkey ASC NULLS LAST) END AS rank_value,
           CASE WHEN tkey IS NOT NULL THEN rank() OVER (PARTITION BY key // 16777216 ORDER BY tkey ASC NULLS LAST) END AS rank_target,
           count(vkey) OVER (PARTITION BY key // 16777216) AS units_ranked
    FROM tf_kv WHERE NOT ctx
)
SELECT r.key, p.value AS prev_value, y.value AS yoy_value, r.rank_value, r.rank_target, r.units_ranked
FROM r
LEFT JOIN tf_kv p ON p.key = r.key - 16777216
LEFT JOIN tf_kv y ON y.key = r.key - r.ppy * 16777216;

CREATE TEMP TABLE tf_pop AS
SELECT k.unit_code, k.indicator_code, k.period, k.period_type,
       make_date(k.year, k.fm, 1) AS period_start,
       last_day(make_date(k.year, k.lm, 1)) AS period_end,
       k.value, pk.prev_value, pk.yoy_value, k.ytd_value, k.target, k.pct_of_target,
       pk.rank_value, pk.rank_target,
       k.is_cluster, k.complete, k.months_expected, k.months_reported,
       k.units_reported::INTEGER AS units_reported, k.units_expected::INTEGER AS units_expected, k.value_partial,
       k.value_source,
       k.achievement,
       -- internal columns for later models and ordering
       pk.units_ranked, k.year, k.n, k.type_ord, k.eb
FROM tf_popx k
JOIN tf_pk pk ON pk.key = k.key
WHERE NOT k.ctx;

-- tf_pop has every row now; free the memory of its inputs (tf_crow stays:
-- 900_publish reads the cluster figures of each row from it).
DROP TABLE tf_pk;
DROP TABLE tf_kv;
DROP VIEW tf_popx;
DROP TABLE tf_urow;
