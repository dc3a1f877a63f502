package thidua

import (
	"fmt"
	"strings"
	"time"
)

// Aggregation says how an indicator's monthly values combine over a longer
// span and across units.
type Aggregation string

// The aggregations. Sum is a flow (the span's value is the sum of its months),
// Last a stock (the value at the end of the span), Average the mean of the
// months, and Ratio Σnumerator ÷ Σdenominator × factor of two other
// indicators, over time and across units alike.
const (
	Sum     Aggregation = "sum"
	Last    Aggregation = "last"
	Average Aggregation = "average"
	Ratio   Aggregation = "ratio"
)

// Direction says which values of an indicator are better.
type Direction string

// The directions: Higher and Lower are better as they say; Target is best
// at exactly the target.
const (
	Higher Direction = "higher"
	Lower  Direction = "lower"
	Target Direction = "target"
)

// Basis says what span a reported value covers.
type Basis string

// The bases: PeriodBasis is the value for the period alone (thực hiện trong
// kỳ); YTDBasis is cumulative from 1 January to the period's end (lũy kế).
const (
	PeriodBasis Basis = "period"
	YTDBasis    Basis = "ytd"
)

// Unit is a member of a cluster: a district-level unit with an official code.
type Unit struct {
	Code     string
	Name     string
	NameEN   string
	Kind     string // city, district, town
	Aliases  []string
	Communes int
	// ValidFrom and ValidTo bound the days the unit existed under this code;
	// a zero time is an open end.
	ValidFrom time.Time
	ValidTo   time.Time
}

// ValidOn reports whether the unit existed on day t.
func (u Unit) ValidOn(t time.Time) bool {
	if !u.ValidFrom.IsZero() && t.Before(u.ValidFrom) {
		return false
	}
	if !u.ValidTo.IsZero() && t.After(u.ValidTo) {
		return false
	}
	return true
}

// Indicator is a measure every unit reports each period.
type Indicator struct {
	Code      string
	Name      string // Vietnamese
	NameEN    string
	Measure   string // Vietnamese unit of measure
	MeasureEN string
	Agg       Aggregation
	Direction Direction
	HasTarget bool
	// Numerator, Denominator and Factor define a Ratio indicator.
	Numerator   string
	Denominator string
	Factor      float64
	Decimals    int
	// CapPct caps the % of target that counts as better (recruits: 100).
	// Zero means no cap.
	CapPct  float64
	Aliases []string
	// Integer marks a count: only whole numbers are valid.
	Integer bool
	// ClusterValue says what the cluster row's value is for a Sum, Last or
	// Average indicator: "sum" (the default: flows and stocks add up across
	// units) or "mean" (for per-unit averages such as criteria per commune,
	// whose sum means nothing). Ratios are always Σnumerator ÷ Σdenominator.
	ClusterValue string
	// Hidden marks a component of a ratio that dashboards do not show on
	// its own.
	Hidden bool
	// Min and Max bound valid values; nil means unbounded.
	Min, Max *float64
}

// Label returns the indicator's name in lang ("vi" or "en").
func (ind Indicator) Label(lang string) string {
	if lang == "en" && ind.NameEN != "" {
		return ind.NameEN
	}
	return ind.Name
}

// UnitLabel returns the unit's name in lang ("vi" or "en").
func (u Unit) Label(lang string) string {
	if lang == "en" && u.NameEN != "" {
		return u.NameEN
	}
	return u.Name
}

// ScoreMethod is how a criterion's points are computed.
type ScoreMethod string

// The score methods. PctOfTarget gives weight × min(% of target, cap) ÷ cap;
// Rank gives weight × (n − rank) ÷ (n − 1) among the n units ranked;
// Threshold gives the points of the highest band the % of target (or the
// value, for indicators without a target) reaches.
const (
	PctOfTarget ScoreMethod = "pct_of_target"
	RankPoints  ScoreMethod = "rank"
	Threshold   ScoreMethod = "threshold"
)

// Band is one step of a Threshold criterion: at least Min earns Points.
type Band struct {
	Min    float64
	Points float64
}

// Criterion is one line of a cluster's scoring table (thang điểm).
type Criterion struct {
	Indicator string
	Weight    float64 // maximum points
	Method    ScoreMethod
	CapPct    float64 // for PctOfTarget; 0 means 100
	Bands     []Band  // for Threshold
}

// Cluster is an emulation cluster: a set of units compared on a set of
// indicators and scored by a set of criteria.
type Cluster struct {
	Code       string
	Name       string
	NameEN     string
	Units      []Unit
	Indicators []Indicator
	Criteria   []Criterion
	// Awards are the titles the cluster proposes units for at year end.
	Awards AwardRules
}

// Unit returns the unit with the given code.
func (c *Cluster) Unit(code string) (Unit, bool) {
	for _, u := range c.Units {
		if u.Code == code {
			return u, true
		}
	}
	return Unit{}, false
}

