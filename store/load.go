package store

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/thidua/thidua"
)

// LoadResult says what a load did.
type LoadResult struct {
	Load thidua.Load
	// Repeat is true when a byte-identical file was loaded before; nothing
	// was changed and Load is that earlier load.
	Repeat bool
}

// ErrRefused is returned by Load for a batch with problems when partial
// loading was not asked for.
var ErrRefused = fmt.Errorf("file refused")

// FormatSample is the format of the built-in synthetic sample's loads.
const FormatSample = "sample"

// ErrSampleRefused is returned by LoadBatch for a batch of the built-in
// synthetic sample when the database holds a real load (any load of
// another format, loaded or undone): synthetic values must never mix with,
// or "correct", real reports.
var ErrSampleRefused = errors.New("the built-in synthetic sample is never loaded into a database that holds real loads")

// HasRealLoads reports whether the database holds any load that is not of
// the built-in sample, loaded or undone.
func (db *DB) HasRealLoads(ctx context.Context) (bool, error) {
	return hasRealLoads(ctx, db.sql)
}

func hasRealLoads(ctx context.Context, q queryer) (bool, error) {
	var real bool
	if err := q.QueryRowContext(ctx, `SELECT count(*) > 0 FROM loads WHERE format <> $1`, FormatSample).Scan(&real); err != nil {
		return false, fmt.Errorf("store: look for real loads: %w", err)
	}
	return real, nil
}

// LoadOptions tune Load.
type LoadOptions struct {
	// Partial loads the good rows of a batch that has problems and records
	// the problems in the rejects table. Without it such a batch is refused.
	Partial bool
	Now     time.Time // load time; zero means the clock
}

// LoadBatch loads one batch (one source file) in a single transaction: either
// every value of it is visible afterwards or none is. A source whose sha256
// was loaded before is a repeat and changes nothing. Values that differ from
// the ones held are corrections: the new value wins and the old one goes to
// observation_audit.
func (db *DB) LoadBatch(ctx context.Context, b thidua.Batch, opts LoadOptions) (LoadResult, error) {
	if len(b.Problems) > 0 && !opts.Partial {
		return LoadResult{}, fmt.Errorf("store: %s: %w: %d problems", b.Source.Name, ErrRefused, len(b.Problems))
	}
	now := opts.Now
	if now.IsZero() {
		now = time.Now()
	}
	now = now.UTC().Truncate(time.Microsecond)
	db.loadMu.Lock()
	defer db.loadMu.Unlock()
	conn, err := db.sql.Conn(ctx)
	if err != nil {
		return LoadResult{}, fmt.Errorf("store: load %s: %w", b.Source.Name, err)
	}
	defer conn.Close()

	if prev, ok, err := db.loadBySHA(ctx, conn, b.Source.SHA256); err != nil {
		return LoadResult{}, err
	} else if ok {
		return LoadResult{Load: prev, Repeat: true}, nil
	}
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return LoadResult{}, fmt.Errorf("store: load %s: %w", b.Source.Name, err)
	}
	defer tx.Rollback()
	if b.Source.Format == FormatSample {
		// Checked inside the transaction: no real load can slip in
		// between the check and the sample's rows.
		real, err := hasRealLoads(ctx, tx)
		if err != nil {
			return LoadResult{}, err
		}
		if real {
			return LoadResult{}, fmt.Errorf("store: %s: %w", b.Source.Name, ErrSampleRefused)
		}
	}
	res, err := load(ctx, conn, tx, b, now)
	if err != nil {
		return LoadResult{}, fmt.Errorf("store: load %s: %w", b.Source.Name, err)
	}
	if err := tx.Commit(); err != nil {
		return LoadResult{}, fmt.Errorf("store: load %s: commit: %w", b.Source.Name, err)
	}
	return res, nil
}

type queryer interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

