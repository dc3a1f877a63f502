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

// TestSignalTerm sends SIGTERM to runs in the middle of the ingest (with two
// files loaded and the big history file next), the transform and the
// render, and checks each stops cleanly: exit status 130, a message saying
// so, the database opening with the loads completed before the signal kept
// and nothing half-loaded, the previous dashboards and Parquet files
// untouched, no temporary folder left, the run recorded as interrupted; and
// that the next run completes with the same output as an uninterrupted one.
//
// The runs are held at those points (THIDUA_TEST_HOLD, a hook only the test
// binary has: pipeline/testhold_on.go) until the signal cancels them, so
// the signal arrives during the step however fast the step would have been
// (a rerun's incremental transform takes some 50 ms) or slow the machine.
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
	if len(refLoads) != len(inputs) || !strings.Contains(refLoads[len(refLoads)-1], "history.csv") {
		t.Fatalf("uninterrupted run's loads: want one per input, history.csv last:\n%s", strings.Join(refLoads, "\n"))
	}

	for _, tc := range []struct{ step, hold string }{
		{"ingest", "load history.csv"},
		{"transform", "step transform"},
		{"render", "step render"},
	} {
		step := tc.step
		if step == "ingest" {
			// A fresh database, so the ingest loads for real.
			removeDB(t, filepath.Join(dir, "db.duckdb"))
		}
		p := startBinary(t, dir, []string{"THIDUA_TEST_HOLD=" + tc.hold}, runArgs("db.duckdb", "out", inputs)...)
		if !p.waitLine(2*time.Minute, `"msg":"test hold"`, `"at":"`+tc.hold+`"`) {
			code, stderr := p.wait(t)
			t.Fatalf("%s: the run never reached %q: exit %d\n%s", step, tc.hold, code, stderr)
		}
		p.cmd.Process.Signal(syscall.SIGTERM)
		code, stderr := p.waitWithin(t, 2*time.Minute, "after SIGTERM during "+step)
		if code != pipeline.ExitInterrupted {
			t.Errorf("SIGTERM during %s: exit %d, want %d\n%s", step, code, pipeline.ExitInterrupted, stderr)
			continue
		}
		if !strings.Contains(stderr, "interrupted by a signal during "+step) {
			t.Errorf("SIGTERM during %s: stderr does not say so:\n%s", step, stderr)
		}
		same("after SIGTERM during " + step)
		loads := loadReport(t, filepath.Join(dir, "db.duckdb")) // opens, nothing half-loaded
		want := refLoads
		if step == "ingest" {
			want = refLoads[:len(refLoads)-1] // the files loaded before the signal
		}
		if strings.Join(loads, "\n") != strings.Join(want, "\n") {
			t.Errorf("loads after SIGTERM during %s:\n%s\nwant:\n%s", step, strings.Join(loads, "\n"), strings.Join(want, "\n"))
		}
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
