-- 080_pop: unit and cluster rows together, with the previous period of the
-- same type, the same period a year before, % of target, ranks and the
-- cluster figures.
CREATE TEMP TABLE tf_all AS
SELECT r.unit_code, u.name AS unit_name, false AS is_cluster, u.ord AS unit_ord,
       r.indicator_code, r.year, r.period_type, r.type_ord, r.n, r.fm, r.lm, r.period, r.ea, r.eb,
       r.value, r.value_source, r.ytd_value, r.target, r.months_expected, r.months_reported,
       r.value IS NOT NULL AS complete
FROM tf_urow r JOIN tf_units u ON u.code = r.unit_code
UNION ALL
SELECT cl.code, cl.name, true, 2147483647,
       c.indicator_code, c.year, c.period_type, c.type_ord, c.n, c.fm, c.lm, c.period, NULL, NULL,
       c.value, CASE WHEN c.value IS NOT NULL THEN 'cluster' END, c.ytd_value, c.target,
       c.months_expected::INTEGER, c.months_reported::INTEGER,
       c.units_reported = c.units_expected
FROM tf_crow c CROSS JOIN tf_cluster cl;

CREATE TEMP TABLE tf_pop AS
WITH a AS (
    SELECT t.*, i.name AS indicator_name, i.agg, i.direction, i.cap_pct, i.ord AS ind_ord, i.cluster_value,
           CASE
               WHEN t.target IS NULL OR t.target = 0 OR t.ytd_value IS NULL THEN NULL
               WHEN i.direction = 'higher' THEN t.ytd_value / t.target * 100
               WHEN i.direction = 'lower' THEN
                   CASE WHEN t.ytd_value <= t.target THEN 100 ELSE t.target / t.ytd_value * 100 END
               ELSE greatest(0, 100 - abs(t.ytd_value - t.target) / abs(t.target) * 100)
           END AS pct_of_target,
           CASE
               WHEN t.period_type IN ('month', 'quarter', 'half') AND t.n = 1 THEN t.year - 1
               WHEN t.period_type IN ('month', 'quarter', 'half') THEN t.year
               ELSE t.year - 1
           END AS prev_year,
           CASE t.period_type
               WHEN 'month' THEN CASE WHEN t.n = 1 THEN 12 ELSE t.n - 1 END
               WHEN 'quarter' THEN CASE WHEN t.n = 1 THEN 4 ELSE t.n - 1 END
               WHEN 'half' THEN CASE WHEN t.n = 1 THEN 2 ELSE t.n - 1 END
               ELSE t.n
           END AS prev_n
    FROM tf_all t JOIN tf_ind i ON i.code = t.indicator_code
),
k AS (
    SELECT a.*,
           CASE
               WHEN a.is_cluster THEN NULL
               WHEN a.direction = 'higher' THEN -a.value
               WHEN a.direction = 'lower' THEN a.value
               ELSE abs(a.value - a.target)
           END AS vkey,
           CASE
               WHEN a.is_cluster THEN NULL
               WHEN a.cap_pct IS NOT NULL AND a.pct_of_target > a.cap_pct THEN -a.cap_pct
               ELSE -a.pct_of_target
           END AS tkey
    FROM a
)
SELECT k.unit_code, k.unit_name, k.indicator_code, k.indicator_name, k.period, k.period_type,
       make_date(k.year, k.fm, 1) AS period_start,
       last_day(make_date(k.year, k.lm, 1)) AS period_end,
       k.value,
       p.value AS prev_value,
       k.value - p.value AS change_prev,
       CASE WHEN p.value <> 0 THEN (k.value - p.value) / abs(p.value) * 100 END AS pct_change_prev,
       y.value AS yoy_value,
       k.value - y.value AS change_yoy,
       CASE WHEN y.value <> 0 THEN (k.value - y.value) / abs(y.value) * 100 END AS pct_change_yoy,
       k.ytd_value, k.target, k.pct_of_target,
       CASE WHEN k.vkey IS NOT NULL THEN rank() OVER (PARTITION BY k.indicator_code, k.period, k.vkey IS NULL ORDER BY k.vkey) END AS rank_value,
       CASE WHEN k.tkey IS NOT NULL THEN rank() OVER (PARTITION BY k.indicator_code, k.period, k.tkey IS NULL ORDER BY k.tkey) END AS rank_target,
       c.total AS cluster_total,
       c.mean AS cluster_mean,
       CASE WHEN k.agg <> 'ratio' AND c.total <> 0 AND NOT (k.is_cluster AND k.cluster_value = 'mean')
            THEN k.value / c.total * 100 END AS share_of_cluster,
       k.is_cluster, k.complete, k.months_expected, k.months_reported,
       c.units_reported::INTEGER AS units_reported,
       k.value_source,
       -- internal columns for later models and ordering
       count(k.vkey) OVER (PARTITION BY k.indicator_code, k.period) AS units_ranked,
       k.year, k.n, k.type_ord, k.ind_ord, k.unit_ord, k.ea, k.eb, k.prev_year, k.prev_n
FROM k
LEFT JOIN tf_all p ON p.unit_code = k.unit_code AND p.indicator_code = k.indicator_code
                  AND p.period_type = k.period_type AND p.year = k.prev_year AND p.n = k.prev_n
LEFT JOIN tf_all y ON y.unit_code = k.unit_code AND y.indicator_code = k.indicator_code
                  AND y.period_type = k.period_type AND y.year = k.year - 1 AND y.n = k.n
LEFT JOIN tf_crow c ON c.indicator_code = k.indicator_code AND c.year = k.year
                   AND c.period_type = k.period_type AND c.n = k.n;
