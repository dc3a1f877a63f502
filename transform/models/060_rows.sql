-- 060_rows: the unit rows: the period's value, its year to date (the value
-- of January..period end by the same rules) and the annual target.
--
-- A span fm..lm of a non-ratio indicator, over the effective span ea..eb
-- (the months of the span the unit existed in), from its year's tf_yl row:
--   (1) a direct report of exactly the span wins;
--   (2) else for sum C(eb) − C(ea−1), for average
--       (C(eb)·eb − C(ea−1)·(ea−1)) ÷ (eb − ea + 1), when both are known
--       (C(0) = 0);
--   (3) else from its months: sum Σ, average mean, both only when every
--       month is known; last the value of the end month.
-- Otherwise the value is NULL: a span with a missing month is not a span.
CREATE OR REPLACE TEMP MACRO tf_dir(dv, fm, lm) AS dv[tf_slot(fm, lm)];
-- (2) is computed in DECIMAL(38,9), as the sums of (3) are, so equal figures
-- stay equal whichever way they were reported.
CREATE OR REPLACE TEMP MACRO tf_cum(agg, dv, ea, eb) AS
    CASE agg
        WHEN 'sum' THEN (dv[eb]::DECIMAL(38,9) - CASE WHEN ea = 1 THEN 0 ELSE dv[ea - 1] END::DECIMAL(38,9))::DOUBLE
        WHEN 'average' THEN ((dv[eb]::DECIMAL(38,9) * eb - CASE WHEN ea = 1 THEN 0 ELSE dv[ea - 1] END::DECIMAL(38,9) * (ea - 1))
                             / (eb - ea + 1))::DOUBLE
    END;
CREATE OR REPLACE TEMP MACRO tf_mrep(pc, ea, eb) AS coalesce(pc[eb + 1] - pc[ea], 0);
CREATE OR REPLACE TEMP MACRO tf_mval(agg, mv, pc, ps, ea, eb) AS
    CASE
        WHEN agg = 'sum' AND pc[eb + 1] - pc[ea] = eb - ea + 1 THEN (ps[eb + 1] - ps[ea])::DOUBLE
        WHEN agg = 'average' AND pc[eb + 1] - pc[ea] = eb - ea + 1 THEN ((ps[eb + 1] - ps[ea]) / (pc[eb + 1] - pc[ea]))::DOUBLE
        WHEN agg = 'last' THEN mv[eb]
    END;
CREATE OR REPLACE TEMP MACRO tf_source(direct, cum, mval, fm, lm, msrc) AS
    CASE
        WHEN direct IS NOT NULL THEN 'direct'
        WHEN cum IS NOT NULL THEN 'cumulative'
        WHEN mval IS NOT NULL AND fm = lm THEN msrc
        WHEN mval IS NOT NULL THEN 'months'
    END;
-- tf_parts: the three ways (1), (2), (3) of valuing span fm..lm over ea..eb
-- from a tf_yl row's lists, with what tf_span adds to them (the end month's
-- source, the months reported), each computed once: a query takes tf_parts
-- in one step and tf_span of it in the next (a macro's argument used three
-- times is computed three times, and these are the transform's most
-- repeated expressions).
CREATE OR REPLACE TEMP MACRO tf_parts(agg, dv, mv, ms, pc, ps, fm, lm, ea, eb) AS {
    'direct': tf_dir(dv, fm, lm),
    'cum': tf_cum(agg, dv, ea, eb),
    'mval': tf_mval(agg, mv, pc, ps, ea, eb),
    'msrc': ms[eb],
    'mrep': tf_mrep(pc, ea, eb)
};
-- tf_span: the value of the span from its tf_parts x, as {value, source,
-- months_reported}. months_reported counts the months of ea..eb a report
-- covers: all of them when the span is valued by (1) or (2) (a direct or
-- year-to-date report spans every month), else the months that have a
-- value of their own (040_months).
CREATE OR REPLACE TEMP MACRO tf_span(x, fm, lm, ea, eb) AS {
    'value': coalesce(x.direct, x.cum, x.mval),
    'source': tf_source(x.direct, x.cum, x.mval, fm, lm, x.msrc),
    'months_reported': CASE WHEN x.direct IS NOT NULL OR x.cum IS NOT NULL THEN eb - ea + 1 ELSE x.mrep END::INTEGER
};

