package bench

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"time"

	"github.com/thidua/thidua"
	"github.com/thidua/thidua/config"
	"github.com/thidua/thidua/pipeline"
	"github.com/thidua/thidua/store"
	"github.com/thidua/thidua/transform"
)

// Config says what Run measures and where.
type Config struct {
	Size Size
	// DataDir holds the generated data (reused between runs); WorkDir the
	// databases and outputs of this run (emptied first).
	DataDir, WorkDir string
	// Threads is DuckDB's thread count for every database of the run; 0
	// means runtime.NumCPU().
	Threads int
	// MemoryLimit and TempDir are passed to store.Options.
	MemoryLimit, TempDir string
	// XLSXMonths is how many monthly cluster-table workbooks the XLSX stage
	// ingests: 0 means every month, negative skips the stage.
	XLSXMonths int
	// Repeats is how many times the full run's inputs are run again
	// (every file a repeat, then the transform) to watch the database
	// file's size.
	Repeats int
	// Budget bounds the stages that can be projected: when the ingest
	// probe (the first ProbeRows rows of the first file) or the dashboards'
	// rate at Previous projects a stage beyond Budget, the stage is not run
	// and its projection is recorded, marked as such. Zero means no bound.
	Budget    time.Duration
	ProbeRows int
	// Previous is the result of a smaller size run in the same process,
	// whose dashboards rate projects this size's.
	Previous *Result
	// ExportPairs is how many more times the Parquet export and its plain
	// COPY baseline run, alternated, after the baselines: the export's
	// ratios are their medians' (exportPairs). 0: the one export and COPY.
	ExportPairs int
	// IngestOnly measures only the CSV ingest and its read_csv baseline
	// (for a real, unprojected ingest figure at M).
	IngestOnly bool
	// Log receives progress lines; nil discards them.
	Log io.Writer
}

// Goal is one of issue 7's goals, met or not, with the figures.
type Goal struct {
	Name   string `json:"name"`
	Met    bool   `json:"met"`
	Detail string `json:"detail"`
}

// DBSize is the database file's size after a step of the run.
type DBSize struct {
	After string `json:"after"`
	Bytes int64  `json:"bytes"`
}

// Result is everything one Run measured.
type Result struct {
	Size         Size    `json:"size"`
	Date         string  `json:"date"`
	Dataset      Dataset `json:"dataset"`
	Threads      int     `json:"threads"`
	CPUs         int     `json:"cpus"`
	GoVersion    string  `json:"go"`
	DuckDB       string  `json:"duckdb"`
	MemoryLimit  string  `json:"memory_limit"`
	IngestOnly   bool    `json:"ingest_only,omitempty"`
	ArrowStaging bool    `json:"arrow_staging"`
	GenerateSecs float64 `json:"generate_seconds"`
	Stages       []Stage `json:"stages"`
	// EndToEnd is the wall time of ingest → transform → dashboards →
	// Parquet on a fresh database.
	EndToEnd float64 `json:"end_to_end_seconds"`
	// EndToEndProjected is true when a stage of EndToEnd was projected,
	// not measured.
	EndToEndProjected bool `json:"end_to_end_includes_projection"`
	// Incremental is the wall time of adding one month (ingest one file,
	// transform, dashboards over the full run's site, Parquet partitioned
	// by year over the full run's), IncrementalRatio its share of the full
	// run's same steps (EndToEnd with the Parquet export partitioned by
	// year, "parquet export by year", instead of the plain one).
	Incremental      float64 `json:"incremental_seconds"`
	IncrementalRatio float64 `json:"incremental_ratio"`
	// IncrementalOutputs says what the incremental month wrote and took
	// over: the dashboards' period files and the Parquet partitions.
	IncrementalOutputs string `json:"incremental_outputs,omitempty"`
	// IncrementalTransform is the incremental month's transform alone (it
	// recomputes only the new month's year and the next), its ratio to the
	// full run's transform, and what it rebuilt.
	IncrementalTransform      float64 `json:"incremental_transform_seconds"`
	IncrementalTransformRatio float64 `json:"incremental_transform_ratio"`
	IncrementalRebuilt        string  `json:"incremental_rebuilt"`
	// IncrementalCheck compares the output tables after the incremental
	// month with a full rebuild of the same data, row for row.
	IncrementalCheck string `json:"incremental_check"`
	// DBSizes is the database file's size in bytes after the full run,
	// after a repeated run of the same inputs, and after the incremental
	// month.
	DBSizes []DBSize `json:"db_sizes"`
	// TransformCheck says whether the hand-written baseline's rows were
	// identical to the transform's on the compared subset.
	TransformCheck string `json:"transform_check"`
	Goals          []Goal `json:"goals"`
	// Error is the failure that ended the run early, if any.
	Error string `json:"error,omitempty"`
}

func (r *Result) stage(name string) (Stage, bool) {
	for _, s := range r.Stages {
		if s.Name == name {
			return s, true
		}
	}
	return Stage{}, false
}

