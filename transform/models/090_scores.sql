-- 090_scores: emulation scores. For every unit and period that has a row of
-- a scored indicator, one score_points row per criterion:
--   pct_of_target: weight × min(% of target, cap) ÷ cap;
--   rank:          weight × (n − rank_value) ÷ (n − 1) among the n units
--                  ranked (n = 1: the full weight);
--   threshold:     the points of the highest band whose min ≤ the input
--                  (% of target, or the value for indicators without target);
--                  no band reached: 0 points.
-- A missing input earns 0 points and does not count in criteria_scored.
-- tf_sup: the unit periods scored: every unit and period that has a row of
-- a scored indicator (tf_cr: the criteria of known indicators).
CREATE TEMP TABLE tf_cr AS
SELECT c.indicator_code, c.weight, c.method, c.cap_pct, c.ord, i.has_target
FROM criteria c JOIN tf_ind i ON i.code = c.indicator_code;

CREATE TEMP TABLE tf_sup AS
SELECT DISTINCT unit_code, year, period_type, type_ord, n, period, period_start, period_end
FROM tf_pop
WHERE NOT is_cluster AND indicator_code IN (SELECT indicator_code FROM tf_cr);

-- tf_score_points keeps only its own columns (the unit period's are in
-- tf_sup, read once per score).
CREATE TEMP TABLE tf_score_points AS
WITH p AS (
    -- the unit rows of the scored indicators, only the columns read here
    SELECT unit_code, indicator_code, period, pct_of_target, rank_value, value, units_ranked
    FROM tf_pop
    WHERE NOT is_cluster AND indicator_code IN (SELECT indicator_code FROM tf_cr)
),
x AS (
    SELECT up.unit_code, up.period, up.period_type, up.period_start,
           cr.indicator_code AS criterion, cr.method, cr.weight, cr.cap_pct, cr.ord AS crit_ord,
           p.units_ranked,
           CASE cr.method
               WHEN 'pct_of_target' THEN p.pct_of_target
               WHEN 'rank' THEN p.rank_value
               WHEN 'threshold' THEN CASE WHEN cr.has_target THEN p.pct_of_target ELSE p.value END
           END AS input_value
    FROM tf_sup up CROSS JOIN tf_cr cr
    LEFT JOIN p ON p.unit_code = up.unit_code AND p.indicator_code = cr.indicator_code AND p.period = up.period
),
th AS (
    SELECT x.unit_code, x.period, x.criterion, arg_max(b.points, b.min_value) AS points
    FROM x JOIN criterion_bands b ON b.indicator_code = x.criterion AND b.min_value <= x.input_value
    WHERE x.method = 'threshold'
    GROUP BY x.unit_code, x.period, x.criterion
)
SELECT x.unit_code, x.period, x.period_type, x.period_start, x.criterion, x.crit_ord, x.method, x.weight, x.input_value,
       CASE
           WHEN x.input_value IS NULL THEN 0
           WHEN x.method = 'pct_of_target' THEN x.weight * least(x.input_value, x.cap_pct) / nullif(x.cap_pct, 0)
           WHEN x.method = 'rank' THEN
               CASE WHEN x.units_ranked <= 1 THEN x.weight
                    ELSE x.weight * (x.units_ranked - x.input_value) / (x.units_ranked - 1) END
           WHEN x.method = 'threshold' THEN coalesce(th.points, 0)
       END::DOUBLE AS points
FROM x
LEFT JOIN th ON th.unit_code = x.unit_code AND th.period = x.period AND th.criterion = x.criterion;

-- scores: Σ points, Σ weights, bonus (Σ of the bonus table's points for the
-- unit and period label), total, rank by total (ties share a rank; totals are
-- compared rounded to 9 decimals so float noise does not split a tie), the
-- rank in the previous period of the same type and the change.
-- Only a unit with data for the period (at least one criterion with an
-- input) is scored and ranked: a unit that reported nothing is "not
-- reported", never 0 points in last place, and a period nobody reported has
-- no ranking at all.
CREATE TEMP TABLE tf_scores AS
WITH g AS (
    SELECT unit_code, period, tf_xsum(points) AS points, tf_xsum(weight) AS max_points, count(input_value) AS criteria_scored
    FROM tf_score_points
    GROUP BY unit_code, period
    HAVING count(input_value) > 0
),
s AS (
    SELECT up.unit_code, u.name AS unit_name, u.ord AS unit_ord, up.year, up.period_type, up.type_ord, up.n,
           -- the previous period of the same type: the year before for
           -- the first month, quarter or half and for 9M and the year
           CASE
               WHEN up.period_type IN ('month', 'quarter', 'half') AND up.n = 1 THEN up.year - 1
               WHEN up.period_type IN ('month', 'quarter', 'half') THEN up.year
               ELSE up.year - 1
           END AS prev_year,
           CASE up.period_type
               WHEN 'month' THEN CASE WHEN up.n = 1 THEN 12 ELSE up.n - 1 END
               WHEN 'quarter' THEN CASE WHEN up.n = 1 THEN 4 ELSE up.n - 1 END
               WHEN 'half' THEN CASE WHEN up.n = 1 THEN 2 ELSE up.n - 1 END
               ELSE up.n
           END AS prev_n,
           up.period, up.period_start, up.period_end, g.points, g.max_points, g.criteria_scored
    FROM g
    JOIN tf_sup up ON up.unit_code = g.unit_code AND up.period = g.period
    JOIN tf_units u ON u.code = g.unit_code
),
b AS (
    SELECT unit_code, period, tf_xsum(points) AS bonus FROM bonus GROUP BY unit_code, period
),
t AS (
    SELECT s.*, coalesce(b.bonus, 0) AS bonus, s.points + coalesce(b.bonus, 0) AS total
    FROM s LEFT JOIN b ON b.unit_code = s.unit_code AND b.period = s.period
),
r AS (
    SELECT t.*, rank() OVER (PARTITION BY t.period ORDER BY round(t.total, 9) DESC) AS rank FROM t
),
-- the ranks a previous period can come from: this run's, and the kept ones
-- of the year before a recomputed year that is not recomputed (tf_ctx)
pr AS (
    SELECT unit_code, period_type, year, n, rank FROM r
    UNION ALL
    SELECT s.unit_code, s.period_type, year(s.period_start)::INTEGER, p.n, s.rank
    FROM tf_old_scores s JOIN tf_periods p ON p.period_type = s.period_type AND p.fm = month(s.period_start)
    WHERE year(s.period_start) IN (SELECT year FROM tf_ctx)
)
SELECT r.unit_code, r.unit_name, r.period, r.period_type, r.period_start, r.period_end,
       r.points, r.max_points, r.bonus, r.total, r.rank, p.rank AS prev_rank, p.rank - r.rank AS rank_change,
       r.criteria_scored, r.unit_ord, r.type_ord
FROM r
LEFT JOIN pr p ON p.unit_code = r.unit_code AND p.period_type = r.period_type AND p.year = r.prev_year AND p.n = r.prev_n;

-- The points of units not scored (no data for the period) go too.
DELETE FROM tf_score_points sp
WHERE NOT EXISTS (SELECT 1 FROM tf_scores s WHERE s.unit_code = sp.unit_code AND s.period = sp.period);
