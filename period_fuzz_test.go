package thidua

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzParsePeriod checks that ParsePeriod never panics, only returns valid
// periods, and reads back every canonical label it produces.
func FuzzParsePeriod(f *testing.F) {
	for _, s := range []string{
		"2020-06", "06/2020", "T6/2020", "Tháng 6/2020", "tháng 6 năm 2020", "Q2/2020", "Quý II/2020", "2020-Q2",
		"2020-H1", "H1/2020", "6 tháng đầu năm 2020", "6 tháng năm 2020", "6 tháng cuối năm 2020", "9 tháng năm 2020", "2020-9M",
		"Năm 2020", "2020", "-2020", "2020-", "//", "-/-", "Quý IV - 2019", "9 tháng đầu năm 2020", "0000-00",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, err := ParsePeriod(s)
		if err != nil {
			if _, ok := err.(*PeriodError); !ok {
				t.Fatalf("ParsePeriod(%q): error %T, want *PeriodError", s, err)
			}
			return
		}
		if !p.Valid() {
			t.Fatalf("ParsePeriod(%q) = invalid %+v", s, p)
		}
		label := p.String()
		q, err := ParsePeriod(label)
		if err != nil || q != p {
			t.Fatalf("ParsePeriod(%q) = %v, but its label %q reads as %v, %v", s, p, label, q, err)
		}
		if utf8.ValidString(s) {
			if u, err := ParsePeriod(strings.ToUpper(s)); err == nil && u != p {
				t.Fatalf("ParsePeriod(%q) = %v but upper case gives %v", s, p, u)
			}
		}
		first, last := p.Months()
		if first < 1 || last > 12 || first > last || p.End().Before(p.Start()) {
			t.Fatalf("ParsePeriod(%q) = %v spans months %d–%d", s, p, first, last)
		}
	})
}

// TestParsePeriodSixMonths: "6 tháng năm 2020" (no đầu) is the first half,
// as "9 tháng năm 2020" is the first nine months.
func TestParsePeriodSixMonths(t *testing.T) {
	for in, want := range map[string]Period{
		"6 tháng năm 2020":      {Half, 2020, 1},
		"6 THÁNG NĂM 2020":      {Half, 2020, 1},
		"6 tháng đầu năm 2020":  {Half, 2020, 1},
		"6 tháng cuối năm 2020": {Half, 2020, 2},
	} {
		if got, err := ParsePeriod(in); err != nil || got != want {
			t.Errorf("ParsePeriod(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
}

// TestParsePeriodDigits: digits alone are a year, never a month glued to one.
func TestParsePeriodDigits(t *testing.T) {
	for _, s := range []string{"12020", "062020", "202006", "20200"} {
		if p, err := ParsePeriod(s); err == nil {
			t.Errorf("ParsePeriod(%q) = %v, want an error", s, p)
		}
	}
	if p, err := ParsePeriod("2020"); err != nil || p != (Period{Year, 2020, 0}) {
		t.Errorf("ParsePeriod(2020) = %v, %v", p, err)
	}
}
