package dashboards

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
	"github.com/thidua/thidua"
)

// pageGen builds a page: its article without periods, and the view of
// one period at a time (adding that period's chart options), from the
// rows in ix (the page's own for indicator and unit pages, the period's
// for the overview).
type pageGen struct {
	a      *article
	period func(ix *index, p thidua.Period) (periodView, error)
	// series are the sparklines' value series of the periods of a type
	// (a unit page's; nil for the others), by sparkRef.Series.
	series func(t thidua.PeriodType) map[string][]thidua.Num
	// cells are where period gets its tables' cells (see cellArena).
	cells *cellArena
}

// cellArena hands out the cells of a page's period views. Off, it makes
// new ones. On (emit, while it writes the page's period files: a file's
// views are dropped once it is written), it hands out cells of one
// buffer, used again from the start for the next file (reset): a page's
// tables over every period are then not hundreds of MB for the collector
// (at size S 8 units × 11 cells × 205 periods × 105 indicator pages).
// The HTML's and the single file's views never come from it.
type cellArena struct {
	on   bool
	buf  []cell
	used int
}

// take returns n zero cells.
func (a *cellArena) take(n int) []cell {
	if a == nil || !a.on {
		return make([]cell, n)
	}
	if a.used+n > len(a.buf) {
		// (a larger buffer, or the one another page released; the views
		// holding the last one keep it until they are dropped)
		var b []cell
		if a.buf == nil {
			if p, ok := cellBufs.Get().(*[]cell); ok && len(*p) >= n {
				b = *p
			}
		}
		if b == nil {
			b = make([]cell, max(2*len(a.buf), 1024, n))
		}
		a.buf, a.used = b, 0
	}
	c := a.buf[a.used : a.used+n : a.used+n]
	clear(c)
	a.used += n
	return c
}

// reset lets the next take use the buffer again: the views that took
// its cells are dropped.
func (a *cellArena) reset() {
	if a != nil {
		a.used = 0
	}
}

// release hands the buffer over to the next page's arena (its page is
// written: no view of it is read again) and turns a off.
func (a *cellArena) release() {
	if a == nil || a.buf == nil {
		return
	}
	b := a.buf
	a.buf, a.used, a.on = nil, 0, false
	cellBufs.Put(&b)
}

// cellBufs are the buffers of arenas released, for the next pages'.
var cellBufs sync.Pool // *[]cell

// article is one page of the site (or one part of the single file).
type article struct {
	ID     string // page-index, page-indicator-CODE, ...
	File   string // index.html, indicator-CODE.html, ...
	Kind   string // overview, indicator, unit, quality
	Title  string
	Intro  string
	Charts []*chartSpec
	// Extra are the charts of a large cluster (distributions), also in
	// Charts, placed after the page's fixed charts.
	Extra   []*chartSpec
	Periods []periodView // per-period blocks, shown one at a time
	Types   []typeView   // per-period-type blocks
	Tables  []table      // tables that do not depend on the period
	Notes   []string
	// Series are the value series the sparklines of periods outside the
	// HTML are drawn from (site.js), by sparkRef.Series.
	Series map[string][]thidua.Num
	// Search: a large cluster's page, whose tables are paged and searched
	// by unit (the HTML carries the first page of each; the default
	// period's file, every row).
	Search bool
}

// periodView is what an article shows for one period.
type periodView struct {
	Key     string
	Type    string
	Label   string
	Default bool
	Tables  []table
	Figures []figure
	Lines   []string
	// LinesTable holds the sentences of a large cluster instead of Lines:
	// a table of one column, searched and paged like the others.
	LinesTable *table
	Notes      []string
}

// Table is the period's table i, or nil.
func (pv periodView) Table(i int) *table {
	if i < len(pv.Tables) {
		return &pv.Tables[i]
	}
	return nil
}

type typeView struct {
	Type    string
	Default bool
	Tables  []table
}

// figure is a key cluster figure.
type figure struct {
	Label, Value, Measure, Change, Note string
	Class                               string
}

type builder struct {
	ix *index
	ms *messages
	// large: the cluster has more units than Options.LargeCluster, so
	// its charts show the top and bottom units and distributions.
	large bool
	// ut are the units' texts, by index in ix.units; it the indicators'
	// cells, by index in ix.inds.
	ut *unitTexts
	it *indTexts
}

// indTexts are the cells of the indicators that every period's view of a
// unit page repeats, made once for the site: the name linked to the
// indicator's page, and the measure.
type indTexts struct {
	names, measures []cell
}

// unitTexts are the texts of the units that every period's view repeats
// (in tables, search keys and chart labels), made once for the site.
type unitTexts struct {
	names  []string // as shown (unitName)
	labels []string // defused, for chart options
	keys   []string // search keys (unitKey)
	pages  []string // unit-CODE.html
}

func newBuilder(ix *index, ms *messages, large bool) *builder {
	b := &builder{ix: ix, ms: ms, large: large}
	ut := &unitTexts{}
	for _, u := range ix.units {
		name := b.unitName(u)
		ut.names = append(ut.names, name)
		ut.labels = append(ut.labels, defuse(name))
		ut.keys = append(ut.keys, thidua.Fold(name))
		ut.pages = append(ut.pages, "unit-"+u.Code+".html")
	}
	b.ut = ut
	it := &indTexts{}
	for _, ind := range ix.inds {
		it.names = append(it.names, cell{Text: b.indName(ind), Href: "indicator-" + ind.Code + ".html"})
		it.measures = append(it.measures, textCell(b.measure(ind)))
	}
	b.it = it
	return b
}

// unitCell is the cell of unit ix.units[ui]: its name linked to its page.
func (b *builder) unitCell(ui int) cell {
	return cell{Text: b.ut.names[ui], Href: b.ut.pages[ui]}
}

// withIndex is b reading the rows of ix.
func (b *builder) withIndex(ix *index) *builder {
	c := *b
	c.ix = ix
	return &c
}

// topBottom picks, among n units with ranks rank(i) (1 = best; 0 = not
// ranked), the TopUnits best and TopUnits worst, best first.
func topBottom(n int, rank func(i int) int) []int {
	var idx []int
	for i := 0; i < n; i++ {
		if rank(i) > 0 {
			idx = append(idx, i)
		}
	}
	sort.SliceStable(idx, func(a, b int) bool { return rank(idx[a]) < rank(idx[b]) })
	if len(idx) <= 2*TopUnits {
		return idx
	}
	return append(idx[:TopUnits:TopUnits], idx[len(idx)-TopUnits:]...)
}

// pick keeps the elements of xs at idx.
func pick[T any](xs []T, idx []int) []T {
	out := make([]T, len(idx))
	for i, j := range idx {
		out[i] = xs[j]
	}
	return out
}

// quantile is the q-quantile (0…1) of sorted vs, linearly interpolated.
func quantile(vs []float64, q float64) float64 {
	if len(vs) == 1 {
		return vs[0]
	}
	pos := q * float64(len(vs)-1)
	lo := int(math.Floor(pos))
	if lo >= len(vs)-1 {
		return vs[len(vs)-1]
	}
	return vs[lo] + (vs[lo+1]-vs[lo])*(pos-float64(lo))
}

// roundDec rounds v to dec decimals: chart data carry no more digits than
// the pages show, rounded as the tables show them.
func roundDec(n thidua.Num, dec int) thidua.Num {
	if !n.OK {
		return n
	}
	// As the tables round it, strconv's 'f' format (site.js draws the
	// charts of a period from the rows files' numbers, written so): away
	// from a tie, the nearest whole number of v·10^dec is strconv's digits
	// and dividing it by 10^dec gives the float64 nearest that decimal,
	// which is what parsing strconv's text gives; near a tie (or from 10^9,
	// where v·10^dec's rounding error could reach 10^-6) strconv decides.
	dec = max(0, dec)
	if dec <= 15 {
		p := math.Pow10(dec)
		y := n.V * p
		if f := y - math.Floor(y); math.Abs(y) < 1e9 && math.Abs(f-0.5) > 1e-6 {
			return thidua.Some(math.Round(y) / p)
		}
	}
	var buf [64]byte
	v, err := strconv.ParseFloat(string(strconv.AppendFloat(buf[:0], n.V, 'f', dec, 64)), 64)
	if err != nil {
		return n
	}
	return thidua.Some(v)
}

// histogram is the distribution of vs (at least one) in up to 10 bins of
// equal width, labelled with their ranges shown with dec decimals.
// It returns the bin of a value.
func (b *builder) histogram(cs *chartSpec, p thidua.Period, title string, vs []float64, dec int) (func(float64) int, error) {
	sort.Float64s(vs)
	lo, hi := vs[0], vs[len(vs)-1]
	nb := 10
	if hi == lo {
		nb = 1
	}
	w := (hi - lo) / float64(nb)
	counts := make([]opts.BarData, nb)
	n := make([]int, nb)
	bin := func(v float64) int {
		if w > 0 {
			return max(0, min(nb-1, int((v-lo)/w)))
		}
		return nb - 1
	}
	for _, v := range vs {
		n[bin(v)]++
	}
	labels := make([]string, nb)
	for i := range labels {
		labels[i] = b.ms.Num(lo+w*float64(i), dec) + " – " + b.ms.Num(lo+w*float64(i+1), dec)
		counts[i] = opts.BarData{Value: n[i]}
	}
	slow := func() echart {
		bar := charts.NewBar()
		bar.SetGlobalOptions(common(b.ms, cs, title)...)
		bar.SetGlobalOptions(charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "axis"}),
			charts.WithLegendOpts(opts.Legend{Show: opts.Bool(false)}),
			charts.WithXAxisOpts(opts.XAxis{AxisLabel: &opts.AxisLabel{Interval: "0", Rotate: 30}}))
		bar.SetXAxis(labels).AddSeries(b.ms.T("units_count"), counts)
		return bar
	}
	return bin, cs.addFast(p, []fastKey{fastTitle(title), fastCategories(labels), fastSeries(
		func(w *jsonw) bool { return barSeries(w, b.ms.T("units_count"), counts, nil) })}, slow)
}

