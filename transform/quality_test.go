package transform

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/thidua/thidua"
)

func quality(f *fixture, check string) []map[string]any {
	return f.rows(`SELECT * FROM quality WHERE check_name = ? ORDER BY unit_code, indicator_code, period`, check)
}

func smallCluster(inds ...string) thidua.Cluster {
	c := testCluster()
	var keep []thidua.Indicator
	for _, ind := range c.Indicators {
		for _, k := range inds {
			if ind.Code == k {
				keep = append(keep, ind)
			}
		}
	}
	c.Indicators = keep
	return c
}

func TestCompleteness(t *testing.T) {
	f := newFixture(t, smallCluster("rev", "stock"))
	f.months("A1", "rev", 2020, 1, 1, 2, 3)
	f.months("A1", "stock", 2020, 1, 5, N2, 7)
	f.months("B2", "rev", 2020, 1, 1, 1)
	f.months("B2", "stock", 2020, 1, 1, 1, 1)
	f.months("C3", "rev", 2020, 1, 1, 1, 1)
	f.months("C3", "stock", 2020, 1, 1, 1, 1)
	// March has not ended at the run: nobody is expected to have reported it.
	f.run(Options{Now: time.Date(2020, 3, 20, 0, 0, 0, 0, time.UTC)})
	q := quality(f, "completeness")
	if len(q) != 1 {
		t.Fatalf("completeness rows: %v", q)
	}
	check(t, "A1 2020-02", q[0], map[string]any{"unit_code": "A1", "indicator_code": N, "period": "2020-02",
		"value": 1, "expected": 2, "score": 0.5,
		"message": "1 of 2 expected monthly reports received (50.0%); months missing: stock 1"}, false)
	// A year later March is expected: B2 misses rev for March in 2020-03, Q1,
	// H1, 9M and the year (which expect 1, 6, 12, 18, 24 months of 2 indicators).
	f.run(Options{Now: time.Date(2021, 2, 1, 0, 0, 0, 0, time.UTC)})
	got := map[string]string{}
	for _, r := range quality(f, "completeness") {
		got[r["unit_code"].(string)+" "+r["period"].(string)] = r["message"].(string)
	}
	for k, want := range map[string]string{
		"A1 2020-02": "1 of 2 expected monthly reports received (50.0%); months missing: stock 1",
		"B2 2020-03": "1 of 2 expected monthly reports received (50.0%); months missing: rev 1",
		"B2 2020-Q1": "5 of 6 expected monthly reports received (83.3%); months missing: rev 1",
	} {
		if got[k] != want {
			t.Errorf("%s: %q, want %q", k, got[k], want)
		}
	}
	// A1's Q1 stock is known (its end month), so A1's Q1 is complete.
	if _, ok := got["A1 2020-Q1"]; ok {
		t.Errorf("A1 Q1 flagged: %v", got)
	}
}

func TestOutliers(t *testing.T) {
	f := newFixture(t, smallCluster("rev", "stock"))
	f.months("A1", "rev", 2020, 1, 10, 11, 9, 10, 12, 10, 100)
	f.months("A1", "stock", 2020, 1, 10)
	f.months("B2", "stock", 2020, 1, 11)
	f.months("C3", "stock", 2020, 1, 100)
	f.run(Options{})
	q := quality(f, "outlier_unit_history")
	if len(q) != 1 {
		t.Fatalf("unit history outliers: %v", q)
	}
	check(t, "history", q[0], map[string]any{"unit_code": "A1", "indicator_code": "rev", "period": "2020-07",
		"value": 100, "expected": 10, "score": 0.6745 * 90,
		"message": "value 100 is far from this unit's monthly history (median 10, MAD 1 over 7 months): modified z-score 60.70 beyond ±3.5"}, false)
	q = f.rows(`SELECT * FROM quality WHERE check_name = 'outlier_cross_unit' AND period = '2020-01'`)
	if len(q) != 1 {
		t.Fatalf("cross-unit outliers: %v", q)
	}
	check(t, "cross", q[0], map[string]any{"unit_code": "C3", "indicator_code": "stock", "value": 100, "expected": 11,
		"score":   0.6745 * 89,
		"message": "value 100 is far from the 3 units' values for this period (median 11, MAD 1): modified z-score 60.03 beyond ±3.5"}, false)
	// A higher threshold silences both.
	f.run(Options{OutlierZ: 100})
	if q := f.rows(`SELECT * FROM quality WHERE check_name LIKE 'outlier%'`); len(q) != 0 {
		t.Errorf("outliers at z 100: %v", q)
	}
}

