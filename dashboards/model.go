package dashboards

import (
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
	SVG   template.HTML // a sparkline drawn by this package from numbers only
	Href  string
	Spark *sparkRef // the sparkline as data, for site.js (periods not in the HTML)
}

// sparkRef is a sparkline of the last sparkLen values of a page's series
// up to index End.
type sparkRef struct {
	Series string
	End    int
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

// index holds the report's rows keyed for lookup.
type index struct {
	r       thidua.Report
	units   []thidua.Unit
	inds    []thidua.Indicator // shown (not hidden)
	pop     map[popKey]*thidua.PopRow
	cluster map[clKey]*thidua.PopRow
	scores  map[thidua.Period][]thidua.ScoreRow
	byType  map[thidua.PeriodType][]thidua.Period
	// typeIndex is a period's place in byType[its type].
	typeIndex map[thidua.Period]int
	periods   []thidua.Period
	// The unit rows of the shown indicators as a dense grid, by unit,
	// indicator (in inds) and period (in periods), and how many units
	// reported each indicator in each period: page builders look rows up
	// by position instead of hashing three keys.
	uidx, iidx map[string]int
	pidx       map[thidua.Period]int
	grid       []*thidua.PopRow
	nrep       []int
	defaultP   thidua.Period
}

type popKey struct {
	unit, ind string
	p         thidua.Period
}

type clKey struct {
	ind string
	p   thidua.Period
}

func newIndex(r thidua.Report) (*index, error) {
	ix := &index{r: r, pop: map[popKey]*thidua.PopRow{}, cluster: map[clKey]*thidua.PopRow{},
		scores: map[thidua.Period][]thidua.ScoreRow{}, byType: map[thidua.PeriodType][]thidua.Period{}}
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
		} else {
			ix.pop[popKey{row.Unit, row.Indicator, row.Period}] = row
		}
	}
	for _, s := range r.Scores {
		ix.scores[s.Period] = append(ix.scores[s.Period], s)
	}
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
	nu, ni, np := len(ix.units), len(ix.inds), len(ix.periods)
	ix.grid = make([]*thidua.PopRow, nu*ni*np)
	ix.nrep = make([]int, ni*np)
	for i := range r.Pop {
		row := &r.Pop[i]
		if row.IsCluster {
			continue
		}
		ui, ok1 := ix.uidx[row.Unit]
		ii, ok2 := ix.iidx[row.Indicator]
		pi, ok3 := ix.pidx[row.Period]
		if !ok1 || !ok2 || !ok3 {
			continue
		}
		if ix.pop[popKey{row.Unit, row.Indicator, row.Period}] != row {
			continue // a duplicate key: the map kept the last one
		}
		ix.grid[(ui*ni+ii)*np+pi] = row
		if row.Value.OK {
			ix.nrep[ii*np+pi]++
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
// ix.periods[pi], or nil.
func (ix *index) at(ui, ii, pi int) *thidua.PopRow {
	return ix.grid[(ui*len(ix.inds)+ii)*len(ix.periods)+pi]
}

// nReported is how many units have a value for ix.inds[ii] in ix.periods[pi].
func (ix *index) nReported(ii, pi int) int {
	return ix.nrep[ii*len(ix.periods)+pi]
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

// numCell shows n with dec decimals, marking missing values as such.
func (ix *index) numCell(ms *messages, n thidua.Num, dec int) cell {
	if !n.OK {
		return cell{Text: "—", Class: "na"}
	}
	return cell{Text: ms.Num(n.V, dec), V: exact(n)}
}

func pctCell(ms *messages, n thidua.Num, signed bool) cell {
	if !n.OK {
		return cell{Text: "—", Class: "na"}
	}
	c := cell{Text: ms.Pct(n), V: exact(n)}
	if signed {
		c.Text = ms.SignedPct(n)
	}
	return c
}

func textCell(s string) cell { return cell{Text: s} }

func rankCell(rank, n int) cell {
	if rank <= 0 {
		return cell{Text: "—", Class: "na"}
	}
	return cell{Text: fmt.Sprintf("%d/%d", rank, n), V: strconv.Itoa(rank)}
}

// valueCell shows a unit's value for the period, "chưa báo cáo" when it has
// none and a partial mark when months are missing.
func (ix *index) valueCell(ms *messages, row *thidua.PopRow, dec int) cell {
	if row == nil || !row.Value.OK {
		return cell{Text: ms.T("not_reported"), Class: "na"}
	}
	c := cell{Text: ms.Num(row.Value.V, dec), V: exact(row.Value)}
	if !row.Complete {
		c.Text += " *"
		c.Class = "partial"
		c.Title = ms.T("partial")
	}
	return c
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
