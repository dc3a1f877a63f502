package bench

import (
	"bufio"
	"os"
	"strings"
	"testing"
)

func TestClusterValid(t *testing.T) {
	for _, s := range []Size{S, M} {
		c := Cluster(s)
		if err := c.Validate(); err != nil {
			t.Fatalf("%s: %v", s.Name, err)
		}
		if got, want := len(c.Units), s.Units; got != want {
			t.Errorf("%s: %d units, want %d", s.Name, got, want)
		}
		if got, want := len(c.Indicators), s.Indicators+RatioIndicators; got != want {
			t.Errorf("%s: %d indicators, want %d", s.Name, got, want)
		}
	}
}

func TestGenerateS(t *testing.T) {
	dir := t.TempDir()
	ds, err := Generate(dir, S)
	if err != nil {
		t.Fatal(err)
	}
	if len(ds.CSV) != 10 {
		t.Fatalf("%d CSV files, want 10", len(ds.CSV))
	}
	cells := S.Cells()
	missing := float64(cells-ds.Rows) / float64(cells) * 100
	if missing < 1.5 || missing > 2.5 {
		t.Errorf("%.2f%% of cells missing, want about %d%%", missing, MissingPct)
	}
	// Count the rows on disk and check that unit codes keep their zeros.
	var rows int64
	for _, name := range ds.CSV {
		f, err := os.Open(name)
		if err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(f)
		sc.Scan()
		if sc.Text() != CSVHeader {
			t.Fatalf("%s: header %q", name, sc.Text())
		}
		for sc.Scan() {
			rows++
			if !strings.HasPrefix(sc.Text(), "0000") {
				t.Fatalf("%s: row %q: unit code lost its leading zeros", name, sc.Text())
			}
		}
		f.Close()
	}
	if rows != ds.Rows {
		t.Errorf("files hold %d rows, manifest says %d", rows, ds.Rows)
	}
	// Deterministic: a second generation into a new folder is identical.
	ds2, err := Generate(t.TempDir(), S)
	if err != nil {
		t.Fatal(err)
	}
	a, _ := os.ReadFile(ds.CSV[3])
	b, _ := os.ReadFile(ds2.CSV[3])
	if string(a) != string(b) {
		t.Error("two generations differ")
	}
	// Reused when the manifest matches.
	again, err := Generate(dir, S)
	if err != nil || again.Rows != ds.Rows {
		t.Errorf("reuse: %v, %d rows", err, again.Rows)
	}
}

func TestGenerateXLSX(t *testing.T) {
	ds, err := Generate(t.TempDir(), S)
	if err != nil {
		t.Fatal(err)
	}
	if err := GenerateXLSX(&ds, 2); err != nil {
		t.Fatal(err)
	}
	if len(ds.XLSX) != 2 || ds.XLSXRows == 0 {
		t.Fatalf("%d workbooks, %d rows", len(ds.XLSX), ds.XLSXRows)
	}
}
