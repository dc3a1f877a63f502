package ingest

import (
	"testing"
	"time"

	"github.com/thidua/thidua"
)

// TestClusterIndexLookup checks the index against thidua.Cluster.LookupUnit
// at any time: codes with and without leading zeros, names, aliases,
// names matching one unit twice or two units, blanks and unknowns, on the
// test cluster and on one whose codes collide
// once the zeros are dropped.
func TestClusterIndexLookup(t *testing.T) {
	odd := &thidua.Cluster{Units: []thidua.Unit{
		{Code: "A1", Name: "Một"}, {Code: "01", Name: "Hai"}, {Code: "1", Name: "Ba"}, {Code: "002", Name: "01"},
		{Code: "x", Name: "Bốn", Aliases: []string{"2"}}, {Code: "0", Name: "Năm"},
		{Code: "y", Name: "Sáu", NameEN: "Sau", Aliases: []string{"Huyện Sáu"}}, {Code: "z1", Name: "Bảy"}, {Code: "z2", Name: "bảy", NameEN: "Tám"},
		{Code: "w", Name: "Chín", Aliases: []string{"Tám"}},
	}}
	texts := []string{"060", "60", "0060", " 061 ", "058", "Pác Nặm", "huyện pác nặm", "Na Rỳ", "TP Bắc Kạn", "", "  ", "-", "999",
		"1", "01", "001", "2", "02", "0", "00", "A1", "a1", "Hai", "x", "Bốn", "ba",
		"Sáu", "sau", "huyện sáu", "Bảy", "TP Bảy", "Tám", "tam", "Chín", "chin"}
	odd.Indicators = []thidua.Indicator{{Code: "a", Name: "B c"}, {Code: "b_c", Name: "Đ"}, {Code: "d", Aliases: []string{"a"}}, {Code: " e ", Name: "F"}}
	inds := []string{"a", "A", " a ", "b c", "B_C", "b-c", "đ", "d", "D", "e", " e ", "f", "", "-", "new_coops", "Trồng rừng",
		"trong rung", "Tỷ lệ hộ nghèo", "HTX thành lập mới", "nope"}
	for _, c := range []*thidua.Cluster{testCluster(), odd} {
		x := newClusterIndex(c)
		for _, s := range inds {
			got, gotOK := x.indicator(s)
			want, wantOK := c.LookupIndicator(s)
			if gotOK != wantOK || got.Code != want.Code {
				t.Errorf("indicator %q: index gives %s %v, the cluster %s %v", s, got.Code, gotOK, want.Code, wantOK)
			}
		}
		for _, s := range texts {
			got, gotOK := x.lookup(s)
			want, wantOK := c.LookupUnit(s, time.Time{})
			if gotOK != wantOK || got.Code != want.Code || got.Name != want.Name {
				t.Errorf("%q: index gives %s %s %v, the cluster %s %s %v", s, got.Code, got.Name, gotOK, want.Code, want.Name, wantOK)
			}
		}
	}
}
