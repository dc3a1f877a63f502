package pipeline

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/thidua/thidua"
	"github.com/thidua/thidua/config"
	"github.com/thidua/thidua/dashboards"
	"github.com/thidua/thidua/ingest"
	"github.com/thidua/thidua/ingest/sample"
	"github.com/thidua/thidua/store"
	"github.com/thidua/thidua/transform"
)

// App is one open database with the configuration it was opened under. It
// runs the pipeline's steps; the commands only parse flags and call it.
type App struct {
	cfg *config.Config
	log *slog.Logger
	io  *IO
	db  *store.DB

	lock *runLock  // the run lock (lock.go); nil when opened read-only
	out  *outDir   // the output folder, opened on first use (outdir.go)
	prog *progress // the progress line on a terminal; nil otherwise

	fullTransform bool              // --full: rebuild every year
	rebuilt       *transform.Result // what the last transform rebuilt
	partitions    *store.Partitions // the Parquet partitions the last export wrote and took over
	pages         *dashboards.Reuse // the period files the last dashboards wrote and took over
	memFloor      int64             // the least auto memory_limit, once a step ran out of memory (growMemory)
}

// openApp opens the database for cfg (taking the run lock unless
// readOnly); extraDirs are more folders DuckDB may read (the inbox).
func openApp(ctx context.Context, cfg *config.Config, log *slog.Logger, stdio *IO, readOnly bool, extraDirs ...string) (*App, error) {
	// One run at a time: the run lock first, then DuckDB's own file lock.
	var lock *runLock
	if !readOnly {
		l, err := acquireLock(ctx, log, cfg.DB, lockWait(ctx))
		if err != nil {
			return nil, err
		}
		lock = l
	}
	setGoMemoryLimit(cfg)
	dirs := []string{cfg.Out}
	for _, in := range cfg.Inputs {
		dirs = append(dirs, filepath.Dir(in))
	}
	dirs = append(dirs, extraDirs...)
	limit := cfg.MemoryLimit
	if config.IsAuto(limit) {
		limit = memorySize(config.AutoMemoryLimit(0)) // sized below once the facts are counted
	}
	db, err := store.Open(ctx, cfg.DB, store.Options{
		AllowedDirs: dirs, MemoryLimit: limit, Threads: cfg.Threads, TempDir: cfg.TempDir, ReadOnly: readOnly,
		AllocatorDecayMS: cfg.AllocatorDecayMS,
	})
	if err != nil {
		lock.Release()
		var le *store.LockedError
		if errors.As(err, &le) {
			return nil, withCode(ExitBusy, err)
		}
		return nil, err
	}
	a := &App{cfg: cfg, log: log, io: stdio, db: db, lock: lock}
	if err := a.fitMemory(ctx, 0, false); err != nil {
		db.Close()
		lock.Release()
		return nil, err
	}
	if !readOnly {
		if err := db.SyncCluster(ctx, cfg.Cluster); err != nil {
			db.Close()
			lock.Release()
			return nil, err
		}
	}
	return a, nil
}

// Open opens the database of env.Config for a command that changes it:
// it takes the run lock (waiting as long as WithLockWait says) and syncs
// the configured cluster. extraDirs are more folders DuckDB may read.
func Open(ctx context.Context, env Env, extraDirs ...string) (*App, error) {
	return openApp(ctx, env.Config, env.Log, env.IO, false, extraDirs...)
}

// DB is the open database.
func (a *App) DB() *store.DB { return a.db }

// Rebuilt says what the last Transform recomputed (nil before one ran).
func (a *App) Rebuilt() *transform.Result { return a.rebuilt }

// Close checkpoints and closes the database, then drops the run lock.
func (a *App) Close() error {
	err := a.db.Close()
	a.out.Close()
	if lerr := a.lock.Release(); err == nil {
		err = lerr
	}
	return err
}

func (a *App) now() time.Time {
	if !a.cfg.Now.IsZero() {
		return a.cfg.Now
	}
	return time.Now()
}

func (a *App) ingestOptions() ingest.Options {
	return ingest.Options{Cluster: &a.cfg.Cluster, Now: a.now(), Encoding: a.cfg.Encoding,
		Locale: a.cfg.Locale, Unit: a.cfg.Unit, Period: a.cfg.Period, AllowEmpty: a.cfg.AllowEmpty}
}

// IngestSummary counts what an ingest step did.
type IngestSummary struct {
	Files     int `json:"files"`
	Loaded    int `json:"loaded"`
	Repeats   int `json:"repeats"`
	Refused   int `json:"refused"`
	Inserted  int `json:"inserted"`
	Updated   int `json:"updated"`
	Unchanged int `json:"unchanged"`
	Rejected  int `json:"rejected"`

	Results []store.LoadResult `json:"-"` // each file loaded or found already loaded
	// Numbers says, by file, how lone 1.234 / 1,234 cells were read when
	// the convention was inferred from the file (Source.NumberLocale).
	Numbers map[string]string `json:"-"`
}

