-- 065_conflicts: the span_conflict findings of 100_quality's list, made
-- here because they read the reports' lists (tf_yl) and
-- the ratio rows (tf_rrow), which are dropped after them: the models after
-- this one do not hold them (at 700 units × 9 indicators × 4 years ≈ 125 MB).
-- tf_quality is the table every check adds its findings to (see
-- 100_quality).
CREATE TEMP TABLE tf_quality (
    check_name     VARCHAR NOT NULL,
    severity       VARCHAR NOT NULL,
    unit_code      VARCHAR,
    indicator_code VARCHAR,
    period         VARCHAR,
    value          DOUBLE,
    expected       DOUBLE,
    score          DOUBLE,
    message        VARCHAR NOT NULL,
    message_vi     VARCHAR NOT NULL,
    accepted_by    VARCHAR,
    accepted_why   VARCHAR
);

-- span_conflict: a span reported directly whose months (or cumulative
-- reports) say otherwise; the direct report is used, nothing is averaged.
INSERT INTO tf_quality (check_name, severity, unit_code, indicator_code, period, value, expected, score, message, message_vi)
WITH g AS (
    SELECT g.unit_code, g.indicator_code, g.year, g.fm, g.lm, g.ea, g.eb, g.ya, i.agg, y.dv, y.mv, y.pc, y.ps
    FROM tf_grid g
    JOIN tf_ind i ON i.code = g.indicator_code AND i.agg <> 'ratio'
    -- only a year with a report of more than one month can disagree (see 050_spans)
    JOIN tf_yl y ON y.multi AND y.unit_code = g.unit_code AND y.indicator_code = g.indicator_code AND y.year = g.year
),
-- every span valued (the rows' own spans and their years to date), once
s AS (
    SELECT unit_code, indicator_code, year, fm, lm, agg, tf_dir(dv, fm, lm) AS direct_value,
           tf_cum(agg, dv, ea, eb) AS cum_value, tf_mval(agg, mv, pc, ps, ea, eb) AS months_value
    FROM g
    UNION
    SELECT unit_code, indicator_code, year, 1, lm, agg, tf_dir(dv, 1, lm),
           tf_cum(agg, dv, ya, eb), tf_mval(agg, mv, pc, ps, ya, eb)
    FROM g
),
v AS (
    SELECT s.*, coalesce(p.period_type, 'ytd_to_month') AS period_type,
           CASE p.period_type
               WHEN 'month' THEN printf('%04d-%02d', s.year, p.n)
               WHEN 'quarter' THEN printf('%04d-Q%d', s.year, p.n)
               WHEN 'half' THEN printf('%04d-H%d', s.year, p.n)
               WHEN 'ytd' THEN printf('%04d-9M', s.year)
               WHEN 'year' THEN printf('%04d', s.year)
               ELSE printf('%04d-%02d', s.year, s.lm)
           END AS period
    FROM s LEFT JOIN tf_periods p ON p.fm = s.fm AND p.lm = s.lm
    WHERE s.direct_value IS NOT NULL
),
c AS (
    SELECT v.*,
           CASE
               WHEN cum_value IS NOT NULL AND abs(direct_value - cum_value) > 1e-9 * greatest(1, abs(direct_value), abs(cum_value))
                   THEN cum_value
           END AS cum_diff,
           CASE
               WHEN months_value IS NOT NULL AND fm < lm AND abs(direct_value - months_value) > 1e-9 * greatest(1, abs(direct_value), abs(months_value))
                   THEN months_value
           END AS months_diff
    FROM v
)
SELECT 'span_conflict', 'error', unit_code, indicator_code, period, direct_value, coalesce(months_diff, cum_diff),
       direct_value - coalesce(months_diff, cum_diff),
       printf('direct report of %s%s = %s disagrees with %s; the direct report is used',
              period, CASE WHEN period_type = 'ytd_to_month' THEN ' (year to date)' ELSE '' END, tf_num(direct_value),
              concat_ws(' and ',
                        CASE WHEN months_diff IS NOT NULL THEN
                            CASE agg WHEN 'sum' THEN 'the sum of its months ' WHEN 'average' THEN 'the mean of its months '
                                     ELSE 'the value of its last month ' END || tf_num(months_diff) END,
                        CASE WHEN cum_diff IS NOT NULL THEN 'the difference of year-to-date reports ' || tf_num(cum_diff) END)),
       printf('Báo cáo kỳ %s%s = %s không khớp với %s; dùng số báo cáo trực tiếp',
              period, CASE WHEN period_type = 'ytd_to_month' THEN ' (lũy kế)' ELSE '' END, tf_num(direct_value),
              concat_ws(' và ',
                        CASE WHEN months_diff IS NOT NULL THEN
                            CASE agg WHEN 'sum' THEN 'tổng các tháng ' WHEN 'average' THEN 'bình quân các tháng '
                                     ELSE 'số tháng cuối ' END || tf_num(months_diff) END,
                        CASE WHEN cum_diff IS NOT NULL THEN 'hiệu các số lũy kế ' || tf_num(cum_diff) END))
FROM c
WHERE cum_diff IS NOT NULL OR months_diff IS NOT NULL;

-- span_conflict between a direct report of a ratio and its parts (the parts
-- are used).
INSERT INTO tf_quality (check_name, severity, unit_code, indicator_code, period, value, expected, score, message, message_vi)
SELECT 'span_conflict', 'error', s.unit_code, s.indicator_code, s.period, s.direct_value, s.parts_value,
       s.direct_value - s.parts_value,
       printf('direct report of %s = %s disagrees with its parts %s ÷ %s × %s = %s; the parts are used',
              s.period, tf_num(s.direct_value), tf_num(s.num), tf_num(s.den), tf_num(i.factor), tf_num(s.parts_value)),
       printf('Tỷ lệ báo cáo kỳ %s = %s không khớp với các thành phần %s ÷ %s × %s = %s; dùng số tính từ thành phần',
              s.period, tf_num(s.direct_value), tf_num(s.num), tf_num(s.den), tf_num(i.factor), tf_num(s.parts_value))
FROM tf_rrow s
JOIN tf_ind i ON i.code = s.indicator_code
WHERE s.direct_value IS NOT NULL AND s.parts_value IS NOT NULL
  AND abs(s.direct_value - s.parts_value) > 1e-9 * greatest(1, abs(s.direct_value), abs(s.parts_value));

-- span_conflict between two reports of the same span (e.g. a period report
-- of 2020-H1 and a ytd report at 2020-06): the period report is used.
INSERT INTO tf_quality (check_name, severity, unit_code, indicator_code, period, value, expected, score, message, message_vi)
WITH d AS (
    SELECT * FROM tf_dconf
),
-- the reports of those spans, as 020_reports normalized them
r AS (
    SELECT o.unit_code, o.indicator_code, o.year::INTEGER AS year,
           (CASE WHEN o.basis = 'ytd' THEN 1 ELSE o.first_month END)::INTEGER AS fm,
           o.last_month::INTEGER AS lm, o.basis, o.period, o.value,
           (CASE o.basis WHEN 'period' THEN 0 ELSE 10 END)
           + (CASE o.period_type WHEN 'month' THEN 0 WHEN 'quarter' THEN 1 WHEN 'half' THEN 2 WHEN 'ytd' THEN 3 ELSE 4 END) AS prio
    FROM observations o
    WHERE o.basis IN ('period', 'ytd') AND o.unit_code IN (SELECT unit_code FROM d)
)
SELECT 'span_conflict', 'error', r.unit_code, r.indicator_code, arg_min(r.period, r.prio), any_value(d.value),
       NULL, any_value(d.vmax - d.vmin),
       printf('reports of the same span disagree: %s; %s is used',
              string_agg(r.period || ' ' || r.basis || ' = ' || tf_num(r.value), ', ' ORDER BY r.prio),
              arg_min(r.period || ' ' || r.basis, r.prio)),
       printf('Các báo cáo cùng một kỳ không khớp nhau: %s; dùng %s',
              string_agg(r.period || ' ' || r.basis || ' = ' || tf_num(r.value), ', ' ORDER BY r.prio),
              arg_min(r.period || ' ' || r.basis, r.prio))
FROM d JOIN r ON r.unit_code = d.unit_code AND r.indicator_code = d.indicator_code
                        AND r.year = d.year AND r.fm = d.fm AND r.lm = d.lm
GROUP BY r.unit_code, r.indicator_code, r.year, r.fm, r.lm;

DROP TABLE tf_rrow;
DROP TABLE tf_yl;
DROP TABLE tf_dconf;
DROP TABLE tf_targets;
