package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/thidua/thidua"
)

// Report reads everything the dashboards show: the cluster (units,
// indicators, criteria), the transform's tables indicator_pop, scores,
// score_points and quality, and the loads. It runs one query per table, not
// one per chart. A transform table that does not exist yet reads as empty.
// Report.Synthetic is true when a live load has format 'sample'. Each
// Load's File is the file's base name (loads.name), so pages that travel by
// e-mail do not show the loading machine's folders.
func (db *DB) Report(ctx context.Context) (thidua.Report, error) {
	return db.report(ctx, true)
}

// ReportMeta is Report without the units' indicator_pop rows: Pop holds
// the cluster rows only (one per indicator and period), and Periods every
// period indicator_pop or scores hold. The dashboards read the units' rows
// page by page with PopRows, so their memory follows one page, not the
// table.
func (db *DB) ReportMeta(ctx context.Context) (thidua.Report, error) {
	return db.report(ctx, false)
}

func (db *DB) report(ctx context.Context, unitRows bool) (thidua.Report, error) {
	var r thidua.Report
	steps := []struct {
		name  string
		table string
		fn    func() error
	}{
		{"cluster", "cluster", func() error { return db.reportCluster(ctx, &r.Cluster) }},
		{"indicator_pop", "indicator_pop", func() error { return db.reportPop(ctx, &r, unitRows) }},
		{"scores", "scores", func() error { return db.reportScores(ctx, &r) }},
		// The dashboards do not show score points: ReportMeta leaves them.
		{"score_points", "score_points", func() error {
			if !unitRows {
				return nil
			}
			return db.reportScorePoints(ctx, &r)
		}},
		{"quality", "quality", func() error { return db.reportQuality(ctx, &r) }},
		{"loads", "loads", func() error { return db.reportLoads(ctx, &r) }},
	}
	for _, s := range steps {
		ok, err := db.tableExists(ctx, s.table)
		if err != nil {
			return r, err
		}
		if !ok {
			continue
		}
		if err := s.fn(); err != nil {
			return r, fmt.Errorf("store: report: %s: %w", s.name, err)
		}
	}
	seen := map[thidua.Period]bool{}
	if !unitRows {
		ps, err := db.popPeriods(ctx)
		if err != nil {
			return r, fmt.Errorf("store: report: %w", err)
		}
		for _, p := range ps {
			seen[p] = true
			r.Periods = append(r.Periods, p)
		}
	}
	for _, p := range r.Pop {
		if !seen[p.Period] {
			seen[p.Period] = true
			r.Periods = append(r.Periods, p.Period)
		}
	}
	for _, s := range r.Scores {
		if !seen[s.Period] {
			seen[s.Period] = true
			r.Periods = append(r.Periods, s.Period)
		}
	}
	thidua.SortPeriods(r.Periods)
	for _, p := range r.Periods {
		if p.Type != thidua.Year {
			continue
		}
		props, _, err := db.Proposal(ctx, p)
		if err != nil {
			return r, fmt.Errorf("store: report: %w", err)
		}
		if len(props) > 0 {
			if r.Proposals == nil {
				r.Proposals = map[thidua.Period][]thidua.Proposal{}
			}
			r.Proposals[p] = props
		}
	}
	r.GeneratedAt = time.Now().UTC()
	return r, nil
}