func (s *IngestSummary) add(r store.LoadResult) {
	s.Results = append(s.Results, r)
	s.Files++
	if r.Repeat {
		s.Repeats++
		return
	}
	s.Loaded++
	s.Inserted += r.Load.Inserted
	s.Updated += r.Load.Updated
	s.Unchanged += r.Load.Unchanged
	s.Rejected += r.Load.Rejected
}

// refusedError lists the files refused by an ingest step.
type refusedError struct {
	files []*ingest.FileError
}

func (e *refusedError) Error() string {
	var b bytes.Buffer
	fmt.Fprintf(&b, "%d file(s) refused, nothing of them loaded:", len(e.files))
	for _, f := range e.files {
		b.WriteString("\n")
		b.WriteString(f.Error())
	}
	return b.String()
}

// loadBatch loads one batch read from a file, or reports why it is refused.
func (a *App) loadBatch(ctx context.Context, b thidua.Batch, partial bool, sum *IngestSummary) (*ingest.FileError, error) {
	_, fe, err := a.loadBatchResult(ctx, b, partial, sum)
	return fe, err
}

// loadBatchResult is loadBatch also returning the load (a repeat: the
// earlier load of the same content).
func (a *App) loadBatchResult(ctx context.Context, b thidua.Batch, partial bool, sum *IngestSummary) (store.LoadResult, *ingest.FileError, error) {
	if len(b.Problems) > 0 && !partial {
		sum.Files++
		sum.Refused++
		return store.LoadResult{}, &ingest.FileError{File: b.Source.Name, Problems: b.Problems}, nil
	}
	r, err := a.db.LoadBatch(ctx, b, store.LoadOptions{Partial: partial, Now: a.cfg.Now})
	if err != nil {
		return r, nil, err
	}
	sum.add(r)
	l := r.Load
	if b.Source.NumberLocale != "" {
		if sum.Numbers == nil {
			sum.Numbers = map[string]string{}
		}
		sum.Numbers[l.File] = b.Source.NumberLocale
	}
	if r.Repeat {
		a.log.Info("already loaded, nothing to do", "file", b.Source.File, "load", l.ID, "sha256", l.SHA256[:12])
	} else {
		attrs := []any{"file", b.Source.File, "load", l.ID, "rows", l.Rows, "inserted", l.Inserted,
			"updated", l.Updated, "unchanged", l.Unchanged, "rejected", l.Rejected}
		if b.Source.NumberLocale != "" {
			attrs = append(attrs, "numbers", b.Source.NumberLocale)
		}
		a.log.Info("loaded", attrs...)
	}
	for _, p := range b.Problems {
		a.log.Warn("row rejected", "at", p.Pos.String(), "reason", p.Reason())
	}
	return r, nil, nil
}

// IngestFiles reads and loads each file, skipping (before reading it) a
// file byte-identical to one loaded before (loadedBefore). A refused file does not stop the
// others; the refusals come back as a *refusedError after all were tried.
// It warns when the Go memory limit slowed it down (watchGC).
func (a *App) IngestFiles(ctx context.Context, files []string, partial bool) (sum IngestSummary, err error) {
	err = a.watchGC("ingest", func() error {
		sum, err = a.ingestFiles(ctx, files, partial)
		return err
	})
	return sum, err
}

func (a *App) ingestFiles(ctx context.Context, files []string, partial bool) (IngestSummary, error) {
	var sum IngestSummary
	var refused []*ingest.FileError
	opts := a.ingestOptions()
	for _, f := range files {
		if err := ctx.Err(); err != nil {
			return sum, err
		}
		a.prog.Next(f)
		testHold(ctx, a.log, "load "+filepath.Base(f))
		if prev, ok, err := a.loadedBefore(ctx, f); err != nil {
			return sum, err
		} else if ok {
			sum.add(store.LoadResult{Load: prev, Repeat: true})
			a.log.Info("already loaded, nothing to do", "file", f, "load", prev.ID, "sha256", prev.SHA256[:12])
			continue
		}
		b, err := ingest.ReadFile(f, opts)
		if err != nil {
			var fe *ingest.FileError
			if errors.As(err, &fe) {
				refused = append(refused, fe)
				sum.Files++
				sum.Refused++
				continue
			}
			return sum, err
		}
		// The file's text and records are garbage now; hand them back
		// before DuckDB's load allocates beside the facts.
		releaseMemory()
		if err := a.fitMemory(ctx, int64(len(b.Observations)+len(b.Targets)), false); err != nil {
			return sum, err
		}
		fe, err := a.loadBatch(ctx, b, partial, &sum)
		if err != nil {
			return sum, err
		}
		if fe != nil {
			refused = append(refused, fe)
		}
	}
	if len(refused) > 0 {
		return sum, &refusedError{refused}
	}
	return sum, nil
}

