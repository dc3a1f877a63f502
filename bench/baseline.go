package bench

import (
	"context"
	"fmt"
)

// baselinePopSQL is the hand-written baseline of the transform: what an
// analyst would write in DuckDB for the unit rows of the sum and last
// indicators of indicator_pop, given monthly reports only (as the generated
// data is): every month, quarter, half, 9M and year of every year with data,
// the value (a sum only when every month is there; for a stock the last
// month's value), the previous period, the same period a year before, the
// year to date, the annual target, the months reported and the rank among
// the units. Spans are cumulative sums: C(lm) − C(fm−1).
const baselinePopSQL = `CREATE OR REPLACE TEMP TABLE bench_base_pop AS
WITH ind AS (
    SELECT code, agg, direction FROM indicators WHERE agg IN ('sum', 'last')
),
m AS (
    SELECT unit_code, indicator_code, year, first_month AS m, value
    FROM observations WHERE basis = 'period' AND period_type = 'month'
),
yrs AS (SELECT DISTINCT year FROM m),
cover AS (
    SELECT indicator_code, min(year * 12 + m - 1) AS cmin, max(year * 12 + m - 1) AS cmax FROM m GROUP BY indicator_code
),
months AS (
    SELECT u.code AS unit_code, i.code AS indicator_code, i.agg, y.year, r.m::INTEGER AS m
    FROM units u CROSS JOIN ind i CROSS JOIN yrs y CROSS JOIN range(1, 13) r(m)
),
c AS (
    SELECT g.unit_code, g.indicator_code, g.agg, g.year, g.m, m.value,
           sum(m.value) OVER w AS csum, count(m.value) OVER w AS ccnt
    FROM months g
    LEFT JOIN m ON m.unit_code = g.unit_code AND m.indicator_code = g.indicator_code AND m.year = g.year AND m.m = g.m
    WINDOW w AS (PARTITION BY g.unit_code, g.indicator_code, g.year ORDER BY g.m)
),
per AS (
    SELECT 'month' AS period_type, m::INTEGER AS n, m::INTEGER AS fm, m::INTEGER AS lm FROM range(1, 13) r(m)
    UNION ALL SELECT 'quarter', q::INTEGER, (3 * q - 2)::INTEGER, (3 * q)::INTEGER FROM range(1, 5) r(q)
    UNION ALL SELECT 'half', h::INTEGER, (6 * h - 5)::INTEGER, (6 * h)::INTEGER FROM range(1, 3) r(h)
    UNION ALL SELECT 'ytd', 9, 1, 9
    UNION ALL SELECT 'year', 0, 1, 12
),
v AS (
    SELECT e.unit_code, e.indicator_code, e.agg, e.year, p.period_type, p.n, p.fm, p.lm,
           (e.ccnt - coalesce(s.ccnt, 0))::INTEGER AS months_reported,
           CASE e.agg
               WHEN 'sum' THEN CASE WHEN e.ccnt - coalesce(s.ccnt, 0) = p.lm - p.fm + 1 THEN e.csum - coalesce(s.csum, 0) END
               ELSE e.value
           END AS value,
           CASE e.agg WHEN 'sum' THEN CASE WHEN e.ccnt = p.lm THEN e.csum END ELSE e.value END AS ytd_value
    FROM per p
    JOIN c e ON e.m = p.lm
    JOIN cover k ON k.indicator_code = e.indicator_code
                AND e.year * 12 + p.fm - 1 <= k.cmax AND e.year * 12 + p.lm - 1 >= k.cmin
    LEFT JOIN c s ON s.unit_code = e.unit_code AND s.indicator_code = e.indicator_code AND s.year = e.year AND s.m = p.fm - 1
)
SELECT v.unit_code, v.indicator_code,
       CASE v.period_type
           WHEN 'month' THEN printf('%04d-%02d', v.year, v.n)
           WHEN 'quarter' THEN printf('%04d-Q%d', v.year, v.n)
           WHEN 'half' THEN printf('%04d-H%d', v.year, v.n)
           WHEN 'ytd' THEN printf('%04d-9M', v.year)
           ELSE printf('%04d', v.year)
       END AS period,
       v.period_type, make_date(v.year, v.fm, 1) AS period_start, last_day(make_date(v.year, v.lm, 1)) AS period_end,
       v.value,
       lag(v.value) OVER (PARTITION BY v.unit_code, v.indicator_code, v.period_type ORDER BY v.year, v.n) AS prev_value,
       lag(v.value) OVER (PARTITION BY v.unit_code, v.indicator_code, v.period_type, v.n ORDER BY v.year) AS yoy_value,
       v.ytd_value, t.value AS target, v.months_reported,
       CASE WHEN v.value IS NOT NULL THEN rank() OVER (
           PARTITION BY v.indicator_code, v.year, v.period_type, v.n, v.value IS NULL
           ORDER BY CASE i.direction WHEN 'lower' THEN v.value ELSE -v.value END) END AS rank_value
FROM v
JOIN ind i ON i.code = v.indicator_code
LEFT JOIN observations t ON t.basis = 'target' AND t.unit_code = v.unit_code AND t.indicator_code = v.indicator_code AND t.year = v.year`