func (b *builder) unitName(u thidua.Unit) string     { return u.Label(b.ms.lang) }
func (b *builder) indName(i thidua.Indicator) string { return i.Label(b.ms.lang) }
func (b *builder) measure(i thidua.Indicator) string {
	if b.ms.lang == "en" && i.MeasureEN != "" {
		return i.MeasureEN
	}
	return i.Measure
}

func (b *builder) pview(p thidua.Period) periodView {
	return periodView{Key: p.String(), Type: string(p.Type), Label: b.ms.Period(p), Default: p == b.ix.defaultP}
}

func (b *builder) unitNames() []string {
	return append([]string(nil), b.ut.labels...)
}

// missingNote names the units without a value for ind in p and says how the
// cluster mean was computed.
func (b *builder) missingNote(ind thidua.Indicator, p thidua.Period) []string {
	var missing []string
	for _, u := range b.ix.units {
		// A unit without a row did not exist in p (the transform's grid
		// holds only the units valid in a period).
		if r := b.ix.row(u.Code, ind.Code, p); r != nil && !r.Value.OK {
			missing = append(missing, b.unitName(u))
		}
	}
	if len(missing) == 0 {
		return nil
	}
	notes := []string{b.ms.T("missing_units", "units", strings.Join(missing, ", "))}
	// The mean is over the units the transform counted in the cluster
	// figure, of the units that existed in p.
	if cr := b.ix.cluster[clKey{ind.Code, p}]; cr != nil {
		notes = append(notes, b.ms.T("mean_note", "n", fmt.Sprint(cr.UnitsReported), "m", fmt.Sprint(cr.UnitsExpected)))
	}
	return notes
}

// overview builds the overview article: per period, the league (table and
// chart), the heatmap of % of target (table and chart), the year-end
// proposal when there is one, the units per status (a large cluster), the
// key figures and a sentence per unit.
func (b *builder) overview() *pageGen {
	ms := b.ms
	a := &article{ID: "page-index", File: "index.html", Kind: "overview", Title: ms.T("overview"), Search: b.large}
	score := newChart("c-overview-score", "bar", ms.T("league"), 1, 360)
	heat := newChart("c-overview-heat", "heatmap", ms.T("heatmap"), 1, 420)
	a.Charts = []*chartSpec{score, heat}
	var sdist *chartSpec
	if b.large {
		sdist = newChart("c-overview-status", "bar", ms.T("status_dist_title"), 0, 360)
		// The unit searched for: its total beside the best and worst.
		score.Sel = &selSpec{Kind: "bars", Table: "t-league-", Cols: map[string]int{ms.T("total"): 4}}
		heat.Sel = &selSpec{Kind: "heat", Table: "t-heat-", Bands: map[string]int{}}
		for st, band := range statusBand {
			heat.Sel.Bands[statusClass(st)] = band
		}
		a.Charts = append(a.Charts, sdist)
		a.Extra = []*chartSpec{sdist}
	}
	var targetInds []thidua.Indicator
	for _, ind := range b.ix.inds {
		if ind.HasTarget {
			targetInds = append(targetInds, ind)
		}
	}
	a.Notes = []string{ms.T("heatmap_note"), ms.T("partial_note")}
	// Each period's view is built from that period's rows (ix).
	outer := b
	arena := &cellArena{}
	return &pageGen{a: a, cells: arena, period: func(ix *index, p thidua.Period) (periodView, error) {
		b := outer.withIndex(ix)
		pv := b.pview(p)
		rows := b.scoreRows(p)
		lt, err := b.league(&pv, p, score, rows)
		if err != nil {
			return periodView{}, err
		}
		ht, statusN, err := b.heatmap(&pv, p, heat, targetInds, rows, arena)
		if err != nil {
			return periodView{}, err
		}
		pv.Tables = []table{lt, ht}
		if props := ix.r.Proposals[p]; len(props) > 0 {
			pt, note := b.proposalTable(p, props)
			pv.Tables = append(pv.Tables, pt)
			pv.Notes = append(pv.Notes, note)
		}
		if b.large && len(targetInds) > 0 {
			if err := b.statusChart(sdist, p, pv.Label, targetInds, statusN); err != nil {
				return periodView{}, err
			}
		}
		pv.Figures = b.figures(p)
		b.sentences(&pv, p)
		return pv, nil
	}}
}

// scoreRows are the score rows of p in rank order, the unranked last.
func (b *builder) scoreRows(p thidua.Period) []thidua.ScoreRow {
	rows := append([]thidua.ScoreRow(nil), b.ix.scores[p]...)
	sort.SliceStable(rows, func(i, j int) bool {
		ri, rj := rows[i].Rank, rows[j].Rank
		if ri == 0 {
			ri = math.MaxInt
		}
		if rj == 0 {
			rj = math.MaxInt
		}
		if ri != rj {
			return ri < rj
		}
		return rows[i].Unit < rows[j].Unit
	})
	return rows
}

// unitKey is a unit's search key: its name as shown, folded like every
// name the project compares (thidua.Fold).
func (b *builder) unitKey(u thidua.Unit) string { return thidua.Fold(b.unitName(u)) }

// league is the league table of p (every unit; a unit without a score row
// listed as not reported, never as zero) and its chart (a large cluster's:
// the best and worst ranked).
func (b *builder) league(pv *periodView, p thidua.Period, score *chartSpec, rows []thidua.ScoreRow) (table, error) {
	ms, ix := b.ms, b.ix
	lt := table{ID: "t-league-" + pv.Key, CSV: "league-" + pv.Key + ".csv", Caption: ms.T("league") + " — " + pv.Label,
		Head: []th{{ms.T("rank"), true}, {ms.T("unit"), false}, {ms.T("points"), true}, {ms.T("bonus"), true},
			{ms.T("total"), true}, {ms.T("rank_change"), true}}, Fmt: "ru111c", Of: []int{len(rows)}}
	var names, keys, pages []string
	var totals []opts.BarData
	for _, s := range rows {
		u, ok := ix.r.Cluster.Unit(s.Unit)
		name := s.UnitName
		if ok {
			name = b.unitName(u)
		}
		change := cell{Text: "—", Class: "na"}
		if s.RankChange.OK {
			text, class := rankChange(int(s.RankChange.V))
			change = cell{Text: text, Class: class, V: exact(s.RankChange)}
		}
		nameCell := cell{Text: name}
		if ok {
			nameCell.Href = "unit-" + u.Code + ".html"
		}
		lt.Rows = append(lt.Rows, []cell{rankCell(s.Rank, len(rows)), nameCell,
			ix.numCell(ms, s.Points, 1), ix.numCell(ms, s.Bonus, 1), ix.numCell(ms, s.Total, 1), change})
		names = append(names, defuse(name))
		keys, pages = append(keys, thidua.Fold(name)), append(pages, "unit-"+s.Unit+".html")
		totals = append(totals, opts.BarData{Value: val(s.Total)})
	}
	// Units without a score row are listed as such, never as zero.
	if len(rows) > 0 {
		scored := map[string]bool{}
		for _, s := range rows {
			scored[s.Unit] = true
		}
		for _, u := range ix.units {
			if !scored[u.Code] {
				lt.Rows = append(lt.Rows, []cell{{Text: "—", Class: "na"}, {Text: b.unitName(u), Href: "unit-" + u.Code + ".html"},
					{Text: ms.T("not_reported"), Class: "na"}, {Text: "—", Class: "na"}, {Text: "—", Class: "na"}, {Text: "—", Class: "na"}})
				keys, pages = append(keys, b.unitKey(u)), append(pages, "unit-"+u.Code+".html")
			}
		}
	}
	if b.large {
		ms.paged(&lt, keys, pages)
	}
	if len(rows) == 0 {
		pv.Notes = append(pv.Notes, ms.T("no_scores"))
		return lt, nil
	}
	bar := charts.NewBar()
	bar.SetGlobalOptions(common(ms, score, ms.T("league")+" — "+pv.Label)...)
	bar.SetGlobalOptions(charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "axis"}),
		charts.WithYAxisOpts(opts.YAxis{Type: "category", Inverse: opts.Bool(true)}),
		charts.WithXAxisOpts(opts.XAxis{Type: "value"}))
	if b.large {
		// rows are in rank order, the unranked last.
		idx := topBottom(len(rows), func(i int) int { return rows[i].Rank })
		names, totals = pick(names, idx), pick(totals, idx)
		pv.Notes = append(pv.Notes, ms.T("top_bottom_note", "k", fmt.Sprint(TopUnits), "n", fmt.Sprint(len(ix.units))))
	}
	bar.SetXAxis(names).AddSeries(ms.T("total"), totals,
		charts.WithLabelOpts(opts.Label{Show: opts.Bool(true), Position: "right"}))
	bar.XYReversal()
	return lt, score.add(p, bar)
}

