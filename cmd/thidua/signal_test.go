//go:build unix

package main

import (
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/thidua/thidua/pipeline"
)

// TestSignalTerm sends SIGTERM to runs in the middle of the ingest (a big
// load), the transform and the render, and checks each stops cleanly: exit
// status 130, a message saying so, the database opening with no file
// half-loaded, the previous dashboards and Parquet files untouched, no
// temporary folder left, the run recorded as interrupted; and that the next
// run completes with the same output as an uninterrupted one.
func TestSignalTerm(t *testing.T) {
	dir := t.TempDir()
	inputs := testInputs(t, dir, 3)
	mustRun(t, dir, runArgs("ref.duckdb", "ref", inputs))
	mustRun(t, dir, runArgs("db.duckdb", "out", inputs))
	out := filepath.Join(dir, "out")
	same := func(when string) {
		t.Helper()
		for _, sub := range []string{"dashboards", "parquet"} {
			if d := diffTrees(t, filepath.Join(out, sub), filepath.Join(dir, "ref", sub)); len(d) > 0 {
				t.Errorf("%s: %s differs from an uninterrupted run:\n%s", when, sub, strings.Join(d, "\n"))
			}
		}
		if l := leftovers(t, out); len(l) > 0 {
			t.Errorf("%s: temporary entries left in the output folder: %v", when, l)
		}
	}
	refLoads := loadReport(t, filepath.Join(dir, "ref.duckdb"))

	for _, step := range []string{"ingest", "transform", "render"} {
		if step == "ingest" {
			// A fresh database, so the ingest loads for real.
			removeDB(t, filepath.Join(dir, "db.duckdb"))
		}
		p := startBinary(t, dir, nil, runArgs("db.duckdb", "out", inputs)...)
		if !p.waitLine(2*time.Minute, stepStart(step)...) {
			code, stderr := p.wait(t)
			t.Fatalf("%s: the run never started it: exit %d\n%s", step, code, stderr)
		}
		if step == "ingest" {
			// Into the load of the big history file.
			p.waitLine(time.Minute, `"msg":"loaded"`, "observations.csv")
			time.Sleep(20 * time.Millisecond)
		}
		sent := time.Now()
		p.cmd.Process.Signal(syscall.SIGTERM)
		code, stderr := p.wait(t)
		took := time.Since(sent)
		if code != pipeline.ExitInterrupted {
			t.Errorf("SIGTERM during %s: exit %d, want %d\n%s", step, code, pipeline.ExitInterrupted, stderr)
			continue
		}
		if !strings.Contains(stderr, "interrupted by a signal during "+step) {
			t.Errorf("SIGTERM during %s: stderr does not say so:\n%s", step, stderr)
		}
		t.Logf("SIGTERM during %s: stopped after %v", step, took.Round(time.Millisecond))
		same("after SIGTERM during " + step)
		loadReport(t, filepath.Join(dir, "db.duckdb")) // opens, nothing half-loaded
		if s := readRunJSON(t, out); s.Status != "interrupted" || s.ExitStatus != pipeline.ExitInterrupted {
			t.Errorf("run.json after SIGTERM during %s: status %q exit %d", step, s.Status, s.ExitStatus)
		}
		mustRun(t, dir, runArgs("db.duckdb", "out", inputs))
		same("after the run that followed SIGTERM during " + step)
		if got := loadReport(t, filepath.Join(dir, "db.duckdb")); strings.Join(got, "\n") != strings.Join(refLoads, "\n") {
			t.Errorf("loads after SIGTERM during %s and a rerun:\n%s\nwant:\n%s", step, strings.Join(got, "\n"), strings.Join(refLoads, "\n"))
		}
	}
}
