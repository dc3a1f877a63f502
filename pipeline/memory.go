package pipeline

import (
	"math"
	"os"
	"runtime/debug"

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

// releaseMemory hands the Go heap that a step let go back to the system
// before the next step, so that DuckDB's memory in that step does not come
// on top of the Go memory the previous step no longer uses but the
// runtime would otherwise keep for minutes.
func releaseMemory() {
	debug.FreeOSMemory()
}
