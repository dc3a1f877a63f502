package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"time"

	duckdb "github.com/duckdb/duckdb-go/v2"

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
	if err := stageRows(ctx, conn, b); err != nil {
		return LoadResult{}, fmt.Errorf("store: load %s: stage: %w", b.Source.Name, err)
	}
	defer conn.ExecContext(context.WithoutCancel(ctx), `DROP TABLE IF EXISTS temp.stage`)

	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return LoadResult{}, fmt.Errorf("store: load %s: %w", b.Source.Name, err)
	}
	defer tx.Rollback()
	res, err := merge(ctx, tx, b, now)
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

// stage appends the batch's facts to a temporary table on conn in bulk.
// Temporary tables live and die with the connection, so a crash here leaves
// nothing behind.
func stage(ctx context.Context, conn *sql.Conn, b thidua.Batch) error {
	if _, err := conn.ExecContext(ctx, `CREATE OR REPLACE TEMP TABLE stage (
		unit_code VARCHAR, indicator_code VARCHAR, period VARCHAR, period_type VARCHAR,
		year INTEGER, first_month INTEGER, last_month INTEGER, basis VARCHAR, value DOUBLE, source VARCHAR)`); err != nil {
		return err
	}
	return conn.Raw(func(dc any) error {
		app, err := duckdb.NewAppender(dc.(driver.Conn), "temp", "main", "stage")
		if err != nil {
			return err
		}
		for _, o := range b.Observations {
			first, last := o.Period.Months()
			if err := app.AppendRow(o.Unit, o.Indicator, o.Period.String(), string(o.Period.Type),
				int32(o.Period.Year), int32(first), int32(last), string(o.Basis), o.Value, o.Pos.String()); err != nil {
				app.Close()
				return err
			}
		}
		for _, t := range b.Targets {
			if err := app.AppendRow(t.Unit, t.Indicator, fmt.Sprintf("%04d", t.Year), string(thidua.Year),
				int32(t.Year), int32(1), int32(12), "target", t.Value, t.Pos.String()); err != nil {
				app.Close()
				return err
			}
		}
		return app.Close()
	})
}

// merge applies the staged facts inside tx and records the load.
func merge(ctx context.Context, tx *sql.Tx, b thidua.Batch, now time.Time) (LoadResult, error) {
	var id int64
	if err := tx.QueryRowContext(ctx, `SELECT nextval('load_ids')`).Scan(&id); err != nil {
		return LoadResult{}, err
	}
	// Readers give each fact once (ingest's Builder keeps the first of two
	// equal values), and most loads bring facts the database does not hold
	// yet (a new month, a new year): then the load is a plain INSERT.
	unique, fresh, err := stagedKeys(ctx, tx, b)
	if err != nil {
		return LoadResult{}, fmt.Errorf("check keys: %w", err)
	}
	if unique && fresh {
		return insertNew(ctx, tx, b, id, now)
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
			SELECT s.*, o.value AS old_value, o.load_id AS old_load_id, o.first_load_id AS old_first_load_id,
			       CASE WHEN o.value IS NULL THEN 'insert' WHEN o.value = s.value THEN 'unchanged' ELSE 'update' END AS action
			FROM temp.stage_u s LEFT JOIN observations o USING (unit_code, indicator_code, period, basis)`},
		{"audit", `INSERT INTO observation_audit
			SELECT unit_code, indicator_code, period, basis, old_value, value, old_load_id, $1, 'update', $2
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

// stagedKeys reports whether temp.stage names each fact at most once
// (unique) and whether observations holds none of its facts yet (fresh).
// Unique compares the count of rows with the count of distinct hashes of
// their keys: a hash collision can only make it false, which takes the
// general path. Fresh looks only at the batch's years, which the scan skips
// by the year column's zone maps when they are new.
func stagedKeys(ctx context.Context, tx *sql.Tx, b thidua.Batch) (unique, fresh bool, err error) {
	first, last, ok := batchYears(b)
	if !ok {
		return true, true, nil
	}
	err = tx.QueryRowContext(ctx, `SELECT
		(SELECT count(*) = count(DISTINCT hash(unit_code, indicator_code, period, basis)) FROM temp.stage),
		NOT EXISTS (SELECT 1 FROM temp.stage s JOIN (SELECT unit_code, indicator_code, period, basis FROM observations
			WHERE year BETWEEN $1 AND $2) o USING (unit_code, indicator_code, period, basis))`, first, last).Scan(&unique, &fresh)
	return unique, fresh, err
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

// insertNew loads staged facts that are all new and unique: every one is
// inserted, nothing is updated or audited.
func insertNew(ctx context.Context, tx *sql.Tx, b thidua.Batch, id int64, now time.Time) (LoadResult, error) {
	res, err := tx.ExecContext(ctx, `INSERT INTO observations
		SELECT unit_code, indicator_code, period, period_type, year, first_month, last_month, basis, value, $1, source, $1
		FROM temp.stage`, id)
	if err != nil {
		return LoadResult{}, fmt.Errorf("insert: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return LoadResult{}, fmt.Errorf("insert: %w", err)
	}
	l := thidua.Load{ID: id, File: b.Source.File, SHA256: b.Source.SHA256, Format: b.Source.Format,
		Rows: b.Rows, LoadedAt: now, Rejected: len(b.Problems), Status: "loaded", Inserted: int(n)}
	return record(ctx, tx, b, l)
}

// record writes the load and its rejected rows.
func record(ctx context.Context, tx *sql.Tx, b thidua.Batch, l thidua.Load) (LoadResult, error) {
	id, now := l.ID, l.LoadedAt
	if _, err := tx.ExecContext(ctx, `INSERT INTO loads VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		id, b.Source.File, b.Source.Name, b.Source.SHA256, b.Source.Format, b.Source.Size, b.Rows, now,
		l.Inserted, l.Updated, l.Unchanged, l.Rejected, l.Status); err != nil {
		return LoadResult{}, fmt.Errorf("record load: %w", err)
	}
	for _, p := range b.Problems {
		if _, err := tx.ExecContext(ctx, `INSERT INTO rejects VALUES (?, ?, ?, ?, ?)`,
			id, b.Source.Name, p.Pos.String(), p.Message, now); err != nil {
			return LoadResult{}, fmt.Errorf("record reject: %w", err)
		}
	}
	return LoadResult{Load: l}, nil
}

// LoadedSHA returns the load of a byte-identical file (same sha256) still
// in effect, if any: loading that file again would be a repeat and change
// nothing, so callers can skip reading it.
func (db *DB) LoadedSHA(ctx context.Context, sha string) (thidua.Load, bool, error) {
	return db.loadBySHA(ctx, db.sql, sha)
}
