package transform

import (
	"context"
	"testing"

	"github.com/thidua/thidua"
)

func scoreFixture(t *testing.T) *fixture {
	c := testCluster()
	c.Indicators[2].Code = "avg" // average, no target
	c.Criteria = []thidua.Criterion{
		{Indicator: "rev", Weight: 20, Method: thidua.PctOfTarget, CapPct: 100},
		{Indicator: "rec", Weight: 10, Method: thidua.RankPoints},
		{Indicator: "stock", Weight: 10, Method: thidua.Threshold, Bands: []thidua.Band{{Min: 0, Points: 0}, {Min: 50, Points: 5}, {Min: 100, Points: 10}}},
		{Indicator: "avg", Weight: 3, Method: thidua.Threshold, Bands: []thidua.Band{{Min: 5, Points: 3}}},
	}
	f := newFixture(t, c)
	f.months("A1", "rev", 2020, 1, 10, 10, 10, 10, 10, 10)
	f.months("B2", "rev", 2020, 1, 20, 20, 20, 20, 20, 20)
	f.months("C3", "rev", 2020, 1, 5, 5, 5, 5, 5, 5)
	for _, u := range []string{"A1", "B2", "C3"} {
		f.target(u, "rev", 2020, 100)
	}
	f.months("A1", "rec", 2020, 1, 1, 1, 1, 0, 0, 1)
	f.months("B2", "rec", 2020, 1, 1, 0, 0, 2, 2, 1)
	f.months("C3", "rec", 2020, 1, 0, 1, 1, 1, 0, 0)
	f.months("A1", "stock", 2020, 3, 8, N2, N2, 10)
	f.months("B2", "stock", 2020, 3, 12, N2, N2, 4)
	f.target("A1", "stock", 2020, 10)
	f.target("B2", "stock", 2020, 10)
	f.months("A1", "avg", 2020, 1, 6, 6, 6)
	f.months("B2", "avg", 2020, 1, 4, 4, 4)
	h1 := func(q int) thidua.Period { return thidua.Period{Type: thidua.Quarter, Year: 2020, N: q} }
	if err := f.db.ReplaceBonus(context.Background(), []thidua.Bonus{
		{Unit: "A1", Period: h1(2), Points: 7, Reason: "provincial flag"},
		{Unit: "B2", Period: h1(1), Points: -2, Reason: "late report"},
		{Unit: "B2", Period: h1(2), Points: 5, Reason: "ministry award"},
	}); err != nil {
		t.Fatal(err)
	}
	f.run(Options{})
	return f
}

func TestScorePoints(t *testing.T) {
	f := scoreFixture(t)
	pts := func(unit, period, crit string) map[string]any {
		r := f.rows(`SELECT * FROM score_points WHERE unit_code = ? AND period = ? AND criterion = ?`, unit, period, crit)
		if len(r) != 1 {
			t.Fatalf("score_points %s %s %s: %d rows", unit, period, crit, len(r))
		}
		return r[0]
	}
	for _, c := range []struct {
		unit, period, crit string
		input, points      any
	}{
		// pct_of_target: 20 × min(pct, 100) ÷ 100
		{"A1", "2020-Q1", "rev", 30, 6}, {"B2", "2020-Q1", "rev", 60, 12}, {"C3", "2020-Q1", "rev", 15, 3},
		{"B2", "2020-Q2", "rev", 120, 20}, {"A1", "2020-Q2", "rev", 60, 12},
		// rank: 10 × (3 − rank) ÷ 2; Q2 has a tie for rank 2
		{"A1", "2020-Q1", "rec", 1, 10}, {"C3", "2020-Q1", "rec", 2, 5}, {"B2", "2020-Q1", "rec", 3, 0},
		{"B2", "2020-Q2", "rec", 1, 10}, {"A1", "2020-Q2", "rec", 2, 5}, {"C3", "2020-Q2", "rec", 2, 5},
		// threshold on % of target: 80 → band 50 (5 points); 120 → 10; 40 → band 0; missing → 0
		{"A1", "2020-Q1", "stock", 80, 5}, {"B2", "2020-Q1", "stock", 120, 10}, {"C3", "2020-Q1", "stock", N, 0},
		{"A1", "2020-Q2", "stock", 100, 10}, {"B2", "2020-Q2", "stock", 40, 0},
		// threshold on the value (no target): 6 ≥ 5 → 3; 4 reaches no band → 0
		{"A1", "2020-Q1", "avg", 6, 3}, {"B2", "2020-Q1", "avg", 4, 0}, {"A1", "2020-Q2", "avg", N, 0},
	} {
		check(t, c.unit+" "+c.period+" "+c.crit, pts(c.unit, c.period, c.crit), map[string]any{
			"input_value": c.input, "points": c.points}, false)
	}
	check(t, "row", pts("A1", "2020-Q1", "stock"), map[string]any{"unit_code": "A1", "period": "2020-Q1",
		"period_type": "quarter", "period_start": "2020-01-01", "criterion": "stock", "method": "threshold", "weight": 10}, false)
	// C3 has no rows after June 2020, so no score rows either.
	if r := f.rows(`SELECT * FROM score_points WHERE unit_code = 'C3' AND period = '2020-Q3'`); len(r) != 0 {
		t.Errorf("C3 scored after its end: %v", r)
	}
}