func (db *DB) reportCluster(ctx context.Context, c *thidua.Cluster) error {
	var nameEN sql.NullString
	err := db.sql.QueryRowContext(ctx, `SELECT code, name, name_en FROM cluster LIMIT 1`).Scan(&c.Code, &c.Name, &nameEN)
	if err != nil && err != sql.ErrNoRows {
		return err
	}
	c.NameEN = nameEN.String
	if c.Awards, err = db.AwardRules(ctx); err != nil {
		return err
	}

	rows, err := db.sql.QueryContext(ctx, `SELECT code, name, coalesce(name_en, ''), coalesce(kind, ''),
		coalesce(communes, 0), valid_from, valid_to FROM units ORDER BY ord, code`)
	if err != nil {
		return fmt.Errorf("units: %w", err)
	}
	for rows.Next() {
		var u thidua.Unit
		var from, to sql.NullTime
		if err := rows.Scan(&u.Code, &u.Name, &u.NameEN, &u.Kind, &u.Communes, &from, &to); err != nil {
			rows.Close()
			return fmt.Errorf("units: %w", err)
		}
		u.ValidFrom, u.ValidTo = from.Time, to.Time
		c.Units = append(c.Units, u)
	}
	if err := closeRows(rows); err != nil {
		return fmt.Errorf("units: %w", err)
	}

	rows, err = db.sql.QueryContext(ctx, `SELECT code, name, coalesce(name_en, ''), coalesce(measure, ''),
		coalesce(measure_en, ''), agg, direction, has_target, coalesce(numerator, ''), coalesce(denominator, ''),
		coalesce(factor, 0), decimals, coalesce(cap_pct, 0), is_integer, hidden, min_value, max_value
		FROM indicators ORDER BY ord, code`)
	if err != nil {
		return fmt.Errorf("indicators: %w", err)
	}
	for rows.Next() {
		var ind thidua.Indicator
		var agg, dir string
		var lo, hi sql.NullFloat64
		if err := rows.Scan(&ind.Code, &ind.Name, &ind.NameEN, &ind.Measure, &ind.MeasureEN, &agg, &dir,
			&ind.HasTarget, &ind.Numerator, &ind.Denominator, &ind.Factor, &ind.Decimals, &ind.CapPct,
			&ind.Integer, &ind.Hidden, &lo, &hi); err != nil {
			rows.Close()
			return fmt.Errorf("indicators: %w", err)
		}
		ind.Agg, ind.Direction = thidua.Aggregation(agg), thidua.Direction(dir)
		if lo.Valid {
			ind.Min = &lo.Float64
		}
		if hi.Valid {
			ind.Max = &hi.Float64
		}
		c.Indicators = append(c.Indicators, ind)
	}
	if err := closeRows(rows); err != nil {
		return fmt.Errorf("indicators: %w", err)
	}

	rows, err = db.sql.QueryContext(ctx, `SELECT c.indicator_code, c.weight, c.method, c.cap_pct,
		b.min_value, b.points
		FROM criteria c LEFT JOIN criterion_bands b USING (indicator_code)
		ORDER BY c.ord, c.indicator_code, b.min_value`)
	if err != nil {
		return fmt.Errorf("criteria: %w", err)
	}
	for rows.Next() {
		var cr thidua.Criterion
		var method string
		var bmin, bpts sql.NullFloat64
		if err := rows.Scan(&cr.Indicator, &cr.Weight, &method, &cr.CapPct, &bmin, &bpts); err != nil {
			rows.Close()
			return fmt.Errorf("criteria: %w", err)
		}
		cr.Method = thidua.ScoreMethod(method)
		n := len(c.Criteria)
		if n == 0 || c.Criteria[n-1].Indicator != cr.Indicator {
			c.Criteria = append(c.Criteria, cr)
			n++
		}
		if bmin.Valid && bpts.Valid {
			c.Criteria[n-1].Bands = append(c.Criteria[n-1].Bands, thidua.Band{Min: bmin.Float64, Points: bpts.Float64})
		}
	}
	return closeRows(rows)
}

func closeRows(rows *sql.Rows) error {
	err := rows.Err()
	if cerr := rows.Close(); err == nil {
		err = cerr
	}
	return err
}

func num(n sql.NullFloat64) thidua.Num {
	if !n.Valid {
		return thidua.Num{}
	}
	return thidua.Some(n.Float64)
}

// reportPeriod reads a stored period label and type back into a Period.
func reportPeriod(label, typ string) (thidua.Period, error) {
	p, err := thidua.ParsePeriod(label)
	if err != nil {
		return p, err
	}
	if string(p.Type) != typ {
		return p, fmt.Errorf("period %q is a %s, stored as period_type %q", label, p.Type, typ)
	}
	return p, nil
}

// periodCache parses each distinct stored period once: a report has a few
// hundred periods and hundreds of thousands of rows.
type periodCache map[[2]string]thidua.Period

func (c periodCache) get(label, typ string) (thidua.Period, error) {
	k := [2]string{label, typ}
	if p, ok := c[k]; ok {
		return p, nil
	}
	p, err := reportPeriod(label, typ)
	if err == nil {
		c[k] = p
	}
	return p, err
}

func (db *DB) reportPop(ctx context.Context, r *thidua.Report, unitRows bool) error {
	where := ""
	if !unitRows {
		where = "WHERE coalesce(is_cluster, false)"
	}
	rows, err := collectRows(func(fn func([]thidua.PopRow) error) error {
		return db.popRows(ctx, popColumns, where, nil, "", nil, nil, fn)
	})
	r.Pop = rows
	return err
}

