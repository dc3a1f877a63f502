package ingest

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/thidua/thidua"
)

// formSheet is the name of the visible sheet of a form template.
const formSheet = "Báo cáo"

// Template layout: rows (1-based) and columns.
const (
	tplPeriodRow = 4
	tplUnitRow   = 5
	tplHeaderRow = 7
	tplFirstRow  = 9 // first indicator row; row 8 holds column numbers
)

var tplHeaders = []string{"STT", "Mã", "Chỉ tiêu", "ĐVT", "Kế hoạch năm %d", "Thực hiện %s", "Lũy kế từ đầu năm", "Ghi chú"}

// periodTitle returns the Vietnamese way a report form names period p:
// "Tháng 6/2020", "Quý II/2020", "6 tháng đầu năm 2020", "9 tháng năm 2020",
// "Năm 2020". thidua.ParsePeriod reads each back.
func periodTitle(p thidua.Period) string {
	switch p.Type {
	case thidua.Month:
		return fmt.Sprintf("Tháng %d/%d", p.N, p.Year)
	case thidua.Quarter:
		return fmt.Sprintf("Quý %s/%d", []string{"", "I", "II", "III", "IV"}[p.N], p.Year)
	case thidua.Half:
		if p.N == 1 {
			return fmt.Sprintf("6 tháng đầu năm %d", p.Year)
		}
		return fmt.Sprintf("6 tháng cuối năm %d", p.Year)
	case thidua.YTD9:
		return fmt.Sprintf("9 tháng năm %d", p.Year)
	}
	return fmt.Sprintf("Năm %d", p.Year)
}

// templateIndicators returns the indicators a form template has a row for:
// every indicator but the ratios without an annual target. A ratio's value
// is computed from its parts, so its row (the poverty rate's) has only the
// annual target cell; the parts (poor households, households) are asked for
// even though dashboards hide them, since the ratio cannot be computed
// without them.
func templateIndicators(c *thidua.Cluster) []thidua.Indicator {
	var out []thidua.Indicator
	for _, ind := range c.Indicators {
		if ind.Agg != thidua.Ratio || ind.HasTarget {
			out = append(out, ind)
		}
	}
	return out
}

// templateNumFmt is the number format of an indicator's cells in a form:
// whole numbers for counts ("#,##0"), else the indicator's decimals
// ("#,##0.0" for one). A spreadsheet shows the separators of its regional
// settings (1.234,5 under Vietnamese ones).
func templateNumFmt(ind thidua.Indicator) string {
	if ind.Integer || ind.Decimals <= 0 {
		return "#,##0"
	}
	return "#,##0." + strings.Repeat("0", min(ind.Decimals, 9))
}

// TemplateOptions are the choices of WriteTemplates.
type TemplateOptions struct {
	// Units are the codes of the units to write a form for; empty: every
	// unit of the cluster valid in the period.
	Units []string
	// Targets prefill the annual targets: Targets[unit][indicator].
	Targets map[string]map[string]float64
	// Now is the generation time, the forms' created and modified date;
	// zero means time.Now().
	Now time.Time
}

// WriteTemplates writes one ready-to-fill report form per unit into dir, for
// the units opts.Units (every unit of the cluster valid in period p when
// empty), and returns the paths written. Each form names its unit and period,
// has one row per indicator of templateIndicators with STT, code, name,
// measure, the annual target (for every indicator with one, ratios included;
// prefilled from opts.Targets[unit][indicator] when known), Thực hiện, Lũy
// kế (not for a ratio, computed from its parts) and Ghi chú, and below the
// table the signature block; its input cells accept only numbers ≥ 0 (whole
// numbers for counts) and show them with the indicator's decimals
// (templateNumFmt), its labels are locked (sheet protection without
// password, input cells unlocked), and a very hidden sheet templateSheet
// names templateVersion, the cluster, the unit and the period. The file's
// properties name the cluster as author and opts.Now as its date. Files are
// named UNIT_PERIOD.xlsx, e.g. 060_2020-H1.xlsx, mode 0644. readXLSX reads
// a filled form back.
func WriteTemplates(dir string, c *thidua.Cluster, p thidua.Period, opts TemplateOptions) ([]string, error) {
	unitCodes, targets := opts.Units, opts.Targets
	now := opts.Now
	if now.IsZero() {
		now = time.Now()
	}
	if c == nil {
		return nil, fmt.Errorf("write templates: no cluster")
	}
	if !p.Valid() {
		return nil, fmt.Errorf("write templates: invalid period %s", p)
	}
	var units []thidua.Unit
	if len(unitCodes) == 0 {
		for _, u := range c.Units {
			if u.ValidOn(p.End()) || u.ValidOn(p.Start()) {
				units = append(units, u)
			}
		}
		if len(units) == 0 {
			return nil, fmt.Errorf("write templates: no unit of cluster %s existed in %s", c.Code, p)
		}
	}
	for _, code := range unitCodes {
		u, ok := c.Unit(code)
		if !ok {
			return nil, fmt.Errorf("write templates: unknown unit code %q", code)
		}
		if !u.ValidOn(p.End()) && !u.ValidOn(p.Start()) {
			return nil, fmt.Errorf("write templates: unit %s (%s) did not exist in %s", u.Code, u.Name, p)
		}
		units = append(units, u)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("write templates: %w", err)
	}
	var paths []string
	for _, u := range units {
		if !thidua.ValidCode(u.Code) {
			return paths, fmt.Errorf("write templates: unit code %q is not safe as a file name", u.Code)
		}
		path := filepath.Join(dir, u.Code+"_"+p.String()+".xlsx")
		if err := writeTemplate(path, c, p, u, targets[u.Code], now); err != nil {
			return paths, fmt.Errorf("write template %s: %w", path, err)
		}
		paths = append(paths, path)
	}
	return paths, nil
}