type runner struct {
	cfg  Config
	ds   Dataset
	c    thidua.Cluster
	res  *Result
	app  *pipeline.App // the database of the full run, opened as thidua run opens it
	db   *store.DB     // app's
	logw io.Writer
}

func (r *runner) logf(format string, args ...any) {
	if r.logw != nil {
		fmt.Fprintf(r.logw, "bench %s: "+format+"\n", append([]any{r.cfg.Size.Name}, args...)...)
	}
}

func (r *runner) add(st Stage, err error) (Stage, error) {
	if err != nil {
		return st, err
	}
	r.res.Stages = append(r.res.Stages, st)
	r.logf("%-22s %8.3f s %12.0f rows/s %7.1f MB/s heap %6.0f MB rss %6.0f MB %s",
		st.Name, st.Seconds, st.RowsPS, st.MBPS, st.PeakHeapMB, st.PeakRSSMB, st.Note)
	return st, nil
}

// Run generates (or reuses) the data set of cfg.Size and measures every
// stage and its baseline. The result is also returned when a later stage
// failed, with the stages done so far.
func Run(ctx context.Context, cfg Config) (*Result, error) {
	if cfg.Threads <= 0 {
		cfg.Threads = runtime.NumCPU()
	}
	res := &Result{Size: cfg.Size, Date: time.Now().UTC().Format("2006-01-02"), Threads: cfg.Threads, CPUs: runtime.NumCPU(),
		GoVersion: runtime.Version(), MemoryLimit: cfg.MemoryLimit, ArrowStaging: store.ArrowStaging, IngestOnly: cfg.IngestOnly}
	r := &runner{cfg: cfg, c: Cluster(cfg.Size), res: res, logw: cfg.Log}
	start := time.Now()
	ds, err := Generate(cfg.DataDir, cfg.Size)
	if err != nil {
		return res, err
	}
	if cfg.XLSXMonths >= 0 {
		if err := GenerateXLSX(&ds, cfg.XLSXMonths); err != nil {
			return res, err
		}
	}
	r.ds, res.Dataset = ds, ds
	res.GenerateSecs = time.Since(start).Seconds()
	r.logf("data ready in %.1f s: %d rows, %.1f MB CSV, %d workbooks", res.GenerateSecs, ds.Rows, float64(ds.Bytes)/(1<<20), len(ds.XLSX))
	if err := os.RemoveAll(cfg.WorkDir); err != nil {
		return res, err
	}
	if err := os.MkdirAll(cfg.WorkDir, 0o755); err != nil {
		return res, err
	}
	err = r.run(ctx)
	if r.app != nil {
		if cerr := r.app.Close(); err == nil {
			err = cerr
		}
	}
	r.goals()
	if err != nil {
		res.Error = err.Error()
	}
	return res, err
}

// open opens a database of DuckDB's own for a baseline, without thidua's
// run lock.
func (r *runner) open(ctx context.Context, name string) (*store.DB, error) {
	limit := r.cfg.MemoryLimit
	if config.IsAuto(limit) {
		limit = "" // DuckDB's own baselines: DuckDB's default, as without a limit
	}
	return store.Open(ctx, filepath.Join(r.cfg.WorkDir, name), store.Options{
		AllowedDirs: []string{r.cfg.DataDir, r.cfg.WorkDir}, Threads: r.cfg.Threads,
		MemoryLimit: limit, TempDir: r.cfg.TempDir, Unlocked: true,
	})
}

// openApp opens the database name as "thidua run" does (the run lock, the
// cluster synced), with the built-in configuration but the generated
// cluster, this run's DuckDB settings and clock, and WorkDir/out as the
// output folder. Each model's duration goes to the progress log, to show
// where the transform's time goes.
func (r *runner) openApp(ctx context.Context, name string) (*pipeline.App, error) {
	cfg, err := config.Load("", nil)
	if err != nil {
		return nil, err
	}
	cfg.Cluster, cfg.Now = r.c, r.cfg.Size.Now()
	cfg.DB, cfg.Out = filepath.Join(r.cfg.WorkDir, name), filepath.Join(r.cfg.WorkDir, "out")
	cfg.Threads, cfg.MemoryLimit, cfg.TempDir = r.cfg.Threads, r.cfg.MemoryLimit, r.cfg.TempDir
	cfg.GoMemoryLimit = config.DefaultGoMemoryLimit(cfg.MemoryLimit) // as go_memory_limit's default follows memory_limit
	logw := r.logw
	if logw == nil {
		logw = io.Discard
	}
	log := slog.New(slog.NewTextHandler(logw, &slog.HandlerOptions{Level: slog.LevelDebug,
		ReplaceAttr: func(groups []string, a slog.Attr) slog.Attr {
			if len(groups) == 0 && (a.Key == slog.TimeKey || a.Key == slog.LevelKey) {
				return slog.Attr{}
			}
			return a
		}})).With("bench", r.cfg.Size.Name)
	stdio := &pipeline.IO{In: strings.NewReader(""), Out: io.Discard, Err: logw}
	return pipeline.Open(ctx, pipeline.Env{Config: cfg, Log: log, IO: stdio}, r.cfg.DataDir)
}

