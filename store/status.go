package store

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"time"
)

// Run statuses recorded in the runs table.
const (
	RunRunning     = "running"     // in progress, or killed before it could say otherwise
	RunOK          = "ok"          // finished, every input loaded
	RunRefused     = "refused"     // finished, some input files were refused
	RunFailed      = "failed"      // stopped by an error; nothing half-written
	RunInterrupted = "interrupted" // stopped by SIGINT or SIGTERM; nothing half-written
	RunKilled      = "killed"      // found still "running" by a later run: the process died
)

// Run is one recorded run of a command that changes the database.
type Run struct {
	ID         string
	Command    string
	PID        int
	Version    string
	StartedAt  time.Time
	FinishedAt time.Time // zero while running, or when the run was killed
	Status     string    // one of the Run* constants
	ExitCode   int
	Summary    string // the run's JSON summary, as in OUT/run.json
}

// BeginRun records r as running. Any run still marked running is marked
// killed first: the caller holds the run lock, so no other run can be in
// progress and such a row is a run whose process died.
func (db *DB) BeginRun(ctx context.Context, r Run) error {
	tx, err := db.sql.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store: begin run %s: %w", r.ID, err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `UPDATE runs SET status = ? WHERE status = ?`, RunKilled, RunRunning); err != nil {
		return fmt.Errorf("store: begin run %s: mark killed runs: %w", r.ID, err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO runs (run_id, started_at, status, command, pid, version)
		VALUES (?, ?, ?, ?, ?, ?)`, r.ID, r.StartedAt.UTC(), RunRunning, r.Command, r.PID, r.Version); err != nil {
		return fmt.Errorf("store: begin run %s: %w", r.ID, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("store: begin run %s: %w", r.ID, err)
	}
	return nil
}

// FinishRun records the end of run r: its status, exit code, finish time and
// summary.
func (db *DB) FinishRun(ctx context.Context, r Run) error {
	res, err := db.sql.ExecContext(ctx, `UPDATE runs SET finished_at = ?, status = ?, exit_code = ?, summary = ?
		WHERE run_id = ?`, r.FinishedAt.UTC(), r.Status, r.ExitCode, r.Summary, r.ID)
	if err != nil {
		return fmt.Errorf("store: finish run %s: %w", r.ID, err)
	}
	if n, err := res.RowsAffected(); err == nil && n != 1 {
		return fmt.Errorf("store: finish run %s: %d rows recorded, want 1", r.ID, n)
	}
	return nil
}

// UnitCoverage is what the database holds for one unit in one year.
type UnitCoverage struct {
	Unit     string
	UnitName string // empty for a unit code that is not in the cluster
	Year     int
	// Months is how many of the year's 12 months some reported value
	// covers: a monthly value covers its month, a quarter, half, 9-month
	// or year value covers all the months it spans. Targets cover nothing.
	Months int
	Values int // reported values (targets excluded)
}

// LastLoad is the most recent load.
type LastLoad struct {
	ID       int64
	File     string
	Rows     int
	Inserted int
	Updated  int
	LoadedAt time.Time
	Status   string
}

// Status is an overview of what the database holds.
type Status struct {
	Path         string
	Units        []string // unit codes, cluster order first, then unknown codes
	Years        []int
	Coverage     []UnitCoverage // one per unit and year, in Units × Years order
	Observations int64          // current values, targets included
	Loads        int            // loads recorded (undone ones included)
	LastLoad     *LastLoad      // nil: nothing loaded yet
	LastRun      *Run           // nil: no run recorded
}

// Status reads the overview of the database: units × years completeness,
// the last load and the last run. It only reads, so it works on a database
// opened read-only, and on one whose schema predates the runs columns.
func (db *DB) Status(ctx context.Context) (Status, error) {
	st := Status{Path: db.path}
	if err := db.sql.QueryRowContext(ctx, `SELECT count(*) FROM observations`).Scan(&st.Observations); err != nil {
		return st, fmt.Errorf("store: status: observations: %w", err)
	}
	if err := db.sql.QueryRowContext(ctx, `SELECT count(*) FROM loads`).Scan(&st.Loads); err != nil {
		return st, fmt.Errorf("store: status: loads: %w", err)
	}
	if err := db.statusCoverage(ctx, &st); err != nil {
		return st, fmt.Errorf("store: status: coverage: %w", err)
	}
	var l LastLoad
	err := db.sql.QueryRowContext(ctx, `SELECT load_id, file, rows, inserted, updated, loaded_at, status
		FROM loads ORDER BY loaded_at DESC, load_id DESC LIMIT 1`).
		Scan(&l.ID, &l.File, &l.Rows, &l.Inserted, &l.Updated, &l.LoadedAt, &l.Status)
	switch {
	case err == nil:
		st.LastLoad = &l
	case err != sql.ErrNoRows:
		return st, fmt.Errorf("store: status: last load: %w", err)
	}
	r, err := db.lastRun(ctx)
	if err != nil {
		return st, fmt.Errorf("store: status: last run: %w", err)
	}
	st.LastRun = r
	return st, nil
}

func (db *DB) statusCoverage(ctx context.Context, st *Status) error {
	names := map[string]string{}
	rows, err := db.sql.QueryContext(ctx, `SELECT code, name FROM units ORDER BY ord, code`)
	if err != nil {
		return err
	}
	for rows.Next() {
		var code, name string
		if err := rows.Scan(&code, &name); err != nil {
			rows.Close()
			return err
		}
		if _, dup := names[code]; !dup {
			st.Units = append(st.Units, code)
		}
		names[code] = name
	}
	if err := rows.Err(); err != nil {
		return err
	}
	rows.Close()

	type key struct {
		unit string
		year int
	}
	got := map[key]UnitCoverage{}
	years := map[int]bool{}
	var extra []string
	rows, err = db.sql.QueryContext(ctx, `WITH m AS (
			SELECT unit_code, year, unnest(range(first_month, last_month + 1)) AS month
			FROM observations WHERE basis <> 'target')
		SELECT m.unit_code, m.year, count(DISTINCT m.month)::INTEGER,
		       (SELECT count(*) FROM observations o WHERE o.unit_code = m.unit_code AND o.year = m.year AND o.basis <> 'target')::INTEGER
		FROM m GROUP BY m.unit_code, m.year ORDER BY m.unit_code, m.year`)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var c UnitCoverage
		if err := rows.Scan(&c.Unit, &c.Year, &c.Months, &c.Values); err != nil {
			return err
		}
		if _, known := names[c.Unit]; !known {
			names[c.Unit] = ""
			extra = append(extra, c.Unit)
		}
		got[key{c.Unit, c.Year}] = c
		years[c.Year] = true
	}
	if err := rows.Err(); err != nil {
		return err
	}
	st.Units = append(st.Units, extra...)
	for y := range years {
		st.Years = append(st.Years, y)
	}
	sort.Ints(st.Years)
	for _, u := range st.Units {
		for _, y := range st.Years {
			c, ok := got[key{u, y}]
			if !ok {
				c = UnitCoverage{Unit: u, Year: y}
			}
			c.UnitName = names[u]
			st.Coverage = append(st.Coverage, c)
		}
	}
	return nil
}

// LastRun returns the last recorded run, or nil when none is.
func (db *DB) LastRun(ctx context.Context) (*Run, error) {
	r, err := db.lastRun(ctx)
	if err != nil {
		return nil, fmt.Errorf("store: last run: %w", err)
	}
	return r, nil
}

func (db *DB) lastRun(ctx context.Context) (*Run, error) {
	var n int
	if err := db.sql.QueryRowContext(ctx, `SELECT count(*) FROM duckdb_columns()
		WHERE table_name = 'runs' AND column_name = 'exit_code' AND NOT internal`).Scan(&n); err != nil {
		return nil, err
	}
	extra := `NULL, NULL, NULL, NULL`
	if n > 0 {
		extra = `command, pid, exit_code, version`
	}
	var r Run
	var fin sql.NullTime
	var summary, command, version sql.NullString
	var pid, code sql.NullInt64
	err := db.sql.QueryRowContext(ctx, `SELECT run_id, started_at, finished_at, status, summary, `+extra+`
		FROM runs ORDER BY started_at DESC, run_id DESC LIMIT 1`).
		Scan(&r.ID, &r.StartedAt, &fin, &r.Status, &summary, &command, &pid, &code, &version)
	if err == sql.ErrNoRows {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	r.FinishedAt, r.Summary, r.Command, r.Version = fin.Time, summary.String, command.String, version.String
	r.PID, r.ExitCode = int(pid.Int64), int(code.Int64)
	return &r, nil
}

// TableRows counts the rows of the tables a run produces (loads,
// observations and those of ExportOrder), leaving out tables that do not
// exist yet.
func (db *DB) TableRows(ctx context.Context) (map[string]int64, error) {
	counts := map[string]int64{}
	for _, name := range append([]string{"loads"}, ExportOrder...) {
		if ok, err := db.tableExists(ctx, name); err != nil {
			return counts, err
		} else if !ok {
			continue
		}
		var n int64
		if err := db.sql.QueryRowContext(ctx, "SELECT count(*) FROM "+QuoteIdent(name)).Scan(&n); err != nil {
			return counts, fmt.Errorf("store: count %s: %w", name, err)
		}
		counts[name] = n
	}
	return counts, nil
}

// EngineVersion is the version of the DuckDB library, e.g. "v1.5.6".
func (db *DB) EngineVersion(ctx context.Context) (string, error) {
	var v string
	if err := db.sql.QueryRowContext(ctx, `SELECT library_version FROM pragma_version()`).Scan(&v); err != nil {
		return "", fmt.Errorf("store: engine version: %w", err)
	}
	return v, nil
}
