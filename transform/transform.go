package transform

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"embed"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"path"
	"sort"
	"strings"
	"time"

	"github.com/thidua/thidua"
)

//go:embed models/*.sql scope/*.sql publish/*.sql
var modelFS embed.FS

// DefaultClosePct is the achievement (% of target, direction-aware) from
// which a unit short of its target is "close" rather than "behind".
const DefaultClosePct = 90

// Options tune a run.
type Options struct {
	// Now is the time of the run: months that have not ended by then are
	// not expected in the completeness check. Zero means the clock.
	Now time.Time
	// Quality tunes the data-quality checks; the zero value means
	// thidua.DefaultQualityConfig.
	Quality thidua.QualityConfig
	// ClosePct is the achievement from which a row short of its target has
	// status close instead of behind (0 < ClosePct < 100). Zero means
	// DefaultClosePct.
	ClosePct float64
	// Rules are validation rules such as "ntm_communes <= communes"; see
	// thidua.ParseRule.
	Rules []string
	// Log receives each step's duration at debug level; nil means
	// slog.Default().
	Log *slog.Logger
	// Full rebuilds every year even when the last run's fingerprints say
	// only some years' inputs changed.
	Full bool
	// MemoryLimit is DuckDB's memory_limit in bytes (0: not known): the
	// publish step sorts and writes indicator_pop in batches sized from it
	// (popBatch).
	MemoryLimit int64
}

// Result says what a run rebuilt.
type Result struct {
	// Full: every year was rebuilt and the output tables replaced whole;
	// Reason says why.
	Full   bool
	Reason string
	// Changed are the years whose inputs changed since the last run (all of
	// them on a full rebuild); Years the years recomputed: Changed and the
	// year after each (its previous-period and last-year figures read the
	// year before).
	Changed []int
	Years   []int
	// Rejudged counts the month values of years not recomputed whose value
	// checks were made again because the same month of another year
	// changed (their reference).
	Rejudged int
}

// Reasons for a full rebuild.
const (
	ReasonRequested = "requested (--full)"
	ReasonFirst     = "no earlier run to build on"
	ReasonConfig    = "the configuration, the options or the models changed"
	ReasonReference = "a month's reference moved from other years to its own year"
)

// errNeedsFull aborts an incremental run that found it cannot be exact.
var errNeedsFull = errors.New("an incremental run cannot be exact here")

// StepError reports the model (or built-in step) that failed.
type StepError struct {
	Step string // model file name without .sql, or a built-in step name
	Err  error
}

func (e *StepError) Error() string { return "transform: step " + e.Step + ": " + e.Err.Error() }

func (e *StepError) Unwrap() error { return e.Err }

// Step is one model: its name and SQL.
type Step struct {
	Name string
	SQL  string
}

// Steps returns the embedded models in the order Run executes them.
func Steps() []Step {
	names, err := fs.Glob(modelFS, "models/*.sql")
	if err != nil {
		panic(err) // the pattern is constant
	}
	sort.Strings(names)
	steps := make([]Step, 0, len(names))
	for _, n := range names {
		body, err := modelFS.ReadFile(n)
		if err != nil {
			panic(err)
		}
		steps = append(steps, Step{Name: strings.TrimSuffix(path.Base(n), ".sql"), SQL: string(body)})
	}
	return steps
}

// Run rebuilds indicator_pop, scores, score_points and quality from the
// current facts, all or nothing; see Rebuild.
func Run(ctx context.Context, db *sql.DB, opts Options) error {
	_, err := Rebuild(ctx, db, opts)
	return err
}

// Rebuild brings indicator_pop, scores, score_points and quality up to date
// with the current facts, all or nothing, and says what it rebuilt. It
// recomputes only the years whose inputs changed since the last run (facts,
// targets, corrections and undos, bonus points, the months ended by
// opts.Now: scope/010_fingerprint.sql) and the year after each; any change
// of the configuration, the options or the models, opts.Full, or a first
// run rebuilds every year. Both give the same tables (a test compares them).
func Rebuild(ctx context.Context, db *sql.DB, opts Options) (Result, error) {
	reason := ""
	if opts.Full {
		reason = ReasonRequested
	}
	res, err := rebuild(ctx, db, opts, reason)
	if errors.Is(err, errNeedsFull) {
		return rebuild(ctx, db, opts, ReasonReference)
	}
	return res, err
}

