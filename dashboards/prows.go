package dashboards

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"

	"github.com/thidua/thidua"
)

// Period rows files. A small cluster's indicator pages carry no period
// files of their own: every indicator page of the site reads a period's
// rows from the same files, data/rows.PERIOD.CHUNK.js (one a period and
// chunk of indicators, prowsChunks), and site.js builds the page's table,
// notes and charts of that period from them (assets/site.js, indicator
// view). The rows are the transform's values as the page shows them,
// nothing more: every rule (direction, caps, status, rank, completeness)
// was applied in SQL, and a number is written rounded to the decimals the
// page shows it with, so site.js's formatting of it is the Go side's
// (litFixed). The page's default period stays in its HTML, written by the
// Go side; a browser test checks that site.js builds the same table,
// notes and chart options from the default period's rows.
//
// A file is thidua.prows("BASE64"), the JSON document
//
//	{"key":PERIOD,"inds":[code…],"u":[[row or null, a unit's]…, an indicator's],"c":[cluster row or null…],"ns":n,"s":[[score…]…]}
//
// packed like a period file (packedScript). A unit row is
// [value, complete 0/1, previous, change on previous %, last year, change
// on last year %, YTD, target, % of target, status class, rank by value,
// share %, achievement %] and a cluster row [value, partial value text, previous, change
// on previous %, last year, change on last year %, YTD, target, % of
// target, status class, mean, units reported, units expected, units
// ranked, complete 0/1, achievement %]; "s" are the units' score rows of
// the period, [[total, rank, rank change]…] a unit, "ns" how many units
// the period's scores rank; a missing number is null, a number site.js cannot format as
// the Go side does (over 15 significant digits) is [text, value].

// prowsBudget is what a rows file is filled to, in estimated packed bytes
// (prowsCost): half the 100 KB a file may weigh.
const prowsBudget = 48 << 10

// prowsCost estimates the packed bytes of one indicator's rows of a
// period: about twice what size S measured (8 units: 9.1 KB for 72
// indicators, ≈ 125 bytes each).
func (s *siteRun) prowsCost() int { return 100 + 25*len(s.ix.units) }

// prowsChunk is how many indicators (of ix.inds, in order) a rows file
// holds.
func (s *siteRun) prowsChunk() int { return max(1, prowsBudget/s.prowsCost()) }

// prowsName is the rows file of period key and chunk c.
func prowsName(key string, c int) string {
	return "rows." + key + "." + strconv.Itoa(c) + ".js"
}

// rowsFiles are the rows files of the site (in dataDir), in a fixed order.
func (s *siteRun) prowsFiles() []string {
	if !s.shared {
		return nil
	}
	var out []string
	n := (len(s.ix.inds) + s.prowsChunk() - 1) / s.prowsChunk()
	for _, p := range s.ix.periods {
		for c := 0; c < n; c++ {
			out = append(out, prowsName(p.String(), c))
		}
	}
	return out
}

// prowsJob writes the rows files: the periods' rows read in groups of
// about unitRowBudget rows (periodGroups), each period's files written or
// taken over from the site replaced when its period is unchanged.
func (s *siteRun) prowsJob() error {
	ix := s.ix
	nu, ni := len(ix.units), len(ix.inds)
	per := max(1, unitRowBudget/max(1, nu*ni))
	var groups [][]thidua.Period
	for i := 0; i < len(ix.periods); i += per {
		groups = append(groups, ix.periods[i:min(i+per, len(ix.periods))])
	}
	q := thidua.PopQuery{Indicators: s.shown(), Fields: indicatorFields | thidua.PopAchievement}
	rowsOf := s.viewRows(q, s.periodGroups(q, s.whole("rows"), groups, 0, nu, 0, ni, nil))
	k := s.prowsChunk()
	w := newJSON()
	defer freeJSON(w)
	for _, p := range ix.periods {
		key := p.String()
		ps := []thidua.Period{p}
		kept := s.unchanged(ps)
		if kept {
			for c := 0; c*k < ni && kept; c++ {
				kept = takeOver(filepath.Join(s.prev, dataDir, prowsName(key, c)), filepath.Join(s.dir, dataDir, prowsName(key, c)))
			}
		}
		if kept {
			s.count(true)
			continue
		}
		px, err := rowsOf(p)
		if err != nil {
			return err
		}
		for c := 0; c*k < ni; c++ {
			w.Reset()
			s.prowsJSON(w, px, p, c*k, min(ni, (c+1)*k))
			b := packedScript(nil, "thidua.prows(\"", defuseJSON(w.Bytes()), "\");\n")
			if err := os.WriteFile(filepath.Join(s.dir, dataDir, prowsName(key, c)), b, 0o644); err != nil {
				return fmt.Errorf("dashboards: %w", err)
			}
		}
		s.count(false)
	}
	return nil
}

