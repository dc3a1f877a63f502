-- 100_quality: doubtful figures, one row each with the reason in message.
CREATE TEMP TABLE tf_quality (
    check_name     VARCHAR NOT NULL,
    unit_code      VARCHAR,
    indicator_code VARCHAR,
    period         VARCHAR,
    value          DOUBLE,
    expected       DOUBLE,
    score          DOUBLE,
    message        VARCHAR NOT NULL
);

-- completeness: per unit and period, the months of the non-hidden, non-ratio
-- indicators that were reported (a span whose value is known counts all its
-- months) ÷ the months expected: those of the unit's validity, from the
-- indicator's first reported month (any unit) on, that had ended before the
-- run's month.
INSERT INTO tf_quality
WITH e AS (
    SELECT p.unit_code, p.period, p.indicator_code, p.ind_ord, p.year, p.type_ord, p.n,
           greatest(0, least(p.year * 12 + p.eb - 1, pr.now_mi - 1) - greatest(p.year * 12 + p.ea - 1, c.cmin) + 1) AS expected,
           p.complete, p.months_reported
    FROM tf_pop p
    JOIN tf_ind i ON i.code = p.indicator_code AND NOT i.hidden AND i.agg <> 'ratio'
    JOIN tf_cover c ON c.code = p.indicator_code
    CROSS JOIN tf_params pr
    WHERE NOT p.is_cluster
),
r AS (
    SELECT *, CASE WHEN complete THEN expected ELSE least(months_reported, expected) END AS received FROM e
),
g AS (
    -- the list of what is missing is sorted for the rows that miss months only
    SELECT unit_code, period, sum(received) AS received, sum(expected) AS expected,
           string_agg(indicator_code || ' ' || (expected - received), ', ' ORDER BY ind_ord)
               FILTER (WHERE received < expected) AS missing
    FROM r GROUP BY unit_code, period
)
SELECT 'completeness', unit_code, NULL, period, received, expected, received / expected,
       printf('%d of %d expected monthly reports received (%.1f%%); months missing: %s',
              received, expected, received / expected * 100, missing)
FROM g
WHERE expected > 0 AND received < expected;

-- outlier_unit_history: a month value far from the unit's own monthly
-- history of the indicator by the modified z-score 0.6745·(x − median) ÷ MAD.
-- Needs at least 3 months and MAD > 0.
INSERT INTO tf_quality
WITH g AS (
    -- one row per unit and indicator: its months' values (and periods, in
    -- the same order), their median and count
    SELECT unit_code, indicator_code, list(period) AS ps, list(value) AS vs, median(value) AS med, count(*) AS k
    FROM tf_pop
    WHERE NOT is_cluster AND period_type = 'month' AND value IS NOT NULL
    GROUP BY unit_code, indicator_code
    HAVING count(*) >= 3
),
m AS (
    SELECT g.*, list_aggregate(list_transform(vs, x -> abs(x - med)), 'median') AS mad FROM g
),
z0 AS (
    SELECT unit_code, indicator_code, med, mad, k, unnest(ps) AS period, unnest(vs) AS value FROM m WHERE mad > 0
),
z AS (
    SELECT *, 0.6745 * (value - med) / mad AS z FROM z0
)
SELECT 'outlier_unit_history', z.unit_code, z.indicator_code, z.period, z.value, z.med, z.z,
       printf('value %s is far from this unit''s monthly history (median %s, MAD %s over %d months): modified z-score %.2f beyond ±%s',
              tf_num(z.value), tf_num(z.med), tf_num(z.mad), z.k, z.z, tf_num(pr.outlier_z))
FROM z CROSS JOIN tf_params pr
WHERE abs(z.z) > pr.outlier_z;

-- outlier_cross_unit: a unit's value far from the other units' values of the
-- same indicator and period (any period type), by the same score.
INSERT INTO tf_quality
WITH g AS (
    -- one row per indicator and period: the units' values (and codes, in
    -- the same order), their median and count
    SELECT indicator_code, period, list(unit_code) AS us, list(value) AS vs, median(value) AS med, count(*) AS k
    FROM tf_pop
    WHERE NOT is_cluster AND value IS NOT NULL
    GROUP BY indicator_code, period
    HAVING count(*) >= 3
),
m AS (
    SELECT g.*, list_aggregate(list_transform(vs, x -> abs(x - med)), 'median') AS mad FROM g
),
z0 AS (
    SELECT indicator_code, period, med, mad, k, unnest(us) AS unit_code, unnest(vs) AS value FROM m WHERE mad > 0
),
z AS (
    SELECT *, 0.6745 * (value - med) / mad AS z FROM z0
)
SELECT 'outlier_cross_unit', z.unit_code, z.indicator_code, z.period, z.value, z.med, z.z,
       printf('value %s is far from the %d units'' values for this period (median %s, MAD %s): modified z-score %.2f beyond ±%s',
              tf_num(z.value), z.k, tf_num(z.med), tf_num(z.mad), z.z, tf_num(pr.outlier_z))
