package transform

import (
	"testing"

	"github.com/thidua/thidua"
)

// statusCluster has one indicator of each direction with a target, one
// capped and one without target.
func statusCluster() thidua.Cluster {
	return thidua.Cluster{
		Code: "CL", Name: "Cụm thử",
		Units: []thidua.Unit{{Code: "A", Name: "A"}, {Code: "B", Name: "B"}, {Code: "C", Name: "C"}, {Code: "D", Name: "D"}, {Code: "E", Name: "E"}},
		Indicators: []thidua.Indicator{
			{Code: "hi", Name: "Cao", Agg: thidua.Sum, Direction: thidua.Higher, HasTarget: true},
			{Code: "lo", Name: "Thấp", Agg: thidua.Sum, Direction: thidua.Lower, HasTarget: true},
			{Code: "tg", Name: "Đích", Agg: thidua.Last, Direction: thidua.Target, HasTarget: true},
			{Code: "cap", Name: "Trần", Agg: thidua.Sum, Direction: thidua.Higher, HasTarget: true, CapPct: 100},
			{Code: "nt", Name: "Không KH", Agg: thidua.Sum, Direction: thidua.Higher},
		},
	}
}

func statusFixture(t *testing.T, opts Options) *fixture {
	f := newFixture(t, statusCluster())
	jan := map[string]map[string]float64{
		"hi":  {"A": 120, "B": 95, "C": 50, "E": 100},
		"lo":  {"A": 8, "B": 10.5, "C": 20, "E": 10},
		"tg":  {"A": 10, "B": 10.5, "C": 12, "E": 9},
		"cap": {"A": 150, "B": 100, "C": 10, "E": 99},
		"nt":  {"A": 5, "B": 5, "C": 5, "E": 5},
	}
	tgt := map[string]float64{"hi": 100, "lo": 10, "tg": 10, "cap": 100}
	for ind, byUnit := range jan {
		for u, v := range byUnit {
			f.months(u, ind, 2020, 1, v)
			if tv, ok := tgt[ind]; ok {
				f.target(u, ind, 2020, tv)
			}
		}
	}
	f.months("A", "hi", 2019, 1, 100)
	f.months("A", "lo", 2019, 1, 9)
	f.months("C", "lo", 2019, 1, 10)
	f.months("A", "tg", 2019, 1, 11)
	f.months("B", "hi", 2019, 1, 95)
	f.run(opts)
	return f
}

// TestStatusByDirection: the transform says once, for every direction,
// whether a row is on target, close, behind, without target, not reported
// or incomplete; achievement is direction-aware and capped where set.
func TestStatusByDirection(t *testing.T) {
	f := statusFixture(t, Options{})
	for _, c := range []struct {
		unit, ind, period string
		achievement       any
		status            string
		trend             any
	}{
		{"A", "hi", "2020-01", 120.0, "on_target", "better"},
		{"B", "hi", "2020-01", 95.0, "close", "same"},
		{"C", "hi", "2020-01", 50.0, "behind", N},
		{"E", "hi", "2020-01", 100.0, "on_target", N},
		{"D", "hi", "2020-01", N, "not_reported", N},
		// lower is better: under the target is on target, above it is
		// target ÷ actual
		{"A", "lo", "2020-01", 100.0, "on_target", "better"},
		{"E", "lo", "2020-01", 100.0, "on_target", N},
		{"B", "lo", "2020-01", 10 / 10.5 * 100, "close", N},
		{"C", "lo", "2020-01", 50.0, "behind", "worse"},
		// target is best: 100 minus the distance in %, either side
		{"A", "tg", "2020-01", 100.0, "on_target", N},
		{"B", "tg", "2020-01", 95.0, "close", N},
		{"E", "tg", "2020-01", 90.0, "close", N},
		{"C", "tg", "2020-01", 80.0, "behind", N},
		// capped: 150 % of target is shown as 100
		{"A", "cap", "2020-01", 100.0, "on_target", N},
		{"E", "cap", "2020-01", 99.0, "close", N},
		{"A", "nt", "2020-01", N, "no_target", N},
		// a quarter with one month of three: no value, incomplete
		{"A", "hi", "2020-Q1", N, "incomplete", N},
	} {
		got := f.pop(c.unit, c.ind, c.period)
		check(t, c.unit+"/"+c.ind+"/"+c.period, got, map[string]any{"achievement": c.achievement, "status": c.status, "yoy_trend": c.trend}, false)
	}
	// The cluster row of a period a unit is missing from is incomplete.
	cl := f.rows(`SELECT status FROM indicator_pop WHERE is_cluster AND indicator_code = 'hi' AND period = '2020-01'`)
	if len(cl) != 1 || cl[0]["status"] != "incomplete" {
		t.Errorf("cluster hi 2020-01: %v, want incomplete", cl)
	}
	// Never on target below the target, in any direction.
	bad := f.rows(`SELECT unit_code, indicator_code, period FROM indicator_pop p JOIN indicators i ON i.code = p.indicator_code
		WHERE p.status = 'on_target' AND NOT p.is_cluster AND (
		   (i.direction = 'higher' AND p.ytd_value < p.target) OR
		   (i.direction = 'lower' AND p.ytd_value > p.target) OR
		   (i.direction = 'target' AND p.ytd_value <> p.target))`)
	if len(bad) > 0 {
		t.Errorf("on target while short of the target: %v", bad)
	}
}

// TestStatusClosePct: the close threshold comes from the options.
func TestStatusClosePct(t *testing.T) {
	f := statusFixture(t, Options{ClosePct: 96})
	if got := f.pop("B", "hi", "2020-01")["status"]; got != "behind" {
		t.Errorf("95 %% with close_pct 96: status %v, want behind", got)
	}
	if got := f.pop("B", "tg", "2020-01")["status"]; got != "behind" {
		t.Errorf("target 95 %% with close_pct 96: status %v, want behind", got)
	}
	db := f.db.SQL()
	for _, bad := range []float64{-1, 100, 150} {
		if err := Run(t.Context(), db, Options{ClosePct: bad}); err == nil {
			t.Errorf("ClosePct %v: want an error", bad)
		}
	}
}
