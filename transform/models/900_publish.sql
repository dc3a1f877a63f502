-- 900_publish: the output rows of the recomputed years, as views that
-- publish/full.sql or publish/incremental.sql write into the output tables
-- (inside the run's transaction, so readers see the old tables or the new
-- ones, never a mix).
--
-- indicator_pop, scores and score_points are written in their Parquet
-- export's order (store.ExportQueries, a unique key): the export then
-- copies them as stored, without sorting again (store.copyParquet checks
-- the order first). indicator_pop's order keeps each indicator's rows
-- together: a page's query for an indicator reads only its row groups.
-- Every other reader orders rows itself. quality stays sorted by severity
-- (store.QualityOrder): its export's order has ties (findings of one check,
-- unit, indicator and period), which then come in the same order every run.
-- The figures pages and reports show of a row, said once here:
--   change_*, pct_change_*: against the previous period and the same period
--                a year before (080_pop);
--   cluster_total, cluster_mean: the cluster row's figures (070_cluster);
--   status:      not_reported (no value, no month reported), incomplete (no
--                full value, or a cluster row some units are missing from,
--                or no YTD to compare), no_target, on_target (achievement
--                ≥ 100), close (≥ tf_params.close_pct) or behind;
--   yoy_trend:   better, worse or same than the same period a year before,
--                by the indicator's direction (NULL for target-is-best).
CREATE TEMP VIEW tf_out_pop AS
SELECT p.unit_code, CASE WHEN p.is_cluster THEN cl.name ELSE u.name END AS unit_name,
       p.indicator_code, i.name AS indicator_name, p.period, p.period_type, p.period_start, p.period_end,
       p.value, p.prev_value,
       p.value - p.prev_value AS change_prev,
       CASE WHEN p.prev_value <> 0 THEN (p.value - p.prev_value) / abs(p.prev_value) * 100 END AS pct_change_prev,
       p.yoy_value,
       p.value - p.yoy_value AS change_yoy,
       CASE WHEN p.yoy_value <> 0 THEN (p.value - p.yoy_value) / abs(p.yoy_value) * 100 END AS pct_change_yoy,
       p.ytd_value, p.target, p.pct_of_target, p.rank_value, p.rank_target,
       c.total AS cluster_total,
       c.mean AS cluster_mean,
       -- a unit's share of the cluster's total (docs/transform.md
       -- #rule-share): none on the cluster row, for a ratio or a
       -- cluster_value mean indicator, or without the whole total
       CASE WHEN NOT p.is_cluster AND i.agg <> 'ratio' AND i.cluster_value <> 'mean' AND c.total <> 0
            THEN p.value / c.total * 100 END AS share_of_cluster,
       p.is_cluster, p.complete, p.months_expected, p.months_reported, p.units_reported,
       p.units_expected,
       CASE WHEN p.is_cluster THEN p.units_ranked END::INTEGER AS units_ranked, p.value_partial, p.value_source, p.achievement,
       CASE
           WHEN p.value IS NULL AND coalesce(p.months_reported, 0) = 0 THEN 'not_reported'
           WHEN p.value IS NULL OR NOT p.complete THEN 'incomplete'
           WHEN NOT i.has_target OR p.target IS NULL OR p.target = 0 THEN 'no_target'
           WHEN p.achievement IS NULL THEN 'incomplete'
           WHEN p.achievement >= 100 THEN 'on_target'
           WHEN p.achievement >= pr.close_pct THEN 'close'
           ELSE 'behind'
       END AS status,
       CASE
           WHEN p.value IS NULL OR p.yoy_value IS NULL OR i.direction = 'target' THEN NULL
           WHEN p.value = p.yoy_value THEN 'same'
           WHEN (p.value > p.yoy_value) = (i.direction = 'higher') THEN 'better'
           ELSE 'worse'
       END AS yoy_trend
FROM tf_pop p
JOIN tf_ind i ON i.code = p.indicator_code
-- (a cluster row takes the cluster's name whatever this join finds: a
-- condition on p here, the join's probe side, made DuckDB compare every
-- row with every unit, 12× the time of the whole step)
LEFT JOIN tf_units u ON u.code = p.unit_code
LEFT JOIN tf_crow c ON c.indicator_code = p.indicator_code AND c.year = p.year
                   AND c.type_ord = p.type_ord AND c.n = p.n
CROSS JOIN tf_cluster cl
CROSS JOIN tf_params pr
ORDER BY p.indicator_code, p.period_type, p.period_start, p.unit_code;

CREATE TEMP VIEW tf_out_scores AS
SELECT unit_code, unit_name, period, period_type, period_start, period_end, points, max_points, bonus, total,
       rank, prev_rank, rank_change, criteria_scored
FROM tf_scores
ORDER BY period_type, period_start, rank, unit_code;

CREATE TEMP VIEW tf_out_score_points AS
SELECT unit_code, period, period_type, period_start, criterion, method, weight, input_value, points
FROM tf_score_points
ORDER BY period_type, period_start, unit_code, criterion;

-- quality: grouped by unit, the unit with the most severe finding first,
-- then by severity (store.QualityOrder reads it in this order).
CREATE TEMP VIEW tf_out_quality AS
SELECT * FROM tf_quality
ORDER BY min(CASE severity WHEN 'error' THEN 0 WHEN 'warning' THEN 1 ELSE 2 END) OVER (PARTITION BY unit_code) NULLS LAST,
         unit_code NULLS LAST, CASE severity WHEN 'error' THEN 0 WHEN 'warning' THEN 1 ELSE 2 END,
         check_name, indicator_code, period, message;

DROP MACRO IF EXISTS tf_num;
DROP MACRO IF EXISTS tf_xsum;
DROP MACRO IF EXISTS tf_xavg;
DROP MACRO IF EXISTS tf_span;
DROP MACRO IF EXISTS tf_parts;
DROP MACRO IF EXISTS tf_source;
DROP MACRO IF EXISTS tf_mval;
DROP MACRO IF EXISTS tf_mrep;
DROP MACRO IF EXISTS tf_cum;
DROP MACRO IF EXISTS tf_dir;
DROP MACRO IF EXISTS tf_slot;
