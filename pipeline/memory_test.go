package pipeline

import (
	"context"
	"math"
	"os"
	"path/filepath"
	"runtime/debug"
	"testing"
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
