package transform

import (
	"testing"
	"time"

	"github.com/thidua/thidua"
)

// sumFixture: rev (sum, higher) for 2019 and 2020. C3 ceases on 2020-06-30
// and reports a value after that, which must be ignored.
func sumFixture(t *testing.T) *fixture {
	f := newFixture(t, testCluster())
	f.months("A1", "rev", 2019, 1, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10)
	f.months("A1", "rev", 2020, 1, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12)
	f.months("B2", "rev", 2019, 1, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5)
	f.months("B2", "rev", 2020, 1, 20, 20, 20, 20, 20, 20, 20, 20, 20, 20, 20, 20)
	f.months("C3", "rev", 2019, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1)
	f.months("C3", "rev", 2020, 1, 3, 3, 3, 3, 3, 3)
	f.months("C3", "rev", 2020, 8, 999)
	f.target("A1", "rev", 2020, 100)
	f.target("B2", "rev", 2020, 200)
	f.target("C3", "rev", 2020, 10)
	f.run(Options{})
	return f
}

func TestSumMonthsPrevYoYAcrossYear(t *testing.T) {
	f := sumFixture(t)
	check(t, "A1 2020-01", f.pop("A1", "rev", "2020-01"), with(f.base("A1", "rev", "2020-01"),
		"value", 1, "prev_value", 10, "change_prev", -9, "pct_change_prev", -90,
		"yoy_value", 10, "change_yoy", -9, "pct_change_yoy", -90,
		"ytd_value", 1, "target", 100, "pct_of_target", 1,
		"rank_value", int64(3), "rank_target", int64(3), // B2 20, C3 3, A1 1; pct C3 30, B2 10, A1 1
		"cluster_total", 24, "cluster_mean", 8, "share_of_cluster", 100.0/24,
		"complete", true, "months_expected", int64(1), "months_reported", int64(1),
		"value_source", "direct"), true)
	check(t, "A1 2020-Q1", f.pop("A1", "rev", "2020-Q1"), with(f.base("A1", "rev", "2020-Q1"),
		"value", 6, "prev_value", 30, "change_prev", -24, "pct_change_prev", -80,
		"yoy_value", 30, "change_yoy", -24, "pct_change_yoy", -80,
		"ytd_value", 6, "target", 100, "pct_of_target", 6,
		"rank_value", int64(3), "rank_target", int64(3), // values B2 60, C3 9, A1 6; pct C3 90, B2 30, A1 6
		"cluster_total", 75, "cluster_mean", 25, "share_of_cluster", 8,
		"complete", true, "months_expected", int64(3), "months_reported", int64(3),
		"value_source", "months"), true)
	check(t, "A1 2020-H1", f.pop("A1", "rev", "2020-H1"), with(f.base("A1", "rev", "2020-H1"),
		"value", 21, "prev_value", 60, "change_prev", -39, "pct_change_prev", -65,
		"yoy_value", 60, "change_yoy", -39, "pct_change_yoy", -65,
		"ytd_value", 21, "target", 100, "pct_of_target", 21,
		"rank_value", int64(2), "rank_target", int64(3), // B2 120, A1 21, C3 18; pct C3 180, B2 60, A1 21
		"cluster_total", 159, "cluster_mean", 53, "share_of_cluster", 2100.0/159,
		"complete", true, "months_expected", int64(6), "months_reported", int64(6),
		"value_source", "months"), true)
	// 9M: Jan–Sep; C3 existed only until June, so its 9M is Jan–Jun.
	check(t, "A1 2020-9M", f.pop("A1", "rev", "2020-9M"), with(f.base("A1", "rev", "2020-9M"),
		"value", 45, "prev_value", 90, "change_prev", -45, "pct_change_prev", -50,
		"yoy_value", 90, "change_yoy", -45, "pct_change_yoy", -50,
		"ytd_value", 45, "target", 100, "pct_of_target", 45,
		"rank_value", int64(2), "rank_target", int64(3),
		"cluster_total", 45+180+18, "cluster_mean", 81, "share_of_cluster", 4500.0/243,
		"complete", true, "months_expected", int64(9), "months_reported", int64(9),
		"value_source", "months"), true)
	check(t, "A1 2020", f.pop("A1", "rev", "2020"), with(f.base("A1", "rev", "2020"),
		"value", 78, "prev_value", 120, "change_prev", -42, "pct_change_prev", -35,
		"yoy_value", 120, "change_yoy", -42, "pct_change_yoy", -35,
		"ytd_value", 78, "target", 100, "pct_of_target", 78,
		"rank_value", int64(2), "rank_target", int64(3),
		"cluster_total", 336, "cluster_mean", 112, "share_of_cluster", 7800.0/336,
		"complete", true, "months_expected", int64(12), "months_reported", int64(12),
		"value_source", "months"), true)
	// Q3's year to date is Jan–Sep.
	check(t, "A1 2020-Q3", f.pop("A1", "rev", "2020-Q3"), with(f.base("A1", "rev", "2020-Q3"),
		"value", 24, "prev_value", 15, "change_prev", 9, "pct_change_prev", 60,
		"yoy_value", 30, "change_yoy", -6, "pct_change_yoy", -20,
		"ytd_value", 45, "target", 100, "pct_of_target", 45,
		"rank_value", int64(2), "rank_target", int64(2), // only A1 and B2 exist in Q3
		"cluster_total", 84, "cluster_mean", 42, "share_of_cluster", 2400.0/84,
		"complete", true, "months_expected", int64(3), "months_reported", int64(3),
		"value_source", "months"), true)
	// The unit that ceased on 2020-06-30: whole-year value over its months.
	check(t, "C3 2020", f.pop("C3", "rev", "2020"), with(f.base("C3", "rev", "2020"),
		"value", 18, "prev_value", 12, "change_prev", 6, "pct_change_prev", 50,
		"yoy_value", 12, "change_yoy", 6, "pct_change_yoy", 50,
		"ytd_value", 18, "target", 10, "pct_of_target", 180,
		"rank_value", int64(3), "rank_target", int64(1),
		"cluster_total", 336, "cluster_mean", 112, "share_of_cluster", 1800.0/336,
		"complete", true, "months_expected", int64(6), "months_reported", int64(6),
		"value_source", "months"), true)
	// Cluster rows.
	check(t, "cluster 2020-Q1", f.pop("CL", "rev", "2020-Q1"), with(f.base("CL", "rev", "2020-Q1"),
		"value", 75, "prev_value", 48, "change_prev", 27, "pct_change_prev", 56.25,
		"yoy_value", 48, "change_yoy", 27, "pct_change_yoy", 56.25,
		"ytd_value", 75, "target", 310, "pct_of_target", 7500.0/310,
		"rank_value", N, "rank_target", N,
		"cluster_total", 75, "cluster_mean", 25, "share_of_cluster", N,
		"complete", true, "months_expected", int64(9), "months_reported", int64(9), "units_reported", int64(3),
		"units_expected", int64(3), "value_partial", N,
		"value_source", "cluster"), true)
	check(t, "cluster 2020", f.pop("CL", "rev", "2020"), with(f.base("CL", "rev", "2020"),
		"value", 336, "prev_value", 192, "change_prev", 144, "pct_change_prev", 75,
		"yoy_value", 192, "change_yoy", 144, "pct_change_yoy", 75,
		"ytd_value", 336, "target", 310, "pct_of_target", 33600.0/310,
		"rank_value", N, "rank_target", N,
		"cluster_total", 336, "cluster_mean", 112, "share_of_cluster", N,
		"complete", true, "months_expected", int64(30), "months_reported", int64(30), "units_reported", int64(3),
		"units_expected", int64(3), "value_partial", N,
		"value_source", "cluster"), true)
	check(t, "cluster 2020-H2", f.pop("CL", "rev", "2020-H2"), map[string]any{"value": 177, "prev_value": 159, "units_reported": int64(2)}, false)
	// Validity: no C3 rows after June 2020; its August report is ignored.
	if r := f.rows(`SELECT period FROM indicator_pop WHERE unit_code = 'C3' AND period_end > DATE '2020-12-31' OR (unit_code = 'C3' AND period IN ('2020-H2', '2020-Q3', '2020-07', '2020-08'))`); len(r) != 0 {
		t.Errorf("C3 rows outside its validity: %v", r)
	}
	if got := f.pop("CL", "rev", "2020-08")["value"]; !same(got, 28) {
		t.Errorf("cluster 2020-08 = %v, want 28 (C3's report after its end ignored)", got)
	}
	// Periods: 2019-01 .. 2020-12 of every type, for each of the 3 units
	// while valid, and the cluster.
	var n int
	f.db.SQL().QueryRow(`SELECT count(*) FROM indicator_pop WHERE indicator_code = 'rev'`).Scan(&n)
	// per year: 12 months, 4 quarters, 2 halves, 9M, year = 20 periods.
	// 2019: 4 rows each; 2020: A1, B2, CL 20 each, C3 6+2+1+1(9M)+1(year) = 11.
	if want := 20*4 + 20*3 + 11; n != want {
		t.Errorf("%d rev rows, want %d", n, want)
	}
}

