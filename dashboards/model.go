package dashboards

import (
	"bytes"
	"fmt"
	"html"
	"html/template"
	"math"
	"strconv"
	"strings"

	"github.com/thidua/thidua"
)

// cell is one table cell: the text shown, the exact value behind it (for
// sorting and CSV) and a class (missing, partial, good, bad).
type cell struct {
	Text  string
	V     string // exact value; empty for text cells and missing values
	Class string
	Title string
	Href  string
	Spark *sparkRef // the sparkline as data, for site.js (periods not in the HTML); its SVG

	// lit says that V is a number site.js shows as Text by a column format,
	// proved where the texts were made (litFixed): 'n' with litDec
	// decimals, 'p' a percent, 's' a signed percent change (0: unknown,
	// blockEnc.bare checks).
	lit    byte
	litDec int8
}

// sparkRef is a sparkline of the last sparkLen values of a page's series
// up to index End; SVG is it drawn by this package from numbers only (the
// HTML's period), or empty.
type sparkRef struct {
	Series string
	End    int
	SVG    template.HTML
}

// SVG is the cell's sparkline as drawn in the HTML, or empty (a sparkline
// is rare among cells: it is kept with its sparkRef, not in every cell).
func (c cell) SVG() template.HTML {
	if c.Spark == nil {
		return ""
	}
	return c.Spark.SVG
}

// sparkLen is how many periods a sparkline shows.
const sparkLen = 12

// table is a data table with a CSV download.
type table struct {
	ID      string
	CSV     string // file name of the download
	Caption string
	Head    []th
	Rows    [][]cell
	Foot    [][]cell
	// Fmt is each column's number format for the compact encoding ('n':
	// the row's decimals, '0'–'9': fixed decimals, 'p': %, 's': signed %,
	// '-': none); Dec the rows' decimals (one element: every row's);
	// FootDec the footer's.
	Fmt     string
	Dec     []int
	FootDec int
	// Of is the rows' rank denominators for an 'r' column (one element:
	// every row's).
	Of []int
	// Page is how many rows one page of a large cluster's table shows:
	// the HTML carries the first Page rows, site.js every row from the
	// period's data, with a pager and the search box. 0: every row, no
	// pager. Info is the pager's text for the first page.
	Page int
	Info string
	// Keys are the rows' search keys (thidua.Fold of the unit's name as
	// shown) and Units their units' pages, written on the HTML's rows for
	// the search box (site.js reads them from the unit list for the rows it
	// builds: a unit column, format 'u').
	Keys, Units []string
	// Bins are the rows' bins in the page's histogram (-1: none), for the
	// unit searched for.
	Bins []int
}

// pageSizes are the page sizes a pager offers besides "all".
var pageSizes = []int{50, 200}

// htmlRow is a row of a table as the HTML carries it.
type htmlRow struct {
	Cells     []cell
	Key, Unit string
	Bin       int // -1: none
}

// HTMLRows are the rows the HTML carries: every row, or the first page of
// a paged table.
func (t table) HTMLRows() []htmlRow {
	n := len(t.Rows)
	if t.Page > 0 {
		n = min(n, t.Page)
	}
	out := make([]htmlRow, n)
	for i := range out {
		out[i].Cells, out[i].Bin = t.Rows[i], -1
		if i < len(t.Bins) {
			out[i].Bin = t.Bins[i]
		}
		if i < len(t.Keys) {
			out[i].Key = t.Keys[i]
		}
		if i < len(t.Units) {
			out[i].Unit = t.Units[i]
		}
	}
	return out
}

// PageSizes are the pager's choices, the table's own first.
func (t table) PageSizes() []int { return pageSizes }

// paged makes t a table of units searched by keys (one per row; pages:
// the units' pages), shown a page at a time when it has more rows than a
// page.
func (ms *messages) paged(t *table, keys, pages []string) {
	t.Keys, t.Units = keys, pages
	if len(t.Rows) > pageSizes[0] {
		t.Page = pageSizes[0]
		t.Info = ms.T("rows_shown", "from", ms.Num(1, 0), "to", ms.Num(float64(t.Page), 0), "n", ms.Num(float64(len(t.Rows)), 0))
	}
}