// rebuild runs once; fullReason non-empty forces a full rebuild.
func rebuild(ctx context.Context, db *sql.DB, opts Options, fullReason string) (res Result, err error) {
	if opts.Now.IsZero() {
		opts.Now = time.Now()
	}
	q, err := opts.Quality.WithDefaults()
	if err != nil {
		return res, fmt.Errorf("transform: %w", err)
	}
	opts.Quality = q
	if opts.ClosePct == 0 {
		opts.ClosePct = DefaultClosePct
	}
	if !(opts.ClosePct > 0 && opts.ClosePct < 100) {
		return res, fmt.Errorf("transform: close threshold %v: want a %% of target between 0 and 100", opts.ClosePct)
	}
	conn, err := db.Conn(ctx)
	if err != nil {
		return res, fmt.Errorf("transform: %w", err)
	}
	defer conn.Close()
	// The models make only temporary tables, views and macros (of this
	// connection), each statement committed on its own: a table a model
	// drops gives its memory back at once, where inside one transaction
	// DuckDB keeps every table made until the commit (at 700 units × 9
	// indicators × 4 years ≈ 300 MB more at the end). The output tables are
	// written in one transaction (publish), so readers see the old tables or
	// the new ones, all or nothing; a run that fails drops what it made.
	defer func() {
		if err != nil {
			dropTemp(context.WithoutCancel(ctx), conn)
		}
	}()
	if err := checkInputs(ctx, conn); err != nil {
		return res, &StepError{"inputs", err}
	}
	rules, err := checkRules(ctx, conn, opts.Rules)
	if err != nil {
		return res, err
	}
	if err := params(ctx, conn, opts, rules); err != nil {
		return res, &StepError{"params", err}
	}
	log := opts.Log
	if log == nil {
		log = slog.Default()
	}
	exec := func(q querier, name, file string) error {
		body, err := modelFS.ReadFile(file)
		if err != nil {
			return &StepError{name, err}
		}
		start := time.Now()
		if _, err := q.ExecContext(ctx, string(body)); err != nil {
			return &StepError{name, err}
		}
		log.Debug("transform step", "step", name, "took", time.Since(start).Round(time.Millisecond))
		return nil
	}
	if err := exec(conn, "scope", "scope/010_fingerprint.sql"); err != nil {
		return res, err
	}
	res, err = scope(ctx, conn, fullReason)
	if err != nil {
		return res, &StepError{"scope", err}
	}
	if len(res.Years) == 0 && !res.Full {
		// Nothing changed since the last run: the tables are up to date.
		if err := dropTemp(ctx, conn); err != nil {
			return res, &StepError{"cleanup", err}
		}
		return res, nil
	}
	mode := "incremental"
	if res.Full {
		mode = "full"
	}
	if err := exec(conn, "context", "scope/context_"+mode+".sql"); err != nil {
		return res, err
	}
	for _, s := range Steps() {
		start := time.Now()
		if _, err := conn.ExecContext(ctx, s.SQL); err != nil {
			return res, &StepError{s.Name, err}
		}
		log.Debug("transform step", "step", s.Name, "took", time.Since(start).Round(time.Millisecond))
	}
	if !res.Full {
		var n int
		if err := conn.QueryRowContext(ctx, `SELECT n FROM tf_qfull`).Scan(&n); err != nil {
			return res, &StepError{"100_quality", err}
		}
		if n > 0 {
			return res, errNeedsFull
		}
		if err := conn.QueryRowContext(ctx, `SELECT count(*) FROM tf_qredo`).Scan(&res.Rejudged); err != nil {
			return res, &StepError{"100_quality", err}
		}
	}
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return res, &StepError{"publish", fmt.Errorf("begin: %w", err)}
	}
	publish := func() error {
		if err := exec(tx, "publish", "publish/"+mode+".sql"); err != nil {
			return err
		}
		start := time.Now()
		batches, err := publishPop(ctx, tx, opts.MemoryLimit)
		if err != nil {
			return &StepError{"publish", err}
		}
		log.Debug("transform step", "step", "publish_pop", "batches", batches, "took", time.Since(start).Round(time.Millisecond))
		if err := exec(tx, "keys", "publish/keys_"+mode+".sql"); err != nil {
			return err
		}
		if err := exec(tx, "state", "publish/state.sql"); err != nil {
			return err
		}
		start = time.Now()
		if err := dropTemp(ctx, tx); err != nil {
			return &StepError{"cleanup", err}
		}
		log.Debug("transform step", "step", "cleanup", "took", time.Since(start).Round(time.Millisecond))
		start = time.Now()
		if err := tx.Commit(); err != nil {
			return &StepError{"commit", err}
		}
		log.Debug("transform step", "step", "commit", "took", time.Since(start).Round(time.Millisecond))
		return nil
	}
	if err := publish(); err != nil {
		tx.Rollback()
		return res, err
	}
	return res, nil
}

