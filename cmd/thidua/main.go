// Command thidua loads the periodic reports of an emulation cluster's units
// into DuckDB, builds period-over-period indicator tables and emulation
// scores, and writes offline dashboards and Parquet files.
//
// Run "thidua --help" for the commands. With no input and no configuration
// it runs on the built-in synthetic sample of the Bắc Kạn cluster.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	// The first signal cancels the run, which then stops cleanly; after it
	// the default handling is back, so a second Ctrl-C ends the process.
	go func() {
		<-ctx.Done()
		stop()
	}()
	code := Main(ctx, os.Args[1:], &IO{In: os.Stdin, Out: os.Stdout, Err: os.Stderr})
	stop()
	os.Exit(code)
}
