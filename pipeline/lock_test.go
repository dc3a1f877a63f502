//go:build unix

package pipeline

import (
	"context"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// quiet is a logger that discards.
var quiet = slog.New(slog.DiscardHandler)

func busyCode(err error) int {
	var ee *exitError
	if errors.As(err, &ee) {
		return ee.code
	}
	return -1
}

// TestLockInProcess checks the lock's rules without a child process: a
// second holder is refused at once with the first one's pid, --wait waits
// and gives up or gets the lock when it is released, a stale pid in the file
// (its process gone, its flock with it) is not mistaken for a run, and
// Release empties the file.
func TestLockInProcess(t *testing.T) {
	ctx := context.Background()
	db := filepath.Join(t.TempDir(), "x.duckdb")
	path := db + ".lock"

	// A stale pid left by a dead run: the lock is free all the same.
	if err := os.WriteFile(path, []byte("999999999\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	l1, err := acquireLock(ctx, quiet, db, 0)
	if err != nil {
		t.Fatalf("lock with a stale pid in the file: %v", err)
	}
	if got := readLockPID(path); got != os.Getpid() {
		t.Errorf("lock file holds pid %d, want ours %d", got, os.Getpid())
	}

	_, err = acquireLock(ctx, quiet, db, 0)
	want := "already running (pid " + strconv.Itoa(os.Getpid()) + ")"
	if busyCode(err) != ExitBusy || !strings.Contains(err.Error(), want) {
		t.Fatalf("second lock: %v (code %d), want %q and exit %d", err, busyCode(err), want, ExitBusy)
	}

	start := time.Now()
	_, err = acquireLock(ctx, quiet, db, 300*time.Millisecond)
	if busyCode(err) != ExitBusy || time.Since(start) < 300*time.Millisecond || !strings.Contains(err.Error(), "gave up after waiting") {
		t.Errorf("lock with --wait 300ms: %v after %v", err, time.Since(start))
	}

	cctx, cancel := context.WithTimeout(ctx, 200*time.Millisecond)
	_, err = acquireLock(cctx, quiet, db, time.Minute)
	cancel()
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("waiting lock with its context done: %v", err)
	}

	go func() {
		time.Sleep(200 * time.Millisecond)
		l1.Release()
	}()
	start = time.Now()
	l2, err := acquireLock(ctx, quiet, db, 10*time.Second)
	if err != nil {
		t.Fatalf("lock with --wait after the holder released: %v", err)
	}
	if d := time.Since(start); d < 150*time.Millisecond {
		t.Errorf("got the lock after %v, before its release", d)
	}
	if err := l2.Release(); err != nil {
		t.Fatal(err)
	}
	if err := l2.Release(); err != nil {
		t.Errorf("second release: %v", err)
	}
	if b, _ := os.ReadFile(path); len(b) != 0 {
		t.Errorf("lock file after release holds %q, want it empty", b)
	}
	var nilLock *runLock
	if err := nilLock.Release(); err != nil {
		t.Error(err)
	}
}
