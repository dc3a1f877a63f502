package dashboards

import (
	"archive/zip"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

// The workbook is read back without excelize: archive/zip and
// encoding/xml on the OOXML parts, as any other reader would.

type xWorkbook struct {
	Sheets []struct {
		Name string `xml:"name,attr"`
		RID  string `xml:"http://schemas.openxmlformats.org/officeDocument/2006/relationships id,attr"`
	} `xml:"sheets>sheet"`
}

type xRels struct {
	Rels []struct {
		ID     string `xml:"Id,attr"`
		Target string `xml:"Target,attr"`
	} `xml:"Relationship"`
}

type xSheet struct {
	Rows []struct {
		Cells []struct {
			Ref    string `xml:"r,attr"`
			Type   string `xml:"t,attr"`
			Style  int    `xml:"s,attr"`
			V      string `xml:"v"`
			F      string `xml:"f"`
			Inline string `xml:"is>t"`
		} `xml:"c"`
	} `xml:"sheetData>row"`
	Panes []struct {
		State  string `xml:"state,attr"`
		YSplit string `xml:"ySplit,attr"`
	} `xml:"sheetViews>sheetView>pane"`
}

type xStyles struct {
	NumFmts []struct {
		ID   int    `xml:"numFmtId,attr"`
		Code string `xml:"formatCode,attr"`
	} `xml:"numFmts>numFmt"`
	Xfs []struct {
		NumFmt int `xml:"numFmtId,attr"`
	} `xml:"cellXfs>xf"`
}

type xSST struct {
	SI []struct {
		T string `xml:"t"`
	} `xml:"si"`
}

// readXLSX returns each sheet's cells as text: strings as they are, numbers
// as written, dates (cells with a date format) as YYYY-MM-DD or
// YYYY-MM-DD hh:mm:ss, booleans as TRUE/FALSE, a formula as "=" + formula.
func readXLSX(t *testing.T, file string) (names []string, sheets map[string][][]string, frozen map[string]bool) {
	t.Helper()
	zr, err := zip.OpenReader(file)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	part := func(name string, v any) bool {
		f, err := zr.Open(name)
		if err != nil {
			return false
		}
		defer f.Close()
		b, err := io.ReadAll(f)
		if err != nil {
			t.Fatal(err)
		}
		if err := xml.Unmarshal(b, v); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		return true
	}
	var wb xWorkbook
	var rels xRels
	var styles xStyles
	var sst xSST
	if !part("xl/workbook.xml", &wb) || !part("xl/_rels/workbook.xml.rels", &rels) || !part("xl/styles.xml", &styles) {
		t.Fatal("workbook parts missing")
	}
	part("xl/sharedStrings.xml", &sst)
	fmts := map[int]string{14: "m/d/yyyy", 22: "m/d/yyyy h:mm"}
	for _, n := range styles.NumFmts {
		fmts[n.ID] = n.Code
	}
	target := map[string]string{}
	for _, r := range rels.Rels {
		target[r.ID] = r.Target
	}
	sheets, frozen = map[string][][]string{}, map[string]bool{}
	for _, s := range wb.Sheets {
		names = append(names, s.Name)
		var sh xSheet
		p := strings.TrimPrefix(target[s.RID], "/")
		if !strings.HasPrefix(p, "xl/") {
			p = path.Join("xl", p)
		}
		if !part(p, &sh) {
			t.Fatalf("sheet %s: part %s missing", s.Name, p)
		}
		for _, pn := range sh.Panes {
			frozen[s.Name] = pn.State == "frozen" && pn.YSplit == "1"
		}
		var rows [][]string
		for _, r := range sh.Rows {
			var row []string
			for _, c := range r.Cells {
				col := 0
				for _, ch := range c.Ref {
					if ch < 'A' || ch > 'Z' {
						break
					}
					col = col*26 + int(ch-'A'+1)
				}
				for len(row) < col-1 {
					row = append(row, "")
				}
				var v string
				switch {
				case c.F != "":
					v = "=" + c.F
				case c.Type == "inlineStr":
					v = c.Inline
				case c.Type == "s":
					i, _ := strconv.Atoi(c.V)
					v = sst.SI[i].T
				case c.Type == "b":
					v = map[string]string{"1": "TRUE", "0": "FALSE"}[c.V]
				case c.Type == "str":
					v = c.V
				default:
					v = c.V
					code := fmts[styles.Xfs[c.Style].NumFmt]
					if strings.Contains(code, "yy") && v != "" {
						serial, err := strconv.ParseFloat(v, 64)
						if err != nil {
							t.Fatalf("%s!%s: date cell %q", s.Name, c.Ref, v)
						}
						tm := time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC).Add(time.Duration(math.Round(serial*86400)) * time.Second)
						if strings.Contains(code, "h") {
							v = tm.Format(time.DateTime)
						} else {
							v = tm.Format(time.DateOnly)
						}
					}
				}
				row = append(row, v)
			}
			rows = append(rows, row)
		}
		sheets[s.Name] = rows
	}
	return names, sheets, frozen
}

