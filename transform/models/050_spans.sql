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
-- The lists are built by filtered aggregates in one pass over the rows (no
-- sort, no window).
CREATE OR REPLACE TEMP MACRO tf_slot(fm, lm) AS
    CASE
        WHEN fm = 1 THEN lm
        WHEN fm = lm THEN 12 + fm
        WHEN lm = fm + 2 AND fm IN (4, 7, 10) THEN 24 + (fm + 2) // 3 - 1
        WHEN fm = 7 AND lm = 12 THEN 28
    END;

CREATE TEMP TABLE tf_yl AS
WITH d AS (
    SELECT unit_code, indicator_code, year, bool_or(lm > fm) AS multi, [
        max(value) FILTER (WHERE slot = 1),
        max(value) FILTER (WHERE slot = 2),
        max(value) FILTER (WHERE slot = 3),
        max(value) FILTER (WHERE slot = 4),
        max(value) FILTER (WHERE slot = 5),
        max(value) FILTER (WHERE slot = 6),
        max(value) FILTER (WHERE slot = 7),
        max(value) FILTER (WHERE slot = 8),
        max(value) FILTER (WHERE slot = 9),
        max(value) FILTER (WHERE slot = 10),
        max(value) FILTER (WHERE slot = 11),
        max(value) FILTER (WHERE slot = 12),
        max(value) FILTER (WHERE slot = 13),
        max(value) FILTER (WHERE slot = 14),
        max(value) FILTER (WHERE slot = 15),
        max(value) FILTER (WHERE slot = 16),
        max(value) FILTER (WHERE slot = 17),
        max(value) FILTER (WHERE slot = 18),
        max(value) FILTER (WHERE slot = 19),
        max(value) FILTER (WHERE slot = 20),
        max(value) FILTER (WHERE slot = 21),
        max(value) FILTER (WHERE slot = 22),
        max(value) FILTER (WHERE slot = 23),
        max(value) FILTER (WHERE slot = 24),
        max(value) FILTER (WHERE slot = 25),
        max(value) FILTER (WHERE slot = 26),
        max(value) FILTER (WHERE slot = 27),
        max(value) FILTER (WHERE slot = 28)
    ] AS dv
    FROM (SELECT *, tf_slot(fm, lm) AS slot FROM tf_direct)
    GROUP BY unit_code, indicator_code, year
),
mo AS (
    SELECT unit_code, indicator_code, year, [
        max(value) FILTER (WHERE m = 1),
        max(value) FILTER (WHERE m = 2),
        max(value) FILTER (WHERE m = 3),
        max(value) FILTER (WHERE m = 4),
        max(value) FILTER (WHERE m = 5),
        max(value) FILTER (WHERE m = 6),
        max(value) FILTER (WHERE m = 7),
        max(value) FILTER (WHERE m = 8),
        max(value) FILTER (WHERE m = 9),
        max(value) FILTER (WHERE m = 10),
        max(value) FILTER (WHERE m = 11),
        max(value) FILTER (WHERE m = 12)
    ] AS mv, [
        max(source) FILTER (WHERE m = 1),
        max(source) FILTER (WHERE m = 2),
        max(source) FILTER (WHERE m = 3),
        max(source) FILTER (WHERE m = 4),
        max(source) FILTER (WHERE m = 5),
        max(source) FILTER (WHERE m = 6),
        max(source) FILTER (WHERE m = 7),
        max(source) FILTER (WHERE m = 8),
        max(source) FILTER (WHERE m = 9),
        max(source) FILTER (WHERE m = 10),
        max(source) FILTER (WHERE m = 11),
        max(source) FILTER (WHERE m = 12)
    ] AS ms, [
        0::BIGINT,
        count(*) FILTER (WHERE m <= 1),
        count(*) FILTER (WHERE m <= 2),
        count(*) FILTER (WHERE m <= 3),
        count(*) FILTER (WHERE m <= 4),
        count(*) FILTER (WHERE m <= 5),
        count(*) FILTER (WHERE m <= 6),
        count(*) FILTER (WHERE m <= 7),
        count(*) FILTER (WHERE m <= 8),
        count(*) FILTER (WHERE m <= 9),
        count(*) FILTER (WHERE m <= 10),
        count(*) FILTER (WHERE m <= 11),
        count(*) FILTER (WHERE m <= 12)
    ] AS pc, [
        0::DECIMAL(38,9),
        coalesce(sum(value::DECIMAL(38,9)) FILTER (WHERE m <= 1), 0::DECIMAL(38,9)),
        coalesce(sum(value::DECIMAL(38,9)) FILTER (WHERE m <= 2), 0::DECIMAL(38,9)),
        coalesce(sum(value::DECIMAL(38,9)) FILTER (WHERE m <= 3), 0::DECIMAL(38,9)),
        coalesce(sum(value::DECIMAL(38,9)) FILTER (WHERE m <= 4), 0::DECIMAL(38,9)),
        coalesce(sum(value::DECIMAL(38,9)) FILTER (WHERE m <= 5), 0::DECIMAL(38,9)),
        coalesce(sum(value::DECIMAL(38,9)) FILTER (WHERE m <= 6), 0::DECIMAL(38,9)),
        coalesce(sum(value::DECIMAL(38,9)) FILTER (WHERE m <= 7), 0::DECIMAL(38,9)),
        coalesce(sum(value::DECIMAL(38,9)) FILTER (WHERE m <= 8), 0::DECIMAL(38,9)),
        coalesce(sum(value::DECIMAL(38,9)) FILTER (WHERE m <= 9), 0::DECIMAL(38,9)),
        coalesce(sum(value::DECIMAL(38,9)) FILTER (WHERE m <= 10), 0::DECIMAL(38,9)),
        coalesce(sum(value::DECIMAL(38,9)) FILTER (WHERE m <= 11), 0::DECIMAL(38,9)),
        coalesce(sum(value::DECIMAL(38,9)) FILTER (WHERE m <= 12), 0::DECIMAL(38,9))
    ] AS ps
    FROM tf_month
    GROUP BY unit_code, indicator_code, year
)
SELECT d.unit_code, d.indicator_code, d.year, mo.mv, mo.ms,
       coalesce(mo.pc, [0::BIGINT, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]) AS pc,
       coalesce(mo.ps, list_transform(range(13), x -> 0::DECIMAL(38,9))) AS ps,
       d.dv, d.multi
FROM d LEFT JOIN mo ON mo.unit_code = d.unit_code AND mo.indicator_code = d.indicator_code AND mo.year = d.year;