func (t *table) rowOf(i int) int {
	switch {
	case len(t.Of) == 1:
		return t.Of[0]
	case i < len(t.Of):
		return t.Of[i]
	}
	return 0
}

func (t *table) rowDec(i int) int {
	switch {
	case len(t.Dec) == 1:
		return t.Dec[0]
	case i < len(t.Dec):
		return t.Dec[i]
	}
	return 0
}

type th struct {
	Text string
	Num  bool
}

// index holds the report's rows keyed for lookup: the cluster, its
// periods, scores and cluster rows for the whole site, and the units' rows
// of one page (page) as a dense grid.
type index struct {
	r       thidua.Report
	units   []thidua.Unit
	inds    []thidua.Indicator // shown (not hidden)
	pop     map[popKey]*thidua.PopRow
	cluster map[clKey]*thidua.PopRow
	// scores are r.Scores' rows by period, in r's order: parts of
	// r.Scores, not copies (see groupRuns).
	scores map[thidua.Period][]thidua.ScoreRow
	// unitScores are r.Scores' rows of a unit and period, in r's order:
	// scoreRuns[ui*len(periods)+pi] is where they are in r.Scores (hi 0:
	// none); unitApart holds those of a key whose rows are not one run or
	// whose unit or period the site does not list.
	scoreRuns []scoreRun
	unitApart map[unitPeriod][]thidua.ScoreRow
	byType    map[thidua.PeriodType][]thidua.Period
	// typeIndex is a period's place in byType[its type].
	typeIndex  map[thidua.Period]int
	periods    []thidua.Period
	uidx, iidx map[string]int
	pidx       map[thidua.Period]int
	defaultP   thidua.Period
	// The page's unit rows as a dense grid over the units u0…u0+nu-1,
	// indicators i0…i0+ni-1 (in inds) and periods p0…p0+np-1: page
	// builders look rows up by position instead of hashing three keys.
	grid []*thidua.PopRow
	// cgrid are the cluster rows by indicator (in inds) and period:
	// cgrid[ii*len(periods)+pi].
	cgrid  []*thidua.PopRow
	u0, nu int
	i0, ni int
	p0, np int
	// shaped are the periods (by index in periods) whose rows the page
	// read as thidua.PopQuery.Shape makes them, not whole (see
	// siteRun.whole); nil when every row is whole.
	shaped map[int]bool
	// vals are the values of the grid's units and indicators over every
	// period (np: all of them), with no rows (grid nil): what a page
	// read a group of periods at a time draws its series from (value).
	vals []thidua.Num
	// cells are, beside grid and in its layout, the value and
	// completeness of the shaped rows a source filled in without a row
	// each (overRows.fillShaped); a row of grid comes first.
	cells []shapedCell
}

// shapedCell is what a shaped row gives (thidua.PopQuery.Shape): its value
// and completeness; set when there is such a row.
type shapedCell struct {
	v         thidua.Num
	comp, set bool
}

type popKey struct {
	unit, ind string
	p         thidua.Period
}

type unitPeriod struct {
	unit string
	p    thidua.Period
}

type clKey struct {
	ind string
	p   thidua.Period
}

// newIndex indexes r, every unit row in one grid (for the wording of
// other writers; the site's pages are built from page's).
func newIndex(r thidua.Report) (*index, error) {
	ix, err := newSiteIndex(r)
	if err != nil {
		return nil, err
	}
	return ix.page([][]thidua.PopRow{r.Pop}, 0, len(ix.units), 0, len(ix.inds), 0, len(ix.periods)), nil
}