func writeTemplate(path string, c *thidua.Cluster, p thidua.Period, u thidua.Unit, targets map[string]float64, now time.Time) error {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", formSheet); err != nil {
		return err
	}
	st, err := newTemplateStyles(f)
	if err != nil {
		return err
	}
	w := &formWriter{f: f, sh: formSheet, st: st, inputs: map[string]int{}}
	w.head(c, p, u)
	inds := templateIndicators(c)
	for i, ind := range inds {
		w.indicatorRow(tplFirstRow+i, i+1, ind, targets)
	}
	w.signature(tplFirstRow + len(inds) + 1)
	w.layout()
	if w.err != nil {
		return w.err
	}
	if err := writeTemplateRecord(f, c, u, p); err != nil {
		return err
	}
	f.SetActiveSheet(0)
	if err := setTemplateProps(f, c, u, p, now); err != nil {
		return err
	}
	return writeAtomic(path, func(w io.Writer) error { _, err := f.WriteTo(w); return err })
}

// templateStyles are the cell styles of a form template.
type templateStyles struct {
	title, bold, header, label, notApplicable, center, italic, note int
	border                                                          []excelize.Border
}

// newTemplateStyles adds the form's fixed styles to f; the input cells'
// styles, one per number format, are added as they are needed
// (formWriter.input).
func newTemplateStyles(f *excelize.File) (templateStyles, error) {
	border := []excelize.Border{{Type: "left", Color: "000000", Style: 1}, {Type: "right", Color: "000000", Style: 1}, {Type: "top", Color: "000000", Style: 1}, {Type: "bottom", Color: "000000", Style: 1}}
	st := templateStyles{border: border}
	for _, s := range []struct {
		id    *int
		style excelize.Style
	}{
		{&st.title, excelize.Style{Font: &excelize.Font{Bold: true, Size: 13}, Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true}}},
		{&st.bold, excelize.Style{Font: &excelize.Font{Bold: true}}},
		{&st.header, excelize.Style{Font: &excelize.Font{Bold: true}, Border: border, Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true}, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDEBF7"}}}},
		{&st.label, excelize.Style{Border: border, Alignment: &excelize.Alignment{Vertical: "center", WrapText: true}}},
		{&st.notApplicable, excelize.Style{Border: border, Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center"}}},
		{&st.center, excelize.Style{Font: &excelize.Font{Bold: true}, Alignment: &excelize.Alignment{Horizontal: "center"}}},
		{&st.italic, excelize.Style{Font: &excelize.Font{Italic: true}, Alignment: &excelize.Alignment{Horizontal: "center"}}},
		{&st.note, excelize.Style{Border: border, Protection: &excelize.Protection{Locked: false}, Alignment: &excelize.Alignment{WrapText: true}}},
	} {
		id, err := f.NewStyle(&s.style)
		if err != nil {
			return st, err
		}
		*s.id = id
	}
	return st, nil
}

// formWriter writes the form sheet of a template, keeping the first error
// (later calls do nothing).
type formWriter struct {
	f      *excelize.File
	sh     string
	st     templateStyles
	inputs map[string]int // number format → style of input cells
	err    error
}

func (w *formWriter) check(err error) {
	if w.err == nil {
		w.err = err
	}
}

func (w *formWriter) set(cell string, v any) {
	if w.err == nil {
		w.err = w.f.SetCellValue(w.sh, cell, v)
	}
}

func (w *formWriter) style(from, to string, id int) {
	if w.err == nil {
		w.err = w.f.SetCellStyle(w.sh, from, to, id)
	}
}

func (w *formWriter) merge(from, to string) {
	if w.err == nil {
		w.err = w.f.MergeCell(w.sh, from, to)
	}
}

// input returns the style of ind's input cells: unlocked, shaded, with its
// number format.
func (w *formWriter) input(ind thidua.Indicator) int {
	numFmt := templateNumFmt(ind)
	if id, ok := w.inputs[numFmt]; ok {
		return id
	}
	id, err := w.f.NewStyle(&excelize.Style{Border: w.st.border, Protection: &excelize.Protection{Locked: false}, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"FFF2CC"}}, CustomNumFmt: &numFmt})
	w.check(err)
	w.inputs[numFmt] = id
	return id
}

