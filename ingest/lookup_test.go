package ingest

import (
	"testing"
	"time"

	"github.com/thidua/thidua"
)

// TestUnitCodesLookup checks the code index against thidua.Cluster.LookupUnit
// at any time: codes with and without leading zeros, names, aliases,
// blanks and unknowns, on the test cluster and on one whose codes collide
// once the zeros are dropped.
func TestUnitCodesLookup(t *testing.T) {
	odd := &thidua.Cluster{Units: []thidua.Unit{
		{Code: "A1", Name: "Một"}, {Code: "01", Name: "Hai"}, {Code: "1", Name: "Ba"}, {Code: "002", Name: "01"},
		{Code: "x", Name: "Bốn", Aliases: []string{"2"}}, {Code: "0", Name: "Năm"},
	}}
	texts := []string{"060", "60", "0060", " 061 ", "058", "Pác Nặm", "huyện pác nặm", "Na Rỳ", "TP Bắc Kạn", "", "  ", "-", "999",
		"1", "01", "001", "2", "02", "0", "00", "A1", "a1", "Hai", "x", "Bốn", "ba"}
	for _, c := range []*thidua.Cluster{testCluster(), odd} {
		x := newUnitCodes(c)
		for _, s := range texts {
			got, gotOK := x.lookup(s)
			want, wantOK := c.LookupUnit(s, time.Time{})
			if gotOK != wantOK || got.Code != want.Code || got.Name != want.Name {
				t.Errorf("%q: index gives %s %s %v, the cluster %s %s %v", s, got.Code, got.Name, gotOK, want.Code, want.Name, wantOK)
			}
		}
	}
}