// newSiteIndex indexes what every page shares: units, shown indicators,
// periods, scores and r's cluster rows (r's unit rows are left out).
func newSiteIndex(r thidua.Report) (*index, error) {
	ix := &index{r: r, cluster: map[clKey]*thidua.PopRow{}, byType: map[thidua.PeriodType][]thidua.Period{}}
	for _, u := range r.Cluster.Units {
		if !thidua.ValidCode(u.Code) {
			return nil, fmt.Errorf("dashboards: unit code %q: want %s", u.Code, thidua.CodePattern)
		}
		ix.units = append(ix.units, u)
	}
	for _, ind := range r.Cluster.Indicators {
		if !thidua.ValidCode(ind.Code) {
			return nil, fmt.Errorf("dashboards: indicator code %q: want %s", ind.Code, thidua.CodePattern)
		}
		if !ind.Hidden {
			ix.inds = append(ix.inds, ind)
		}
	}
	for i := range r.Pop {
		row := &r.Pop[i]
		if row.IsCluster {
			ix.cluster[clKey{row.Indicator, row.Period}] = row
		}
	}
	ix.scores = groupRuns(r.Scores, func(s *thidua.ScoreRow) thidua.Period { return s.Period })
	seen := map[thidua.Period]bool{}
	add := func(p thidua.Period) {
		if p.Valid() && !seen[p] {
			seen[p] = true
			ix.periods = append(ix.periods, p)
		}
	}
	for _, p := range r.Periods {
		add(p)
	}
	for _, row := range r.Pop {
		add(row.Period)
	}
	for _, s := range r.Scores {
		add(s.Period)
	}
	thidua.SortPeriods(ix.periods)
	ix.uidx, ix.iidx, ix.pidx = map[string]int{}, map[string]int{}, map[thidua.Period]int{}
	for i, u := range ix.units {
		ix.uidx[u.Code] = i
	}
	for i, ind := range ix.inds {
		ix.iidx[ind.Code] = i
	}
	for i, p := range ix.periods {
		ix.pidx[p] = i
	}
	ix.indexUnitScores()
	ix.cgrid = make([]*thidua.PopRow, len(ix.inds)*len(ix.periods))
	for i := range r.Pop {
		row := &r.Pop[i]
		ii, ok1 := ix.iidx[row.Indicator]
		pi, ok2 := ix.pidx[row.Period]
		if row.IsCluster && ok1 && ok2 {
			ix.cgrid[ii*len(ix.periods)+pi] = row // (a duplicate keeps the last row, as cluster does)
		}
	}
	ix.typeIndex = map[thidua.Period]int{}
	for _, p := range ix.periods {
		ix.typeIndex[p] = len(ix.byType[p.Type])
		ix.byType[p.Type] = append(ix.byType[p.Type], p)
	}
	// The default period is the one that ends last, the coarsest among
	// ties, among the periods that have scores if any do.
	candidates := ix.periods
	if len(ix.scores) > 0 {
		candidates = nil
		for _, p := range ix.periods {
			if len(ix.scores[p]) > 0 {
				candidates = append(candidates, p)
			}
		}
	}
	for _, p := range candidates {
		d := ix.defaultP
		if d == (thidua.Period{}) || p.End().After(d.End()) ||
			p.End().Equal(d.End()) && thidua.PeriodTypeOrder(p.Type) > thidua.PeriodTypeOrder(d.Type) {
			ix.defaultP = p
		}
	}
	return ix, nil
}

// groupRuns indexes rows by key as parts of rows (no copy) where a key's
// rows are one run, as the store's order (scores: by period, then rank)
// gives them; a key whose rows are apart gets a copy of them, in rows'
// order. The site holds every period's scores: at 700 units × 200 periods
// copies of them by period and by unit were 69 MB.
func groupRuns[K comparable](rows []thidua.ScoreRow, key func(*thidua.ScoreRow) K) map[K][]thidua.ScoreRow {
	m := map[K][]thidua.ScoreRow{}
	end := map[K]int{} // the index after a key's run; -1: copied
	for i := range rows {
		k := key(&rows[i])
		e, seen := end[k]
		switch {
		case !seen:
			m[k], end[k] = rows[i:i+1:i+1], i+1
		case e == i:
			m[k], end[k] = rows[i-len(m[k]):i+1:i+1], i+1
		default:
			if e >= 0 {
				m[k], end[k] = append([]thidua.ScoreRow(nil), m[k]...), -1
			}
			m[k] = append(m[k], rows[i])
		}
	}
	return m
}