// heatmap is the table of % of target of p by unit and indicator with
// target, and its chart coloured by the transform's status (a large
// cluster's: the best and worst scored units); statusN counts the units
// per status of each indicator.
func (b *builder) heatmap(pv *periodView, p thidua.Period, heat *chartSpec, targetInds []thidua.Indicator,
	rows []thidua.ScoreRow, arena *cellArena) (table, []map[thidua.Status]int, error) {
	ms, ix := b.ms, b.ix
	ht := table{ID: "t-heat-" + pv.Key, CSV: "pct-of-target-" + pv.Key + ".csv", Caption: ms.T("heatmap") + " — " + pv.Label,
		Head: []th{{ms.T("unit"), false}}, Fmt: "u"}
	var xs []string
	for _, ind := range targetInds {
		ht.Fmt += "p"
		ht.Head = append(ht.Head, th{b.indName(ind), true})
		xs = append(xs, defuse(b.indName(ind)))
	}
	var hd, hmiss []opts.HeatMapData
	ypos, heatNames := b.heatUnits(rows)
	statusN := make([]map[thidua.Status]int, len(targetInds))
	for x := range statusN {
		statusN[x] = map[thidua.Status]int{}
	}
	ht.Rows = make([][]cell, 0, len(ix.units))
	pi, okp := ix.pidx[p]
	iis := make([]int, len(targetInds)) // (as ix.row looks them up; -1: none)
	for x, ind := range targetInds {
		iis[x] = -1
		if ii, ok := ix.iidx[ind.Code]; ok {
			iis[x] = ii
		}
	}
	nc := 1 + len(targetInds)
	cells := arena.take(len(ix.units) * nc) // (the rows' cells, at once)
	for ui, u := range ix.units {
		y := ypos[ui]
		r := cells[ui*nc : ui*nc : (ui+1)*nc]
		r = append(r, b.unitCell(ui))
		uj, oku := ix.uidx[u.Code] // (as ix.row looks it up)
		for x, ind := range targetInds {
			var row *thidua.PopRow
			if ii := iis[x]; ii >= 0 && okp && oku {
				row = ix.at(uj, ii, pi)
			} else {
				row = ix.row(u.Code, ind.Code, p)
			}
			st := thidua.NotReported
			if row != nil {
				st = row.Status
			}
			statusN[x][st]++
			c, point, missing := b.heatCell(row, st, x, y)
			r = append(r, c)
			if point != nil {
				hd = append(hd, *point)
			}
			if missing != nil {
				hmiss = append(hmiss, *missing)
			}
		}
		ht.Rows = append(ht.Rows, r)
	}
	if b.large {
		ms.paged(&ht, b.ut.keys, b.ut.pages)
	}
	if len(hd) == 0 {
		return ht, statusN, nil
	}
	return ht, statusN, b.heatChart(p, pv, heat, xs, heatNames, hd, hmiss)
}

// heatUnits places the units on the heatmap's rows: ypos[ui] is unit ui's
// row, -1 for a unit the chart leaves out, and names are the rows' labels.
// A large cluster's heatmap shows the best and worst scored units (the
// first ones without scores); the table has every unit.
func (b *builder) heatUnits(rows []thidua.ScoreRow) (ypos []int, names []string) {
	ix := b.ix
	ypos = make([]int, len(ix.units))
	names = b.unitNames()
	if !b.large {
		for i := range ypos {
			ypos[i] = i
		}
		return ypos, names
	}
	for i := range ypos {
		ypos[i] = -1
	}
	sel := topBottom(len(rows), func(i int) int { return rows[i].Rank })
	var units []int
	for _, i := range sel {
		if ui, ok := ix.uidx[rows[i].Unit]; ok {
			units = append(units, ui)
		}
	}
	if len(units) == 0 {
		for ui := 0; ui < min(len(ix.units), 2*TopUnits); ui++ {
			units = append(units, ui)
		}
	}
	names = names[:0:0]
	for y, ui := range units {
		ypos[ui] = y
		names = append(names, defuse(b.unitName(ix.units[ui])))
	}
	return ypos, names
}

// heatCell is the table cell of a unit's % of target of one indicator, and
// its point on the heatmap's row y (none when y < 0): coloured by the
// status's band, or among the missing cells (not reported, incomplete).
func (b *builder) heatCell(row *thidua.PopRow, st thidua.Status, x, y int) (c cell, point, missing *opts.HeatMapData) {
	ms := b.ms
	if row == nil || !row.PctOfTarget.OK {
		c = cell{Text: ms.T("not_reported"), Class: "na"}
		switch st {
		case thidua.NotReported:
			if y >= 0 {
				missing = &opts.HeatMapData{Name: ms.T("not_reported"), Value: [3]any{x, y, 0}}
			}
		case thidua.Incomplete:
			c.Text = ms.T("status_incomplete")
			if y >= 0 {
				missing = &opts.HeatMapData{Name: ms.T("status_incomplete"), Value: [3]any{x, y, 0}}
			}
		default:
			c.Text = "—"
		}
		return c, nil, missing
	}
	c = pctCell(ms, row.PctOfTarget, false)
	c.Class = statusClass(st)
	if !row.Complete {
		c.Text += " *"
		c.Class = strings.TrimSpace(c.Class + " partial")
		c.lit = 0 // (the text is no longer the number's)
	}
	// [x, y, status band (coloured), % of target (the label,
	// formatted by site.js)]
	if band, ok := statusBand[st]; !ok || y < 0 {
		if st == thidua.Incomplete && y >= 0 {
			missing = &opts.HeatMapData{Name: ms.T("status_incomplete"), Value: [3]any{x, y, 0}}
		}
	} else {
		point = &opts.HeatMapData{Value: [4]any{x, y, band, math.Round(row.PctOfTarget.V*10) / 10}}
	}
	return c, point, missing
}

// heatOption is the heatmap's option built by go-echarts (heatChart).
func (b *builder) heatOption(pv *periodView, heat *chartSpec, xs, names []string, hd, hmiss []opts.HeatMapData) echart {
	ms := b.ms
	hm := charts.NewHeatMap()
	hm.SetGlobalOptions(common(ms, heat, ms.T("heatmap")+" — "+pv.Label)...)
	hm.SetGlobalOptions(
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "item"}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(false)}),
		charts.WithGridOpts(opts.Grid{Left: "8", Right: "16", Top: "64", Bottom: "8", ContainLabel: opts.Bool(true)}),
		charts.WithXAxisOpts(opts.XAxis{Type: "category", Data: xs, AxisLabel: &opts.AxisLabel{Interval: "0", Rotate: 30, Width: 110, Overflow: "truncate"}}),
		charts.WithYAxisOpts(opts.YAxis{Type: "category", Data: names, Inverse: opts.Bool(true)}))
	hm.SetXAxis(xs).AddSeries(ms.T("achievement"), hd,
		charts.WithLabelOpts(opts.Label{Show: opts.Bool(true), Formatter: "{b}", FontSize: 10}))
	if len(hmiss) > 0 {
		hm.AddSeries(ms.T("not_reported"), hmiss, missingCells(ms)...)
	}
	return hm
}

// heatChart draws the heatmap of p: indicators across, units down, the
// coloured points and the missing cells; by hand (heatSeries) once the
// chart has a first option from go-echarts (addFast).
func (b *builder) heatChart(p thidua.Period, pv *periodView, heat *chartSpec, xs, names []string, hd, hmiss []opts.HeatMapData) error {
	ms := b.ms
	slow := func() echart {
		return tweaked{b.heatOption(pv, heat, xs, names, hd, hmiss), []func(map[string]any){statusVisualMap(ms)}}
	}
	series := []func(w *jsonw) bool{heatSeries(ms.T("achievement"), hd, `,"label":{"show":true,"fontSize":10,"formatter":"{b}"}`)}
	if len(hmiss) > 0 {
		series = append(series, heatSeries(ms.T("not_reported"), hmiss,
			`,"itemStyle":{"color":"#e6e9ed"},"label":{"show":true,"color":"#5b6673","fontSize":10,"formatter":"{b}"}`))
	}
	yAxis := fastKey{key: "yAxis", write: func(w *jsonw) bool {
		if len(names) == 0 {
			return false
		}
		w.WriteString(`[{"type":"category","inverse":true,"data":`)
		w.strs(names)
		w.WriteString(`}]`)
		return true
	}}
	return heat.addFast(p, []fastKey{fastTitle(ms.T("heatmap") + " — " + pv.Label), yAxis, fastSeries(series...)}, slow)
}

// tweaked is a chart whose option tweaks edit (chartSpec.add's tweaks,
// for a chart built by addFast).
type tweaked struct {
	echart
	tweaks []func(map[string]any)
}

func (t tweaked) JSON() map[string]any {
	m := t.echart.JSON()
	for _, tw := range t.tweaks {
		tw(m)
	}
	return m
}

// heatSeries writes a heatmap series of points [x, y, band, % of target]
// (bare) or {"name", "value": [x, y, 0]} (missing cells), then extra (its
// JSON members, each preceded by a comma).
func heatSeries(name string, data []opts.HeatMapData, extra string) func(w *jsonw) bool {
	return func(w *jsonw) bool {
		if name == "" || len(data) == 0 {
			return false
		}
		w.WriteString(`{"name":`)
		w.str(name)
		w.WriteString(`,"type":"heatmap","data":[`)
		for i, d := range data {
			if i > 0 {
				w.WriteByte(',')
			}
			var vs []any
			switch v := d.Value.(type) {
			case [4]any:
				vs = v[:]
			case [3]any:
				vs = v[:]
			default:
				return false
			}
			if d.Name != "" {
				w.WriteString(`{"name":`)
				w.str(d.Name)
				w.WriteString(`,"value":`)
			}
			w.WriteByte('[')
			for j, x := range vs {
				if j > 0 {
					w.WriteByte(',')
				}
				if !w.evalue(x) {
					return false
				}
			}
			w.WriteByte(']')
			if d.Name != "" {
				w.WriteByte('}')
			}
		}
		w.WriteByte(']')
		w.WriteString(extra)
		w.WriteByte('}')
		return true
	}
}

