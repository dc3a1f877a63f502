-- 050_spans: the value of every needed span for every unit.
--
-- Non-ratio indicators, over the effective span ea..eb (the months of the
-- span the unit existed in):
--   (1) a direct report of exactly the span wins;
--   (2) else for sum C(eb) − C(ea−1), for average
--       (C(eb)·eb − C(ea−1)·(ea−1)) ÷ (eb − ea + 1), when both are known;
--   (3) else from its months: sum Σ, average mean, both only when every
--       month is known; last the value of the end month.
-- Otherwise the value is NULL: a span with a missing month is not a span.
CREATE TEMP TABLE tf_vspan AS
WITH n AS (
    SELECT n.*, i.agg FROM tf_need n JOIN tf_ind i ON i.code = n.indicator_code AND i.agg <> 'ratio'
),
mo AS (
    SELECT n.unit_code, n.indicator_code, n.year, n.fm, n.lm,
           count(*) AS mrep, tf_xsum(t.value) AS msum, tf_xavg(t.value) AS mavg,
           max(t.value) FILTER (WHERE t.m = n.eb) AS mend,
           max(t.source) FILTER (WHERE t.m = n.eb) AS mend_source
    FROM n
    JOIN tf_span_month sm ON sm.fm = n.fm AND sm.lm = n.lm
    JOIN tf_month t ON t.unit_code = n.unit_code AND t.indicator_code = n.indicator_code
                   AND t.year = n.year AND t.m = sm.m
    WHERE sm.m BETWEEN n.ea AND n.eb
    GROUP BY n.unit_code, n.indicator_code, n.year, n.fm, n.lm
),
v AS (
    SELECT n.unit_code, n.indicator_code, n.year, n.fm, n.lm, n.ea, n.eb, n.agg,
           (n.eb - n.ea + 1)::INTEGER AS months_expected,
           coalesce(mo.mrep, 0)::INTEGER AS months_reported,
           d.value AS direct_value,
           CASE n.agg
               WHEN 'sum' THEN ce.value - CASE WHEN n.ea = 1 THEN 0 ELSE cs.value END
               WHEN 'average' THEN (ce.value * n.eb - CASE WHEN n.ea = 1 THEN 0 ELSE cs.value * (n.ea - 1) END)
                                   / (n.eb - n.ea + 1)
           END AS cum_value,
           CASE
               WHEN n.agg = 'sum' AND mo.mrep = n.eb - n.ea + 1 THEN mo.msum
               WHEN n.agg = 'average' AND mo.mrep = n.eb - n.ea + 1 THEN mo.mavg
               WHEN n.agg = 'last' THEN mo.mend
           END AS months_value,
           mo.mend_source
    FROM n
    LEFT JOIN tf_direct d ON d.unit_code = n.unit_code AND d.indicator_code = n.indicator_code
                         AND d.year = n.year AND d.fm = n.fm AND d.lm = n.lm
    LEFT JOIN tf_direct ce ON ce.unit_code = n.unit_code AND ce.indicator_code = n.indicator_code
                          AND ce.year = n.year AND ce.fm = 1 AND ce.lm = n.eb
    LEFT JOIN tf_direct cs ON cs.unit_code = n.unit_code AND cs.indicator_code = n.indicator_code
                          AND cs.year = n.year AND cs.fm = 1 AND cs.lm = n.ea - 1
    LEFT JOIN mo ON mo.unit_code = n.unit_code AND mo.indicator_code = n.indicator_code
                AND mo.year = n.year AND mo.fm = n.fm AND mo.lm = n.lm
)
SELECT *,
       coalesce(direct_value, cum_value, months_value) AS value,
       CASE
           WHEN direct_value IS NOT NULL THEN 'direct'
           WHEN cum_value IS NOT NULL THEN 'cumulative'
           WHEN months_value IS NOT NULL AND fm = lm THEN mend_source
           WHEN months_value IS NOT NULL THEN 'months'
       END AS value_source
FROM v;

-- Ratio indicators: numerator ÷ denominator × factor, each part valued by
-- its own rule over the same span; where a part is missing, a direct report
-- of the ratio itself for exactly that span. num and den are kept (only when
-- both parts are known) for the cluster's Σnum ÷ Σden.
CREATE TEMP TABLE tf_rspan AS
SELECT n.unit_code, n.indicator_code, n.year, n.fm, n.lm, n.ea, n.eb,
       (n.eb - n.ea + 1)::INTEGER AS months_expected,
       least(coalesce(nu.months_reported, 0), coalesce(de.months_reported, 0))::INTEGER AS months_reported,
       CASE WHEN nu.value IS NOT NULL AND de.value IS NOT NULL THEN nu.value END AS num,
       CASE WHEN nu.value IS NOT NULL AND de.value IS NOT NULL THEN de.value END AS den,
       CASE WHEN de.value <> 0 THEN nu.value / de.value * i.factor END AS parts_value,
       d.value AS direct_value
FROM tf_need n
JOIN tf_ind i ON i.code = n.indicator_code AND i.agg = 'ratio'
LEFT JOIN tf_vspan nu ON nu.unit_code = n.unit_code AND nu.indicator_code = i.numerator
                     AND nu.year = n.year AND nu.fm = n.fm AND nu.lm = n.lm
LEFT JOIN tf_vspan de ON de.unit_code = n.unit_code AND de.indicator_code = i.denominator
                     AND de.year = n.year AND de.fm = n.fm AND de.lm = n.lm
LEFT JOIN tf_direct d ON d.unit_code = n.unit_code AND d.indicator_code = n.indicator_code
                     AND d.year = n.year AND d.fm = n.fm AND d.lm = n.lm;

CREATE TEMP TABLE tf_uspan AS
SELECT unit_code, indicator_code, year, fm, lm, ea, eb, months_expected, months_reported,
       value, value_source, NULL::DOUBLE AS num, NULL::DOUBLE AS den
FROM tf_vspan
UNION ALL
SELECT unit_code, indicator_code, year, fm, lm, ea, eb, months_expected, months_reported,
       coalesce(parts_value, direct_value),
       CASE WHEN parts_value IS NOT NULL THEN 'parts' WHEN direct_value IS NOT NULL THEN 'direct' END,
       num, den
FROM tf_rspan;