// count counts a period's files kept or written (Reuse).
func (s *siteRun) count(kept bool) {
	s.mu.Lock()
	if kept {
		s.reuse.Kept++
	} else {
		s.reuse.Written++
	}
	s.mu.Unlock()
}

// prowsJSON writes the rows document of period p, indicators
// ix.inds[i0:i1], from px.
func (s *siteRun) prowsJSON(w *jsonw, px *index, p thidua.Period, i0, i1 int) {
	ix, ms := s.ix, s.ms
	pi := ix.pidx[p]
	w.WriteString(`{"key":`)
	w.str(p.String())
	w.WriteString(`,"inds":[`)
	for ii := i0; ii < i1; ii++ {
		if ii > i0 {
			w.WriteByte(',')
		}
		w.str(ix.inds[ii].Code)
	}
	w.WriteString(`],"u":[`)
	for ii := i0; ii < i1; ii++ {
		if ii > i0 {
			w.WriteByte(',')
		}
		dec := ix.inds[ii].Decimals
		w.WriteByte('[')
		for ui := range ix.units {
			if ui > 0 {
				w.WriteByte(',')
			}
			r := px.at(ui, ii, pi)
			if r == nil {
				w.WriteString("null")
				continue
			}
			w.WriteByte('[')
			s.prNum(w, r.Value, dec)
			if r.Complete {
				w.WriteString(",1,")
			} else {
				w.WriteString(",0,")
			}
			s.prNums(w, dec, r.PrevValue, r.PctChangePrev, r.YoYValue, r.PctChangeYoY, r.YTDValue, r.Target, r.PctOfTarget)
			w.WriteByte(',')
			w.str(statusClass(r.Status))
			w.WriteByte(',')
			w.WriteString(strconv.Itoa(max(0, r.RankValue)))
			w.WriteByte(',')
			s.prPct(w, r.Share, 'p')
			w.WriteByte(',')
			s.prPct(w, r.Achievement, 'n')
			w.WriteByte(']')
		}
		w.WriteByte(']')
	}
	w.WriteString(`],"c":[`)
	for ii := i0; ii < i1; ii++ {
		if ii > i0 {
			w.WriteByte(',')
		}
		cr := ix.clusterAt(ii, pi)
		if cr == nil {
			w.WriteString("null")
			continue
		}
		dec := ix.inds[ii].Decimals
		w.WriteByte('[')
		s.prNum(w, cr.Value, dec)
		w.WriteByte(',')
		if text, partial := ms.clusterValue(cr, dec); partial {
			w.str(text)
		} else {
			w.WriteString("null")
		}
		w.WriteByte(',')
		s.prNums(w, dec, cr.PrevValue, cr.PctChangePrev, cr.YoYValue, cr.PctChangeYoY, cr.YTDValue, cr.Target, cr.PctOfTarget)
		w.WriteByte(',')
		w.str(statusClass(cr.Status))
		w.WriteByte(',')
		s.prNum(w, cr.ClusterMean, dec)
		fmt.Fprintf(w, ",%d,%d,%d,%d,", cr.UnitsReported, cr.UnitsExpected, cr.UnitsRanked, b2i(cr.Complete))
		s.prPct(w, cr.Achievement, 'n')
		w.WriteByte(']')
	}
	// The units' scores of the period (a unit page's lines).
	w.WriteString(`],"ns":`)
	w.WriteString(strconv.Itoa(len(ix.scores[p])))
	w.WriteString(`,"s":[`)
	for ui, u := range ix.units {
		if ui > 0 {
			w.WriteByte(',')
		}
		w.WriteByte('[')
		for k, sc := range ix.unitScores(u.Code, p) {
			if k > 0 {
				w.WriteByte(',')
			}
			w.WriteByte('[')
			s.prNum(w, sc.Total, 1)
			w.WriteString(",")
			w.WriteString(strconv.Itoa(sc.Rank))
			w.WriteString(",")
			if sc.RankChange.OK {
				w.WriteString(strconv.Itoa(int(sc.RankChange.V)))
			} else {
				w.WriteString("0")
			}
			w.WriteByte(']')
		}
		w.WriteByte(']')
	}
	w.WriteString("]}")
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// prNums writes the numbers of a row from its previous value to its % of
// target (amounts with dec decimals, percentages with one), comma-separated.
func (s *siteRun) prNums(w *jsonw, dec int, prev, chPrev, yoy, chYoY, ytd, target, pct thidua.Num) {
	s.prNum(w, prev, dec)
	w.WriteByte(',')
	s.prPct(w, chPrev, 's')
	w.WriteByte(',')
	s.prNum(w, yoy, dec)
	w.WriteByte(',')
	s.prPct(w, chYoY, 's')
	w.WriteByte(',')
	s.prNum(w, ytd, dec)
	w.WriteByte(',')
	s.prNum(w, target, dec)
	w.WriteByte(',')
	s.prPct(w, pct, 'p')
}

// prNum writes n as shown with dec decimals: the number as JavaScript
// writes it when site.js's formatting of it gives the Go side's text
// (litFixed), else [text, value] (numTexts); null when missing.
func (s *siteRun) prNum(w *jsonw, n thidua.Num, dec int) { s.prNumF(w, n, dec, 'n') }

// prPct is prNum of a percentage (f 'p') or a percent change (f 's'),
// shown with one decimal.
func (s *siteRun) prPct(w *jsonw, n thidua.Num, f byte) { s.prNumF(w, n, 1, f) }

// prNumF is prNum of a number shown in a column of format f (compact.go's
// n, p, s), whose text [text, value] is.
func (s *siteRun) prNumF(w *jsonw, n thidua.Num, dec int, f byte) {
	if !n.OK {
		w.WriteString("null")
		return
	}
	var fb, sb [128]byte
	if dec >= 0 && dec <= 9 {
		fixed := strconv.AppendFloat(fb[:0], n.V, 'f', dec, 64)
		if b, ok := appendPlainShown(sb[:0], fixed); ok && litFixed(fixed, dec) {
			w.Write(b)
			return
		}
	}
	var text, v string
	switch f {
	case 's':
		text, v, _ = s.ms.signedPctTexts(n.V)
	case 'p':
		text, v, _ = s.ms.numTexts(n.V, dec, "%")
	default:
		text, v, _ = s.ms.numTexts(n.V, dec, "")
	}
	w.WriteByte('[')
	w.str(text)
	w.WriteByte(',')
	w.str(v)
	w.WriteByte(']')
}

// prowsPage writes the member ,"prows":{…} of an indicator page of the
// site whose periods come from rows files: where they are, the file's
// chunk holding the indicator, and what site.js needs besides the rows to
// build the page's view of a period (names, table head, messages).
func (s *siteRun) prowsPage(w *jsonw, a *article) {
	ix, ms, b := s.ix, s.ms, s.b
	code := a.ID[len("page-indicator-"):]
	ii, ok := ix.iidx[code]
	if !ok {
		return
	}
	ind := ix.inds[ii]
	w.WriteString(`,"prows":{"file":`)
	w.str(dataDir + "/rows.")
	fmt.Fprintf(w, `,"kind":"indicator","chunks":[%d],"dec":%d,"target":%t,"code":`, ii/s.prowsChunk(), ind.Decimals, ind.HasTarget)
	w.str(ind.Code)
	w.WriteString(`,"name":`)
	w.str(b.indName(ind))
	w.WriteString(`,"labels":`)
	w.strs(b.ut.labels)
	w.WriteString(`,"head":[`)
	for i, h := range indicatorHead(ms, ind) {
		if i > 0 {
			w.WriteByte(',')
		}
		w.WriteByte('[')
		w.str(h.Text)
		if h.Num {
			w.WriteString(",1]")
		} else {
			w.WriteString(",0]")
		}
	}
	w.WriteString(`],"msg":{`)
	for i, k := range []string{"not_reported", "partial", "cluster", "cluster_mean", "missing_units", "mean_note", "no_data",
		"cluster_partial_note", "value", "ytd", "target", "change_prev", "change_yoy", "change_title"} {
		if i > 0 {
			w.WriteByte(',')
		}
		w.str(k)
		w.WriteByte(':')
		w.str(ms.T(k))
	}
	w.WriteString(`}}`)
	if testDefaultBlocks && ix.defaultP.Valid() {
		// (the default period's rows in the page, for the browser test
		// that compares site.js's view of them with the HTML)
		q := thidua.PopQuery{Indicators: []string{ind.Code}, Periods: []thidua.Period{ix.defaultP}, Fields: indicatorFields | thidua.PopAchievement}
		if rows, err := s.rows(q); err == nil {
			px := ix.page([][]thidua.PopRow{rows}, 0, len(ix.units), ii, 1, ix.pidx[ix.defaultP], 1)
			w.WriteString(`,"prowsDefault":`)
			s.prowsJSON(w, px, ix.defaultP, ii, ii+1)
		}
	}
}

// prowsUnitPage writes the member ,"prows":{…} of a unit page of the site
// whose periods come from rows files (every chunk of a period: the unit's
// row of each indicator), with what site.js needs besides the rows to
// build the page's view of a period.
func (s *siteRun) prowsUnitPage(w *jsonw, a *article) {
	ix, ms, b := s.ix, s.ms, s.b
	code := a.ID[len("page-unit-"):]
	ui, ok := ix.uidx[code]
	if !ok {
		return
	}
	u := ix.units[ui]
	n := (len(ix.inds) + s.prowsChunk() - 1) / s.prowsChunk()
	w.WriteString(`,"prows":{"file":`)
	w.str(dataDir + "/rows.")
	w.WriteString(`,"kind":"unit","chunks":[`)
	for c := 0; c < n; c++ {
		if c > 0 {
			w.WriteByte(',')
		}
		w.WriteString(strconv.Itoa(c))
	}
	w.WriteString(`],"series":`)
	w.str(dataDir + "/unit-" + u.Code + ".")
	fmt.Fprintf(w, `,"unit":%d,"code":`, ui)
	w.str(u.Code)
	w.WriteString(`,"name":`)
	w.str(b.unitName(u))
	w.WriteString(`,"inds":[`)
	for ii, ind := range ix.inds {
		if ii > 0 {
			w.WriteByte(',')
		}
		w.WriteByte('[')
		w.str(ind.Code)
		w.WriteByte(',')
		w.str(b.indName(ind))
		w.WriteByte(',')
		w.str(b.measure(ind))
		fmt.Fprintf(w, ",%d,%t]", ind.Decimals, ind.HasTarget)
	}
	w.WriteString(`],"head":[`)
	for i, h := range unitHead(ms) {
		if i > 0 {
			w.WriteByte(',')
		}
		w.WriteByte('[')
		w.str(h.Text)
		if h.Num {
			w.WriteString(",1]")
		} else {
			w.WriteString(",0]")
		}
	}
	w.WriteString(`],"msg":{`)
	for i, k := range []string{"not_reported", "partial", "no_target", "unit_score", "radar_left_out", "radar_title", "cluster"} {
		if i > 0 {
			w.WriteByte(',')
		}
		w.str(k)
		w.WriteByte(':')
		w.str(ms.T(k))
	}
	w.WriteString(`}}`)
	if testDefaultBlocks && ix.defaultP.Valid() {
		q := thidua.PopQuery{Units: []string{u.Code}, Indicators: s.shown(), Periods: []thidua.Period{ix.defaultP}, Fields: indicatorFields | thidua.PopAchievement}
		if rows, err := s.rows(q); err == nil {
			px := ix.page([][]thidua.PopRow{rows}, 0, len(ix.units), 0, len(ix.inds), ix.pidx[ix.defaultP], 1)
			w.WriteString(`,"prowsDefault":`)
			s.prowsJSON(w, px, ix.defaultP, 0, len(ix.inds))
		}
	}
}
