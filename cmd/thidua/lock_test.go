//go:build unix

package main

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/thidua/thidua/store"
)

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
	l1, err := acquireLock(ctx, db, 0)
	if err != nil {
		t.Fatalf("lock with a stale pid in the file: %v", err)
	}
	if got := readLockPID(path); got != os.Getpid() {
		t.Errorf("lock file holds pid %d, want ours %d", got, os.Getpid())
	}

	_, err = acquireLock(ctx, db, 0)
	want := "already running (pid " + strconv.Itoa(os.Getpid()) + ")"
	if busyCode(err) != ExitBusy || !strings.Contains(err.Error(), want) {
		t.Fatalf("second lock: %v (code %d), want %q and exit %d", err, busyCode(err), want, ExitBusy)
	}

	start := time.Now()
	_, err = acquireLock(ctx, db, 300*time.Millisecond)
	if busyCode(err) != ExitBusy || time.Since(start) < 300*time.Millisecond || !strings.Contains(err.Error(), "gave up after waiting") {
		t.Errorf("lock with --wait 300ms: %v after %v", err, time.Since(start))
	}

	cctx, cancel := context.WithTimeout(ctx, 200*time.Millisecond)
	_, err = acquireLock(cctx, db, time.Minute)
	cancel()
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("waiting lock with its context done: %v", err)
	}

	go func() {
		time.Sleep(200 * time.Millisecond)
		l1.Release()
	}()
	start = time.Now()
	l2, err := acquireLock(ctx, db, 10*time.Second)
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

// TestLockConcurrentRun starts a run and, while it holds the database,
// checks that a second run, an ingest and status exit at once with status 5
// and the holder's pid, that a run with --wait waits and then succeeds, and
// that a run killed with SIGKILL leaves a lock the next run takes over.
func TestLockConcurrentRun(t *testing.T) {
	dir := t.TempDir()
	inputs := testInputs(t, dir, 3)
	args := runArgs("db.duckdb", "out", inputs)

	first := startBinary(t, dir, nil, args...)
	if !first.waitLine(2*time.Minute, stepStart("ingest")...) {
		code, stderr := first.wait(t)
		t.Fatalf("first run never started its ingest: exit %d\n%s", code, stderr)
	}
	pid := first.cmd.Process.Pid
	want := "already running (pid " + strconv.Itoa(pid) + ")"

	start := time.Now()
	code, _, stderr := runBinary(t, dir, pinnedEnv, args...)
	if code != ExitBusy || !strings.Contains(stderr, want) {
		t.Errorf("second run: exit %d, stderr:\n%s\nwant exit %d and %q", code, stderr, ExitBusy, want)
	}
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("second run took %v to give up, want at once", d)
	}
	code, _, stderr = runBinary(t, dir, pinnedEnv, "ingest", "--db", "db.duckdb", inputs[0])
	if code != ExitBusy || !strings.Contains(stderr, want) {
		t.Errorf("ingest during a run: exit %d, stderr:\n%s", code, stderr)
	}
	code, _, stderr = runBinary(t, dir, pinnedEnv, "status", "--db", "db.duckdb")
	if code != ExitBusy || !strings.Contains(stderr, "in use") {
		t.Errorf("status during a run: exit %d, stderr:\n%s", code, stderr)
	}

	waiter := startBinary(t, dir, nil, runArgs("db.duckdb", "out", inputs, "--wait", "5m")...)
	if code, stderr := first.wait(t); code != 0 {
		t.Fatalf("first run: exit %d\n%s", code, stderr)
	}
	if code, stderr := waiter.wait(t); code != 0 {
		t.Fatalf("run with --wait: exit %d\n%s", code, stderr)
	}
	if s := readRunJSON(t, filepath.Join(dir, "out")); s.PID != waiter.cmd.Process.Pid || s.Status != "ok" {
		t.Errorf("run.json after the waiting run: pid %d status %q, want pid %d ok", s.PID, s.Status, waiter.cmd.Process.Pid)
	}

	// A run killed while holding the lock: the next run is not refused.
	killed := startBinary(t, dir, nil, args...)
	if !killed.waitLine(2*time.Minute, stepStart("transform")...) {
		t.Fatal("run to kill never reached its transform")
	}
	killed.cmd.Process.Signal(syscall.SIGKILL)
	killed.wait(t)
	if got := readLockPID(filepath.Join(dir, "db.duckdb.lock")); got != killed.cmd.Process.Pid {
		t.Logf("lock file after SIGKILL holds pid %d (killed run %d)", got, killed.cmd.Process.Pid)
	}
	start = time.Now()
	mustRun(t, dir, args)
	if d := time.Since(start); d > 2*time.Minute {
		t.Errorf("run after a killed one took %v", d)
	}
	// The killed run, found still "running" by the next one, is recorded
	// as killed.
	db, err := store.Open(context.Background(), filepath.Join(dir, "db.duckdb"), store.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var status string
	if err := db.SQL().QueryRow(`SELECT status FROM runs WHERE pid = ?`, killed.cmd.Process.Pid).Scan(&status); err != nil || status != store.RunKilled {
		t.Errorf("killed run recorded as %q (%v), want %q", status, err, store.RunKilled)
	}
}

// TestLockDuckDBFileLock holds the database open in another process (this
// test) without the run lock, as a DuckDB shell would: a run then fails on
// DuckDB's own file lock, and that too exits with status 5.
func TestLockDuckDBFileLock(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "db.duckdb")
	db, err := store.Open(context.Background(), path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	code, _, stderr := runBinary(t, dir, pinnedEnv, "transform", "--db", "db.duckdb")
	if code != ExitBusy || !strings.Contains(stderr, "in use by another process") {
		t.Errorf("run on a database held by another process: exit %d, want %d\n%s", code, ExitBusy, stderr)
	}
}
