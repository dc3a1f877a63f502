//go:build thiduatesthooks && unix

package pipeline

import (
	"context"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
)

// Built only with the thiduatesthooks tag, which cmd/thidua's TestMain
// uses for the binary its end-to-end tests run; production builds have
// neither this file nor the THIDUA_TEST_HOLD variable it reads.
//
// THIDUA_TEST_HOLD names one hold point ("step transform": the start of
// the transform step; "load history.csv": before that input is loaded). A
// run reaching it logs "test hold" and waits there until its context is
// cancelled (the run is stopped by a signal) or it receives SIGUSR1 (the
// test lets it go on). A test thus knows a signal it sends after the "test
// hold" line arrives while the run is at that point, however slow or fast
// the machine, and can kill a run at a point of its choosing.
var (
	holdAt   = os.Getenv("THIDUA_TEST_HOLD")
	holdNext = make(chan os.Signal, 1)
)

func init() {
	if holdAt != "" {
		// From the start, so that a SIGUSR1 sent early is kept, not fatal.
		signal.Notify(holdNext, syscall.SIGUSR1)
	}
}

func testHold(ctx context.Context, log *slog.Logger, point string) {
	if holdAt == "" || point != holdAt {
		return
	}
	log.Info("test hold", "at", point)
	select {
	case <-ctx.Done():
	case <-holdNext:
	}
}
