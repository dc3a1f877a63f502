-- 060_rows: the unit rows: the period's value, its year to date (the value
-- of January..period end by the same rules) and the annual target.
CREATE TEMP TABLE tf_urow AS
SELECT g.unit_code, g.indicator_code, g.year, g.period_type, g.type_ord, g.n, g.fm, g.lm, g.period, g.ea, g.eb,
       s.value, s.value_source, s.months_expected, s.months_reported, s.num, s.den,
       y.value AS ytd_value, y.num AS ytd_num, y.den AS ytd_den,
       t.value AS target
FROM tf_grid g
JOIN tf_uspan s ON s.unit_code = g.unit_code AND s.indicator_code = g.indicator_code
               AND s.year = g.year AND s.fm = g.fm AND s.lm = g.lm
JOIN tf_uspan y ON y.unit_code = g.unit_code AND y.indicator_code = g.indicator_code
               AND y.year = g.year AND y.fm = 1 AND y.lm = g.lm
LEFT JOIN tf_targets t ON t.unit_code = g.unit_code AND t.indicator_code = g.indicator_code AND t.year = g.year;
