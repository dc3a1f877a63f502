package ingest

import (
	"strings"

	"github.com/thidua/thidua"
)

// The field names of the columns readers look for. A header cell names a field
// when its headerKey equals the headerKey of one of the field's names.
const (
	fieldUnit          = "unit"
	fieldUnitCode      = "unit_code"
	fieldIndicator     = "indicator"
	fieldIndicatorCode = "indicator_code"
	fieldPeriod        = "period"
	fieldValue         = "value"
	fieldBasis         = "basis"
	fieldYTD           = "ytd"
	fieldTarget        = "target"
	fieldYear          = "year"
	fieldPoints        = "points"
	fieldReason        = "reason"
)

// columnSpec describes one column a reader wants.
type columnSpec struct {
	Field    string
	Names    []string // English and Vietnamese names; the first is shown in messages
	Required bool
}

// Column names, English and Vietnamese. "Chỉ tiêu" is always the indicator
// (the Vietnamese word means both "indicator" and "assigned quota"); a
// target column is "kế hoạch năm", "kế hoạch", "chỉ tiêu giao", "dự toán".
var (
	namesUnit          = []string{"unit", "đơn vị", "tên đơn vị", "unit name", "huyện", "địa phương", "district"}
	namesUnitCode      = []string{"unit_code", "mã đơn vị", "mã đv", "mã huyện", "unit code"}
	namesIndicator     = []string{"indicator", "chỉ tiêu", "tên chỉ tiêu", "indicator name", "nội dung"}
	namesIndicatorCode = []string{"indicator_code", "mã chỉ tiêu", "indicator code"}
	namesPeriod        = []string{"period", "kỳ", "kỳ báo cáo", "thời gian", "thời kỳ", "reporting period"}
	namesValue         = []string{"value", "giá trị", "thực hiện", "số liệu", "thực hiện trong kỳ", "số thực hiện", "actual"}
	namesBasis         = []string{"basis", "cách tính", "loại số liệu", "kiểu số liệu"}
	namesYTD           = []string{"ytd", "lũy kế", "luỹ kế", "lũy kế từ đầu năm", "cộng dồn", "ytd_value", "year to date"}
	namesTarget        = []string{"target", "kế hoạch năm", "kế hoạch", "chỉ tiêu giao", "chỉ tiêu kế hoạch", "dự toán", "dự toán giao", "kh năm", "annual target", "plan"}
	namesYear          = []string{"year", "năm", "năm kế hoạch"}
	namesPoints        = []string{"points", "điểm", "điểm thưởng", "số điểm", "bonus"}
	namesReason        = []string{"reason", "lý do", "nội dung", "ghi chú", "căn cứ", "note"}
)

// longColumns are the columns of a long CSV (one fact per row).
var longColumns = []columnSpec{
	{fieldUnit, namesUnit, false},
	{fieldUnitCode, namesUnitCode, false},
	{fieldIndicator, namesIndicator, false},
	{fieldIndicatorCode, namesIndicatorCode, false},
	{fieldPeriod, namesPeriod, true},
	{fieldValue, namesValue, true},
	{fieldBasis, namesBasis, false},
	{fieldTarget, namesTarget, false},
	{fieldYTD, namesYTD, false},
}

// targetColumns are the columns of a targets file.
var targetColumns = []columnSpec{
	{fieldUnit, namesUnit, false},
	{fieldUnitCode, namesUnitCode, false},
	{fieldIndicator, namesIndicator, false},
	{fieldIndicatorCode, namesIndicatorCode, false},
	{fieldYear, namesYear, true},
	{fieldTarget, namesTarget, true},
}

// bonusColumns are the columns of a bonus file.
var bonusColumns = []columnSpec{
	{fieldUnit, namesUnit, false},
	{fieldUnitCode, namesUnitCode, false},
	{fieldPeriod, namesPeriod, true},
	{fieldPoints, namesPoints, true},
	{fieldReason, []string{"reason", "lý do", "căn cứ", "ghi chú", "note"}, false},
}

// headerKey reduces a header cell to the key columns are matched by: case,
// diacritics (đ→d), spaces, underscores and punctuation are ignored, and a
// trailing parenthesis is dropped, so "Mã đơn vị", "MA_DON_VI" and
// "ma don vi (code)" all give "madonvi".
func headerKey(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexAny(s, "(["); i > 0 {
		s = s[:i]
	}
	return strings.ReplaceAll(thidua.Fold(s), " ", "")
}

// header is a matched header row: the index of each field found.
type header struct {
	Index map[string]int // field → 0-based column
	Names []string       // the header cells as written (NFC, trimmed)
}

// has reports whether the field's column is present.
func (h header) has(field string) bool { _, ok := h.Index[field]; return ok }

// get returns the cell of field in row, and whether the column exists.
func (h header) get(row []string, field string) (string, bool) {
	i, ok := h.Index[field]
	if !ok || i >= len(row) {
		return "", ok
	}
	return row[i], true
}

// name returns the header of field's column as written, or the field name.
func (h header) name(field string) string {
	if i, ok := h.Index[field]; ok && i < len(h.Names) && h.Names[i] != "" {
		return h.Names[i]
	}
	return field
}

// matchHeader finds the columns of specs in the header row cells. Columns it
// does not know are ignored. It reports a problem at pos for every required
// field missing, for a unit without unit or unit_code, an indicator without
// indicator or indicator_code (when specs name them), and for two columns
// naming the same field.
func matchHeader(cells []string, specs []columnSpec, pos thidua.Pos) (header, []thidua.Problem) {
	h := header{Index: map[string]int{}, Names: make([]string, len(cells))}
	keys := map[string]string{}
	for _, sp := range specs {
		for _, n := range sp.Names {
			if _, dup := keys[headerKey(n)]; !dup {
				keys[headerKey(n)] = sp.Field
			}
		}
	}
	var probs []thidua.Problem
	for i, c := range cells {
		// A copy: every fact's position names its column, and a cell of
		// a CSV file is a substring of the whole file's text, which the
		// facts would otherwise keep alive (33 MB of a 34 MB file through
		// the load into DuckDB, at 336,000 facts).
		c = strings.Clone(strings.TrimSpace(NFC(c)))
		h.Names[i] = c
		f, ok := keys[headerKey(c)]
		if !ok {
			continue
		}
		if j, dup := h.Index[f]; dup {
			p := pos
			p.Column = c
			probs = append(probs, thidua.Problem{Pos: p, Err: &ColumnError{Field: f, Names: []string{h.Names[j], c}, Err: ErrDuplicateColumn}})
			continue
		}
		h.Index[f] = i
	}
	has := map[string]bool{}
	for _, sp := range specs {
		has[sp.Field] = true
	}
	for _, sp := range specs {
		if sp.Required && !h.has(sp.Field) {
			probs = append(probs, thidua.Problem{Pos: pos, Err: missingColumn(sp)})
		}
	}
	for _, pair := range [][2]string{{fieldUnit, fieldUnitCode}, {fieldIndicator, fieldIndicatorCode}} {
		if has[pair[0]] && has[pair[1]] && !h.has(pair[0]) && !h.has(pair[1]) {
			for _, sp := range specs {
				if sp.Field == pair[0] {
					probs = append(probs, thidua.Problem{Pos: pos, Err: missingColumn(sp)})
				}
			}
		}
	}
	return h, probs
}

func missingColumn(sp columnSpec) *ColumnError {
	return &ColumnError{Field: sp.Field, Names: sp.Names, Err: ErrMissingColumn}
}
