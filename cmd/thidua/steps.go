package main

import (
	"errors"
	"fmt"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/thidua/thidua/dashboards"
	"github.com/thidua/thidua/ingest"
	"github.com/thidua/thidua/ingest/sample"
)

// ingestOptions are the flags of "thidua ingest".
type ingestOptions struct {
	inputs  []string
	partial bool
	sample  bool
	inbox   inboxOptions // inbox.go
}

func newIngestCmd(g *globalFlags, stdio *IO) *cobra.Command {
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
			o.inputs = args
			cfg, log, err := loadConfig(cmd, g, stdio)
			if err != nil {
				return err
			}
			if err := o.inbox.check(o.inputs); err != nil {
				return err
			}
			if o.sample && (len(o.inputs) > 0 || o.inbox.dir != "") {
				return withCode(ExitConfig, errors.New("--sample loads the built-in synthetic sample and takes no INPUT or --inbox"))
			}
			a, err := openApp(cmd.Context(), cfg, log, stdio, false, o.inbox.allowed()...)
			if err != nil {
				return err
			}
			defer a.Close()
			inputs := o.inputs
			if len(inputs) == 0 && !o.sample {
				inputs = append(cfg.Targets, cfg.Inputs...)
			}
			var sum ingestSummary
			if o.inbox.dir != "" {
				sum, err = a.ingestInbox(cmd.Context(), o.inbox, o.partial || cfg.Partial)
			} else if len(inputs) == 0 {
				var sampled bool
				sum, sampled, err = a.ingestNoInputs(cmd.Context(), o.sample)
				if err == nil && !sampled {
					return withCode(ExitConfig, errors.New("nothing to ingest: no INPUT given (the synthetic sample goes only into a new database)"))
				}
			} else {
				sum, err = a.ingestFiles(cmd.Context(), inputs, o.partial || cfg.Partial)
			}
			fmt.Fprintf(stdio.Out, "files %d: loaded %d, already loaded %d, refused %d; values inserted %d, updated %d, unchanged %d, rejected %d\n",
				sum.Files, sum.Loaded, sum.Repeats, sum.Refused, sum.Inserted, sum.Updated, sum.Unchanged, sum.Rejected)
			if o.inbox.dir != "" {
				return inboxExit(sum, err)
			}
			var re *refusedError
			if errors.As(err, &re) {
				return withCode(ExitData, err)
			}
			return err
		},
	}
	dbFlags(cmd.Flags())
	cmd.Flags().BoolVar(&o.partial, "partial", false, "load the good rows of files with bad rows (bad rows go to the rejects table)")
	cmd.Flags().BoolVar(&o.sample, "sample", false, "load the built-in synthetic sample (refused on a database that holds real loads)")
	inputFlags(cmd.Flags())
	inboxFlags(cmd.Flags(), &o.inbox)
	return cmd
}

func newValidateCmd(g *globalFlags, stdio *IO) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "validate [flags] FILE...",
		Short: "Check input files as ingest would, changing nothing",
		Args:  cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			cfg, log, err := loadConfig(cmd, g, stdio)
			if err != nil {
				return err
			}
			a := &app{cfg: cfg, log: log, io: stdio}
			var refused []*ingest.FileError
			for _, f := range args {
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
				fmt.Fprintf(stdio.Out, "%s: ok, %d rows, %d values (%d reported, %d annual targets)\n",
					f, b.Rows, len(b.Observations)+len(b.Targets), len(b.Observations), len(b.Targets))
				if b.Source.NumberLocale != "" {
					fmt.Fprintf(stdio.Out, "%s: numbers read %s\n", f, b.Source.NumberLocale)
				}
			}
			if len(refused) > 0 {
				return withCode(ExitData, &refusedError{refused})
			}
			return nil
		},
	}
	inputFlags(cmd.Flags())
	return cmd
}

func newTransformCmd(g *globalFlags, stdio *IO) *cobra.Command {
	var full bool
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
			cfg, log, err := loadConfig(cmd, g, stdio)
			if err != nil {
				return err
			}
			a, err := openApp(cmd.Context(), cfg, log, stdio, false)
			if err != nil {
				return err
			}
			defer a.Close()
			a.fullTransform = full
			return a.transform(cmd.Context())
		},
	}
	dbFlags(cmd.Flags())
	cmd.Flags().BoolVar(&full, "full", false, "recompute every year, not only those whose inputs changed since the last run")
	return cmd
}

func newDashboardsCmd(g *globalFlags, stdio *IO) *cobra.Command {
	var single bool
	var genAt string
	cmd := &cobra.Command{
		Use:   "dashboards",
		Short: "Write the static dashboards to OUT/dashboards/",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			cfg, log, err := loadConfig(cmd, g, stdio)
			if err != nil {
				return err
			}
			t, err := parseGeneratedAt(genAt)
			if err != nil {
				return withCode(ExitConfig, err)
			}
			if _, err := dashboards.ECharts(); err != nil {
				return err // before taking the lock: this build cannot render
			}
			a, err := openApp(cmd.Context(), cfg, log, stdio, false)
			if err != nil {
				return err
			}
			defer a.Close()
			_, err = a.dashboards(cmd.Context(), filepath.Join(cfg.Out, "dashboards"), single, t)
			return err
		},
	}
	dbFlags(cmd.Flags())
	cmd.Flags().String("lang", "", "dashboard language: vi or en (default vi)")
	cmd.Flags().BoolVar(&single, "single-file", false, "also write the whole site as one self-contained file, thidua.html, beside the pages")
	cmd.Flags().StringVar(&genAt, "generated-at", "", "pin the generated-at time shown on pages (RFC 3339 or date)")
	return cmd
}

func newExportCmd(g *globalFlags, stdio *IO) *cobra.Command {
	o := &exportOptions{} // exports.go
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
			cfg, log, err := loadConfig(cmd, g, stdio)
			if err != nil {
				return err
			}
			if err := o.check(); err != nil {
				return err
			}
			a, err := openApp(cmd.Context(), cfg, log, stdio, false)
			if err != nil {
				return err
			}
			defer a.Close()
			files, err := a.exportAll(cmd.Context(), *o)
			for _, f := range files {
				fmt.Fprintln(stdio.Out, f)
			}
			return err
		},
	}
	dbFlags(cmd.Flags())
	exportFlags(cmd.Flags(), o)
	return cmd
}

func newSampleCmd(g *globalFlags, stdio *IO) *cobra.Command {
	var out string
	cmd := &cobra.Command{
		Use:   "sample --out DIR",
		Short: "Write the built-in synthetic sample data as CSV files",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			files, err := sample.Write(out)
			if err != nil {
				return err
			}
			for _, f := range files {
				fmt.Fprintln(stdio.Out, f)
			}
			fmt.Fprintln(stdio.Err, "note: this data is SYNTHETIC (generated), not real statistics")
			return nil
		},
	}
	cmd.Flags().StringVar(&out, "out", "sample", "folder to write the CSV files to")
	return cmd
}