// querier is what the steps run statements on: the run's connection, or
// the publish step's transaction.
type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// popBatchRows is the least bound on the rows of indicator_pop one
// statement of publishPop sorts and writes; popRowBytes the memory_limit
// that allows one more row above it.
const (
	popBatchRows = 250_000
	popRowBytes  = 2000
)

// popBatch bounds the rows one statement of publishPop sorts and writes,
// for a memory_limit of limit bytes (0: not known): popBatchRows (what
// 700 units × 9 indicators × 4 years runs at, memory_limit auto ≈ 160–230
// MB, under 300 MB), or a row per popRowBytes of the limit if more. Each
// statement scans the whole of tf_pop, whose rows are in no useful order
// (every vector of it holds rows of every indicator, so no part of it is
// skipped): at 700 units × 100 indicators × 10 years (14.7 M rows) at
// memory_limit 4GB, where tf_pop is partly on disk, batches of
// popBatchRows made 105 statements, 196 of the transform's 355 CPU-s (963
// s wall at load ≈ 15); at 2,000,000 rows they are 8.
func popBatch(limit int64) int64 { return max(popMinRows, limit/popRowBytes) }

// popMinRows is popBatchRows, but for a test that writes every indicator
// in a statement of its own.
var popMinRows int64 = popBatchRows

