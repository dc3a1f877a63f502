package pipeline

import (
	"context"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"testing"

	"github.com/thidua/thidua/config"
)

// Opening the database gives the Go runtime go_memory_limit, unless
// GOMEMLIMIT is set (then the runtime's own setting stays); 0 sets none.
func TestGoMemoryLimitApplied(t *testing.T) {
	old := debug.SetMemoryLimit(-1)
	t.Cleanup(func() { debug.SetMemoryLimit(old) })
	if v, set := os.LookupEnv("GOMEMLIMIT"); set {
		t.Cleanup(func() { os.Setenv("GOMEMLIMIT", v) })
		os.Unsetenv("GOMEMLIMIT")
	}
	open := func(limit int64) {
		t.Helper()
		dir := t.TempDir()
		env, _, _ := testEnv(t, filepath.Join(dir, "t.duckdb"), filepath.Join(dir, "out"))
		env.Config.GoMemoryLimit = limit
		a, err := Open(context.Background(), env)
		if err != nil {
			t.Fatal(err)
		}
		a.Close()
	}

	open(300 << 20)
	if got := debug.SetMemoryLimit(-1); got != 300<<20 {
		t.Errorf("go_memory_limit 300 MiB: runtime limit %d", got)
	}

	// 0: no limit (the runtime's MaxInt64), whatever was set before
	open(0)
	if got := debug.SetMemoryLimit(-1); got != math.MaxInt64 {
		t.Errorf("go_memory_limit 0: runtime limit %d, want none", got)
	}

	// GOMEMLIMIT set: the runtime applied it at start (as here by hand);
	// it wins
	t.Setenv("GOMEMLIMIT", "123MiB")
	debug.SetMemoryLimit(123 << 20)
	open(300 << 20)
	if got := debug.SetMemoryLimit(-1); got != 123<<20 {
		t.Errorf("with GOMEMLIMIT set, go_memory_limit changed the runtime limit to %d", got)
	}
}

// run.json gives each step the process's peak RSS so far (Linux), so the
// step that raised it can be told: never less than the step before's.
func TestRunSummaryPeakRSS(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("peak RSS is read from /proc/self/status")
	}
	dir := t.TempDir()
	env, _, stderr := testEnv(t, filepath.Join(dir, "t.duckdb"), filepath.Join(dir, "out"))
	if err := Run(context.Background(), env, RunOptions{Sample: true, GeneratedAt: "2026-12-01"}); err != nil {
		t.Fatalf("%v\n%s", err, stderr)
	}
	b, err := os.ReadFile(filepath.Join(dir, "out", "run.json"))
	if err != nil {
		t.Fatal(err)
	}
	var sum RunSummary
	if err := json.Unmarshal(b, &sum); err != nil {
		t.Fatal(err)
	}
	if len(sum.Steps) < 4 {
		t.Fatalf("steps: %+v", sum.Steps)
	}
	prev := 0.0
	for _, s := range sum.Steps {
		if s.PeakRSSMB < 10 || s.PeakRSSMB < prev {
			t.Errorf("step %s: peak_rss_mb %v after %v", s.Name, s.PeakRSSMB, prev)
		}
		prev = s.PeakRSSMB
	}
	// and the figure is the process's: not above its peak now
	if now := float64(peakRSS()) / 1e6; prev > now+0.1 {
		t.Errorf("last step's peak %v MB above the process's peak %v MB", prev, now)
	}
}

func TestGCBound(t *testing.T) {
	for _, c := range []struct {
		from, to gcClock
		share    float64
		bound    bool
	}{
		{gcClock{0, 0}, gcClock{0.4, 10}, 0.04, false},          // a few percent: room enough
		{gcClock{1, 100}, gcClock{37, 200}, 0.36, true},         // M's dashboards under a limit below the live heap
		{gcClock{1, 100}, gcClock{26, 200}, 0.25, false},        // at the threshold: not yet
		{gcClock{0, 0}, gcClock{1.5, 1.9}, 0, false},            // too short to judge
		{gcClock{5, 50}, gcClock{5.5 + 3, 50 + 10}, 0.35, true}, // measured between, not since the start
	} {
		share, bound := gcBound(c.from, c.to)
		if bound != c.bound || math.Abs(share-c.share) > 1e-9 {
			t.Errorf("gcBound(%v, %v) = %.3f, %v; want %.3f, %v", c.from, c.to, share, bound, c.share, c.bound)
		}
	}
}

