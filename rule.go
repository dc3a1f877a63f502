package thidua

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// RightKind says what the right side of a Rule is.
type RightKind string

// The right sides of a rule: a number, another indicator (same unit and
// period) or a unit attribute (only "communes", the unit's commune count).
const (
	RightNumber    RightKind = "number"
	RightIndicator RightKind = "indicator"
	RightCommunes  RightKind = "communes"
)

// Rule is a validation rule of the quality report: Left Op Right, checked on
// every unit row where both sides are known. Configuration checks rules
// with ParseRule and Cluster.CheckRule when it is read, before any input is
// loaded.
type Rule struct {
	Text      string // as written
	Left      string // indicator code
	Op        string // <, <=, >, >=, =, !=
	RightKind RightKind
	Right     string  // indicator code or attribute name
	Number    float64 // when RightKind is RightNumber
}

// RuleError reports a rule that cannot be used.
type RuleError struct {
	Rule   string
	Reason string
}

func (e *RuleError) Error() string { return fmt.Sprintf("rule %q: %s", e.Rule, e.Reason) }

var ruleOps = []string{"<", "<=", ">", ">=", "=", "!="}

// ParseRule reads a rule of the form `<indicator> <op> <number|indicator|communes>`
// with op one of <, <=, >, >=, =, !=; spaces around the operator are
// optional. Names must match CodePattern. Whether the names exist is checked
// by Rule.Check (Cluster.CheckRule for a cluster's indicators).
func ParseRule(s string) (Rule, error) {
	r := Rule{Text: s}
	bad := func(format string, a ...any) (Rule, error) {
		return Rule{}, &RuleError{s, fmt.Sprintf(format, a...)}
	}
	t := strings.TrimSpace(s)
	i := strings.IndexAny(t, "<>=!")
	if i < 0 {
		return bad("no operator: want <indicator> <op> <number|indicator|communes> with op one of < <= > >= = !=")
	}
	j := i
	for j < len(t) && strings.IndexByte("<>=!", t[j]) >= 0 {
		j++
	}
	for _, op := range ruleOps {
		if t[i:j] == op {
			r.Op = op
		}
	}
	if r.Op == "" {
		return bad("bad operator %q: want one of < <= > >= = !=", t[i:j])
	}
	r.Left = strings.TrimSpace(t[:i])
	right := strings.TrimSpace(t[i+len(r.Op):])
	if !ValidCode(r.Left) {
		return bad("left side %q is not an indicator code", r.Left)
	}
	if right == "" {
		return bad("nothing right of %s", r.Op)
	}
	if strings.ContainsAny(right, "<>=!") {
		return bad("more than one operator")
	}
	if f, err := strconv.ParseFloat(right, 64); err == nil {
		if math.IsNaN(f) || math.IsInf(f, 0) {
			return bad("right side %q is not a finite number", right)
		}
		r.RightKind, r.Number = RightNumber, f
		return r, nil
	}
	if !ValidCode(right) {
		return bad("right side %q is neither a number nor a name", right)
	}
	r.Right = right
	if right == "communes" {
		r.RightKind = RightCommunes
	} else {
		r.RightKind = RightIndicator
	}
	return r, nil
}

// Check verifies the rule's names against the known indicator codes. An
// indicator named "communes" would shadow the attribute, so it is taken as
// the indicator.
func (r *Rule) Check(known map[string]bool) error {
	if !known[r.Left] {
		return &RuleError{r.Text, fmt.Sprintf("%q is not an indicator", r.Left)}
	}
	switch r.RightKind {
	case RightCommunes:
		if known[r.Right] {
			r.RightKind = RightIndicator
		}
	case RightIndicator:
		if !known[r.Right] {
			return &RuleError{r.Text, fmt.Sprintf("%q is neither an indicator nor a unit attribute (communes)", r.Right)}
		}
	}
	return nil
}

// ParseRules parses and checks rules against the cluster's indicators, in
// order; the first bad one is returned as a *RuleError.
func (c Cluster) ParseRules(texts []string) ([]Rule, error) {
	known := make(map[string]bool, len(c.Indicators))
	for _, ind := range c.Indicators {
		known[ind.Code] = true
	}
	var rules []Rule
	for _, t := range texts {
		r, err := ParseRule(t)
		if err == nil {
			err = r.Check(known)
		}
		if err != nil {
			return nil, err
		}
		rules = append(rules, r)
	}
	return rules, nil
}
