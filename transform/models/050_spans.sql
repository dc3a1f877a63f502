-- 050_spans: what the value of any span of a unit's indicator year is made
-- of, one row per (unit, indicator, year) with a report, as lists indexed by
-- month, so that 060_rows values every span with one join and no expansion
-- into months:
--   mv[m], ms[m]  the month's value (040_months) and its source, m = 1..12;
--   pc[m + 1]     how many of months 1..m have a value (pc[1] = 0);
--   ps[m + 1]     their exact sum as DECIMAL(38,9) (ps[1] = 0), so the sum
--                 of months ea..eb is ps[eb + 1] − ps[ea], the same number
--                 tf_xsum adds up month by month;
--   dv[tf_slot(fm, lm)]  the direct report of the span fm..lm (tf_direct);
--                 dv[k] is C(k), the reported January..k value;
--   multi         some report spans more than one month (only then can a
--                 direct report disagree with other figures).
-- Spans of a year that can be reported: January..k (slots 1..12), single
-- months (13..24, month 1 being slot 1), Q2..Q4 (25..27) and H2 (28).
-- The rows are gathered by unordered list aggregates and placed by position
-- (no sort, no window); the running counts and sums are plain expressions.
CREATE OR REPLACE TEMP MACRO tf_slot(fm, lm) AS
    CASE
        WHEN fm = 1 THEN lm
        WHEN fm = lm THEN 12 + fm
        WHEN lm = fm + 2 AND fm IN (4, 7, 10) THEN 24 + (fm + 2) // 3 - 1
        WHEN fm = 7 AND lm = 12 THEN 28
    END;

CREATE TEMP TABLE tf_yl AS
WITH d AS (
    SELECT unit_code, indicator_code, year, list(value) AS vals, list(tf_slot(fm, lm)) AS slots,
           bool_or(lm > fm) AS multi
    FROM tf_direct
    GROUP BY unit_code, indicator_code, year
),
mo AS (
    SELECT unit_code, indicator_code, year, list(m) AS ms, list(value) AS vals, list(source) AS srcs
    FROM tf_month
    GROUP BY unit_code, indicator_code, year
),
j AS (
    SELECT d.unit_code, d.indicator_code, d.year, d.multi,
           list_transform(range(1, 13), k -> mo.vals[list_position(mo.ms, k)]) AS mv,
           list_transform(range(1, 13), k -> mo.srcs[list_position(mo.ms, k)]) AS ms,
           list_transform(range(1, 29), s -> d.vals[list_position(d.slots, s)]) AS dv
    FROM d LEFT JOIN mo ON mo.unit_code = d.unit_code AND mo.indicator_code = d.indicator_code AND mo.year = d.year
),
r AS (
    SELECT unit_code, indicator_code, year, multi, mv, ms, dv,
       (mv[1] IS NOT NULL)::BIGINT AS c1,
       c1 + (mv[2] IS NOT NULL)::BIGINT AS c2,
       c2 + (mv[3] IS NOT NULL)::BIGINT AS c3,
       c3 + (mv[4] IS NOT NULL)::BIGINT AS c4,
       c4 + (mv[5] IS NOT NULL)::BIGINT AS c5,
       c5 + (mv[6] IS NOT NULL)::BIGINT AS c6,
       c6 + (mv[7] IS NOT NULL)::BIGINT AS c7,
       c7 + (mv[8] IS NOT NULL)::BIGINT AS c8,
       c8 + (mv[9] IS NOT NULL)::BIGINT AS c9,
       c9 + (mv[10] IS NOT NULL)::BIGINT AS c10,
       c10 + (mv[11] IS NOT NULL)::BIGINT AS c11,
       c11 + (mv[12] IS NOT NULL)::BIGINT AS c12,
       coalesce(mv[1]::DECIMAL(38,9), 0::DECIMAL(38,9)) AS s1,
       s1 + coalesce(mv[2]::DECIMAL(38,9), 0::DECIMAL(38,9)) AS s2,
       s2 + coalesce(mv[3]::DECIMAL(38,9), 0::DECIMAL(38,9)) AS s3,
       s3 + coalesce(mv[4]::DECIMAL(38,9), 0::DECIMAL(38,9)) AS s4,
       s4 + coalesce(mv[5]::DECIMAL(38,9), 0::DECIMAL(38,9)) AS s5,
       s5 + coalesce(mv[6]::DECIMAL(38,9), 0::DECIMAL(38,9)) AS s6,
       s6 + coalesce(mv[7]::DECIMAL(38,9), 0::DECIMAL(38,9)) AS s7,
       s7 + coalesce(mv[8]::DECIMAL(38,9), 0::DECIMAL(38,9)) AS s8,
       s8 + coalesce(mv[9]::DECIMAL(38,9), 0::DECIMAL(38,9)) AS s9,
       s9 + coalesce(mv[10]::DECIMAL(38,9), 0::DECIMAL(38,9)) AS s10,
       s10 + coalesce(mv[11]::DECIMAL(38,9), 0::DECIMAL(38,9)) AS s11,
       s11 + coalesce(mv[12]::DECIMAL(38,9), 0::DECIMAL(38,9)) AS s12
    FROM j
)
SELECT unit_code, indicator_code, year, mv, ms,
       [0::BIGINT, c1, c2, c3, c4, c5, c6, c7, c8, c9, c10, c11, c12] AS pc,
       [0::DECIMAL(38,9), s1, s2, s3, s4, s5, s6, s7, s8, s9, s10, s11, s12] AS ps,
       dv, multi
FROM r;

-- tf_dconf: the spans two reports disagree on (065_conflicts reports them),
-- so that tf_direct, now folded into tf_yl like tf_month, can go: free
-- their memory for the models to come.
CREATE TEMP TABLE tf_dconf AS
SELECT * FROM tf_direct
WHERE n > 1 AND vmax - vmin > 1e-9 * greatest(1, abs(vmin), abs(vmax));

DROP TABLE tf_month;
DROP TABLE tf_direct;