CREATE TEMP TABLE tf_urow AS
WITH g AS (
    SELECT g.*, i.agg FROM tf_grid g JOIN tf_ind i ON i.code = g.indicator_code AND i.agg <> 'ratio'
),
x AS (
    SELECT g.unit_code, g.indicator_code, g.year, g.period_type, g.type_ord, g.n, g.fm, g.lm, g.period, g.ea, g.eb, g.ya,
           tf_parts(g.agg, y.dv, y.mv, y.ms, y.pc, y.ps, g.fm, g.lm, g.ea, g.eb) AS px,
           tf_parts(g.agg, y.dv, y.mv, y.ms, y.pc, y.ps, 1, g.lm, g.ya, g.eb) AS yx
    FROM g
    LEFT JOIN tf_yl y ON y.unit_code = g.unit_code AND y.indicator_code = g.indicator_code AND y.year = g.year
),
s AS (
    SELECT x.unit_code, x.indicator_code, x.year, x.period_type, x.type_ord, x.n, x.fm, x.lm, x.period, x.ea, x.eb,
           tf_span(x.px, x.fm, x.lm, x.ea, x.eb) AS sp,
           tf_span(x.yx, 1, x.lm, x.ya, x.eb).value AS ytd_value
    FROM x
)
SELECT s.unit_code, s.indicator_code, s.year, s.period_type, s.type_ord, s.n, s.fm, s.lm, s.period, s.ea, s.eb,
       s.sp.value AS value, s.sp.source AS value_source, (s.eb - s.ea + 1)::INTEGER AS months_expected,
       s.sp.months_reported AS months_reported, NULL::DOUBLE AS num, NULL::DOUBLE AS den,
       s.ytd_value, NULL::DOUBLE AS ytd_num, NULL::DOUBLE AS ytd_den,
       t.value AS target
FROM s
LEFT JOIN tf_targets t ON t.unit_code = s.unit_code AND t.indicator_code = s.indicator_code AND t.year = s.year;