// publishPop inserts the rows of indicator_pop in batches of whole
// indicators in the order of their codes, each of at most popBatch(limit)
// rows (an indicator with more is a batch of its own), each sorted as tf_out_pop
// says (publish/pop.sql): the table is stored in its Parquet export's order
// (store.ExportQueries), which the export then copies without sorting, and
// a sort holds a batch's rows, not the whole table's. (One statement per
// indicator paid each statement's scan of tf_pop and fixed cost: at 150
// units × 30 indicators × 5 years, 2.4× the CPU of one statement; one
// statement for every row raised the transform's peak RSS at 700 units × 9
// indicators × 4 years by ≈ 25 MB.)
func publishPop(ctx context.Context, tx querier, limit int64) (int, error) {
	body, err := modelFS.ReadFile("publish/pop.sql")
	if err != nil {
		return 0, err
	}
	rows, err := tx.QueryContext(ctx, `SELECT indicator_code, count(*) FROM tf_pop GROUP BY indicator_code ORDER BY indicator_code`)
	if err != nil {
		return 0, err
	}
	type batch struct {
		first, last string
		n           int64
	}
	var batches []batch
	size := popBatch(limit)
	for rows.Next() {
		var code string
		var n int64
		if err := rows.Scan(&code, &n); err != nil {
			rows.Close()
			return 0, err
		}
		if k := len(batches) - 1; k >= 0 && batches[k].n+n <= size {
			batches[k].last, batches[k].n = code, batches[k].n+n
		} else {
			batches = append(batches, batch{code, code, n})
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, err
	}
	for _, b := range batches {
		if _, err := tx.ExecContext(ctx, string(body), b.first, b.last); err != nil {
			return 0, fmt.Errorf("indicators %s to %s: %w", b.first, b.last, err)
		}
	}
	return len(batches), nil
}

// outputTables are the tables a run writes, with the state it keeps.
var outputTables = []string{"indicator_pop", "scores", "score_points", "quality", "transform_state"}

// scope decides what the run recomputes: it compares the fingerprints
// scope/010_fingerprint.sql computed with those the last run kept, and
// fills tf_years (the years to recompute) and tf_ctx (the kept years just
// before them, which the models read rows of).
func scope(ctx context.Context, tx querier, fullReason string) (Result, error) {
	res := Result{Full: fullReason != "", Reason: fullReason}
	if !res.Full {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM duckdb_tables()
			WHERE database_name = current_database() AND schema_name = 'main' AND NOT temporary
			AND table_name IN (?, ?, ?, ?, ?)`,
			outputTables[0], outputTables[1], outputTables[2], outputTables[3], outputTables[4]).Scan(&n); err != nil {
			return res, err
		}
		if n < len(outputTables) {
			res.Full, res.Reason = true, ReasonFirst
		}
	}
	if !res.Full {
		var same bool
		if err := tx.QueryRowContext(ctx, `SELECT coalesce((SELECT fp FROM tf_gfp) = (SELECT any_value(fp) FROM transform_state WHERE year IS NULL), false)`).Scan(&same); err != nil {
			return res, err
		}
		if !same {
			res.Full, res.Reason = true, ReasonConfig
		}
	}
	var err error
	if res.Full {
		res.Changed, err = queryColumn[int](ctx, tx, `SELECT year FROM tf_yfp ORDER BY year`)
		res.Years = res.Changed
	} else {
		res.Changed, err = queryColumn[int](ctx, tx, `SELECT coalesce(n.year, o.year) AS year
			FROM tf_yfp n FULL JOIN (SELECT year, fp FROM transform_state WHERE year IS NOT NULL) o ON o.year = n.year
			WHERE n.fp IS DISTINCT FROM o.fp ORDER BY 1`)
		res.Years = withNext(res.Changed)
	}
	if err != nil {
		return res, err
	}
	recomputed := map[int]bool{}
	for _, y := range res.Years {
		recomputed[y] = true
	}
	var before []int
	if !res.Full {
		for _, y := range res.Years {
			if !recomputed[y-1] {
				before = append(before, y-1)
			}
		}
	}
	for _, t := range []struct {
		name  string
		years []int
	}{{"tf_years", res.Years}, {"tf_ctx", before}} {
		if _, err := tx.ExecContext(ctx, `CREATE TEMP TABLE `+QuoteIdent(t.name)+` (year INTEGER NOT NULL)`); err != nil {
			return res, err
		}
		if len(t.years) > 0 {
			args := make([]any, len(t.years))
			for i, y := range t.years {
				args[i] = y
			}
			q := `INSERT INTO ` + QuoteIdent(t.name) + ` VALUES ` + strings.TrimSuffix(strings.Repeat("(?), ", len(args)), ", ")
			if _, err := tx.ExecContext(ctx, q, args...); err != nil {
				return res, err
			}
		}
	}
	return res, nil
}

// withNext returns the sorted years and the year after each, once.
func withNext(years []int) []int {
	set := map[int]bool{}
	for _, y := range years {
		set[y], set[y+1] = true, true
	}
	out := make([]int, 0, len(set))
	for y := range set {
		out = append(out, y)
	}
	sort.Ints(out)
	return out
}

// queryColumn runs q and returns its one column's values.
func queryColumn[T any](ctx context.Context, tx querier, q string) ([]T, error) {
	rows, err := tx.QueryContext(ctx, q)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		var v T
		if err := rows.Scan(&v); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// runKey fingerprints what the models are and the options that are not in
// the database: a change of either makes the next run a full rebuild.
func runKey(opts Options) (string, error) {
	h := sha256.New()
	err := fs.WalkDir(modelFS, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		body, err := modelFS.ReadFile(p)
		if err != nil {
			return err
		}
		fmt.Fprintf(h, "%s %d\n", p, len(body))
		h.Write(body)
		return nil
	})
	if err != nil {
		return "", err
	}
	o, err := json.Marshal(struct {
		Quality  thidua.QualityConfig
		ClosePct float64
		Rules    []string
	}{opts.Quality, opts.ClosePct, opts.Rules})
	if err != nil {
		return "", err
	}
	h.Write(o)
	return hex.EncodeToString(h.Sum(nil)), nil
}

// checkInputs refuses to run on a database whose cluster was never synced.
func checkInputs(ctx context.Context, tx querier) error {
	var clusters, units int
	if err := tx.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM cluster), (SELECT count(*) FROM units)`).Scan(&clusters, &units); err != nil {
		return err
	}
	if clusters != 1 {
		return fmt.Errorf("the cluster table has %d rows, want 1 (sync the cluster from config first)", clusters)
	}
	if units == 0 {
		return errors.New("the units table is empty (sync the cluster from config first)")
	}
	return nil
}

// checkRules parses the rules and checks their names against the
// indicators table.
func checkRules(ctx context.Context, tx querier, texts []string) ([]thidua.Rule, error) {
	if len(texts) == 0 {
		return nil, nil
	}
	known := map[string]bool{}
	rows, err := tx.QueryContext(ctx, `SELECT code FROM indicators`)
	if err != nil {
		return nil, &StepError{"rules", err}
	}
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			rows.Close()
			return nil, &StepError{"rules", err}
		}
		known[c] = true
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, &StepError{"rules", err}
	}
	var rules []thidua.Rule
	for _, t := range texts {
		r, err := thidua.ParseRule(t)
		if err == nil {
			err = r.Check(known)
		}
		if err != nil {
			return nil, &StepError{"rules", err}
		}
		rules = append(rules, r)
	}
	return rules, nil
}

