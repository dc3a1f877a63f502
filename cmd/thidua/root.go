package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/thidua/thidua/config"
)

// Exit statuses, documented in README.md.
const (
	ExitOK          = 0   // success
	ExitInternal    = 1   // a bug or an environment failure (disk, permissions)
	ExitConfig      = 2   // bad command line or configuration
	ExitData        = 3   // an input file was refused; nothing of it was loaded
	ExitPartial     = 4   // success, but some files were refused (inbox mode)
	ExitBusy        = 5   // another run holds the lock
	ExitInterrupted = 130 // stopped by SIGINT or SIGTERM; nothing half-written
)

// IO is where a command reads and writes; tests inject buffers.
type IO struct {
	In       io.Reader
	Out, Err io.Writer
}

// exitError carries an exit status with the error that caused it.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }
func (e *exitError) Unwrap() error { return e.err }

func withCode(code int, err error) error {
	if err == nil {
		return nil
	}
	return &exitError{code, err}
}

// exitCode maps an error to the process exit status.
func exitCode(ctx context.Context, err error) int {
	var ee *exitError
	var ce *config.Error
	switch {
	case err == nil:
		return ExitOK
	case errors.As(err, &ee):
		return ee.code
	case ctx.Err() != nil || errors.Is(err, context.Canceled):
		return ExitInterrupted
	case errors.As(err, &ce):
		return ExitConfig
	}
	return ExitInternal
}

// Main runs the command line args and returns the exit status.
func Main(ctx context.Context, args []string, stdio *IO) int {
	root := newRootCmd(stdio)
	root.SetArgs(args)
	root.SetIn(stdio.In)
	root.SetOut(stdio.Out)
	root.SetErr(stdio.Err)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return ExitOK
	}
	code := exitCode(ctx, err)
	if isUsageError(err) {
		code = ExitConfig
	}
	msg := strings.ReplaceAll(strings.TrimSpace(err.Error()), "\n", "\n  ")
	fmt.Fprintf(stdio.Err, "thidua: %s\n", msg)
	return code
}

func isUsageError(err error) bool {
	s := err.Error()
	for _, p := range []string{"unknown command", "unknown flag", "unknown shorthand", "accepts ", "requires ", "invalid argument", "flag needs an argument"} {
		if strings.Contains(s, p) {
			return true
		}
	}
	return false
}

// globalFlags are accepted by every command.
type globalFlags struct {
	configFile string
}

func newRootCmd(stdio *IO) *cobra.Command {
	g := &globalFlags{}
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
	root.PersistentFlags().StringVar(&g.configFile, "config", "", "YAML configuration file")
	root.PersistentFlags().String("log-format", "", "log format: text or json (default text)")
	root.PersistentFlags().String("log-level", "", "log level: debug, info, warn or error (default info)")
	root.AddCommand(
		// The commands that change the database take the run lock and
		// accept --wait (lock.go).
		withWaitFlag(newRunCmd(g, stdio)),
		withWaitFlag(newIngestCmd(g, stdio)),
		newValidateCmd(g, stdio),
		withWaitFlag(newTransformCmd(g, stdio)),
		withWaitFlag(newDashboardsCmd(g, stdio)),
		withWaitFlag(newExportCmd(g, stdio)),
		newStatusCmd(g, stdio),
		withWaitFlag(newLoadsCmd(g, stdio)), // loads.go; --undo takes the run lock
		newQualityCmd(g, stdio),             // quality.go
		newSampleCmd(g, stdio),
		newTemplateCmd(g, stdio),
		newVersionCmd(stdio),
	)
	return root
}

// loadConfig reads the configuration with cmd's flags applied and sets up
// logging.
func loadConfig(cmd *cobra.Command, g *globalFlags, stdio *IO) (*config.Config, *slog.Logger, error) {
	flags := pflag.NewFlagSet("all", pflag.ContinueOnError)
	flags.AddFlagSet(cmd.Flags())
	flags.AddFlagSet(cmd.InheritedFlags())
	cfg, err := config.Load(g.configFile, flags)
	if err != nil {
		return nil, nil, withCode(ExitConfig, err)
	}
	level := map[string]slog.Level{"debug": slog.LevelDebug, "info": slog.LevelInfo, "warn": slog.LevelWarn, "error": slog.LevelError}[cfg.LogLevel]
	hopts := &slog.HandlerOptions{Level: level}
	var h slog.Handler
	if cfg.LogFormat == "json" {
		h = slog.NewJSONHandler(stdio.Err, hopts)
	} else {
		h = slog.NewTextHandler(stdio.Err, hopts)
	}
	log := slog.New(h)
	return cfg, log, nil
}

// dbFlags adds the flags shared by the commands that open the database.
func dbFlags(fs *pflag.FlagSet) {
	fs.String("db", "", "DuckDB database file (default thidua.duckdb)")
	fs.String("out", "", "output folder (default out)")
}

// inputFlags adds the flags that tell how to read input files.
func inputFlags(fs *pflag.FlagSet) {
	fs.String("encoding", "", "text encoding of CSV inputs (auto, utf-8, utf-16, windows-1258, tcvn3, vni); tcvn3 and vni also decode XLSX text typed in those fonts (default auto)")
	fs.String("locale", "", "number format of text cells: auto, vi (1.234,5) or en (1,234.5); auto refuses an ambiguous 1.234 (default auto)")
	fs.String("unit", "", "unit (code or name) of input files that do not name one")
	fs.String("period", "", "period (e.g. 2020-H1, Quý II/2020) of input files that do not name one")
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
