package transform

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/thidua/thidua"
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

// Rule is a validation rule: Left Op Right, checked on every unit row of
// indicator_pop where both sides are known.
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
// optional. Names must match thidua.CodePattern. Whether the names exist is
// checked by Run against the indicators table.
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
	if !thidua.ValidCode(r.Left) {
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
	if !thidua.ValidCode(right) {
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

// check verifies the rule's names against the known indicator codes. An
// indicator named "communes" would shadow the attribute, so it is taken as
// the indicator.
func (r *Rule) check(known map[string]bool) error {
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
