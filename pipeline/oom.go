package pipeline

import (
	"context"
	"errors"

	"github.com/thidua/thidua/config"
	"github.com/thidua/thidua/store"
)

// growMemory runs step fn and, while fn fails with DuckDB's out-of-memory
// error and memory_limit is auto below config.AutoMemoryMax, opens the
// database again with twice the limit (at most AutoMemoryMax), warns, and
// runs fn again. The auto size is an estimate from the facts
// (config.AutoMemoryLimit); a scheduled run must not fail where the fixed
// default of before (AutoMemoryMax) would have run. The larger size stays
// the least for the rest of the run (App.memFloor). A size set in the
// configuration is never changed, and fn must leave nothing behind when it
// fails (the transform, dashboards and export do: their outputs are
// swapped in whole).
func (a *App) growMemory(ctx context.Context, step string, fn func() error) error {
	for {
		err := fn()
		if err == nil || !store.IsOutOfMemory(err) || !config.IsAuto(a.cfg.MemoryLimit) || ctx.Err() != nil {
			return err
		}
		cur, ok := config.ParseSize(a.db.MemoryLimit())
		if !ok || cur >= config.AutoMemoryMax {
			return err
		}
		next := min(2*cur, config.AutoMemoryMax)
		a.log.Warn("out of memory under the auto memory_limit: the step runs again with more (set memory_limit to skip this)",
			"step", step, "memory_limit", memorySize(cur), "now", memorySize(next))
		a.memFloor = max(a.memFloor, next)
		if rerr := a.db.Reopen(ctx, memorySize(next)); rerr != nil {
			return errors.Join(err, rerr)
		}
	}
}
