package main

import (
	"context"

	"github.com/spf13/cobra"

	"github.com/thidua/thidua/pipeline"
)

// loadsOptions are the options of "thidua loads".
type loadsOptions struct {
	common
	pipeline.LoadsOptions
	Undoing bool // --undo was given
}

// NewCmdLoads makes "thidua loads"; runF receives its options.
func NewCmdLoads(f *factory, runF func(*loadsOptions) error) *cobra.Command {
	o := &loadsOptions{}
	cmd := &cobra.Command{
		Use:   "loads [--json] [--undo LOAD_ID]",
		Short: "List what was loaded, or undo one load",
		Long: `loads lists every load, newest first: its id, file (as given), the name it has in
the inbox's archive/ folder (archive/NAME.<time>.EXT when a file of the same name was
archived before; "-" for a file not loaded from an inbox), the start of its sha256, when it
was loaded, how many values it inserted, updated (corrections) and left unchanged, how
many rows it rejected (--partial) and its status (loaded or undone).

--undo LOAD_ID reverts one load in a single transaction: each value it holds goes
back to the value it replaced (the audit trail keeps both), or is removed when that
load reported it first. The load is marked undone, so the same file can be loaded
again. A load whose values a later load has corrected since is refused, naming the
later loads: undo those first, newest first. Afterwards, "thidua run --rebuild"
rebuilds the tables, dashboards and exports from what the database holds (the
undo prints the command with the database and output folder in use).`,
		Example: `  thidua loads
  thidua loads --json
  thidua loads --undo 7`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			o.Env = f.envOf(cmd)
			o.ConfigFile = f.configFile
			o.Undoing = cmd.Flags().Changed("undo")
			return runF(o)
		},
	}
	cmd.Flags().String("db", "", "DuckDB database file (default thidua.duckdb)")
	cmd.Flags().BoolVar(&o.JSON, "json", false, "print the loads (or the undo) as JSON")
	cmd.Flags().Int64Var(&o.Undo, "undo", 0, "revert the load with this id, restoring the values it replaced")
	waitFlag(cmd.Flags(), &o.Wait) // --undo takes the run lock
	return cmd
}

func runLoads(ctx context.Context, o *loadsOptions) error {
	if o.Undoing {
		return call(ctx, &o.common, pipeline.Undo, o.LoadsOptions)
	}
	return call(ctx, &o.common, pipeline.Loads, o.LoadsOptions)
}

// statusOptions are the options of "thidua status".
type statusOptions struct {
	common
	JSON bool
}

// NewCmdStatus makes "thidua status"; runF receives its options.
func NewCmdStatus(f *factory, runF func(*statusOptions) error) *cobra.Command {
	o := &statusOptions{}
	cmd := &cobra.Command{
		Use:   "status",
		Short: "Show what the database holds: months reported per unit and year, last load, last run",
		Long: `status opens the database read-only and shows how many months of each year every
unit has reported (a monthly value covers its month, a quarter, half-year, 9-month or
year value the months it spans), the last load and the last run with its result.
It changes nothing. While a run holds the database it exits with status 5.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			o.Env = f.envOf(cmd)
			return runF(o)
		},
	}
	cmd.Flags().String("db", "", "DuckDB database file (default thidua.duckdb)")
	cmd.Flags().BoolVar(&o.JSON, "json", false, "print the status as JSON")
	return cmd
}

func runStatus(ctx context.Context, o *statusOptions) error {
	return call(ctx, &o.common, pipeline.Status, o.JSON)
}

// qualityOptions are the options of "thidua quality".
type qualityOptions struct {
	common
	JSON bool
}

// NewCmdQuality makes "thidua quality"; runF receives its options.
func NewCmdQuality(f *factory, runF func(*qualityOptions) error) *cobra.Command {
	o := &qualityOptions{}
	cmd := &cobra.Command{
		Use:   "quality [--json] [--lang vi|en]",
		Short: "Show the data-quality findings of the last transform",
		Long: `quality prints the findings of the data-quality checks that the last transform
ran (the quality table), grouped by unit (the unit with the most severe finding
first) and most severe first: for each, the severity, check, unit, indicator,
period, the value and what was expected, and a message saying what looks wrong,
in Vietnamese or (--lang en) English. Findings accepted in the file named by
quality.accepted are not shown. It opens the database read-only and changes
nothing; "thidua transform" (or "thidua run --rebuild", which also rewrites the
dashboards and exports) brings it up to date after a change.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			o.Env = f.envOf(cmd)
			return runF(o)
		},
	}
	cmd.Flags().String("db", "", "DuckDB database file (default thidua.duckdb)")
	cmd.Flags().BoolVar(&o.JSON, "json", false, "print the findings as JSON (both languages)")
	cmd.Flags().String("lang", "", "language of the messages: vi or en (default vi)")
	return cmd
}

