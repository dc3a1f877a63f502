//go:build unix

package main

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// crashKills is how many times TestCrashRecovery kills a run.
const crashKills = 32

// TestCrashRecovery kills "thidua run" with SIGKILL at the start of each of
// its steps, ingest, transform, render and export (the run held there:
// THIDUA_TEST_HOLD, pipeline/testhold_on.go, so each step gets a kill
// however fast it is), then at random moments (a fixed seed) within them,
// crashKills times in all, and after each kill checks that
//
//   - the output folder still holds a whole site and whole Parquet files:
//     those of the last completed run, identical to an uninterrupted run's;
//   - the database opens and no file is half-loaded;
//
// and then that a rerun completes, removes what the killed run left, and
// converges: the same loads with the same row counts, and pages and Parquet
// files identical (pages byte for byte, Parquet row for row) to an
// uninterrupted run's. Kills in the ingest start from an empty database so
// that they land in real loads; the others reuse the database.
func TestCrashRecovery(t *testing.T) {
	if testing.Short() {
		t.Skip("kills thidua runs more than 30 times; skipped with -short")
	}
	start := time.Now()
	dir := t.TempDir()
	inputs := testInputs(t, dir, 1)
	ref := filepath.Join(dir, "ref")
	mustRun(t, dir, runArgs("ref.duckdb", "ref", inputs))
	refLoads := loadReport(t, filepath.Join(dir, "ref.duckdb"))
	steps := map[string]float64{}
	for _, s := range readRunJSON(t, ref).Steps {
		steps[s.Name] = s.Seconds
	}
	t.Logf("uninterrupted run: %v; steps %v", time.Since(start).Round(time.Millisecond), steps)

	out := filepath.Join(dir, "out")
	db := filepath.Join(dir, "crash.duckdb")
	args := runArgs("crash.duckdb", "out", inputs)
	checkOutputs := func(when string) {
		t.Helper()
		for _, sub := range []string{"dashboards", "parquet"} {
			if _, err := os.Stat(filepath.Join(out, sub)); os.IsNotExist(err) && !strings.HasPrefix(when, "after") {
				continue // no run has completed yet
			}
			if d := diffTrees(t, filepath.Join(out, sub), filepath.Join(ref, sub)); len(d) > 0 {
				t.Fatalf("%s: %s is not the output of a completed run:\n%s", when, sub, strings.Join(d, "\n"))
			}
		}
	}

	rng := rand.New(rand.NewPCG(20200630, 6))
	phases := []string{"ingest", "transform", "render", "export"}
	kills := map[string]int{}
	killed, finished, partial := 0, 0, 0
	for i := 0; killed < crashKills; i++ {
		if i >= 3*crashKills {
			t.Fatalf("only %d kills in %d attempts: the runs end before they can be killed", killed, i)
		}
		phase := phases[i%len(phases)]
		if phase == "ingest" {
			removeDB(t, db)
		}
		// The first round kills each step at its start, held there; the
		// others at a moment within the step, as long as it took
		// uninterrupted, which a fast step may have left by then.
		held := i < len(phases)
		var delay time.Duration
		var p *proc
		started := stepStart(phase)
		if held {
			p = startBinary(t, dir, []string{"THIDUA_TEST_HOLD=step " + phase}, args...)
			started = []string{`"msg":"test hold"`}
		} else {
			delay = time.Duration(rng.Float64() * steps[phase] * float64(time.Second))
			p = startBinary(t, dir, nil, args...)
		}
		if !p.waitLine(2*time.Minute, started...) {
			code, stderr := p.wait(t)
			t.Fatalf("attempt %d: the run never reached %s: exit %d\n%s", i, phase, code, stderr)
		}
		time.Sleep(delay)
		p.cmd.Process.Signal(syscall.SIGKILL)
		code, stderr := p.wait(t)
		if held && code != -int(syscall.SIGKILL) {
			t.Fatalf("attempt %d: run held at the start of %s was not killed: exit %d\n%s", i, phase, code, stderr)
		}
		if code != -int(syscall.SIGKILL) {
			if code != 0 {
				t.Fatalf("attempt %d: exit %d before the kill\n%s", i, code, stderr)
			}
			finished++
			continue
		}
		// Where it was when it died: the last step it started.
		at := "?"
		if j := strings.LastIndex(stderr, `"msg":"step start"`); j >= 0 {
			rest := stderr[j:]
			if k := strings.Index(rest, `"step":"`); k >= 0 {
				at, _, _ = strings.Cut(rest[k+len(`"step":"`):], `"`)
			}
		}
		if held && at != phase {
			t.Fatalf("attempt %d: run held at the start of %s was killed in %s\n%s", i, phase, at, stderr)
		}
		kills[at]++
		killed++
		when := fmt.Sprintf("kill %d (in %s, %v after it started)", killed, at, delay.Round(time.Millisecond))
		checkOutputs(when)
		if n := len(loadReport(t, db)); n < len(refLoads) { // opens; fails the test on a half-loaded file
			partial++ // killed with some files loaded and others not
		}

		mustRun(t, dir, args)
		when = "after the rerun that followed " + when
		checkOutputs(when)
		if l := leftovers(t, out); len(l) > 0 {
			t.Fatalf("%s: temporary entries left: %v", when, l)
		}
		if got := loadReport(t, db); strings.Join(got, "\n") != strings.Join(refLoads, "\n") {
			t.Fatalf("%s: loads differ from an uninterrupted run:\n%s\nwant:\n%s", when, strings.Join(got, "\n"), strings.Join(refLoads, "\n"))
		}
		if s := readRunJSON(t, out); s.Status != "ok" {
			t.Fatalf("%s: run.json status %q", when, s.Status)
		}
	}
	t.Logf("%d kills by step %v (%d with the ingest incomplete), %d runs finished before their kill; took %v",
		killed, kills, partial, finished, time.Since(start).Round(time.Second))
}