func (r *runner) run(ctx context.Context) error {
	var err error
	r.app, err = r.openApp(ctx, "thidua.duckdb")
	if err != nil {
		return err
	}
	r.db = r.app.DB()
	if err := r.res.duckdbVersion(ctx, r.db.SQL()); err != nil {
		return err
	}
	out := filepath.Join(r.cfg.WorkDir, "out")

	// The full run on a fresh database: ingest → transform → dashboards → Parquet.
	ing, err := r.ingestStage(ctx)
	if err != nil {
		return err
	}
	if r.cfg.IngestOnly {
		base, err := r.open(ctx, "baseline.duckdb")
		if err != nil {
			return err
		}
		defer base.Close()
		bst, err := r.add(measure("ingest read_csv", func() (int64, int64, error) { return r.readCSVBaseline(ctx, base) }))
		if err != nil {
			return err
		}
		r.compare("ingest csv", bst)
		return nil
	}
	tr, err := r.add(measure("transform", func() (int64, int64, error) { return r.transform(ctx) }))
	if err != nil {
		return err
	}
	dash, skipDash := r.projectDashboards(tr.Rows)
	if !skipDash {
		dash, err = r.add(r.dashboards(ctx, filepath.Join(out, "dashboards")))
		if err != nil {
			return err
		}
	} else {
		r.add(dash, nil)
	}
	exp, err := r.add(measure("parquet export", func() (int64, int64, error) { return r.export(ctx, filepath.Join(out, "parquet")) }))
	if err != nil {
		return err
	}
	r.res.EndToEnd = ing.Seconds + tr.Seconds + dash.Seconds + exp.Seconds
	r.res.EndToEndProjected = ing.Projected || dash.Projected
	r.res.DBSizes = append(r.res.DBSizes, DBSize{"full run", fileSize(r.db.Path())})
	// The same export partitioned by year (thidua run --partition-by
	// year), which a new month replaces a partition of: the incremental
	// month's reference.
	expYear, err := r.add(measure("parquet export by year", func() (int64, int64, error) {
		return r.exportByYear(ctx, filepath.Join(out, "parquet-year"))
	}))
	if err != nil {
		return err
	}
	expYear.Note = "--partition-by year, into an empty folder; rows not counted"
	r.res.Stages[len(r.res.Stages)-1] = expYear

	// Baselines: DuckDB doing the same work natively.
	if err := r.baselines(ctx, out); err != nil {
		return err
	}

	// The same inputs again (every file a repeat), then one new month.
	for i := range r.cfg.Repeats {
		if _, err := r.add(measure(fmt.Sprintf("repeat run %d", i+1), func() (int64, int64, error) {
			rows, n, err := r.ingest(ctx, r.app, append(append([]string(nil), r.ds.CSV...), r.ds.Targets))
			if err != nil {
				return rows, n, err
			}
			if _, _, err := r.transform(ctx); err != nil {
				return rows, n, err
			}
			return rows, n, r.db.Checkpoint(ctx)
		})); err != nil {
			return err
		}
		r.res.DBSizes = append(r.res.DBSizes, DBSize{fmt.Sprintf("repeat %d", i+1), fileSize(r.db.Path())})
	}
	inc, err := r.add(measure("incremental month", func() (int64, int64, error) {
		rows, n, err := r.ingest(ctx, r.app, []string{r.ds.Extra})
		if err != nil {
			return rows, n, err
		}
		start := time.Now()
		if _, _, err := r.transform(ctx); err != nil {
			return rows, n, err
		}
		r.res.IncrementalTransform = time.Since(start).Seconds()
		if tr.Seconds > 0 {
			r.res.IncrementalTransformRatio = r.res.IncrementalTransform / tr.Seconds
		}
		if !skipDash {
			// Over the full run's site, as a scheduled run replaces the
			// last one's: the period files of unchanged periods are
			// taken over (dashboards.RenderRowsOver), the pages rendered.
			if _, err := r.app.Dashboards(ctx, filepath.Join(out, "dashboards"), false, r.cfg.Size.Now()); err != nil {
				return rows, n, err
			}
		}
		// Over the full run's export by year: partitions whose rows did
		// not change are taken over.
		_, _, err = r.exportByYear(ctx, filepath.Join(out, "parquet-year"))
		return rows, n, err
	}))
	if err != nil {
		return err
	}
	inc.Note = "ingest 1 file + incremental transform + all pages (unchanged periods' files kept) + Parquet by year (unchanged partitions kept)"
	if skipDash {
		inc.Note = "ingest 1 file + incremental transform + Parquet by year (dashboards not run, see above)"
	}
	var outs []string
	if pg := r.app.Pages(); pg != nil && !skipDash {
		outs = append(outs, fmt.Sprintf("period files %d written, %d kept", pg.Written, pg.Kept))
	}
	if pt := r.app.Partitions(); pt != nil {
		outs = append(outs, fmt.Sprintf("partitions written %v, %d kept", pt.Written, len(pt.Kept)))
	}
	r.res.IncrementalOutputs = strings.Join(outs, "; ")
	r.res.Stages[len(r.res.Stages)-1] = inc
	r.res.Incremental = inc.Seconds
	full := r.res.EndToEnd - exp.Seconds + expYear.Seconds
	if skipDash {
		full -= dash.Seconds
	}
	if full > 0 {
		r.res.IncrementalRatio = inc.Seconds / full
	}
	r.db.Checkpoint(ctx)
	r.res.DBSizes = append(r.res.DBSizes, DBSize{"one more month", fileSize(r.db.Path())})
	if r.res.IncrementalCheck, err = r.checkIncremental(ctx); err != nil {
		return err
	}

	if len(r.ds.XLSX) > 0 {
		if err := r.xlsx(ctx); err != nil {
			return err
		}
	}
	return nil
}