func TestYTDBasisInput(t *testing.T) {
	f := newFixture(t, testCluster())
	for _, r := range []struct {
		p string
		v float64
	}{{"2020-03", 30}, {"2020-04", 40}, {"2020-06", 70}, {"2020-09", 100}, {"2020-12", 150}} {
		f.add("A1", "rev", r.p, thidua.YTDBasis, r.v)
	}
	f.target("A1", "rev", 2020, 200)
	f.run(Options{})
	check(t, "A1 2020-Q2", f.pop("A1", "rev", "2020-Q2"), with(f.base("A1", "rev", "2020-Q2"),
		"value", 40, "prev_value", 30, "change_prev", 10, "pct_change_prev", 100.0/3,
		"yoy_value", N, "change_yoy", N, "pct_change_yoy", N,
		"ytd_value", 70, "target", 200, "pct_of_target", 35,
		"rank_value", int64(1), "rank_target", int64(1),
		"cluster_total", N, "cluster_mean", 40, "share_of_cluster", N, // B2 and C3 have no value
		// the year-to-date reports at March and June cover every month of Q2
		"complete", true, "months_expected", int64(3), "months_reported", int64(3),
		"value_source", "cumulative"), true)
	check(t, "A1 2020-04", f.pop("A1", "rev", "2020-04"), with(f.base("A1", "rev", "2020-04"),
		"value", 10, "prev_value", N, "change_prev", N, "pct_change_prev", N,
		"yoy_value", N, "change_yoy", N, "pct_change_yoy", N,
		"ytd_value", 40, "target", 200, "pct_of_target", 20,
		"rank_value", int64(1), "rank_target", int64(1),
		"cluster_total", N, "cluster_mean", 10, "share_of_cluster", N,
		"complete", true, "months_expected", int64(1), "months_reported", int64(1),
		"value_source", "cumulative"), true)
	check(t, "A1 2020-05", f.pop("A1", "rev", "2020-05"), with(f.base("A1", "rev", "2020-05"),
		"value", N, "prev_value", 10, "change_prev", N, "pct_change_prev", N,
		"yoy_value", N, "change_yoy", N, "pct_change_yoy", N,
		"ytd_value", N, "target", 200, "pct_of_target", N,
		"rank_value", N, "rank_target", N,
		"cluster_total", N, "cluster_mean", N, "share_of_cluster", N,
		"complete", false, "months_expected", int64(1), "months_reported", int64(0),
		"value_source", N), true)
	for p, want := range map[string]any{"2020-Q1": 30, "2020-H1": 70, "2020-H2": 80, "2020-Q3": 30, "2020-Q4": 50,
		"2020-9M": 100, "2020": 150, "2020-03": N, "2020-01": N} {
		if got := f.pop("A1", "rev", p)["value"]; !same(got, want) {
			t.Errorf("A1 %s = %v, want %v", p, got, want)
		}
	}
	if got := f.pop("A1", "rev", "2020-H2")["value_source"]; got != "cumulative" {
		t.Errorf("H2 source %v", got)
	}
	if got := f.pop("A1", "rev", "2020-03")["ytd_value"]; !same(got, 30) {
		t.Errorf("2020-03 ytd %v, want 30", got)
	}
}