// statusChart shows how many units stand where, per indicator with target
// (a large cluster's overview), from the transform's statuses.
func (b *builder) statusChart(sdist *chartSpec, p thidua.Period, label string, targetInds []thidua.Indicator, statusN []map[thidua.Status]int) error {
	ms := b.ms
	var xs []string
	for _, ind := range targetInds {
		xs = append(xs, defuse(b.indName(ind)))
	}
	sb := charts.NewBar()
	sb.SetGlobalOptions(common(ms, sdist, ms.T("status_dist_title")+" — "+label)...)
	sb.SetGlobalOptions(charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "axis"}),
		charts.WithXAxisOpts(opts.XAxis{AxisLabel: &opts.AxisLabel{Interval: "0", Rotate: 30, Width: 110, Overflow: "truncate"}}))
	sb.SetXAxis(xs)
	for _, sc := range []struct {
		st     thidua.Status
		label  string
		colour string
	}{{thidua.OnTarget, ms.T("status_on_target"), "#1a9850"}, {thidua.Close, ms.T("status_close"), "#fee08b"},
		{thidua.Behind, ms.T("status_behind"), "#d73027"}, {thidua.Incomplete, ms.T("status_incomplete"), "#b8c2cc"},
		{thidua.NotReported, ms.T("not_reported"), "#e6e9ed"}} {
		var d []opts.BarData
		for x := range targetInds {
			d = append(d, opts.BarData{Value: statusN[x][sc.st]})
		}
		sb.AddSeries(sc.label, d, charts.WithBarChartOpts(opts.BarChart{Stack: "status"}),
			charts.WithItemStyleOpts(opts.ItemStyle{Color: sc.colour}))
	}
	return sdist.add(p, sb)
}

// figures are the cluster's key figures of p, one per shown indicator.
func (b *builder) figures(p thidua.Period) []figure {
	ms, ix := b.ms, b.ix
	var out []figure
	for _, ind := range ix.inds {
		cr := ix.cluster[clKey{ind.Code, p}]
		f := figure{Label: b.indName(ind), Measure: b.measure(ind), Value: "—", Class: "na"}
		if cr != nil && !cr.Value.OK && cr.ValuePartial.OK {
			// units missing: the partial figure, marked, never the total
			f.Value, _ = ms.clusterValue(cr, ind.Decimals)
			f.Class = "partial"
			f.Note = ms.T("cluster_partial_note")
		}
		if cr != nil && cr.Value.OK {
			f.Value, f.Class = ms.Num(cr.Value.V, ind.Decimals), ""
			if cr.PctChangeYoY.OK {
				f.Change = b.yoyChange(ind, cr) + " " + ms.T("vs_last_year")
				// Coloured by the transform's judgement of the change
				// by the indicator's direction.
				switch cr.YoYTrend {
				case thidua.Better:
					f.Class = "better"
				case thidua.Worse:
					f.Class = "worse"
				}
			}
		}
		out = append(out, f)
	}
	return out
}

// sentences adds a sentence per unit to pv: a list, or in a large cluster
// a table of one column, searched and paged.
func (b *builder) sentences(pv *periodView, p thidua.Period) {
	ms, ix := b.ms, b.ix
	ranked := b.rankedByTarget(p)
	pv.Lines = make([]string, 0, len(ix.units))
	for _, u := range ix.units {
		pv.Lines = append(pv.Lines, b.sentence(u, p, ranked))
	}
	if !b.large {
		return
	}
	t := &table{ID: "t-lines-" + pv.Key, CSV: "highlights-" + pv.Key + ".csv", Caption: ms.T("highlights") + " — " + pv.Label,
		Head: []th{{ms.T("unit"), false}, {ms.T("highlights"), false}}, Fmt: "u-"}
	t.Rows = make([][]cell, len(pv.Lines))
	for i, l := range pv.Lines {
		t.Rows[i] = []cell{b.unitCell(i), textCell(l)}
	}
	ms.paged(t, b.ut.keys, b.ut.pages)
	pv.Lines, pv.LinesTable = nil, t
}

// rankedByTarget is, for each of ix.inds, how many units have a rank by %
// of target in p (the n of a sentence's "k of n"), counted once for every
// unit's sentence of the period.
func (b *builder) rankedByTarget(p thidua.Period) []int {
	n := make([]int, len(b.ix.inds))
	for _, v := range b.ix.units {
		rows := b.ix.unitRows(v.Code, p)
		for ii := range b.ix.inds {
			if r := rows(ii); r != nil && r.RankTarget > 0 {
				n[ii]++
			}
		}
	}
	return n
}

// sentence says in words what changed most for the unit in p: the indicator
// with the largest change on the same period last year, with its % of
// target and rank (ranked: rankedByTarget(p)).
func (b *builder) sentence(u thidua.Unit, p thidua.Period, ranked []int) string {
	ms := b.ms
	best, bestInd := b.largestChange(u, p)
	reach, reachInd := b.bestReach(u, p, best, bestInd)
	same := reach != nil && best != nil && reachInd.Code == bestInd.Code
	reachText := ""
	if reach != nil {
		reachText = b.reachClause(reach, reachInd, ranked[b.ix.iidx[reachInd.Code]], same)
	}
	name := b.unitName(u)
	switch {
	case best != nil:
		change := ms.T("flat")
		abs := thidua.Some(math.Abs(best.PctChangeYoY.V))
		if best.PctChangeYoY.V > 0 {
			change = ms.T("up", "pct", ms.Pct(abs))
		} else if best.PctChangeYoY.V < 0 {
			change = ms.T("down", "pct", ms.Pct(abs))
		}
		s := ms.T("sentence", "unit", name, "indicator", lowerFirst(b.indName(bestInd)), "change", change)
		switch {
		case reachText == "":
			return s + "."
		case same:
			return s + ", " + reachText
		}
		return s + "; " + reachText
	case reach != nil:
		return ms.T("sentence_only_reach", "unit", name, "reach", reachText)
	}
	return ms.T("sentence_none", "unit", name)
}

// largestChange is the unit's indicator with the largest change on the
// same period last year, nil when none has one.
func (b *builder) largestChange(u thidua.Unit, p thidua.Period) (*thidua.PopRow, thidua.Indicator) {
	var best *thidua.PopRow
	var bestInd thidua.Indicator
	rows := b.ix.unitRows(u.Code, p)
	for ii, ind := range b.ix.inds {
		row := rows(ii)
		if row == nil || !row.Value.OK || !row.PctChangeYoY.OK {
			continue
		}
		if best == nil || math.Abs(row.PctChangeYoY.V) > math.Abs(best.PctChangeYoY.V) {
			best, bestInd = row, ind
		}
	}
	return best, bestInd
}

// bestReach is the indicator of the reach clause: the one of the largest
// change when it has a rank by % of target, else the best-ranked by % of
// target; nil when none is ranked.
func (b *builder) bestReach(u thidua.Unit, p thidua.Period, best *thidua.PopRow, bestInd thidua.Indicator) (*thidua.PopRow, thidua.Indicator) {
	var reach *thidua.PopRow
	var reachInd thidua.Indicator
	rows := b.ix.unitRows(u.Code, p)
	for ii, ind := range b.ix.inds {
		row := rows(ii)
		if row == nil || !row.PctOfTarget.OK || row.RankTarget <= 0 {
			continue
		}
		if best != nil && ind.Code == bestInd.Code {
			return row, ind
		}
		if reach == nil || row.RankTarget < reach.RankTarget {
			reach, reachInd = row, ind
		}
	}
	return reach, reachInd
}

// reachClause says the reach indicator's % of target and its rank among
// the n units ranked (first, last, or k of n); same: it is the indicator
// of the largest change, named already.
func (b *builder) reachClause(reach *thidua.PopRow, reachInd thidua.Indicator, n int, same bool) string {
	ms := b.ms
	rank := ms.T("rank_nth", "rank", fmt.Sprint(reach.RankTarget), "n", fmt.Sprint(n))
	if reach.RankTarget == 1 {
		rank = ms.T("rank_first")
	} else if reach.RankTarget == n {
		rank = ms.T("rank_last")
	}
	if same {
		return ms.T("sentence_reach_same", "pct", ms.Pct(reach.PctOfTarget), "rank", rank) + "."
	}
	return ms.T("sentence_reach", "indicator", lowerFirst(b.indName(reachInd)), "pct", ms.Pct(reach.PctOfTarget), "rank", rank) + "."
}

func lowerFirst(s string) string {
	for i, r := range s {
		if i == 0 {
			l := strings.ToLower(string(r))
			return l + s[len(string(r)):]
		}
	}
	return s
}

// indicatorPage builds the article of one indicator.
func (b *builder) indicatorPage(ind thidua.Indicator) *pageGen {
	ms, ix := b.ms, b.ix
	g := &indicatorGen{b: b, ind: ind, name: b.indName(ind), ii: ix.iidx[ind.Code], cells: &cellArena{}}
	a := &article{ID: "page-indicator-" + ind.Code, File: "indicator-" + ind.Code + ".html", Kind: "indicator",
		Title: g.name, Intro: b.measure(ind), Search: b.large}
	pre := "c-indicator-" + ind.Code
	g.bars = newChart(pre+"-bars", "bar", ms.T("bars_title"), ind.Decimals, 380)
	g.trend = newChart(pre+"-trend", "line", ms.T("trend_title"), ind.Decimals, 360)
	g.change = newChart(pre+"-change", "bar", ms.T("change_title"), 1, 320)
	a.Charts = []*chartSpec{g.bars, g.trend, g.change}
	if b.large {
		g.dist = newChart(pre+"-dist", "bar", ms.T("dist_title"), 0, 300)
		g.selectUnit()
		a.Charts = append(a.Charts, g.dist)
		a.Extra = []*chartSpec{g.dist}
	}
	a.Notes = []string{ms.T("partial_note")}
	// The trend of a period type is the same option for each of its
	// periods: built once, carried by the page.
	for _, pt := range thidua.PeriodTypes {
		if ps := ix.byType[pt]; len(ps) > 0 && g.trendErr == nil {
			g.trendErr = b.trendChart(g.trend, ind, g.name, ps[0])
		}
	}
	return &pageGen{a: a, period: g.period, cells: g.cells}
}