// collectRows is the rows each passes to fn, in one slice.
func collectRows(each func(fn func([]thidua.PopRow) error) error) ([]thidua.PopRow, error) {
	var chunks [][]thidua.PopRow
	total := 0
	err := each(func(rows []thidua.PopRow) error {
		chunks = append(chunks, rows)
		total += len(rows)
		return nil
	})
	if err != nil || total == 0 {
		return nil, err
	}
	// Each batch's rows, put together once at the end: PopRow is large
	// and holds pointers, and growing one slice batch by batch copied it
	// over and over (two thirds of the reading's CPU).
	out := make([]thidua.PopRow, 0, total)
	for _, c := range chunks {
		out = append(out, c...)
	}
	return out, nil
}

// popPeriods is every period indicator_pop holds.
func (db *DB) popPeriods(ctx context.Context) ([]thidua.Period, error) {
	rows, err := db.sql.QueryContext(ctx, `SELECT DISTINCT period, period_type FROM indicator_pop`)
	if err != nil {
		return nil, fmt.Errorf("indicator_pop periods: %w", err)
	}
	var ps []thidua.Period
	for rows.Next() {
		var label, typ string
		if err := rows.Scan(&label, &typ); err != nil {
			rows.Close()
			return nil, fmt.Errorf("indicator_pop periods: %w", err)
		}
		p, err := reportPeriod(label, typ)
		if err != nil {
			rows.Close()
			return nil, fmt.Errorf("indicator_pop periods: %w", err)
		}
		ps = append(ps, p)
	}
	thidua.SortPeriods(ps)
	return ps, closeRows(rows)
}

// PopRows reads the units' indicator_pop rows q selects (never the
// cluster rows, which ReportMeta gives): one page's rows, with one query.
// A missing indicator_pop reads as no rows.
func (db *DB) PopRows(ctx context.Context, q thidua.PopQuery) ([]thidua.PopRow, error) {
	return collectRows(func(fn func([]thidua.PopRow) error) error { return db.eachPopRows(ctx, q, nil, fn) })
}

// EachPopRows reads the rows q selects as PopRows does, but in no
// particular order (the stored one, unsorted: the dashboards place rows
// by key) unless q.ByUnit, and passes them to fn a batch at a time as they
// are read (fn may keep a batch): a page's rows are never copied into one
// slice, and a reader that keeps only what it draws from them holds one
// batch.
func (db *DB) EachPopRows(ctx context.Context, q thidua.PopQuery, fn func([]thidua.PopRow) error) error {
	return db.eachPopRows(ctx, q, anyOrder, fn)
}

// eachPopRows is EachPopRows with the rows in order's order (nil:
// popOrder's) unless q.ByUnit.
func (db *DB) eachPopRows(ctx context.Context, q thidua.PopQuery, order *popOrdering, fn func([]thidua.PopRow) error) error {
	if ok, err := db.tableExists(ctx, "indicator_pop"); err != nil || !ok {
		return err
	}
	if q.ByUnit && len(q.Units) == 0 {
		return fmt.Errorf("store: indicator_pop rows by unit: no units")
	}
	conds, args, none := popConds(q)
	if none {
		return nil
	}
	// Only the columns of q's fields (unit rows: no is_cluster); with no
	// period whole, only those Shape keeps, with no second query.
	cols := popCols(q.Fields, true, q.Whole != nil && len(q.Whole) == 0)
	whole, wargs := "", []any(nil)
	if len(q.Whole) > 0 {
		whole, wargs = periodsCond(q.Whole)
	}
	if q.ByUnit {
		// By each row's unit's place in q.Units (a hash join: a list
		// searched for every row took longer than the query).
		order = &popOrdering{join: "(VALUES (?, 0)" + strings.Repeat(", (?, ?)", len(q.Units)-1) + ") o(code, pos) ON q.unit_code = o.code",
			by: "o.pos"}
		for i, u := range q.Units {
			if i == 0 {
				order.args = append(order.args, u)
			} else {
				order.args = append(order.args, u, i)
			}
		}
	}
	if err := db.popRows(ctx, cols, "WHERE "+strings.Join(conds, " AND "), args, whole, wargs, order, fn); err != nil {
		return fmt.Errorf("store: indicator_pop rows: %w", err)
	}
	return nil
}