FROM z CROSS JOIN tf_params pr
WHERE abs(z.z) > pr.outlier_z;

-- rule: the validation rules (tf_rules, parsed and checked in Go), on every
-- unit row where both sides are known.
INSERT INTO tf_quality
WITH x AS (
    SELECT r.rule, r.op, r.rhs_kind, r.rhs_ind, p.unit_code, p.indicator_code, p.period, p.value AS lhs,
           CASE r.rhs_kind WHEN 'number' THEN r.rhs_num WHEN 'indicator' THEN q.value ELSE u.communes END AS rhs
    FROM tf_rules r
    JOIN tf_pop p ON p.indicator_code = r.lhs AND NOT p.is_cluster AND p.value IS NOT NULL
    LEFT JOIN tf_pop q ON q.indicator_code = r.rhs_ind AND q.unit_code = p.unit_code AND q.period = p.period
    LEFT JOIN tf_units u ON u.code = p.unit_code
)
SELECT 'rule', unit_code, indicator_code, period, lhs, rhs, lhs - rhs,
       printf('breaks rule "%s": %s = %s, %s = %s', rule, indicator_code, tf_num(lhs),
              CASE rhs_kind WHEN 'number' THEN 'limit' WHEN 'indicator' THEN rhs_ind ELSE rhs_kind END, tf_num(rhs))
FROM x
WHERE rhs IS NOT NULL AND NOT CASE op
    WHEN '<' THEN lhs < rhs WHEN '<=' THEN lhs <= rhs WHEN '>' THEN lhs > rhs
    WHEN '>=' THEN lhs >= rhs WHEN '=' THEN lhs = rhs ELSE lhs <> rhs END;

-- late_correction: a value replaced by a load after the first time any value
-- of its period was loaded. Only loads still loaded count: an undone load's
-- corrections were taken back (and the undo is audited on its own), and an
-- undone load did not bring the period first.
INSERT INTO tf_quality
WITH fl AS (
    SELECT f.period, min(l.loaded_at) AS first_at
    FROM (SELECT period, first_load_id AS load_id FROM observations
          UNION SELECT period, old_load_id FROM observation_audit WHERE old_load_id IS NOT NULL) f
    JOIN loads l ON l.load_id = f.load_id AND l.status = 'loaded'
    GROUP BY f.period
)
SELECT 'late_correction', a.unit_code, a.indicator_code, a.period, a.new_value, a.old_value,
       CASE WHEN a.old_value <> 0 THEN (a.new_value - a.old_value) / abs(a.old_value) * 100 END,
       printf('%s value (%s) changed from %s to %s by load %d at %s, after the period was first loaded at %s',
              a.period, a.basis, tf_num(a.old_value), tf_num(a.new_value), a.new_load_id,
              strftime(a.changed_at, '%Y-%m-%d %H:%M:%S'), strftime(fl.first_at, '%Y-%m-%d %H:%M:%S'))
FROM observation_audit a JOIN fl ON fl.period = a.period
JOIN loads nl ON nl.load_id = a.new_load_id AND nl.status = 'loaded'
WHERE a.action = 'update' AND a.new_value IS NOT NULL AND a.changed_at > fl.first_at;

