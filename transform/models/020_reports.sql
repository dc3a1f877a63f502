-- 020_reports: every reported value of the years the run recomputes
-- (tf_years) normalized to a span [fm, lm] of its year. A 'period' report covers its period's months; a 'ytd' report covers
-- January to the period's last month, so a ytd report at month 3, 6, 9 or 12
-- is the Q1, H1, 9M or year value.
--
-- tf_direct: one value per reported span. When several reports name the same
-- span, 'period' wins over 'ytd', then the finest period type. n > 1 with
-- vmin <> vmax means two reports of the same span disagree (flagged by
-- 065_conflicts, which reads the reports themselves again for those few
-- spans: 050_spans keeps them in tf_dconf).
CREATE TEMP TABLE tf_direct AS
SELECT o.unit_code, o.indicator_code, o.year::INTEGER AS year,
       tf_span_fm(o.basis, o.first_month)::INTEGER AS fm,
       o.last_month::INTEGER AS lm,
       arg_min(o.value, (CASE o.basis WHEN 'period' THEN 0 ELSE 10 END)
                        + (CASE o.period_type WHEN 'month' THEN 0 WHEN 'quarter' THEN 1 WHEN 'half' THEN 2
                                              WHEN 'ytd' THEN 3 ELSE 4 END)) AS value,
       min(o.value) AS vmin, max(o.value) AS vmax, count(*) AS n
FROM observations o
WHERE o.basis IN ('period', 'ytd')
  AND o.year IN (SELECT year FROM tf_years)
  AND o.indicator_code IN (SELECT code FROM tf_ind)
  AND o.unit_code IN (SELECT code FROM tf_units)
GROUP BY ALL;

-- tf_targets: annual targets.
CREATE TEMP TABLE tf_targets AS
SELECT o.unit_code, o.indicator_code, o.year::INTEGER AS year, o.value
FROM observations o
WHERE o.basis = 'target'
  AND o.year IN (SELECT year FROM tf_years)
  AND o.indicator_code IN (SELECT code FROM tf_ind)
  AND o.unit_code IN (SELECT code FROM tf_units);