-- Ratio indicators: numerator ÷ denominator × factor, each part valued by
-- its own rule over the same span; where a part is missing, a direct report
-- of the ratio itself for exactly that span. num and den are kept (only when
-- both parts are known) for the cluster's Σnum ÷ Σden. tf_rrow keeps the
-- direct report and the parts' value for 100_quality.
CREATE TEMP TABLE tf_rrow AS
WITH g AS (
    SELECT g.*, i.factor, ni.agg AS nagg, di.agg AS dagg, ni.code AS numerator, di.code AS denominator
    FROM tf_grid g
    JOIN tf_ind i ON i.code = g.indicator_code AND i.agg = 'ratio'
    -- a part that is not a known non-ratio indicator has no value
    LEFT JOIN tf_ind ni ON ni.code = i.numerator AND ni.agg <> 'ratio'
    LEFT JOIN tf_ind di ON di.code = i.denominator AND di.agg <> 'ratio'
),
x AS (
    SELECT g.*,
           tf_parts(g.nagg, nu.dv, nu.mv, nu.ms, nu.pc, nu.ps, g.fm, g.lm, g.ea, g.eb) AS nux,
           tf_parts(g.dagg, de.dv, de.mv, de.ms, de.pc, de.ps, g.fm, g.lm, g.ea, g.eb) AS dex,
           tf_parts(g.nagg, nu.dv, nu.mv, nu.ms, nu.pc, nu.ps, 1, g.lm, g.ya, g.eb) AS ynux,
           tf_parts(g.dagg, de.dv, de.mv, de.ms, de.pc, de.ps, 1, g.lm, g.ya, g.eb) AS ydex,
           -- a span of a ratio of two stocks is the ratio at its end month,
           -- so a direct report of that month's ratio values it too
           coalesce(tf_dir(d.dv, g.fm, g.lm),
                    CASE WHEN g.nagg = 'last' AND g.dagg = 'last' THEN d.mv[g.eb] END) AS direct_value,
           -- the months ea..eb whose ratio is known: both parts, or a direct
           -- report of the month's ratio
           len(list_filter(range(g.ea, g.eb + 1),
                           m -> d.mv[m] IS NOT NULL OR (nu.mv[m] IS NOT NULL AND de.mv[m] IS NOT NULL))) AS months_known,
           tf_dir(d.dv, 1, g.lm) AS ytd_direct
    FROM g
    -- (each join's table holds only the rows of its indicators: tf_yl whole,
    -- three times over, was what a small memory_limit could not hold)
    LEFT JOIN (SELECT * FROM tf_yl WHERE indicator_code IN (SELECT numerator FROM tf_ind WHERE agg = 'ratio')) nu
           ON nu.unit_code = g.unit_code AND nu.indicator_code = g.numerator AND nu.year = g.year
    LEFT JOIN (SELECT * FROM tf_yl WHERE indicator_code IN (SELECT denominator FROM tf_ind WHERE agg = 'ratio')) de
           ON de.unit_code = g.unit_code AND de.indicator_code = g.denominator AND de.year = g.year
    LEFT JOIN (SELECT * FROM tf_yl WHERE indicator_code IN (SELECT code FROM tf_ind WHERE agg = 'ratio')) d
           ON d.unit_code = g.unit_code AND d.indicator_code = g.indicator_code AND d.year = g.year
),
p AS (
    SELECT x.* EXCLUDE (nux, dex, ynux, ydex),
           tf_span(x.nux, x.fm, x.lm, x.ea, x.eb) AS nu,
           tf_span(x.dex, x.fm, x.lm, x.ea, x.eb) AS de,
           tf_span(x.ynux, 1, x.lm, x.ya, x.eb) AS ynu,
           tf_span(x.ydex, 1, x.lm, x.ya, x.eb) AS yde
    FROM x
),
v AS (
    SELECT p.*,
           CASE WHEN p.nu.value IS NOT NULL AND p.de.value IS NOT NULL THEN p.nu.value END AS num,
           CASE WHEN p.nu.value IS NOT NULL AND p.de.value IS NOT NULL THEN p.de.value END AS den,
           CASE WHEN p.de.value <> 0 THEN p.nu.value / p.de.value * p.factor END AS parts_value,
           CASE WHEN p.ynu.value IS NOT NULL AND p.yde.value IS NOT NULL THEN p.ynu.value END AS ytd_num,
           CASE WHEN p.ynu.value IS NOT NULL AND p.yde.value IS NOT NULL THEN p.yde.value END AS ytd_den,
           CASE WHEN p.yde.value <> 0 THEN p.ynu.value / p.yde.value * p.factor END AS ytd_parts
    FROM p
)
SELECT v.unit_code, v.indicator_code, v.year, v.period_type, v.type_ord, v.n, v.fm, v.lm, v.period, v.ea, v.eb,
       coalesce(v.parts_value, v.direct_value) AS value,
       CASE WHEN v.parts_value IS NOT NULL THEN 'parts' WHEN v.direct_value IS NOT NULL THEN 'direct' END AS value_source,
       (v.eb - v.ea + 1)::INTEGER AS months_expected,
       CASE
           WHEN v.parts_value IS NULL AND v.direct_value IS NOT NULL THEN v.eb - v.ea + 1
           ELSE greatest(v.months_known,
                         least(CASE WHEN v.nagg IS NULL THEN 0 ELSE v.nu.months_reported END,
                               CASE WHEN v.dagg IS NULL THEN 0 ELSE v.de.months_reported END))
       END::INTEGER AS months_reported,
       v.num, v.den,
       coalesce(v.ytd_parts, v.ytd_direct) AS ytd_value, v.ytd_num, v.ytd_den,
       t.value AS target,
       v.direct_value, v.parts_value
FROM v
LEFT JOIN tf_targets t ON t.unit_code = v.unit_code AND t.indicator_code = v.indicator_code AND t.year = v.year;

INSERT INTO tf_urow
SELECT unit_code, indicator_code, year, period_type, type_ord, n, fm, lm, period, ea, eb, value, value_source,
       months_expected, months_reported, num, den, ytd_value, ytd_num, ytd_den, target
FROM tf_rrow;