// indicatorGen builds the periods of one indicator's page.
type indicatorGen struct {
	b                         *builder
	ind                       thidua.Indicator
	name                      string
	ii                        int // the indicator's index in ix
	bars, trend, change, dist *chartSpec
	trendErr                  error
	cells                     *cellArena // (the tables')
}

// indicatorBars is one period's data of the bars and change charts, a bar
// for each unit (for a large cluster, only the best and worst ranked).
type indicatorBars struct {
	labels        []string
	vals, ytds    []opts.BarData
	tgt           []opts.ScatterData
	chPrev, chYoY []opts.BarData
}

// selectUnit lets a large cluster's charts show the unit searched for, from
// its row of the indicator's table (columns: unit, value, previous,
// change, last year, change, YTD, target…).
func (g *indicatorGen) selectUnit() {
	ms, ind := g.b.ms, g.ind
	tid := "t-" + ind.Code + "-"
	g.bars.Sel = &selSpec{Kind: "bars", Table: tid, Cols: map[string]int{ms.T("value"): 1, ms.T("ytd"): 6}}
	if ind.HasTarget {
		g.bars.Sel.Cols[ms.T("target")] = 7
	}
	g.change.Sel = &selSpec{Kind: "bars", Table: tid, Cols: map[string]int{ms.T("change_prev"): 3, ms.T("change_yoy"): 5}}
	g.dist.Sel = &selSpec{Kind: "hist", Table: tid}
	g.trend.Sel = &selSpec{Kind: "trend", Table: tid, Cols: map[string]int{"value": 1}}
}

// period builds the indicator's table and charts of one period.
func (g *indicatorGen) period(px *index, p thidua.Period) (periodView, error) {
	// (the period's rows: the page's, or its group of periods')
	pg := *g
	pg.b = g.b.withIndex(px)
	g = &pg
	b, ms, ix := g.b, g.b.ms, g.b.ix
	pi := ix.pidx[p]
	pv := b.pview(p)
	cr := ix.cluster[clKey{g.ind.Code, p}]
	t, any := g.table(pi, pv, cr)
	pv.Tables = []table{t}
	pv.Notes = b.missingNote(g.ind, p)
	if !any {
		pv.Notes = append([]string{ms.T("no_data")}, pv.Notes...)
		return pv, nil
	}
	d := g.barData(pi)
	if b.large {
		var err error
		if d, err = g.largeBars(&pv, p, pi, d); err != nil {
			return periodView{}, err
		}
	}
	if err := g.barsChart(p, pv, cr, d); err != nil {
		return periodView{}, err
	}
	// Trend by unit over the periods of the same type: the same
	// option for every period of the type, built once.
	if g.trendErr != nil {
		return periodView{}, g.trendErr
	}
	if err := g.changeChart(p, pv, d); err != nil {
		return periodView{}, err
	}
	return pv, nil
}

// table is the indicator's table of one period: a row per unit, the
// cluster's figures and mean at the foot; any says whether a unit has a
// value.
func (g *indicatorGen) table(pi int, pv periodView, cr *thidua.PopRow) (t table, any bool) {
	b, ms, ix, ind := g.b, g.b.ms, g.b.ix, g.ind
	t = table{ID: "t-" + ind.Code + "-" + pv.Key, CSV: ind.Code + "-" + pv.Key + ".csv", Caption: g.name + " — " + pv.Label,
		Head: indicatorHead(ms, ind)}
	t.Fmt, t.Dec, t.FootDec = "unnsnsn", []int{ind.Decimals}, ind.Decimals
	if ind.HasTarget {
		t.Fmt += "np"
	}
	n := ix.nReported(g.ii, pi)
	t.Fmt += "rp"
	t.Of = []int{n}
	t.Rows = make([][]cell, 0, len(ix.units))
	nc := len(t.Fmt)
	cells := g.cells.take(len(ix.units) * nc) // (the rows' cells, at once)
	for ui := range ix.units {
		row := ix.at(ui, g.ii, pi)
		r := cells[ui*nc : ui*nc : (ui+1)*nc]
		r = append(r, b.unitCell(ui), ix.valueCell(ms, row, ind.Decimals))
		if row == nil {
			row = &thidua.PopRow{}
		} else if row.Value.OK {
			any = true
		}
		r = append(r, ix.numCell(ms, row.PrevValue, ind.Decimals), pctCell(ms, row.PctChangePrev, true),
			ix.numCell(ms, row.YoYValue, ind.Decimals), pctCell(ms, row.PctChangeYoY, true), ix.numCell(ms, row.YTDValue, ind.Decimals))
		if ind.HasTarget {
			r = append(r, ix.numCell(ms, row.Target, ind.Decimals), statusPctCell(ms, row))
		}
		r = append(r, rankCell(row.RankValue, n), pctCell(ms, row.Share, false))
		t.Rows = append(t.Rows, r)
	}
	if cr != nil {
		t.Foot = g.clusterFoot(cr)
	}
	if b.large {
		ms.paged(&t, b.ut.keys, b.ut.pages)
	}
	return t, any
}

// indicatorHead is the head of an indicator's table (site.js's view of a
// period from the rows files takes it from the page).
func indicatorHead(ms *messages, ind thidua.Indicator) []th {
	h := []th{{ms.T("unit"), false}, {ms.T("value"), true}, {ms.T("prev_value"), true}, {ms.T("change_prev"), true},
		{ms.T("yoy_value"), true}, {ms.T("change_yoy"), true}, {ms.T("ytd"), true}}
	if ind.HasTarget {
		h = append(h, th{ms.T("target"), true}, th{ms.T("pct_of_target"), true})
	}
	return append(h, th{ms.T("rank_value"), true}, th{ms.T("share"), true})
}

// clusterFoot is the foot of the indicator's table: the cluster's figures,
// then the cluster mean.
func (g *indicatorGen) clusterFoot(cr *thidua.PopRow) [][]cell {
	ms, ix, ind := g.b.ms, g.b.ix, g.ind
	n := 9
	if ind.HasTarget {
		n = 11
	}
	cells := g.cells.take(2 * n) // (both rows' cells, at once)
	fr := append(cells[:0:n], cell{Text: ms.T("cluster")}, ix.valueCell(ms, cr, ind.Decimals), ix.numCell(ms, cr.PrevValue, ind.Decimals),
		pctCell(ms, cr.PctChangePrev, true), ix.numCell(ms, cr.YoYValue, ind.Decimals), pctCell(ms, cr.PctChangeYoY, true),
		ix.numCell(ms, cr.YTDValue, ind.Decimals))
	if ind.HasTarget {
		fr = append(fr, ix.numCell(ms, cr.Target, ind.Decimals), statusPctCell(ms, cr))
	}
	fr = append(fr, textCell(""), textCell(""))
	mean := append(cells[n:n], cell{Text: ms.T("cluster_mean")}, ix.numCell(ms, cr.ClusterMean, ind.Decimals))
	for len(mean) < len(fr) {
		mean = append(mean, textCell(""))
	}
	return [][]cell{fr, mean}
}

// barData is a bar for each unit: value (faded when only part of the
// period's months reported), YTD, target, changes.
func (g *indicatorGen) barData(pi int) indicatorBars {
	b, ms, ix, ind := g.b, g.b.ms, g.b.ix, g.ind
	n := len(ix.units)
	d := indicatorBars{labels: make([]string, 0, n), vals: make([]opts.BarData, 0, n), ytds: make([]opts.BarData, 0, n),
		tgt: make([]opts.ScatterData, 0, n), chPrev: make([]opts.BarData, 0, n), chYoY: make([]opts.BarData, 0, n)}
	for ui := range ix.units {
		row := ix.at(ui, g.ii, pi)
		if row == nil {
			row = &thidua.PopRow{}
		}
		label := b.ut.labels[ui]
		bd := opts.BarData{Value: val(roundDec(row.Value, ind.Decimals))}
		if !row.Value.OK {
			label += "\n(" + ms.T("not_reported") + ")"
		} else if !row.Complete {
			label += " *"
			bd.ItemStyle = &opts.ItemStyle{Opacity: opts.Float(0.45)}
		}
		d.labels = append(d.labels, label)
		d.vals = append(d.vals, bd)
		d.ytds = append(d.ytds, opts.BarData{Value: val(roundDec(row.YTDValue, ind.Decimals))})
		d.tgt = append(d.tgt, opts.ScatterData{Value: val(roundDec(row.Target, ind.Decimals)), Symbol: "diamond", SymbolSize: 12})
		d.chPrev = append(d.chPrev, opts.BarData{Value: val(round1(row.PctChangePrev))})
		d.chYoY = append(d.chYoY, opts.BarData{Value: val(round1(row.PctChangeYoY))})
	}
	return d
}

