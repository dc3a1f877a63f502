package pipeline

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"time"

	"github.com/thidua/thidua/dashboards"
	"github.com/thidua/thidua/store"
	"github.com/thidua/thidua/transform"
)

// RunSummary is the machine-readable account of one run, written to
// OUT/run.json (atomically) and kept in the runs table.
type RunSummary struct {
	RunID      string           `json:"run_id"`
	Command    string           `json:"command"`
	PID        int              `json:"pid"`
	StartedAt  time.Time        `json:"started_at"`
	FinishedAt time.Time        `json:"finished_at"`
	Seconds    float64          `json:"seconds"`
	Status     string           `json:"status"`      // ok, refused, failed, interrupted
	ExitStatus int              `json:"exit_status"` // the process's exit status
	Error      string           `json:"error,omitempty"`
	DB         string           `json:"db"`
	Out        string           `json:"out"`
	Inputs     []string         `json:"inputs"`
	Sample     bool             `json:"sample"` // the built-in synthetic sample was used
	Ingest     *IngestSummary   `json:"ingest,omitempty"`
	Loads      []loadSummary    `json:"loads"`
	Refused    []refusedFile    `json:"refused"`
	Rows       map[string]int64 `json:"rows"` // table rows at the end of the run
	Steps      []stepSummary    `json:"steps"`
	Rebuilt    *RebuiltSummary  `json:"rebuilt,omitempty"` // what the transform recomputed
	Outputs    []string         `json:"outputs,omitempty"`
	Versions   versions         `json:"versions"`
}

type loadSummary struct {
	File      string `json:"file"`
	LoadID    int64  `json:"load_id"`
	SHA256    string `json:"sha256"`
	Repeat    bool   `json:"repeat"` // byte-identical to an earlier load: nothing changed
	Rows      int    `json:"rows"`
	Inserted  int    `json:"inserted"`
	Updated   int    `json:"updated"`
	Unchanged int    `json:"unchanged"`
	Rejected  int    `json:"rejected"`
	// Numbers says how lone 1.234 / 1,234 cells were read when the
	// convention was inferred from the file: the convention and the cell
	// that showed it.
	Numbers string `json:"numbers,omitempty"`
}

type refusedFile struct {
	File     string        `json:"file"`
	Problems []problemJSON `json:"problems"`
}

type problemJSON struct {
	At      string `json:"at"` // FILE:LINE[:COLUMN] or FILE:SHEET!CELL
	Message string `json:"message"`
}

// RebuiltSummary says which years the transform recomputed: all of them
// (full, with the reason), or those whose inputs changed and the year
// after each.
type RebuiltSummary struct {
	Full     bool   `json:"full"`
	Reason   string `json:"reason,omitempty"`
	Changed  []int  `json:"changed_years"`
	Years    []int  `json:"years"`
	Rejudged int    `json:"rejudged_months"` // months of other years whose value checks were made again
	// Partitions: with --partition-by year, the Parquet partitions written
	// and those taken over unchanged from the previous export.
	Partitions *store.Partitions `json:"parquet_partitions,omitempty"`
	// Pages: the dashboards' period files written and those taken over
	// unchanged from the previous site (its pages are always written).
	Pages *dashboards.Reuse `json:"dashboards,omitempty"`
}

func newRebuiltSummary(r *transform.Result) *RebuiltSummary {
	if r == nil {
		return nil
	}
	s := &RebuiltSummary{Full: r.Full, Reason: r.Reason, Changed: r.Changed, Years: r.Years, Rejudged: r.Rejudged}
	if s.Changed == nil {
		s.Changed = []int{}
	}
	if s.Years == nil {
		s.Years = []int{}
	}
	return s
}

type stepSummary struct {
	Name    string  `json:"name"`
	Seconds float64 `json:"seconds"`
	// PeakRSSMB is the process's peak RSS so far when the step ended, in
	// MB (10^6 bytes), on Linux: the step that raised it is the one whose
	// figure is above the previous step's.
	PeakRSSMB float64 `json:"peak_rss_mb,omitempty"`
	Error     string  `json:"error,omitempty"`
}

type versions struct {
	Thidua   string `json:"thidua"`
	Go       string `json:"go"`
	DuckDBGo string `json:"duckdb_go"`
	DuckDB   string `json:"duckdb"`
}

// runRecord follows one run of a pipeline command: it opens the run in the
// runs table, times each step (with a progress line on a terminal) and, at
// the end, writes the summary to OUT/run.json and the runs table.
type runRecord struct {
	a   *App
	sum RunSummary
}

// beginRun opens the output folder (removing what killed runs left there)
// and records the run as running. The caller holds the run lock (openApp).
func (a *App) beginRun(ctx context.Context, command string, inputs []string) (*runRecord, error) {
	now := time.Now().UTC()
	r := &runRecord{a: a, sum: RunSummary{
		RunID: fmt.Sprintf("%s-%d", now.Format("20060102T150405.000Z"), os.Getpid()), Command: command,
		PID: os.Getpid(), StartedAt: now, Status: store.RunRunning, DB: a.db.Path(), Inputs: inputs,
		Loads: []loadSummary{}, Refused: []refusedFile{}, Steps: []stepSummary{},
	}}
	if r.sum.Inputs == nil {
		r.sum.Inputs = []string{}
	}
	out, err := a.outDir()
	if err != nil {
		return nil, err
	}
	r.sum.Out = out.path
	if err := a.db.BeginRun(ctx, store.Run{ID: r.sum.RunID, Command: command, PID: r.sum.PID, Version: version(), StartedAt: now}); err != nil {
		return nil, err
	}
	a.log.Debug("run started", "run", r.sum.RunID, "db", r.sum.DB, "out", r.sum.Out)
	return r, nil
}

