package transform

import (
	"testing"

	"github.com/thidua/thidua"
)

// TestMonthsReportedDirectRatio: a month whose ratio is reported directly
// (its parts are missing) is a reported month: the month row, the span over
// it and the cluster row count it.
func TestMonthsReportedDirectRatio(t *testing.T) {
	f := newFixture(t, smallCluster("rate", "poor", "hh"))
	f.months("A1", "poor", 2020, 1, 10, 10, N2)
	f.months("A1", "hh", 2020, 1, 100, 100, N2)
	f.add("A1", "rate", "2020-03", thidua.PeriodBasis, 9.5)
	f.months("B2", "poor", 2020, 1, 5, 5, 5)
	f.months("B2", "hh", 2020, 1, 50, 50, 50)
	f.run(Options{})
	check(t, "A1 March", f.pop("A1", "rate", "2020-03"), map[string]any{"value": 9.5, "value_source": "direct",
		"complete": true, "months_expected": 1, "months_reported": 1}, false)
	// a ratio of two stocks over Q1 is its rate at the end of March
	check(t, "A1 Q1", f.pop("A1", "rate", "2020-Q1"), map[string]any{"value": 9.5, "value_source": "direct", "complete": true,
		"months_expected": 3, "months_reported": 3}, false)
	// C3 reported nothing: 2 of its 3 units' months
	check(t, "cluster March", f.pop("CL", "rate", "2020-03"), map[string]any{"months_expected": 3, "months_reported": 2}, false)
}

// TestMonthsReportedDirectSpan: a direct half-year report counts all its
// months as reported (issue 10: months_reported 0 beside complete true).
func TestMonthsReportedDirectSpan(t *testing.T) {
	f := newFixture(t, smallCluster("rev"))
	f.add("A1", "rev", "2020-H1", thidua.PeriodBasis, 60)
	f.add("B2", "rev", "2020-06", thidua.YTDBasis, 30)
	f.run(Options{})
	check(t, "A1 H1", f.pop("A1", "rev", "2020-H1"), map[string]any{"value": 60, "complete": true,
		"months_expected": 6, "months_reported": 6}, false)
	check(t, "B2 H1 from ytd", f.pop("B2", "rev", "2020-H1"), map[string]any{"value": 30, "complete": true,
		"months_expected": 6, "months_reported": 6}, false)
	check(t, "A1 Q1 unknown", f.pop("A1", "rev", "2020-Q1"), map[string]any{"value": N, "complete": false,
		"months_reported": 0}, false)
}

// TestCumulativeMonthExact: a month derived from year-to-date reports is
// exact, so it ties with an equal month reported directly.
func TestCumulativeMonthExact(t *testing.T) {
	f := newFixture(t, smallCluster("rev"))
	f.add("A1", "rev", "2020-01", thidua.YTDBasis, 20.1)
	f.add("A1", "rev", "2020-02", thidua.YTDBasis, 34.7)
	f.months("B2", "rev", 2020, 2, 14.6)
	f.run(Options{})
	a := f.pop("A1", "rev", "2020-02")
	if v, ok := a["value"].(float64); !ok || v != 14.6 {
		t.Errorf("A1 2020-02 = %v, want exactly 14.6", a["value"])
	}
	b := f.pop("B2", "rev", "2020-02")
	if a["rank_value"] != int64(1) || b["rank_value"] != int64(1) {
		t.Errorf("ranks %v and %v, want a tie at 1", a["rank_value"], b["rank_value"])
	}
}

// TestCumulativeQuarterExact: a quarter valued from two year-to-date
// reports is exact too.
func TestCumulativeQuarterExact(t *testing.T) {
	f := newFixture(t, smallCluster("rev"))
	f.add("A1", "rev", "2020-03", thidua.YTDBasis, 20.1)
	f.add("A1", "rev", "2020-06", thidua.YTDBasis, 34.7)
	f.run(Options{})
	if v, ok := f.pop("A1", "rev", "2020-Q2")["value"].(float64); !ok || v != 14.6 {
		t.Errorf("A1 2020-Q2 = %v, want exactly 14.6", v)
	}
}