-- span_conflict: a span reported directly whose months (or cumulative
-- reports) say otherwise; the direct report is used, nothing is averaged.
INSERT INTO tf_quality
WITH g AS (
    SELECT g.unit_code, g.indicator_code, g.year, g.fm, g.lm, g.ea, g.eb, g.ya, i.agg, y.dv, y.mv, y.pc, y.ps
    FROM tf_grid g
    JOIN tf_ind i ON i.code = g.indicator_code AND i.agg <> 'ratio'
    -- only a year with a report of more than one month can disagree (see 050_spans)
    JOIN tf_yl y ON y.multi AND y.unit_code = g.unit_code AND y.indicator_code = g.indicator_code AND y.year = g.year
),
-- every span valued (the rows' own spans and their years to date), once
s AS (
    SELECT unit_code, indicator_code, year, fm, lm, agg, tf_dir(dv, fm, lm) AS direct_value,
           tf_cum(agg, dv, ea, eb) AS cum_value, tf_mval(agg, mv, pc, ps, ea, eb) AS months_value
    FROM g
    UNION
    SELECT unit_code, indicator_code, year, 1, lm, agg, tf_dir(dv, 1, lm),
           tf_cum(agg, dv, ya, eb), tf_mval(agg, mv, pc, ps, ya, eb)
    FROM g
),
v AS (
    SELECT s.*, coalesce(p.period_type, 'ytd_to_month') AS period_type,
           CASE p.period_type
               WHEN 'month' THEN printf('%04d-%02d', s.year, p.n)
               WHEN 'quarter' THEN printf('%04d-Q%d', s.year, p.n)
               WHEN 'half' THEN printf('%04d-H%d', s.year, p.n)
               WHEN 'ytd' THEN printf('%04d-9M', s.year)
               WHEN 'year' THEN printf('%04d', s.year)
               ELSE printf('%04d-%02d', s.year, s.lm)
           END AS period
    FROM s LEFT JOIN tf_periods p ON p.fm = s.fm AND p.lm = s.lm
    WHERE s.direct_value IS NOT NULL
),
c AS (
    SELECT v.*,
           CASE
               WHEN cum_value IS NOT NULL AND abs(direct_value - cum_value) > 1e-9 * greatest(1, abs(direct_value), abs(cum_value))
                   THEN cum_value
           END AS cum_diff,
           CASE
               WHEN months_value IS NOT NULL AND fm < lm AND abs(direct_value - months_value) > 1e-9 * greatest(1, abs(direct_value), abs(months_value))
                   THEN months_value
           END AS months_diff
    FROM v
)
SELECT 'span_conflict', unit_code, indicator_code, period, direct_value, coalesce(months_diff, cum_diff),
       direct_value - coalesce(months_diff, cum_diff),
       printf('direct report of %s%s = %s disagrees with %s; the direct report is used',
              period, CASE WHEN period_type = 'ytd_to_month' THEN ' (year to date)' ELSE '' END, tf_num(direct_value),
              concat_ws(' and ',
                        CASE WHEN months_diff IS NOT NULL THEN
                            CASE agg WHEN 'sum' THEN 'the sum of its months ' WHEN 'average' THEN 'the mean of its months '
                                     ELSE 'the value of its last month ' END || tf_num(months_diff) END,
                        CASE WHEN cum_diff IS NOT NULL THEN 'the difference of year-to-date reports ' || tf_num(cum_diff) END))
FROM c
WHERE cum_diff IS NOT NULL OR months_diff IS NOT NULL;

-- span_conflict between a direct report of a ratio and its parts (the parts
-- are used).
INSERT INTO tf_quality
SELECT 'span_conflict', s.unit_code, s.indicator_code, s.period, s.direct_value, s.parts_value,
       s.direct_value - s.parts_value,
       printf('direct report of %s = %s disagrees with its parts %s ÷ %s × %s = %s; the parts are used',
              s.period, tf_num(s.direct_value), tf_num(s.num), tf_num(s.den), tf_num(i.factor), tf_num(s.parts_value))
FROM tf_rrow s
JOIN tf_ind i ON i.code = s.indicator_code
WHERE s.direct_value IS NOT NULL AND s.parts_value IS NOT NULL
  AND abs(s.direct_value - s.parts_value) > 1e-9 * greatest(1, abs(s.direct_value), abs(s.parts_value));

-- span_conflict between two reports of the same span (e.g. a period report
-- of 2020-H1 and a ytd report at 2020-06): the period report is used.
INSERT INTO tf_quality
WITH d AS (
    SELECT * FROM tf_direct
    WHERE n > 1 AND vmax - vmin > 1e-9 * greatest(1, abs(vmin), abs(vmax))
),
-- the reports of those spans, as 020_reports normalized them
r AS (
    SELECT o.unit_code, o.indicator_code, o.year::INTEGER AS year,
           (CASE WHEN o.basis = 'ytd' THEN 1 ELSE o.first_month END)::INTEGER AS fm,
           o.last_month::INTEGER AS lm, o.basis, o.period, o.value,
           (CASE o.basis WHEN 'period' THEN 0 ELSE 10 END)
           + (CASE o.period_type WHEN 'month' THEN 0 WHEN 'quarter' THEN 1 WHEN 'half' THEN 2 WHEN 'ytd' THEN 3 ELSE 4 END) AS prio
    FROM observations o
    WHERE o.basis IN ('period', 'ytd') AND o.unit_code IN (SELECT unit_code FROM d)
)
SELECT 'span_conflict', r.unit_code, r.indicator_code, arg_min(r.period, r.prio), any_value(d.value),
       NULL, any_value(d.vmax - d.vmin),
       printf('reports of the same span disagree: %s; %s is used',
              string_agg(r.period || ' ' || r.basis || ' = ' || tf_num(r.value), ', ' ORDER BY r.prio),
              arg_min(r.period || ' ' || r.basis, r.prio))
FROM d JOIN r ON r.unit_code = d.unit_code AND r.indicator_code = d.indicator_code
                        AND r.year = d.year AND r.fm = d.fm AND r.lm = d.lm
GROUP BY r.unit_code, r.indicator_code, r.year, r.fm, r.lm;
