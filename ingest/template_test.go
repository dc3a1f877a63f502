package ingest

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/thidua/thidua"
)

func TestPeriodTitleParses(t *testing.T) {
	for _, p := range []thidua.Period{
		thidua.MonthPeriod(2020, 6), {Type: thidua.Quarter, Year: 2020, N: 3}, {Type: thidua.Half, Year: 2020, N: 1},
		{Type: thidua.Half, Year: 2021, N: 2}, {Type: thidua.YTD9, Year: 2020, N: 9}, {Type: thidua.Year, Year: 2019},
	} {
		got, err := thidua.ParsePeriod(periodTitle(p))
		if err != nil || got != p {
			t.Errorf("ParsePeriod(periodTitle(%s) = %q) = %v, %v", p, periodTitle(p), got, err)
		}
	}
}

// TestTemplateRoundTrip writes the forms, fills one as an office would
// (numbers in the input cells, a note, some cells left empty) and reads it
// back exactly.
func TestTemplateRoundTrip(t *testing.T) {
	c := testCluster()
	dir := t.TempDir()
	p := thidua.Period{Type: thidua.Half, Year: 2020, N: 1}
	targets := map[string]map[string]float64{"060": {"budget_revenue": 18500.5, "recruits": 85}}
	paths, err := WriteTemplates(dir, c, p, TemplateOptions{Targets: targets})
	if err != nil {
		t.Fatal(err)
	}
	if len(paths) != len(c.Units) {
		t.Fatalf("wrote %d forms, want %d", len(paths), len(c.Units))
	}
	path := filepath.Join(dir, "060_2020-H1.xlsx")
	if !slices.Contains(paths, path) {
		t.Fatalf("paths %v lack %s", paths, path)
	}

	// An unfilled form reads back as the prefilled targets only.
	b, err := readXLSX(path, testOptions())
	if err != nil || len(b.Problems) > 0 {
		t.Fatalf("empty form: %v %v", err, b.Problems)
	}
	if len(b.Observations) != 0 || len(b.Targets) != 2 {
		t.Fatalf("empty form: %d observations, %d targets; want 0 and 2", len(b.Observations), len(b.Targets))
	}

	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	inds := templateIndicators(c)
	var wantObs []string
	var wantTargets = []string{"060 budget_revenue 2020 18500.5", "060 recruits 2020 85"}
	for i, ind := range inds {
		r := tplFirstRow + i
		name, _ := f.GetCellValue(formSheet, fmt.Sprintf("C%d", r))
		if name != ind.Name {
			t.Fatalf("row %d names %q, want %q", r, name, ind.Name)
		}
		if ind.Agg == thidua.Ratio {
			// Only the target: the rate is computed from its parts.
			f.SetCellValue(formSheet, fmt.Sprintf("E%d", r), 5.25)
			wantTargets = append(wantTargets, "060 "+ind.Code+" 2020 5.25")
			continue
		}
		if i%3 == 2 {
			continue // left empty by the office
		}
		v := float64(10*i + 7)
		if !ind.Integer {
			v += 0.25
		}
		f.SetCellValue(formSheet, fmt.Sprintf("F%d", r), v)
		wantObs = append(wantObs, fmt.Sprintf("060 %s 2020-H1 period %v", ind.Code, v))
		if i%2 == 0 {
			// The first half runs from January: its year to date is
			// the half itself.
			f.SetCellValue(formSheet, fmt.Sprintf("G%d", r), v)
			wantObs = append(wantObs, fmt.Sprintf("060 %s 2020-H1 ytd %v", ind.Code, v))
		}
		if ind.HasTarget && ind.Code == "afforestation_ha" {
			f.SetCellValue(formSheet, fmt.Sprintf("E%d", r), 450)
			wantTargets = append(wantTargets, "060 afforestation_ha 2020 450")
		}
		f.SetCellValue(formSheet, fmt.Sprintf("H%d", r), "số liệu ước")
	}
	if err := f.Save(); err != nil {
		t.Fatal(err)
	}
	f.Close()

	b, err = readXLSX(path, testOptions())
	if err != nil || len(b.Problems) > 0 {
		t.Fatalf("filled form: %v %v", err, b.Problems)
	}
	var gotObs, gotTargets []string
	for _, o := range b.Observations {
		gotObs = append(gotObs, fmt.Sprintf("%s %s %s %s %v", o.Unit, o.Indicator, o.Period, o.Basis, o.Value))
	}
	for _, tv := range b.Targets {
		gotTargets = append(gotTargets, fmt.Sprintf("%s %s %d %v", tv.Unit, tv.Indicator, tv.Year, tv.Value))
	}
	slices.Sort(gotTargets)
	slices.Sort(wantTargets)
	if !slices.Equal(gotObs, wantObs) {
		t.Errorf("observations:\n got %q\nwant %q", gotObs, wantObs)
	}
	if !slices.Equal(gotTargets, wantTargets) {
		t.Errorf("targets:\n got %q\nwant %q", gotTargets, wantTargets)
	}
	if b.Source.Format != "xlsx-form" || b.Rows != len(inds) {
		t.Errorf("source %+v rows %d", b.Source, b.Rows)
	}

	// The same form read for another cluster is refused.
	other := testOptions()
	other.Cluster.Code = "OTHER"
	if b, _ := readXLSX(path, other); len(b.Problems) == 0 || !strings.Contains(b.Problems[0].Reason(), "made for cluster") {
		t.Errorf("foreign cluster: %v", b.Problems)
	}
	// And --unit naming another unit is refused.
	o := testOptions()
	o.Unit = "061"
	if b, _ := readXLSX(path, o); len(b.Problems) == 0 || !strings.Contains(b.Problems[0].Reason(), "--unit says 061") {
		t.Errorf("other unit: %v", b.Problems)
	}
}