func (db *DB) loadBySHA(ctx context.Context, q queryer, sha string) (thidua.Load, bool, error) {
	var l thidua.Load
	err := q.QueryRowContext(ctx, `SELECT load_id, file, sha256, format, rows, loaded_at, inserted, updated, unchanged, rejected, status
		FROM loads WHERE sha256 = ? AND status = 'loaded' ORDER BY load_id DESC LIMIT 1`, sha).
		Scan(&l.ID, &l.File, &l.SHA256, &l.Format, &l.Rows, &l.LoadedAt, &l.Inserted, &l.Updated, &l.Unchanged, &l.Rejected, &l.Status)
	if err == sql.ErrNoRows {
		return l, false, nil
	}
	if err != nil {
		return l, false, fmt.Errorf("store: look up load by sha256: %w", err)
	}
	return l, true, nil
}

// stageTableSQL creates temp.stage, which both ways of staging fill (the
// Appender's stage and, with the duckdb_arrow tag, Arrow's stageRows).
const stageTableSQL = `CREATE OR REPLACE TEMP TABLE stage (
	unit_code VARCHAR, indicator_code VARCHAR, period VARCHAR, period_type VARCHAR,
	year INTEGER, first_month INTEGER, last_month INTEGER, basis VARCHAR, value DOUBLE, source VARCHAR)`