// scoreRun is where a unit's score rows of a period are in r.Scores:
// rows lo…hi-1 (hi 0: none).
type scoreRun struct{ lo, hi int32 }

// indexUnitScores indexes r.Scores by unit and period (unitScores).
func (ix *index) indexUnitScores() {
	np := len(ix.periods)
	ix.scoreRuns = make([]scoreRun, len(ix.units)*np)
	rows := ix.r.Scores
	for i := range rows {
		s := &rows[i]
		k := unitPeriod{s.Unit, s.Period}
		if ix.unitApart[k] != nil {
			ix.unitApart[k] = append(ix.unitApart[k], *s)
			continue
		}
		ui, ok1 := ix.uidx[s.Unit]
		pi, ok2 := ix.pidx[s.Period]
		if !ok1 || !ok2 || i >= math.MaxInt32 {
			ix.apart(k, *s)
			continue
		}
		run := &ix.scoreRuns[ui*np+pi]
		switch {
		case run.hi == 0:
			*run = scoreRun{int32(i), int32(i) + 1}
		case int(run.hi) == i:
			run.hi++
		default: // apart from its run: the key's rows are copied
			for _, c := range rows[run.lo:run.hi] {
				ix.apart(k, c)
			}
			ix.apart(k, *s)
			*run = scoreRun{}
		}
	}
}

func (ix *index) apart(k unitPeriod, s thidua.ScoreRow) {
	if ix.unitApart == nil {
		ix.unitApart = map[unitPeriod][]thidua.ScoreRow{}
	}
	ix.unitApart[k] = append(ix.unitApart[k], s)
}

// unitScores are the score rows of unit in p, in r.Scores' order.
func (ix *index) unitScores(unit string, p thidua.Period) []thidua.ScoreRow {
	if rows := ix.unitApart[unitPeriod{unit, p}]; rows != nil {
		return rows
	}
	ui, ok1 := ix.uidx[unit]
	pi, ok2 := ix.pidx[p]
	if !ok1 || !ok2 {
		return nil
	}
	run := ix.scoreRuns[ui*len(ix.periods)+pi]
	return ix.r.Scores[run.lo:run.hi:run.hi]
}

// page is the index with the unit rows of one page: rows (unit rows of
// the units u0…u0+nu-1, indicators i0…i0+ni-1, periods p0…p0+np-1; any
// other row is kept for lookups by key only).
func (ix *index) page(batches [][]thidua.PopRow, u0, nu, i0, ni, p0, np int) *index {
	px := *ix
	px.u0, px.nu, px.i0, px.ni, px.p0, px.np = u0, nu, i0, ni, p0, np
	px.grid, px.vals, px.cells = make([]*thidua.PopRow, nu*ni*np), nil, nil
	px.pop = map[popKey]*thidua.PopRow{}
	// (rows come by indicator and period, then unit: the indicator's and
	// the period's lookups of the row before are used again)
	lastInd, lastP := "", thidua.Period{}
	ii, ok2, pi, ok3 := 0, false, 0, false
	first := true
	for _, rows := range batches {
		for i := range rows {
			row := &rows[i]
			if row.IsCluster {
				continue
			}
			ui, ok1 := ix.uidx[row.Unit]
			if first || row.Indicator != lastInd {
				ii, ok2 = ix.iidx[row.Indicator]
				lastInd = row.Indicator
			}
			if first || row.Period != lastP {
				pi, ok3 = ix.pidx[row.Period]
				lastP = row.Period
			}
			first = false
			if !ok1 || !ok2 || !ok3 || ui < u0 || ui >= u0+nu || ii < i0 || ii >= i0+ni || pi < p0 || pi >= p0+np {
				px.pop[popKey{row.Unit, row.Indicator, row.Period}] = row
				continue
			}
			// A duplicate key keeps the last row.
			px.grid[((ui-u0)*ni+ii-i0)*np+pi-p0] = row
		}
	}
	return &px
}