func TestHalfReportConflictsWithMonths(t *testing.T) {
	f := newFixture(t, testCluster())
	f.months("A1", "rev", 2020, 1, 1, 2, 3, 4, 5, 6)
	f.add("A1", "rev", "2020-H1", thidua.PeriodBasis, 25)
	f.add("B2", "rev", "2020-H1", thidua.PeriodBasis, 30)
	f.add("B2", "rev", "2020-06", thidua.YTDBasis, 31)
	f.run(Options{})
	check(t, "A1 2020-H1", f.pop("A1", "rev", "2020-H1"), with(f.base("A1", "rev", "2020-H1"),
		"value", 25, "prev_value", N, "change_prev", N, "pct_change_prev", N,
		"yoy_value", N, "change_yoy", N, "pct_change_yoy", N,
		"ytd_value", 25, "target", N, "pct_of_target", N,
		"rank_value", int64(2), "rank_target", N,
		"cluster_total", N, "cluster_mean", 27.5, "share_of_cluster", N, // C3 has no H1
		"complete", true, "months_expected", int64(6), "months_reported", int64(6),
		"value_source", "direct"), true)
	if got := f.pop("B2", "rev", "2020-H1")["value"]; !same(got, 30) {
		t.Errorf("B2 H1 = %v, want 30 (the period report wins over the ytd one)", got)
	}
	if got := f.pop("A1", "rev", "2020-Q1")["value"]; !same(got, 6) {
		t.Errorf("A1 Q1 = %v", got)
	}
	q := f.rows(`SELECT * FROM quality WHERE check_name = 'span_conflict' ORDER BY unit_code`)
	if len(q) != 2 {
		t.Fatalf("span conflicts: %v", q)
	}
	check(t, "A1 conflict", q[0], map[string]any{"unit_code": "A1", "indicator_code": "rev", "period": "2020-H1",
		"value": 25, "expected": 21, "score": 4,
		"message": "direct report of 2020-H1 = 25 disagrees with the sum of its months 21; the direct report is used"}, false)
	check(t, "B2 conflict", q[1], map[string]any{"unit_code": "B2", "indicator_code": "rev", "period": "2020-H1",
		"value": 30, "expected": N, "score": 1,
		"message": "reports of the same span disagree: 2020-H1 period = 30, 2020-06 ytd = 31; 2020-H1 period is used"}, false)
}

