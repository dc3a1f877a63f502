package transform

import (
	"testing"
	"time"

	"github.com/thidua/thidua"
)

// One test per rule of docs/transform.md#rules that issue 12 decided: the
// cluster row when not every unit reported, unit rows' cluster columns,
// complete, shares, the cluster's year to date and % of target, ratios with
// rate-only units, and a stock span with a missing middle month.

// TestRuleClusterValuePartial (#rule-cluster-value): a cluster row some unit
// is missing from has no value; the sum of the units that reported is
// value_partial, with units_reported of units_expected, and the row is
// incomplete. No row carries the partial sum as cluster_total. When every
// unit reports, value is the sum and value_partial is NULL.
func TestRuleClusterValuePartial(t *testing.T) {
	f := newFixture(t, smallCluster("rev"))
	f.months("A1", "rev", 2020, 1, 10, 10, 10)
	f.months("B2", "rev", 2020, 1, 5, 5, 5)
	f.months("C3", "rev", 2020, 1, 1, 1) // no March
	f.run(Options{})
	check(t, "cluster 2020-02", f.pop("CL", "rev", "2020-02"), map[string]any{"value": 16, "value_partial": N,
		"cluster_total": 16, "complete": true, "units_reported": int64(3), "units_expected": int64(3),
		"value_source": "cluster", "share_of_cluster": N}, false)
	check(t, "cluster 2020-03", f.pop("CL", "rev", "2020-03"), map[string]any{"value": N, "value_partial": 15,
		"cluster_total": N, "complete": false, "units_reported": int64(2), "units_expected": int64(3),
		"value_source": N, "status": "incomplete", "change_prev": N}, false)
	check(t, "cluster 2020-Q1", f.pop("CL", "rev", "2020-Q1"), map[string]any{"value": N, "value_partial": 45,
		"units_reported": int64(2), "units_expected": int64(3), "complete": false}, false)
	for _, u := range []string{"A1", "B2", "C3"} {
		check(t, u+" 2020-03", f.pop(u, "rev", "2020-03"), map[string]any{"cluster_total": N, "share_of_cluster": N}, false)
	}
	if n := f.rows(`SELECT * FROM indicator_pop WHERE value_partial IS NOT NULL AND (value IS NOT NULL OR complete OR NOT is_cluster)`); len(n) != 0 {
		t.Errorf("value_partial beside a value, on a complete row or on a unit row: %v", n)
	}
}

// TestRuleUnitRowColumns (#rule-complete, #rule-cluster-value): on a unit
// row, complete says its value is known, and the cluster-row columns
// units_reported, units_expected and value_partial are NULL.
func TestRuleUnitRowColumns(t *testing.T) {
	f := newFixture(t, smallCluster("rev"))
	f.months("A1", "rev", 2020, 1, 10, 10, 10)
	f.months("B2", "rev", 2020, 1, 5, N2, 5)
	f.run(Options{})
	check(t, "A1 Q1", f.pop("A1", "rev", "2020-Q1"), map[string]any{"value": 30, "complete": true,
		"units_reported": N, "units_expected": N, "value_partial": N}, false)
	check(t, "B2 Q1", f.pop("B2", "rev", "2020-Q1"), map[string]any{"value": N, "complete": false,
		"months_reported": int64(2), "units_reported": N, "units_expected": N, "value_partial": N, "status": "incomplete"}, false)
	check(t, "C3 Q1", f.pop("C3", "rev", "2020-Q1"), map[string]any{"value": N, "complete": false,
		"months_reported": int64(0), "units_reported": N, "status": "not_reported"}, false)
	if n := f.rows(`SELECT * FROM indicator_pop WHERE NOT is_cluster AND (complete <> (value IS NOT NULL)
		OR units_reported IS NOT NULL OR units_expected IS NOT NULL)`); len(n) != 0 {
		t.Errorf("unit rows breaking the rule: %v", n)
	}
}

// TestRuleShare (#rule-share): a unit's share of the cluster's total; none
// on the cluster row and none for a cluster_value: mean indicator, whose
// total means nothing.
func TestRuleShare(t *testing.T) {
	c := smallCluster("rev")
	c.Indicators = append(c.Indicators, thidua.Indicator{Code: "crit", Name: "Tiêu chí/xã", Agg: thidua.Last,
		Direction: thidua.Higher, ClusterValue: "mean"})
	f := newFixture(t, c)
	f.months("A1", "rev", 2020, 1, 30)
	f.months("B2", "rev", 2020, 1, 10)
	f.months("C3", "rev", 2020, 1, 60)
	f.months("A1", "crit", 2020, 1, 15)
	f.months("B2", "crit", 2020, 1, 12)
	f.months("C3", "crit", 2020, 1, 9)
	f.run(Options{})
	check(t, "A1 rev", f.pop("A1", "rev", "2020-01"), map[string]any{"share_of_cluster": 30, "cluster_total": 100}, false)
	check(t, "cluster rev", f.pop("CL", "rev", "2020-01"), map[string]any{"value": 100, "share_of_cluster": N}, false)
	check(t, "A1 crit", f.pop("A1", "crit", "2020-01"), map[string]any{"share_of_cluster": N, "cluster_total": N,
		"cluster_mean": 12}, false)
	check(t, "cluster crit", f.pop("CL", "crit", "2020-01"), map[string]any{"value": 12, "share_of_cluster": N,
		"cluster_total": N, "cluster_mean": 12}, false)
}

