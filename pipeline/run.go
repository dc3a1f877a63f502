package pipeline

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"time"

	"github.com/thidua/thidua/config"
	"github.com/thidua/thidua/dashboards"
	"github.com/thidua/thidua/ingest"
)

// RunOptions are the flags of "thidua run".
type RunOptions struct {
	Inputs      []string // the INPUT arguments; none: the configured inputs (see inputsToRead)
	Partial     bool     // load the good rows of files with bad ones
	Sample      bool     // load the built-in synthetic sample
	Rebuild     bool     // load nothing; rebuild the outputs
	Full        bool     // the transform recomputes every year
	SingleFile  bool     // also write the site as one file
	GeneratedAt string   // pins the pages' generated-at time (RFC 3339 or date)
	Inbox       InboxOptions
	Export      ExportOptions // copies besides the Parquet export
}

// Run is "thidua run": the whole pipeline, ingest, transform, dashboards,
// the report (reports.on_run) and the exports, recorded in OUT/run.json and
// the runs table.
func Run(ctx context.Context, env Env, o RunOptions) (err error) {
	cfg, log, stdio := env.Config, env.Log, env.IO
	genAt, err := parseGeneratedAt(o.GeneratedAt)
	if err != nil {
		return withCode(ExitConfig, err)
	}
	if err := o.check(); err != nil {
		return err
	}
	inputs := inputsToRead(cfg, o.Inputs, o.Sample || o.Rebuild)
	// A binary built without ECharts (a plain go build of a fresh clone)
	// says so before it loads anything, not after the transform.
	if _, err := dashboards.ECharts(); err != nil {
		return err
	}
	// On a terminal, a progress line for each step, with the log lines
	// written above it (progress.go).
	prog := newProgress(stdio.Err)
	if prog != nil {
		log = progressLogger(cfg, prog)
		defer prog.Done()
	}
	a, err := openApp(ctx, cfg, log, stdio, false, o.Inbox.allowed()...) // takes the run lock
	if err != nil {
		return err
	}
	defer a.Close()
	a.prog = prog
	a.fullTransform = o.Full
	// Recorded in OUT/run.json and the runs table, whatever the outcome
	// (runsummary.go).
	rec, err := a.beginRun(ctx, "run", inputs)
	if err != nil {
		return err
	}
	defer func() { err = rec.finish(ctx, err) }()
	var refused error // files refused: the exit status once the rest is done
	err = rec.step(ctx, "ingest", len(inputs), func() error {
		var err error
		refused, err = a.runIngest(ctx, rec, o, inputs)
		return err
	})
	if err != nil {
		return err
	}
	if err := rec.step(ctx, "transform", 0, func() error { return a.Transform(ctx) }); err != nil {
		return err
	}
	rec.sum.Rebuilt = newRebuiltSummary(a.rebuilt)
	if err := rec.step(ctx, "render", 0, func() error {
		_, err := a.Dashboards(ctx, filepath.Join(cfg.Out, "dashboards"), o.SingleFile, genAt)
		return err
	}); err != nil {
		return err
	}
	rec.sum.Outputs = append(rec.sum.Outputs, filepath.Join(rec.sum.Out, "dashboards"))
	var reportPath string
	if cfg.Reports.OnRun {
		if err := rec.step(ctx, "report", 0, func() error {
			var err error
			reportPath, err = a.latestReport(ctx)
			return err
		}); err != nil {
			return err
		}
		if reportPath != "" {
			rec.sum.Outputs = append(rec.sum.Outputs, filepath.Join(rec.sum.Out, "reports"))
		}
	}
	if err := rec.step(ctx, "export", 0, func() error {
		_, err := a.exportAll(ctx, o.Export) // default: Parquet only
		return err
	}); err != nil {
		return err
	}
	if rec.sum.Rebuilt != nil {
		rec.sum.Rebuilt.Partitions = a.partitions
		rec.sum.Rebuilt.Pages = a.pages
	}
	for _, f := range o.Export.Formats {
		rec.sum.Outputs = append(rec.sum.Outputs, filepath.Join(rec.sum.Out, f))
	}
	if err := a.db.Checkpoint(ctx); err != nil {
		return err
	}
	fmt.Fprintf(stdio.Out, "dashboards: %s\nparquet:    %s\n",
		filepath.Join(cfg.Out, "dashboards", "index.html"), filepath.Join(cfg.Out, "parquet"))
	if reportPath != "" {
		fmt.Fprintf(stdio.Out, "report:     %s\n", reportPath)
	}
	for _, f := range o.Export.Formats[1:] { // the copies (exports.go)
		fmt.Fprintf(stdio.Out, "%-11s %s\n", f+":", filepath.Join(cfg.Out, f))
	}
	if o.Inbox.Dir != "" && refused != nil {
		return refused // ExitPartial or ExitData (inboxExit)
	}
	if refused != nil {
		return withCode(ExitData, refused)
	}
	return nil
}