// popConds are the SQL conditions that a row is a unit row q selects (by
// its Indicators, Units and Periods), and their parameters; none: q
// selects no row.
func popConds(q thidua.PopQuery) (conds []string, args []any, none bool) {
	conds = []string{"NOT coalesce(is_cluster, false)"}
	for _, l := range []struct {
		col  string
		vals []string
	}{{"indicator_code", q.Indicators}, {"unit_code", q.Units}} {
		if l.vals == nil {
			continue
		}
		if len(l.vals) == 0 {
			return nil, nil, true
		}
		conds = append(conds, QuoteIdent(l.col)+" IN (?"+strings.Repeat(", ?", len(l.vals)-1)+")")
		for _, v := range l.vals {
			args = append(args, v)
		}
	}
	if q.Periods != nil {
		if len(q.Periods) == 0 {
			return nil, nil, true
		}
		cond, pargs := periodsCond(q.Periods)
		conds = append(conds, cond)
		args = append(args, pargs...)
	}
	return conds, args, false
}

// periodsCond is the SQL condition that a row is of one of ps (false for
// none), and its parameters.
//
// It is IN lists of one column each, which DuckDB applies in the table
// scan: only the vectors holding a selected row are decompressed. An OR of
// (period, period_type) pairs it could not push into the scan: every
// projected column of every row group scanned was decompressed, then
// filtered (at M, 700 units × 105 indicators × 205 periods, the overview's
// 205 queries of one period each decompressed the whole table that way;
// the M dashboards fell from 292 to 257 CPU-s with the lists). The lists:
// the labels and the types (a label names one period of its type,
// Period.String); and, for a few periods (maxDateLists), before them the
// periods' first and last days, which select no other row but are read
// faster where every row group is scanned (counting a period's rows at M:
// 0.028 → 0.011 CPU-s). DuckDB plans a longer list as a join, which took
// milliseconds a query to plan (4.4 ms for 35 periods at 700 units × 9
// indicators × 48 months, against 1.3 ms for the labels and types alone).
func periodsCond(ps []thidua.Period) (string, []any) {
	if len(ps) == 0 {
		return "false", nil
	}
	var args []any
	list := func(col string, vals []string, mark string) string {
		seen := make(map[string]bool, len(vals))
		var marks []string
		for _, v := range vals {
			if !seen[v] {
				seen[v] = true
				marks = append(marks, mark)
				args = append(args, v)
			}
		}
		return QuoteIdent(col) + " IN (" + strings.Join(marks, ", ") + ")"
	}
	starts, ends, labels, types := make([]string, len(ps)), make([]string, len(ps)), make([]string, len(ps)), make([]string, len(ps))
	for i, p := range ps {
		starts[i], ends[i] = p.Start().Format(time.DateOnly), p.End().Format(time.DateOnly)
		labels[i], types[i] = p.String(), string(p.Type)
	}
	var conds []string
	if len(ps) <= maxDateLists {
		conds = append(conds, list("period_start", starts, "CAST(? AS DATE)"), list("period_end", ends, "CAST(? AS DATE)"))
	}
	conds = append(conds, list("period", labels, "?"), list("period_type", types, "?"))
	return "(" + strings.Join(conds, " AND ") + ")", args
}

// maxDateLists is the most periods periodsCond selects by their first and
// last days too: DuckDB kept IN lists of up to 4 periods' days in the scan
// (planning a query of 4 periods of an indicator took as long with them as
// without), of 6 and more it planned a join.
const maxDateLists = 4