func TestLastStock(t *testing.T) {
	f := newFixture(t, testCluster())
	f.months("A1", "stock", 2020, 1, 5, 6, 7, 8, 9, 10)
	f.months("B2", "stock", 2020, 1, 12)
	f.add("B2", "stock", "2020-03", thidua.YTDBasis, 15)
	f.add("B2", "stock", "2020-06", thidua.YTDBasis, 20)
	f.target("A1", "stock", 2020, 12)
	f.target("B2", "stock", 2020, 25)
	f.target("C3", "stock", 2020, 5)
	f.run(Options{})
	check(t, "A1 2020-Q2", f.pop("A1", "stock", "2020-Q2"), with(f.base("A1", "stock", "2020-Q2"),
		"value", 10, "prev_value", 7, "change_prev", 3, "pct_change_prev", 300.0/7,
		"yoy_value", N, "change_yoy", N, "pct_change_yoy", N,
		"ytd_value", 10, "target", 12, "pct_of_target", 1000.0/12,
		"rank_value", int64(2), "rank_target", int64(1), // B2 20 > A1 10; pct A1 83.3 > B2 80
		// C3 has no Q2 value: the cluster has no total, so no share
		"cluster_total", N, "cluster_mean", 15, "share_of_cluster", N,
		"complete", true, "months_expected", int64(3), "months_reported", int64(3),
		"value_source", "months"), true)
	check(t, "B2 2020-Q2", f.pop("B2", "stock", "2020-Q2"), map[string]any{"value": 20, "months_reported": int64(1),
		"complete": true, "value_source": "months", "pct_of_target": 80}, false)
	check(t, "B2 2020-Q1", f.pop("B2", "stock", "2020-Q1"), map[string]any{"value": 15, "value_source": "direct"}, false)
	check(t, "B2 2020-03", f.pop("B2", "stock", "2020-03"), map[string]any{"value": 15, "value_source": "span_end", "ytd_value": 15}, false)
	check(t, "B2 2020-02", f.pop("B2", "stock", "2020-02"), map[string]any{"value": N, "complete": false}, false)
	// The year needs December.
	check(t, "A1 2020", f.pop("A1", "stock", "2020"), map[string]any{"value": N, "complete": false,
		"months_expected": int64(12), "months_reported": int64(6), "value_source": N}, false)
	// C3 reported nothing: the cluster's Q2 is not known. The sum of A1 and
	// B2 is value_partial (2 of 3 units), never value, and the cluster's %
	// of target is not 30 ÷ 42 (docs/transform.md#rule-cluster-value,
	// #rule-cluster-ytd).
	check(t, "cluster 2020-Q2", f.pop("CL", "stock", "2020-Q2"), with(f.base("CL", "stock", "2020-Q2"),
		"value", N, "prev_value", N, "change_prev", N, "pct_change_prev", N,
		"yoy_value", N, "change_yoy", N, "pct_change_yoy", N,
		"ytd_value", N, "target", 42, "pct_of_target", N,
		"rank_value", N, "rank_target", N,
		"cluster_total", N, "cluster_mean", 15, "share_of_cluster", N,
		"complete", false, "months_expected", int64(9), "months_reported", int64(4), "units_reported", int64(2),
		"units_expected", int64(3), "value_partial", 30,
		"value_source", N), true)
	if got := f.pop("CL", "stock", "2020-Q2")["status"]; got != "incomplete" {
		t.Errorf("cluster 2020-Q2 status %v, want incomplete", got)
	}
}