// ingestStage runs thidua's ingest of every CSV file, or, when a probe of
// its first ProbeRows rows projects it beyond Budget, records the
// projection and loads the same rows with read_csv so that the later stages
// have their data.
func (r *runner) ingestStage(ctx context.Context) (Stage, error) {
	files := append(append([]string(nil), r.ds.CSV...), r.ds.Targets)
	if r.cfg.Budget > 0 && r.cfg.ProbeRows > 0 {
		probe, err := r.probeIngest(ctx)
		if err != nil {
			return probe, err
		}
		r.add(probe, nil)
		total := r.ds.Rows + r.ds.TargetRows
		projected := time.Duration(float64(total) / probe.RowsPS * float64(time.Second))
		if projected > r.cfg.Budget {
			st := Stage{Name: "ingest csv", Rows: total, Bytes: r.ds.Bytes, Seconds: projected.Seconds(),
				RowsPS: probe.RowsPS, MBPS: float64(r.ds.Bytes) / (1 << 20) / projected.Seconds(), Projected: true,
				Note: fmt.Sprintf("PROJECTED, not measured: %d rows at the probe's %.0f rows/s exceed the %v budget", total, probe.RowsPS, r.cfg.Budget)}
			r.add(st, nil)
			fill, err := measure("load via read_csv (fill-in)", func() (int64, int64, error) { return r.readCSVBaseline(ctx, r.db) })
			if err != nil {
				return st, err
			}
			fill.Note = "only so the later stages have the data; not thidua's ingest"
			r.add(fill, nil)
			return st, nil
		}
	}
	return r.add(measure("ingest csv", func() (int64, int64, error) { return r.ingest(ctx, r.app, files) }))
}

// probeIngest times thidua's reader and LoadBatch on ProbeRows rows of the
// first file, in a scratch database: every k-th row, so that the probe
// spans all units and indicators as the whole file does (lookups that cost
// more for later units are then counted fairly).
func (r *runner) probeIngest(ctx context.Context) (Stage, error) {
	data, err := os.ReadFile(r.ds.CSV[0])
	if err != nil {
		return Stage{}, err
	}
	lines := bytes.SplitAfter(data, []byte("\n"))
	body := lines[1:]
	k := max(1, len(body)/r.cfg.ProbeRows)
	out := append([]byte(nil), lines[0]...)
	for i := 0; i < len(body); i += k {
		out = append(out, body[i]...)
	}
	probeFile := filepath.Join(r.cfg.WorkDir, "probe.csv")
	if err := os.WriteFile(probeFile, out, 0o644); err != nil {
		return Stage{}, err
	}
	app, err := r.openApp(ctx, "probe.duckdb")
	if err != nil {
		return Stage{}, err
	}
	defer app.Close()
	st, err := measure("ingest csv probe", func() (int64, int64, error) { return r.ingest(ctx, app, []string{probeFile}) })
	st.Note = fmt.Sprintf("every %d-th row of %s (%d rows)", k, filepath.Base(r.ds.CSV[0]), st.Rows)
	return st, err
}

// projectDashboards says whether the dashboards stage is to be skipped, and
// its projection from Previous's rate per indicator_pop row: the stage is
// skipped when its time would exceed Budget. (Its Go heap is no longer
// projected per row: since the pages are read from the database page by
// page, dashboards.RenderRows, the heap follows a page, not the table.)
func (r *runner) projectDashboards(popRows int64) (Stage, bool) {
	prev := r.cfg.Previous
	if r.cfg.Budget <= 0 || prev == nil {
		return Stage{}, false
	}
	pd, ok1 := prev.stage("dashboards")
	pt, ok2 := prev.stage("transform")
	if !ok1 || !ok2 || pd.Projected || pt.Rows == 0 {
		return Stage{}, false
	}
	scale := float64(popRows) / float64(pt.Rows)
	secs := pd.Seconds * scale
	st := Stage{Name: "dashboards", Seconds: secs, Projected: true}
	if secs > r.cfg.Budget.Seconds() {
		st.Note = fmt.Sprintf("PROJECTED, not run: %s's %.1f s for %d indicator_pop rows scaled to %d rows exceeds the %v budget",
			prev.Size.Name, pd.Seconds, pt.Rows, popRows, r.cfg.Budget)
		return st, true
	}
	return Stage{}, false
}