// valuesIndex is the index of the units u0…u0+nu-1 and indicators
// i0…i0+ni-1 with no rows, only their values over every period (vals),
// which addValues fills as the rows are read.
func (ix *index) valuesIndex(u0, nu, i0, ni int) *index {
	px := *ix
	px.u0, px.nu, px.i0, px.ni, px.p0, px.np = u0, nu, i0, ni, 0, len(ix.periods)
	px.grid, px.pop, px.shaped, px.vals, px.cells = nil, nil, nil, make([]thidua.Num, nu*ni*len(ix.periods)), nil
	return &px
}

// addValues notes the values of rows in a valuesIndex (a duplicate key
// keeps the last row's, as page does).
func (px *index) addValues(rows []thidua.PopRow) {
	for i := range rows {
		if row := &rows[i]; !row.IsCluster {
			px.addValue(row.Unit, row.Indicator, row.Period, row.Value)
		}
	}
}

// addValue notes the value v of a unit row in a valuesIndex (addValues).
func (px *index) addValue(unit, ind string, p thidua.Period, v thidua.Num) {
	ui, ok1 := px.uidx[unit]
	ii, ok2 := px.iidx[ind]
	pi, ok3 := px.pidx[p]
	ui, ii = ui-px.u0, ii-px.i0
	if !ok1 || !ok2 || !ok3 || ui < 0 || ui >= px.nu || ii < 0 || ii >= px.ni {
		return
	}
	px.vals[(ui*px.ni+ii)*px.np+pi] = v
}

// value is the value of unit ix.units[ui], indicator ix.inds[ii] in period
// ix.periods[pi] (not OK when the page has no such row).
func (ix *index) value(ui, ii, pi int) thidua.Num {
	if ix.vals == nil {
		if r := ix.at(ui, ii, pi); r != nil {
			return r.Value
		}
		if c := ix.cellAt(ui, ii, pi); c != nil {
			return c.v
		}
		return thidua.Num{}
	}
	ui, ii, pi = ui-ix.u0, ii-ix.i0, pi-ix.p0
	if ui < 0 || ui >= ix.nu || ii < 0 || ii >= ix.ni || pi < 0 || pi >= ix.np {
		return thidua.Num{}
	}
	return ix.vals[(ui*ix.ni+ii)*ix.np+pi]
}

// shapedBy marks the periods q did not read whole (q.Whole) as shaped.
func (ix *index) shapedBy(q thidua.PopQuery) *index {
	if q.Whole == nil {
		return ix
	}
	ix.shaped = map[int]bool{}
	for pi := range ix.periods {
		ix.shaped[pi] = true
	}
	for _, p := range q.Whole {
		delete(ix.shaped, ix.pidx[p])
	}
	return ix
}

