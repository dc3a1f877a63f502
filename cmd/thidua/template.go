package main

import (
	"errors"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/thidua/thidua"
	"github.com/thidua/thidua/ingest"
	"github.com/thidua/thidua/pipeline"
)

// templateOptions are the flags of "thidua template".
type templateOptions struct {
	period string
	units  []string
	out    string
}

func newTemplateCmd(g *globalFlags, stdio *IO) *cobra.Command {
	o := &templateOptions{}
	cmd := &cobra.Command{
		Use:   "template --period PERIOD [--unit CODE] --out DIR",
		Short: "Write ready-to-fill XLSX report forms, one per unit",
		Long: `template writes one XLSX report form per unit (or for the --unit codes given) for
PERIOD, with the unit and period filled in, one row per indicator with its measure,
an annual target cell for every indicator with a target (ratios included), numeric-only
input cells formatted by indicator, and a signature block. "thidua ingest" reads a
filled form back; one whose unit or period cell was changed is refused, and so is one
left empty (unless --allow-empty). A unit that did not exist in PERIOD is refused with
its dates.`,
		Example: `  thidua template --period 2020-H1 --out forms/
  thidua template --period "Quý II/2020" --unit 060 --out forms/`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			cfg, _, err := loadConfig(cmd, g, stdio)
			if err != nil {
				return err
			}
			p, err := thidua.ParsePeriod(o.period)
			if err != nil {
				return pipeline.WithCode(pipeline.ExitConfig, fmt.Errorf("--period: %w", err))
			}
			var codes []string
			lookup := ingest.Options{Cluster: &cfg.Cluster}
			for _, u := range o.units {
				unit, err := lookup.LookupUnit(u, &p)
				switch {
				case errors.Is(err, ingest.ErrUnknownUnit):
					return pipeline.WithCode(pipeline.ExitConfig, fmt.Errorf("--unit %q: not a unit of cluster %s", u, cfg.Cluster.Code))
				case err != nil:
					// Not in the period (with its dates), ambiguous.
					return pipeline.WithCode(pipeline.ExitConfig, fmt.Errorf("--unit: %w", err))
				}
				codes = append(codes, unit.Code)
			}
			now := cfg.Now
			if now.IsZero() {
				now = time.Now()
			}
			files, err := ingest.WriteTemplates(o.out, &cfg.Cluster, p, ingest.TemplateOptions{Units: codes, Now: now})
			for _, f := range files {
				fmt.Fprintln(stdio.Out, f)
			}
			return err
		},
	}
	cmd.Flags().StringVar(&o.period, "period", "", "reporting period, e.g. 2020-H1, Q2/2020, 6 tháng đầu năm 2020")
	cmd.Flags().StringSliceVar(&o.units, "unit", nil, "unit code or name (repeatable; default all units)")
	cmd.Flags().StringVar(&o.out, "out", "forms", "folder to write the forms to")
	cmd.MarkFlagRequired("period")
	return cmd
}
