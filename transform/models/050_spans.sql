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
CREATE OR REPLACE TEMP MACRO tf_slot(fm, lm) AS
    CASE
        WHEN fm = 1 THEN lm
        WHEN fm = lm THEN 12 + fm
        WHEN lm = fm + 2 AND fm IN (4, 7, 10) THEN 24 + (fm + 2) // 3 - 1
        WHEN fm = 7 AND lm = 12 THEN 28
    END;

CREATE TEMP TABLE tf_yl AS
WITH k AS (
    SELECT unit_code, indicator_code, year,
           list(value) AS dvals, list(tf_slot(fm, lm)) AS dslots, bool_or(lm > fm) AS multi
    FROM tf_direct
    GROUP BY unit_code, indicator_code, year
),
dm AS (
    SELECT k.unit_code, k.indicator_code, k.year, r.m::INTEGER AS m, t.value, t.source,
           count(t.m) OVER w AS pc, sum(t.value::DECIMAL(38,9)) OVER w AS ps
    FROM k CROSS JOIN range(1, 13) r(m)
    LEFT JOIN tf_month t ON t.unit_code = k.unit_code AND t.indicator_code = k.indicator_code
                        AND t.year = k.year AND t.m = r.m
    WINDOW w AS (PARTITION BY k.unit_code, k.indicator_code, k.year ORDER BY r.m
                 ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)
),
ml AS (
    SELECT unit_code, indicator_code, year,
           list(value ORDER BY m) AS mv, list(source ORDER BY m) AS ms,
           list_prepend(0::BIGINT, list(pc ORDER BY m)) AS pc,
           list_prepend(0::DECIMAL(38,9), list(coalesce(ps, 0::DECIMAL(38,9)) ORDER BY m)) AS ps
    FROM dm
    GROUP BY unit_code, indicator_code, year
)
SELECT k.unit_code, k.indicator_code, k.year, ml.mv, ml.ms, ml.pc, ml.ps,
       list_transform(range(1, 29), s -> k.dvals[list_position(k.dslots, s)]) AS dv,
       k.multi
FROM k JOIN ml ON ml.unit_code = k.unit_code AND ml.indicator_code = k.indicator_code AND ml.year = k.year;
