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