func (res *Result) duckdbVersion(ctx context.Context, db *sql.DB) error {
	return db.QueryRowContext(ctx, `SELECT 'DuckDB ' || version()`).Scan(&res.DuckDB)
}

// load loads files as "thidua ingest" does (pipeline.App.IngestFiles: the
// sha256 pre-check that skips a file loaded before, the readers, the load),
// then checkpoints. It returns what was loaded and the files' bytes.
func (r *runner) load(ctx context.Context, app *pipeline.App, files []string) (sum pipeline.IngestSummary, n int64, err error) {
	for _, f := range files {
		n += fileSize(f)
	}
	if sum, err = app.IngestFiles(ctx, files, false); err != nil {
		return sum, n, err
	}
	return sum, n, app.DB().Checkpoint(ctx)
}

// ingest is load counting the rows of the files.
func (r *runner) ingest(ctx context.Context, app *pipeline.App, files []string) (rows, n int64, err error) {
	sum, n, err := r.load(ctx, app, files)
	for _, l := range sum.Results {
		rows += int64(l.Load.Rows)
	}
	return rows, n, err
}

// transform runs the transform as "thidua transform" does and counts the
// indicator_pop rows it made.
func (r *runner) transform(ctx context.Context) (rows, n int64, err error) {
	if err := r.app.Transform(ctx); err != nil {
		return 0, 0, err
	}
	if res := r.app.Rebuilt(); res != nil {
		r.res.IncrementalRebuilt = fmt.Sprintf("full=%v changed=%v years=%v rejudged=%d", res.Full, res.Changed, res.Years, res.Rejudged)
	}
	err = r.db.SQL().QueryRowContext(ctx, `SELECT count(*) FROM indicator_pop`).Scan(&rows)
	return rows, 0, err
}

// checkIncremental keeps the output tables the incremental month left,
// rebuilds every year, and counts the rows either side has and the other
// not (numbers compared exactly).
func (r *runner) checkIncremental(ctx context.Context) (string, error) {
	tables := []string{"indicator_pop", "scores", "score_points", "quality"}
	for _, t := range tables {
		if _, err := r.db.SQL().ExecContext(ctx, `CREATE OR REPLACE TABLE `+transform.QuoteIdent("inc_"+t)+` AS SELECT * FROM `+transform.QuoteIdent(t)); err != nil {
			return "", err
		}
	}
	if _, err := transform.Rebuild(ctx, r.db.SQL(), transform.Options{Now: r.cfg.Size.Now(), Full: true}); err != nil {
		return "", err
	}
	var parts []string
	differ := int64(0)
	for _, t := range tables {
		a, b := transform.QuoteIdent("inc_"+t), transform.QuoteIdent(t)
		var n, d int64
		if err := r.db.SQL().QueryRowContext(ctx, `SELECT (SELECT count(*) FROM `+b+`),
			(SELECT count(*) FROM (SELECT * FROM `+a+` EXCEPT ALL SELECT * FROM `+b+`))
			+ (SELECT count(*) FROM (SELECT * FROM `+b+` EXCEPT ALL SELECT * FROM `+a+`))`).Scan(&n, &d); err != nil {
			return "", err
		}
		differ += d
		parts = append(parts, fmt.Sprintf("%s %d rows, %d differ", t, n, d))
		if _, err := r.db.SQL().ExecContext(ctx, `DROP TABLE `+a); err != nil {
			return "", err
		}
	}
	verdict := "equal to a full rebuild"
	if differ > 0 {
		verdict = "DIFFERENT from a full rebuild"
	}
	return verdict + ": " + strings.Join(parts, "; "), nil
}

// dashboards measures the dashboards step as "thidua dashboards" runs it
// (pipeline.App.Dashboards: written aside, swapped in whole).
func (r *runner) dashboards(ctx context.Context, dir string) (Stage, error) {
	var pages int64
	st, err := measure("dashboards", func() (int64, int64, error) {
		files, err := r.app.Dashboards(ctx, dir, false, r.cfg.Size.Now())
		if err != nil {
			return 0, 0, err
		}
		var n int64
		for _, f := range files {
			if strings.HasSuffix(f, ".html") {
				pages++
				n += fileSize(f)
			}
		}
		return pages, n, nil
	})
	if err != nil {
		return st, err
	}
	st.extra("pages", float64(pages))
	if pages > 0 {
		st.extra("KB/page", float64(st.Bytes)/1024/float64(pages))
	}
	st.extra("pages/s", st.RowsPS)
	st.Note = "rows = pages"
	return st, nil
}

func (r *runner) export(ctx context.Context, dir string) (rows, n int64, err error) {
	files, err := r.app.ExportParquet(ctx, dir)
	if err != nil {
		return 0, 0, err
	}
	for _, f := range files {
		n += fileSize(f)
		var c int64
		if err := r.db.SQL().QueryRowContext(ctx, `SELECT count(*) FROM read_parquet(?)`, f).Scan(&c); err != nil {
			return rows, n, err
		}
		rows += c
	}
	return rows, n, nil
}

