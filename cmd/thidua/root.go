package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/thidua/thidua/config"
	"github.com/thidua/thidua/pipeline"
)

// usageError is a mistake on the command line: an unknown command or
// flag, a flag value that does not parse, the wrong number of arguments or
// a required flag left out. Cobra's flag-error hook and the commands'
// argument validators (typedUsage) make it; its exit status is ExitConfig.
type usageError struct{ err error }

func (e *usageError) Error() string { return e.err.Error() }
func (e *usageError) Unwrap() error { return e.err }

// typedUsage makes every usage mistake cobra finds under root a
// *usageError: flag errors through cobra's flag-error hook, argument and
// required-flag errors through each command's argument validator (cobra
// checks required flags after the arguments, with no hook of its own, so
// the validator checks them first). An unknown command is root's argument
// error.
func typedUsage(root *cobra.Command) {
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return &usageError{err} })
	root.SuggestionsMinimumDistance = 2 // cobra's default, which SuggestionsFor does not apply
	root.Args = func(cmd *cobra.Command, args []string) error {
		if len(args) == 0 {
			return nil
		}
		msg := fmt.Sprintf("unknown command %q for %q", args[0], cmd.CommandPath())
		if s := cmd.SuggestionsFor(args[0]); len(s) > 0 {
			msg += " (did you mean " + strings.Join(s, " or ") + "?)"
		}
		return errors.New(msg)
	}
	// Runnable, so that cobra validates its arguments (a root without a
	// Run shows the help for any argument); with none it shows the help.
	root.RunE = func(cmd *cobra.Command, _ []string) error { return cmd.Help() }
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		args := c.Args
		if args == nil {
			args = cobra.ArbitraryArgs
		}
		c.Args = func(cmd *cobra.Command, a []string) error {
			if err := args(cmd, a); err != nil {
				return &usageError{err}
			}
			if err := cmd.ValidateRequiredFlags(); err != nil {
				return &usageError{err}
			}
			if err := cmd.ValidateFlagGroups(); err != nil {
				return &usageError{err}
			}
			return nil
		}
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(root)
}

// exitCode maps an error to the process exit status: a usage mistake is
// ExitConfig, anything else as pipeline.ExitCode says.
func exitCode(ctx context.Context, err error) int {
	var ue *usageError
	if errors.As(err, &ue) {
		return pipeline.ExitConfig
	}
	return pipeline.ExitCode(ctx, err)
}

// factory is what every command is made with (cli/cli's cmdutil.Factory):
// where to read and write, the --config flag, and where the command the
// command line names is kept for Main.Run.
type factory struct {
	IO         *pipeline.IO
	configFile string // --config, a flag of every command
	chosen     func(context.Context) error
}

// common are the options every command that opens the database has.
type common struct {
	// Env is the configuration (defaults, file, environment and this
	// command line's flags) and the logger; it is read when the command
	// runs, so that ParseFlags does not touch the configuration file.
	Env  func() (pipeline.Env, error)
	Wait time.Duration // --wait, for the commands that take the run lock
}

// start reads the environment and gives ctx the --wait duration.
func (c *common) start(ctx context.Context) (context.Context, pipeline.Env, error) {
	if c.Wait < 0 {
		return ctx, pipeline.Env{}, pipeline.WithCode(pipeline.ExitConfig, fmt.Errorf("--wait %v: want a positive duration", c.Wait))
	}
	env, err := c.Env()
	return pipeline.WithLockWait(ctx, c.Wait), env, err
}

// envOf is common.Env for cmd: the configuration with cmd's flags applied,
// and logging set up.
func (f *factory) envOf(cmd *cobra.Command) func() (pipeline.Env, error) {
	return func() (pipeline.Env, error) {
		flags := pflag.NewFlagSet("all", pflag.ContinueOnError)
		flags.AddFlagSet(cmd.Flags())
		flags.AddFlagSet(cmd.InheritedFlags())
		cfg, err := config.Load(f.configFile, flags)
		if err != nil {
			return pipeline.Env{}, pipeline.WithCode(pipeline.ExitConfig, err)
		}
		level := map[string]slog.Level{"debug": slog.LevelDebug, "info": slog.LevelInfo, "warn": slog.LevelWarn, "error": slog.LevelError}[cfg.LogLevel]
		hopts := &slog.HandlerOptions{Level: level}
		var h slog.Handler
		if cfg.LogFormat == "json" {
			h = slog.NewJSONHandler(f.IO.Err, hopts)
		} else {
			h = slog.NewTextHandler(f.IO.Err, hopts)
		}
		return pipeline.Env{Config: cfg, Log: slog.New(h), IO: f.IO}, nil
	}
}

