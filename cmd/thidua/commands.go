package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"
	"runtime/debug"
	"time"

	"github.com/spf13/cobra"

	"github.com/thidua/thidua/config"
	"github.com/thidua/thidua/dashboards"
)

// runOptions are the flags of "thidua run".
type runOptions struct {
	inputs      []string
	partial     bool
	sample      bool
	rebuild     bool
	full        bool
	single      bool
	generatedAt string
	inbox       inboxOptions  // inbox.go
	export      exportOptions // exports.go
}

func newRunCmd(g *globalFlags, stdio *IO) *cobra.Command {
	o := &runOptions{}
	cmd := &cobra.Command{
		Use:   "run [flags] [INPUT...]",
		Short: "Ingest, transform, write dashboards and Parquet: the whole pipeline",
		Long: `run ingests the INPUT files (or the configured inputs), rebuilds the indicator
tables and scores, writes the dashboards to OUT/dashboards/ and the Parquet files
to OUT/parquet/.

With no inputs it loads the built-in synthetic sample into a new database (or
with --sample); a database that holds any real load never receives sample rows:
there, run with no inputs loads nothing and rebuilds the tables, dashboards and
exports from what the database holds. --rebuild does that whatever the
configuration names as inputs (after "thidua loads --undo", say).`,
		Example: `  thidua run                              # new database: built-in synthetic sample
  thidua run --db bk.duckdb --out out reports/*.csv reports/*.xlsx
  thidua run --rebuild --db bk.duckdb --out out   # load nothing, rebuild everything`,
		RunE: func(cmd *cobra.Command, args []string) error {
			o.inputs = args
			cfg, log, err := loadConfig(cmd, g, stdio)
			if err != nil {
				return err
			}
			return runRun(cmd.Context(), cfg, log, stdio, o)
		},
	}
	dbFlags(cmd.Flags())
	cmd.Flags().BoolVar(&o.partial, "partial", false, "load the good rows of files with bad rows (bad rows go to the rejects table)")
	cmd.Flags().BoolVar(&o.sample, "sample", false, "load the built-in synthetic sample (refused on a database that holds real loads)")
	cmd.Flags().BoolVar(&o.rebuild, "rebuild", false, "load nothing: rebuild the tables, dashboards and exports from what the database holds")
	cmd.Flags().BoolVar(&o.full, "full", false, "recompute every year, not only those whose inputs changed since the last run")
	inputFlags(cmd.Flags())
	cmd.Flags().BoolVar(&o.single, "single-file", false, "also write the whole site as one self-contained file, thidua.html, beside the pages")
	cmd.Flags().String("lang", "", "dashboard language: vi or en (default vi)")
	cmd.Flags().StringVar(&o.generatedAt, "generated-at", "", "pin the generated-at time shown on pages (RFC 3339 or date)")
	inboxFlags(cmd.Flags(), &o.inbox)
	exportFlags(cmd.Flags(), &o.export)
	return cmd
}

