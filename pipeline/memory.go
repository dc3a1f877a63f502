package pipeline

import (
	"context"
	"fmt"
	"math"
	"os"
	"runtime/debug"
	"runtime/metrics"

	"github.com/thidua/thidua/config"
)

// setGoMemoryLimit gives the Go runtime the configuration's soft memory
// limit (go_memory_limit; 0: none), unless GOMEMLIMIT is set in the
// environment: the Go runtime has applied that one itself, and it wins.
func setGoMemoryLimit(cfg *config.Config) {
	if _, set := os.LookupEnv("GOMEMLIMIT"); set {
		return
	}
	limit := cfg.GoMemoryLimit
	if limit <= 0 {
		limit = math.MaxInt64 // the runtime's "no limit"
	}
	debug.SetMemoryLimit(limit)
}

// fitMemory sizes DuckDB's memory_limit for the facts the database holds
// plus extra (a file about to be loaded) when memory_limit is auto
// (config.AutoMemoryLimit), opening the database again when the size
// changes: grows only, unless fresh, which also opens it again whatever the
// size or the setting, to start a step with none of the previous step's
// memory (store.DB.Reopen).
func (a *App) fitMemory(ctx context.Context, extra int64, fresh bool) error {
	limit := ""
	if config.IsAuto(a.cfg.MemoryLimit) {
		facts, err := a.db.Facts(ctx)
		if err != nil {
			return err
		}
		want := max(config.AutoMemoryLimit(facts+extra), a.memFloor)
		cur, _ := config.ParseSize(a.db.MemoryLimit())
		if want != cur && (fresh || want > cur) {
			limit = memorySize(want)
			a.log.Debug("memory_limit auto", "facts", facts, "more", extra, "memory_limit", limit)
		}
	}
	if limit == "" && !fresh {
		return nil
	}
	return a.db.Reopen(ctx, limit)
}

// memorySize writes n bytes as a memory_limit DuckDB reads (KB = 1000 B).
func memorySize(n int64) string { return fmt.Sprintf("%dKB", n/1000) }

// dashboardsGCPercent is the Go collector's GOGC while the dashboards are
// written: their live heap is small and bounded (the pages' rows, ≈ 45–60 MB
// at 700 units × 9 indicators × 48 months) but churns, and at the runtime's
// 100 the heap grows to twice it. At 50 (fifth session): `thidua dashboards`
// there alone 283 → 261 MB peak RSS, Go heap at most 131 → 100 MB, 27.6 →
// 27.1 CPU-s (one run each, load ≈ 9). Since the pages read narrow rows
// (sixth session) the collector ran 139 times there, ≈ 9 % of the CPU; at
// 75 it runs less: 13.7 / 19.8 → 11.9 / 17.0 CPU-s, 236 / 235 → 247 / 244 MB
// peak RSS (alternated under the bench lock, load ≈ 2; at 100: 273 MB). But
// in a whole run at 75 the render step became the run's peak (288 MB, the
// transform's 278 MB), over the 285 MB goal of issue 11, so it stays 50.
// go_memory_limit still bounds it from above.
const dashboardsGCPercent = 50

// dashboardsGCPercentLarge is the dashboards' GOGC for a cluster of more
// facts than largeDashboardsFacts: past the facts where memory_limit auto
// reaches its ceiling (config.AutoMemoryMax), DuckDB's memory stops growing
// with the cluster but a page's rows do not (an overview period at M, 700
// units × 105 indicators: 73,500 rows), and at GOGC 50 the collector ran
// 791 times over a live heap of ≈ 120 MB, half the allocations the pages'
// row batches. M's dashboards (a copy of the bench's M database, default
// limits, the same binary, loaded machine): 256.7 → 217.8 CPU-s, peak RSS
// 920 → 944 MB. Below it the 700-unit run keeps 50 (its render step must
// stay under the transform's peak).
const dashboardsGCPercentLarge = 100

// largeDashboardsFacts is the facts above which the dashboards run at
// dashboardsGCPercentLarge: where memory_limit auto reaches its ceiling
// (1.14 M facts; the 700-unit run has 336,000).
const largeDashboardsFacts = config.AutoMemoryMax / config.AutoBytesPerFact

// dashboardsGC is the dashboards' GOGC for a database of facts facts.
func dashboardsGC(facts int64) int {
	if facts > largeDashboardsFacts {
		return dashboardsGCPercentLarge
	}
	return dashboardsGCPercent
}

// withGCPercent runs fn with the collector's GOGC at percent, then puts
// back the one before, unless GOGC is set in the environment: the runtime
// applied that one itself, and it wins.
func withGCPercent(percent int, fn func() error) error {
	if _, set := os.LookupEnv("GOGC"); set {
		return fn()
	}
	old := debug.SetGCPercent(percent)
	defer debug.SetGCPercent(old)
	return fn()
}

// releaseMemory hands the Go heap that a step let go back to the system
// before the next step, so that DuckDB's memory in that step does not come
// on top of the Go memory the previous step no longer uses but the
// runtime would otherwise keep for minutes.
func releaseMemory() {
	debug.FreeOSMemory()
}

// gcWarnShare is the share of the CPU time available to Go (GOMAXPROCS ×
// wall time) above which a step's collector counts as running nearly all
// the time. Without a limit in the way the collector takes a few percent
// (8 % in M's dashboards with no limit, 36 % with one below the live heap).
const gcWarnShare = 0.25

// minGCWatch is the least CPU time, in seconds available to Go, over which
// a step's collector share is judged: shorter steps are noise.
const minGCWatch = 2.0

// gcClock holds the Go runtime's CPU-time counters (runtime/metrics): the
// collector's work (its idle-time workers aside, which only use CPU time
// nothing else wanted) and all the CPU time available to Go.
type gcClock struct{ gc, total float64 }

func readGCClock() gcClock {
	s := []metrics.Sample{
		{Name: "/cpu/classes/gc/total:cpu-seconds"},
		{Name: "/cpu/classes/gc/mark/idle:cpu-seconds"},
		{Name: "/cpu/classes/total:cpu-seconds"},
	}
	metrics.Read(s)
	f := func(i int) float64 {
		if s[i].Value.Kind() != metrics.KindFloat64 {
			return 0
		}
		return s[i].Value.Float64()
	}
	return gcClock{gc: f(0) - f(1), total: f(2)}
}

// gcBound says what share of the CPU time available between from and to
// the collector took, and whether that share means it ran nearly all the
// time (over at least minGCWatch seconds).
func gcBound(from, to gcClock) (share float64, bound bool) {
	total := to.total - from.total
	if total < minGCWatch {
		return 0, false
	}
	share = (to.gc - from.gc) / total
	return share, share > gcWarnShare
}

// watchGC runs fn, a step that holds data in Go (ingest, dashboards), and
// warns when the collector took much of its time: the Go memory limit is
// then below what the step holds live, and the step runs several times
// slower than it would with room (M's dashboards at go_memory_limit
// 256MB: ≈ 3×).
func (a *App) watchGC(step string, fn func() error) error {
	from := readGCClock()
	err := fn()
	if share, bound := gcBound(from, readGCClock()); bound {
		a.log.Warn("the Go garbage collector took much of the step's time: go_memory_limit is below what the step holds; "+
			"raise memory_limit (go_memory_limit follows it) or go_memory_limit",
			"step", step, "gc_share_percent", math.Round(share*100), "go_memory_limit_mb", debug.SetMemoryLimit(-1)>>20)
	}
	return err
}