// Indicator returns the indicator with the given code.
func (c *Cluster) Indicator(code string) (Indicator, bool) {
	for _, ind := range c.Indicators {
		if ind.Code == code {
			return ind, true
		}
	}
	return Indicator{}, false
}

// LookupUnit finds the unit a person meant by s: its code, its name or an
// alias, compared after FoldUnitName, among the units valid on day at (any
// unit when at is zero). ok is false when no unit, or more than one, matches.
func (c *Cluster) LookupUnit(s string, at time.Time) (u Unit, ok bool) {
	key := FoldUnitName(s)
	code := strings.TrimSpace(s)
	if key == "" {
		return Unit{}, false
	}
	var found []Unit
	for _, cand := range c.Units {
		if !at.IsZero() && !cand.ValidOn(at) {
			continue
		}
		if cand.Code == code || (strings.TrimLeft(code, "0") != "" && strings.TrimLeft(cand.Code, "0") == strings.TrimLeft(code, "0") && isDigits(code)) {
			return cand, true
		}
		match := FoldUnitName(cand.Name) == key || FoldUnitName(cand.NameEN) == key
		for _, a := range cand.Aliases {
			match = match || FoldUnitName(a) == key
		}
		if match {
			found = append(found, cand)
		}
	}
	if len(found) != 1 {
		return Unit{}, false
	}
	return found[0], true
}

// LookupIndicator finds the indicator a person meant by s: its code, its
// name (Vietnamese or English) or an alias, compared after Fold.
func (c *Cluster) LookupIndicator(s string) (Indicator, bool) {
	key := Fold(s)
	if key == "" {
		return Indicator{}, false
	}
	for _, ind := range c.Indicators {
		if ind.Code == strings.TrimSpace(s) || Fold(ind.Code) == key || Fold(ind.Name) == key || Fold(ind.NameEN) == key {
			return ind, true
		}
		for _, a := range ind.Aliases {
			if Fold(a) == key {
				return ind, true
			}
		}
	}
	return Indicator{}, false
}

func isDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}

// Validate checks that the cluster is coherent: codes unique and well
// formed, ratio parts defined, criteria naming known indicators.
func (c *Cluster) Validate() error {
	if !ValidCode(c.Code) {
		return fmt.Errorf("cluster code %q: want %s", c.Code, CodePattern)
	}
	if len(c.Units) == 0 {
		return fmt.Errorf("cluster %s has no units", c.Code)
	}
	seen := map[string]bool{}
	for _, u := range c.Units {
		if !ValidCode(u.Code) {
			return fmt.Errorf("unit code %q: want %s", u.Code, CodePattern)
		}
		if u.Code == c.Code {
			return fmt.Errorf("unit code %q is the cluster's own code", u.Code)
		}
		if seen["u"+u.Code] {
			return fmt.Errorf("unit code %q appears twice", u.Code)
		}
		seen["u"+u.Code] = true
		if strings.TrimSpace(u.Name) == "" {
			return fmt.Errorf("unit %s has no name", u.Code)
		}
	}
	for _, ind := range c.Indicators {
		if !ValidCode(ind.Code) {
			return fmt.Errorf("indicator code %q: want %s", ind.Code, CodePattern)
		}
		if seen["i"+ind.Code] {
			return fmt.Errorf("indicator code %q appears twice", ind.Code)
		}
		seen["i"+ind.Code] = true
		switch ind.Agg {
		case Sum, Last, Average:
		case Ratio:
			for _, part := range []string{ind.Numerator, ind.Denominator} {
				p, ok := c.Indicator(part)
				if !ok {
					return fmt.Errorf("indicator %s: ratio part %q is not an indicator", ind.Code, part)
				}
				if p.Agg == Ratio {
					return fmt.Errorf("indicator %s: ratio part %q is itself a ratio", ind.Code, part)
				}
			}
			if ind.Factor == 0 {
				return fmt.Errorf("indicator %s: ratio factor is 0", ind.Code)
			}
		default:
			return fmt.Errorf("indicator %s: aggregation %q: want sum, last, average or ratio", ind.Code, ind.Agg)
		}
		switch ind.ClusterValue {
		case "", "sum", "mean":
		default:
			return fmt.Errorf("indicator %s: cluster_value %q: want sum or mean", ind.Code, ind.ClusterValue)
		}
		switch ind.Direction {
		case Higher, Lower, Target:
		default:
			return fmt.Errorf("indicator %s: direction %q: want higher, lower or target", ind.Code, ind.Direction)
		}
	}
	for _, cr := range c.Criteria {
		if _, ok := c.Indicator(cr.Indicator); !ok {
			return fmt.Errorf("scoring criterion: %q is not an indicator", cr.Indicator)
		}
		switch cr.Method {
		case PctOfTarget, RankPoints, Threshold:
		default:
			return fmt.Errorf("scoring criterion %s: method %q: want pct_of_target, rank or threshold", cr.Indicator, cr.Method)
		}
		if cr.Weight < 0 {
			return fmt.Errorf("scoring criterion %s: negative weight %v", cr.Indicator, cr.Weight)
		}
	}
	return c.Awards.Validate(c)
}