// wholeRows makes the rows of the periods ps whole in the page ix: read
// reads them (a query of ix's rows for those periods) unless every one is
// whole already.
func (ix *index) wholeRows(ps []thidua.Period, read func(ps []thidua.Period) ([]thidua.PopRow, error)) error {
	var want []thidua.Period
	for _, p := range ps {
		if ix.shaped[ix.pidx[p]] {
			want = append(want, p)
		}
	}
	if len(want) == 0 {
		return nil
	}
	rows, err := read(want)
	if err != nil {
		return err
	}
	for _, p := range want {
		pi := ix.pidx[p]
		delete(ix.shaped, pi)
		if pi < ix.p0 || pi >= ix.p0+ix.np {
			continue
		}
		for k := 0; k < ix.nu*ix.ni; k++ {
			ix.grid[k*ix.np+pi-ix.p0] = nil
			if ix.cells != nil {
				ix.cells[k*ix.np+pi-ix.p0] = shapedCell{}
			}
		}
	}
	for i := range rows {
		row := &rows[i]
		ui, ok1 := ix.uidx[row.Unit]
		ii, ok2 := ix.iidx[row.Indicator]
		pi, ok3 := ix.pidx[row.Period]
		if row.IsCluster {
			continue
		}
		if !ok1 || !ok2 || !ok3 || ui < ix.u0 || ui >= ix.u0+ix.nu || ii < ix.i0 || ii >= ix.i0+ix.ni || pi < ix.p0 || pi >= ix.p0+ix.np {
			ix.pop[popKey{row.Unit, row.Indicator, row.Period}] = row
			continue
		}
		ix.grid[((ui-ix.u0)*ix.ni+ii-ix.i0)*ix.np+pi-ix.p0] = row
	}
	return nil
}

// unitRows returns the rows of unit in p by indicator (its index in
// ix.inds), as row gives them, looking the unit and period up once.
func (ix *index) unitRows(unit string, p thidua.Period) func(ii int) *thidua.PopRow {
	ui, ok1 := ix.uidx[unit]
	pi, ok2 := ix.pidx[p]
	if !ok1 || !ok2 {
		return func(ii int) *thidua.PopRow { return ix.pop[popKey{unit, ix.inds[ii].Code, p}] }
	}
	return func(ii int) *thidua.PopRow { return ix.at(ui, ii, pi) }
}

func (ix *index) row(unit, ind string, p thidua.Period) *thidua.PopRow {
	ui, ok1 := ix.uidx[unit]
	ii, ok2 := ix.iidx[ind]
	pi, ok3 := ix.pidx[p]
	if !ok1 || !ok2 || !ok3 {
		return ix.pop[popKey{unit, ind, p}]
	}
	return ix.at(ui, ii, pi)
}

// at is the row of unit ix.units[ui], indicator ix.inds[ii] and period
// ix.periods[pi], or nil (also when the page does not hold it).
func (ix *index) at(ui, ii, pi int) *thidua.PopRow {
	ui, ii, pi = ui-ix.u0, ii-ix.i0, pi-ix.p0
	if ix.grid == nil || ui < 0 || ui >= ix.nu || ii < 0 || ii >= ix.ni || pi < 0 || pi >= ix.np {
		return nil
	}
	return ix.grid[(ui*ix.ni+ii)*ix.np+pi]
}

// cellAt is the shaped cell of unit ix.units[ui], indicator ix.inds[ii]
// and period ix.periods[pi], or nil (none filled in, or not the page's).
func (ix *index) cellAt(ui, ii, pi int) *shapedCell {
	ui, ii, pi = ui-ix.u0, ii-ix.i0, pi-ix.p0
	if ix.cells == nil || ui < 0 || ui >= ix.nu || ii < 0 || ii >= ix.ni || pi < 0 || pi >= ix.np {
		return nil
	}
	if c := &ix.cells[(ui*ix.ni+ii)*ix.np+pi]; c.set {
		return c
	}
	return nil
}

// completeAt reports whether unit ix.units[ui] has a complete value of
// indicator ix.inds[ii] in period ix.periods[pi]: its row's, else its
// shaped cell's.
func (ix *index) completeAt(ui, ii, pi int) bool {
	if row := ix.at(ui, ii, pi); row != nil {
		return row.Value.OK && row.Complete
	}
	c := ix.cellAt(ui, ii, pi)
	return c != nil && c.v.OK && c.comp
}

// nReported is how many units are ranked by value for ix.inds[ii] in
// ix.periods[pi] (the n of "rank 3/n"): the cluster row's units_ranked, as
// the transform counted them. (units_reported counts the units in the
// cluster figure: for a ratio only those with both parts.)
func (ix *index) nReported(ii, pi int) int {
	if cr := ix.clusterAt(ii, pi); cr != nil {
		return cr.UnitsRanked
	}
	return 0
}

