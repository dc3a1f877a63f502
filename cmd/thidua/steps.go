package main

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/thidua/thidua/ingest/sample"
	"github.com/thidua/thidua/pipeline"
)

// call runs fn, the pipeline function of a command, with the command's
// environment and --wait.
func call[P any](ctx context.Context, c *common, fn func(context.Context, pipeline.Env, P) error, p P) error {
	ctx, env, err := c.start(ctx)
	if err != nil {
		return err
	}
	return fn(ctx, env, p)
}

// ingestOptions are the options of "thidua ingest".
type ingestOptions struct {
	common
	pipeline.IngestOptions
}

// NewCmdIngest makes "thidua ingest"; runF receives its options.
func NewCmdIngest(f *factory, runF func(*ingestOptions) error) *cobra.Command {
	o := &ingestOptions{}
	cmd := &cobra.Command{
		Use:   "ingest [flags] [INPUT...]",
		Short: "Load input files (CSV, XLSX, Parquet) into the database",
		Long: `ingest reads each INPUT (or the configured inputs) and loads it in one transaction.
With no inputs it loads the built-in synthetic sample into a new database (or with
--sample); a database that holds any real load never receives sample rows. A file with any bad row is refused whole and every
problem is listed as FILE:LINE[:COLUMN]: message (XLSX: FILE:SHEET!CELL: message);
--partial loads the good rows and keeps the bad ones in the rejects table. Loading
a byte-identical file again does nothing.`,
		RunE: func(cmd *cobra.Command, args []string) error {
			o.Inputs = args
			o.Env = f.envOf(cmd)
			return runF(o)
		},
	}
	dbFlags(cmd.Flags())
	cmd.Flags().BoolVar(&o.Partial, "partial", false, "load the good rows of files with bad rows (bad rows go to the rejects table)")
	cmd.Flags().BoolVar(&o.Sample, "sample", false, "load the built-in synthetic sample (refused on a database that holds real loads)")
	inputFlags(cmd.Flags())
	inboxFlags(cmd.Flags(), &o.Inbox)
	waitFlag(cmd.Flags(), &o.Wait)
	return cmd
}

func runIngest(ctx context.Context, o *ingestOptions) error {
	return call(ctx, &o.common, pipeline.Ingest, o.IngestOptions)
}

// validateOptions are the options of "thidua validate".
type validateOptions struct {
	common
	Files []string
}

// NewCmdValidate makes "thidua validate"; runF receives its options.
func NewCmdValidate(f *factory, runF func(*validateOptions) error) *cobra.Command {
	o := &validateOptions{}
	cmd := &cobra.Command{
		Use:   "validate [flags] FILE...",
		Short: "Check input files as ingest would, changing nothing",
		Args:  cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.Files = args
			o.Env = f.envOf(cmd)
			return runF(o)
		},
	}
	inputFlags(cmd.Flags())
	return cmd
}

func runValidate(ctx context.Context, o *validateOptions) error {
	return call(ctx, &o.common, pipeline.Validate, o.Files)
}

// transformOptions are the options of "thidua transform".
type transformOptions struct {
	common
	pipeline.TransformOptions
}

