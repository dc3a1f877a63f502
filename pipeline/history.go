package pipeline

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/thidua/thidua"
	"github.com/thidua/thidua/ingest"
	"github.com/thidua/thidua/store"
)

// HistoryOptions are the arguments and flags of "thidua history".
type HistoryOptions struct {
	Unit, Indicator, Period string // as files write them
	JSON                    bool
}

// History shows the audit trail of one value (read-only): every load,
// correction and undo that touched it, oldest first.
func History(ctx context.Context, env Env, o HistoryOptions) error {
	a, err := openForReading(ctx, env.Config, env.Log, env.IO)
	if err != nil {
		return err
	}
	defer a.Close()
	return runHistory(ctx, a, env.IO, &o)
}

func runHistory(ctx context.Context, a *App, stdio *IO, o *HistoryOptions) error {
	// The names are matched as every reader matches them; the period is
	// any period a file may name (a future one included: it has no trail).
	opts := ingest.Options{Cluster: &a.cfg.Cluster}
	p, err := thidua.ParsePeriod(ingest.NFC(o.Period))
	if err != nil {
		return withCode(ExitConfig, fmt.Errorf("history: %w", err))
	}
	u, err := opts.LookupUnit(o.Unit, nil)
	if err != nil {
		return withCode(ExitConfig, fmt.Errorf("history: %w", err))
	}
	ind, err := opts.LookupIndicator(o.Indicator)
	if err != nil {
		return withCode(ExitConfig, fmt.Errorf("history: %w", err))
	}
	hs, err := a.db.History(ctx, u.Code, ind.Code, p.String())
	if err != nil {
		return err
	}
	if o.JSON {
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

// HistoryJSON is one change in "thidua history --json".
type HistoryJSON struct {
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
		Changes   []HistoryJSON `json:"changes"`
	}{u.Code, ind.Code, p.String(), []HistoryJSON{}}
	for _, h := range hs {
		out.Changes = append(out.Changes, HistoryJSON{At: h.At.UTC(), Action: h.Action, Basis: h.Basis, Load: h.Load, File: h.File,
			Archived: h.Archived, Status: h.Status, Old: h.Old, OldSource: h.OldSource, New: h.New, NewSource: h.NewSource, NewLoad: h.NewLoad})
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}
