package main

import (
	"context"

	"github.com/spf13/cobra"

	"github.com/thidua/thidua/pipeline"
)

// templateOptions are the options of "thidua template".
type templateOptions struct {
	common
	pipeline.TemplateOptions
}

// NewCmdTemplate makes "thidua template"; runF receives its options.
func NewCmdTemplate(f *factory, runF func(*templateOptions) error) *cobra.Command {
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
			o.Env = f.envOf(cmd)
			return runF(o)
		},
	}
	cmd.Flags().StringVar(&o.Period, "period", "", "reporting period, e.g. 2020-H1, Q2/2020, 6 tháng đầu năm 2020")
	cmd.Flags().StringSliceVar(&o.Units, "unit", nil, "unit code or name (repeatable; default all units)")
	cmd.Flags().StringVar(&o.Out, "out", "forms", "folder to write the forms to")
	cmd.MarkFlagRequired("period")
	return cmd
}

func runTemplate(ctx context.Context, o *templateOptions) error {
	return call(ctx, &o.common, pipeline.Template, o.TemplateOptions)
}