// loadedBefore reports the load of a byte-identical file, found by the
// sha256 of path before it is read and validated, so that a repeat run does
// not parse it again. A load that rejected rows does not count: reading the
// file again reports its problems (and refuses it without --partial), as
// loading it would. A file that cannot be read is left to ingest.ReadFile
// to report. A file whose size no load in effect has is not hashed: it
// cannot be byte-identical to one (the new files of a run, which
// ingest.ReadFile hashes again as it reads them).
func (a *App) loadedBefore(ctx context.Context, path string) (thidua.Load, bool, error) {
	f, err := os.Open(path)
	if err != nil {
		return thidua.Load{}, false, nil
	}
	defer f.Close()
	if st, err := f.Stat(); err == nil && st.Mode().IsRegular() {
		if maybe, err := a.db.LoadedSize(ctx, st.Size()); err != nil || !maybe {
			return thidua.Load{}, false, err
		}
	}
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return thidua.Load{}, false, nil
	}
	l, ok, err := a.db.LoadedSHA(ctx, hex.EncodeToString(h.Sum(nil)))
	if err != nil || !ok || l.Rejected > 0 {
		return thidua.Load{}, false, err
	}
	return l, true, nil
}

// ingestNoInputs is the ingest step when no input was given: the built-in
// synthetic sample goes into a new database (or one that holds only the
// sample), or anywhere when asked with --sample, except into a database
// that holds a real load: that is refused when asked and skipped
// otherwise, so that "thidua run" with no inputs rebuilds the outputs
// from what a real database holds. It reports whether the sample was
// loaded.
func (a *App) ingestNoInputs(ctx context.Context, asked bool) (IngestSummary, bool, error) {
	real, err := a.db.HasRealLoads(ctx)
	if err != nil {
		return IngestSummary{}, false, err
	}
	if real {
		if asked {
			return IngestSummary{}, false, withCode(ExitConfig, fmt.Errorf("--sample: %s %w; use a new --db file to try the sample",
				a.cfg.DB, errSampleIntoReal))
		}
		a.log.Info("no inputs given: the database holds real loads, so nothing is loaded (the synthetic sample goes only into a new database); rebuilding from what it holds")
		return IngestSummary{}, false, nil
	}
	a.log.Info("no inputs given: using the built-in synthetic sample", "sample", sample.Name)
	sum, err := a.ingestSample(ctx)
	return sum, true, err
}

// errSampleIntoReal wraps store.ErrSampleRefused in the words of the
// command line.
var errSampleIntoReal = fmt.Errorf("holds real loads: %w", store.ErrSampleRefused)

// ingestSample loads the built-in synthetic sample through the CSV readers.
func (a *App) ingestSample(ctx context.Context) (IngestSummary, error) {
	var sum IngestSummary
	opts := a.ingestOptions()
	for _, f := range sample.Files() {
		var b thidua.Batch
		var err error
		name := "sample/" + f.Name
		switch f.Name {
		case "observations.csv":
			b, err = ingest.ReadCSV(name, bytes.NewReader(f.Data), opts)
		case "targets.csv":
			b, err = ingest.ReadTargets(name, bytes.NewReader(f.Data), opts)
		default:
			continue
		}
		if err != nil {
			return sum, fmt.Errorf("built-in sample %s: %w", f.Name, err)
		}
		h := sha256.Sum256(f.Data)
		b.Source = thidua.Source{File: name, Name: name, SHA256: hex.EncodeToString(h[:]), Size: int64(len(f.Data)), Format: store.FormatSample}
		fe, err := a.loadBatch(ctx, b, false, &sum)
		if errors.Is(err, store.ErrSampleRefused) {
			return sum, withCode(ExitConfig, err)
		}
		if err != nil {
			return sum, err
		}
		if fe != nil {
			return sum, fmt.Errorf("built-in sample refused (a bug): %w", fe)
		}
	}
	return sum, nil
}

