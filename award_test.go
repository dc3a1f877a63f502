package thidua

import (
	"strings"
	"testing"
)

func TestPropose(t *testing.T) {
	min80, min70 := 80.0, 70.0
	rules := AwardRules{
		Awards: []Award{
			{Code: "flag", Name: "Cờ thi đua", Quota: 1, Conditions: AwardConditions{MinTotal: &min80,
				MinPct: map[string]float64{"recruits": 100}, NoPenalty: true, NoRuleFailure: true, AllCriteria: true}},
			{Code: "merit", Name: "Bằng khen", Quota: 2, Conditions: AwardConditions{MinTotal: &min70, NoPenalty: true}},
		},
		TieBreak: []string{TieBreakPoints, "budget_revenue"},
	}
	cand := func(unit string, rank int, total, points, budgetPct, recruitsPct float64) AwardCandidate {
		return AwardCandidate{Score: ScoreRow{Unit: unit, Rank: rank, Total: Some(total), Points: Some(points), CriteriaScored: 9},
			Pct: map[string]Num{"budget_revenue": Some(budgetPct), "recruits": Some(recruitsPct)}, Criteria: 9}
	}
	cands := []AwardCandidate{
		cand("A", 1, 95, 97, 60, 100),             // penalised: no flag, no merit
		cand("B", 2, 90, 90, 50, 90),              // recruits below 100: no flag; merit
		cand("C", 3, 88, 88, 40, 100),             // flag (first eligible)
		cand("D", 4, 85, 85, 30, 100),             // ties with E on rank and points; E wins on budget
		cand("E", 4, 85, 85, 70, 100),             // merit (second)
		cand("F", 6, 60, 60, 90, 100),             // below both minimums
		{Score: ScoreRow{Unit: "G"}, Criteria: 9}, // not ranked
	}
	cands[0].Penalties = []Bonus{{Unit: "A", Points: -2, Reason: "vi phạm ATGT"}}
	got := Propose(rules, cands)
	var line []string
	for _, p := range got {
		line = append(line, p.Unit+":"+p.Award)
	}
	want := "A: B:merit C:flag E:merit D: F: G:"
	if s := strings.Join(line, " "); s != want {
		t.Fatalf("proposal %s, want %s", s, want)
	}
	num := func(v float64, dec int) string { return strings.Replace(Some(v).String(), ".", ",", 1) }
	c := &Cluster{Indicators: []Indicator{{Code: "recruits", Name: "Công dân nhập ngũ"}, {Code: "budget_revenue", Name: "Thu ngân sách"}}}
	text := func(p Proposal) string {
		var s []string
		for _, r := range p.Reasons {
			s = append(s, r.Text("vi", rules, c, num))
		}
		return strings.Join(s, "; ")
	}
	for _, tc := range []struct {
		i    int
		want []string
	}{
		{0, []string{"Cờ thi đua: bị trừ -2 điểm (vi phạm ATGT)", "Bằng khen: bị trừ"}},
		{1, []string{"Cờ thi đua: công dân nhập ngũ đạt 90% kế hoạch, dưới mức yêu cầu 100%", "Bằng khen: đạt mọi điều kiện"}},
		{2, []string{"Cờ thi đua: đạt mọi điều kiện", "Bằng khen: đã được đề nghị danh hiệu cao hơn"}},
		{4, []string{"Bằng khen: đạt điều kiện nhưng đã đủ chỉ tiêu 2"}},
		{5, []string{"tổng điểm 60 thấp hơn mức yêu cầu 80", "tổng điểm 60 thấp hơn mức yêu cầu 70"}},
		{6, []string{"không được xếp hạng"}},
	} {
		s := text(got[tc.i])
		for _, w := range tc.want {
			if !strings.Contains(s, w) {
				t.Errorf("%s: reasons %q lack %q", got[tc.i].Unit, s, w)
			}
		}
	}
	if got[2].Position != 1 || got[3].Position != 2 || got[1].Position != 1 {
		t.Errorf("positions: %+v", got)
	}
	if s := rules.TieBreakText("vi", c); !strings.Contains(s, "điểm trước thưởng/phạt, % kế hoạch thu ngân sách") {
		t.Errorf("tie-break text %q", s)
	}
}

func TestAwardRulesValidate(t *testing.T) {
	c := &Cluster{Indicators: []Indicator{{Code: "recruits"}}}
	for _, ar := range []AwardRules{
		{Awards: []Award{{Code: "x", Name: "X", Quota: 0}}},
		{Awards: []Award{{Code: "x", Name: "X", Quota: 1}, {Code: "x", Name: "Y", Quota: 1}}},
		{Awards: []Award{{Code: "x", Name: "X", Quota: 1, Conditions: AwardConditions{MinPct: map[string]float64{"nope": 1}}}}},
		{TieBreak: []string{"nope"}},
		{Awards: []Award{{Code: "bad code", Name: "X", Quota: 1}}},
	} {
		if err := ar.Validate(c); err == nil {
			t.Errorf("%+v: no error", ar)
		}
	}
	ok := AwardRules{Awards: []Award{{Code: "x", Name: "X", Quota: 1}}, TieBreak: []string{"points", "recruits"}}
	if err := ok.Validate(c); err != nil {
		t.Error(err)
	}
}

func TestPaceOfYear(t *testing.T) {
	for p, want := range map[Period]float64{{Half, 2020, 1}: 50, {YTD9, 2020, 9}: 75, {Year, 2020, 0}: 100, {Quarter, 2020, 1}: 25} {
		if got := PaceOfYear(p); got != want {
			t.Errorf("PaceOfYear(%s) = %v, want %v", p, got, want)
		}
	}
}