func TestAverage(t *testing.T) {
	f := newFixture(t, testCluster())
	f.months("A1", "avg", 2020, 1, 2, 4, 9)
	f.add("B2", "avg", "2020-02", thidua.YTDBasis, 5)
	f.add("B2", "avg", "2020-03", thidua.YTDBasis, 6)
	f.run(Options{})
	check(t, "A1 2020-Q1", f.pop("A1", "avg", "2020-Q1"), with(f.base("A1", "avg", "2020-Q1"),
		"value", 5, "prev_value", N, "change_prev", N, "pct_change_prev", N,
		"yoy_value", N, "change_yoy", N, "pct_change_yoy", N,
		"ytd_value", 5, "target", N, "pct_of_target", N,
		"rank_value", int64(2), "rank_target", N,
		"cluster_total", N, "cluster_mean", 5.5, "share_of_cluster", N, // C3 has no Q1
		"complete", true, "months_expected", int64(3), "months_reported", int64(3),
		"value_source", "months"), true)
	check(t, "B2 2020-03", f.pop("B2", "avg", "2020-03"), map[string]any{"value": 8, "value_source": "cumulative", "ytd_value": 6}, false)
	check(t, "B2 2020-02", f.pop("B2", "avg", "2020-02"), map[string]any{"value": N, "ytd_value": 5}, false)
	check(t, "B2 2020-Q1", f.pop("B2", "avg", "2020-Q1"), map[string]any{"value": 6, "value_source": "direct"}, false)
	check(t, "A1 2020-03", f.pop("A1", "avg", "2020-03"), map[string]any{"value": 9, "ytd_value": 5}, false)
	check(t, "cluster Q1", f.pop("CL", "avg", "2020-Q1"), map[string]any{"value": N, "value_partial": 11, "target": N, "ytd_value": N,
		"units_reported": int64(2), "units_expected": int64(3)}, false)
}

