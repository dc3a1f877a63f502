package main

import (
	"context"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/thidua/thidua"
	"github.com/thidua/thidua/config"
	"github.com/thidua/thidua/store"
)

// "thidua export --format xlsx-vi" read back by excelize: sheets and columns
// headed in Vietnamese (from thidua.SheetTables and SheetColumns), numbers
// rounded to each indicator's configured decimals and formatted with them
// (#,##0 for a count, #,##0.00 for the poverty rate), dates dd/mm/yyyy.
func TestExportXLSXVI(t *testing.T) {
	dir := t.TempDir()
	db, out := filepath.Join(dir, "t.duckdb"), filepath.Join(dir, "out")
	if code, _, stderr := cli(t, "run", "--db", db, "--out", out, "--format", "xlsx-vi,csv-vi"); code != 0 {
		t.Fatalf("run: exit %d\n%s", code, stderr)
	}
	for _, f := range []string{"csv-vi/indicator_pop.csv", "csv-vi/scores.csv", "csv-vi/SYNTHETIC.txt", "xlsx-vi/thidua.xlsx"} {
		if _, err := os.Stat(filepath.Join(out, f)); err != nil {
			t.Error(err)
		}
	}
	// What the database holds, to compare with.
	cfg, err := config.Load("", nil)
	if err != nil {
		t.Fatal(err)
	}
	s, err := store.Open(context.Background(), db, store.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	tb, err := s.ExportRows(context.Background(), "indicator_pop", 0)
	s.Close()
	if err != nil {
		t.Fatal(err)
	}
	x, err := excelize.OpenFile(filepath.Join(out, "xlsx-vi", "thidua.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	if sheets := strings.Join(x.GetSheetList(), ","); !strings.HasPrefix(sheets, "Chỉ tiêu theo kỳ,Điểm thi đua") {
		t.Errorf("sheets %s", sheets)
	}
	sheet := "Chỉ tiêu theo kỳ"
	rows, err := x.GetRows(sheet, excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != len(tb.Rows)+1 {
		t.Fatalf("%d rows, want %d and the header", len(rows), len(tb.Rows))
	}
	col := map[string]int{}
	for i, c := range tb.Columns {
		col[c.Name] = i
		if want := thidua.SheetColumns[c.Name].VI; rows[0][i] != want {
			t.Errorf("column %s headed %q, want %q", c.Name, rows[0][i], want)
		}
	}
	checked := map[string]bool{}
	for n, r := range tb.Rows {
		code, _ := r[col["indicator_code"]].(string)
		v, ok := r[col["value"]].(float64)
		if checked[code] || !ok || v == math.Trunc(v) {
			continue
		}
		ind, _ := cfg.Cluster.Indicator(code)
		p := math.Pow10(ind.Decimals)
		cellName, _ := excelize.CoordinatesToCellName(col["value"]+1, n+2)
		raw, err := x.GetCellValue(sheet, cellName, excelize.Options{RawCellValue: true})
		if err != nil {
			t.Fatal(err)
		}
		if got, err := strconv.ParseFloat(raw, 64); err != nil || got != math.Round(v*p)/p {
			want := math.Round(v*p) / p
			t.Errorf("%s %s: value %v stored as %q, want %v", cellName, code, v, raw, want)
		}
		style, err := x.GetCellStyle(sheet, cellName)
		if err != nil {
			t.Fatal(err)
		}
		st, err := x.GetStyle(style)
		if err != nil || st.CustomNumFmt == nil {
			t.Fatalf("%s: no number format (%v)", cellName, err)
		}
		want := "#,##0"
		if ind.Decimals > 0 {
			want += "." + strings.Repeat("0", ind.Decimals)
		}
		if *st.CustomNumFmt != want {
			t.Errorf("%s %s: number format %q, want %q", cellName, code, *st.CustomNumFmt, want)
		}
		checked[code] = true
	}
	if !checked["poverty_rate"] || !checked["afforestation_ha"] {
		t.Errorf("checked %v: want the poverty rate (2 decimals) and afforestation (1) among them", checked)
	}
	// A count is written without decimals.
	for n, r := range tb.Rows {
		if r[col["indicator_code"]] != "new_coops" || r[col["value"]] == nil {
			continue
		}
		cellName, _ := excelize.CoordinatesToCellName(col["value"]+1, n+2)
		style, _ := x.GetCellStyle(sheet, cellName)
		if st, err := x.GetStyle(style); err != nil || st.CustomNumFmt == nil || *st.CustomNumFmt != "#,##0" {
			t.Errorf("%s new_coops: number format %v, want #,##0", cellName, st)
		}
		cellName, _ = excelize.CoordinatesToCellName(col["period_start"]+1, n+2)
		style, _ = x.GetCellStyle(sheet, cellName)
		if st, err := x.GetStyle(style); err != nil || st.CustomNumFmt == nil || *st.CustomNumFmt != "dd/mm/yyyy" {
			t.Errorf("%s: date format %v, want dd/mm/yyyy", cellName, st)
		}
		break
	}
}
