package main

import (
	"context"
	"fmt"
	"runtime/debug"

	"github.com/spf13/cobra"

	"github.com/thidua/thidua/pipeline"
)

// runOptions are the options of "thidua run".
type runOptions struct {
	common
	pipeline.RunOptions
}

// NewCmdRun makes "thidua run"; runF receives its options.
func NewCmdRun(f *factory, runF func(*runOptions) error) *cobra.Command {
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
			o.Inputs = args
			o.Env = f.envOf(cmd)
			return runF(o)
		},
	}
	dbFlags(cmd.Flags())
	cmd.Flags().BoolVar(&o.Partial, "partial", false, "load the good rows of files with bad rows (bad rows go to the rejects table)")
	cmd.Flags().BoolVar(&o.Sample, "sample", false, "load the built-in synthetic sample (refused on a database that holds real loads)")
	cmd.Flags().BoolVar(&o.Rebuild, "rebuild", false, "load nothing: rebuild the tables, dashboards and exports from what the database holds")
	cmd.Flags().BoolVar(&o.Full, "full", false, "recompute every year, not only those whose inputs changed since the last run")
	inputFlags(cmd.Flags())
	cmd.Flags().BoolVar(&o.SingleFile, "single-file", false, "also write the whole site as one self-contained file, thidua.html, beside the pages")
	cmd.Flags().String("lang", "", "dashboard language: vi or en (default vi)")
	cmd.Flags().StringVar(&o.GeneratedAt, "generated-at", "", "pin the generated-at time shown on pages (RFC 3339 or date)")
	inboxFlags(cmd.Flags(), &o.Inbox)
	exportFlags(cmd.Flags(), &o.Export)
	waitFlag(cmd.Flags(), &o.Wait)
	return cmd
}

func runRun(ctx context.Context, o *runOptions) error {
	ctx, env, err := o.start(ctx)
	if err != nil {
		return err
	}
	return pipeline.Run(ctx, env, o.RunOptions)
}

// versionOptions are the options of "thidua version" (none: it prints).
type versionOptions struct {
	IO *pipeline.IO
}

// NewCmdVersion makes "thidua version"; runF receives its options.
func NewCmdVersion(f *factory, runF func(*versionOptions) error) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the version of thidua and of its engines",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runF(&versionOptions{IO: f.IO})
		},
	}
}

func runVersion(_ context.Context, o *versionOptions) error {
	fmt.Fprintf(o.IO.Out, "thidua %s\n", pipeline.Version())
	if bi, ok := debug.ReadBuildInfo(); ok {
		fmt.Fprintf(o.IO.Out, "go %s\n", bi.GoVersion)
		for _, d := range bi.Deps {
			switch d.Path {
			case "github.com/duckdb/duckdb-go/v2", "github.com/go-echarts/go-echarts/v2", "github.com/xuri/excelize/v2", "github.com/apache/arrow-go/v18":
				fmt.Fprintf(o.IO.Out, "%s %s\n", d.Path, d.Version)
			}
		}
	}
	return nil
}