// TestRuleClusterYTD (#rule-cluster-ytd): every unit has a Q2 value, but C3
// has no year to date (no Q1). The cluster's year to date is not the sum of
// A1's and B2's, so its % of target is not understated as 130 ÷ 300: it is
// NULL and the row is incomplete.
func TestRuleClusterYTD(t *testing.T) {
	f := newFixture(t, smallCluster("rev"))
	f.add("A1", "rev", "2020-03", thidua.YTDBasis, 40)
	f.add("A1", "rev", "2020-06", thidua.YTDBasis, 75)
	f.add("B2", "rev", "2020-03", thidua.YTDBasis, 20)
	f.add("B2", "rev", "2020-06", thidua.YTDBasis, 55)
	f.add("C3", "rev", "2020-Q2", thidua.PeriodBasis, 35)
	for _, u := range []string{"A1", "B2", "C3"} {
		f.target(u, "rev", 2020, 100)
	}
	f.run(Options{})
	check(t, "cluster Q2", f.pop("CL", "rev", "2020-Q2"), map[string]any{"value": 105, "complete": true,
		"ytd_value": N, "target": 300, "pct_of_target": N, "achievement": N, "status": "incomplete"}, false)
	check(t, "A1 Q2", f.pop("A1", "rev", "2020-Q2"), map[string]any{"ytd_value": 75, "pct_of_target": 75}, false)
	check(t, "C3 Q2", f.pop("C3", "rev", "2020-Q2"), map[string]any{"ytd_value": N, "pct_of_target": N, "status": "incomplete"}, false)
	// Once C3's year to date is in, the cluster's is the whole sum.
	f.add("C3", "rev", "2020-06", thidua.YTDBasis, 40)
	f.run(Options{})
	check(t, "cluster Q2 after C3 Q1", f.pop("CL", "rev", "2020-Q2"), map[string]any{"ytd_value": 170,
		"pct_of_target": 170.0 / 3, "status": "behind"}, false)
}

// TestRuleClusterRatio (#rule-cluster-ratio): a unit that reports only its
// rate is counted in no Σnumerator ÷ Σdenominator; while one does, the
// cluster's rate is not known and the parts' rate of the others is
// value_partial. With every unit's parts the cluster rate is Σ ÷ Σ.
func TestRuleClusterRatio(t *testing.T) {
	f := newFixture(t, smallCluster("rate", "poor", "hh"))
	f.months("A1", "poor", 2020, 1, 30, 30)
	f.months("A1", "hh", 2020, 1, 100, 100)
	f.months("B2", "poor", 2020, 1, 10, 10)
	f.months("B2", "hh", 2020, 1, 400, 400)
	f.add("C3", "rate", "2020-01", thidua.PeriodBasis, 50)
	f.months("C3", "poor", 2020, 2, 50)
	f.months("C3", "hh", 2020, 2, 500)
	f.run(Options{})
	check(t, "C3 January", f.pop("C3", "rate", "2020-01"), map[string]any{"value": 50, "value_source": "direct"}, false)
	check(t, "cluster January", f.pop("CL", "rate", "2020-01"), map[string]any{"value": N, "value_partial": 8,
		"cluster_mean": 8, "units_reported": int64(2), "units_expected": int64(3), "complete": false, "status": "incomplete",
		// C3's rate is ranked on its own row: 3 units ranked
		"units_ranked": int64(3)}, false)
	check(t, "C3 January rank", f.pop("C3", "rate", "2020-01"), map[string]any{"rank_value": int64(3), "units_ranked": N}, false)
	check(t, "cluster February", f.pop("CL", "rate", "2020-02"), map[string]any{"value": 9, "value_partial": N,
		"cluster_total": 9, "units_reported": int64(3), "units_expected": int64(3), "complete": true}, false)
}

// TestRuleStockMissingMiddleMonth (#rule-stock-gap): a stock's quarter is
// its value at the end month, so a missing February does not make Q1
// unknown: the row is complete with months_reported 2 of 3, and the missing
// month is a completeness finding of February.
func TestRuleStockMissingMiddleMonth(t *testing.T) {
	f := newFixture(t, smallCluster("stock"))
	f.months("A1", "stock", 2020, 1, 5, N2, 7)
	f.months("B2", "stock", 2020, 1, 1, 1, 1)
	f.months("C3", "stock", 2020, 1, 2, 2, 2)
	f.target("A1", "stock", 2020, 7)
	f.run(Options{Now: time.Date(2020, 4, 2, 0, 0, 0, 0, time.UTC)})
	check(t, "A1 Q1", f.pop("A1", "stock", "2020-Q1"), map[string]any{"value": 7, "complete": true,
		"months_expected": int64(3), "months_reported": int64(2), "value_source": "months", "status": "on_target"}, false)
	check(t, "A1 February", f.pop("A1", "stock", "2020-02"), map[string]any{"value": N, "complete": false}, false)
	check(t, "cluster Q1", f.pop("CL", "stock", "2020-Q1"), map[string]any{"value": 10, "complete": true,
		"units_reported": int64(3), "months_expected": int64(9), "months_reported": int64(8)}, false)
	check(t, "cluster February", f.pop("CL", "stock", "2020-02"), map[string]any{"value": N, "value_partial": 3}, false)
	q := quality(f, "completeness")
	if len(q) != 1 || q[0]["unit_code"] != "A1" || q[0]["period"] != "2020-02" {
		t.Errorf("completeness findings %v, want one: A1 2020-02", q)
	}
}