// head writes the cluster's name, the title, the period and unit lines and
// the table's header with its row of column numbers.
func (w *formWriter) head(c *thidua.Cluster, p thidua.Period, u thidua.Unit) {
	w.set("A1", c.Name)
	w.merge("A1", "H1")
	w.style("A1", "H1", w.st.bold)
	w.set("A2", "BÁO CÁO KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU THI ĐUA")
	w.merge("A2", "H2")
	w.style("A2", "H2", w.st.title)
	w.set(fmt.Sprintf("A%d", tplPeriodRow), "Kỳ báo cáo:")
	w.set(fmt.Sprintf("C%d", tplPeriodRow), periodTitle(p))
	w.set(fmt.Sprintf("A%d", tplUnitRow), "Đơn vị báo cáo:")
	w.set(fmt.Sprintf("C%d", tplUnitRow), u.Name)
	w.style(fmt.Sprintf("A%d", tplPeriodRow), fmt.Sprintf("A%d", tplUnitRow), w.st.bold)
	w.style(fmt.Sprintf("C%d", tplPeriodRow), fmt.Sprintf("C%d", tplUnitRow), w.st.bold)
	for i, h := range tplHeaders {
		col, _ := excelize.ColumnNumberToName(i + 1)
		switch i {
		case 4:
			h = fmt.Sprintf(h, p.Year)
		case 5:
			h = fmt.Sprintf(h, periodTitle(p))
		}
		w.set(fmt.Sprintf("%s%d", col, tplHeaderRow), h)
		w.set(fmt.Sprintf("%s%d", col, tplHeaderRow+1), fmt.Sprintf("(%d)", i+1))
	}
	w.style(fmt.Sprintf("A%d", tplHeaderRow), fmt.Sprintf("H%d", tplHeaderRow+1), w.st.header)
}

// indicatorRow writes row r, number n of the table, for indicator ind: its
// labels, the annual target prefilled from targets (or "x" when ind has
// none), the input cells and their validation.
func (w *formWriter) indicatorRow(r, n int, ind thidua.Indicator, targets map[string]float64) {
	w.set(fmt.Sprintf("A%d", r), n)
	w.set(fmt.Sprintf("B%d", r), ind.Code)
	w.set(fmt.Sprintf("C%d", r), ind.Name)
	w.set(fmt.Sprintf("D%d", r), ind.Measure)
	w.style(fmt.Sprintf("A%d", r), fmt.Sprintf("D%d", r), w.st.label)
	if ind.HasTarget {
		w.style(fmt.Sprintf("E%d", r), fmt.Sprintf("E%d", r), w.input(ind))
		if v, ok := targets[ind.Code]; ok {
			w.set(fmt.Sprintf("E%d", r), v)
		}
	} else {
		w.set(fmt.Sprintf("E%d", r), "x")
		w.style(fmt.Sprintf("E%d", r), fmt.Sprintf("E%d", r), w.st.notApplicable)
	}
	// A ratio's value is computed from its parts' rows: its row takes
	// the annual target only.
	from, to := "E", "G"
	if ind.Agg == thidua.Ratio {
		w.set(fmt.Sprintf("F%d", r), "x")
		w.set(fmt.Sprintf("G%d", r), "x")
		w.style(fmt.Sprintf("F%d", r), fmt.Sprintf("G%d", r), w.st.notApplicable)
		to = "E"
	} else {
		w.style(fmt.Sprintf("F%d", r), fmt.Sprintf("G%d", r), w.input(ind))
	}
	w.style(fmt.Sprintf("H%d", r), fmt.Sprintf("H%d", r), w.st.note)
	if !ind.HasTarget {
		from = "F"
	}
	dv := w.validation(ind)
	dv.Sqref = fmt.Sprintf("%s%d:%s%d", from, r, to, r)
	if w.err == nil {
		w.err = w.f.AddDataValidation(w.sh, dv)
	}
}