// CodePattern is the form every code (cluster, unit, indicator) must have, so
// that it is safe as an identifier and a file name.
const CodePattern = "^[A-Za-z0-9_]{1,64}$"

// ValidCode reports whether s matches CodePattern.
func ValidCode(s string) bool {
	if len(s) == 0 || len(s) > 64 {
		return false
	}
	for _, r := range s {
		if !(r == '_' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') {
			return false
		}
	}
	return true
}

// Pos is where a value came from: a file and a line (CSV) or a sheet and a
// cell (XLSX).
type Pos struct {
	File   string
	Line   int    // 1-based; 0 when unknown
	Column string // header name or column letter; may be empty
	Sheet  string // XLSX only
	Cell   string // XLSX only, e.g. "E7"
}

// String formats p as FILE:LINE[:COLUMN] or FILE:SHEET!CELL.
func (p Pos) String() string {
	if p.Sheet != "" {
		if p.Cell != "" {
			return fmt.Sprintf("%s:%s!%s", p.File, p.Sheet, p.Cell)
		}
		return fmt.Sprintf("%s:%s", p.File, p.Sheet)
	}
	s := p.File
	if p.Line > 0 {
		s += fmt.Sprintf(":%d", p.Line)
	}
	if p.Column != "" {
		s += ":" + p.Column
	}
	return s
}

// Observation is one reported value: a unit's indicator for a period.
type Observation struct {
	Unit      string // unit code
	Indicator string // indicator code
	Period    Period
	Basis     Basis
	Value     float64
	Pos       Pos
}

// TargetValue is a unit's annual target (kế hoạch năm, dự toán, chỉ tiêu
// giao) for an indicator.
type TargetValue struct {
	Unit      string
	Indicator string
	Year      int
	Value     float64
	Pos       Pos
}

// Problem is one reason a row or a file was refused, like encoding/csv's
// ParseError: where (Pos) and why (Err). Err is the typed cause, for
// instance an *ingest.NumberError wrapping ingest.ErrAmbiguous, a
// *PeriodError or a sentinel such as ingest.ErrMissingColumn: callers tell
// problems apart with errors.Is and errors.As (a Problem unwraps to Err),
// never by the text.
type Problem struct {
	Pos Pos
	Err error
}

// Problemf returns a Problem at pos whose Err is fmt.Errorf(format,
// args...): an error argument formatted with %w stays its cause.
func Problemf(pos Pos, format string, args ...any) Problem {
	return Problem{Pos: pos, Err: fmt.Errorf(format, args...)}
}

// Error formats p as POS: reason.
func (p Problem) Error() string { return p.Pos.String() + ": " + p.Reason() }

// String is Error.
func (p Problem) String() string { return p.Error() }

// Reason is the cause's text without the position, as the rejects table
// and run.json record it.
func (p Problem) Reason() string {
	if p.Err == nil {
		return "refused"
	}
	return p.Err.Error()
}

// Unwrap returns the cause.
func (p Problem) Unwrap() error { return p.Err }

// Source is the provenance of a file being loaded.
type Source struct {
	File   string // path as given
	Name   string // base name
	SHA256 string // hex
	Size   int64
	Format string // csv, xlsx-form, xlsx-table, parquet, sample
	// NumberLocale says how lone 1.234 / 1,234 cells were read when the
	// convention was inferred from the file (empty when none needed it):
	// the convention and the cell that showed it.
	NumberLocale string
}

// Batch is everything read from one source, ready to load.
type Batch struct {
	Source       Source
	Rows         int // data rows read (good and bad)
	Observations []Observation
	Targets      []TargetValue
	Problems     []Problem
}

// Load is the record of one load of a source into the database.
type Load struct {
	ID        int64
	File      string
	SHA256    string
	Format    string
	Rows      int
	LoadedAt  time.Time
	Inserted  int
	Updated   int
	Unchanged int
	Rejected  int
	Status    string // loaded, repeat, undone
	// Archived is the file's name in the inbox's archive/ folder
	// (archive/report.20260301T080000Z.csv when archive/report.csv was
	// taken); empty for a file not loaded from an inbox.
	Archived string
}

// Bonus is a hand-entered bonus (positive) or penalty (negative) for a unit
// in a scoring period, e.g. +10 for a provincial emulation flag.
type Bonus struct {
	Unit   string
	Period Period
	Points float64
	Reason string
	Pos    Pos
}
