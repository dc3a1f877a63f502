-- 020_reports: every reported value normalized to a span [fm, lm] of its
-- year. A 'period' report covers its period's months; a 'ytd' report covers
-- January to the period's last month, so a ytd report at month 3, 6, 9 or 12
-- is the Q1, H1, 9M or year value.
CREATE TEMP TABLE tf_reports AS
SELECT o.unit_code, o.indicator_code, o.year::INTEGER AS year,
       (CASE WHEN o.basis = 'ytd' THEN 1 ELSE o.first_month END)::INTEGER AS fm,
       o.last_month::INTEGER AS lm, o.basis, o.period, o.period_type, o.value,
       -- which report of a span wins when several name it: 'period' before
       -- 'ytd', then the finest period type
       (CASE o.basis WHEN 'period' THEN 0 ELSE 10 END)
       + (CASE o.period_type WHEN 'month' THEN 0 WHEN 'quarter' THEN 1 WHEN 'half' THEN 2 WHEN 'ytd' THEN 3 ELSE 4 END) AS prio
FROM observations o
JOIN tf_ind i ON i.code = o.indicator_code
JOIN tf_units u ON u.code = o.unit_code
WHERE o.basis IN ('period', 'ytd');

-- tf_direct: one value per reported span. n > 1 with vmin <> vmax means two
-- reports of the same span disagree (flagged by 100_quality).
CREATE TEMP TABLE tf_direct AS
SELECT unit_code, indicator_code, year, fm, lm,
       arg_min(value, prio) AS value,
       min(value) AS vmin, max(value) AS vmax, count(*) AS n
FROM tf_reports
GROUP BY unit_code, indicator_code, year, fm, lm;

-- tf_targets: annual targets.
CREATE TEMP TABLE tf_targets AS
SELECT o.unit_code, o.indicator_code, o.year::INTEGER AS year, o.value
FROM observations o
JOIN tf_ind i ON i.code = o.indicator_code
JOIN tf_units u ON u.code = o.unit_code
WHERE o.basis = 'target';