// popRowsScan reads the indicator_pop rows where selects (whole: see
// popSQL), by column name (report_columns.go), not position, with
// database/sql's Scan (popRows, without the duckdb_arrow build tag).
func (db *DB) popRowsScan(ctx context.Context, cols []popColumn, where string, args []any, whole string, wargs []any, order *popOrdering, fn func([]thidua.PopRow) error) error {
	periods := periodCache{}
	var s popScan
	dests, sel := popSelect(&s, cols)
	query, args := popSQL(cols, sel, where, args, whole, wargs, order)
	rows, err := db.sql.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	var out []thidua.PopRow
	// The texts repeat from row to row (codes, names, statuses): one copy
	// of each is kept.
	texts := map[string]string{}
	intern := func(t *string) {
		if v, ok := texts[*t]; ok {
			*t = v
		} else {
			texts[*t] = *t
		}
	}
	for rows.Next() {
		if err := rows.Scan(dests...); err != nil {
			rows.Close()
			return fmt.Errorf("indicator_pop: %w", err)
		}
		p := s.row
		for _, t := range []*string{&p.Unit, &p.UnitName, &p.Indicator, &p.IndicatorName, &p.ValueSource,
			(*string)(&p.Status), (*string)(&p.YoYTrend)} {
			intern(t)
		}
		if p.Period, err = periods.get(s.label, s.typ); err != nil {
			rows.Close()
			return fmt.Errorf("unit %s indicator %s: %w", p.Unit, p.Indicator, err)
		}
		if out == nil {
			out = make([]thidua.PopRow, 0, popBatch)
		}
		out = append(out, p)
		if len(out) == popBatch {
			if err := fn(out); err != nil {
				rows.Close()
				return err
			}
			out = nil
		}
	}
	if err := closeRows(rows); err != nil {
		return err
	}
	if len(out) > 0 {
		return fn(out)
	}
	return nil
}

// popBatch is how many rows popRowsScan passes on at a time (the Arrow
// reader passes DuckDB's record batches, of 2,048 rows).
const popBatch = 2048

// popOrder is the order of the rows popRows reads.
const popOrder = `
		ORDER BY indicator_code, period_type, period_start, is_cluster, unit_code`

func (db *DB) reportScores(ctx context.Context, r *thidua.Report) error {
	rows, err := db.sql.QueryContext(ctx, `SELECT unit_code, coalesce(unit_name, ''), period, period_type,
		CAST(points AS DOUBLE), CAST(max_points AS DOUBLE), CAST(bonus AS DOUBLE), CAST(total AS DOUBLE),
		CAST(rank AS BIGINT), CAST(prev_rank AS BIGINT), CAST(rank_change AS DOUBLE), CAST(criteria_scored AS BIGINT)
		FROM scores ORDER BY period_type, period_start, rank NULLS LAST, unit_code`)
	if err != nil {
		return err
	}
	periods := periodCache{}
	for rows.Next() {
		var s thidua.ScoreRow
		var label, typ string
		var pts, maxp, bonus, total, change sql.NullFloat64
		var rank, prev, crit sql.NullInt64
		if err := rows.Scan(&s.Unit, &s.UnitName, &label, &typ, &pts, &maxp, &bonus, &total, &rank, &prev, &change, &crit); err != nil {
			rows.Close()
			return err
		}
		if s.Period, err = periods.get(label, typ); err != nil {
			rows.Close()
			return fmt.Errorf("unit %s: %w", s.Unit, err)
		}
		s.Points, s.MaxPoints, s.Bonus, s.Total, s.RankChange = num(pts), num(maxp), num(bonus), num(total), num(change)
		s.Rank, s.PrevRank, s.CriteriaScored = int(rank.Int64), int(prev.Int64), int(crit.Int64)
		r.Scores = append(r.Scores, s)
	}
	return closeRows(rows)
}

func (db *DB) reportScorePoints(ctx context.Context, r *thidua.Report) error {
	rows, err := db.sql.QueryContext(ctx, `SELECT unit_code, period, period_type, criterion, coalesce(method, ''),
		CAST(weight AS DOUBLE), CAST(input_value AS DOUBLE), CAST(points AS DOUBLE)
		FROM score_points ORDER BY period_type, period_start, unit_code, criterion`)
	if err != nil {
		return err
	}
	periods := periodCache{}
	for rows.Next() {
		var s thidua.ScorePoint
		var label, typ string
		var w, in, pts sql.NullFloat64
		if err := rows.Scan(&s.Unit, &label, &typ, &s.Criterion, &s.Method, &w, &in, &pts); err != nil {
			rows.Close()
			return err
		}
		if s.Period, err = periods.get(label, typ); err != nil {
			rows.Close()
			return fmt.Errorf("unit %s: %w", s.Unit, err)
		}
		s.Weight, s.InputValue, s.Points = num(w), num(in), num(pts)
		r.ScorePoints = append(r.ScorePoints, s)
	}
	return closeRows(rows)
}

func (db *DB) reportQuality(ctx context.Context, r *thidua.Report) error {
	qs, err := db.readQuality(ctx)
	r.QualityFlags = qs
	return err
}