// exportByYear writes the Parquet export partitioned by year to dir, as
// "thidua run --partition-by year" does (over dir's earlier export, whose
// unchanged partitions it takes over), and returns its bytes.
func (r *runner) exportByYear(ctx context.Context, dir string) (rows, n int64, err error) {
	if _, err := r.app.ExportParquetPartitioned(ctx, dir, "year"); err != nil {
		return 0, 0, err
	}
	err = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			n += fileSize(p)
		}
		return err
	})
	return 0, n, err
}

// baselines measures DuckDB's native equivalents of each stage.
func (r *runner) baselines(ctx context.Context, out string) error {
	// Ingest: read_csv into the same table, in a database of the same schema.
	base, err := r.open(ctx, "baseline.duckdb")
	if err != nil {
		return err
	}
	defer base.Close()
	bst, err := r.add(measure("ingest read_csv", func() (int64, int64, error) { return r.readCSVBaseline(ctx, base) }))
	if err != nil {
		return err
	}
	bst.Note = "INSERT … SELECT FROM read_csv, no validation, CHECKPOINT"
	r.res.Stages[len(r.res.Stages)-1] = bst
	r.compare("ingest csv", bst)

	// Transform: hand-written SQL for a subset, checked row for row.
	tst, check, err := r.transformBaseline(ctx)
	if err != nil {
		return err
	}
	r.res.TransformCheck = check
	if _, err := r.add(tst, nil); err != nil {
		return err
	}

	// Parquet: plain COPY of each exported table.
	est, err := r.add(measure("parquet COPY", func() (int64, int64, error) { return r.copyBaseline(ctx, filepath.Join(out, "parquet-base")) }))
	if err != nil {
		return err
	}
	r.compare("parquet export", est)
	return r.exportPairs(ctx, out)
}

// exportPairs measures the Parquet export against plain COPY again in
// Config.ExportPairs alternated pairs (COPY first in one, the export first
// in the next) and gives the "parquet export" stage the ratios of their
// medians: one export and one COPY, each at its own point of the run, gave
// ratios from 0.84× to 2.07× CPU at I on a shared machine. The stage keeps
// its own time (the full run's), and its extras say the medians.
func (r *runner) exportPairs(ctx context.Context, out string) error {
	n := r.cfg.ExportPairs
	if n <= 0 {
		return nil
	}
	var exp, cp []Stage
	for i := range n {
		runs := []func() error{
			func() error {
				st, err := measure("parquet COPY", func() (int64, int64, error) { return r.copyBaseline(ctx, filepath.Join(out, "parquet-base")) })
				cp = append(cp, st)
				return err
			},
			func() error {
				st, err := measure("parquet export", func() (int64, int64, error) { return r.export(ctx, filepath.Join(out, "parquet")) })
				exp = append(exp, st)
				return err
			},
		}
		if i%2 == 1 {
			runs[0], runs[1] = runs[1], runs[0]
		}
		for _, run := range runs {
			if err := run(); err != nil {
				return err
			}
		}
	}
	med := func(sts []Stage, f func(Stage) float64) float64 {
		xs := make([]float64, len(sts))
		for i, st := range sts {
			xs[i] = f(st)
		}
		sort.Float64s(xs)
		if len(xs)%2 == 1 {
			return xs[len(xs)/2]
		}
		return (xs[len(xs)/2-1] + xs[len(xs)/2]) / 2
	}
	wall := func(st Stage) float64 { return st.Seconds }
	cpu := func(st Stage) float64 { return st.CPUSeconds }
	for i := range r.res.Stages {
		st := &r.res.Stages[i]
		if st.Name != "parquet export" {
			continue
		}
		ew, ec, cw, cc := med(exp, wall), med(exp, cpu), med(cp, wall), med(cp, cpu)
		st.extra("pairs", float64(n))
		st.extra("pairs export s", ew)
		st.extra("pairs export CPU s", ec)
		st.extra("pairs COPY s", cw)
		st.extra("pairs COPY CPU s", cc)
		if cw > 0 && cc > 0 {
			st.Ratio, st.CPURatio = ew/cw, ec/cc
		}
		st.Note = fmt.Sprintf("vs baseline: medians of %d alternated pairs after the full run (export %.2f s, %.2f CPU-s; COPY %.2f s, %.2f CPU-s)", n, ew, ec, cw, cc)
		r.logf("parquet export vs COPY, medians of %d pairs: %.2f× wall, %.2f× CPU", n, st.Ratio, st.CPURatio)
	}
	return nil
}

func (r *runner) compare(name string, base Stage) {
	for i := range r.res.Stages {
		if r.res.Stages[i].Name == name {
			r.res.Stages[i].compare(base)
		}
	}
}