// loadBonus replaces the bonus points from the configured file, if any.
func (a *App) loadBonus(ctx context.Context) error {
	if a.cfg.Bonus == "" {
		return nil
	}
	f, err := os.Open(a.cfg.Bonus)
	if err != nil {
		return withCode(ExitConfig, fmt.Errorf("bonus file: %w", err))
	}
	defer f.Close()
	bs, problems, err := ingest.ReadBonus(filepath.Base(a.cfg.Bonus), f, a.ingestOptions())
	if err != nil {
		return err
	}
	if len(problems) > 0 {
		return withCode(ExitData, &ingest.FileError{File: a.cfg.Bonus, Problems: problems})
	}
	return a.db.ReplaceBonus(ctx, bs)
}

// Transform loads the configured bonus points and runs the SQL models.
func (a *App) Transform(ctx context.Context) error {
	// Sized for the facts held now (the ingest before may have added
	// many), on a database opened afresh: the ingest's pages of the
	// tables are not kept beside the transform's.
	if err := a.fitMemory(ctx, 0, true); err != nil {
		return err
	}
	if err := a.loadBonus(ctx); err != nil {
		return err
	}
	start := time.Now()
	var res transform.Result
	err := a.growMemory(ctx, "transform", func() (err error) {
		limit, _ := config.ParseSize(a.db.MemoryLimit()) // "": DuckDB's default, not known here
		res, err = transform.Rebuild(ctx, a.db.SQL(), transform.Options{Now: a.now(), Quality: a.cfg.Quality, ClosePct: a.cfg.ClosePct,
			Rules: a.cfg.Rules, Log: a.log, Full: a.fullTransform, MemoryLimit: limit})
		return err
	})
	if err != nil {
		return err
	}
	a.rebuilt = &res
	if res.Full {
		a.log.Info("transformed: every year rebuilt", "years", res.Years, "why", res.Reason, "took", time.Since(start).Round(time.Millisecond))
	} else {
		a.log.Info("transformed: only the years whose inputs changed, and the year after each", "changed", res.Changed,
			"rebuilt", res.Years, "took", time.Since(start).Round(time.Millisecond))
	}
	return nil
}

// Dashboards writes the site to dir (OUT/NAME), built aside and swapped in
// whole, and returns its files. It warns when the Go memory limit slowed it
// down (watchGC).
func (a *App) Dashboards(ctx context.Context, dir string, single bool, generatedAt time.Time) (files []string, err error) {
	facts, err := a.db.Facts(ctx)
	if err != nil {
		return nil, err
	}
	err = a.watchGC("dashboards", func() error {
		return withGCPercent(dashboardsGC(facts), func() error {
			return a.growMemory(ctx, "dashboards", func() (err error) {
				files, err = a.dashboards(ctx, dir, single, generatedAt)
				return err
			})
		})
	})
	return files, err
}

func (a *App) dashboards(ctx context.Context, dir string, single bool, generatedAt time.Time) ([]string, error) {
	// On a database opened afresh: what the transform left in DuckDB's
	// memory (its tables' pages, up to memory_limit) would otherwise stay
	// beside the pages being written.
	if err := a.fitMemory(ctx, 0, true); err != nil {
		return nil, err
	}
	// The units' rows are read page by page (dashboards.RenderRows).
	rep, err := a.db.ReportMeta(ctx)
	if err != nil {
		return nil, err
	}
	if generatedAt.IsZero() {
		generatedAt = a.now()
	}
	// Each period's rows, keyed: the period files of periods whose key
	// did not change are taken over from the site being replaced.
	keys, err := a.db.PopPeriodKeys(ctx)
	if err != nil {
		return nil, err
	}
	// Written into a new folder swapped in whole when complete (outdir.go).
	files, err := a.publishDir(ctx, dir, func(tmp string) ([]string, error) {
		files, reuse, err := dashboards.RenderRowsOver(ctx, tmp, dir, keys, rep, a.db,
			dashboards.Options{Lang: a.cfg.Lang, SingleFile: single, GeneratedAt: generatedAt, LargeCluster: a.cfg.LargeCluster})
		a.pages = &reuse
		return files, err
	})
	if err != nil {
		return nil, err
	}
	a.log.Info("dashboards written", "dir", dir, "files", len(files))
	return files, nil
}

// ExportParquet writes every table as Parquet to dir (OUT/NAME), built
// aside and swapped in whole, and returns the files.
func (a *App) ExportParquet(ctx context.Context, dir string) ([]string, error) {
	// Written into a new folder swapped in whole when complete (outdir.go).
	var files []string
	err := a.growMemory(ctx, "export", func() (err error) {
		files, err = a.publishDir(ctx, dir, func(tmp string) ([]string, error) {
			return a.db.ExportParquet(ctx, tmp)
		})
		return err
	})
	if err != nil {
		return nil, err
	}
	a.log.Info("parquet written", "dir", dir, "files", len(files))
	return files, nil
}