func TestRatioClusterIsSumOverSum(t *testing.T) {
	f := newFixture(t, testCluster())
	f.months("A1", "poor", 2020, 3, 30, N2, N2, 24)
	f.months("A1", "hh", 2020, 3, 100, N2, N2, 100)
	f.months("B2", "poor", 2020, 3, 10, N2, N2, 8)
	f.months("B2", "hh", 2020, 3, 400, N2, N2, 400)
	f.add("C3", "rate", "2020-Q1", thidua.PeriodBasis, 50)
	f.target("A1", "rate", 2020, 25)
	f.target("B2", "rate", 2020, 3)
	f.run(Options{})
	check(t, "A1 2020-Q1", f.pop("A1", "rate", "2020-Q1"), with(f.base("A1", "rate", "2020-Q1"),
		"value", 30, "prev_value", N, "change_prev", N, "pct_change_prev", N,
		"yoy_value", N, "change_yoy", N, "pct_change_yoy", N,
		"ytd_value", 30, "target", 25, "pct_of_target", 2500.0/30,
		"rank_value", int64(2), "rank_target", int64(2),
		"cluster_total", N, "cluster_mean", 8, "share_of_cluster", N,
		"complete", true, "months_expected", int64(3), "months_reported", int64(1),
		"value_source", "parts"), true)
	check(t, "B2 2020-Q1", f.pop("B2", "rate", "2020-Q1"), map[string]any{"value": 2.5, "pct_of_target": 100,
		"rank_value": int64(1), "rank_target": int64(1)}, false)
	check(t, "C3 2020-Q1", f.pop("C3", "rate", "2020-Q1"), map[string]any{"value": 50, "value_source": "direct",
		"rank_value": int64(3), "rank_target": N, "complete": true, "months_reported": int64(3)}, false)
	check(t, "A1 2020-Q2", f.pop("A1", "rate", "2020-Q2"), map[string]any{"value": 24, "prev_value": 30,
		"change_prev": -6, "pct_change_prev": -20, "ytd_value": 24, "pct_of_target": 100}, false)
	check(t, "A1 2020-04", f.pop("A1", "rate", "2020-04"), map[string]any{"value": N, "complete": false, "months_reported": int64(0)}, false)
	// C3 reported its rate alone, which cannot be weighted into Σpoor ÷
	// Σhouseholds: the cluster's rate is not known. 40 ÷ 500 = 8% is the
	// rate of A1 and B2 only (2 of 3 units), value_partial, never value
	// (docs/transform.md#rule-cluster-ratio).
	check(t, "cluster 2020-Q1", f.pop("CL", "rate", "2020-Q1"), with(f.base("CL", "rate", "2020-Q1"),
		"value", N, "prev_value", N, "change_prev", N, "pct_change_prev", N,
		"yoy_value", N, "change_yoy", N, "pct_change_yoy", N,
		"ytd_value", N, "target", N, "pct_of_target", N,
		"rank_value", N, "rank_target", N,
		"cluster_total", N, "cluster_mean", 8, "share_of_cluster", N,
		"complete", false, "months_expected", int64(9), "months_reported", int64(5), "units_reported", int64(2),
		"units_expected", int64(3), "value_partial", 8,
		"value_source", N), true)
	check(t, "cluster 2020-H1", f.pop("CL", "rate", "2020-H1"), map[string]any{"value": N, "value_partial": 6.4, "prev_value": N,
		"units_reported": int64(2), "units_expected": int64(3)}, false)
}

// N2 marks a month left unreported in fixture.months.
const N2 = -1e300

func TestTargetDirectionAndCapTies(t *testing.T) {
	f := newFixture(t, testCluster())
	f.months("A1", "dens", 2020, 12, 90)
	f.months("B2", "dens", 2020, 12, 250)
	f.target("A1", "dens", 2020, 100)
	f.target("B2", "dens", 2020, 100)
	f.months("A1", "rec", 2020, 1, 0, 0, 105)
	f.months("B2", "rec", 2020, 1, 0, 0, 100)
	f.months("C3", "rec", 2020, 1, 0, 0, 90)
	for _, u := range []string{"A1", "B2", "C3"} {
		f.target(u, "rec", 2020, 100)
	}
	f.run(Options{})
	check(t, "A1 dens 2020", f.pop("A1", "dens", "2020"), map[string]any{"value": 90, "ytd_value": 90, "target": 100,
		"pct_of_target": 90, "rank_value": int64(1), "rank_target": int64(1)}, false)
	check(t, "B2 dens 2020", f.pop("B2", "dens", "2020"), map[string]any{"value": 250, "pct_of_target": 0,
		"rank_value": int64(2), "rank_target": int64(2)}, false)
	check(t, "A1 rec", f.pop("A1", "rec", "2020-03"), map[string]any{"pct_of_target": 105, "rank_value": int64(1), "rank_target": int64(1)}, false)
	check(t, "B2 rec", f.pop("B2", "rec", "2020-03"), map[string]any{"pct_of_target": 100, "rank_value": int64(2), "rank_target": int64(1)}, false)
	check(t, "C3 rec", f.pop("C3", "rec", "2020-03"), map[string]any{"pct_of_target": 90, "rank_value": int64(3), "rank_target": int64(3)}, false)
}

