// Command thidua loads the periodic reports of an emulation cluster's units
// into DuckDB, builds period-over-period indicator tables and emulation
// scores, and writes offline dashboards and Parquet files.
//
// Run "thidua --help" for the commands. With no input and no configuration
// it runs on the built-in synthetic sample of the Bắc Kạn cluster. The
// application is package pipeline; this command parses the command line
// into a call of it.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/thidua/thidua/pipeline"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	// The first signal cancels the run, which then stops cleanly; after it
	// the default handling is back, so a second Ctrl-C ends the process.
	go func() {
		<-ctx.Done()
		stop()
	}()
	code := execute(ctx, os.Args[1:], &pipeline.IO{In: os.Stdin, Out: os.Stdout, Err: os.Stderr})
	stop()
	os.Exit(code)
}

// Main is the program (the shape of WTF Dial's cmd/wtfd): ParseFlags reads
// the command line into the command to run and its options, Run runs it,
// Close releases what Run left open.
type Main struct {
	f *factory
}

// NewMain returns the program reading and writing stdio.
func NewMain(stdio *pipeline.IO) *Main {
	return &Main{f: &factory{IO: stdio}}
}

// ParseFlags parses args (without the program name). Asked for help or the
// version of a flag, it prints it and leaves nothing to run.
func (m *Main) ParseFlags(ctx context.Context, args []string) error {
	root := newRootCmd(m.f)
	root.SetArgs(args)
	root.SetIn(m.f.IO.In)
	root.SetOut(m.f.IO.Out)
	root.SetErr(m.f.IO.Err)
	return root.ExecuteContext(ctx)
}

// Run runs the command ParseFlags chose, if any.
func (m *Main) Run(ctx context.Context) error {
	if m.f.chosen == nil {
		return nil
	}
	return m.f.chosen(ctx)
}

// Close releases the program's resources: each command closes the
// database it opened before Run returns, so there is nothing left.
func (m *Main) Close() error { return nil }

// execute runs the command line args and returns the exit status, after
// printing the error, if any, as "thidua: ..." on stdio.Err.
func execute(ctx context.Context, args []string, stdio *pipeline.IO) int {
	m := NewMain(stdio)
	err := m.ParseFlags(ctx, args)
	if err == nil {
		err = m.Run(ctx)
	}
	if cerr := m.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		return pipeline.ExitOK
	}
	msg := strings.ReplaceAll(strings.TrimSpace(err.Error()), "\n", "\n  ")
	fmt.Fprintf(stdio.Err, "thidua: %s\n", msg)
	return exitCode(ctx, err)
}
