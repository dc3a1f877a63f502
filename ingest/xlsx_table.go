package ingest

import (
	"strconv"
	"strings"

	"github.com/thidua/thidua"
)

// tableCol is one indicator column of a cluster table.
type tableCol struct {
	col   int
	ind   thidua.Indicator
	basis thidua.Basis // PeriodBasis, YTDBasis, or "target" for the plan
}

const xlsxTargetBasis thidua.Basis = "target"

// readClusterTable reads a cluster table sheet (one row per unit, one column
// per indicator, one period) whose header starts at h, appending to b. It
// returns the number of unit rows read.
func (x *xlsxFile) readClusterTable(g *sheetGrid, h headerInfo) int {
	hd := x.clusterTableHeader(g, h)
	if hd.unitCol < 0 {
		x.layout(x.pos(g.sheet, h.row, 0), ErrNoTable, "cluster table without a unit column (\"Đơn vị\")")
		return 0
	}
	ok := hd.ok
	if len(hd.headerless) > 0 && !x.headerlessNumbers(g, h, hd.text) {
		ok = false
	}
	ctx, pok := x.sheetContext(g, h.row, false)
	if !ok || !pok {
		return 0
	}
	return x.clusterTableRows(g, h, hd, ctx)
}

// clusterHeader is what a cluster table's header says.
type clusterHeader struct {
	unitCol    int            // the column naming the units; -1 when none does
	cols       []tableCol     // the columns of values: indicator and basis
	headerless []int          // columns with no header
	text       map[int]string // each headed column's header text
	ok         bool           // false when a column was refused
}

// clusterTableHeader reads the header of a cluster table: the unit column,
// and each other column's indicator (named in the top row and qualified
// below, or grouped in the top row and named below) and basis.
func (x *xlsxFile) clusterTableHeader(g *sheetGrid, h headerInfo) clusterHeader {
	hd := clusterHeader{unitCol: -1, text: map[int]string{}, ok: true}
	for col := 0; col < g.maxWidth(); col++ {
		top := g.filled(h.row, col)
		sub := ""
		if h.rows == 2 {
			sub = g.text(h.row+1, col)
			if isColumnNumber(sub) {
				sub = ""
			}
		}
		if top == "" && sub == "" {
			hd.headerless = append(hd.headerless, col)
			continue
		}
		hd.text[col] = strings.TrimSpace(top + " " + sub)
		if hd.unitCol < 0 && isUnitHeader(top) {
			hd.unitCol = col
			continue
		}
		switch classifyFormHeader(top) {
		case hdrSTT, hdrNote, hdrCode:
			continue
		}
		ind, found := lookupIndicatorText(x.opts.Cluster, top)
		qual := sub
		at := h.row
		if !found && sub != "" {
			ind, found = lookupIndicatorText(x.opts.Cluster, sub)
			qual, at = "", h.row+1
		}
		if !found {
			if classifyFormHeader(top+" "+sub) == hdrDerived {
				continue
			}
			if sub != "" {
				at = h.row + 1
			}
			if !x.unknownColumnEmpty(g, h, col, at, strings.TrimSpace(top+" "+sub)) {
				hd.ok = false
			}
			continue
		}
		basis, derived := columnBasis(x.opts.Cluster, top, qual)
		if derived {
			continue
		}
		if m := reTrailingParen.FindString(top); m != "" {
			if msg := measureConflict(strings.Trim(strings.TrimSpace(m), "()"), ind); msg != "" {
				x.layout(x.pos(g.sheet, h.row, col), ErrMeasure, "%s", msg)
				hd.ok = false
				continue
			}
		}
		for _, prev := range hd.cols {
			if prev.ind.Code == ind.Code && prev.basis == basis {
				x.refuse(x.pos(g.sheet, at, col), kindf(ErrTwice, "indicator %s (%s) has two columns, %s and %s", ind.Code, basis, cellName(h.row, prev.col), cellName(h.row, col)))
				hd.ok = false
			}
		}
		hd.cols = append(hd.cols, tableCol{col, ind, basis})
	}
	return hd
}

