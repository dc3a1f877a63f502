-- 030_grid: which rows indicator_pop has. For each indicator, every period
-- of every type overlapping the months from the earliest to the latest month
-- any unit reported (for a ratio: its own reports and its parts'); for each
-- unit, only the periods overlapping its validity.
-- The range is over all years (tf_ostat), whichever the run recomputes.
CREATE TEMP TABLE tf_cover AS
WITH own AS (
    SELECT indicator_code AS code, min(cmin) AS cmin, max(cmax) AS cmax
    FROM tf_ostat WHERE known
    GROUP BY indicator_code
    HAVING min(cmin) IS NOT NULL
)
SELECT p.code, min(o.cmin) AS cmin, max(o.cmax) AS cmax
FROM tf_parts p JOIN own o ON o.code = p.part
GROUP BY p.code;

CREATE TEMP TABLE tf_pgrid AS
WITH y AS (
    SELECT code, cmin, cmax, unnest(range(cmin // 12, cmax // 12 + 1))::INTEGER AS year FROM tf_cover
)
SELECT y.code AS indicator_code, y.year, p.period_type, p.type_ord, p.n, p.fm, p.lm,
       CASE p.period_type
           WHEN 'month' THEN printf('%04d-%02d', y.year, p.n)
           WHEN 'quarter' THEN printf('%04d-Q%d', y.year, p.n)
           WHEN 'half' THEN printf('%04d-H%d', y.year, p.n)
           WHEN 'ytd' THEN printf('%04d-9M', y.year)
           ELSE printf('%04d', y.year)
       END AS period
FROM y JOIN tf_periods p
  ON y.year * 12 + p.fm - 1 <= y.cmax AND y.year * 12 + p.lm - 1 >= y.cmin
WHERE y.year IN (SELECT year FROM tf_years);

-- tf_grid: unit rows. ea..eb are the months of the period the unit existed
-- in (its effective span); ya is the first month of its year to date. A view:
-- 060_rows and 100_quality read it once each, and it is cheaper to join the
-- units again than to hold every row (dropped by 900_publish).
CREATE OR REPLACE TEMP VIEW tf_grid AS
SELECT u.code AS unit_code, g.indicator_code, g.year, g.period_type, g.type_ord, g.n, g.fm, g.lm, g.period,
       (greatest(g.year * 12 + g.fm - 1, u.vfrom_mi) - g.year * 12 + 1)::INTEGER AS ea,
       (least(g.year * 12 + g.lm - 1, u.vto_mi) - g.year * 12 + 1)::INTEGER AS eb,
       (greatest(g.year * 12, u.vfrom_mi) - g.year * 12 + 1)::INTEGER AS ya
FROM tf_pgrid g
JOIN tf_units u ON u.vfrom_mi <= g.year * 12 + g.lm - 1 AND u.vto_mi >= g.year * 12 + g.fm - 1;