// largeBars keeps a large cluster's bars of the best and worst ranked
// units, says so, and draws the distribution of every unit's value, noting
// each unit's bin in the table for the unit searched for.
func (g *indicatorGen) largeBars(pv *periodView, p thidua.Period, pi int, d indicatorBars) (indicatorBars, error) {
	b, ms, ix := g.b, g.b.ms, g.b.ix
	idx := topBottom(len(ix.units), func(ui int) int {
		if r := ix.at(ui, g.ii, pi); r != nil {
			return r.RankValue
		}
		return 0
	})
	d.labels, d.vals, d.ytds, d.tgt = pick(d.labels, idx), pick(d.vals, idx), pick(d.ytds, idx), pick(d.tgt, idx)
	d.chPrev, d.chYoY = pick(d.chPrev, idx), pick(d.chYoY, idx)
	pv.Notes = append(pv.Notes, ms.T("top_bottom_note", "k", fmt.Sprint(TopUnits), "n", fmt.Sprint(len(ix.units))))
	var vs []float64
	for ui := range ix.units {
		if r := ix.at(ui, g.ii, pi); r != nil && r.Value.OK {
			vs = append(vs, r.Value.V)
		}
	}
	bin, err := b.histogram(g.dist, p, ms.T("dist_title")+" — "+pv.Label, vs, g.ind.Decimals)
	if err != nil {
		return d, err
	}
	bins := make([]int, len(ix.units))
	for ui := range ix.units {
		bins[ui] = -1
		if r := ix.at(ui, g.ii, pi); r != nil && r.Value.OK {
			bins[ui] = bin(r.Value.V)
		}
	}
	pv.Tables[0].Bins = bins
	return d, nil
}

// unitBarsOpts are the options of an indicator page's charts with a bar
// per unit: an axis tooltip, room for the y labels, every unit's name
// slanted.
func unitBarsOpts() []charts.GlobalOpts {
	return []charts.GlobalOpts{charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "axis"}),
		charts.WithGridOpts(opts.Grid{Left: "40", Right: "16", Top: "60", Bottom: "8", ContainLabel: opts.Bool(true)}),
		charts.WithXAxisOpts(opts.XAxis{AxisLabel: &opts.AxisLabel{Interval: "0", Rotate: 30}})}
}

// barsChart draws the bars: value, YTD, annual target marks and the
// cluster mean line.
func (g *indicatorGen) barsChart(p thidua.Period, pv periodView, cr *thidua.PopRow, d indicatorBars) error {
	ms, ind := g.b.ms, g.ind
	title := g.name + " — " + pv.Label
	withYTD := ind.HasTarget && p.Type != thidua.Year
	slow := func() echart {
		bar := charts.NewBar()
		bar.SetGlobalOptions(common(ms, g.bars, title)...)
		bar.SetGlobalOptions(unitBarsOpts()...)
		var meanLine []charts.SeriesOpts
		if cr != nil && cr.ClusterMean.OK {
			meanLine = append(meanLine, charts.WithMarkLineNameYAxisItemOpts(opts.MarkLineNameYAxisItem{Name: ms.T("cluster_mean"), YAxis: roundDec(cr.ClusterMean, ind.Decimals).V}),
				charts.WithMarkLineStyleOpts(opts.MarkLineStyle{Symbol: []string{"none", "none"}, Label: &opts.Label{Show: opts.Bool(true), Formatter: ms.T("cluster_mean") + ": " + ms.Num(cr.ClusterMean.V, ind.Decimals), Position: "insideEndTop"}}))
		}
		bar.SetXAxis(d.labels).AddSeries(ms.T("value"), d.vals, meanLine...)
		if withYTD {
			bar.AddSeries(ms.T("ytd"), d.ytds)
		}
		if ind.HasTarget {
			sc := charts.NewScatter()
			sc.SetXAxis(d.labels).AddSeries(ms.T("target"), d.tgt)
			bar.Overlap(sc)
		}
		return bar
	}
	var markLine func(w *jsonw) bool
	if cr != nil && cr.ClusterMean.OK {
		markLine = func(w *jsonw) bool {
			w.WriteString(`{"data":[{"name":`)
			w.str(ms.T("cluster_mean"))
			w.WriteString(`,"yAxis":`)
			if !w.efloat(roundDec(cr.ClusterMean, ind.Decimals).V, 64) {
				return false
			}
			w.WriteString(`}],"symbol":["none","none"],"label":{"show":true,"position":"insideEndTop","formatter":`)
			w.str(ms.T("cluster_mean") + ": " + ms.Num(cr.ClusterMean.V, ind.Decimals))
			w.WriteString(`}}`)
			return true
		}
	}
	series := []func(w *jsonw) bool{func(w *jsonw) bool { return barSeries(w, ms.T("value"), d.vals, markLine) }}
	if withYTD {
		series = append(series, func(w *jsonw) bool { return barSeries(w, ms.T("ytd"), d.ytds, nil) })
	}
	if ind.HasTarget {
		series = append(series, func(w *jsonw) bool { return scatterSeries(w, ms.T("target"), d.tgt) })
	}
	return g.bars.addFast(p, []fastKey{fastTitle(title), fastCategories(d.labels), fastSeries(series...)}, slow)
}

// changeChart draws the change on the previous period and on last year.
func (g *indicatorGen) changeChart(p thidua.Period, pv periodView, d indicatorBars) error {
	ms := g.b.ms
	title := ms.T("change_title") + " — " + pv.Label
	slow := func() echart {
		cb := charts.NewBar()
		cb.SetGlobalOptions(common(ms, g.change, title)...)
		cb.SetGlobalOptions(unitBarsOpts()...)
		cb.SetXAxis(d.labels).AddSeries(ms.T("change_prev"), d.chPrev).AddSeries(ms.T("change_yoy"), d.chYoY)
		return cb
	}
	return g.change.addFast(p, []fastKey{fastTitle(title), fastCategories(d.labels), fastSeries(
		func(w *jsonw) bool { return barSeries(w, ms.T("change_prev"), d.chPrev, nil) },
		func(w *jsonw) bool { return barSeries(w, ms.T("change_yoy"), d.chYoY, nil) })}, slow)
}

// trendChart adds the trend of ind by unit over the periods of p's type;
// in a large cluster, the units' P10, median and P90 instead of a line per
// unit.
func (b *builder) trendChart(trend *chartSpec, ind thidua.Indicator, name string, p thidua.Period) error {
	ms, ix := b.ms, b.ix
	all := ix.byType[p.Type]
	var xs []string
	for _, q := range all {
		xs = append(xs, ms.ShortPeriod(q))
	}
	title := ms.T("trend_title") + " — " + name
	if b.large {
		title = ms.T("trend_large_title") + " — " + name
	}
	ii := ix.iidx[ind.Code]
	type lineS struct {
		name string
		data []opts.LineData
	}
	var ss []lineS // (the series, but the cluster mean's)
	if b.large {
		qs := [3][]opts.LineData{}
		for _, q := range all {
			var vs []float64
			for ui := range ix.units {
				if v := ix.value(ui, ii, ix.pidx[q]); v.OK {
					vs = append(vs, v.V)
				}
			}
			sort.Float64s(vs)
			for k, f := range []float64{0.1, 0.5, 0.9} {
				v := thidua.Num{}
				if len(vs) > 0 {
					v = roundDec(thidua.Some(quantile(vs, f)), ind.Decimals)
				}
				qs[k] = append(qs[k], opts.LineData{Value: val(v)})
			}
		}
		for k, key := range []string{"p10", "median", "p90"} {
			ss = append(ss, lineS{ms.T(key), qs[k]})
		}
	} else {
		for ui, u := range ix.units {
			ld := make([]opts.LineData, 0, len(all))
			for _, q := range all {
				ld = append(ld, opts.LineData{Value: val(roundDec(ix.value(ui, ii, ix.pidx[q]), ind.Decimals))})
			}
			ss = append(ss, lineS{defuse(b.unitName(u)), ld})
		}
	}
	var md []opts.LineData
	for _, q := range all {
		var v thidua.Num
		if r := ix.cluster[clKey{ind.Code, q}]; r != nil {
			v = roundDec(r.ClusterMean, ind.Decimals)
		}
		md = append(md, opts.LineData{Value: val(v)})
	}
	slow := func() echart {
		line := charts.NewLine()
		line.SetGlobalOptions(common(ms, trend, title)...)
		line.SetGlobalOptions(charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "axis"}),
			charts.WithGridOpts(opts.Grid{Left: "8", Right: "16", Top: "80", Bottom: "8", ContainLabel: opts.Bool(true)}))
		line.SetXAxis(xs)
		noGaps := charts.WithLineChartOpts(opts.LineChart{ConnectNulls: opts.Bool(false)})
		for _, s := range ss {
			line.AddSeries(s.name, s.data, noGaps)
		}
		line.AddSeries(ms.T("cluster_mean"), md, charts.WithLineStyleOpts(opts.LineStyle{Type: "dashed", Width: 2, Color: "#333"}),
			charts.WithItemStyleOpts(opts.ItemStyle{Color: "#333"}))
		return line
	}
	// (by hand once the first type's option is built: the title and the
	// keys but series and categories are the same for every type)
	parts := make([]func(w *jsonw) bool, 0, len(ss)+1)
	for _, s := range ss {
		parts = append(parts, lineSeries(s.name, s.data, `,"connectNulls":false`, ""))
	}
	parts = append(parts, lineSeries(ms.T("cluster_mean"), md, "", `,"itemStyle":{"color":"#333"},"lineStyle":{"color":"#333","width":2,"type":"dashed"}`))
	return trend.addTypeFast(p.Type, []fastKey{fastTitle(title), fastAxisData(xs), fastSeries(parts...)}, slow)
}

func round1(n thidua.Num) thidua.Num { return roundDec(n, 1) }

// unitSeries is unit ui's values of indicator ii over the periods of type
// t: what its sparklines are drawn from.
func (b *builder) unitSeries(ui, ii int, t thidua.PeriodType) []thidua.Num {
	ix := b.ix
	var vs []thidua.Num
	for _, q := range ix.byType[t] {
		vs = append(vs, ix.value(ui, ii, ix.pidx[q]))
	}
	return vs
}

