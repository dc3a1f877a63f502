package thidua_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/thidua/thidua"
)

func TestFold(t *testing.T) {
	nfd := "Pa\u0301c Na\u0323\u0306m" // decomposed "Pác Nặm"
	for _, s := range []string{"Pác Nặm", nfd, "PÁC NẶM", "pac nam", "  Pác   Nặm ", "Pác-Nặm"} {
		if got := thidua.Fold(s); got != "pac nam" {
			t.Errorf("Fold(%q) = %q, want %q", s, got, "pac nam")
		}
	}
	if got := thidua.Fold("Chợ Đồn"); got != "cho don" {
		t.Errorf("Fold(Chợ Đồn) = %q", got)
	}
}

func TestFoldUnitName(t *testing.T) {
	cases := map[string]string{
		"Huyện Pác Nặm":     "pac nam",
		"H. Ngân Sơn":       "ngan son",
		"TP. Bắc Kạn":       "bac kan",
		"Thành Phố Bắc Kạn": "bac kan",
		"Thị xã Bắc Kạn":    "bac kan",
		"HUYEN NA RI":       "na ri",
		"Huyện":             "huyen", // a prefix alone is a name
	}
	for in, want := range cases {
		if got := thidua.FoldUnitName(in); got != want {
			t.Errorf("FoldUnitName(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestParsePeriod(t *testing.T) {
	cases := map[string]string{
		"2020-06": "2020-06", "06/2020": "2020-06", "6/2020": "2020-06", "T6/2020": "2020-06",
		"Tháng 6/2020": "2020-06", "tháng 06 năm 2020": "2020-06", "THÁNG 6/2020": "2020-06", "2020/06": "2020-06",
		"Q2/2020": "2020-Q2", "Quý II/2020": "2020-Q2", "quý 2 năm 2020": "2020-Q2", "2020-Q2": "2020-Q2", "QUÝ IV/2019": "2019-Q4",
		"2020-H1": "2020-H1", "H2/2020": "2020-H2", "6 tháng đầu năm 2020": "2020-H1", "6 tháng cuối năm 2020": "2020-H2",
		"9 tháng năm 2020": "2020-9M", "9 tháng đầu năm 2020": "2020-9M", "2020-9M": "2020-9M",
		"Năm 2020": "2020", "2020": "2020", "năm 2019": "2019",
	}
	for in, want := range cases {
		p, err := thidua.ParsePeriod(in)
		if err != nil {
			t.Errorf("ParsePeriod(%q): %v", in, err)
			continue
		}
		if p.String() != want {
			t.Errorf("ParsePeriod(%q) = %s, want %s", in, p, want)
		}
		// The canonical label reads back as itself.
		if q, err := thidua.ParsePeriod(p.String()); err != nil || q != p {
			t.Errorf("ParsePeriod(%q) = %v, %v; want %v", p.String(), q, err, p)
		}
	}
	for _, bad := range []string{"", "2020-13", "13/2020", "Q5/2020", "Quý V/2020", "H3/2020", "tháng sáu", "20", "2020-06-30x"} {
		if p, err := thidua.ParsePeriod(bad); err == nil {
			t.Errorf("ParsePeriod(%q) = %v, want an error", bad, p)
		}
	}
}

func TestPeriodSpans(t *testing.T) {
	p, _ := thidua.ParsePeriod("2020-Q1")
	if got := p.Prev().String(); got != "2019-Q4" {
		t.Errorf("Prev(2020-Q1) = %s", got)
	}
	if got := p.YearBefore().String(); got != "2019-Q1" {
		t.Errorf("YearBefore(2020-Q1) = %s", got)
	}
	h1, _ := thidua.ParsePeriod("2020-H1")
	if !h1.End().Equal(time.Date(2020, 6, 30, 0, 0, 0, 0, time.UTC)) || !h1.Start().Equal(time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("H1 2020 spans %v–%v", h1.Start(), h1.End())
	}
	if got := thidua.MonthPeriod(2020, 1).Prev().String(); got != "2019-12" {
		t.Errorf("Prev(2020-01) = %s", got)
	}
	if f, l := (thidua.Period{Type: thidua.YTD9, Year: 2020, N: 9}).Months(); f != 1 || l != 9 {
		t.Errorf("9M months %d–%d", f, l)
	}
}

func testCluster() *thidua.Cluster {
	return &thidua.Cluster{
		Code: "BK8", Name: "Cụm",
		Units: []thidua.Unit{
			{Code: "058", Name: "Thành phố Bắc Kạn", Aliases: []string{"Thị xã Bắc Kạn", "Bắc Cạn"}},
			{Code: "060", Name: "Pác Nặm"},
			{Code: "066", Name: "Na Rì", Aliases: []string{"Na Rỳ"}, ValidTo: time.Date(2025, 6, 30, 0, 0, 0, 0, time.UTC)},
		},
		Indicators: []thidua.Indicator{
			{Code: "new_coops", Name: "Hợp tác xã thành lập mới", NameEN: "New cooperatives established", Agg: thidua.Sum, Direction: thidua.Higher, Aliases: []string{"HTX thành lập mới"}},
		},
	}
}

func TestLookupUnit(t *testing.T) {
	c := testCluster()
	cases := map[string]string{
		"060": "060", "60": "060", "Pác Nặm": "060", "HUYỆN PÁC NẶM": "060", "pac nam": "060", "Pa\u0301c Na\u0323\u0306m": "060",
		"TP. Bắc Kạn": "058", "Thị xã Bắc Kạn": "058", "Bắc Cạn": "058", "Na Rỳ": "066", "H. Na Rì": "066",
	}
	for in, want := range cases {
		u, ok := c.LookupUnit(in, time.Time{})
		if !ok || u.Code != want {
			t.Errorf("LookupUnit(%q) = %q, %v; want %q", in, u.Code, ok, want)
		}
	}
	if _, ok := c.LookupUnit("Ba Bể", time.Time{}); ok {
		t.Error("LookupUnit(Ba Bể) found a unit not in the cluster")
	}
	if _, ok := c.LookupUnit("Na Rì", time.Date(2025, 7, 1, 0, 0, 0, 0, time.UTC)); ok {
		t.Error("LookupUnit found Na Rì after its validity ended")
	}
	if ind, ok := c.LookupIndicator("htx THANH LAP MOI"); !ok || ind.Code != "new_coops" {
		t.Errorf("LookupIndicator by alias = %v, %v", ind.Code, ok)
	}
}

func TestValidate(t *testing.T) {
	c := testCluster()
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	bad := *c
	bad.Indicators = append(bad.Indicators, thidua.Indicator{Code: "r", Agg: thidua.Ratio, Numerator: "new_coops", Denominator: "missing", Factor: 100, Direction: thidua.Lower})
	if err := bad.Validate(); err == nil {
		t.Error("a ratio with an unknown part validated")
	}
	bad = *c
	bad.Units = append([]thidua.Unit{{Code: "x'; DROP TABLE units; --", Name: "x"}}, c.Units...)
	if err := bad.Validate(); err == nil {
		t.Error("a unit code with SQL in it validated")
	}
}

func ExampleParsePeriod() {
	for _, s := range []string{"T6/2020", "Quý II/2020", "6 tháng đầu năm 2020", "9 tháng năm 2020", "Năm 2020"} {
		p, err := thidua.ParsePeriod(s)
		if err != nil {
			fmt.Println(err)
			continue
		}
		fmt.Printf("%s → %s (%s)\n", s, p, p.Type)
	}
	// Output:
	// T6/2020 → 2020-06 (month)
	// Quý II/2020 → 2020-Q2 (quarter)
	// 6 tháng đầu năm 2020 → 2020-H1 (half)
	// 9 tháng năm 2020 → 2020-9M (ytd)
	// Năm 2020 → 2020 (year)
}

func ExampleFoldUnitName() {
	fmt.Println(thidua.FoldUnitName("Huyện Pác Nặm"), "|", thidua.FoldUnitName("TP. Bắc Kạn"), "|", thidua.FoldUnitName("CHỢ ĐỒN"))
	// Output: pac nam | bac kan | cho don
}