func parseGeneratedAt(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	for _, layout := range []string{time.RFC3339, time.DateOnly} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("--generated-at %q: want RFC 3339 (2020-07-15T08:00:00Z) or a date (2020-07-15)", s)
}

// check refuses flags that do not go together.
func (o *RunOptions) check() error {
	if err := o.Inbox.check(o.Inputs); err != nil {
		return err
	}
	if o.Sample && (len(o.Inputs) > 0 || o.Inbox.Dir != "") {
		return withCode(ExitConfig, errors.New("--sample loads the built-in synthetic sample and takes no INPUT or --inbox"))
	}
	if o.Rebuild && (o.Sample || len(o.Inputs) > 0 || o.Inbox.Dir != "") {
		return withCode(ExitConfig, errors.New("--rebuild loads nothing and takes no INPUT, --inbox or --sample"))
	}
	return o.Export.checkRun()
}

// runIngest is run's ingest step, recorded in rec: the inbox's new files,
// else nothing (--rebuild), else the sample when no input is given, else
// the inputs. Files refused come back as refused, with the exit status
// they give once the rest of the run is done; err stops the run.
func (a *App) runIngest(ctx context.Context, rec *runRecord, o RunOptions, inputs []string) (refused, err error) {
	cfg, log := a.cfg, a.log
	if o.Inbox.Dir != "" {
		sum, err := a.ingestInbox(ctx, o.Inbox, o.Partial || cfg.Partial)
		rec.addIngest(sum, err)
		var re *refusedError
		if errors.As(err, &re) {
			return inboxExit(sum, err), nil
		}
		return nil, err
	}
	if o.Rebuild {
		log.Info("--rebuild: nothing loaded; rebuilding from what the database holds")
		return nil, nil
	}
	if len(inputs) == 0 {
		sum, sampled, err := a.ingestNoInputs(ctx, o.Sample)
		rec.sum.Sample = sampled
		rec.addIngest(sum, err)
		return nil, err
	}
	sum, err := a.IngestFiles(ctx, inputs, o.Partial || cfg.Partial)
	rec.addIngest(sum, err)
	var re *refusedError
	if errors.As(err, &re) {
		refused = err
	} else if err != nil {
		return nil, err
	}
	log.Info("ingest done", "files", sum.Files, "loaded", sum.Loaded, "repeats", sum.Repeats, "refused", sum.Refused)
	return refused, nil
}

// inputsToRead is the one place that decides which files a command loads:
// the INPUT arguments given, else the configured targets and inputs (targets
// first), else none. loadNothing (--sample, --rebuild) reads none at all.
func inputsToRead(cfg *config.Config, given []string, loadNothing bool) []string {
	switch {
	case loadNothing:
		return nil
	case len(given) > 0:
		return given
	}
	return append(append([]string(nil), cfg.Targets...), cfg.Inputs...)
}

// IngestOptions are the flags of "thidua ingest".
type IngestOptions struct {
	Inputs  []string // the INPUT arguments; none: the configured inputs
	Partial bool
	Sample  bool
	Inbox   InboxOptions
}