func (db *DB) reportLoads(ctx context.Context, r *thidua.Report) error {
	rows, err := db.sql.QueryContext(ctx, `SELECT load_id, name, sha256, format, rows, loaded_at,
		inserted, updated, unchanged, rejected, status FROM loads ORDER BY load_id`)
	if err != nil {
		return err
	}
	for rows.Next() {
		var l thidua.Load
		if err := rows.Scan(&l.ID, &l.File, &l.SHA256, &l.Format, &l.Rows, &l.LoadedAt,
			&l.Inserted, &l.Updated, &l.Unchanged, &l.Rejected, &l.Status); err != nil {
			rows.Close()
			return err
		}
		if strings.EqualFold(l.Format, "sample") && l.Status != "undone" {
			r.Synthetic = true
		}
		r.Loads = append(r.Loads, l)
	}
	return closeRows(rows)
}

// PopPeriodKeys returns, for each period of indicator_pop (its label, as
// Period.String writes it), the count and an order-free hash of its rows,
// every column of the units' and the cluster's: a period whose key did not
// change between two runs holds the same rows (the dashboards keep its
// files, dashboards.RenderRowsOver). A missing indicator_pop has no keys.
// The keys the transform wrote with the rows (popKeys) are read when they
// describe the table; else the table is hashed.
func (db *DB) PopPeriodKeys(ctx context.Context) (map[string]string, error) {
	keys := map[string]string{}
	if ok, err := db.tableExists(ctx, "indicator_pop"); err != nil || !ok {
		return keys, err
	}
	kept, ok, err := db.popKeys(ctx)
	if err != nil {
		return nil, err
	}
	if ok {
		for _, k := range kept {
			keys[k.period] = k.key
		}
		return keys, nil
	}
	rows, err := db.sql.QueryContext(ctx, `SELECT t.period, count(*)::VARCHAR || ':' || sum(hash(t)::HUGEINT)::VARCHAR
		FROM indicator_pop t GROUP BY 1`)
	if err != nil {
		return nil, fmt.Errorf("store: indicator_pop period keys: %w", err)
	}
	for rows.Next() {
		var p, k string
		if err := rows.Scan(&p, &k); err != nil {
			rows.Close()
			return nil, fmt.Errorf("store: indicator_pop period keys: %w", err)
		}
		keys[p] = k
	}
	return keys, closeRows(rows)
}

// popKey is a period's key of indicator_pop as the transform wrote it
// (pop_keys: transform/publish/keys_*.sql).
type popKey struct {
	period string
	year   int
	key    string
}

// popKeys reads the period keys the transform wrote beside indicator_pop
// (pop_keys, the same count and hash PopPeriodKeys computes), sorted by
// period; ok is false, and nothing is read, unless they describe the
// table as it is: written by the run that wrote transform_state's global
// fingerprint (a run of another build of the models leaves pop_keys as it
// was) and counting every row of indicator_pop.
func (db *DB) popKeys(ctx context.Context) ([]popKey, bool, error) {
	for _, t := range []string{"pop_keys", "transform_state"} {
		if ok, err := db.tableExists(ctx, t); err != nil || !ok {
			return nil, false, err
		}
	}
	rows, err := db.sql.QueryContext(ctx, `SELECT k.period, k.year, k.key FROM pop_keys k
		WHERE (SELECT count(*) FROM indicator_pop) = (SELECT coalesce(sum(n), -1) FROM pop_keys)
		  AND NOT EXISTS (SELECT 1 FROM pop_keys x
		                  WHERE x.fp IS DISTINCT FROM (SELECT any_value(fp) FROM transform_state WHERE year IS NULL))
		ORDER BY k.period`)
	if err != nil {
		return nil, false, fmt.Errorf("store: indicator_pop period keys: %w", err)
	}
	var out []popKey
	for rows.Next() {
		var k popKey
		var y sql.NullInt64
		if err := rows.Scan(&k.period, &y, &k.key); err != nil {
			rows.Close()
			return nil, false, fmt.Errorf("store: indicator_pop period keys: %w", err)
		}
		if !y.Valid {
			rows.Close()
			return nil, false, nil
		}
		k.year = int(y.Int64)
		out = append(out, k)
	}
	if err := closeRows(rows); err != nil {
		return nil, false, err
	}
	return out, len(out) > 0, nil
}