// TestTemplateProtection checks the form's safety features: numeric-only
// input cells, locked labels with unlocked inputs, and the very hidden
// template sheet.
func TestTemplateProtection(t *testing.T) {
	c := testCluster()
	dir := t.TempDir()
	paths, err := WriteTemplates(dir, c, thidua.MonthPeriod(2021, 3), TemplateOptions{Units: []string{"066"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(paths) != 1 || filepath.Base(paths[0]) != "066_2021-03.xlsx" {
		t.Fatalf("paths %v", paths)
	}
	f, err := excelize.OpenFile(paths[0])
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if vis, _ := f.GetSheetVisible(templateSheet); vis {
		t.Error("template sheet is visible")
	}
	if v, _ := f.GetCellValue(templateSheet, "B1"); v != templateVersion {
		t.Errorf("template version %q", v)
	}
	if v, _ := f.GetCellValue(formSheet, fmt.Sprintf("C%d", tplUnitRow)); v != "Na Rì" {
		t.Errorf("unit cell %q", v)
	}
	if v, _ := f.GetCellValue(formSheet, fmt.Sprintf("C%d", tplPeriodRow)); v != "Tháng 3/2021" {
		t.Errorf("period cell %q", v)
	}
	dvs, err := f.GetDataValidations(formSheet)
	if err != nil {
		t.Fatal(err)
	}
	inds := templateIndicators(c)
	if len(dvs) != len(inds) {
		t.Errorf("%d data validations, want one per indicator row (%d)", len(dvs), len(inds))
	}
	for _, dv := range dvs {
		if dv.Type != "decimal" && dv.Type != "whole" {
			t.Errorf("validation %s has type %q", dv.Sqref, dv.Type)
		}
		if dv.Formula1 != "0" || dv.Operator != "greaterThanOrEqual" && dv.Operator != "between" {
			t.Errorf("validation %s: %s %s %s", dv.Sqref, dv.Operator, dv.Formula1, dv.Formula2)
		}
	}
	locked := func(cell string) bool {
		id, err := f.GetCellStyle(formSheet, cell)
		if err != nil {
			t.Fatal(err)
		}
		st, err := f.GetStyle(id)
		if err != nil {
			t.Fatal(err)
		}
		return st.Protection == nil || st.Protection.Locked
	}
	r := tplFirstRow
	if !locked(fmt.Sprintf("C%d", r)) || locked(fmt.Sprintf("F%d", r)) || locked(fmt.Sprintf("G%d", r)) {
		t.Error("labels must be locked and input cells unlocked")
	}
	for i, ind := range inds {
		if ind.Agg != thidua.Ratio {
			continue
		}
		// A ratio's row takes its target only.
		r := tplFirstRow + i
		for _, col := range []string{"F", "G"} {
			if v, _ := f.GetCellValue(formSheet, fmt.Sprintf("%s%d", col, r)); v != "x" || !locked(fmt.Sprintf("%s%d", col, r)) {
				t.Errorf("ratio %s: %s%d = %q, want a locked x", ind.Code, col, r, v)
			}
		}
		if locked(fmt.Sprintf("E%d", r)) {
			t.Errorf("ratio %s: target cell E%d locked", ind.Code, r)
		}
	}
}

// TestTemplateForm checks what an office sees: a target cell for every
// indicator with a target (the poverty rate's too, read back as a target),
// a visible signature block, number formats by indicator (whole numbers
// without decimals), an ordinary file, and the cluster and generation date
// in the file's properties.
func TestTemplateForm(t *testing.T) {
	c := testCluster()
	dir := t.TempDir()
	now := time.Date(2026, 12, 7, 9, 30, 0, 0, time.UTC)
	paths, err := WriteTemplates(dir, c, thidua.Period{Type: thidua.Half, Year: 2020, N: 1}, TemplateOptions{Units: []string{"060"}, Now: now})
	if err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(paths[0])
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != 0o644 {
		t.Errorf("file mode %v, want -rw-r--r--", st.Mode())
	}
	f, err := excelize.OpenFile(paths[0])
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows := map[string]int{}
	for r := tplFirstRow; ; r++ {
		code, _ := f.GetCellValue(formSheet, fmt.Sprintf("B%d", r))
		if code == "" {
			break
		}
		rows[code] = r
	}
	for _, ind := range c.Indicators {
		r, ok := rows[ind.Code]
		if ind.HasTarget && !ok {
			t.Errorf("no row for %s, which has an annual target", ind.Code)
			continue
		}
		if !ok {
			continue
		}
		want := "#,##0"
		if !ind.Integer && ind.Decimals > 0 {
			want += "." + strings.Repeat("0", ind.Decimals)
		}
		cols := []string{"E", "F", "G"}
		if !ind.HasTarget {
			cols = cols[1:]
		}
		if ind.Agg == thidua.Ratio {
			cols = cols[:1]
		}
		for _, col := range cols {
			id, _ := f.GetCellStyle(formSheet, fmt.Sprintf("%s%d", col, r))
			st, _ := f.GetStyle(id)
			if st == nil || st.CustomNumFmt == nil || *st.CustomNumFmt != want {
				got := "none"
				if st != nil && st.CustomNumFmt != nil {
					got = *st.CustomNumFmt
				} else if st != nil {
					got = fmt.Sprint("built-in ", st.NumFmt)
				}
				t.Errorf("%s%d (%s): number format %s, want %s", col, r, ind.Code, got, want)
			}
		}
	}
	// The signature block in visible columns.
	found := 0
	all, _ := f.GetRows(formSheet)
	for r, row := range all {
		for c, v := range row {
			if v == "Người lập biểu" || v == "Thủ trưởng đơn vị" {
				found++
				col, _ := excelize.ColumnNumberToName(c + 1)
				if vis, _ := f.GetColVisible(formSheet, col); !vis {
					t.Errorf("%q in %s%d, a hidden column", v, col, r+1)
				}
			}
		}
	}
	if found != 2 {
		t.Errorf("found %d signature labels, want 2", found)
	}
	props, err := f.GetDocProps()
	if err != nil {
		t.Fatal(err)
	}
	if props.Creator != c.Name || props.LastModifiedBy != c.Name {
		t.Errorf("author %q, last modified by %q; want the cluster %q", props.Creator, props.LastModifiedBy, c.Name)
	}
	if !strings.HasPrefix(props.Created, "2026-12-07T09:30") || !strings.HasPrefix(props.Modified, "2026-12-07T09:30") {
		t.Errorf("created %q, modified %q; want the generation date", props.Created, props.Modified)
	}
	if app, err := f.GetAppProps(); err != nil || app.Application != "thidua" {
		t.Errorf("application %+v %v", app, err)
	}

	// The poverty rate's target reads back as a target.
	if err := f.SetCellValue(formSheet, fmt.Sprintf("E%d", rows["poverty_rate"]), 4.5); err != nil {
		t.Fatal(err)
	}
	if err := f.Save(); err != nil {
		t.Fatal(err)
	}
	b, err := readXLSX(paths[0], testOptions())
	if err != nil || len(b.Problems) > 0 {
		t.Fatalf("%v %v", err, b.Problems)
	}
	if len(b.Targets) != 1 || b.Targets[0].Indicator != "poverty_rate" || b.Targets[0].Value != 4.5 || b.Targets[0].Year != 2020 {
		t.Errorf("targets %+v, want poverty_rate 2020 4.5", b.Targets)
	}
}

func TestWriteTemplatesRefuses(t *testing.T) {
	c := testCluster()
	if _, err := WriteTemplates(t.TempDir(), c, thidua.MonthPeriod(2020, 6), TemplateOptions{Units: []string{"999"}}); err == nil {
		t.Error("unknown unit accepted")
	}
	if _, err := WriteTemplates(t.TempDir(), c, thidua.MonthPeriod(2026, 6), TemplateOptions{}); err == nil {
		t.Error("a period after every unit's end accepted")
	}
	if _, err := WriteTemplates(t.TempDir(), c, thidua.MonthPeriod(2026, 6), TemplateOptions{Units: []string{"060"}}); err == nil {
		t.Error("a unit that no longer existed accepted")
	}
	bad := testCluster()
	bad.Units[0].Code = "../x"
	if _, err := WriteTemplates(t.TempDir(), bad, thidua.MonthPeriod(2020, 6), TemplateOptions{Units: []string{"../x"}}); err == nil {
		t.Error("unsafe file name accepted")
	}
}

func ExampleWriteTemplates() {
	c := &thidua.Cluster{
		Code: "BK8", Name: "Cụm thi đua (mẫu)",
		Units: []thidua.Unit{{Code: "060", Name: "Pác Nặm"}, {Code: "061", Name: "Ba Bể"}},
		Indicators: []thidua.Indicator{
			{Code: "recruits", Name: "Công dân nhập ngũ", Measure: "người", Agg: thidua.Sum, HasTarget: true, Integer: true},
		},
	}
	dir, _ := os.MkdirTemp("", "forms")
	defer os.RemoveAll(dir)
	h1 := thidua.Period{Type: thidua.Half, Year: 2020, N: 1}
	paths, err := WriteTemplates(dir, c, h1, TemplateOptions{Targets: map[string]map[string]float64{"060": {"recruits": 85}}})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, p := range paths {
		fmt.Println(filepath.Base(p))
	}
	b, _ := readXLSX(paths[0], Options{Cluster: c})
	fmt.Println(b.Source.Format, b.Targets[0].Unit, b.Targets[0].Indicator, b.Targets[0].Year, b.Targets[0].Value)
	// Output:
	// 060_2020-H1.xlsx
	// 061_2020-H1.xlsx
	// xlsx-form 060 recruits 2020 85
}

// fillTemplate writes one form for unit and p, sets cells of its form
// sheet (by indicator code: column → value; or by cell name with code
// "") and returns its path.
func fillTemplate(t *testing.T, unit string, p thidua.Period, cells map[string]map[string]any) string {
	t.Helper()
	paths, err := WriteTemplates(t.TempDir(), testCluster(), p, TemplateOptions{Units: []string{unit}})
	if err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenFile(paths[0])
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	row := map[string]int{}
	for r := tplFirstRow; ; r++ {
		code, _ := f.GetCellValue(formSheet, fmt.Sprintf("B%d", r))
		if code == "" {
			break
		}
		row[code] = r
	}
	for code, byCol := range cells {
		for col, v := range byCol {
			cell := col
			if code != "" {
				if row[code] == 0 {
					t.Fatalf("no row for %s", code)
				}
				cell = fmt.Sprintf("%s%d", col, row[code])
			}
			if err := f.SetCellValue(formSheet, cell, v); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := f.Save(); err != nil {
		t.Fatal(err)
	}
	return paths[0]
}

// TestTemplatePeriodYTD: a form's "Thực hiện" and "Lũy kế" that cannot
// both be right are refused with both cells named (ErrPeriodYTD), and
// neither value is kept for --partial.
func TestTemplatePeriodYTD(t *testing.T) {
	june := thidua.MonthPeriod(2020, 6)
	path := fillTemplate(t, "060", june, map[string]map[string]any{
		"budget_revenue": {"F": 700, "G": 600}, // the month more than the year to date
		"recruits":       {"F": 10, "G": 50},   // fine
		"ntm_communes":   {"F": 3, "G": 12},    // a stock: both are the count at June's end
	})
	b, err := readXLSX(path, testOptions())
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, p := range b.Problems {
		if !errors.Is(p, ErrPeriodYTD) {
			t.Errorf("not ErrPeriodYTD: %v", p)
			continue
		}
		got = append(got, p.Pos.Cell)
		if !strings.Contains(p.Reason(), "Thực hiện ("+p.Pos.Cell+")") || !strings.Contains(p.Reason(), "Lũy kế (year to date, G") {
			t.Errorf("the message does not name both cells: %v", p)
		}
	}
	if len(got) != 2 || !strings.HasPrefix(got[0], "F") || !strings.HasPrefix(got[1], "F") {
		t.Errorf("problems at %v, want the Thực hiện cells of budget_revenue and ntm_communes", got)
	}
	for _, o := range b.Observations {
		if o.Indicator != "recruits" {
			t.Errorf("kept %s %s %v of a refused row", o.Indicator, o.Basis, o.Value)
		}
	}
	if len(b.Observations) != 2 {
		t.Errorf("%d observations, want recruits' two", len(b.Observations))
	}

	// The first half runs from January: its two values are one span.
	h1 := thidua.Period{Type: thidua.Half, Year: 2020, N: 1}
	path = fillTemplate(t, "060", h1, map[string]map[string]any{"budget_revenue": {"F": 500, "G": 600}})
	if b, _ := readXLSX(path, testOptions()); len(b.Problems) != 1 || !errors.Is(b.Problems[0], ErrPeriodYTD) || !strings.Contains(b.Problems[0].Reason(), "must be equal") {
		t.Errorf("H1 500 vs 600: %v", b.Problems)
	}
	path = fillTemplate(t, "060", h1, map[string]map[string]any{"budget_revenue": {"F": 600, "G": 600}})
	if b, _ := readXLSX(path, testOptions()); len(b.Problems) != 0 || len(b.Observations) != 2 {
		t.Errorf("H1 600 and 600: %v %v", b.Problems, b.Observations)
	}
}

// TestTemplateHiddenRecord: a form whose unit or period cell was changed
// is refused naming the cell's value and the hidden record's.
func TestTemplateHiddenRecord(t *testing.T) {
	h1 := thidua.Period{Type: thidua.Half, Year: 2020, N: 1}
	values := map[string]any{"F": 600, "G": 600}
	unitCell, periodCell := fmt.Sprintf("C%d", tplUnitRow), fmt.Sprintf("C%d", tplPeriodRow)
	path := fillTemplate(t, "060", h1, map[string]map[string]any{"budget_revenue": values, "": {unitCell: "Ba Bể"}})
	b, err := readXLSX(path, testOptions())
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Problems) != 1 || !errors.Is(b.Problems[0], ErrNotThisForm) || b.Problems[0].Pos.Cell != unitCell ||
		!strings.Contains(b.Problems[0].Reason(), "061 (Ba Bể)") || !strings.Contains(b.Problems[0].Reason(), "made for 060 (Pác Nặm)") ||
		!strings.Contains(b.Problems[0].Reason(), templateSheet+"!B3") {
		t.Errorf("unit changed: %v", b.Problems)
	}
	if len(b.Observations) != 0 {
		t.Errorf("unit changed, yet %d observations", len(b.Observations))
	}
	path = fillTemplate(t, "060", h1, map[string]map[string]any{"budget_revenue": values, "": {periodCell: "Quý III/2020"}})
	b, _ = readXLSX(path, testOptions())
	if len(b.Problems) != 1 || !errors.Is(b.Problems[0], ErrNotThisForm) || b.Problems[0].Pos.Cell != periodCell ||
		!strings.Contains(b.Problems[0].Reason(), "says 2020-Q3") || !strings.Contains(b.Problems[0].Reason(), "made for 2020-H1") {
		t.Errorf("period changed: %v", b.Problems)
	}
	// The same unit and period written another way is no contradiction.
	path = fillTemplate(t, "060", h1, map[string]map[string]any{"budget_revenue": values, "": {unitCell: "Huyện Pác Nặm", periodCell: "2020-H1"}})
	if b, _ := readXLSX(path, testOptions()); len(b.Problems) != 0 {
		t.Errorf("same unit and period: %v", b.Problems)
	}
}

// TestTemplateEmpty: a form with no value is refused as empty
// (ErrEmptyForm), unless AllowEmpty.
func TestTemplateEmpty(t *testing.T) {
	path := fillTemplate(t, "060", thidua.MonthPeriod(2020, 6), map[string]map[string]any{"budget_revenue": {"H": "chưa có số liệu"}})
	b, err := readXLSX(path, testOptions())
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Problems) != 1 || !errors.Is(b.Problems[0], ErrEmptyForm) || b.Problems[0].Pos.Sheet != formSheet {
		t.Errorf("empty form: %v", b.Problems)
	}
	o := testOptions()
	o.AllowEmpty = true
	if b, err := readXLSX(path, o); err != nil || len(b.Problems) != 0 || len(b.Observations)+len(b.Targets) != 0 {
		t.Errorf("empty form, allowed: %v %v", err, b.Problems)
	}
}