func runQuality(ctx context.Context, o *qualityOptions) error {
	return call(ctx, &o.common, pipeline.Quality, o.JSON)
}

// reportOptions are the options of "thidua report".
type reportOptions struct {
	common
	pipeline.ReportOptions
}

// NewCmdReport makes "thidua report"; runF receives its options.
func NewCmdReport(f *factory, runF func(*reportOptions) error) *cobra.Command {
	o := &reportOptions{}
	cmd := &cobra.Command{
		Use:   "report --period PERIOD [--unit-head CODE] [--lang vi|en]",
		Short: "Write the review report of a period (báo cáo sơ kết / tổng kết) as an editable DOCX",
		Long: `report writes the report a cluster's head signs for PERIOD (any period: 2020-H1,
2020-9M, 2020, 2020-Q2, 2020-06, or as people write it: "6 tháng đầu năm 2020")
to OUT/reports/ and prints its path. It is laid out as Decree 30/2020/NĐ-CP sets out
(issuing body, national motto, number, place and date, title, signature block and
"Nơi nhận"), with the key cluster figures, a section per indicator group, the league
table, the units that have not reported, the data-quality findings, the year-end award
proposal (for a year) and the scoring rule as an appendix: every figure from the
database, as the dashboards show it. The signature, recipients, groups and a DOCX
template of your own come from the reports: section of the configuration.
It opens the database read-only; run "thidua run" first.`,
		Example: `  thidua report --period 2020-H1
  thidua report --period 2020 --unit-head 060 --lang en`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			o.Env = f.envOf(cmd)
			return runF(o)
		},
	}
	dbFlags(cmd.Flags())
	cmd.Flags().StringVar(&o.Period, "period", "", "the period to report on: 2020-H1, 2020-9M, 2020, 2020-Q2, 2020-06, ... (required)")
	cmd.Flags().StringVar(&o.UnitHead, "unit-head", "", "code or name of the unit heading the cluster: its people's committee issues the report")
	cmd.Flags().StringVar(&o.Lang, "lang", "", "language of the report: vi or en (default: the lang setting, vi)")
	cmd.Flags().StringVar(&o.Date, "date", "", "the date on the date line (2020-07-15); default: left blank to fill")
	cmd.MarkFlagRequired("period")
	return cmd
}

func runReport(ctx context.Context, o *reportOptions) error {
	return call(ctx, &o.common, pipeline.Report, o.ReportOptions)
}

// historyOptions are the options of "thidua history".
type historyOptions struct {
	common
	pipeline.HistoryOptions
}

// NewCmdHistory makes "thidua history"; runF receives its options.
func NewCmdHistory(f *factory, runF func(*historyOptions) error) *cobra.Command {
	o := &historyOptions{}
	cmd := &cobra.Command{
		Use:   "history UNIT INDICATOR PERIOD [--json]",
		Short: "Show the audit trail of one value: every load, correction and undo that touched it",
		Long: `history shows, oldest first, every change to one unit's indicator for one period:
the load that reported it first, each correction (a later file with another value),
each undo, with the time, the load, its file (the name it has in the inbox's
archive/ folder, and the name it was sent under), the cell the value came from,
the old and new value and the load's status now (loaded or undone). A year also
shows the annual target (basis target), and year-to-date reports show as basis ytd.

UNIT and INDICATOR are codes or names as files write them (Pác Nặm, Huyện Pác
Nặm, Thu ngân sách); PERIOD as in the files (2020-06, T6/2020, Quý II/2020,
6 tháng đầu năm 2020, 2020). It opens the database read-only and changes nothing.`,
		Example: `  thidua history 060 budget_revenue 2020-06
  thidua history "Pác Nặm" "Thu ngân sách" "6 tháng đầu năm 2020" --json`,
		Args: cobra.ExactArgs(3),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.Unit, o.Indicator, o.Period = args[0], args[1], args[2]
			o.Env = f.envOf(cmd)
			return runF(o)
		},
	}
	cmd.Flags().String("db", "", "DuckDB database file (default thidua.duckdb)")
	cmd.Flags().BoolVar(&o.JSON, "json", false, "print the trail as JSON")
	return cmd
}

func runHistory(ctx context.Context, o *historyOptions) error {
	return call(ctx, &o.common, pipeline.History, o.HistoryOptions)
}