// unknownColumnEmpty reports whether a column whose header names no
// indicator holds no values; one that does is refused (at the header
// cell at) with the first value it holds.
func (x *xlsxFile) unknownColumnEmpty(g *sheetGrid, h headerInfo, col, at int, name string) bool {
	for r := h.row + h.rows; r < len(g.rows) && !rowIsSignature(g, r); r++ {
		if !emptyMarkers[g.text(r, col)] {
			x.refuse(x.pos(g.sheet, at, col), indicatorRefusal(x.opts.Cluster, name, kindf(ErrUnknownIndicator, "unknown indicator %q in the header (column with values, e.g. %s): not a code, name or alias of an indicator of cluster %s", name, cellName(r, col), x.opts.Cluster.Code)))
			return false
		}
	}
	return true
}

// columnBasis is the basis of an indicator's column: from the qualifier
// below its header ("Kế hoạch", "Lũy kế"), or from a parenthesis in the
// header itself ("(lũy kế)", "(KH)") when the header is not the
// indicator's own name. derived is true for a column of derived figures
// (a ratio or a change), which is not read.
func columnBasis(c *thidua.Cluster, top, qual string) (basis thidua.Basis, derived bool) {
	basis = thidua.PeriodBasis
	if qual != "" {
		switch classifyFormHeader(qual) {
		case hdrDerived:
			return basis, true
		case hdrPlan:
			basis = xlsxTargetBasis
		case hdrYTD:
			basis = thidua.YTDBasis
		}
	} else if _, direct := c.LookupIndicator(top); !direct {
		if m := reTrailingParen.FindString(top); m != "" {
			f := thidua.Fold(m)
			switch {
			case containsWords(f, "luy ke"):
				basis = thidua.YTDBasis
			case containsWords(f, "ke hoach") || f == "kh":
				basis = xlsxTargetBasis
			}
		}
	}
	return basis, false
}

// clusterTableRows reads the unit rows below a cluster table's header, up
// to the signature block, and returns how many it read.
func (x *xlsxFile) clusterTableRows(g *sheetGrid, h headerInfo, hd clusterHeader, ctx sheetCtx) int {
	unitCol, period := hd.unitCol, ctx.period
	seen := map[string]string{}
	n := 0
	signed := -1
	for r := h.row + h.rows; r < len(g.rows); r++ {
		if g.emptyRow(r) {
			continue
		}
		name := g.text(r, unitCol)
		hasValues := hd.hasValues(g, r)
		if classifyFormHeader(name) == hdrMeasure {
			x.checkMeasureRow(g, r, hd)
			continue
		}
		if name == "" && hasValues && !rowOfColumnNumbers(g, r) {
			x.layout(x.pos(g.sheet, r, unitCol), ErrNoName, "values in row %d but no unit in %s", r+1, cellName(r, unitCol))
			n++
			continue
		}
		if name == "" || isTotalText(name) || isColumnNumber(name) && !hasValues {
			continue
		}
		u, err := x.tableUnit(name, period)
		if err != nil && signed < 0 && rowIsSignature(g, r) {
			signed = r
			continue
		}
		if signed >= 0 {
			if err == nil && hasValues {
				x.layout(x.pos(g.sheet, r, unitCol), ErrBelowSignature, "unit row below the signature block that starts in row %d; move it into the table", signed+1)
			}
			continue
		}
		if err != nil {
			if hasValues && !rowOfColumnNumbers(g, r) {
				x.refuse(x.pos(g.sheet, r, unitCol), err)
				n++ // a bad row is a row read
			}
			continue
		}
		n++
		if first, dup := seen[u.Code]; dup {
			x.refuse(x.pos(g.sheet, r, unitCol), kindf(ErrTwice, "unit %s appears twice, in %s and in %s", u.Code, first, cellName(r, unitCol)))
			continue
		}
		seen[u.Code] = cellName(r, unitCol)
		x.addUnitRow(g, h, r, u, hd, ctx)
	}
	return n
}

