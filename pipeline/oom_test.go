package pipeline

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"

	"github.com/thidua/thidua/config"
	"github.com/thidua/thidua/transform"
)

// outputSums fingerprints the transform's outputs: each table's row count
// and the sum of its rows' hashes (which does not depend on their order).
func outputSums(t *testing.T, a *App) string {
	t.Helper()
	var b strings.Builder
	for _, tbl := range []string{"indicator_pop", "scores", "score_points", "quality"} {
		var n int64
		var h string
		err := a.db.SQL().QueryRowContext(context.Background(),
			`SELECT count(*), coalesce(sum(hash(t)), 0)::VARCHAR FROM `+tbl+` t`).Scan(&n, &h)
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&b, "%s %d %s\n", tbl, n, h)
	}
	return b.String()
}

// sampleApp opens a new database with memory_limit memoryLimit and loads
// the built-in sample into it; its log goes to the returned buffer.
func sampleApp(t *testing.T, memoryLimit string) (*App, *bytes.Buffer) {
	t.Helper()
	dir := t.TempDir()
	env, _, _ := testEnv(t, filepath.Join(dir, "t.duckdb"), filepath.Join(dir, "out"))
	env.Config.MemoryLimit = memoryLimit
	var log bytes.Buffer
	env.Log = slog.New(slog.NewTextHandler(&log, nil))
	a, err := Open(context.Background(), env)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	if _, err := a.ingestSample(context.Background()); err != nil {
		t.Fatal(err)
	}
	return a, &log
}

// rebuild is the transform step as growMemory runs it.
func rebuild(ctx context.Context, a *App) func() error {
	return func() error {
		_, err := transform.Rebuild(ctx, a.db.SQL(), transform.Options{Now: a.now(), Quality: a.cfg.Quality,
			ClosePct: a.cfg.ClosePct, Rules: a.cfg.Rules, Log: a.log, Full: true})
		return err
	}
}

// With memory_limit auto, a step that runs out of memory runs again with
// twice the limit until it fits (at most config.AutoMemoryMax), warns
// each time, and its outputs are those of a run that had room from the
// start: the transform's failed attempts leave nothing behind. The larger
// size is the least the rest of the run sizes to (fitMemory).
func TestGrowMemoryAuto(t *testing.T) {
	ctx := context.Background()
	ref, _ := sampleApp(t, config.MemoryLimitAuto)
	if err := rebuild(ctx, ref)(); err != nil {
		t.Fatal(err)
	}
	want := outputSums(t, ref)

	a, log := sampleApp(t, config.MemoryLimitAuto)
	// An estimate too small (as if the facts misled it): 16 MB.
	if err := a.db.Reopen(ctx, "16000KB"); err != nil {
		t.Fatal(err)
	}
	if err := rebuild(ctx, a)(); err == nil {
		t.Fatal("the sample's transform ran under memory_limit 16000KB: the test needs a limit it fails under")
	}
	if err := a.growMemory(ctx, "transform", rebuild(ctx, a)); err != nil {
		t.Fatalf("growMemory: %v\n%s", err, log)
	}
	if got := outputSums(t, a); got != want {
		t.Errorf("outputs after running out of memory:\n%s\nwant (a run with room):\n%s", got, want)
	}
	warns := strings.Count(log.String(), "out of memory under the auto memory_limit")
	cur, _ := config.ParseSize(a.db.MemoryLimit())
	if warns == 0 || cur < 32_000_000 || cur > config.AutoMemoryMax {
		t.Errorf("%d warnings, memory_limit now %s; want at least one warning and a doubled limit\n%s", warns, a.db.MemoryLimit(), log)
	}
	if a.memFloor != cur {
		t.Errorf("memFloor %d, want the limit that ran, %d", a.memFloor, cur)
	}
	// The next step sizes to at least that, on a database opened afresh.
	a.memFloor = config.AutoMemoryMax
	if err := a.fitMemory(ctx, 0, true); err != nil {
		t.Fatal(err)
	}
	if got, _ := config.ParseSize(a.db.MemoryLimit()); got != config.AutoMemoryMax {
		t.Errorf("after the floor rose to %d, fitMemory sized memory_limit %s", int64(config.AutoMemoryMax), a.db.MemoryLimit())
	}
}

// A memory_limit set in the configuration is never changed: the step's
// out-of-memory error is the run's, as DuckDB gave it.
func TestGrowMemoryFixed(t *testing.T) {
	ctx := context.Background()
	a, log := sampleApp(t, config.MemoryLimitAuto)
	a.cfg.MemoryLimit = "1000KB" // (the sample's load needs more)
	if err := a.db.Reopen(ctx, a.cfg.MemoryLimit); err != nil {
		t.Fatal(err)
	}
	err := a.growMemory(ctx, "transform", rebuild(ctx, a))
	if err == nil {
		t.Fatal("the sample's transform ran under memory_limit 1000KB")
	}
	if a.db.MemoryLimit() != "1000KB" || strings.Contains(log.String(), "out of memory under") {
		t.Errorf("a set memory_limit changed to %s or warned:\n%s", a.db.MemoryLimit(), log)
	}
}
