package pipeline

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"

	"github.com/thidua/thidua"
	"github.com/thidua/thidua/store"
)

// Quality prints the data-quality findings of the last transform
// (read-only), as a table or JSON.
func Quality(ctx context.Context, env Env, asJSON bool) error {
	cfg, log, stdio := env.Config, env.Log, env.IO
	a, err := openForReading(ctx, cfg, log, stdio)
	if err != nil {
		return err
	}
	defer a.Close()
	qs, err := a.db.Quality(ctx)
	if errors.Is(err, store.ErrNotTransformed) {
		return withCode(ExitConfig, err)
	}
	if err != nil {
		return err
	}
	if asJSON {
		return writeQualityJSON(stdio.Out, qs)
	}
	writeQuality(stdio.Out, qs, &cfg.Cluster, cfg.Lang)
	return nil
}

// writeQuality prints the findings, in the order read (grouped by unit, most
// severe first), as an aligned table, the unit's name beside its code when
// the cluster knows it, and a count by check.
func writeQuality(w io.Writer, qs []thidua.QualityFlag, c *thidua.Cluster, lang string) {
	if len(qs) == 0 {
		fmt.Fprintln(w, "no data-quality findings")
		return
	}
	head := []string{"SEVERITY", "CHECK", "UNIT", "INDICATOR", "PERIOD", "VALUE", "EXPECTED", "MESSAGE"}
	var rows [][]string
	counts := map[string]int{}
	var order []string
	for _, q := range qs {
		unit := q.Unit
		if u, ok := c.Unit(q.Unit); ok && u.Name != "" {
			unit += " " + u.Name
		}
		rows = append(rows, []string{dash(q.Severity), dash(q.Check), dash(unit), dash(q.Indicator), dash(q.Period),
			numText(q.Value), numText(q.Expected), q.Text(lang)})
		if counts[q.Check] == 0 {
			order = append(order, q.Check)
		}
		counts[q.Check]++
	}
	writeTable(w, head, rows, map[int]bool{5: true, 6: true})
	fmt.Fprintf(w, "\n%d finding(s):", len(qs))
	for i, c := range order {
		if i > 0 {
			fmt.Fprint(w, ",")
		}
		fmt.Fprintf(w, " %s %d", c, counts[c])
	}
	fmt.Fprintln(w)
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// numText writes a number for reading: rounded to 6 decimals, so that
// float noise (170.50000000000003) does not show.
func numText(n thidua.Num) string {
	if !n.OK {
		return "-"
	}
	if math.IsNaN(n.V) || math.IsInf(n.V, 0) || math.Abs(n.V) >= 1e15 {
		return strconv.FormatFloat(n.V, 'g', -1, 64)
	}
	return strconv.FormatFloat(math.Round(n.V*1e6)/1e6, 'f', -1, 64)
}

// QualityJSON is one finding in "thidua quality --json"; missing numbers
// are null.
type QualityJSON struct {
	Check     string   `json:"check"`
	Severity  string   `json:"severity"`
	Unit      string   `json:"unit"`
	Indicator string   `json:"indicator"`
	Period    string   `json:"period"`
	Value     *float64 `json:"value"`
	Expected  *float64 `json:"expected"`
	Score     *float64 `json:"score"`
	Message   string   `json:"message"`
	MessageVI string   `json:"message_vi"`
}

func numPtr(n thidua.Num) *float64 {
	if !n.OK || math.IsNaN(n.V) || math.IsInf(n.V, 0) {
		return nil
	}
	return &n.V
}

func writeQualityJSON(w io.Writer, qs []thidua.QualityFlag) error {
	out := make([]QualityJSON, 0, len(qs))
	for _, q := range qs {
		out = append(out, QualityJSON{Check: q.Check, Severity: q.Severity, MessageVI: q.MessageVI, Unit: q.Unit, Indicator: q.Indicator, Period: q.Period,
			Value: numPtr(q.Value), Expected: numPtr(q.Expected), Score: numPtr(q.Score), Message: q.Message})
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}