// hasValues reports whether row r of g has a value in one of the table's
// columns of values (a dash or other empty marker is none).
func (hd clusterHeader) hasValues(g *sheetGrid, r int) bool {
	for _, tc := range hd.cols {
		if !emptyMarkers[g.text(r, tc.col)] {
			return true
		}
	}
	return false
}

// checkMeasureRow checks a row of units of measure under the header
// ("ĐVT") against the indicators' units.
func (x *xlsxFile) checkMeasureRow(g *sheetGrid, r int, hd clusterHeader) {
	for _, tc := range hd.cols {
		if msg := measureConflict(g.text(r, tc.col), tc.ind); msg != "" {
			x.layout(x.pos(g.sheet, r, tc.col), ErrMeasure, "%s", msg)
		}
	}
}

// tableUnit is the unit a cluster table's row names: by name or code, else
// named inside a longer text ("UBND huyện Ba Bể").
func (x *xlsxFile) tableUnit(name string, period thidua.Period) (thidua.Unit, error) {
	u, err := x.opts.LookupUnit(name, &period)
	if err != nil {
		if v, ok := unitInText(x.opts.Cluster, name, period); ok {
			return v, nil
		}
	}
	return u, err
}

// addUnitRow adds the facts of unit u's row r of a cluster table: one per
// column of values, a target for a plan column.
func (x *xlsxFile) addUnitRow(g *sheetGrid, h headerInfo, r int, u thidua.Unit, hd clusterHeader, ctx sheetCtx) {
	at := x.pos(g.sheet, r, hd.unitCol)
	for _, tc := range hd.cols {
		raw := rawFact{
			Pos:           at,
			UnitCode:      rawField{Text: u.Code, Pos: at},
			IndicatorCode: rawField{Text: tc.ind.Code, Pos: x.pos(g.sheet, h.row, tc.col)},
			Period:        rawField{Text: ctx.period.String(), Pos: ctx.periodAt},
			ValueOptional: true,
		}
		if tc.basis == xlsxTargetBasis {
			raw.Target = x.valueField(g, r, tc.col, tc.ind)
		} else {
			raw.Basis = rawField{Text: string(tc.basis)}
			raw.Value = x.valueField(g, r, tc.col, tc.ind)
		}
		x.b.add(raw)
	}
}

// readTransposed reads a cluster table laid out the other way round: one row
// per indicator (a "Chỉ tiêu" column) and one column per unit, values for
// the period alone. It returns the number of indicator rows read.
func (x *xlsxFile) readTransposed(g *sheetGrid, h headerInfo) int {
	ctx, ok := x.sheetContext(g, h.row, false)
	if !ok {
		return 0
	}
	th, ok := x.readTransposedHeader(g, h, ctx.period)
	if !ok {
		return 0
	}
	rows := newIndicatorRows(x, g, th.name, th.code, th.measure, th.unitCols)
	n := 0
	for r, row := range rows.all(h.row + h.rows) {
		if !row.found {
			if row.hasValues && !rowOfColumnNumbers(g, r) {
				if name, _ := rows.names(r); name == "" {
					rows.noName(r)
				} else {
					rows.unknown(r, th.name, name)
				}
				n++ // a bad row is a row read
			}
			continue
		}
		n++
		if !rows.accept(r, row.ind, row.hasValues) {
			continue
		}
		ind := row.ind
		for _, c := range th.unitCols {
			x.b.add(rawFact{
				Pos:           x.pos(g.sheet, r, c),
				UnitCode:      rawField{Text: th.units[c].Code, Pos: x.pos(g.sheet, h.row, c)},
				IndicatorCode: rawField{Text: ind.Code, Pos: x.pos(g.sheet, r, th.name)},
				Period:        rawField{Text: ctx.period.String(), Pos: ctx.periodAt},
				Basis:         rawField{Text: string(thidua.PeriodBasis)},
				Value:         x.valueField(g, r, c, ind),
				ValueOptional: true,
			})
		}
	}
	return n
}