func TestRules(t *testing.T) {
	f := newFixture(t, smallCluster("rev", "stock"))
	f.months("A1", "stock", 2020, 1, 12) // > 10 communes
	f.months("B2", "stock", 2020, 1, 5)  // = 5 communes: fine
	f.months("A1", "rev", 2020, 1, 20)
	f.months("B2", "rev", 2020, 1, -5)
	f.run(Options{Rules: []string{"stock <= communes", "rev>=0", "stock < rev"}})
	q := f.rows(`SELECT * FROM quality WHERE check_name = 'rule' AND period = '2020-01' ORDER BY unit_code, message`)
	if len(q) != 3 {
		t.Fatalf("rule rows: %v", q)
	}
	check(t, "A1 communes", q[0], map[string]any{"unit_code": "A1", "indicator_code": "stock", "value": 12, "expected": 10, "score": 2,
		"message": `breaks rule "stock <= communes": stock = 12, communes = 10`}, false)
	check(t, "B2 negative", q[1], map[string]any{"unit_code": "B2", "indicator_code": "rev", "value": -5, "expected": 0, "score": -5,
		"message": `breaks rule "rev>=0": rev = -5, limit = 0`}, false)
	check(t, "B2 stock<rev", q[2], map[string]any{"unit_code": "B2", "indicator_code": "stock", "value": 5, "expected": -5,
		"message": `breaks rule "stock < rev": stock = 5, rev = -5`}, false)

	for _, bad := range []string{"nope <= 3", "stock <= nope", "stock <> 3", "stock => 3", "stock", "stock <= ", "sto ck < 3", "stock < 1e999", "stock < 'x'"} {
		err := Run(context.Background(), f.db.SQL(), Options{Rules: []string{bad}})
		var re *thidua.RuleError
		if !errors.As(err, &re) || re.Rule != bad || !strings.Contains(err.Error(), "step rules") {
			t.Errorf("rule %q: error %v", bad, err)
		}
	}
}

func TestLateCorrection(t *testing.T) {
	f := newFixture(t, smallCluster("rev"))
	f.months("A1", "rev", 2020, 1, 10)
	f.months("B2", "rev", 2020, 1, 7)
	f.load(time.Date(2020, 2, 5, 8, 0, 0, 0, time.UTC))
	f.months("A1", "rev", 2020, 1, 12)
	f.months("B2", "rev", 2020, 1, 7) // unchanged: no flag
	f.load(time.Date(2020, 4, 1, 9, 30, 0, 0, time.UTC))
	f.run(Options{})
	q := quality(f, "late_correction")
	if len(q) != 1 {
		t.Fatalf("late corrections: %v", q)
	}
	check(t, "A1", q[0], map[string]any{"unit_code": "A1", "indicator_code": "rev", "period": "2020-01",
		"value": 12, "expected": 10, "score": 20,
		"message": "2020-01 value (period) changed from 10 to 12 by load 2 at 2020-04-01 09:30:00, after the period was first loaded at 2020-02-05 08:00:00"}, false)
	if got := f.pop("A1", "rev", "2020-01")["value"]; !same(got, 12) {
		t.Errorf("corrected value %v", got)
	}
}

func TestRatioDirectConflict(t *testing.T) {
	f := newFixture(t, smallCluster("rate", "poor", "hh"))
	f.months("A1", "poor", 2020, 1, 10)
	f.months("A1", "hh", 2020, 1, 100)
	f.add("A1", "rate", "2020-01", thidua.PeriodBasis, 12)
	f.run(Options{})
	q := quality(f, "span_conflict")
	if len(q) != 1 {
		t.Fatalf("%v", q)
	}
	check(t, "ratio conflict", q[0], map[string]any{"unit_code": "A1", "indicator_code": "rate", "period": "2020-01",
		"value": 12, "expected": 10, "score": 2,
		"message": "direct report of 2020-01 = 12 disagrees with its parts 10 ÷ 100 × 100 = 10; the parts are used"}, false)
	if got := f.pop("A1", "rate", "2020-01")["value"]; !same(got, 10) {
		t.Errorf("rate %v, want 10 from the parts", got)
	}
}

// TestMonthConflictsWithYTD: a month report and year-to-date reports that
// disagree are flagged on the month and on the January-to-month span.
func TestMonthConflictsWithYTD(t *testing.T) {
	f := newFixture(t, smallCluster("rev"))
	f.months("A1", "rev", 2020, 1, 5, 5)
	f.add("A1", "rev", "2020-02", thidua.YTDBasis, 12)
	f.run(Options{})
	q := quality(f, "span_conflict")
	if len(q) != 2 {
		t.Fatalf("%v", q)
	}
	msgs := []string{q[0]["message"].(string), q[1]["message"].(string)}
	want := []string{
		"direct report of 2020-02 = 5 disagrees with the difference of year-to-date reports 7; the direct report is used",
		"direct report of 2020-02 (year to date) = 12 disagrees with the sum of its months 10; the direct report is used",
	}
	if !(msgs[0] == want[0] && msgs[1] == want[1] || msgs[0] == want[1] && msgs[1] == want[0]) {
		t.Errorf("messages %q, want %q", msgs, want)
	}
	check(t, "month", f.pop("A1", "rev", "2020-02"), map[string]any{"value": 5, "ytd_value": 12, "value_source": "direct"}, false)
}
