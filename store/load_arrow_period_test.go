//go:build duckdb_arrow

package store

import (
	"testing"

	"github.com/thidua/thidua"
)

// TestPeriodTexts holds periodTexts to Period.String over more periods
// than it compares (the rest go through its map), asked in turn and again.
func TestPeriodTexts(t *testing.T) {
	var c periodTexts
	var ps []thidua.Period
	for y := 2019; y <= 2021; y++ {
		ps = append(ps, thidua.Period{Type: thidua.Year, Year: y})
		for m := 1; m <= 12; m++ {
			ps = append(ps, thidua.Period{Type: thidua.Month, Year: y, N: m})
		}
		for q := 1; q <= 4; q++ {
			ps = append(ps, thidua.Period{Type: thidua.Quarter, Year: y, N: q})
		}
	}
	for round := range 3 {
		for i := range ps {
			p := ps[(i*7+round)%len(ps)]
			if got, want := c.text(p), p.String(); got != want {
				t.Fatalf("round %d: text(%#v) = %q, want %q", round, p, got, want)
			}
		}
	}
	if len(c.few) != periodsCompared || len(c.more) != len(ps)-periodsCompared {
		t.Fatalf("%d periods compared and %d in the map, want %d and %d", len(c.few), len(c.more), periodsCompared, len(ps)-periodsCompared)
	}
}

// TestTextColumnGrows writes more bytes than a text column was sized for:
// the values must all be there (room grows the buffer, keeping them).
func TestTextColumnGrows(t *testing.T) {
	r := newStageReader(thidua.Batch{})
	defer r.Release()
	c := r.textColumn(4, 1)
	want := []string{"00001", "", "ind_001 Thu ngân sách", "f.csv:12:value"}
	for i, s := range want[:3] {
		c.set(i, s)
	}
	c.setPos(3, thidua.Pos{File: "f.csv", Line: 12, Column: "value"})
	a := c.array(4)
	defer a.Release()
	got := a.(interface{ Value(int) string })
	for i, w := range want {
		if g := got.Value(i); g != w {
			t.Errorf("row %d: %q, want %q", i, g, w)
		}
	}
}
