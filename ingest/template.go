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
	sh := formSheet
	title, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true, Size: 13}, Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true}})
	if err != nil {
		return err
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return err
	}
	border := []excelize.Border{{Type: "left", Color: "000000", Style: 1}, {Type: "right", Color: "000000", Style: 1}, {Type: "top", Color: "000000", Style: 1}, {Type: "bottom", Color: "000000", Style: 1}}
	header, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Border: border, Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true}, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDEBF7"}}})
	if err != nil {
		return err
	}
	label, err := f.NewStyle(&excelize.Style{Border: border, Alignment: &excelize.Alignment{Vertical: "center", WrapText: true}})
	if err != nil {
		return err
	}
	// One input style per number format.
	inputs := map[string]int{}
	input := func(ind thidua.Indicator) int {
		numFmt := templateNumFmt(ind)
		if id, ok := inputs[numFmt]; ok {
			return id
		}
		id, serr := f.NewStyle(&excelize.Style{Border: border, Protection: &excelize.Protection{Locked: false}, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"FFF2CC"}}, CustomNumFmt: &numFmt})
		if err == nil {
			err = serr
		}
		inputs[numFmt] = id
		return id
	}
	notApplicable, err := f.NewStyle(&excelize.Style{Border: border, Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center"}})
	if err != nil {
		return err
	}
	center, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Alignment: &excelize.Alignment{Horizontal: "center"}})
	if err != nil {
		return err
	}
	italic, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Italic: true}, Alignment: &excelize.Alignment{Horizontal: "center"}})
	if err != nil {
		return err
	}
	note, err := f.NewStyle(&excelize.Style{Border: border, Protection: &excelize.Protection{Locked: false}, Alignment: &excelize.Alignment{WrapText: true}})
	if err != nil {
		return err
	}
	set := func(cell string, v any) {
		if err == nil {
			err = f.SetCellValue(sh, cell, v)
		}
	}
	style := func(from, to string, id int) {
		if err == nil {
			err = f.SetCellStyle(sh, from, to, id)
		}
	}
	merge := func(from, to string) {
		if err == nil {
			err = f.MergeCell(sh, from, to)
		}
	}
	set("A1", c.Name)
	merge("A1", "H1")
	style("A1", "H1", bold)
	set("A2", "BÁO CÁO KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU THI ĐUA")
	merge("A2", "H2")
	style("A2", "H2", title)
	set(fmt.Sprintf("A%d", tplPeriodRow), "Kỳ báo cáo:")
	set(fmt.Sprintf("C%d", tplPeriodRow), periodTitle(p))
	set(fmt.Sprintf("A%d", tplUnitRow), "Đơn vị báo cáo:")
	set(fmt.Sprintf("C%d", tplUnitRow), u.Name)
	style(fmt.Sprintf("A%d", tplPeriodRow), fmt.Sprintf("A%d", tplUnitRow), bold)
	style(fmt.Sprintf("C%d", tplPeriodRow), fmt.Sprintf("C%d", tplUnitRow), bold)
	for i, h := range tplHeaders {
		col, _ := excelize.ColumnNumberToName(i + 1)
		switch i {
		case 4:
			h = fmt.Sprintf(h, p.Year)
		case 5:
			h = fmt.Sprintf(h, periodTitle(p))
		}
		set(fmt.Sprintf("%s%d", col, tplHeaderRow), h)
		set(fmt.Sprintf("%s%d", col, tplHeaderRow+1), fmt.Sprintf("(%d)", i+1))
	}
	style(fmt.Sprintf("A%d", tplHeaderRow), fmt.Sprintf("H%d", tplHeaderRow+1), header)
	inds := templateIndicators(c)
	last := tplFirstRow + len(inds) - 1
	for i, ind := range inds {
		r := tplFirstRow + i
		set(fmt.Sprintf("A%d", r), i+1)
		set(fmt.Sprintf("B%d", r), ind.Code)
		set(fmt.Sprintf("C%d", r), ind.Name)
		set(fmt.Sprintf("D%d", r), ind.Measure)
		style(fmt.Sprintf("A%d", r), fmt.Sprintf("D%d", r), label)
		if ind.HasTarget {
			style(fmt.Sprintf("E%d", r), fmt.Sprintf("E%d", r), input(ind))
			if v, ok := targets[ind.Code]; ok {
				set(fmt.Sprintf("E%d", r), v)
			}
		} else {
			set(fmt.Sprintf("E%d", r), "x")
			style(fmt.Sprintf("E%d", r), fmt.Sprintf("E%d", r), notApplicable)
		}
		// A ratio's value is computed from its parts' rows: its row takes
		// the annual target only.
		from, to := "E", "G"
		if ind.Agg == thidua.Ratio {
			set(fmt.Sprintf("F%d", r), "x")
			set(fmt.Sprintf("G%d", r), "x")
			style(fmt.Sprintf("F%d", r), fmt.Sprintf("G%d", r), notApplicable)
			to = "E"
		} else {
			style(fmt.Sprintf("F%d", r), fmt.Sprintf("G%d", r), input(ind))
		}
		style(fmt.Sprintf("H%d", r), fmt.Sprintf("H%d", r), note)
		if !ind.HasTarget {
			from = "F"
		}
		dv := excelize.NewDataValidation(true)
		dv.Sqref = fmt.Sprintf("%s%d:%s%d", from, r, to, r)
		typ := excelize.DataValidationTypeDecimal
		if ind.Integer {
			typ = excelize.DataValidationTypeWhole
		}
		lo := 0.0
		if ind.Min != nil {
			lo = *ind.Min
		}
		if ind.Max != nil {
			err = tplJoinErr(err, dv.SetRange(lo, *ind.Max, typ, excelize.DataValidationOperatorBetween))
		} else if ind.Integer {
			err = tplJoinErr(err, dv.SetRange(int(lo), 0, typ, excelize.DataValidationOperatorGreaterThanOrEqual))
		} else {
			err = tplJoinErr(err, dv.SetRange(lo, 0.0, typ, excelize.DataValidationOperatorGreaterThanOrEqual))
		}
		if ind.Max == nil {
			dv.Formula2 = "" // one bound: no second formula
		}
		dv.SetError(excelize.DataValidationErrorStyleStop, "Chỉ nhập số", fmt.Sprintf("Nhập một số ≥ %v (%s)", lo, ind.Measure))
		if err == nil {
			err = f.AddDataValidation(sh, dv)
		}
	}
	// The signature block, in visible columns (B, the codes, is hidden):
	// the preparer under the indicator names, the head of the unit under
	// the values.
	sig := last + 2
	set(fmt.Sprintf("C%d", sig), "Người lập biểu")
	set(fmt.Sprintf("F%d", sig), "Thủ trưởng đơn vị")
	set(fmt.Sprintf("C%d", sig+1), "(Ký, ghi rõ họ tên)")
	set(fmt.Sprintf("F%d", sig+1), "(Ký tên, đóng dấu)")
	merge(fmt.Sprintf("F%d", sig), fmt.Sprintf("H%d", sig))
	merge(fmt.Sprintf("F%d", sig+1), fmt.Sprintf("H%d", sig+1))
	style(fmt.Sprintf("C%d", sig), fmt.Sprintf("H%d", sig), center)
	style(fmt.Sprintf("C%d", sig+1), fmt.Sprintf("H%d", sig+1), italic)
	for col, w := range map[string]float64{"A": 6, "B": 18, "C": 46, "D": 12, "E": 16, "F": 18, "G": 16, "H": 20} {
		if err == nil {
			err = f.SetColWidth(sh, col, col, w)
		}
	}
	if err == nil {
		err = f.SetColVisible(sh, "B", false)
	}
	if err == nil {
		err = f.SetPanes(sh, &excelize.Panes{Freeze: true, YSplit: tplFirstRow - 1, TopLeftCell: fmt.Sprintf("A%d", tplFirstRow), ActivePane: "bottomLeft"})
	}
	if err == nil {
		err = f.ProtectSheet(sh, &excelize.SheetProtectionOptions{SelectLockedCells: true, SelectUnlockedCells: true, FormatColumns: true, FormatRows: true})
	}
	if err != nil {
		return err
	}
	// The hidden sheet naming the template.
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
	if err := f.ProtectSheet(templateSheet, &excelize.SheetProtectionOptions{}); err != nil {
		return err
	}
	f.SetActiveSheet(0)
	// The file's properties: the cluster made it, on the generation date
	// (not the library's name and its 2006 default).
	date := now.UTC().Format(time.RFC3339)
	if err := f.SetDocProps(&excelize.DocProperties{
		Creator: c.Name, LastModifiedBy: c.Name, Created: date, Modified: date,
		Title:    fmt.Sprintf("Báo cáo kết quả thực hiện các chỉ tiêu thi đua – %s – %s", u.Name, periodTitle(p)),
		Language: "vi-VN",
	}); err != nil {
		return err
	}
	if err := f.SetAppProps(&excelize.AppProperties{Application: "thidua", Company: c.Name}); err != nil {
		return err
	}
	return writeAtomic(path, func(w io.Writer) error { _, err := f.WriteTo(w); return err })
}

func tplJoinErr(a, b error) error {
	if a != nil {
		return a
	}
	return b
}
