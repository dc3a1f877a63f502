-- 010_base: the calendar of spans and the configured cluster, as temporary
-- tables every later model reads.

-- tf_periods: the standard periods of one year. type_ord orders the types
-- finest first; n is the month, quarter or half number, 9 for 9M, 0 for year.
CREATE TEMP TABLE tf_periods AS
SELECT 'month' AS period_type, 1 AS type_ord, m::INTEGER AS n, m::INTEGER AS fm, m::INTEGER AS lm FROM range(1, 13) r(m)
UNION ALL SELECT 'quarter', 2, q::INTEGER, (3 * q - 2)::INTEGER, (3 * q)::INTEGER FROM range(1, 5) r(q)
UNION ALL SELECT 'half', 3, h::INTEGER, (6 * h - 5)::INTEGER, (6 * h)::INTEGER FROM range(1, 3) r(h)
UNION ALL SELECT 'ytd', 4, 9, 1, 9
UNION ALL SELECT 'year', 5, 0, 1, 12;

-- tf_span_month: for every span a value may be needed for (the standard
-- periods and every January-to-month span, for year to date), its months.
-- Joining on it keeps month-to-span composition an equi-join.
CREATE TEMP TABLE tf_span_month AS
SELECT s.fm, s.lm, r.m::INTEGER AS m
FROM (SELECT fm, lm FROM tf_periods UNION SELECT 1, k::INTEGER FROM range(1, 13) r(k)) s
JOIN range(1, 13) r(m) ON r.m BETWEEN s.fm AND s.lm;

CREATE TEMP TABLE tf_ind AS
SELECT code, name, agg, direction, has_target, numerator, denominator, coalesce(factor, 1) AS factor,
       cap_pct, hidden, ord, coalesce(cluster_value, 'sum') AS cluster_value,
       -- iid: a small number naming the indicator in window partitions
       row_number() OVER (ORDER BY code)::INTEGER AS iid
FROM indicators;

-- tf_parts: each indicator with the indicators its value is built from
-- (itself, and for a ratio its numerator and denominator).
CREATE TEMP TABLE tf_parts AS
SELECT code, code AS part FROM tf_ind
UNION SELECT code, numerator FROM tf_ind WHERE agg = 'ratio'
UNION SELECT code, denominator FROM tf_ind WHERE agg = 'ratio';

-- tf_units: validity as month indexes (year × 12 + month − 1), inclusive.
CREATE TEMP TABLE tf_units AS
SELECT code, name, communes, ord,
       -- uid: a small number naming the unit in window partitions (the cluster: 0)
       row_number() OVER (ORDER BY code)::INTEGER AS uid,
       CASE WHEN valid_from IS NULL THEN -1 ELSE year(valid_from) * 12 + month(valid_from) - 1 END AS vfrom_mi,
       CASE WHEN valid_to IS NULL THEN 999999 ELSE year(valid_to) * 12 + month(valid_to) - 1 END AS vto_mi
FROM units;

CREATE TEMP TABLE tf_cluster AS SELECT code, name FROM cluster LIMIT 1;

-- tf_num formats a number for a message: up to 10 significant digits, no
-- float noise (3.1, not 3.0999999999999996).
CREATE OR REPLACE TEMP MACRO tf_num(x) AS format('{:.10g}', x::DOUBLE);

-- tf_xsum and tf_xavg add DOUBLEs exactly (as DECIMAL(38,9)), so the result
-- does not depend on the order DuckDB's threads add them in: the same data
-- gives the same digits on every run, and pages and Parquet stay
-- byte-identical. Reported values have far fewer than 9 decimals.
CREATE OR REPLACE TEMP MACRO tf_xsum(x) AS sum(x::DECIMAL(38,9))::DOUBLE;
CREATE OR REPLACE TEMP MACRO tf_xavg(x) AS (sum(x::DECIMAL(38,9)) / count(x))::DOUBLE;