func TestLowerDirectionSum(t *testing.T) {
	c := testCluster()
	c.Indicators = append(c.Indicators, thidua.Indicator{Code: "acc", Name: "Tai nạn", Agg: thidua.Sum, Direction: thidua.Lower, HasTarget: true})
	f := newFixture(t, c)
	f.months("A1", "acc", 2020, 1, 4, 4) // ytd Feb 8 > target 5: 5/8
	f.months("B2", "acc", 2020, 1, 1, 2) // ytd 3 <= 5: 100
	f.target("A1", "acc", 2020, 5)
	f.target("B2", "acc", 2020, 5)
	f.run(Options{Now: time.Date(2020, 3, 2, 0, 0, 0, 0, time.UTC)})
	check(t, "A1 acc", f.pop("A1", "acc", "2020-02"), map[string]any{"ytd_value": 8, "pct_of_target": 62.5, "rank_value": int64(2), "rank_target": int64(2)}, false)
	check(t, "B2 acc", f.pop("B2", "acc", "2020-02"), map[string]any{"ytd_value": 3, "pct_of_target": 100, "rank_value": int64(1), "rank_target": int64(1)}, false)
}

// TestValidFrom: a unit created on 2020-04-01 has rows from April 2020 on;
// its 2020 year and year to date run from April.
func TestValidFrom(t *testing.T) {
	c := smallCluster("rev")
	c.Units = append(c.Units, thidua.Unit{Code: "D4", Name: "Delta", ValidFrom: time.Date(2020, 4, 1, 0, 0, 0, 0, time.UTC)})
	f := newFixture(t, c)
	f.months("A1", "rev", 2020, 1, 1, 1, 1, 1, 1, 1)
	f.months("D4", "rev", 2020, 1, 50) // before it existed: ignored
	f.months("D4", "rev", 2020, 4, 2, 2, 2)
	f.run(Options{})
	if r := f.rows(`SELECT period FROM indicator_pop WHERE unit_code = 'D4' AND period_end < DATE '2020-04-01'`); len(r) != 0 {
		t.Errorf("D4 rows before it existed: %v", r)
	}
	check(t, "D4 H1", f.pop("D4", "rev", "2020-H1"), map[string]any{"value": 6, "ytd_value": 6, "complete": true,
		"months_expected": int64(3), "months_reported": int64(3)}, false)
	check(t, "D4 Q2", f.pop("D4", "rev", "2020-Q2"), map[string]any{"value": 6, "ytd_value": 6, "prev_value": N}, false)
	check(t, "D4 2020", f.pop("D4", "rev", "2020"), map[string]any{"value": N, "months_expected": int64(9), "months_reported": int64(3)}, false)
	check(t, "cluster Q1", f.pop("CL", "rev", "2020-Q1"), map[string]any{"value": N, "value_partial": 3, "units_reported": int64(1),
		"units_expected": int64(3)}, false) // D4 is not a unit of Q1
}

// TestRatioClusterTarget: the cluster's target rate is the units' targets
// weighted by their denominators, Σ(target × den) ÷ Σden.
func TestRatioClusterTarget(t *testing.T) {
	f := newFixture(t, testCluster())
	f.months("A1", "poor", 2020, 8, 30)
	f.months("A1", "hh", 2020, 8, 100)
	f.months("B2", "poor", 2020, 8, 10)
	f.months("B2", "hh", 2020, 8, 400)
	f.target("A1", "rate", 2020, 25)
	f.target("B2", "rate", 2020, 3)
	f.run(Options{})
	// C3 ceased in June: only A1 and B2 in August. (25×100 + 3×400) ÷ 500 = 7.4;
	// the cluster rate 40 ÷ 500 × 100 = 8 is above it: 7.4 ÷ 8 × 100 = 92.5%.
	check(t, "cluster 2020-08", f.pop("CL", "rate", "2020-08"), map[string]any{"value": 8, "ytd_value": 8,
		"target": 7.4, "pct_of_target": 92.5}, false)
	// In Q3 the year to date runs from January, when no part was reported.
	check(t, "cluster 2020-Q3", f.pop("CL", "rate", "2020-Q3"), map[string]any{"value": N, "target": N}, false)
}
