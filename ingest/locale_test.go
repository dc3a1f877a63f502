package ingest

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/thidua/thidua"
)

func TestLocaleEvidence(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"2.934,9", localeVI}, {"1.234.567", localeVI}, {"0,5", localeVI}, {"12,75", localeVI}, {"35,22%", localeVI},
		{"1 234,5", localeVI}, {"-1.234,5", localeVI},
		{"3315.9", localeEN}, {"1,234,567", localeEN}, {"1,234.5", localeEN}, {"0.5", localeEN}, {"1234.567", localeEN},
		{"1.234", ""}, {"1,234", ""}, {"1234", ""}, {"", ""}, {"x", ""}, {"1.5E+06", ""}, {"14.162/13.828", ""},
		{"1,234,5", ""}, {"12 ha", ""},
	} {
		if got := localeEvidence(c.in); got != c.want {
			t.Errorf("localeEvidence(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// TestLocaleRefusalsTyped: a lone 1.234 the file cannot settle is refused
// with a *NumberError matching ErrAmbiguous and its cause.
func TestLocaleRefusalsTyped(t *testing.T) {
	o := Options{Cluster: testCluster()}
	f := func(text string, line int) rawField {
		return rawField{Text: text, Pos: thidua.Pos{File: "f.csv", Line: line, Column: "value"}}
	}
	for _, c := range []struct {
		name  string
		cells []rawField
		cause error
	}{
		{"no evidence", []rawField{f("3315", 2), f("1.234", 3)}, ErrNoLocaleEvidence},
		{"contradiction", []rawField{f("3.315,9", 2), f("1.234", 3), f("2,980.5", 4)}, ErrLocaleContradiction},
	} {
		n := &numberLocales{}
		o.numbers = n
		var last error
		for pass := 1; pass <= 3; pass++ {
			n.pass = pass
			for _, cell := range c.cells {
				if _, err := o.number(nil, false, &cell); cell.Text == "1.234" {
					last = err
				}
			}
		}
		var ne *NumberError
		if !errors.As(last, &ne) || !errors.Is(last, ErrAmbiguous) || !errors.Is(last, c.cause) {
			t.Errorf("%s: %v, want a *NumberError with ErrAmbiguous and %v", c.name, last, c.cause)
		}
	}
}

// TestTemplateFormLocale: the forms of "thidua template" read text numbers
// the Vietnamese way: filled with 6.120 households and 1.050 people
// commended beside a 9.876,5, and also with no evidence at all.
func TestTemplateFormLocale(t *testing.T) {
	c := testCluster()
	dir := t.TempDir()
	p := thidua.Period{Type: thidua.Half, Year: 2020, N: 1}
	if _, err := WriteTemplates(dir, c, p, TemplateOptions{Units: []string{"060"}}); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "060_2020-H1.xlsx")
	row := map[string]int{}
	for i, ind := range templateIndicators(c) {
		row[ind.Code] = tplFirstRow + i
	}
	fill := func(cells map[string]string) thidua.Batch {
		t.Helper()
		f, err := excelize.OpenFile(path)
		if err != nil {
			t.Fatal(err)
		}
		for code, v := range cells {
			if err := f.SetCellStr(formSheet, fmt.Sprintf("F%d", row[code]), v); err != nil {
				t.Fatal(err)
			}
		}
		out := filepath.Join(dir, fmt.Sprintf("filled%d.xlsx", len(cells)))
		if err := f.SaveAs(out); err != nil {
			t.Fatal(err)
		}
		f.Close()
		b, err := readXLSX(out, testOptions())
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	got := func(b thidua.Batch) map[string]float64 {
		m := map[string]float64{}
		for _, o := range b.Observations {
			m[o.Indicator] = o.Value
		}
		return m
	}
	b := fill(map[string]string{"households": "6.120", "commended": "1.050", "afforestation_ha": "9.876,5"})
	if len(b.Problems) > 0 {
		t.Fatalf("problems: %v", b.Problems)
	}
	if v := got(b); v["households"] != 6120 || v["commended"] != 1050 || v["afforestation_ha"] != 9876.5 {
		t.Errorf("values %v", v)
	}
	if !strings.Contains(b.Source.NumberLocale, `inferred from Báo cáo!F`) || !strings.Contains(b.Source.NumberLocale, "9.876,5") {
		t.Errorf("NumberLocale %q does not name the cell", b.Source.NumberLocale)
	}
	b = fill(map[string]string{"households": "6.120"})
	if len(b.Problems) > 0 || got(b)["households"] != 6120 {
		t.Fatalf("no evidence: %v %v", b.Problems, got(b))
	}
	if !strings.Contains(b.Source.NumberLocale, "thidua template") {
		t.Errorf("NumberLocale %q does not say the template decided", b.Source.NumberLocale)
	}
	// The file shows otherwise: an English 9,876.5 makes 1.050 ha one and
	// a twentieth.
	b = fill(map[string]string{"households": "6,120", "rice_area_ha": "1.050", "afforestation_ha": "9,876.5"})
	if v := got(b); v["households"] != 6120 || v["rice_area_ha"] != 1.05 || v["afforestation_ha"] != 9876.5 {
		t.Errorf("English file: %v %v", v, b.Problems)
	}
}

// FuzzLocaleEvidence: a cell that is evidence reads, in the convention it
// shows, as it reads with no locale at all (it is not ambiguous), and the
// convention it shows does not refuse it.
func FuzzLocaleEvidence(f *testing.F) {
	for _, s := range []string{"2.934,9", "3315.9", "1.234", "1,234,567", "0,5", "-1 234,5", "35,22%", "1.5E3"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		loc := localeEvidence(s)
		if loc == "" {
			return
		}
		want, err := parsePercent(s, localeAuto)
		if err != nil {
			t.Fatalf("%q is %s evidence but does not read: %v", s, loc, err)
		}
		got, err := parsePercent(s, loc)
		if err != nil || got != want {
			t.Fatalf("%q: %v %v in %s, %v with no locale", s, got, err, loc, want)
		}
	})
}