// params creates the temporary tables holding the run's options; models read
// values only from them, never from text pasted into SQL.
// freqOrd maps a reporting frequency to its period type's type_ord
// (010_base's tf_periods).
var freqOrd = map[string]int{"month": 1, "quarter": 2, "half": 3, "year": 5}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// dueDays is the reporting deadline as an SQL value: NULL when none is set.
func dueDays(d *int) any {
	if d == nil {
		return nil
	}
	return int64(*d)
}

func params(ctx context.Context, tx querier, opts Options, rules []thidua.Rule) error {
	q := opts.Quality
	if err := dropTemp(ctx, tx); err != nil {
		return err
	}
	now := opts.Now.UTC()
	key, err := runKey(opts)
	if err != nil {
		return err
	}
	stmts := []struct {
		q    string
		args []any
	}{
		{`CREATE TEMP TABLE tf_params (now TIMESTAMP, now_mi BIGINT, close_pct DOUBLE)`, nil},
		{`INSERT INTO tf_params VALUES (?, ?, ?)`, []any{now, int64(now.Year())*12 + int64(now.Month()) - 1, opts.ClosePct}},
		{`CREATE TEMP TABLE tf_run (key VARCHAR)`, nil},
		{`INSERT INTO tf_run VALUES (?)`, []any{key}},
		{`CREATE TEMP TABLE tf_qparams (outlier_ratio DOUBLE, slip_tol DOUBLE, ytd_tol DOUBLE, min_value DOUBLE, due_days INTEGER)`, nil},
		{`INSERT INTO tf_qparams VALUES (?, ?, ?, ?, ?)`, []any{q.OutlierRatio, q.SlipTolerance, q.YTDTolerance, q.MinValue, dueDays(q.DueDays)}},
		{`CREATE TEMP TABLE tf_qdisabled (check_name VARCHAR)`, nil},
		{`CREATE TEMP TABLE tf_nondec (code VARCHAR)`, nil},
		{`CREATE TEMP TABLE tf_freq_unit (code VARCHAR, f INTEGER)`, nil},
		{`CREATE TEMP TABLE tf_freq_ind (code VARCHAR, f INTEGER)`, nil},
		{`CREATE TEMP TABLE tf_accepted (check_name VARCHAR, unit_code VARCHAR, indicator_code VARCHAR, period VARCHAR, who VARCHAR, why VARCHAR)`, nil},
		{`CREATE TEMP TABLE tf_rules (rule VARCHAR, lhs VARCHAR, op VARCHAR, rhs_kind VARCHAR, rhs_ind VARCHAR, rhs_num DOUBLE)`, nil},
	}
	add := func(q string, args ...any) {
		stmts = append(stmts, struct {
			q    string
			args []any
		}{q, args})
	}
	for _, c := range q.Disabled {
		add(`INSERT INTO tf_qdisabled VALUES (?)`, c)
	}
	for _, c := range q.NonDecreasing {
		add(`INSERT INTO tf_nondec VALUES (?)`, c)
	}
	for _, k := range sortedKeys(q.UnitFrequency) {
		add(`INSERT INTO tf_freq_unit VALUES (?, ?)`, k, freqOrd[q.UnitFrequency[k]])
	}
	for _, k := range sortedKeys(q.IndicatorFrequency) {
		add(`INSERT INTO tf_freq_ind VALUES (?, ?)`, k, freqOrd[q.IndicatorFrequency[k]])
	}
	for _, a := range q.Accepted {
		add(`INSERT INTO tf_accepted VALUES (?, ?, ?, ?, ?, ?)`, a.Check, a.Unit, a.Indicator, a.Period, a.Who, a.Why)
	}
	for _, r := range rules {
		var ind, num any
		switch r.RightKind {
		case thidua.RightIndicator:
			ind = r.Right
		case thidua.RightNumber:
			num = r.Number
		}
		stmts = append(stmts, struct {
			q    string
			args []any
		}{`INSERT INTO tf_rules VALUES (?, ?, ?, ?, ?, ?)`, []any{r.Text, r.Left, r.Op, string(r.RightKind), ind, num}})
	}
	for _, s := range stmts {
		if _, err := tx.ExecContext(ctx, s.q, s.args...); err != nil {
			return fmt.Errorf("%s: %w", s.q, err)
		}
	}
	return nil
}

