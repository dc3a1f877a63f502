-- 070_cluster: one cluster row per indicator and period, over the units that
-- reported. sum, last, average: Σ of the unit values (and of their year to
-- date values and targets). ratio: Σnumerator ÷ Σdenominator × factor over
-- the units that have both parts, never a mean of the units' ratios. The
-- cluster target is Σ of the unit targets for sum and last indicators, and
-- only when every unit of the period has one (a partial Σ would inflate the
-- cluster's % of target). For a ratio it is the rate the cluster would have
-- if every unit met its target: Σ(target × year-to-date denominator) ÷
-- Σ year-to-date denominator, over the units whose parts are known (again
-- only when every unit has a target). None for average indicators.
CREATE TEMP TABLE tf_crow AS
WITH a AS (
    SELECT r.indicator_code, r.year, r.period_type, r.type_ord, r.n, r.fm, r.lm, r.period,
           count(r.value) AS units_reported, count(*) AS units_expected,
           tf_xsum(r.value) AS vsum, tf_xavg(r.value) AS vavg,
           tf_xsum(r.num) AS num, tf_xsum(r.den) AS den,
           tf_xsum(r.ytd_value) AS ytd_sum, tf_xavg(r.ytd_value) AS ytd_avg, tf_xavg(r.target) AS target_avg, tf_xsum(r.ytd_num) AS ytd_num, tf_xsum(r.ytd_den) AS ytd_den,
           tf_xsum(r.target) AS target_sum, count(r.target) AS units_with_target,
           tf_xsum(r.target * r.ytd_den) AS target_num, (sum(r.ytd_den::DECIMAL(38,9)) FILTER (WHERE r.target IS NOT NULL))::DOUBLE AS target_den,
           sum(r.months_expected) AS months_expected, sum(r.months_reported) AS months_reported
    FROM tf_urow r
    GROUP BY r.indicator_code, r.year, r.period_type, r.type_ord, r.n, r.fm, r.lm, r.period
)
SELECT a.*, i.agg,
       CASE WHEN i.agg = 'ratio' THEN CASE WHEN a.den <> 0 THEN a.num / a.den * i.factor END ELSE a.vsum END AS total,
       CASE WHEN i.agg = 'ratio' THEN CASE WHEN a.den <> 0 THEN a.num / a.den * i.factor END
            WHEN i.cluster_value = 'mean' THEN a.vavg ELSE a.vsum END AS value,
       CASE WHEN i.agg = 'ratio' THEN CASE WHEN a.den <> 0 THEN a.num / a.den * i.factor END ELSE a.vavg END AS mean,
       CASE WHEN i.agg = 'ratio' THEN CASE WHEN a.ytd_den <> 0 THEN a.ytd_num / a.ytd_den * i.factor END
            WHEN i.cluster_value = 'mean' THEN a.ytd_avg ELSE a.ytd_sum END AS ytd_value,
       CASE
           WHEN a.units_with_target < a.units_expected THEN NULL
           WHEN i.agg IN ('sum', 'last') AND i.cluster_value = 'mean' THEN a.target_avg
           WHEN i.agg IN ('sum', 'last') THEN a.target_sum
           WHEN i.agg = 'ratio' AND a.target_den <> 0 THEN a.target_num / a.target_den
       END AS target
FROM a JOIN tf_ind i ON i.code = a.indicator_code;
