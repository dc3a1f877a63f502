package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/thidua/thidua/ingest/sample"
	"github.com/thidua/thidua/pipeline"
)

func newIngestCmd(g *globalFlags, stdio *IO) *cobra.Command {
	o := &pipeline.IngestOptions{}
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
			cfg, log, err := loadConfig(cmd, g, stdio)
			if err != nil {
				return err
			}
			return pipeline.Ingest(cmd.Context(), pipeline.Env{Config: cfg, Log: log, IO: stdio}, *o)
		},
	}
	dbFlags(cmd.Flags())
	cmd.Flags().BoolVar(&o.Partial, "partial", false, "load the good rows of files with bad rows (bad rows go to the rejects table)")
	cmd.Flags().BoolVar(&o.Sample, "sample", false, "load the built-in synthetic sample (refused on a database that holds real loads)")
	inputFlags(cmd.Flags())
	inboxFlags(cmd.Flags(), &o.Inbox)
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
			return pipeline.Validate(pipeline.Env{Config: cfg, Log: log, IO: stdio}, args)
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
			return pipeline.Transform(cmd.Context(), pipeline.Env{Config: cfg, Log: log, IO: stdio}, pipeline.TransformOptions{Full: full})
		},
	}
	dbFlags(cmd.Flags())
	cmd.Flags().BoolVar(&full, "full", false, "recompute every year, not only those whose inputs changed since the last run")
	return cmd
}

func newDashboardsCmd(g *globalFlags, stdio *IO) *cobra.Command {
	o := &pipeline.DashboardsOptions{}
	cmd := &cobra.Command{
		Use:   "dashboards",
		Short: "Write the static dashboards to OUT/dashboards/",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			cfg, log, err := loadConfig(cmd, g, stdio)
			if err != nil {
				return err
			}
			return pipeline.Dashboards(cmd.Context(), pipeline.Env{Config: cfg, Log: log, IO: stdio}, *o)
		},
	}
	dbFlags(cmd.Flags())
	cmd.Flags().String("lang", "", "dashboard language: vi or en (default vi)")
	cmd.Flags().BoolVar(&o.SingleFile, "single-file", false, "also write the whole site as one self-contained file, thidua.html, beside the pages")
	cmd.Flags().StringVar(&o.GeneratedAt, "generated-at", "", "pin the generated-at time shown on pages (RFC 3339 or date)")
	return cmd
}

func newExportCmd(g *globalFlags, stdio *IO) *cobra.Command {
	o := &pipeline.ExportOptions{}
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
			return pipeline.Export(cmd.Context(), pipeline.Env{Config: cfg, Log: log, IO: stdio}, *o)
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
