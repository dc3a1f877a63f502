package ingest

import (
	"strings"

	"github.com/thidua/thidua"
)

// Field names of the columns readers look for. A header cell names a field
// when its HeaderKey equals the HeaderKey of one of the field's names.
const (
	FieldUnit          = "unit"
	FieldUnitCode      = "unit_code"
	FieldIndicator     = "indicator"
	FieldIndicatorCode = "indicator_code"
	FieldPeriod        = "period"
	FieldValue         = "value"
	FieldBasis         = "basis"
	FieldYTD           = "ytd"
	FieldTarget        = "target"
	FieldYear          = "year"
	FieldPoints        = "points"
	FieldReason        = "reason"
)

// ColumnSpec describes one column a reader wants.
type ColumnSpec struct {
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

// LongColumns are the columns of a long CSV (one fact per row).
var LongColumns = []ColumnSpec{
	{FieldUnit, namesUnit, false},
	{FieldUnitCode, namesUnitCode, false},
	{FieldIndicator, namesIndicator, false},
	{FieldIndicatorCode, namesIndicatorCode, false},
	{FieldPeriod, namesPeriod, true},
	{FieldValue, namesValue, true},
	{FieldBasis, namesBasis, false},
	{FieldTarget, namesTarget, false},
	{FieldYTD, namesYTD, false},
}

// TargetColumns are the columns of a targets file.
var TargetColumns = []ColumnSpec{
	{FieldUnit, namesUnit, false},
	{FieldUnitCode, namesUnitCode, false},
	{FieldIndicator, namesIndicator, false},
	{FieldIndicatorCode, namesIndicatorCode, false},
	{FieldYear, namesYear, true},
	{FieldTarget, namesTarget, true},
}

// BonusColumns are the columns of a bonus file.
var BonusColumns = []ColumnSpec{
	{FieldUnit, namesUnit, false},
	{FieldUnitCode, namesUnitCode, false},
	{FieldPeriod, namesPeriod, true},
	{FieldPoints, namesPoints, true},
	{FieldReason, []string{"reason", "lý do", "căn cứ", "ghi chú", "note"}, false},
}

// HeaderKey reduces a header cell to the key columns are matched by: case,
// diacritics (đ→d), spaces, underscores and punctuation are ignored, and a
// trailing parenthesis is dropped, so "Mã đơn vị", "MA_DON_VI" and
// "ma don vi (code)" all give "madonvi".
func HeaderKey(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexAny(s, "(["); i > 0 {
		s = s[:i]
	}
	return strings.ReplaceAll(thidua.Fold(s), " ", "")
}

// Header is a matched header row: the index of each field found.
type Header struct {
	Index map[string]int // field → 0-based column
	Names []string       // the header cells as written (NFC, trimmed)
}

// Has reports whether the field's column is present.
func (h Header) Has(field string) bool { _, ok := h.Index[field]; return ok }

// Get returns the cell of field in row, and whether the column exists.
func (h Header) Get(row []string, field string) (string, bool) {
	i, ok := h.Index[field]
	if !ok || i >= len(row) {
		return "", ok
	}
	return row[i], true
}

// Name returns the header of field's column as written, or the field name.
func (h Header) Name(field string) string {
	if i, ok := h.Index[field]; ok && i < len(h.Names) && h.Names[i] != "" {
		return h.Names[i]
	}
	return field
}

// MatchHeader finds the columns of specs in the header row cells. Columns it
// does not know are ignored. It reports a problem at pos for every required
// field missing, for a unit without unit or unit_code, an indicator without
// indicator or indicator_code (when specs name them), and for two columns
// naming the same field.
func MatchHeader(cells []string, specs []ColumnSpec, pos thidua.Pos) (Header, []thidua.Problem) {
	h := Header{Index: map[string]int{}, Names: make([]string, len(cells))}
	keys := map[string]string{}
	for _, sp := range specs {
		for _, n := range sp.Names {
			if _, dup := keys[HeaderKey(n)]; !dup {
				keys[HeaderKey(n)] = sp.Field
			}
		}
	}
	var probs []thidua.Problem
	for i, c := range cells {
		c = strings.TrimSpace(NFC(c))
		h.Names[i] = c
		f, ok := keys[HeaderKey(c)]
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
		if sp.Required && !h.Has(sp.Field) {
			probs = append(probs, thidua.Problem{Pos: pos, Err: missingColumn(sp)})
		}
	}
	for _, pair := range [][2]string{{FieldUnit, FieldUnitCode}, {FieldIndicator, FieldIndicatorCode}} {
		if has[pair[0]] && has[pair[1]] && !h.Has(pair[0]) && !h.Has(pair[1]) {
			for _, sp := range specs {
				if sp.Field == pair[0] {
					probs = append(probs, thidua.Problem{Pos: pos, Err: missingColumn(sp)})
				}
			}
		}
	}
	return h, probs
}

func missingColumn(sp ColumnSpec) *ColumnError {
	return &ColumnError{Field: sp.Field, Names: sp.Names, Err: ErrMissingColumn}
}