// unitHead is the head of a unit page's table (site.js's view of a period
// from the rows files takes it from the page).
func unitHead(ms *messages) []th {
	return []th{{ms.T("indicator"), false}, {ms.T("measure"), false}, {ms.T("value"), true}, {ms.T("ytd"), true},
		{ms.T("target"), true}, {ms.T("pct_of_target"), true}, {ms.T("rank_value"), true}, {ms.T("change_prev"), true},
		{ms.T("change_yoy"), true}, {ms.T("trend"), false}}
}

// unitPage builds the article of one unit.
func (b *builder) unitPage(u thidua.Unit) *pageGen {
	ms, ix := b.ms, b.ix
	name := b.unitName(u)
	a := &article{ID: "page-unit-" + u.Code, File: "unit-" + u.Code + ".html", Kind: "unit", Title: name,
		Series: map[string][]thidua.Num{}}
	radar := newChart("c-unit-"+u.Code+"-radar", "radar", ms.T("radar_title"), 1, 420)
	a.Charts = []*chartSpec{radar}
	a.Notes = []string{ms.T("heatmap_note"), ms.T("partial_note")}
	ui := ix.uidx[u.Code]
	series := func(t thidua.PeriodType) map[string][]thidua.Num {
		m := map[string][]thidua.Num{}
		for ii, ind := range ix.inds {
			m[ind.Code+"|"+string(t)] = b.unitSeries(ui, ii, t)
		}
		return m
	}
	// The sparklines' series keys of a period type, by indicator, and
	// the series of a.Series by type and indicator.
	seriesKeys := map[thidua.PeriodType][]string{}
	seriesOf := map[thidua.PeriodType][][]thidua.Num{}
	// The table's head, the same for each period (never changed).
	head := unitHead(ms)
	// A period's view reads its rows from px (the page's, or its group of
	// periods'), its sparklines' series from b's index.
	arena := &cellArena{}
	return &pageGen{a: a, series: series, cells: arena, period: func(px *index, p thidua.Period) (periodView, error) {
		pi := ix.pidx[p]
		end := ix.typeIndex[p]
		skeys := seriesKeys[p.Type]
		if skeys == nil {
			for _, ind := range ix.inds {
				skeys = append(skeys, ind.Code+"|"+string(p.Type))
			}
			seriesKeys[p.Type] = skeys
		}
		sers := seriesOf[p.Type]
		if sers == nil {
			sers = make([][]thidua.Num, len(ix.inds))
			seriesOf[p.Type] = sers
		}
		pv := b.pview(p)
		t := table{ID: "t-unit-" + u.Code + "-" + pv.Key, CSV: "unit-" + u.Code + "-" + pv.Key + ".csv", Caption: name + " — " + pv.Label,
			Head: head, Fmt: "--nnnprss-"}
		var indicators []*opts.Indicator
		var mine, theirs []float64
		maxV := 120.0
		anyRadar := false
		var offRadar []string
		t.Rows, t.Dec, t.Of = make([][]cell, 0, len(ix.inds)), make([]int, 0, len(ix.inds)), make([]int, 0, len(ix.inds))
		nc := len(t.Fmt)
		cells := arena.take(len(ix.inds) * nc) // (the rows' cells, at once)
		for ii, ind := range ix.inds {
			row := px.at(ui, ii, pi)
			r := cells[ii*nc : ii*nc : (ii+1)*nc]
			r = append(r, b.it.names[ii], b.it.measures[ii], ix.valueCell(ms, row, ind.Decimals))
			if row == nil {
				row = &thidua.PopRow{}
			}
			tc := ix.numCell(ms, row.Target, ind.Decimals)
			if !ind.HasTarget {
				tc = cell{Text: ms.T("no_target"), Class: "na"}
			}
			// The default period's sparkline is drawn here; the others
			// by site.js from the series.
			key := skeys[ii]
			if sers[ii] == nil {
				if a.Series[key] == nil {
					a.Series[key] = b.unitSeries(ui, ii, p.Type)
				}
				sers[ii] = a.Series[key]
			}
			spark := cell{Spark: &sparkRef{Series: key, End: end}}
			if pv.Default {
				spark.Spark.SVG = sparkline(sers[ii][max(0, end+1-sparkLen):end+1], ms.T("trend"))
			}
			nrep := ix.nReported(ii, pi)
			r = append(r, ix.numCell(ms, row.YTDValue, ind.Decimals), tc, statusPctCell(ms, row),
				rankCell(row.RankValue, nrep), pctCell(ms, row.PctChangePrev, true), pctCell(ms, row.PctChangeYoY, true),
				spark)
			t.Rows = append(t.Rows, r)
			t.Dec = append(t.Dec, ind.Decimals)
			t.Of = append(t.Of, nrep)
			if ind.HasTarget {
				m := row.Achievement
				var c thidua.Num
				if cr := ix.clusterAt(ii, pi); cr != nil {
					c = cr.Achievement
				}
				// A radar cannot leave a gap: an axis without both values
				// is left out (never drawn as zero) and named in a note.
				if !m.OK || !c.OK {
					offRadar = append(offRadar, b.indName(ind))
					continue
				}
				// (rounded as the tables round: site.js draws a period's
				// radar from the rows files' numbers, written so)
				m, c = roundDec(m, 1), roundDec(c, 1)
				indicators = append(indicators, &opts.Indicator{Name: defuse(b.indName(ind))})
				mine = append(mine, m.V)
				theirs = append(theirs, c.V)
				anyRadar = true
				maxV = math.Max(maxV, math.Max(m.V, c.V))
			}
		}
		pv.Tables = []table{t}
		for _, sc := range ix.unitScores(u.Code, p) {
			if !sc.Total.OK {
				continue
			}
			line := ms.T("unit_score", "total", ms.Num(sc.Total.V, 1), "rank", fmt.Sprint(sc.Rank), "n", fmt.Sprint(len(ix.scores[p])))
			if sc.RankChange.OK && sc.RankChange.V != 0 {
				line += fmt.Sprintf(" (%+d)", int(sc.RankChange.V))
			}
			pv.Lines = append(pv.Lines, line)
		}
		var missing []string
		for ii, ind := range ix.inds {
			if r := px.at(ui, ii, pi); r == nil || !r.Value.OK {
				missing = append(missing, b.indName(ind))
			}
		}
		if len(missing) > 0 {
			pv.Notes = append(pv.Notes, ms.T("not_reported")+": "+strings.Join(missing, "; ")+".")
		}
		if len(offRadar) > 0 {
			pv.Notes = append(pv.Notes, ms.T("radar_left_out", "indicators", strings.Join(offRadar, "; ")))
		}
		if anyRadar {
			for _, in := range indicators {
				in.Max = float32(math.Ceil(maxV/10) * 10)
			}
			title := ms.T("radar_title") + " — " + pv.Label
			slow := func() echart {
				rd := charts.NewRadar()
				rd.SetGlobalOptions(common(ms, radar, title)...)
				rd.SetGlobalOptions(charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "item"}),
					charts.WithLegendOpts(opts.Legend{Show: opts.Bool(true), Bottom: "0"}),
					charts.WithRadarComponentOpts(opts.RadarComponent{Indicator: indicators}))
				rd.AddSeries(defuse(name), []opts.RadarData{{Name: defuse(name), Value: mine}}, charts.WithAreaStyleOpts(opts.AreaStyle{Opacity: opts.Float(0.2)}))
				rd.AddSeries(ms.T("cluster"), []opts.RadarData{{Name: ms.T("cluster"), Value: theirs}})
				return rd
			}
			if err := radar.addFast(p, []fastKey{fastTitle(title), fastRadar(indicators),
				fastSeries(radarSeries(defuse(name), mine, `,"areaStyle":{"opacity":0.2}`), radarSeries(ms.T("cluster"), theirs, ""))}, slow); err != nil {
				return periodView{}, err
			}
		}
		return pv, nil
	}}
}

