package pipeline

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/thidua/thidua"
	"github.com/thidua/thidua/ingest"
)

// TemplateOptions are the flags of "thidua template".
type TemplateOptions struct {
	Period string   // the reporting period (required)
	Units  []string // unit codes or names; none: every unit
	Out    string   // the folder to write the forms to
}

// Template is "thidua template": one ready-to-fill XLSX report form per
// unit for o.Period, written to o.Out; it prints each file's path.
func Template(_ context.Context, env Env, o TemplateOptions) error {
	p, err := thidua.ParsePeriod(o.Period)
	if err != nil {
		return withCode(ExitConfig, fmt.Errorf("--period: %w", err))
	}
	var codes []string
	lookup := ingest.Options{Cluster: &env.Config.Cluster}
	for _, u := range o.Units {
		unit, err := lookup.LookupUnit(u, &p)
		switch {
		case errors.Is(err, ingest.ErrUnknownUnit):
			return withCode(ExitConfig, fmt.Errorf("--unit %q: not a unit of cluster %s", u, env.Config.Cluster.Code))
		case err != nil:
			// Not in the period (with its dates), ambiguous.
			return withCode(ExitConfig, fmt.Errorf("--unit: %w", err))
		}
		codes = append(codes, unit.Code)
	}
	now := env.Config.Now
	if now.IsZero() {
		now = time.Now()
	}
	files, err := ingest.WriteTemplates(o.Out, &env.Config.Cluster, p, ingest.TemplateOptions{Units: codes, Now: now})
	for _, f := range files {
		fmt.Fprintln(env.IO.Out, f)
	}
	return err
}