// transposedHeader is the header row of a table with one column a unit:
// the indicator name, code and unit-of-measure columns (-1 when absent) and
// the unit of each unit column.
type transposedHeader struct {
	name, code, measure int
	units               map[int]thidua.Unit
	unitCols            []int
}

// readTransposedHeader reads the header at h of a table for period p. A
// column headed by no known unit is refused when it holds values (false),
// and so is a unit with two columns; numbering, note, derived and total
// columns are passed over.
func (x *xlsxFile) readTransposedHeader(g *sheetGrid, h headerInfo, p thidua.Period) (transposedHeader, bool) {
	th := transposedHeader{name: -1, code: -1, measure: -1, units: map[int]thidua.Unit{}}
	ok := true
	seenUnit := map[string]int{}
	for col := 0; col < g.maxWidth(); col++ {
		t := g.filled(h.row, col)
		if t == "" {
			continue
		}
		switch k := classifyFormHeader(t); {
		case k == hdrName && th.name < 0:
			th.name = col
			continue
		case k == hdrCode && th.code < 0:
			th.code = col
			continue
		case k == hdrMeasure && th.measure < 0:
			th.measure = col
			continue
		case k == hdrSTT || k == hdrNote || k == hdrDerived || isTotalText(t):
			continue
		}
		u, err := x.opts.LookupUnit(t, &p)
		if err != nil {
			if columnHasValues(g, h.row, col) {
				x.problem(x.pos(g.sheet, h.row, col), "column with values headed %q: %w", t, err)
				ok = false
			}
			continue
		}
		if prev, dup := seenUnit[u.Code]; dup {
			x.refuse(x.pos(g.sheet, h.row, col), kindf(ErrTwice, "unit %s has two columns, %s and %s", u.Code, cellName(h.row, prev), cellName(h.row, col)))
			ok = false
			continue
		}
		seenUnit[u.Code] = col
		th.units[col] = u
		th.unitCols = append(th.unitCols, col)
	}
	return th, ok
}

// columnHasValues reports whether column col holds a number between the
// header row and the signature block.
func columnHasValues(g *sheetGrid, header, col int) bool {
	for r := header + 1; r < len(g.rows) && !rowIsSignature(g, r); r++ {
		if g.at(r, col).num || !emptyMarkers[g.text(r, col)] && isNumberLike(g.text(r, col)) {
			return true
		}
	}
	return false
}

// isNumberLike reports whether s starts like a number, so that a text
// column of notes is not taken for values.
func isNumberLike(s string) bool {
	s = strings.TrimLeft(strings.TrimSpace(s), "+-−")
	return s != "" && s[0] >= '0' && s[0] <= '9'
}

// rowOfColumnNumbers reports whether every cell of row r is a column label
// like "(1)", "A" or "3=2/1": the numbering row under a header.
// Plain numbers count only when they run 1, 2, 3… across the row, so that
// a data row of small numbers is not taken for one.
func rowOfColumnNumbers(g *sheetGrid, r int) bool {
	var nums []int
	labelled := false
	for c := 0; c < g.width(r); c++ {
		t := g.text(r, c)
		if t == "" {
			continue
		}
		if !isColumnNumber(t) {
			return false
		}
		if n, err := strconv.Atoi(t); err == nil {
			nums = append(nums, n)
		} else {
			labelled = true
		}
	}
	if labelled {
		return true
	}
	for i := 1; i < len(nums); i++ {
		if nums[i] != nums[i-1]+1 {
			return false
		}
	}
	return len(nums) > 1
}