func TestWriteXLSXReadBack(t *testing.T) {
	file := filepath.Join(t.TempDir(), "thidua.xlsx")
	day := time.Date(2020, 6, 1, 0, 0, 0, 0, time.UTC)
	sheets := []Sheet{
		{Name: "indicator_pop", Columns: []string{"unit_name", "period_start", "value", "rank_value", "is_cluster", "note"},
			Rows: [][]any{
				{"Huyện Pác Nặm", day, 1.0 / 3, int64(1), false, nil},
				{"Thành phố Bắc Kạn & <Chợ Mới>", day.AddDate(0, 1, 0), 12345678.5, int64(8), true, "=1+1"},
				{"  khoảng trắng  ", nil, math.NaN(), nil, nil, math.Inf(-1)},
			}},
		{Name: "scores", Columns: []string{"unit_code", "loaded_at", "total"},
			Rows: [][]any{{"060", time.Date(2026, 3, 1, 8, 30, 15, 0, time.UTC), float32(81.5)}}},
	}
	opts := XLSXOptions{Notes: []string{"Dữ liệu MẪU TỔNG HỢP (synthetic)", "generated 2026-03-01"},
		GeneratedAt: time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)}
	if err := WriteXLSX(file, sheets, opts); err != nil {
		t.Fatal(err)
	}
	names, got, frozen := readXLSX(t, file)
	if strings.Join(names, ",") != "indicator_pop,scores,notes" {
		t.Fatalf("sheets %v", names)
	}
	want := map[string][][]string{
		"indicator_pop": {
			{"unit_name", "period_start", "value", "rank_value", "is_cluster", "note"},
			// Excel keeps 15 significant digits; so does excelize.
			{"Huyện Pác Nặm", "2020-06-01", "0.333333333333333", "1", "FALSE"},
			{"Thành phố Bắc Kạn & <Chợ Mới>", "2020-07-01", "12345678.5", "8", "TRUE", "=1+1"},
			{"  khoảng trắng  ", "", "NaN", "", "", "-Inf"},
		},
		"scores": {{"unit_code", "loaded_at", "total"}, {"060", "2026-03-01 08:30:15", "81.5"}},
		"notes":  {{"note"}, {"Dữ liệu MẪU TỔNG HỢP (synthetic)"}, {"generated 2026-03-01"}},
	}
	for name, rows := range want {
		if len(got[name]) != len(rows) {
			t.Fatalf("%s: %d rows %q, want %d", name, len(got[name]), got[name], len(rows))
		}
		for i := range rows {
			if strings.Join(got[name][i], "|") != strings.Join(rows[i], "|") {
				t.Errorf("%s row %d:\n%q\nwant\n%q", name, i+1, got[name][i], rows[i])
			}
		}
		if !frozen[name] {
			t.Errorf("%s: header row not frozen", name)
		}
	}
	// "=1+1" is text: no formula in the file at all.
	b, _ := os.ReadFile(file)
	zr, _ := zip.OpenReader(file)
	for _, f := range zr.File {
		rc, _ := f.Open()
		x, _ := io.ReadAll(rc)
		rc.Close()
		if strings.Contains(string(x), "<f>") {
			t.Errorf("%s holds a formula", f.Name)
		}
	}
	zr.Close()
	if len(b) == 0 {
		t.Fatal("empty file")
	}
	// Same content, same bytes.
	file2 := filepath.Join(filepath.Dir(file), "again.xlsx")
	if err := WriteXLSX(file2, sheets, opts); err != nil {
		t.Fatal(err)
	}
	if b2, _ := os.ReadFile(file2); string(b2) != string(b) {
		t.Error("writing the same workbook twice gave different bytes")
	}
	if left, _ := filepath.Glob(filepath.Join(filepath.Dir(file), ".*tmp")); len(left) > 0 {
		t.Errorf("temporary files left: %v", left)
	}
}

// TestWriteXLSXRefusals: each refusal has its cause (errors.Is) and names
// the sheet, row or value refused; nothing is written.
func TestWriteXLSXRefusals(t *testing.T) {
	dir := t.TempDir()
	defer func(n int) { maxSheetRows = n }(maxSheetRows)
	maxSheetRows = 3
	for _, tc := range []struct {
		name   string
		sheets []Sheet
		cause  error
		names  string // what the message names
	}{
		{"none", nil, errNoSheets, "none.xlsx"},
		{"too many rows", []Sheet{{Name: "big", Columns: []string{"a"}, Rows: [][]any{{1}, {2}, {3}}}}, errSheetRows, "sheet big has 3 rows"},
		{"bad name", []Sheet{{Name: "a/b", Columns: []string{"a"}}}, excelize.ErrSheetNameInvalid, `sheet "a/b"`},
		{"ragged", []Sheet{{Name: "s", Columns: []string{"a", "b"}, Rows: [][]any{{1}}}}, errRowLength, "row 1 has 1 values for 2 columns"},
		{"bad type", []Sheet{{Name: "s", Columns: []string{"a"}, Rows: [][]any{{[]int{1}}}}}, errCellType, "row 1 column a"},
	} {
		file := filepath.Join(dir, tc.name+".xlsx")
		err := WriteXLSX(file, tc.sheets, XLSXOptions{})
		if !errors.Is(err, tc.cause) {
			t.Errorf("%s: got %v, want %v", tc.name, err, tc.cause)
		} else if !strings.Contains(err.Error(), tc.names) {
			t.Errorf("%s: %q does not name %q", tc.name, err, tc.names)
		}
		if _, err := os.Stat(file); err == nil {
			t.Errorf("%s: refused workbook was written", tc.name)
		}
	}
	if left, _ := filepath.Glob(filepath.Join(dir, ".*")); len(left) > 0 {
		t.Errorf("temporary files left: %v", left)
	}
}

func ExampleWriteXLSX() {
	dir, _ := os.MkdirTemp("", "xlsx")
	defer os.RemoveAll(dir)
	err := WriteXLSX(filepath.Join(dir, "thidua.xlsx"), []Sheet{{
		Name:    "scores",
		Columns: []string{"unit_code", "total"},
		Rows:    [][]any{{"060", 81.5}, {"061", 60.25}},
	}}, XLSXOptions{Notes: []string{"synthetic sample data"}})
	fmt.Println(err)
	// Output: <nil>
}
