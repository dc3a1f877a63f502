package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/spf13/cobra"

	"github.com/thidua/thidua"
	"github.com/thidua/thidua/ingest"
	"github.com/thidua/thidua/store"
)

// historyOptions are the arguments and flags of "thidua history".
type historyOptions struct {
	unit, indicator, period string
	asJSON                  bool
}

func newHistoryCmd(g *globalFlags, stdio *IO) *cobra.Command {
	o := &historyOptions{}
	cmd := &cobra.Command{
		Use:   "history UNIT INDICATOR PERIOD [--json]",
		Short: "Show the audit trail of one value: every load, correction and undo that touched it",
		Long: `history shows, oldest first, every change to one unit's indicator for one period:
the load that reported it first, each correction (a later file with another value),
each undo, with the time, the load, its file (the name it has in the inbox's
archive/ folder, and the name it was sent under), the cell the value came from,
the old and new value and the load's status now (loaded or undone). A year also
shows the annual target (basis target), and year-to-date reports show as basis ytd.

UNIT and INDICATOR are codes or names as files write them (Pác Nặm, Huyện Pác
Nặm, Thu ngân sách); PERIOD as in the files (2020-06, T6/2020, Quý II/2020,
6 tháng đầu năm 2020, 2020). It opens the database read-only and changes nothing.`,
		Example: `  thidua history 060 budget_revenue 2020-06
  thidua history "Pác Nặm" "Thu ngân sách" "6 tháng đầu năm 2020" --json`,
		Args: cobra.ExactArgs(3),
		RunE: func(cmd *cobra.Command, args []string) error {
			cfg, log, err := loadConfig(cmd, g, stdio)
			if err != nil {
				return err
			}
			o.unit, o.indicator, o.period = args[0], args[1], args[2]
			a, err := openForReading(cmd.Context(), cfg, log, stdio)
			if err != nil {
				return err
			}
			defer a.Close()
			return runHistory(cmd.Context(), a, stdio, o)
		},
	}
	cmd.Flags().String("db", "", "DuckDB database file (default thidua.duckdb)")
	cmd.Flags().BoolVar(&o.asJSON, "json", false, "print the trail as JSON")
	return cmd
}

func runHistory(ctx context.Context, a *app, stdio *IO, o *historyOptions) error {
	// The names are matched as every reader matches them; the period is
	// any period a file may name (a future one included: it has no trail).
	opts := ingest.Options{Cluster: &a.cfg.Cluster}
	p, err := thidua.ParsePeriod(ingest.NFC(o.period))
	if err != nil {
		return withCode(ExitConfig, fmt.Errorf("history: %w", err))
	}
	u, err := opts.LookupUnit(o.unit, nil)
	if err != nil {
		return withCode(ExitConfig, fmt.Errorf("history: %w", err))
	}
	ind, err := opts.LookupIndicator(o.indicator)
	if err != nil {
		return withCode(ExitConfig, fmt.Errorf("history: %w", err))
	}
	hs, err := a.db.History(ctx, u.Code, ind.Code, p.String())
	if err != nil {
		return err
	}
	if o.asJSON {
		return writeHistoryJSON(stdio.Out, u, ind, p, hs)
	}
	fmt.Fprintf(stdio.Out, "%s %s, %s %s, %s\n", u.Code, u.Name, ind.Code, ind.Name, p)
	writeHistory(stdio.Out, hs)
	return nil
}

// historyFile names a load's file: the name it has in the inbox's archive
// and the name it was sent under, or the path as given.
func historyFile(c store.Change) string {
	if c.Archived != "" {
		return c.Archived + " (sent as " + c.File + ")"
	}
	return c.File
}

func ptrNum(v *float64) thidua.Num {
	if v == nil {
		return thidua.Num{}
	}
	return thidua.Num{V: *v, OK: true}
}

func writeHistory(w io.Writer, hs []store.Change) {
	if len(hs) == 0 {
		fmt.Fprintln(w, "no value was ever loaded for it")
		return
	}
	head := []string{"TIME (UTC)", "ACTION", "BASIS", "LOAD", "FILE", "OLD", "OLD CELL", "NEW", "NEW CELL", "STATUS"}
	var rows [][]string
	for _, h := range hs {
		rows = append(rows, []string{h.At.UTC().Format(time.DateTime), h.Action, h.Basis, strconv.FormatInt(h.Load, 10),
			historyFile(h), numText(ptrNum(h.Old)), dash(h.OldSource), numText(ptrNum(h.New)), dash(h.NewSource), h.Status})
	}
	writeTable(w, head, rows, map[int]bool{3: true, 5: true, 7: true})
}

// historyJSON is one change in "thidua history --json".
type historyJSON struct {
	At        time.Time `json:"at"`
	Action    string    `json:"action"`
	Basis     string    `json:"basis"`
	Load      int64     `json:"load_id"`
	File      string    `json:"file"`
	Archived  string    `json:"archived,omitempty"`
	Status    string    `json:"status"`
	Old       *float64  `json:"old_value"`
	OldSource string    `json:"old_source,omitempty"`
	New       *float64  `json:"new_value"`
	NewSource string    `json:"new_source,omitempty"`
	NewLoad   int64     `json:"new_load_id,omitempty"`
}

func writeHistoryJSON(w io.Writer, u thidua.Unit, ind thidua.Indicator, p thidua.Period, hs []store.Change) error {
	out := struct {
		Unit      string        `json:"unit"`
		Indicator string        `json:"indicator"`
		Period    string        `json:"period"`
		Changes   []historyJSON `json:"changes"`
	}{u.Code, ind.Code, p.String(), []historyJSON{}}
	for _, h := range hs {
		out.Changes = append(out.Changes, historyJSON{At: h.At.UTC(), Action: h.Action, Basis: h.Basis, Load: h.Load, File: h.File,
			Archived: h.Archived, Status: h.Status, Old: h.Old, OldSource: h.OldSource, New: h.New, NewSource: h.NewSource, NewLoad: h.NewLoad})
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}