// clusterAt is the cluster row of ix.inds[ii] in ix.periods[pi], or nil:
// ix.cluster's.
func (ix *index) clusterAt(ii, pi int) *thidua.PopRow {
	return ix.cgrid[ii*len(ix.periods)+pi]
}

// reported reports whether the unit has a value for the indicator in p.
func (ix *index) reported(unit, ind string, p thidua.Period) bool {
	r := ix.row(unit, ind, p)
	return r != nil && r.Value.OK
}

func exact(n thidua.Num) string {
	if !n.OK {
		return ""
	}
	if a := math.Abs(n.V); a == 0 || a >= 1e-6 && a < 1e21 {
		// Plain digits, as JavaScript writes the number (CSV downloads
		// and site.js's cells agree): 1234567, not 1.234567e+06.
		return strconv.FormatFloat(n.V, 'f', -1, 64)
	}
	return strconv.FormatFloat(n.V, 'g', -1, 64)
}

// shown is n rounded to the dec decimals a page shows it with, as the
// cell's value (data-v: sorting, CSV downloads): the pages carry what they
// show; the exact values are in the Parquet and CSV exports.
func shown(n thidua.Num, dec int) string {
	if !n.OK || math.IsNaN(n.V) || math.IsInf(n.V, 0) {
		return exact(n)
	}
	var buf [64]byte
	return shownFixed(strconv.AppendFloat(buf[:0], n.V, 'f', max(0, dec), 64))
}

// shownFixed is shown of the number fixed, strconv's 'f' format of it
// with the decimals shown.
func shownFixed(fixed []byte) string {
	if s, ok := plainShown(fixed); ok {
		return s
	}
	v, err := strconv.ParseFloat(string(fixed), 64)
	if err != nil {
		return ""
	}
	if v == 0 {
		v = 0 // no -0
	}
	return exact(thidua.Some(v))
}

// plainShown is shownFixed's result read off fixed without parsing it,
// when fixed has at most 15 significant digits and exact writes it
// plainly (0, or 1e-6 ≤ |v| < 1e15): a decimal of at most 15 significant
// digits is the only one of that many digits to round to its float64
// (DBL_DIG), so the shortest decimal that reads back as that float64 (what
// exact writes) is fixed itself, without its trailing zeros.
func plainShown(fixed []byte) (string, bool) {
	var buf [64]byte
	b, ok := appendPlainShown(buf[:0], fixed)
	if !ok {
		return "", false
	}
	return string(b), true
}

// appendPlainShown appends plainShown's value to dst.
func appendPlainShown(dst, fixed []byte) ([]byte, bool) {
	neg := len(fixed) > 0 && fixed[0] == '-'
	t := fixed
	if neg {
		t = t[1:]
	}
	dot := bytes.IndexByte(t, '.')
	if dot < 0 {
		dot = len(t)
	} else {
		for t[len(t)-1] == '0' {
			t = t[:len(t)-1]
		}
		if t[len(t)-1] == '.' {
			t = t[:len(t)-1]
		}
	}
	if dot == 0 || dot > 15 {
		return dst, false
	}
	first := -1 // the first digit that is not 0
	for i, c := range t {
		if c < '0' || c > '9' {
			if c != '.' || i != dot {
				return dst, false
			}
			continue
		}
		if c != '0' && first < 0 {
			first = i
		}
	}
	switch {
	case first < 0: // zero (no -0)
		return append(dst, '0'), true
	case first > dot+6: // below 1e-6: exact writes an exponent
		return dst, false
	}
	sig := len(t) - first
	if first < dot && len(t) > dot {
		sig-- // (the point)
	}
	if sig > 15 {
		return dst, false
	}
	if neg {
		return append(append(dst, '-'), t...), true
	}
	return append(dst, t...), true
}