// Ingest is "thidua ingest": it loads the inputs (or the inbox's new files,
// or the built-in sample) and prints what it did.
func Ingest(ctx context.Context, env Env, o IngestOptions) error {
	cfg, log, stdio := env.Config, env.Log, env.IO
	if err := o.Inbox.check(o.Inputs); err != nil {
		return err
	}
	if o.Sample && (len(o.Inputs) > 0 || o.Inbox.Dir != "") {
		return withCode(ExitConfig, errors.New("--sample loads the built-in synthetic sample and takes no INPUT or --inbox"))
	}
	a, err := openApp(ctx, cfg, log, stdio, false, o.Inbox.allowed()...)
	if err != nil {
		return err
	}
	defer a.Close()
	inputs := inputsToRead(cfg, o.Inputs, o.Sample)
	var sum IngestSummary
	if o.Inbox.Dir != "" {
		sum, err = a.ingestInbox(ctx, o.Inbox, o.Partial || cfg.Partial)
	} else if len(inputs) == 0 {
		var sampled bool
		sum, sampled, err = a.ingestNoInputs(ctx, o.Sample)
		if err == nil && !sampled {
			return withCode(ExitConfig, errors.New("nothing to ingest: no INPUT given (the synthetic sample goes only into a new database)"))
		}
	} else {
		sum, err = a.IngestFiles(ctx, inputs, o.Partial || cfg.Partial)
	}
	fmt.Fprintf(stdio.Out, "files %d: loaded %d, already loaded %d, refused %d; values inserted %d, updated %d, unchanged %d, rejected %d\n",
		sum.Files, sum.Loaded, sum.Repeats, sum.Refused, sum.Inserted, sum.Updated, sum.Unchanged, sum.Rejected)
	if o.Inbox.Dir != "" {
		return inboxExit(sum, err)
	}
	var re *refusedError
	if errors.As(err, &re) {
		return withCode(ExitData, err)
	}
	return err
}

// Validate is "thidua validate": every check of ingest on each file,
// nothing loaded.
func Validate(ctx context.Context, env Env, files []string) error {
	a := &App{cfg: env.Config, log: env.Log, io: env.IO}
	out := env.IO.Out
	var refused []*ingest.FileError
	for _, f := range files {
		if err := ctx.Err(); err != nil {
			return err
		}
		b, err := ingest.ReadFile(f, a.ingestOptions())
		var fe *ingest.FileError
		switch {
		case errors.As(err, &fe):
			refused = append(refused, fe)
			continue
		case err != nil:
			return err
		}
		if len(b.Problems) > 0 {
			refused = append(refused, &ingest.FileError{File: b.Source.Name, Problems: b.Problems})
			continue
		}
		// "values" as ingest counts them ("values inserted N"):
		// reported values and annual targets alike.
		fmt.Fprintf(out, "%s: ok, %d rows, %d values (%d reported, %d annual targets)\n",
			f, b.Rows, len(b.Observations)+len(b.Targets), len(b.Observations), len(b.Targets))
		if b.Source.NumberLocale != "" {
			fmt.Fprintf(out, "%s: numbers read %s\n", f, b.Source.NumberLocale)
		}
	}
	if len(refused) > 0 {
		return withCode(ExitData, &refusedError{refused})
	}
	return nil
}

// TransformOptions are the flags of "thidua transform".
type TransformOptions struct {
	Full bool // recompute every year, not only those whose inputs changed
}

// Transform is "thidua transform": the SQL models bring the tables up to
// date.
func Transform(ctx context.Context, env Env, o TransformOptions) error {
	a, err := openApp(ctx, env.Config, env.Log, env.IO, false)
	if err != nil {
		return err
	}
	defer a.Close()
	a.fullTransform = o.Full
	return a.Transform(ctx)
}

// DashboardsOptions are the flags of "thidua dashboards".
type DashboardsOptions struct {
	SingleFile  bool
	GeneratedAt string // RFC 3339 or date; "" for now
}

// Dashboards is "thidua dashboards": the site, written aside and swapped
// in whole.
func Dashboards(ctx context.Context, env Env, o DashboardsOptions) error {
	t, err := parseGeneratedAt(o.GeneratedAt)
	if err != nil {
		return withCode(ExitConfig, err)
	}
	if _, err := dashboards.ECharts(); err != nil {
		return err // before taking the lock: this build cannot render
	}
	a, err := openApp(ctx, env.Config, env.Log, env.IO, false)
	if err != nil {
		return err
	}
	defer a.Close()
	_, err = a.Dashboards(ctx, filepath.Join(env.Config.Out, "dashboards"), o.SingleFile, t)
	return err
}

// Export is "thidua export": each format asked for, to OUT/FORMAT/.
func Export(ctx context.Context, env Env, o ExportOptions) error {
	if err := o.check(); err != nil {
		return err
	}
	a, err := openApp(ctx, env.Config, env.Log, env.IO, false)
	if err != nil {
		return err
	}
	defer a.Close()
	files, err := a.exportAll(ctx, o)
	for _, f := range files {
		fmt.Fprintln(env.IO.Out, f)
	}
	return err
}