// readCSVBaseline loads the same files with DuckDB's read_csv into
// observations: the same rows and columns, derived in SQL, without
// validation, provenance or audit.
func (r *runner) readCSVBaseline(ctx context.Context, db *store.DB) (rows, n int64, err error) {
	var list []string
	for _, f := range r.ds.CSV {
		list = append(list, store.QuoteString(f))
		n += fileSize(f)
	}
	q := fmt.Sprintf(`INSERT INTO observations
		SELECT unit, indicator, period, 'month', CAST(period[1:4] AS INTEGER), CAST(period[6:7] AS INTEGER),
		       CAST(period[6:7] AS INTEGER), 'period', value, 1, NULL, 1
		FROM read_csv([%s], header = true, columns = {'unit': 'VARCHAR', 'indicator': 'VARCHAR', 'period': 'VARCHAR', 'value': 'DOUBLE'})`,
		strings.Join(list, ", "))
	res, err := db.SQL().ExecContext(ctx, q)
	if err != nil {
		return 0, n, err
	}
	rows, _ = res.RowsAffected()
	tq := fmt.Sprintf(`INSERT INTO observations
		SELECT unit, indicator, period, 'year', CAST(period AS INTEGER), 1, 12, 'target', target, 1, NULL, 1
		FROM read_csv(%s, header = true, columns = {'unit': 'VARCHAR', 'indicator': 'VARCHAR', 'period': 'VARCHAR', 'value': 'DOUBLE', 'target': 'DOUBLE'})`,
		store.QuoteString(r.ds.Targets))
	res, err = db.SQL().ExecContext(ctx, tq)
	if err != nil {
		return rows, n, err
	}
	t, _ := res.RowsAffected()
	rows += t
	n += fileSize(r.ds.Targets)
	return rows, n, db.Checkpoint(ctx)
}

func (r *runner) copyBaseline(ctx context.Context, dir string) (rows, n int64, err error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return 0, 0, err
	}
	for _, name := range store.ExportOrder {
		var ok bool
		if err := r.db.SQL().QueryRowContext(ctx, `SELECT count(*) > 0 FROM duckdb_tables() WHERE table_name = ? AND NOT temporary`, name).Scan(&ok); err != nil {
			return rows, n, err
		}
		if !ok {
			continue
		}
		f := filepath.Join(dir, name+".parquet")
		res, err := r.db.SQL().ExecContext(ctx, fmt.Sprintf(`COPY %s TO %s (FORMAT parquet, COMPRESSION zstd)`, store.QuoteIdent(name), store.QuoteString(f)))
		if err != nil {
			return rows, n, err
		}
		c, _ := res.RowsAffected()
		rows += c
		n += fileSize(f)
	}
	return rows, n, nil
}

// xlsx ingests the monthly cluster-table workbooks into a fresh database
// with thidua's XLSX reader. DuckDB has no native XLSX reader offline (the
// excel extension is not built in), so the comparison is with read_csv's
// speed on the same number of rows.
func (r *runner) xlsx(ctx context.Context) error {
	app, err := r.openApp(ctx, "xlsx.duckdb")
	if err != nil {
		return err
	}
	defer app.Close()
	st, err := measure("ingest xlsx", func() (values, n int64, err error) {
		sum, n, err := r.load(ctx, app, r.ds.XLSX)
		for _, l := range sum.Results {
			values += int64(l.Load.Inserted + l.Load.Updated + l.Load.Unchanged)
		}
		return values, n, err
	})
	if err != nil {
		return err
	}
	if st.Rows != r.ds.XLSXRows {
		return fmt.Errorf("ingest xlsx: %d values read, %d generated", st.Rows, r.ds.XLSXRows)
	}
	st.Note = fmt.Sprintf("%d of %d monthly workbooks", len(r.ds.XLSX), r.ds.Size.Months)
	if base, ok := r.res.stage("ingest read_csv"); ok && base.RowsPS > 0 {
		st.Baseline = "read_csv rows/s"
		st.Ratio = base.RowsPS / st.RowsPS
		if base.CPUSeconds > 0 && base.Rows > 0 && st.Rows > 0 {
			st.CPURatio = (st.CPUSeconds / float64(st.Rows)) / (base.CPUSeconds / float64(base.Rows))
		}
	}
	_, err = r.add(st, nil)
	return err
}