// NewCmdTransform makes "thidua transform"; runF receives its options.
func NewCmdTransform(f *factory, runF func(*transformOptions) error) *cobra.Command {
	o := &transformOptions{}
	cmd := &cobra.Command{
		Use:   "transform",
		Short: "Rebuild indicator_pop, scores and quality from the loaded data",
		Long: `transform brings indicator_pop, scores, score_points and quality up to date with
the loaded data. It recomputes only the years whose facts, targets, corrections,
undos or bonus points changed since the last run, and the year after each; a
change of the configuration or of thidua itself, or --full, recomputes every
year. Both give the same tables.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			o.Env = f.envOf(cmd)
			return runF(o)
		},
	}
	dbFlags(cmd.Flags())
	cmd.Flags().BoolVar(&o.Full, "full", false, "recompute every year, not only those whose inputs changed since the last run")
	waitFlag(cmd.Flags(), &o.Wait)
	return cmd
}

func runTransform(ctx context.Context, o *transformOptions) error {
	return call(ctx, &o.common, pipeline.Transform, o.TransformOptions)
}

// dashboardsOptions are the options of "thidua dashboards".
type dashboardsOptions struct {
	common
	pipeline.DashboardsOptions
}

// NewCmdDashboards makes "thidua dashboards"; runF receives its options.
func NewCmdDashboards(f *factory, runF func(*dashboardsOptions) error) *cobra.Command {
	o := &dashboardsOptions{}
	cmd := &cobra.Command{
		Use:   "dashboards",
		Short: "Write the static dashboards to OUT/dashboards/",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			o.Env = f.envOf(cmd)
			return runF(o)
		},
	}
	dbFlags(cmd.Flags())
	cmd.Flags().String("lang", "", "dashboard language: vi or en (default vi)")
	cmd.Flags().BoolVar(&o.SingleFile, "single-file", false, "also write the whole site as one self-contained file, thidua.html, beside the pages")
	cmd.Flags().StringVar(&o.GeneratedAt, "generated-at", "", "pin the generated-at time shown on pages (RFC 3339 or date)")
	waitFlag(cmd.Flags(), &o.Wait)
	return cmd
}

func runDashboards(ctx context.Context, o *dashboardsOptions) error {
	return call(ctx, &o.common, pipeline.Dashboards, o.DashboardsOptions)
}

// exportOptions are the options of "thidua export".
type exportOptions struct {
	common
	pipeline.ExportOptions
}

// NewCmdExport makes "thidua export"; runF receives its options.
func NewCmdExport(f *factory, runF func(*exportOptions) error) *cobra.Command {
	o := &exportOptions{}
	cmd := &cobra.Command{
		Use:   "export",
		Short: "Write the tables as Parquet (zstd) to OUT/parquet/, and CSV, XLSX or Arrow copies",
		Long: `export writes every table as Parquet (zstd) to OUT/parquet/ (with --partition-by year
as Hive-style folders OUT/parquet/TABLE/year=YYYY/), and, with --format, copies of
indicator_pop and scores for Excel and Arrow users: OUT/csv/TABLE.csv (UTF-8 with BOM,
dot decimals), OUT/xlsx/thidua.xlsx (one sheet per table) and OUT/arrow/TABLE.arrows
(Arrow IPC stream). Each folder is written aside and swapped in whole.`,
		Example: `  thidua export
  thidua export --format parquet,csv,xlsx,arrow
  thidua export --partition-by year`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			o.Env = f.envOf(cmd)
			return runF(o)
		},
	}
	dbFlags(cmd.Flags())
	exportFlags(cmd.Flags(), &o.ExportOptions)
	waitFlag(cmd.Flags(), &o.Wait)
	return cmd
}

func runExport(ctx context.Context, o *exportOptions) error {
	return call(ctx, &o.common, pipeline.Export, o.ExportOptions)
}

// sampleOptions are the options of "thidua sample".
type sampleOptions struct {
	IO  *pipeline.IO
	Out string // the folder to write to
}

// NewCmdSample makes "thidua sample"; runF receives its options.
func NewCmdSample(f *factory, runF func(*sampleOptions) error) *cobra.Command {
	o := &sampleOptions{IO: f.IO}
	cmd := &cobra.Command{
		Use:   "sample --out DIR",
		Short: "Write the built-in synthetic sample data as CSV files",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runF(o)
		},
	}
	cmd.Flags().StringVar(&o.Out, "out", "sample", "folder to write the CSV files to")
	return cmd
}

func runSample(_ context.Context, o *sampleOptions) error {
	files, err := sample.Write(o.Out)
	if err != nil {
		return err
	}
	for _, f := range files {
		fmt.Fprintln(o.IO.Out, f)
	}
	fmt.Fprintln(o.IO.Err, "note: this data is SYNTHETIC (generated), not real statistics")
	return nil
}