// compareSQL counts the rows of the subset that are in one table and not
// the other, or differ in a column (numbers compared to 1e-6 relative, as
// the baseline sums by differences of running sums). A rank that differs
// where two units' values tie to within 1e-6 is counted apart: the order of
// a floating-point sum decides such ties, on either side.
const compareSQL = `WITH p AS (
    SELECT unit_code, indicator_code, period, period_type, period_start, period_end, value, prev_value, yoy_value,
           ytd_value, target, months_reported, rank_value
    FROM indicator_pop
    WHERE NOT is_cluster AND indicator_code IN (SELECT code FROM indicators WHERE agg IN ('sum', 'last'))
),
j AS (
    SELECT p.unit_code IS NULL AS only_base, b.unit_code IS NULL AS only_pop,
           NOT (p.period_start = b.period_start AND p.period_end = b.period_end
                AND p.months_reported = b.months_reported
                AND ` + `%s) AS differs,
           p.rank_value IS DISTINCT FROM b.rank_value AS rank_differs,
           EXISTS (SELECT 1 FROM temp.bench_base_pop t
                   WHERE t.indicator_code = b.indicator_code AND t.period = b.period AND t.unit_code <> b.unit_code
                     AND abs(t.value - b.value) <= 1e-6 * greatest(1, abs(b.value))) AS near_tie
    FROM p FULL JOIN temp.bench_base_pop b
      ON p.unit_code = b.unit_code AND p.indicator_code = b.indicator_code AND p.period = b.period AND p.period_type = b.period_type
)
SELECT count(*) FILTER (only_base), count(*) FILTER (only_pop),
       count(*) FILTER (NOT only_base AND NOT only_pop AND (differs OR rank_differs AND NOT near_tie)),
       count(*) FILTER (NOT only_base AND NOT only_pop AND rank_differs AND near_tie),
       (SELECT count(*) FROM p)
FROM j`

func numEq(col string) string {
	return fmt.Sprintf(`(p.%[1]s IS NULL AND b.%[1]s IS NULL OR abs(p.%[1]s - b.%[1]s) <= 1e-6 * greatest(1, abs(b.%[1]s)))`, col)
}

// transformBaseline times baselinePopSQL against the database the transform
// ran on and checks its rows against indicator_pop's.
func (r *runner) transformBaseline(ctx context.Context) (Stage, string, error) {
	db := r.db.SQL()
	conn, err := db.Conn(ctx)
	if err != nil {
		return Stage{}, "", err
	}
	defer conn.Close()
	st, err := measure("transform baseline SQL", func() (int64, int64, error) {
		if _, err := conn.ExecContext(ctx, baselinePopSQL); err != nil {
			return 0, 0, err
		}
		var n int64
		err := conn.QueryRowContext(ctx, `SELECT count(*) FROM temp.bench_base_pop`).Scan(&n)
		return n, 0, err
	})
	if err != nil {
		return st, "", err
	}
	var eq string
	for i, c := range []string{"value", "prev_value", "yoy_value", "ytd_value", "target"} {
		if i > 0 {
			eq += " AND "
		}
		eq += numEq(c)
	}
	var onlyBase, onlyPop, differs, ties, subset, total int64
	if err := conn.QueryRowContext(ctx, fmt.Sprintf(compareSQL, eq)).Scan(&onlyBase, &onlyPop, &differs, &ties, &subset); err != nil {
		return st, "", fmt.Errorf("compare with baseline: %w", err)
	}
	if err := conn.QueryRowContext(ctx, `SELECT count(*) FROM indicator_pop`).Scan(&total); err != nil {
		return st, "", err
	}
	if _, err := conn.ExecContext(ctx, `DROP TABLE temp.bench_base_pop`); err != nil {
		return st, "", err
	}
	check := fmt.Sprintf("identical (%d rows: unit rows of sum/last indicators, %.0f%% of indicator_pop's %d)", subset, 100*float64(subset)/float64(max(total, 1)), total)
	if ties > 0 {
		check += fmt.Sprintf("; %d ranks differ on float near-ties of equal true values", ties)
	}
	if onlyBase+onlyPop+differs > 0 {
		check = fmt.Sprintf("NOT identical: %d rows only in the baseline, %d only in indicator_pop, %d differ (of %d)", onlyBase, onlyPop, differs, subset)
	}
	st.Note = "subset: unit rows of sum/last indicators; " + check
	if tr, ok := r.res.stage("transform"); ok {
		r.compare("transform", st)
		_ = tr
	}
	return st, check, nil
}