// qualityPage builds the data-quality article.
// complete(ui, pi) is how many shown indicators unit ix.units[ui]
// reported complete for ix.periods[pi].
func (b *builder) qualityPage(complete func(ui, pi int) int) (*article, error) {
	ms, ix := b.ms, b.ix
	a := &article{ID: "page-quality", File: "quality.html", Kind: "quality", Title: ms.T("quality"), Search: b.large}
	kind := "heatmap"
	if b.large {
		kind = "bar"
	}
	comp := newChart("c-quality-completeness", kind, ms.T("completeness"), 0, 360)
	a.Charts = []*chartSpec{comp}
	nInds := len(ix.inds)
	for _, pt := range thidua.PeriodTypes {
		ps := ix.byType[pt]
		if len(ps) == 0 {
			continue
		}
		tv := typeView{Type: string(pt), Default: pt == ix.defaultP.Type}
		if b.large {
			if err := b.gaps(&tv, comp, ps, complete); err != nil {
				return nil, err
			}
			a.Types = append(a.Types, tv)
			continue
		}
		t := table{ID: "t-completeness-" + string(pt), CSV: "completeness-" + string(pt) + ".csv", Caption: ms.T("completeness"),
			Head: []th{{ms.T("unit"), false}}}
		var xs []string
		for _, p := range ps {
			t.Head = append(t.Head, th{ms.ShortPeriod(p), true})
			xs = append(xs, ms.ShortPeriod(p))
		}
		var hd []opts.HeatMapData
		for y, u := range ix.units {
			r := []cell{{Text: b.unitName(u), Href: "unit-" + u.Code + ".html"}}
			for x, p := range ps {
				n := complete(y, ix.pidx[p])
				c := cell{Text: fmt.Sprintf("%d/%d", n, nInds), V: fmt.Sprint(n)}
				switch {
				case n == 0:
					c.Class = "bad"
				case n < nInds:
					c.Class = "partial"
				}
				r = append(r, c)
				pct := 0.0
				if nInds > 0 {
					pct = math.Round(1000*float64(n)/float64(nInds)) / 10
				}
				hd = append(hd, opts.HeatMapData{Name: fmt.Sprintf("%d/%d", n, nInds), Value: [3]any{x, y, pct}})
			}
			t.Rows = append(t.Rows, r)
		}
		tv.Tables = []table{t}
		a.Types = append(a.Types, tv)
		hm := charts.NewHeatMap()
		hm.SetGlobalOptions(common(ms, comp, ms.T("completeness")+" — "+ms.T("type_"+string(pt)))...)
		hm.SetGlobalOptions(
			charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "item"}),
			charts.WithLegendOpts(opts.Legend{Show: opts.Bool(false)}),
			charts.WithGridOpts(opts.Grid{Left: "8", Right: "16", Top: "64", Bottom: "8", ContainLabel: opts.Bool(true)}),
			charts.WithXAxisOpts(opts.XAxis{Type: "category", Data: xs}),
			charts.WithYAxisOpts(opts.YAxis{Type: "category", Data: b.unitNames(), Inverse: opts.Bool(true)}))
		hm.SetXAxis(xs).AddSeries(ms.T("completeness"), hd)
		for _, p := range ps {
			if err := comp.add(p, hm, heatVisualMap(100, []string{"100%", "0%"})); err != nil {
				return nil, err
			}
		}
	}
	a.Notes = []string{ms.T("completeness_note")}
	if b.large {
		a.Notes = []string{ms.T("completeness_large_note")}
	}

	// The findings come grouped by unit, most severe first (store's order).
	ft := table{ID: "t-flags", CSV: "flags.csv", Caption: ms.T("flags"),
		Head: []th{{ms.T("severity"), false}, {ms.T("unit"), false}, {ms.T("indicator"), false}, {ms.T("period"), false},
			{ms.T("value"), true}, {ms.T("expected"), true}, {ms.T("reason"), false}, {ms.T("check"), false}}}
	var keys, pages []string
	for _, f := range ix.r.QualityFlags {
		un, in, per := f.Unit, f.Indicator, f.Period
		unit := textCell(un)
		if u, ok := ix.r.Cluster.Unit(f.Unit); ok {
			un = b.unitName(u)
			unit = textCell(un)
			if b.large {
				// (a link, for the search box: 'u' column)
				unit.Href = "unit-" + u.Code + ".html"
			}
		}
		keys, pages = append(keys, thidua.Fold(un)), append(pages, "unit-"+f.Unit+".html")
		dec := 2
		if ind, ok := ix.r.Cluster.Indicator(f.Indicator); ok {
			in, dec = b.indName(ind), ind.Decimals
		}
		if p, err := thidua.ParsePeriod(f.Period); err == nil {
			per = ms.Period(p)
		}
		sev := textCell(f.Severity)
		switch f.Severity {
		case "error", "warning", "info":
			sev = cell{Text: ms.T("sev_" + f.Severity), Class: "sev-" + f.Severity}
		}
		ft.Rows = append(ft.Rows, []cell{sev, unit, textCell(in), textCell(per),
			ix.numCell(ms, f.Value, dec), ix.numCell(ms, f.Expected, dec), textCell(f.Text(ms.lang)), textCell(f.Check)})
	}
	if b.large {
		ft.Fmt = "-u------"
		ms.paged(&ft, keys, pages)
	}
	lt := table{ID: "t-loads", CSV: "loads.csv", Caption: ms.T("loads"),
		Head: []th{{ms.T("load_id"), true}, {ms.T("file"), false}, {"SHA-256", false}, {ms.T("format"), false}, {ms.T("rows"), true},
			{ms.T("loaded_at"), false}, {ms.T("inserted"), true}, {ms.T("updated"), true}, {ms.T("unchanged"), true},
			{ms.T("rejected"), true}, {ms.T("status"), false}}}
	for _, l := range ix.r.Loads {
		n := func(v int) cell { return cell{Text: ms.Num(float64(v), 0), V: fmt.Sprint(v)} }
		sha := l.SHA256
		short := sha
		if len(short) > 12 {
			short = short[:12] + "…"
		}
		lt.Rows = append(lt.Rows, []cell{n(int(l.ID)), textCell(baseName(l.File)), {Text: short, Title: sha, V: sha, Class: "text"}, textCell(l.Format),
			n(l.Rows), {Text: ms.Date(l.LoadedAt), V: l.LoadedAt.UTC().Format("2006-01-02T15:04:05Z"), Class: "text"}, n(l.Inserted), n(l.Updated),
			n(l.Unchanged), n(l.Rejected), textCell(l.Status)})
	}
	a.Tables = []table{ft, lt}
	return a, nil
}

// gaps is a large cluster's completeness for the periods ps of one type:
// a table of every unit, those with the most periods with gaps first
// (periods with gaps, periods not reported at all, the latest period with
// a gap), and a chart of how many units reported complete, partly or not
// at all in each period — instead of units × periods.
func (b *builder) gaps(tv *typeView, comp *chartSpec, ps []thidua.Period, complete func(ui, pi int) int) error {
	ms, ix := b.ms, b.ix
	nInds := len(ix.inds)
	pt := ps[0].Type
	t := table{ID: "t-completeness-" + string(pt), CSV: "completeness-" + string(pt) + ".csv",
		Caption: ms.T("completeness_gaps") + " — " + ms.T("type_"+string(pt)),
		Head:    []th{{ms.T("unit"), false}, {ms.T("periods_with_gaps"), true}, {ms.T("periods_none"), true}, {ms.T("last_gap"), false}},
		Fmt:     "u00-"}
	type unitGaps struct{ ui, gaps, none, last int }
	var us []unitGaps
	counts := [3][]opts.BarData{} // complete, partial, none
	for x, p := range ps {
		var n [3]int
		for ui := range ix.units {
			c := complete(ui, ix.pidx[p])
			switch {
			case c >= nInds:
				n[0]++
			case c > 0:
				n[1]++
			default:
				n[2]++
			}
			if x == 0 {
				us = append(us, unitGaps{ui: ui, last: -1})
			}
			if c < nInds {
				us[ui].gaps++
				us[ui].last = x
				if c == 0 {
					us[ui].none++
				}
			}
		}
		for k := range counts {
			counts[k] = append(counts[k], opts.BarData{Value: n[k]})
		}
	}
	sort.SliceStable(us, func(i, j int) bool {
		if us[i].gaps != us[j].gaps {
			return us[i].gaps > us[j].gaps
		}
		return us[i].none > us[j].none
	})
	var keys, pages []string
	for _, g := range us {
		u := ix.units[g.ui]
		last := cell{Text: "—", Class: "na"}
		if g.last >= 0 {
			last = textCell(ms.Period(ps[g.last]))
		}
		t.Rows = append(t.Rows, []cell{{Text: b.unitName(u), Href: "unit-" + u.Code + ".html"},
			{Text: ms.Num(float64(g.gaps), 0), V: fmt.Sprint(g.gaps)}, {Text: ms.Num(float64(g.none), 0), V: fmt.Sprint(g.none)}, last})
		keys, pages = append(keys, b.unitKey(u)), append(pages, "unit-"+u.Code+".html")
	}
	ms.paged(&t, keys, pages)
	tv.Tables = []table{t}
	var xs []string
	for _, p := range ps {
		xs = append(xs, ms.ShortPeriod(p))
	}
	bar := charts.NewBar()
	bar.SetGlobalOptions(common(ms, comp, ms.T("completeness_counts")+" — "+ms.T("type_"+string(pt)))...)
	bar.SetGlobalOptions(charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "axis"}))
	bar.SetXAxis(xs)
	for k, sc := range []struct{ label, colour string }{{ms.T("units_complete"), "#1a9850"},
		{ms.T("units_partial"), "#fee08b"}, {ms.T("units_none"), "#d73027"}} {
		bar.AddSeries(sc.label, counts[k], charts.WithBarChartOpts(opts.BarChart{Stack: "units"}),
			charts.WithItemStyleOpts(opts.ItemStyle{Color: sc.colour}))
	}
	for _, p := range ps {
		if err := comp.add(p, bar); err != nil {
			return err
		}
	}
	return nil
}

// baseName strips a path written with / or \ to its file name.
func baseName(p string) string {
	if i := strings.LastIndexAny(p, `/\`); i >= 0 {
		return p[i+1:]
	}
	return p
}

// statusClass is the CSS class of a cell by the transform's status.
func statusClass(s thidua.Status) string {
	switch s {
	case thidua.OnTarget:
		return "good"
	case thidua.Close:
		return "close"
	case thidua.Behind:
		return "bad"
	}
	return ""
}

// statusBand is the heatmap's colour dimension of each status that has a
// % of target (statusVisualMap's pieces).
var statusBand = map[thidua.Status]int{thidua.Behind: 0, thidua.Close: 1, thidua.OnTarget: 2}

// statusPctCell is a row's % of target marked with its status.
func statusPctCell(ms *messages, row *thidua.PopRow) cell {
	c := pctCell(ms, row.PctOfTarget, false)
	if row.PctOfTarget.OK {
		c.Class = statusClass(row.Status)
	}
	return c
}

// isRate reports whether the indicator is a percentage, whose changes read
// best in percentage points.
func isRate(ind thidua.Indicator) bool {
	return strings.TrimSpace(ind.Measure) == "%" || ind.Agg == thidua.Ratio && ind.Factor == 100
}

func signed(text string, v float64) string {
	if v > 0 && strings.Trim(text, "0,.") != "" {
		return "+" + text
	}
	return text
}