// dropTemp drops every temporary tf_* view, table and macro of the
// connection.
func dropTemp(ctx context.Context, tx querier) error {
	for _, kind := range []struct{ list, drop string }{
		{`SELECT view_name FROM duckdb_views() WHERE temporary AND starts_with(view_name, 'tf_')`, "DROP VIEW temp.main."},
		{`SELECT table_name FROM duckdb_tables() WHERE temporary AND starts_with(table_name, 'tf_')`, "DROP TABLE temp.main."},
		{`SELECT DISTINCT function_name FROM duckdb_functions() WHERE database_name = 'temp' AND function_type = 'macro' AND starts_with(function_name, 'tf_')`, "DROP MACRO temp.main."},
	} {
		rows, err := tx.QueryContext(ctx, kind.list)
		if err != nil {
			return err
		}
		var names []string
		for rows.Next() {
			var n string
			if err := rows.Scan(&n); err != nil {
				rows.Close()
				return err
			}
			names = append(names, n)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for _, n := range names {
			if _, err := tx.ExecContext(ctx, kind.drop+QuoteIdent(n)); err != nil {
				return err
			}
		}
	}
	return nil
}

// QuoteIdent quotes an SQL identifier; it is the only way a name taken from
// the database or from outside reaches SQL text in this package.
func QuoteIdent(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }
