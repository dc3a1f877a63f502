package thidua

import (
	"fmt"
	"math"
	"sort"
	"strings"
)

// Award is one title a cluster proposes its units for at year end (bình
// xét): the province's Emulation Flag (Cờ thi đua), a Certificate of Merit
// (Bằng khen), with how many units may receive it and what a unit must meet.
type Award struct {
	Code       string
	Name       string // Vietnamese
	NameEN     string
	Quota      int // units that may receive it; at least 1
	Conditions AwardConditions
}

// Label returns the award's name in lang ("vi" or "en").
func (a Award) Label(lang string) string {
	if lang == "en" && a.NameEN != "" {
		return a.NameEN
	}
	return a.Name
}

// AwardConditions are what a unit must meet to receive an award. The zero
// value asks for nothing beyond a rank.
type AwardConditions struct {
	// MinTotal is the least total score (points plus bonus); nil: none.
	MinTotal *float64
	// MinPct maps an indicator code to the least % of annual target (as
	// the published tables give it, direction-aware) the unit must reach.
	MinPct map[string]float64
	// NoPenalty excludes a unit with a negative bonus (a penalty) in the
	// period.
	NoPenalty bool
	// NoRuleFailure excludes a unit for which a configured validation rule
	// failed in the period (a quality finding of check "rule").
	NoRuleFailure bool
	// AllCriteria excludes a unit that was not scored on every criterion
	// (some indicator not reported).
	AllCriteria bool
}

// TieBreakPoints is the tie-break key for the points before bonus; any other
// key is an indicator code, whose % of annual target breaks the tie.
const TieBreakPoints = "points"

// AwardRules are a cluster's awards, in the order they are given (the
// highest first), and how units with the same rank are ordered.
type AwardRules struct {
	Awards []Award
	// TieBreak orders units of equal rank: TieBreakPoints or indicator
	// codes, each higher first; the units' order in the cluster last.
	TieBreak []string
}

// Validate checks the awards against the cluster's indicators.
func (ar AwardRules) Validate(c *Cluster) error {
	seen := map[string]bool{}
	for _, a := range ar.Awards {
		if !ValidCode(a.Code) {
			return fmt.Errorf("award code %q: want %s", a.Code, CodePattern)
		}
		if seen[a.Code] {
			return fmt.Errorf("award code %q appears twice", a.Code)
		}
		seen[a.Code] = true
		if strings.TrimSpace(a.Name) == "" {
			return fmt.Errorf("award %s has no name", a.Code)
		}
		if a.Quota < 1 {
			return fmt.Errorf("award %s: quota %d: want 1 or more", a.Code, a.Quota)
		}
		for ind, v := range a.Conditions.MinPct {
			if _, ok := c.Indicator(ind); !ok {
				return fmt.Errorf("award %s: min_pct: %q is not an indicator", a.Code, ind)
			}
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return fmt.Errorf("award %s: min_pct %s = %v: want a number", a.Code, ind, v)
			}
		}
		if m := a.Conditions.MinTotal; m != nil && (math.IsNaN(*m) || math.IsInf(*m, 0)) {
			return fmt.Errorf("award %s: min_total = %v: want a number", a.Code, *m)
		}
	}
	for _, k := range ar.TieBreak {
		if k == TieBreakPoints {
			continue
		}
		if _, ok := c.Indicator(k); !ok {
			return fmt.Errorf("award tie_break %q: want %q or an indicator code", k, TieBreakPoints)
		}
	}
	return nil
}

// AwardCandidate is what the published tables say about one unit in the
// period an award is proposed for.
type AwardCandidate struct {
	Score ScoreRow // the unit's row of scores; Rank 0 = not ranked
	// Pct is the % of annual target of each indicator (indicator_pop).
	Pct map[string]Num
	// Penalties are the unit's negative bonus rows in the period.
	Penalties []Bonus
	// RuleFailures are the messages of the unit's failed validation rules
	// in the period (quality, check "rule").
	RuleFailures []string
	// Criteria is the number of scoring criteria of the cluster.
	Criteria int
}

// ReasonKind says why a unit did or did not receive an award.
type ReasonKind string

// The reasons.
const (
	ReasonAwarded     ReasonKind = "awarded"      // met every condition within the quota
	ReasonQuotaFull   ReasonKind = "quota_full"   // met every condition, but higher units filled the quota
	ReasonNotRanked   ReasonKind = "not_ranked"   // no score or no rank in the period
	ReasonMinTotal    ReasonKind = "min_total"    // total below MinTotal
	ReasonMinPct      ReasonKind = "min_pct"      // % of target below MinPct[Indicator]
	ReasonPenalty     ReasonKind = "penalty"      // a penalty in the period
	ReasonRule        ReasonKind = "rule"         // a validation rule failed
	ReasonCriteria    ReasonKind = "all_criteria" // not scored on every criterion
	ReasonHigherAward ReasonKind = "higher_award" // already proposed for a higher award
)

// AwardReason is one reason about one award for one unit.
type AwardReason struct {
	Award     string // award code
	Kind      ReasonKind
	Indicator string  // ReasonMinPct
	Value     Num     // the unit's figure (total, % of target, penalty points, criteria scored)
	Limit     float64 // the condition's figure
	Detail    string  // the penalty's or rule's own text
}

// Proposal is one unit's line of a year-end proposal.
type Proposal struct {
	Unit     string
	Order    int    // 1 = first in the order the awards were given in
	Award    string // award code; "" = not proposed
	Total    Num
	Points   Num
	Rank     int
	Reasons  []AwardReason
	Awarded  bool
	Position int // 1-based place within its award
}

// Propose gives the awards to the candidates in the order of their rank
// (ties broken by rules.TieBreak, then by the order of cands, which should
// be the cluster's unit order): each award in turn goes to the first units,
// not proposed for a higher award, that meet all its conditions, up to its
// quota. Every unit gets a line with the reasons for what it got.
func Propose(rules AwardRules, cands []AwardCandidate) []Proposal {
	order := make([]int, len(cands))
	for i := range order {
		order[i] = i
	}
	rank := func(c AwardCandidate) int {
		if c.Score.Rank <= 0 || !c.Score.Total.OK {
			return math.MaxInt
		}
		return c.Score.Rank
	}
	key := func(c AwardCandidate, k string) float64 {
		n := c.Score.Points
		if k != TieBreakPoints {
			n = c.Pct[k]
		}
		if !n.OK {
			return math.Inf(-1)
		}
		return n.V
	}
	sort.SliceStable(order, func(a, b int) bool {
		ca, cb := cands[order[a]], cands[order[b]]
		if ra, rb := rank(ca), rank(cb); ra != rb {
			return ra < rb
		}
		for _, k := range rules.TieBreak {
			if ka, kb := key(ca, k), key(cb, k); ka != kb {
				return ka > kb
			}
		}
		return false
	})
	out := make([]Proposal, len(cands))
	for pos, i := range order {
		c := cands[i]
		out[pos] = Proposal{Unit: c.Score.Unit, Order: pos + 1, Total: c.Score.Total, Points: c.Score.Points, Rank: c.Score.Rank}
		if rank(c) == math.MaxInt {
			out[pos].Reasons = []AwardReason{{Kind: ReasonNotRanked}}
		}
	}
	for _, a := range rules.Awards {
		given := 0
		for pos, i := range order {
			p := &out[pos]
			if rank(cands[i]) == math.MaxInt {
				continue
			}
			if p.Awarded {
				p.Reasons = append(p.Reasons, AwardReason{Award: a.Code, Kind: ReasonHigherAward})
				continue
			}
			failed := a.Conditions.check(cands[i])
			for j := range failed {
				failed[j].Award = a.Code
			}
			switch {
			case len(failed) > 0:
				p.Reasons = append(p.Reasons, failed...)
			case given >= a.Quota:
				p.Reasons = append(p.Reasons, AwardReason{Award: a.Code, Kind: ReasonQuotaFull, Limit: float64(a.Quota)})
			default:
				given++
				p.Awarded, p.Award, p.Position = true, a.Code, given
				p.Reasons = append(p.Reasons, AwardReason{Award: a.Code, Kind: ReasonAwarded, Value: cands[i].Score.Total})
			}
		}
	}
	return out
}

// check returns the conditions c fails.
func (ac AwardConditions) check(c AwardCandidate) []AwardReason {
	var out []AwardReason
	if ac.MinTotal != nil && (!c.Score.Total.OK || c.Score.Total.V < *ac.MinTotal) {
		out = append(out, AwardReason{Kind: ReasonMinTotal, Value: c.Score.Total, Limit: *ac.MinTotal})
	}
	inds := make([]string, 0, len(ac.MinPct))
	for k := range ac.MinPct {
		inds = append(inds, k)
	}
	sort.Strings(inds)
	for _, ind := range inds {
		if v := c.Pct[ind]; !v.OK || v.V < ac.MinPct[ind] {
			out = append(out, AwardReason{Kind: ReasonMinPct, Indicator: ind, Value: v, Limit: ac.MinPct[ind]})
		}
	}
	if ac.NoPenalty {
		for _, b := range c.Penalties {
			out = append(out, AwardReason{Kind: ReasonPenalty, Value: Some(b.Points), Detail: b.Reason})
		}
	}
	if ac.NoRuleFailure {
		for _, m := range c.RuleFailures {
			out = append(out, AwardReason{Kind: ReasonRule, Detail: m})
		}
	}
	if ac.AllCriteria && c.Score.CriteriaScored < c.Criteria {
		out = append(out, AwardReason{Kind: ReasonCriteria, Value: Some(float64(c.Score.CriteriaScored)), Limit: float64(c.Criteria)})
	}
	return out
}

// PaceOfYear is the share of the calendar year, in %, that has passed at the
// end of p: 50 for a first half, 75 for 9 months, 100 for a year. A unit at
// or above it in % of annual target is on pace for its target.
func PaceOfYear(p Period) float64 {
	_, last := p.Months()
	return float64(last) * 100 / 12
}

// Text says the reason in lang ("vi" or "en"), with figures formatted by
// num (the readers' number format: num(v, decimals)).
func (r AwardReason) Text(lang string, rules AwardRules, c *Cluster, num func(float64, int) string) string {
	award := r.Award
	for _, a := range rules.Awards {
		if a.Code == r.Award {
			award = a.Label(lang)
		}
	}
	en := lang == "en"
	val := func(n Num, dec int) string {
		if !n.OK {
			if en {
				return "none"
			}
			return "không có"
		}
		return num(n.V, dec)
	}
	switch r.Kind {
	case ReasonAwarded:
		if en {
			return fmt.Sprintf("%s: meets every condition, within the quota", award)
		}
		return fmt.Sprintf("%s: đạt mọi điều kiện, trong chỉ tiêu", award)
	case ReasonQuotaFull:
		if en {
			return fmt.Sprintf("%s: meets the conditions, but the quota of %s is filled by higher units", award, num(r.Limit, 0))
		}
		return fmt.Sprintf("%s: đạt điều kiện nhưng đã đủ chỉ tiêu %s đơn vị xếp trên", award, num(r.Limit, 0))
	case ReasonNotRanked:
		if en {
			return "not ranked in the period (no score)"
		}
		return "không được xếp hạng trong kỳ (chưa có điểm)"
	case ReasonMinTotal:
		if en {
			return fmt.Sprintf("%s: total score %s below the required %s", award, val(r.Value, 1), num(r.Limit, 1))
		}
		return fmt.Sprintf("%s: tổng điểm %s thấp hơn mức yêu cầu %s", award, val(r.Value, 1), num(r.Limit, 1))
	case ReasonMinPct:
		ind := r.Indicator
		if i, ok := c.Indicator(r.Indicator); ok {
			ind = i.Label(lang)
		}
		if en {
			return fmt.Sprintf("%s: %s at %s%% of target, below the required %s%%", award, ind, val(r.Value, 1), num(r.Limit, 1))
		}
		return fmt.Sprintf("%s: %s đạt %s%% kế hoạch, dưới mức yêu cầu %s%%", award, lowerFirst(ind), val(r.Value, 1), num(r.Limit, 1))
	case ReasonPenalty:
		if en {
			return fmt.Sprintf("%s: penalty of %s points (%s)", award, val(r.Value, 1), r.Detail)
		}
		return fmt.Sprintf("%s: bị trừ %s điểm (%s)", award, val(r.Value, 1), r.Detail)
	case ReasonRule:
		if en {
			return fmt.Sprintf("%s: validation rule failed (%s)", award, r.Detail)
		}
		return fmt.Sprintf("%s: vi phạm quy tắc kiểm tra số liệu (%s)", award, r.Detail)
	case ReasonCriteria:
		if en {
			return fmt.Sprintf("%s: scored on %s of %s criteria (some not reported)", award, val(r.Value, 0), num(r.Limit, 0))
		}
		return fmt.Sprintf("%s: chỉ được chấm %s/%s tiêu chí (thiếu số liệu)", award, val(r.Value, 0), num(r.Limit, 0))
	case ReasonHigherAward:
		if en {
			return fmt.Sprintf("%s: proposed for a higher award", award)
		}
		return fmt.Sprintf("%s: đã được đề nghị danh hiệu cao hơn", award)
	}
	return string(r.Kind)
}

// TieBreakText states rules.TieBreak in lang, for the reader of a proposal.
func (ar AwardRules) TieBreakText(lang string, c *Cluster) string {
	var keys []string
	for _, k := range ar.TieBreak {
		switch {
		case k == TieBreakPoints && lang == "en":
			keys = append(keys, "the points before bonus")
		case k == TieBreakPoints:
			keys = append(keys, "điểm trước thưởng/phạt")
		default:
			name := k
			if i, ok := c.Indicator(k); ok {
				name = i.Label(lang)
			}
			if lang == "en" {
				keys = append(keys, "the % of target of "+name)
			} else {
				keys = append(keys, "% kế hoạch "+lowerFirst(name))
			}
		}
	}
	if lang == "en" {
		keys = append(keys, "the units' order in the cluster")
		return "Units are ordered by rank (total score); equal ranks by " + strings.Join(keys, ", then ") + "."
	}
	keys = append(keys, "thứ tự đơn vị trong cụm")
	return "Các đơn vị xếp theo hạng (tổng điểm); bằng hạng thì xét lần lượt " + strings.Join(keys, ", ") + " (cao hơn xếp trên)."
}

// lowerFirst lower-cases the first letter of s (a name inside a sentence).
func lowerFirst(s string) string {
	for i, r := range s {
		if i == 0 {
			return strings.ToLower(string(r)) + s[len(string(r)):]
		}
	}
	return s
}
