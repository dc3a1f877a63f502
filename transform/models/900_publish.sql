-- 900_publish: replace the output tables (inside the run's transaction, so
-- readers see the old tables or the new ones, never a mix).
CREATE OR REPLACE TABLE indicator_pop AS
SELECT unit_code, unit_name, indicator_code, indicator_name, period, period_type, period_start, period_end,
       value, prev_value, change_prev, pct_change_prev, yoy_value, change_yoy, pct_change_yoy,
       ytd_value, target, pct_of_target, rank_value, rank_target, cluster_total, cluster_mean, share_of_cluster,
       is_cluster, complete, months_expected, months_reported, units_reported, value_source
FROM tf_pop
ORDER BY ind_ord, type_ord, period_start, is_cluster, unit_ord;

CREATE OR REPLACE TABLE scores AS
SELECT unit_code, unit_name, period, period_type, period_start, period_end, points, max_points, bonus, total,
       rank, prev_rank, rank_change, criteria_scored
FROM tf_scores
ORDER BY type_ord, period_start, rank, unit_ord;

CREATE OR REPLACE TABLE score_points AS
SELECT unit_code, period, period_type, period_start, criterion, method, weight, input_value, points
FROM tf_score_points
ORDER BY type_ord, period_start, unit_ord, crit_ord;

CREATE OR REPLACE TABLE quality AS
SELECT * FROM tf_quality
ORDER BY check_name, period, unit_code, indicator_code, message;

DROP VIEW IF EXISTS tf_grid;
DROP MACRO IF EXISTS tf_num;
DROP MACRO IF EXISTS tf_xsum;
DROP MACRO IF EXISTS tf_xavg;
DROP MACRO IF EXISTS tf_span;
DROP MACRO IF EXISTS tf_source;
DROP MACRO IF EXISTS tf_mval;
DROP MACRO IF EXISTS tf_mrep;
DROP MACRO IF EXISTS tf_cum;
DROP MACRO IF EXISTS tf_dir;
DROP MACRO IF EXISTS tf_slot;
