-- 040_months: the value of each month a unit has one for. A direct month
-- report wins; else for sum C(m) − C(m−1) and for average
-- C(m)·m − C(m−1)·(m−1), where C(k) is the reported value of January..k
-- (C(0) = 0), computed in DECIMAL(38,9); else for last (a stock) the value of any report ending at m
-- (the shortest such span), e.g. a ytd report at month m.
CREATE TEMP TABLE tf_month AS
WITH c AS (
    SELECT unit_code, indicator_code, year, lm AS k, value FROM tf_direct WHERE fm = 1
),
cand AS (
    SELECT unit_code, indicator_code, year, fm AS m, value, 'direct' AS source, 0 AS prio
    FROM tf_direct WHERE fm = lm
    UNION ALL
    SELECT c.unit_code, c.indicator_code, c.year, c.k,
           -- exactly, as DECIMAL like the sums of 050_spans, so that a
           -- derived month equals a reported one (20.1 → 34.7 is 14.6)
           CASE i.agg WHEN 'sum' THEN c.value::DECIMAL(38,9) - p.value::DECIMAL(38,9)
                ELSE c.value::DECIMAL(38,9) * c.k - p.value::DECIMAL(38,9) * (c.k - 1) END::DOUBLE,
           'cumulative', 1
    FROM c
    JOIN tf_ind i ON i.code = c.indicator_code AND i.agg IN ('sum', 'average')
    JOIN c p ON p.unit_code = c.unit_code AND p.indicator_code = c.indicator_code AND p.year = c.year AND p.k = c.k - 1
    UNION ALL
    SELECT d.unit_code, d.indicator_code, d.year, d.lm, arg_min(d.value, d.lm - d.fm), 'span_end', 2
    FROM tf_direct d JOIN tf_ind i ON i.code = d.indicator_code AND i.agg = 'last'
    WHERE d.fm < d.lm
    GROUP BY d.unit_code, d.indicator_code, d.year, d.lm
)
SELECT unit_code, indicator_code, year, m, arg_min(value, prio) AS value, arg_min(source, prio) AS source
FROM cand
GROUP BY unit_code, indicator_code, year, m;