func TestScoresTotalsRanksBonus(t *testing.T) {
	f := scoreFixture(t)
	sc := func(unit, period string) map[string]any {
		r := f.rows(`SELECT * FROM scores WHERE unit_code = ? AND period = ?`, unit, period)
		if len(r) != 1 {
			t.Fatalf("scores %s %s: %d rows", unit, period, len(r))
		}
		return r[0]
	}
	row := func(unit, name string, points, bonus, total float64, rank, prev, change any, scored int64) map[string]any {
		return map[string]any{"unit_code": unit, "unit_name": name, "period_type": "quarter", "max_points": 43,
			"points": points, "bonus": bonus, "total": total, "rank": rank, "prev_rank": prev, "rank_change": change,
			"criteria_scored": scored}
	}
	check(t, "A1 Q1", sc("A1", "2020-Q1"), with(row("A1", "Alpha", 24, 0, 24, int64(1), N, N, 4),
		"period", "2020-Q1", "period_start", "2020-01-01", "period_end", "2020-03-31"), false)
	check(t, "B2 Q1", sc("B2", "2020-Q1"), row("B2", "Beta", 22, -2, 20, int64(2), N, N, 4), false)
	check(t, "C3 Q1", sc("C3", "2020-Q1"), row("C3", "Gamma", 8, 0, 8, int64(3), N, N, 2), false)
	check(t, "A1 Q2", sc("A1", "2020-Q2"), row("A1", "Alpha", 27, 7, 34, int64(2), int64(1), int64(-1), 3), false)
	check(t, "B2 Q2", sc("B2", "2020-Q2"), row("B2", "Beta", 30, 5, 35, int64(1), int64(2), int64(1), 3), false)
	check(t, "C3 Q2", sc("C3", "2020-Q2"), row("C3", "Gamma", 11, 0, 11, int64(3), int64(3), int64(0), 2), false)
	// Every period type is scored.
	var types int
	f.db.SQL().QueryRow(`SELECT count(DISTINCT period_type) FROM scores`).Scan(&types)
	if types != 5 {
		t.Errorf("%d period types scored, want 5", types)
	}
}

func TestRankPointsSingleUnit(t *testing.T) {
	c := testCluster()
	c.Criteria = []thidua.Criterion{{Indicator: "rec", Weight: 10, Method: thidua.RankPoints}}
	f := newFixture(t, c)
	f.months("A1", "rec", 2020, 1, 4)
	f.run(Options{})
	r := f.rows(`SELECT unit_code, input_value, points FROM score_points WHERE period = '2020-01' ORDER BY unit_code`)
	// B2 and C3 reported nothing: not scored (TestScoresRankOnlyUnitsWithData).
	want := []map[string]any{{"unit_code": "A1", "input_value": 1, "points": 10}}
	if len(r) != 1 {
		t.Fatalf("%v", r)
	}
	for i := range want {
		check(t, "single", r[i], want[i], false)
	}
}

// TestScoresRankOnlyUnitsWithData: a unit with no data for a period (its
// annual target alone is no data) gets no score and no rank, never 0
// points in last place; a period nobody reported has no ranking.
func TestScoresRankOnlyUnitsWithData(t *testing.T) {
	c := testCluster()
	c.Criteria = []thidua.Criterion{{Indicator: "rev", Weight: 20, Method: thidua.PctOfTarget, CapPct: 100}}
	f := newFixture(t, c)
	f.months("A1", "rev", 2020, 1, 10, 10, 10)
	f.months("B2", "rev", 2020, 1, 20, 20, 20)
	for _, u := range []string{"A1", "B2", "C3"} {
		f.target(u, "rev", 2020, 100)
	}
	f.add("C3", "rec", "2020-04", thidua.PeriodBasis, 1) // data, but no scored criterion in Q2
	f.run(Options{})
	got := f.rows(`SELECT unit_code, rank FROM scores WHERE period = '2020-Q1' ORDER BY rank`)
	if len(got) != 2 || got[0]["unit_code"] != "B2" || norm(got[0]["rank"]) != norm(1) || got[1]["unit_code"] != "A1" || norm(got[1]["rank"]) != norm(2) {
		t.Errorf("2020-Q1 scores: %v, want B2 first and A1 second, C3 unranked", got)
	}
	if r := f.rows(`SELECT * FROM scores WHERE unit_code = 'C3'`); len(r) != 0 {
		t.Errorf("C3, which reported nothing scored, is scored: %v", r)
	}
	if r := f.rows(`SELECT * FROM score_points WHERE unit_code = 'C3'`); len(r) != 0 {
		t.Errorf("C3 has score points: %v", r)
	}
	if r := f.rows(`SELECT unit_code, rank FROM scores WHERE period = '2020-Q2'`); len(r) != 0 {
		t.Errorf("2020-Q2, which nobody reported, has a ranking: %v", r)
	}
}