func runRun(ctx context.Context, cfg *config.Config, log *slog.Logger, stdio *IO, o *runOptions) (err error) {
	inputs := o.inputs
	if len(inputs) == 0 {
		inputs = append(cfg.Targets, cfg.Inputs...)
	}
	genAt, err := parseGeneratedAt(o.generatedAt)
	if err != nil {
		return withCode(ExitConfig, err)
	}
	if err := o.inbox.check(o.inputs); err != nil {
		return err
	}
	if o.sample && (len(o.inputs) > 0 || o.inbox.dir != "") {
		return withCode(ExitConfig, errors.New("--sample loads the built-in synthetic sample and takes no INPUT or --inbox"))
	}
	if o.rebuild && (o.sample || len(o.inputs) > 0 || o.inbox.dir != "") {
		return withCode(ExitConfig, errors.New("--rebuild loads nothing and takes no INPUT, --inbox or --sample"))
	}
	if o.sample || o.rebuild {
		inputs = nil
	}
	if err := o.export.checkRun(); err != nil {
		return err
	}
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
	a, err := openApp(ctx, cfg, log, stdio, false, o.inbox.allowed()...) // takes the run lock
	if err != nil {
		return err
	}
	defer a.Close()
	a.prog = prog
	a.fullTransform = o.full
	// Recorded in OUT/run.json and the runs table, whatever the outcome
	// (runsummary.go).
	rec, err := a.beginRun(ctx, "run", inputs)
	if err != nil {
		return err
	}
	defer func() { err = rec.finish(ctx, err) }()
	var refused error
	err = rec.step("ingest", len(inputs), func() error {
		if o.inbox.dir != "" {
			sum, err := a.ingestInbox(ctx, o.inbox, o.partial || cfg.Partial)
			rec.addIngest(sum, err)
			var re *refusedError
			if errors.As(err, &re) {
				refused = inboxExit(sum, err)
				return nil
			}
			return err
		}
		if o.rebuild {
			log.Info("--rebuild: nothing loaded; rebuilding from what the database holds")
			return nil
		}
		if len(inputs) == 0 {
			sum, sampled, err := a.ingestNoInputs(ctx, o.sample)
			rec.sum.Sample = sampled
			rec.addIngest(sum, err)
			return err
		}
		sum, err := a.ingestFiles(ctx, inputs, o.partial || cfg.Partial)
		rec.addIngest(sum, err)
		var re *refusedError
		if errors.As(err, &re) {
			refused = err
		} else if err != nil {
			return err
		}
		log.Info("ingest done", "files", sum.Files, "loaded", sum.Loaded, "repeats", sum.Repeats, "refused", sum.Refused)
		return nil
	})
	if err != nil {
		return err
	}
	if err := rec.step("transform", 0, func() error { return a.transform(ctx) }); err != nil {
		return err
	}
	rec.sum.Rebuilt = newRebuiltSummary(a.rebuilt)
	if err := rec.step("render", 0, func() error {
		_, err := a.dashboards(ctx, filepath.Join(cfg.Out, "dashboards"), o.single, genAt)
		return err
	}); err != nil {
		return err
	}
	rec.sum.Outputs = append(rec.sum.Outputs, filepath.Join(rec.sum.Out, "dashboards"))
	var reportPath string
	if cfg.Reports.OnRun {
		if err := rec.step("report", 0, func() error {
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
	if err := rec.step("export", 0, func() error {
		_, err := a.exportAll(ctx, o.export) // default: Parquet only
		return err
	}); err != nil {
		return err
	}
	if rec.sum.Rebuilt != nil {
		rec.sum.Rebuilt.Partitions = a.partitions
	}
	for _, f := range o.export.formats {
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
	for _, f := range o.export.formats[1:] { // the copies (exports.go)
		fmt.Fprintf(stdio.Out, "%-11s %s\n", f+":", filepath.Join(cfg.Out, f))
	}
	if o.inbox.dir != "" && refused != nil {
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

func newVersionCmd(stdio *IO) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the version of thidua and of its engines",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			fmt.Fprintf(stdio.Out, "thidua %s\n", version())
			if bi, ok := debug.ReadBuildInfo(); ok {
				fmt.Fprintf(stdio.Out, "go %s\n", bi.GoVersion)
				for _, d := range bi.Deps {
					switch d.Path {
					case "github.com/duckdb/duckdb-go/v2", "github.com/go-echarts/go-echarts/v2", "github.com/xuri/excelize/v2", "github.com/apache/arrow-go/v18":
						fmt.Fprintf(stdio.Out, "%s %s\n", d.Path, d.Version)
					}
				}
			}
			return nil
		},
	}
}

// version is the module version (v1.2.0 when installed with "go install
// ...@v1.2.0"), else, for a build from a git checkout, the VCS revision the
// go command recorded: "devel 0123456789ab (2026-12-01T10:00:00Z)", with
// "+modified" when the tree had uncommitted changes; "devel" only when
// neither is known (go build -buildvcs=false).
func version() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "devel"
	}
	return versionOf(bi)
}

func versionOf(bi *debug.BuildInfo) string {
	if v := bi.Main.Version; v != "" && v != "(devel)" {
		return v
	}
	var rev, at string
	var modified bool
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.time":
			at = s.Value
		case "vcs.modified":
			modified = s.Value == "true"
		}
	}
	if rev == "" {
		return "devel"
	}
	v := "devel " + shortSHA(rev)
	if modified {
		v += "+modified"
	}
	if at != "" {
		v += " (" + at + ")"
	}
	return v
}
