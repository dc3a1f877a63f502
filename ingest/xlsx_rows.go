package ingest

import (
	"iter"

	"github.com/thidua/thidua"
)

// indicatorRows walks the rows of a table with one indicator a row — a
// report form, or a cluster table with one column a unit (readTransposed):
// which indicator a row names, where the signature block starts, and the
// checks every indicator row passes before its values are read.
type indicatorRows struct {
	x                   *xlsxFile
	g                   *sheetGrid
	name, code, measure int               // columns, -1 when absent
	values              []int             // the value columns, -1 when absent
	seen                map[string]string // indicator code → cell of its first row
	signed              int               // the first row of the signature block, -1 above it
}

func newIndicatorRows(x *xlsxFile, g *sheetGrid, name, code, measure int, values []int) *indicatorRows {
	return &indicatorRows{x: x, g: g, name: name, code: code, measure: measure, values: values, seen: map[string]string{}, signed: -1}
}

// indicatorRow is what all tells of a row.
type indicatorRow struct {
	ind       thidua.Indicator
	found     bool // the row names an indicator of the cluster
	hasValues bool // a value column of the row holds a value
}

// all yields the rows from row from on that are neither empty nor in the
// signature block (belowSignature), with the indicator each names.
func (t *indicatorRows) all(from int) iter.Seq2[int, indicatorRow] {
	return func(yield func(int, indicatorRow) bool) {
		for r := from; r < len(t.g.rows); r++ {
			if t.g.emptyRow(r) {
				continue
			}
			var row indicatorRow
			row.ind, row.found, row.hasValues = t.indicator(r)
			if t.belowSignature(r, row.found, row.hasValues) {
				continue
			}
			if !yield(r, row) {
				return
			}
		}
	}
}

// names returns the texts of row r's name and code cells.
func (t *indicatorRows) names(r int) (name, code string) {
	name = t.g.text(r, t.name)
	if t.code >= 0 {
		code = t.g.text(r, t.code)
	}
	return name, code
}

// indicator returns the indicator row r names, by its code, else by its
// name, and whether a value column of the row holds a value.
func (t *indicatorRows) indicator(r int) (ind thidua.Indicator, found, hasValues bool) {
	name, code := t.names(r)
	if code != "" {
		ind, found = t.x.opts.Cluster.Indicator(code)
	}
	if !found && name != "" {
		ind, found = lookupIndicatorText(t.x.opts.Cluster, name)
	}
	for _, c := range t.values {
		if c >= 0 && !emptyMarkers[t.g.text(r, c)] {
			hasValues = true
		}
	}
	return ind, found, hasValues
}

// belowSignature reports whether row r starts the signature block
// ("Người lập biểu", dates, names) or is below it: such a row is not read.
// No indicator row is expected there; one with values is refused, not
// skipped.
func (t *indicatorRows) belowSignature(r int, found, hasValues bool) bool {
	if !found && t.signed < 0 && rowIsSignature(t.g, r) {
		t.signed = r
		return true
	}
	if t.signed < 0 {
		return false
	}
	if found && hasValues {
		t.x.layout(t.x.pos(t.g.sheet, r, t.name), ErrBelowSignature, "indicator row below the signature block that starts in row %d; move it into the table", t.signed+1)
	}
	return true
}

// accept checks row r, a row of indicator ind: the indicator's first row,
// and the unit of measure it states (when it has values) the indicator's.
// It refuses the row otherwise.
func (t *indicatorRows) accept(r int, ind thidua.Indicator, hasValues bool) bool {
	if first, dup := t.seen[ind.Code]; dup {
		t.x.refuse(t.x.pos(t.g.sheet, r, t.name), kindf(ErrTwice, "indicator %s appears twice, in %s and in %s", ind.Code, first, cellName(r, t.name)))
		return false
	}
	t.seen[ind.Code] = cellName(r, t.name)
	if t.measure >= 0 && hasValues {
		if msg := measureConflict(t.g.text(r, t.measure), ind); msg != "" {
			t.x.layout(t.x.pos(t.g.sheet, r, t.measure), ErrMeasure, "%s", msg)
			return false
		}
	}
	return true
}

// noName refuses the values of row r, which has no indicator name.
func (t *indicatorRows) noName(r int) {
	t.x.layout(t.x.pos(t.g.sheet, r, t.name), ErrNoName, "values in row %d but no indicator name in %s", r+1, cellName(r, t.name))
}

// unknown refuses row r, whose cell in column at names no indicator of the
// cluster.
func (t *indicatorRows) unknown(r, at int, name string) {
	c := t.x.opts.Cluster
	t.x.refuse(t.x.pos(t.g.sheet, r, at), indicatorRefusal(c, name, kindf(ErrUnknownIndicator, "unknown indicator %q: not a code, name or alias of an indicator of cluster %s (add it as an alias in the configuration if it is one)", name, c.Code)))
}