// step runs fn as the step name, timing it and showing it on the progress
// line; total is its number of items (0: unknown).
func (r *runRecord) step(ctx context.Context, name string, total int, fn func() error) error {
	r.a.log.Debug("step start", "step", name)
	r.a.prog.Start(name, total)
	testHold(ctx, r.a.log, "step "+name)
	start := time.Now()
	err := fn()
	releaseMemory()
	r.a.prog.Done()
	s := stepSummary{Name: name, Seconds: time.Since(start).Seconds(), PeakRSSMB: math.Round(float64(peakRSS())/1e5) / 10}
	if err != nil {
		s.Error = err.Error()
	}
	r.sum.Steps = append(r.sum.Steps, s)
	r.a.log.Debug("step done", "step", name, "took", time.Since(start).Round(time.Millisecond))
	return err
}

// addIngest records what an ingest step loaded and refused.
func (r *runRecord) addIngest(sum IngestSummary, err error) {
	r.sum.Ingest = &sum
	for _, l := range sum.Results {
		r.sum.Loads = append(r.sum.Loads, loadSummary{File: l.Load.File, LoadID: l.Load.ID, SHA256: l.Load.SHA256,
			Repeat: l.Repeat, Rows: l.Load.Rows, Inserted: l.Load.Inserted, Updated: l.Load.Updated,
			Unchanged: l.Load.Unchanged, Rejected: l.Load.Rejected, Numbers: sum.Numbers[l.Load.File]})
	}
	var re *refusedError
	if errors.As(err, &re) {
		for _, f := range re.files {
			rf := refusedFile{File: f.File, Problems: []problemJSON{}}
			for _, p := range f.Problems {
				if p.Pos.File == "" {
					p.Pos.File = f.File
				}
				rf.Problems = append(rf.Problems, problemJSON{At: p.Pos.String(), Message: p.Reason()})
			}
			r.sum.Refused = append(r.sum.Refused, rf)
		}
	}
}

// finish completes the run with its outcome err: it writes OUT/run.json and
// the runs row even when ctx was cancelled (a stop by signal is recorded as
// interrupted). It returns err, or, if the run itself succeeded, an error
// recording the summary met.
func (r *runRecord) finish(ctx context.Context, err error) error {
	a := r.a
	bg := context.WithoutCancel(ctx)
	s := &r.sum
	s.FinishedAt = time.Now().UTC()
	s.Seconds = s.FinishedAt.Sub(s.StartedAt).Seconds()
	s.ExitStatus = exitCode(ctx, err)
	var re *refusedError
	switch {
	case err == nil:
		s.Status = store.RunOK
	case s.ExitStatus == ExitInterrupted:
		s.Status = store.RunInterrupted
	case errors.As(err, &re):
		s.Status = store.RunRefused
	default:
		s.Status = store.RunFailed
	}
	if err != nil {
		s.Error = err.Error()
	}
	var errs []error
	if rows, rerr := a.db.TableRows(bg); rerr == nil {
		s.Rows = rows
	} else {
		errs = append(errs, rerr)
	}
	s.Versions = buildVersions()
	if v, verr := a.db.EngineVersion(bg); verr == nil {
		s.Versions.DuckDB = v
	}
	body, jerr := json.MarshalIndent(s, "", "  ")
	if jerr != nil {
		return errors.Join(err, jerr)
	}
	body = append(body, '\n')
	if werr := a.out.writeFile("run.json", body); werr != nil {
		errs = append(errs, werr)
	}
	if ferr := a.db.FinishRun(bg, store.Run{ID: s.RunID, FinishedAt: s.FinishedAt, Status: s.Status,
		ExitCode: s.ExitStatus, Summary: string(body)}); ferr != nil {
		errs = append(errs, ferr)
	}
	a.log.Info("run finished", "run", s.RunID, "status", s.Status, "exit", s.ExitStatus,
		"took", time.Duration(s.Seconds*float64(time.Second)).Round(time.Millisecond),
		"summary", filepath.Join(s.Out, "run.json"))
	if err != nil {
		for _, e := range errs {
			a.log.Error("recording the run", "err", e)
		}
		if s.ExitStatus == ExitInterrupted {
			step := "start"
			if n := len(s.Steps); n > 0 {
				step = s.Steps[n-1].Name
			}
			return withCode(ExitInterrupted, fmt.Errorf("interrupted by a signal during %s: stopped cleanly; "+
				"loads completed before it are kept, nothing is half-written (%w)", step, err))
		}
		return err
	}
	return errors.Join(errs...)
}

func buildVersions() versions {
	v := versions{Thidua: version(), Go: runtime.Version()}
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, d := range bi.Deps {
			if d.Path == "github.com/duckdb/duckdb-go/v2" {
				v.DuckDBGo = d.Version
				if d.Replace != nil {
					v.DuckDBGo = d.Replace.Version
				}
			}
		}
	}
	return v
}