// later is the runF of a command that Main.ParseFlags chose: it keeps run
// with the command's options for Main.Run.
func later[O any](f *factory, run func(context.Context, O) error) func(O) error {
	return func(o O) error {
		f.chosen = func(ctx context.Context) error { return run(ctx, o) }
		return nil
	}
}

// newRootCmd makes the command line: each command fills its options and
// hands them to its run function (runX) through later.
func newRootCmd(f *factory) *cobra.Command {
	root := &cobra.Command{
		Use:   "thidua",
		Short: "Analytics for emulation clusters (cụm thi đua): ingest, transform, dashboards, Parquet",
		Long: `thidua loads the periodic reports of a cluster's units (CSV, XLSX report forms and
tables, Parquet) into a DuckDB file, builds period-over-period indicator tables and
emulation scores with SQL, and writes offline dashboards and Parquet files.

Settings come from a YAML file (--config, $THIDUA_CONFIG or ./thidua.yaml), the
environment (THIDUA_DB, THIDUA_OUT, THIDUA_LANG, ...) and flags, flags winning.
With no inputs, "thidua run" loads the built-in synthetic sample of the Bắc Kạn
cluster into a new database (or with --sample); a database that holds any real
load never receives sample rows.`,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.PersistentFlags().StringVar(&f.configFile, "config", "", "YAML configuration file")
	root.PersistentFlags().String("log-format", "", "log format: text or json (default text)")
	root.PersistentFlags().String("log-level", "", "log level: debug, info, warn or error (default info)")
	root.AddCommand(
		NewCmdRun(f, later(f, runRun)),
		NewCmdIngest(f, later(f, runIngest)),
		NewCmdValidate(f, later(f, runValidate)),
		NewCmdTransform(f, later(f, runTransform)),
		NewCmdDashboards(f, later(f, runDashboards)),
		NewCmdExport(f, later(f, runExport)),
		NewCmdStatus(f, later(f, runStatus)),
		NewCmdLoads(f, later(f, runLoads)),
		NewCmdQuality(f, later(f, runQuality)),
		NewCmdHistory(f, later(f, runHistory)),
		NewCmdSample(f, later(f, runSample)),
		NewCmdTemplate(f, later(f, runTemplate)),
		NewCmdReport(f, later(f, runReport)),
		NewCmdVersion(f, later(f, runVersion)),
	)
	typedUsage(root)
	return root
}

// dbFlags adds the flags shared by the commands that open the database.
func dbFlags(fs *pflag.FlagSet) {
	fs.String("db", "", "DuckDB database file (default thidua.duckdb)")
	fs.String("out", "", "output folder (default out)")
}

// inputFlags adds the flags that tell how to read input files.
func inputFlags(fs *pflag.FlagSet) {
	fs.String("encoding", "", "text encoding of CSV inputs (auto, utf-8, utf-16, windows-1258, tcvn3, vni); tcvn3 and vni also decode XLSX text typed in those fonts (default auto)")
	fs.String("locale", "", "number format of text cells: auto, vi (1.234,5) or en (1,234.5); auto reads a lone 1.234 the way the file's other numbers show (default auto)")
	fs.String("unit", "", "unit (code or name) of input files that do not name one")
	fs.String("period", "", "period (e.g. 2020-H1, Quý II/2020) of input files that do not name one")
	fs.Bool("allow-empty", false, "load report forms that hold no value at all (refused otherwise)")
}

func inboxFlags(fs *pflag.FlagSet, o *pipeline.InboxOptions) {
	fs.StringVar(&o.Dir, "inbox", "", "take every new file in this folder; move loaded ones to DIR/archive/, refused ones to DIR/rejected/ (with NAME.errors.txt)")
	fs.DurationVar(&o.Settle, "settle", 3*time.Second, "inbox: leave a file modified less than this long ago (or still changing) for the next run")
}

func exportFlags(fs *pflag.FlagSet, o *pipeline.ExportOptions) {
	fs.StringSliceVar(&o.Formats, "format", []string{"parquet"},
		"formats to write, comma-separated: parquet (every table), csv, xlsx, arrow (indicator_pop and scores), csv-vi, xlsx-vi (the same for Excel in Vietnamese: ; and 1234,5, Vietnamese headings, rounded as configured)")
	fs.StringVar(&o.PartitionBy, "partition-by", "",
		"write the Parquet tables as Hive-style folders partitioned by this key: year")
}

// waitFlag adds --wait to a command that takes the run lock: how long to
// wait for another run to finish before giving up with ExitBusy.
func waitFlag(fs *pflag.FlagSet, wait *time.Duration) {
	fs.DurationVar(wait, "wait", 0, "if another run holds the database, wait up to this long for it (e.g. 10m) instead of exiting with status 5")
}
