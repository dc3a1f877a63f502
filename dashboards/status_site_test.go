package dashboards

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/thidua/thidua"
	"github.com/thidua/thidua/store"
	"github.com/thidua/thidua/transform"
)

// statusSiteReport runs the real transform on three units and one
// indicator of each direction: A on target, B well below (behind) and C
// just below (close) in every direction, every month of 2020.
func statusSiteReport(t *testing.T) thidua.Report {
	t.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, "", store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	c := thidua.Cluster{Code: "CL", Name: "Cụm thử",
		Units: []thidua.Unit{{Code: "A", Name: "Đơn vị A"}, {Code: "B", Name: "Đơn vị B"}, {Code: "C", Name: "Đơn vị C"}},
		Indicators: []thidua.Indicator{
			{Code: "hi", Name: "Càng cao càng tốt", Agg: thidua.Last, Direction: thidua.Higher, HasTarget: true, Decimals: 1},
			{Code: "lo", Name: "Càng thấp càng tốt", Agg: thidua.Last, Direction: thidua.Lower, HasTarget: true, Decimals: 1},
			{Code: "tg", Name: "Đúng mức", Agg: thidua.Last, Direction: thidua.Target, HasTarget: true, Decimals: 1},
		},
	}
	if err := db.SyncCluster(ctx, c); err != nil {
		t.Fatal(err)
	}
	vals := map[string]map[string]float64{
		"hi": {"A": 110, "B": 80, "C": 95},
		"lo": {"A": 9, "B": 12.5, "C": 10.5},
		"tg": {"A": 10, "B": 12, "C": 9.5},
	}
	tgt := map[string]float64{"hi": 100, "lo": 10, "tg": 10}
	var b thidua.Batch
	for ind, byUnit := range vals {
		for u, v := range byUnit {
			for m := 1; m <= 12; m++ {
				p, _ := thidua.ParsePeriod(fmt.Sprintf("2020-%02d", m))
				b.Observations = append(b.Observations, thidua.Observation{Unit: u, Indicator: ind, Period: p,
					Basis: thidua.PeriodBasis, Value: v, Pos: thidua.Pos{File: "f.csv", Line: len(b.Observations) + 2}})
			}
			b.Targets = append(b.Targets, thidua.TargetValue{Unit: u, Indicator: ind, Year: 2020, Value: tgt[ind]})
		}
	}
	b.Source = thidua.Source{File: "f.csv", Name: "f.csv", SHA256: "f", Format: "csv"}
	b.Rows = len(b.Observations) + len(b.Targets)
	now := time.Date(2021, 3, 1, 0, 0, 0, 0, time.UTC)
	if _, err := db.LoadBatch(ctx, b, store.LoadOptions{Now: now}); err != nil {
		t.Fatal(err)
	}
	if err := transform.Run(ctx, db.SQL(), transform.Options{Now: now}); err != nil {
		t.Fatal(err)
	}
	r, err := db.Report(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

var (
	trRE   = regexp.MustCompile(`(?s)<tr>(.*?)</tr>`)
	tdRE   = regexp.MustCompile(`<td(?: class="([^"]*)")?[^>]*>`)
	unitRE = regexp.MustCompile(`href="unit-([A-Z])\.html"`)
)

// TestStatusSite: for every direction (higher, lower, target), a unit below
// its target is never shown as on target: not in a table (the default
// period's HTML and every other period's data), not by a heatmap colour,
// not on a radar and not in a sentence.
func TestStatusSite(t *testing.T) {
	r := statusSiteReport(t)
	dir, _ := render(t, r, Options{})
	wantClass := map[string]string{"A": "good", "B": "bad", "C": "close"}
	var units [][2]string
	if m := regexp.MustCompile(`(?s)^thidua\.units\((.*)\);\n$`).FindSubmatch(read(t, filepath.Join(dir, "data", "units.js"))); m == nil {
		t.Fatal("no unit list")
	} else if err := json.Unmarshal(m[1], &units); err != nil {
		t.Fatal(err)
	}
	for _, page := range []string{"index.html", "indicator-hi.html", "indicator-lo.html", "indicator-tg.html", "unit-B.html", "unit-C.html"} {
		b := read(t, filepath.Join(dir, page))
		html := string(b)
		// Default period, as HTML: a unit's row in the overview's
		// heatmap table, or a unit page's rows.
		checked := 0
		for _, tr := range trRE.FindAllStringSubmatch(html, -1) {
			unit := ""
			if m := unitRE.FindStringSubmatch(tr[1]); m != nil {
				unit = m[1]
			} else if strings.HasPrefix(page, "unit-") {
				unit = page[5:6]
			}
			if unit == "" {
				continue
			}
			for _, td := range tdRE.FindAllStringSubmatch(tr[1], -1) {
				cls := td[1]
				if unit != "A" && strings.Contains(cls, "good") {
					t.Errorf("%s: unit %s below target has a cell marked good: %s", page, unit, tr[1])
				}
				if cls == wantClass[unit] {
					checked++
				}
			}
		}
		if checked == 0 {
			t.Errorf("%s: no status-marked cell found", page)
		}
		// Other periods, from their period files: no cell of B's or C's
		// rows is good, no heatmap colour or radar says on target.
		_, d := pageJSON(t, b)
		if strings.HasPrefix(page, "indicator-") || strings.HasPrefix(page, "unit-") {
			// (a small cluster's indicator and unit pages: every period's
			// rows in the rows files they share, checked below)
			continue
		}
		files, _ := filepath.Glob(filepath.Join(dir, "data", strings.TrimSuffix(page, ".html")+".*.js"))
		n := 0
		for _, f := range files {
			n += len(periodJSON(t, read(t, f)).Charts)
		}
		if n < 12 {
			t.Errorf("%s: %d periods in %d period files, want 2020's 12 months and more", page, n, len(files))
		}
		for _, f := range files {
			pd := periodJSON(t, read(t, f))
			for _, blocks := range pd.Blocks {
				for period, blk := range blocks {
					for _, tb := range blk.Tables {
						for ri, row := range tb.Rows {
							unit := rowUnit(row, pd.Cells, units, page)
							for _, c := range row {
								if cellClass(c, pd.Cells, pd.Classes) == "good" && unit != "A" {
									t.Errorf("%s %s %s row %d (unit %s): a cell marked good", page, period, tb.ID, ri, unit)
								}
							}
						}
					}
				}
			}
			for period, opts := range pd.Charts {
				for _, ch := range d.Charts {
					if pt := opts[ch.ID]; pt != nil {
						// (a period file's option is whole, or its keys beside its base)
						checkChart(t, page, period, ch.Kind, fileOption(pd.Bases[ch.ID], pt))
					}
				}
			}
		}
		// The default period's charts.
		for _, ch := range d.Charts {
			for period, idx := range ch.ByPeriod {
				checkChart(t, page, period, ch.Kind, mergeOption(ch.Base, ch.Opts[idx]))
			}
		}
	}
	// The rows files of the indicator pages' other periods: no status of
	// B's or C's rows says on target (site.js shows the class as given).
	rfiles, _ := filepath.Glob(filepath.Join(dir, "data", "rows.*.js"))
	statuses := 0
	for _, f := range rfiles {
		m := regexp.MustCompile(`^thidua\.prows\("([A-Za-z0-9+/=]+)"\);\n$`).FindSubmatch(read(t, f))
		if m == nil {
			t.Fatalf("%s is not a rows file", f)
		}
		var d struct {
			Key string
			U   [][][]any
		}
		if err := json.Unmarshal(unpackJSON(t, string(m[1])), &d); err != nil {
			t.Fatal(err)
		}
		for _, rows := range d.U {
			for ui, r := range rows {
				if len(r) < 10 {
					continue
				}
				unit := units[ui][1][5:6]
				if cls, _ := r[9].(string); cls == "good" && unit != "A" {
					t.Errorf("%s %s: unit %s below target marked good: %v", filepath.Base(f), d.Key, unit, r)
				} else if cls == wantClass[unit] {
					statuses++
				}
				// (a unit page's radar: the achievement as the rows hold it)
				if a, ok := r[12].(float64); ok && a >= 100 && unit != "A" {
					t.Errorf("%s %s: unit %s below target has an achievement of %v on its radar", filepath.Base(f), d.Key, unit, a)
				}
			}
		}
	}
	if len(rfiles) < 12 || statuses == 0 {
		t.Errorf("%d rows files, %d statuses checked: want 2020's 12 months and more", len(rfiles), statuses)
	}
	// Sentences: B and C never reach 100 %.
	idx := string(read(t, filepath.Join(dir, "index.html")))
	for _, name := range []string{"Đơn vị B", "Đơn vị C"} {
		re := regexp.MustCompile(regexp.QuoteMeta(name) + `:[^<]*?đạt ([0-9.,]+)%`)
		m := re.FindStringSubmatch(idx)
		if m == nil {
			t.Errorf("no sentence with a %% of target for %s", name)
			continue
		}
		if strings.HasPrefix(m[1], "1") && len(strings.Split(m[1], ",")[0]) >= 3 {
			t.Errorf("%s is below target but its sentence says %s%%", name, m[1])
		}
	}
}

func checkChart(t *testing.T, page, period, kind string, o map[string]any) {
	t.Helper()
	switch kind {
	case "heatmap":
		checkHeat(t, page, period, o)
	case "radar":
		checkRadar(t, page, period, o)
	}
}

// rowUnit is the unit a compact table row belongs to: its first cell's
// link, or the page's unit.
func rowUnit(row []any, cells []map[string]any, units [][2]string, page string) string {
	if strings.HasPrefix(page, "unit-") {
		return page[5:6]
	}
	if len(row) == 0 {
		return ""
	}
	href := ""
	switch c := row[0].(type) {
	case float64: // a "u" column: the unit's index in the site's list
		if int(c) < len(units) {
			href = units[int(c)][1]
		}
	case []any:
		if len(c) == 1 {
			if i, ok := c[0].(float64); ok && int(i) < len(cells) {
				href, _ = cells[int(i)]["href"].(string)
			}
		}
	}
	if m := regexp.MustCompile(`^unit-([A-Z])\.html$`).FindStringSubmatch(href); m != nil {
		return m[1]
	}
	return ""
}

// cellClass is the class of a compact cell: a number's [v, k] or a cell
// of the list's.
func cellClass(c any, cells []map[string]any, classes []string) string {
	a, ok := c.([]any)
	if !ok {
		return ""
	}
	switch {
	case len(a) == 2:
		if k, ok := a[1].(float64); ok && int(k) < len(classes) {
			return classes[int(k)]
		}
	case len(a) == 1:
		if i, ok := a[0].(float64); ok && int(i) < len(cells) {
			s, _ := cells[int(i)]["cls"].(string)
			return s
		}
	}
	return ""
}

// checkHeat: the heatmap's rows are units A, B, C in order; its colour
// band (2 on target) is on target only for A.
func checkHeat(t *testing.T, page, period string, o map[string]any) {
	t.Helper()
	series, _ := o["series"].([]any)
	if len(series) == 0 {
		t.Errorf("%s %s: heatmap without series", page, period)
		return
	}
	data, _ := series[0].(map[string]any)["data"].([]any)
	for _, d := range data {
		v, _ := d.([]any)
		if len(v) < 4 {
			continue
		}
		y, band := int(v[1].(float64)), v[2].(float64)
		if y != 0 && band == 2 {
			t.Errorf("%s %s: unit row %d below target coloured as on target (%v)", page, period, y, v)
		}
		if y == 0 && band != 2 {
			t.Errorf("%s %s: unit A on target coloured %v", page, period, band)
		}
	}
}

// checkRadar: on a unit page of a unit below target, every axis of the
// unit's series is under 100.
func checkRadar(t *testing.T, page, period string, o map[string]any) {
	t.Helper()
	series, _ := o["series"].([]any)
	if len(series) == 0 {
		return
	}
	data, _ := series[0].(map[string]any)["data"].([]any)
	for _, d := range data {
		vals, _ := d.(map[string]any)["value"].([]any)
		if len(vals) == 0 {
			t.Errorf("%s %s: radar without values", page, period)
		}
		for _, v := range vals {
			if f, _ := v.(float64); f >= 100 {
				t.Errorf("%s %s: radar shows %v for a unit below target", page, period, f)
			}
		}
	}
}