// load applies the batch inside tx, open on conn, and records the load.
//
// Most loads bring facts the database does not hold yet (a new month, a
// new year), each once (ingest's Builder keeps the first of two equal
// values): when observations holds nothing for the batch's periods, the
// facts go straight into observations; if they turn out to name a fact
// twice, they are taken out again and the batch takes the general path:
// staged in a temporary table and merged (deduplicated, compared with the
// values held, corrections audited).
func load(ctx context.Context, conn *sql.Conn, tx *sql.Tx, b thidua.Batch, now time.Time) (LoadResult, error) {
	// The id is drawn inside the transaction, not from a sequence: a
	// sequence value is spent even when the load rolls back (a killed or
	// stopped run), and the rerun's ids, which end up in the Parquet
	// export, would differ from an uninterrupted run's.
	var id int64
	if err := tx.QueryRowContext(ctx, `SELECT coalesce(max(load_id), 0) + 1 FROM loads`).Scan(&id); err != nil {
		return LoadResult{}, fmt.Errorf("draw load id: %w", err)
	}
	fresh, err := newPeriods(ctx, tx, b)
	if err != nil {
		return LoadResult{}, fmt.Errorf("check periods: %w", err)
	}
	if fresh {
		if err := insertRows(ctx, conn, b, id); err != nil {
			return LoadResult{}, fmt.Errorf("insert: %w", err)
		}
		// insertRows inserts every fact; when their keys come in order
		// they are distinct, else DuckDB counts them.
		n, unique := len(b.Observations)+len(b.Targets), keysInOrder(b)
		if !unique {
			if err := tx.QueryRowContext(ctx, `SELECT count(*), count(*) = count(DISTINCT hash(unit_code, indicator_code, period, basis))
				FROM observations WHERE load_id = $1`, id).Scan(&n, &unique); err != nil {
				return LoadResult{}, fmt.Errorf("check keys: %w", err)
			}
		}
		if unique {
			l := thidua.Load{ID: id, File: b.Source.File, SHA256: b.Source.SHA256, Format: b.Source.Format,
				Rows: b.Rows, LoadedAt: now, Rejected: len(b.Problems), Status: "loaded", Inserted: n}
			return record(ctx, tx, b, l)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM observations WHERE load_id = $1`, id); err != nil {
			return LoadResult{}, fmt.Errorf("take back: %w", err)
		}
	}
	if err := stageRows(ctx, conn, b); err != nil {
		return LoadResult{}, fmt.Errorf("stage: %w", err)
	}
	defer conn.ExecContext(context.WithoutCancel(ctx), `DROP TABLE IF EXISTS temp.stage`)
	return merge(ctx, tx, b, id, now)
}

// merge applies the staged facts inside tx and records the load.
func merge(ctx context.Context, tx *sql.Tx, b thidua.Batch, id int64, now time.Time) (LoadResult, error) {
	// Readers give each fact once; skip the dedupe then. The count of
	// distinct hashes of the keys can only be short of the rows' count
	// when a fact is staged twice or on a hash collision, which dedupes.
	var unique bool
	if err := tx.QueryRowContext(ctx, `SELECT count(*) = count(DISTINCT hash(unit_code, indicator_code, period, basis))
		FROM temp.stage`).Scan(&unique); err != nil {
		return LoadResult{}, fmt.Errorf("check keys: %w", err)
	}
	// A file that names the same fact twice with the same value is fine;
	// with different values it was refused by the reader.
	dedupe := `CREATE OR REPLACE TEMP TABLE stage_u AS
			SELECT unit_code, indicator_code, period, any_value(period_type) AS period_type, any_value(year) AS year,
			       any_value(first_month) AS first_month, any_value(last_month) AS last_month, basis,
			       any_value(value) AS value, min(source) AS source
			FROM temp.stage GROUP BY unit_code, indicator_code, period, basis`
	if unique {
		dedupe = `CREATE OR REPLACE TEMP VIEW stage_u AS SELECT * FROM temp.stage`
	}
	steps := []struct{ name, q string }{
		{"dedupe", dedupe},
		{"diff", `CREATE OR REPLACE TEMP TABLE stage_d AS
			SELECT s.*, o.value AS old_value, o.load_id AS old_load_id, o.first_load_id AS old_first_load_id, o.source AS old_source,
			       CASE WHEN o.value IS NULL THEN 'insert' WHEN o.value = s.value THEN 'unchanged' ELSE 'update' END AS action
			FROM temp.stage_u s LEFT JOIN observations o USING (unit_code, indicator_code, period, basis)`},
		{"audit", `INSERT INTO observation_audit (unit_code, indicator_code, period, basis, old_value, new_value,
				old_load_id, new_load_id, action, changed_at, old_source)
			SELECT unit_code, indicator_code, period, basis, old_value, value, old_load_id, $1, 'update', $2, old_source
			FROM temp.stage_d WHERE action = 'update'`},
		{"remove replaced", `DELETE FROM observations o USING temp.stage_d d
			WHERE d.action = 'update' AND o.unit_code = d.unit_code AND o.indicator_code = d.indicator_code
			  AND o.period = d.period AND o.basis = d.basis`},
		{"insert", `INSERT INTO observations
			SELECT unit_code, indicator_code, period, period_type, year, first_month, last_month, basis, value, $1, source,
			       coalesce(old_first_load_id, $1)
			FROM temp.stage_d WHERE action IN ('insert', 'update')`},
	}
	for _, s := range steps {
		var args []any
		switch s.name {
		case "audit":
			args = []any{id, now}
		case "insert":
			args = []any{id}
		}
		if _, err := tx.ExecContext(ctx, s.q, args...); err != nil {
			return LoadResult{}, fmt.Errorf("%s: %w", s.name, err)
		}
	}
	l := thidua.Load{ID: id, File: b.Source.File, SHA256: b.Source.SHA256, Format: b.Source.Format,
		Rows: b.Rows, LoadedAt: now, Rejected: len(b.Problems), Status: "loaded"}
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FILTER (action = 'insert'), count(*) FILTER (action = 'update'),
		count(*) FILTER (action = 'unchanged') FROM temp.stage_d`).Scan(&l.Inserted, &l.Updated, &l.Unchanged); err != nil {
		return LoadResult{}, fmt.Errorf("count: %w", err)
	}
	drop := "DROP TABLE IF EXISTS temp.stage_u"
	if unique {
		drop = "DROP VIEW IF EXISTS temp.stage_u"
	}
	if _, err := tx.ExecContext(ctx, drop); err != nil {
		return LoadResult{}, err
	}
	if _, err := tx.ExecContext(ctx, "DROP TABLE IF EXISTS temp.stage_d"); err != nil {
		return LoadResult{}, err
	}
	return record(ctx, tx, b, l)
}

// newPeriods reports whether observations holds no fact of any of the
// batch's periods (with its basis): then none of the batch's facts exists
// yet. The scan is bounded by the batch's years, which the year column's
// zone maps skip cheaply when they are new.
func newPeriods(ctx context.Context, tx *sql.Tx, b thidua.Batch) (bool, error) {
	first, last, ok := batchYears(b)
	if !ok {
		return true, nil
	}
	// The distinct periods (with basis) in order: files hold runs of rows
	// of one period, or few periods.
	type key struct {
		p     thidua.Period
		basis thidua.Basis
	}
	seen := map[key]bool{}
	args := []any{first, last}
	var values []string
	add := func(k key, period string) {
		seen[k] = true
		args = append(args, period, string(k.basis))
		values = append(values, fmt.Sprintf("($%d, $%d)", len(args)-1, len(args)))
	}
	var prev key
	for i := range b.Observations {
		o := &b.Observations[i]
		k := key{o.Period, o.Basis}
		if i > 0 && k == prev {
			continue
		}
		prev = k
		if !seen[k] {
			add(k, o.Period.String())
		}
	}
	for _, t := range b.Targets {
		if k := (key{thidua.Period{Type: thidua.Year, Year: t.Year}, "target"}); !seen[k] {
			add(k, fmt.Sprintf("%04d", t.Year))
		}
	}
	var exists bool
	err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM observations o
		JOIN (VALUES `+strings.Join(values, ", ")+`) v(period, basis) ON o.period = v.period AND o.basis = v.basis
		WHERE o.year BETWEEN $1 AND $2)`, args...).Scan(&exists)
	return !exists, err
}

// keysInOrder reports whether the batch's facts come in strictly
// increasing order of their keys as stored (unit, indicator, period,
// basis), grouped by unit (unit, indicator, period, basis) or by period
// (period, unit, indicator, basis), with units and indicators compared by
// their first appearance in the batch or by their codes, and periods by
// year, type and number (cmpPeriod): then no two facts share a key.
// Observations and targets are followed apart; targets are stored with
// basis "target", so an observation with that basis makes the answer false
// (the facts are then counted by DuckDB).
func keysInOrder(b thidua.Batch) bool {
	obs, tgt := keySeq{ids: map[string]int{}}, keySeq{ids: map[string]int{}}
	for i := range b.Observations {
		o := &b.Observations[i]
		if o.Basis == "target" || !obs.next(o.Unit, o.Indicator, o.Period, string(o.Basis)) {
			return false
		}
	}
	for i := range b.Targets {
		t := &b.Targets[i]
		if !tgt.next(t.Unit, t.Indicator, thidua.Period{Type: thidua.Year, Year: t.Year}, "target") {
			return false
		}
	}
	return true
}

// cmpPeriod orders periods by year, type and number, so that two periods
// compare equal exactly when they are stored as the same text (Period.String
// leaves out the number of a year and of nine months).
func cmpPeriod(a, b thidua.Period) int {
	n := func(p thidua.Period) int {
		if p.Type == thidua.Year || p.Type == thidua.YTD9 {
			return 0
		}
		return p.N
	}
	return cmp.Or(cmp.Compare(a.Year, b.Year), strings.Compare(string(a.Type), string(b.Type)), cmp.Compare(n(a), n(b)))
}

// keySeq follows the order of a sequence of keys for keysInOrder.
type keySeq struct {
	ids  map[string]int
	last [2]struct {
		s  string
		id int
	}
	prev   [3]string // unit, indicator, basis
	prevP  thidua.Period
	prevID [2]int
	any    bool
	in     [4]bool // by unit or by period, with first appearances or codes
}

// id numbers units (part 0) and indicators (part 1) by first appearance.
func (s *keySeq) id(part int, t string) int {
	if l := &s.last[part]; l.id != 0 && l.s == t {
		return l.id
	}
	id, ok := s.ids[t]
	if !ok {
		id = len(s.ids) + 1
		s.ids[t] = id
	}
	s.last[part].s, s.last[part].id = t, id
	return id
}

// next reports whether the key still keeps one of the orders.
func (s *keySeq) next(unit, ind string, period thidua.Period, basis string) bool {
	id := [2]int{s.id(0, unit), s.id(1, ind)}
	if !s.any {
		s.in = [4]bool{true, true, true, true}
	} else {
		p, pid := s.prev, s.prevID
		ut, it := strings.Compare(p[0], unit), strings.Compare(p[1], ind)
		ua, ia := cmp.Compare(pid[0], id[0]), cmp.Compare(pid[1], id[1])
		per, bas := cmpPeriod(s.prevP, period), strings.Compare(p[2], basis)
		s.in[0] = s.in[0] && cmp.Or(ut, it, per, bas) < 0
		s.in[1] = s.in[1] && cmp.Or(ua, ia, per, bas) < 0
		s.in[2] = s.in[2] && cmp.Or(per, ut, it, bas) < 0
		s.in[3] = s.in[3] && cmp.Or(per, ua, ia, bas) < 0
	}
	s.any, s.prev, s.prevP, s.prevID = true, [3]string{unit, ind, basis}, period, id
	return s.in != [4]bool{}
}

// batchYears returns the first and last year of the batch's facts; ok is
// false for a batch without any.
func batchYears(b thidua.Batch) (first, last int, ok bool) {
	see := func(y int) {
		if !ok || y < first {
			first = y
		}
		if !ok || y > last {
			last = y
		}
		ok = true
	}
	for i := range b.Observations {
		see(b.Observations[i].Period.Year)
	}
	for i := range b.Targets {
		see(b.Targets[i].Year)
	}
	return first, last, ok
}

// rejectsPerInsert is the number of rejected rows record inserts with one
// statement.
const rejectsPerInsert = 256

// record writes the load and its rejected rows, in the batch's order.
func record(ctx context.Context, tx *sql.Tx, b thidua.Batch, l thidua.Load) (LoadResult, error) {
	id, now := l.ID, l.LoadedAt
	if _, err := tx.ExecContext(ctx, `INSERT INTO loads (load_id, file, name, sha256, format, size, rows, loaded_at,
		inserted, updated, unchanged, rejected, status) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		id, b.Source.File, b.Source.Name, b.Source.SHA256, b.Source.Format, b.Source.Size, b.Rows, now,
		l.Inserted, l.Updated, l.Unchanged, l.Rejected, l.Status); err != nil {
		return LoadResult{}, fmt.Errorf("record load: %w", err)
	}
	// The rejected rows go in statements of rejectsPerInsert rows: one
	// statement per row cost about a millisecond each.
	for probs := b.Problems; len(probs) > 0; {
		n := min(len(probs), rejectsPerInsert)
		rows := make([]string, n)
		args := make([]any, 0, 5*n)
		for i, p := range probs[:n] {
			rows[i] = "(?, ?, ?, ?, ?)"
			args = append(args, id, b.Source.Name, p.Pos.String(), p.Reason(), now)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO rejects VALUES `+strings.Join(rows, ", "), args...); err != nil {
			return LoadResult{}, fmt.Errorf("record reject: %w", err)
		}
		probs = probs[n:]
	}
	return LoadResult{Load: l}, nil
}

// LoadedSHA returns the load of a byte-identical file (same sha256) still
// in effect, if any: loading that file again would be a repeat and change
// nothing, so callers can skip reading it.
func (db *DB) LoadedSHA(ctx context.Context, sha string) (thidua.Load, bool, error) {
	return db.loadBySHA(ctx, db.sql, sha)
}

// LoadedSize reports whether a load still in effect may be of a file of
// size bytes (its recorded size, or none recorded): a file of another size
// cannot be byte-identical to any, so callers need not hash it to ask
// LoadedSHA.
func (db *DB) LoadedSize(ctx context.Context, size int64) (bool, error) {
	var maybe bool
	if err := db.sql.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM loads WHERE status = 'loaded' AND (size = $1 OR size IS NULL))`,
		size).Scan(&maybe); err != nil {
		return false, fmt.Errorf("store: look up loads by size: %w", err)
	}
	return maybe, nil
}
