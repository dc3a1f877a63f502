//go:build unix

package main

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/thidua/thidua/pipeline"
	"github.com/thidua/thidua/store"
)

// TestLockConcurrentRun starts a run and, while it holds the database (held
// at the start of its ingest: THIDUA_TEST_HOLD, pipeline/testhold_on.go),
// checks that a second run, an ingest and status exit at once with status 5
// and the holder's pid, that a run with --wait waits and then succeeds, and
// that a run killed with SIGKILL leaves a lock the next run takes over.
func TestLockConcurrentRun(t *testing.T) {
	dir := t.TempDir()
	inputs := testInputs(t, dir, 3)
	args := runArgs("db.duckdb", "out", inputs)

	first := startBinary(t, dir, []string{"THIDUA_TEST_HOLD=step ingest"}, args...)
	if !first.waitLine(2*time.Minute, `"msg":"test hold"`) {
		code, stderr := first.wait(t)
		t.Fatalf("first run never started its ingest: exit %d\n%s", code, stderr)
	}
	pid := first.cmd.Process.Pid
	want := "already running (pid " + strconv.Itoa(pid) + ")"

	start := time.Now()
	code, _, stderr := runBinary(t, dir, pinnedEnv, args...)
	if code != pipeline.ExitBusy || !strings.Contains(stderr, want) {
		t.Errorf("second run: exit %d, stderr:\n%s\nwant exit %d and %q", code, stderr, pipeline.ExitBusy, want)
	}
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("second run took %v to give up, want at once", d)
	}
	code, _, stderr = runBinary(t, dir, pinnedEnv, "ingest", "--db", "db.duckdb", inputs[0])
	if code != pipeline.ExitBusy || !strings.Contains(stderr, want) {
		t.Errorf("ingest during a run: exit %d, stderr:\n%s", code, stderr)
	}
	code, _, stderr = runBinary(t, dir, pinnedEnv, "status", "--db", "db.duckdb")
	if code != pipeline.ExitBusy || !strings.Contains(stderr, "in use") {
		t.Errorf("status during a run: exit %d, stderr:\n%s", code, stderr)
	}

	waiter := startBinary(t, dir, nil, runArgs("db.duckdb", "out", inputs, "--wait", "5m")...)
	if !waiter.waitLine(2*time.Minute, `"msg":"waiting for another run to finish"`) {
		code, stderr := waiter.wait(t)
		t.Fatalf("run with --wait did not wait: exit %d\n%s", code, stderr)
	}
	first.release()
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
	killed := startBinary(t, dir, []string{"THIDUA_TEST_HOLD=step transform"}, args...)
	if !killed.waitLine(2*time.Minute, `"msg":"test hold"`) {
		t.Fatal("run to kill never reached its transform")
	}
	killed.cmd.Process.Signal(syscall.SIGKILL)
	killed.wait(t)
	if got, _ := os.ReadFile(filepath.Join(dir, "db.duckdb.lock")); strings.TrimSpace(string(got)) != strconv.Itoa(killed.cmd.Process.Pid) {
		t.Logf("lock file after SIGKILL holds %q (killed run %d)", got, killed.cmd.Process.Pid)
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
	if code != pipeline.ExitBusy || !strings.Contains(stderr, "in use by another process") {
		t.Errorf("run on a database held by another process: exit %d, want %d\n%s", code, pipeline.ExitBusy, stderr)
	}
}