func (r *runner) goals() {
	res := r.res
	s := res.Size
	if s.Name == "S" && res.EndToEnd > 0 {
		res.Goals = append(res.Goals, Goal{"S end to end < 1 s", res.EndToEnd < 1 && !res.EndToEndProjected,
			fmt.Sprintf("%.3f s (ingest + transform + dashboards + Parquet)", res.EndToEnd)})
	}
	if st, ok := res.stage("ingest csv"); ok && st.Ratio > 0 {
		proj := ""
		if st.Projected {
			proj = ", PROJECTED from the probe"
		}
		res.Goals = append(res.Goals, Goal{fmt.Sprintf("ingest ≤ 1.0× read_csv (%s)", s.Name), st.Ratio <= 1,
			fmt.Sprintf("%.2f× wall, %.2f× CPU (%.2f s vs %.2f s%s)", st.Ratio, st.CPURatio, st.Seconds, st.Seconds/st.Ratio, proj)})
	}
	if st, ok := res.stage("transform"); ok && st.Ratio > 0 {
		res.Goals = append(res.Goals, Goal{fmt.Sprintf("transform ≤ 1.2× hand-written SQL (%s)", s.Name), st.Ratio <= 1.2,
			fmt.Sprintf("%.2f× wall, %.2f× CPU (%.2f s vs %.2f s); rows %s", st.Ratio, st.CPURatio, st.Seconds, st.Seconds/st.Ratio, res.TransformCheck)})
	}
	if st, ok := res.stage("parquet export"); ok && st.Ratio > 0 && st.CPURatio > 0 {
		res.Goals = append(res.Goals, Goal{fmt.Sprintf("Parquet export ≤ 1.2× plain COPY (%s, issue 14)", s.Name), st.Ratio <= 1.2 && st.CPURatio <= 1.2,
			fmt.Sprintf("%.2f× wall, %.2f× CPU (%s)", st.Ratio, st.CPURatio, st.Note)})
	}
	if res.IncrementalRatio > 0 {
		res.Goals = append(res.Goals, Goal{fmt.Sprintf("incremental month ≤ 10 %% of a full run (%s, issue 14)", s.Name), res.IncrementalRatio <= 0.1,
			fmt.Sprintf("%.2f of the full run's same steps (%.2f s vs %.2f s; %s)", res.IncrementalRatio, res.Incremental, res.Incremental/res.IncrementalRatio, res.IncrementalOutputs)})
	}
	if res.IncrementalTransformRatio > 0 {
		res.Goals = append(res.Goals, Goal{fmt.Sprintf("incremental month's transform ≤ 10 %% of a full transform (%s)", s.Name), res.IncrementalTransformRatio <= 0.1,
			fmt.Sprintf("%.3f (%.2f s vs %.2f s; %s); %s", res.IncrementalTransformRatio, res.IncrementalTransform,
				res.IncrementalTransform/res.IncrementalTransformRatio, res.IncrementalRebuilt, res.IncrementalCheck)})
	}
	if len(res.DBSizes) >= 3 && res.DBSizes[1].After == "repeat 1" {
		var parts []string
		for _, d := range res.DBSizes {
			parts = append(parts, fmt.Sprintf("%s %.1f MB", d.After, mb(d.Bytes)))
		}
		first, last := res.DBSizes[1].Bytes, res.DBSizes[len(res.DBSizes)-2].Bytes
		res.Goals = append(res.Goals, Goal{fmt.Sprintf("database size flat over repeated runs (%s)", s.Name), float64(last) <= float64(first)*1.05,
			strings.Join(parts, ", ")})
	}
	var peak float64
	for _, st := range res.Stages {
		peak = max(peak, st.PeakRSSMB)
	}
	switch {
	case config.IsAuto(res.MemoryLimit):
		res.Goals = append(res.Goals, Goal{fmt.Sprintf("memory (%s, memory_limit auto)", s.Name), true, fmt.Sprintf("peak RSS %.0f MB", peak)})
	case res.MemoryLimit != "":
		limit := float64(parseMB(res.MemoryLimit))
		res.Goals = append(res.Goals, Goal{fmt.Sprintf("memory bounded by memory_limit (%s)", s.Name), peak <= 1.1*limit,
			fmt.Sprintf("peak RSS %.0f MB = %.2f× memory_limit %s (DuckDB's limit covers its buffer manager, not every allocation; the Go heap comes on top)", peak, peak/limit, res.MemoryLimit)})
	default:
		res.Goals = append(res.Goals, Goal{fmt.Sprintf("memory (%s, no memory_limit)", s.Name), true, fmt.Sprintf("peak RSS %.0f MB", peak)})
	}
}

func mb(n int64) float64 { return float64(n) / (1 << 20) }

func parseMB(s string) int64 {
	var v float64
	var unit string
	fmt.Sscanf(strings.ToUpper(strings.TrimSpace(s)), "%f%s", &v, &unit)
	switch strings.TrimSuffix(unit, "IB") {
	case "G", "GB":
		return int64(v * 1024)
	case "M", "MB":
		return int64(v)
	}
	return int64(v / (1 << 20))
}

func fileSize(path string) int64 {
	st, err := os.Stat(path)
	if err != nil {
		return 0
	}
	n := st.Size()
	if st.IsDir() {
		n = 0
		filepath.WalkDir(path, func(p string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				if i, err := d.Info(); err == nil {
					n += i.Size()
				}
			}
			return nil
		})
	}
	return n
}

// WriteJSON writes r to dir/<size>-<date>.json and returns the path.
func (r *Result) WriteJSON(dir string) (string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	data, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return "", err
	}
	kind := ""
	if r.IngestOnly {
		kind = "-ingest"
	}
	name := filepath.Join(dir, fmt.Sprintf("%s%s-%s.json", r.Size.Name, kind, r.Date))
	return name, os.WriteFile(name, append(data, '\n'), 0o644)
}

func sortedKeys(m map[string]float64) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