// With memory_limit auto, DuckDB's memory_limit follows the facts
// (config.AutoMemoryLimit): at open, for the facts held; before a load, for
// those plus the file's (growing only); before a step (fresh), for the
// facts held, down as well. A set memory_limit is never changed.
func TestAutoMemoryLimitApplied(t *testing.T) {
	ctx := context.Background()
	limit := func(a *App) string {
		t.Helper()
		var v string
		if err := a.DB().SQL().QueryRowContext(ctx, `SELECT current_setting('memory_limit')`).Scan(&v); err != nil {
			t.Fatal(err)
		}
		return v
	}
	dir := t.TempDir()
	env, _, _ := testEnv(t, filepath.Join(dir, "t.duckdb"), filepath.Join(dir, "out"))
	if !config.IsAuto(env.Config.MemoryLimit) {
		t.Fatalf("default memory_limit %q, want auto", env.Config.MemoryLimit)
	}
	a, err := Open(ctx, env)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	if _, err := a.ingestSample(ctx); err != nil {
		t.Fatal(err)
	}
	facts, err := a.DB().Facts(ctx)
	if err != nil || facts == 0 || config.AutoMemoryLimit(facts) != config.AutoMemoryMin {
		t.Fatalf("the sample: %d facts (%v), want some under the floor's", facts, err)
	}
	want := func(n int64) string { return memorySize(config.AutoMemoryLimit(n)) }
	// the floor as DuckDB shows it (160 MB)
	const floorMiB = "152.5 MiB"
	if a.DB().MemoryLimit() != want(facts) || limit(a) != floorMiB { // AutoMemoryMin
		t.Errorf("after the sample: memory_limit %q (%s), want %s", a.DB().MemoryLimit(), limit(a), want(facts))
	}
	// a file of 400,000 facts about to be loaded: grown
	if err := a.fitMemory(ctx, 400_000, false); err != nil {
		t.Fatal(err)
	}
	if a.DB().MemoryLimit() != want(facts+400_000) || limit(a) == floorMiB {
		t.Errorf("before 400,000 more facts: memory_limit %q (%s), want %s", a.DB().MemoryLimit(), limit(a), want(facts+400_000))
	}
	// not loaded after all: kept until a step starts afresh
	if err := a.fitMemory(ctx, 0, false); err != nil {
		t.Fatal(err)
	}
	if a.DB().MemoryLimit() != want(facts+400_000) {
		t.Errorf("grow-only fit shrank memory_limit to %q", a.DB().MemoryLimit())
	}
	if err := a.Transform(ctx); err != nil {
		t.Fatal(err)
	}
	if a.DB().MemoryLimit() != want(facts) || limit(a) != floorMiB {
		t.Errorf("after the transform: memory_limit %q (%s), want %s", a.DB().MemoryLimit(), limit(a), want(facts))
	}

	// set: left as it is
	dir = t.TempDir()
	env, _, _ = testEnv(t, filepath.Join(dir, "t.duckdb"), filepath.Join(dir, "out"))
	env.Config.MemoryLimit = "300MB"
	b, err := Open(ctx, env)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if err := b.fitMemory(ctx, 10_000_000, true); err != nil {
		t.Fatal(err)
	}
	if b.DB().MemoryLimit() != "300MB" || limit(b) != "286.1 MiB" {
		t.Errorf("memory_limit 300MB set: now %q (%s)", b.DB().MemoryLimit(), limit(b))
	}
}

// The dashboards collect at GOGC 50 up to the facts where memory_limit
// auto reaches its ceiling (the 700-unit run's 336,000), at 100 beyond (M).
func TestDashboardsGC(t *testing.T) {
	for _, c := range []struct {
		facts int64
		want  int
	}{{0, 50}, {336_000, 50}, {largeDashboardsFacts, 50}, {largeDashboardsFacts + 1, 100}, {8_385_363, 100}} {
		if got := dashboardsGC(c.facts); got != c.want {
			t.Errorf("%d facts: GOGC %d, want %d", c.facts, got, c.want)
		}
	}
	if config.AutoMemoryLimit(largeDashboardsFacts+1) != config.AutoMemoryMax {
		t.Errorf("past %d facts memory_limit auto is %d, not its ceiling %d", largeDashboardsFacts, config.AutoMemoryLimit(largeDashboardsFacts+1), config.AutoMemoryMax)
	}
}

// withGCPercent runs its function at the GOGC given and puts back the one
// before; GOGC set in the environment wins.
func TestWithGCPercent(t *testing.T) {
	if v, set := os.LookupEnv("GOGC"); set {
		t.Cleanup(func() { os.Setenv("GOGC", v) })
		os.Unsetenv("GOGC")
	}
	before := debug.SetGCPercent(100)
	t.Cleanup(func() { debug.SetGCPercent(before) })
	during := 0
	withGCPercent(dashboardsGCPercent, func() error {
		during = debug.SetGCPercent(dashboardsGCPercent) // reads it, setting the same
		return nil
	})
	if during != dashboardsGCPercent {
		t.Errorf("GOGC during the dashboards %d, want %d", during, dashboardsGCPercent)
	}
	if after := debug.SetGCPercent(100); after != 100 {
		t.Errorf("GOGC after %d, want 100 back", after)
	}
	t.Setenv("GOGC", "80")
	debug.SetGCPercent(80)
	withGCPercent(dashboardsGCPercent, func() error {
		during = debug.SetGCPercent(80)
		return nil
	})
	if during != 80 {
		t.Errorf("with GOGC=80 set, GOGC during the dashboards %d", during)
	}
}
