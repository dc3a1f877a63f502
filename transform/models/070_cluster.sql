-- 070_cluster: one cluster row per indicator and period (docs/transform.md
-- #rule-cluster-value and the rules after it).
--
-- units_expected: the units of the period (valid in it). units_reported:
-- the units the cluster figure counts: those with a value; for a ratio those
-- with both parts (a rate reported alone cannot be weighted into
-- Σnumerator ÷ Σdenominator).
--
-- pval is the cluster figure over the units counted: sum, last, average: Σ
-- of the unit values (cluster_value mean: their mean); ratio: Σnumerator ÷
-- Σdenominator × factor, never a mean of the units' ratios. It is the
-- cluster's value only when every unit of the period is counted; otherwise
-- value (and total, the cluster_total of every row) is NULL and pval is
-- published as value_partial, so a partial total never passes for the total.
-- The year to date likewise: NULL unless every unit has one, so the cluster's
-- % of target is never understated by a unit that has not reported.
-- mean (cluster_mean) is over the units counted, whatever their number: a
-- comparison mark, not a total.
--
-- The cluster target is Σ of the unit targets for sum and last indicators
-- (cluster_value mean: their mean), and only when every unit of the period
-- has one (a partial Σ would inflate the cluster's % of target). For a ratio
-- it is the rate the cluster would have if every unit met its target:
-- Σ(target × year-to-date denominator) ÷ Σ year-to-date denominator, over
-- the units whose parts are known (again only when every unit has a target).
-- None for average indicators.
CREATE TEMP TABLE tf_crow AS
WITH a AS (
    SELECT r.indicator_code, r.year, r.period_type, r.type_ord, r.n, r.fm, r.lm, r.period,
           count(r.value) AS units_valued, count(r.num) AS units_parts, count(*) AS units_expected,
           count(r.ytd_value) AS units_ytd, count(r.ytd_num) AS units_ytd_parts,
           tf_xsum(r.value) AS vsum, tf_xavg(r.value) AS vavg,
           tf_xsum(r.num) AS num, tf_xsum(r.den) AS den,
           tf_xsum(r.ytd_value) AS ytd_sum, tf_xavg(r.ytd_value) AS ytd_avg, tf_xavg(r.target) AS target_avg, tf_xsum(r.ytd_num) AS ytd_num, tf_xsum(r.ytd_den) AS ytd_den,
           tf_xsum(r.target) AS target_sum, count(r.target) AS units_with_target,
           tf_xsum(r.target * r.ytd_den) AS target_num, (sum(r.ytd_den::DECIMAL(38,9)) FILTER (WHERE r.target IS NOT NULL))::DOUBLE AS target_den,
           sum(r.months_expected) AS months_expected, sum(r.months_reported) AS months_reported
    FROM tf_urow r
    GROUP BY r.indicator_code, r.year, r.period_type, r.type_ord, r.n, r.fm, r.lm, r.period
),
b AS (
    SELECT a.*, i.agg, i.cluster_value,
           CASE WHEN i.agg = 'ratio' THEN a.units_parts ELSE a.units_valued END AS units_reported,
           CASE WHEN i.agg = 'ratio' THEN a.units_ytd_parts ELSE a.units_ytd END = a.units_expected AS ytd_complete,
           CASE WHEN i.agg = 'ratio' THEN CASE WHEN a.den <> 0 THEN a.num / a.den * i.factor END END AS rate,
           CASE WHEN i.agg = 'ratio' THEN CASE WHEN a.ytd_den <> 0 THEN a.ytd_num / a.ytd_den * i.factor END END AS ytd_rate
    FROM a JOIN tf_ind i ON i.code = a.indicator_code
),
c AS (
    SELECT b.*, b.units_reported = b.units_expected AS complete,
           CASE WHEN b.agg = 'ratio' THEN b.rate WHEN b.cluster_value = 'mean' THEN b.vavg ELSE b.vsum END AS pval
    FROM b
)
SELECT c.indicator_code, c.year, c.period_type, c.type_ord, c.n, c.fm, c.lm, c.period,
       c.units_reported, c.units_expected, c.months_expected, c.months_reported, c.agg, c.complete,
       CASE WHEN c.complete THEN c.pval END AS value,
       CASE WHEN NOT c.complete THEN c.pval END AS value_partial,
       -- cluster_total: the cluster's total, never a partial one; none for
       -- cluster_value mean, whose sum means nothing
       CASE WHEN c.complete AND (c.agg = 'ratio' OR c.cluster_value <> 'mean') THEN c.pval END AS total,
       CASE WHEN c.agg = 'ratio' THEN c.rate ELSE c.vavg END AS mean,
       CASE
           WHEN NOT c.ytd_complete THEN NULL
           WHEN c.agg = 'ratio' THEN c.ytd_rate
           WHEN c.cluster_value = 'mean' THEN c.ytd_avg
           ELSE c.ytd_sum
       END AS ytd_value,
       CASE
           WHEN c.units_with_target < c.units_expected THEN NULL
           WHEN c.agg IN ('sum', 'last') AND c.cluster_value = 'mean' THEN c.target_avg
           WHEN c.agg IN ('sum', 'last') THEN c.target_sum
           WHEN c.agg = 'ratio' AND c.target_den <> 0 THEN c.target_num / c.target_den
       END AS target
FROM c;
