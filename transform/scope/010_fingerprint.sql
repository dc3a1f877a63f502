-- scope/010_fingerprint: what a run's outputs can depend on, per year, so
-- that a run recomputes only the years whose inputs changed (and the year
-- after each, whose previous-period and same-period-last-year figures read
-- it). Go compares tf_yfp and tf_gfp with the fingerprints the last run kept
-- (transform_state) and fills tf_years.

-- tf_span_fm: the first month of the span a report covers (a ytd report
-- covers January to its last month). 020_reports normalizes by it too.
CREATE OR REPLACE TEMP MACRO tf_span_fm(basis, first_month) AS CASE WHEN basis = 'ytd' THEN 1 ELSE first_month END;

-- tf_freq_of: the reporting frequency (a period type_ord: 1 month, 2
-- quarter, 3 half, 5 year) one report of span fm..lm implies: monthly if it
-- is one month or ends off a quarter, quarterly if it ends in March or
-- September, half-yearly if it ends in June, else yearly. A unit's inferred
-- frequency for an indicator is the finest of its reports' (100_quality).
CREATE OR REPLACE TEMP MACRO tf_freq_of(fm, lm) AS
    CASE WHEN fm = lm OR lm % 3 <> 0 THEN 1 WHEN lm IN (3, 9) THEN 2 WHEN lm = 6 THEN 3 ELSE 5 END;

-- tf_ostat: one row per year, unit and indicator of observations: how many
-- facts and an order-free hash of them (with their loads' time, status and
-- format, which the late_correction and late_report checks read), the months the reports span
-- (month indexes year × 12 + month − 1) and the finest frequency they
-- imply. known: the unit and the indicator are configured (the models read
-- only those; the hash covers every fact, as late_correction does).
CREATE TEMP TABLE tf_ostat AS
SELECT o.year::INTEGER AS year, o.unit_code, o.indicator_code,
       o.indicator_code IN (SELECT code FROM indicators) AND o.unit_code IN (SELECT code FROM units) AS known,
       count(*) AS n,
       sum(hash(o.period, o.basis, o.value, o.load_id, o.first_load_id, l.loaded_at, l.status, l.format)::HUGEINT) AS h,
       min(o.year * 12 + tf_span_fm(o.basis, o.first_month) - 1) FILTER (WHERE o.basis IN ('period', 'ytd')) AS cmin,
       max(o.year * 12 + o.last_month - 1) FILTER (WHERE o.basis IN ('period', 'ytd')) AS cmax,
       min(tf_freq_of(tf_span_fm(o.basis, o.first_month), o.last_month)) FILTER (WHERE o.basis IN ('period', 'ytd')) AS f
FROM observations o
LEFT JOIN loads l ON l.load_id = o.first_load_id
GROUP BY ALL;

-- tf_yfp: a fingerprint per year of everything that year's rows read:
-- its facts (tf_ostat), its audit trail with the status of the loads named
-- (late_correction), its bonus points (scores), which of its periods the
-- grid has (each indicator's reported range clipped to the year: 030_grid)
-- and which of its months have ended by the run's time (completeness).
CREATE TEMP TABLE tf_yfp AS
WITH o AS (
    SELECT year, sum(n) AS n, sum(h) AS h FROM tf_ostat GROUP BY year
),
au AS (
    SELECT try_cast(left(a.period, 4) AS INTEGER) AS year, count(*) AS n,
           sum(hash(a.unit_code, a.indicator_code, a.period, a.basis, a.old_value, a.new_value, a.old_load_id,
                    a.new_load_id, a.action, a.changed_at, lo.status, lo.loaded_at, ln.status, ln.loaded_at, ln.format)::HUGEINT) AS h
    FROM observation_audit a
    LEFT JOIN loads lo ON lo.load_id = a.old_load_id
    LEFT JOIN loads ln ON ln.load_id = a.new_load_id
    GROUP BY 1
),
bo AS (
    SELECT try_cast(left(b.period, 4) AS INTEGER) AS year, count(*) AS n,
           sum(hash(b)::HUGEINT) AS h
    FROM bonus b GROUP BY 1
),
cv AS (
    SELECT indicator_code, min(cmin) AS cmin, max(cmax) AS cmax
    FROM tf_ostat WHERE known
    GROUP BY indicator_code
    HAVING min(cmin) IS NOT NULL
),
g AS (
    SELECT y.year, count(*) AS n,
           sum(hash(cv.indicator_code, greatest(cv.cmin, y.year * 12), least(cv.cmax, y.year * 12 + 11))::HUGEINT) AS h
    FROM cv, LATERAL (SELECT unnest(range(cv.cmin // 12, cv.cmax // 12 + 1))::INTEGER AS year) y
    GROUP BY y.year
),
ys AS (
    SELECT year FROM o UNION SELECT year FROM au UNION SELECT year FROM bo UNION SELECT year FROM g
)
SELECT ys.year,
       md5(list_value(o.n, o.h, au.n, au.h, bo.n, bo.h, g.n, g.h,
                      greatest(least(pr.now_mi, ys.year * 12 + 12), ys.year * 12))::VARCHAR) AS fp
FROM ys
LEFT JOIN o ON o.year = ys.year
LEFT JOIN au ON au.year = ys.year
LEFT JOIN bo ON bo.year = ys.year
LEFT JOIN g ON g.year = ys.year
CROSS JOIN tf_params pr
WHERE ys.year IS NOT NULL;

-- tf_gfp: what every year reads: the models and options (tf_run.key, from
-- Go), the configuration tables, and the frequency each unit's reports of
-- each indicator imply over all years (completeness). When it changes,
-- every year is recomputed.
CREATE TEMP TABLE tf_gfp AS
WITH t AS (
    SELECT 'run' AS part, (SELECT key FROM tf_run) AS fp
    UNION ALL SELECT 'cluster', (SELECT count(*) || ':' || coalesce(sum(hash(x)::HUGEINT), 0) FROM cluster x)
    UNION ALL SELECT 'units', (SELECT count(*) || ':' || coalesce(sum(hash(x)::HUGEINT), 0) FROM units x)
    UNION ALL SELECT 'indicators', (SELECT count(*) || ':' || coalesce(sum(hash(x)::HUGEINT), 0) FROM indicators x)
    UNION ALL SELECT 'criteria', (SELECT count(*) || ':' || coalesce(sum(hash(x)::HUGEINT), 0) FROM criteria x)
    UNION ALL SELECT 'bands', (SELECT count(*) || ':' || coalesce(sum(hash(x)::HUGEINT), 0) FROM criterion_bands x)
    UNION ALL SELECT 'freq', (SELECT count(*) || ':' || coalesce(sum(hash(unit_code, indicator_code, f)::HUGEINT), 0)
                              FROM (SELECT unit_code, indicator_code, min(f) AS f FROM tf_ostat
                                    WHERE known AND f IS NOT NULL GROUP BY ALL))
)
SELECT md5(string_agg(part || '=' || fp, ';' ORDER BY part)) AS fp FROM t;