// validation is the data validation of ind's input cells: a number ≥ its
// minimum (0 by default) and ≤ its maximum when it has one, whole for
// counts.
func (w *formWriter) validation(ind thidua.Indicator) *excelize.DataValidation {
	dv := excelize.NewDataValidation(true)
	typ := excelize.DataValidationTypeDecimal
	if ind.Integer {
		typ = excelize.DataValidationTypeWhole
	}
	lo := 0.0
	if ind.Min != nil {
		lo = *ind.Min
	}
	switch {
	case ind.Max != nil:
		w.check(dv.SetRange(lo, *ind.Max, typ, excelize.DataValidationOperatorBetween))
	case ind.Integer:
		w.check(dv.SetRange(int(lo), 0, typ, excelize.DataValidationOperatorGreaterThanOrEqual))
	default:
		w.check(dv.SetRange(lo, 0.0, typ, excelize.DataValidationOperatorGreaterThanOrEqual))
	}
	if ind.Max == nil {
		dv.Formula2 = "" // one bound: no second formula
	}
	dv.SetError(excelize.DataValidationErrorStyleStop, "Chỉ nhập số", fmt.Sprintf("Nhập một số ≥ %v (%s)", lo, ind.Measure))
	return dv
}

// signature writes the signature block from row sig, in visible columns
// (B, the codes, is hidden): the preparer under the indicator names, the
// head of the unit under the values.
func (w *formWriter) signature(sig int) {
	w.set(fmt.Sprintf("C%d", sig), "Người lập biểu")
	w.set(fmt.Sprintf("F%d", sig), "Thủ trưởng đơn vị")
	w.set(fmt.Sprintf("C%d", sig+1), "(Ký, ghi rõ họ tên)")
	w.set(fmt.Sprintf("F%d", sig+1), "(Ký tên, đóng dấu)")
	w.merge(fmt.Sprintf("F%d", sig), fmt.Sprintf("H%d", sig))
	w.merge(fmt.Sprintf("F%d", sig+1), fmt.Sprintf("H%d", sig+1))
	w.style(fmt.Sprintf("C%d", sig), fmt.Sprintf("H%d", sig), w.st.center)
	w.style(fmt.Sprintf("C%d", sig+1), fmt.Sprintf("H%d", sig+1), w.st.italic)
}

// layout sets the column widths, hides the code column, freezes the header
// and protects the sheet (input cells stay unlocked).
func (w *formWriter) layout() {
	for col, width := range map[string]float64{"A": 6, "B": 18, "C": 46, "D": 12, "E": 16, "F": 18, "G": 16, "H": 20} {
		if w.err == nil {
			w.err = w.f.SetColWidth(w.sh, col, col, width)
		}
	}
	if w.err == nil {
		w.err = w.f.SetColVisible(w.sh, "B", false)
	}
	if w.err == nil {
		w.err = w.f.SetPanes(w.sh, &excelize.Panes{Freeze: true, YSplit: tplFirstRow - 1, TopLeftCell: fmt.Sprintf("A%d", tplFirstRow), ActivePane: "bottomLeft"})
	}
	if w.err == nil {
		w.err = w.f.ProtectSheet(w.sh, &excelize.SheetProtectionOptions{SelectLockedCells: true, SelectUnlockedCells: true, FormatColumns: true, FormatRows: true})
	}
}

// writeTemplateRecord adds the very hidden sheet naming the template: its
// version, the cluster, the unit and the period (read back by
// readTemplateSheet).
func writeTemplateRecord(f *excelize.File, c *thidua.Cluster, u thidua.Unit, p thidua.Period) error {
	if _, err := f.NewSheet(templateSheet); err != nil {
		return err
	}
	for i, kv := range [][2]string{{"template", templateVersion}, {"cluster", c.Code}, {"unit", u.Code}, {"period", p.String()}} {
		if err := f.SetCellStr(templateSheet, fmt.Sprintf("A%d", i+1), kv[0]); err != nil {
			return err
		}
		if err := f.SetCellStr(templateSheet, fmt.Sprintf("B%d", i+1), kv[1]); err != nil {
			return err
		}
	}
	if err := f.SetSheetVisible(templateSheet, false, true); err != nil {
		return err
	}
	return f.ProtectSheet(templateSheet, &excelize.SheetProtectionOptions{})
}

// setTemplateProps sets the file's properties: the cluster made it, on the
// generation date (not the library's name and its 2006 default).
func setTemplateProps(f *excelize.File, c *thidua.Cluster, u thidua.Unit, p thidua.Period, now time.Time) error {
	date := now.UTC().Format(time.RFC3339)
	if err := f.SetDocProps(&excelize.DocProperties{
		Creator: c.Name, LastModifiedBy: c.Name, Created: date, Modified: date,
		Title:    fmt.Sprintf("Báo cáo kết quả thực hiện các chỉ tiêu thi đua – %s – %s", u.Name, periodTitle(p)),
		Language: "vi-VN",
	}); err != nil {
		return err
	}
	return f.SetAppProps(&excelize.AppProperties{Application: "thidua", Company: c.Name})
}