// numCell shows n with dec decimals, marking missing values as such.
func (ix *index) numCell(ms *messages, n thidua.Num, dec int) cell {
	if !n.OK {
		return cell{Text: "—", Class: "na"}
	}
	text, v, lit := ms.numTexts(n.V, dec, "")
	return litCell(cell{Text: text, V: v}, lit, 'n', dec)
}

// litCell is c with its column format f and decimals dec (cell.lit) when
// lit holds.
func litCell(c cell, lit bool, f byte, dec int) cell {
	if lit {
		c.lit, c.litDec = f, int8(dec)
	}
	return c
}

func pctCell(ms *messages, n thidua.Num, signed bool) cell {
	if !n.OK {
		return cell{Text: "—", Class: "na"}
	}
	if signed {
		text, v, lit := ms.signedPctTexts(n.V)
		return litCell(cell{Text: text, V: v}, lit, 's', 1)
	}
	text, v, lit := ms.numTexts(n.V, 1, "%")
	return litCell(cell{Text: text, V: v}, lit, 'p', 1)
}

func textCell(s string) cell { return cell{Text: s} }

func rankCell(rank, n int) cell {
	if rank <= 0 {
		return cell{Text: "—", Class: "na"}
	}
	var buf [48]byte
	return cell{Text: string(appendRank(buf[:0], rank, n)), V: strconv.Itoa(rank)}
}

// appendRank appends "rank/n".
func appendRank(dst []byte, rank, n int) []byte {
	return strconv.AppendInt(append(strconv.AppendInt(dst, int64(rank), 10), '/'), int64(n), 10)
}

// valueCell shows a unit's value for the period, "chưa báo cáo" when it has
// none and a partial mark when months are missing. On the cluster row with
// units missing it shows the transform's value_partial, marked with the
// units it counts: never as the cluster's total.
func (ix *index) valueCell(ms *messages, row *thidua.PopRow, dec int) cell {
	if row != nil && row.IsCluster && !row.Value.OK && row.ValuePartial.OK {
		// no exact value (data-v): the table's CSV download takes the
		// marked text, so the partial sum never reaches a file unmarked
		text, _ := ms.clusterValue(row, dec)
		return cell{Text: text, Class: "partial", Title: ms.T("cluster_partial_note")}
	}
	if row == nil || !row.Value.OK {
		return cell{Text: ms.T("not_reported"), Class: "na"}
	}
	if !row.Complete {
		text, v, _ := ms.numTexts(row.Value.V, dec, " *")
		return cell{Text: text, V: v, Class: "partial", Title: ms.T("partial")}
	}
	text, v, lit := ms.numTexts(row.Value.V, dec, "")
	return litCell(cell{Text: text, V: v}, lit, 'n', dec)
}

// sparkline draws vals as a small SVG line; gaps stay gaps.
func sparkline(vals []thidua.Num, label string) template.HTML {
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, v := range vals {
		if v.OK {
			lo, hi = math.Min(lo, v.V), math.Max(hi, v.V)
		}
	}
	if math.IsInf(lo, 1) || len(vals) < 2 {
		return ""
	}
	if hi == lo {
		hi, lo = hi+1, lo-1
	}
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="spark" viewBox="0 0 100 24" width="100" height="24" role="img" aria-label="%s">`, html.EscapeString(label))
	var seg []string
	flush := func() {
		if len(seg) == 1 {
			xy := strings.Split(seg[0], ",")
			fmt.Fprintf(&b, `<circle cx="%s" cy="%s" r="1.5"/>`, xy[0], xy[1])
		} else if len(seg) > 1 {
			fmt.Fprintf(&b, `<polyline points="%s"/>`, strings.Join(seg, " "))
		}
		seg = seg[:0]
	}
	for i, v := range vals {
		if !v.OK {
			flush()
			continue
		}
		x := 2 + 96*float64(i)/float64(len(vals)-1)
		y := 22 - 20*(v.V-lo)/(hi-lo)
		seg = append(seg, fmt.Sprintf("%.1f,%.1f", x, y))
	}
	flush()
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}
