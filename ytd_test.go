package thidua

import "testing"

func TestPeriodYTDConflict(t *testing.T) {
	sum := Indicator{Code: "budget_revenue", Agg: Sum}
	last := Indicator{Code: "ntm_communes", Agg: Last}
	avg := Indicator{Code: "avg", Agg: Average}
	ratio := Indicator{Code: "poverty_rate", Agg: Ratio}
	june := MonthPeriod(2020, 6)
	h1 := Period{Type: Half, Year: 2020, N: 1}
	h2 := Period{Type: Half, Year: 2020, N: 2}
	q1 := Period{Type: Quarter, Year: 2020, N: 1}
	for _, tc := range []struct {
		ind          Indicator
		p            Period
		period, ytd  float64
		wantConflict bool
	}{
		{sum, june, 100, 600, false},
		{sum, june, 600, 600, false},
		{sum, june, 700, 600, true}, // the month more than the year to date
		{sum, h1, 600, 600, false},
		{sum, h1, 0.1 + 0.2, 0.3, false}, // floating point
		{sum, h1, 500, 600, true},        // H1 is January to June: equal
		{sum, q1, 300, 250, true},
		{sum, h2, 700, 1300, false},
		{sum, MonthPeriod(2020, 1), 50, 60, true},
		{last, june, 12, 12, false},
		{last, june, 3, 12, true}, // a stock is the value at the end of both
		{avg, june, 5, 7, false},
		{avg, h1, 5, 7, true},
		{ratio, h1, 5, 7, false},
	} {
		got := PeriodYTDConflict(tc.ind, tc.p, tc.period, tc.ytd)
		if (got != "") != tc.wantConflict {
			t.Errorf("%s %s period %v ytd %v: %q, want conflict %v", tc.ind.Code, tc.p, tc.period, tc.ytd, got, tc.wantConflict)
		}
	}
}
