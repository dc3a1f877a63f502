package thidua

import (
	"fmt"
	"math"
	"slices"
)

// The checks of the quality table, by check_name.
const (
	CheckCompleteness    = "completeness"
	CheckUnitSlip        = "unit_slip"
	CheckYTDAsMonth      = "ytd_as_month"
	CheckSeasonalOutlier = "seasonal_outlier"
	CheckStockDrop       = "stock_drop"
	CheckRule            = "rule"
	CheckLateCorrection  = "late_correction"
	CheckSpanConflict    = "span_conflict"
	CheckLateReport      = "late_report"
)

// QualityChecks lists every check the quality table can hold.
var QualityChecks = []string{CheckCompleteness, CheckUnitSlip, CheckYTDAsMonth, CheckSeasonalOutlier, CheckStockDrop,
	CheckRule, CheckLateCorrection, CheckSpanConflict, CheckLateReport}

// QualityFrequencies are the reporting frequencies a unit or indicator may be expected to report at.
var QualityFrequencies = []string{"month", "quarter", "half", "year"}

// QualityConfig tunes the data-quality checks. The zero value means the defaults
// (DefaultQualityConfig).
type QualityConfig struct {
	// Disabled names checks (see QualityChecks) that are not run.
	Disabled []string
	// OutlierRatio: a month value at least this many times (or at most
	// 1/OutlierRatio of) its reference (the same month of the unit's other
	// years, else the unit's typical share of its year) is a
	// seasonal_outlier. Zero means the default.
	OutlierRatio float64
	// SlipTolerance: a value within this factor of 10, 100 or 1000 times
	// (or a tenth, hundredth, thousandth of) its reference is a unit_slip.
	SlipTolerance float64
	// YTDTolerance: a month value within this fraction of the year's
	// earlier months plus a normal month is a ytd_as_month.
	YTDTolerance float64
	// MinValue: values whose value and reference are both below it are too
	// small to judge by ratio (counts of 0–3 a month).
	MinValue float64
	// NonDecreasing names stock indicators that never fall (communes meeting
	// the new-rural standard): a month below the month before is a
	// stock_drop.
	NonDecreasing []string
	// UnitFrequency and IndicatorFrequency set how often a unit (by code)
	// or an indicator is expected to report: month, quarter, half or year.
	// Where both apply the coarser wins; where neither does, the frequency
	// is inferred from what the unit sends.
	UnitFrequency      map[string]string
	IndicatorFrequency map[string]string
	// DueDays, when set, is the reporting deadline: a unit's report of a
	// period is due DueDays days after the period's last day (negative:
	// before it ends). A report first loaded after that day is a
	// late_report; nil means the cluster has no deadline and the check
	// does not run. Loads of the built-in sample are never late.
	DueDays *int
	// Accepted findings are kept in the quality table with who accepted
	// them and why, and not shown.
	Accepted []Accepted
}

// Accepted is a finding someone looked at and accepted: it matches a
// finding of the same check, unit, indicator and period (an empty field
// matches any).
type Accepted struct {
	Check, Unit, Indicator, Period string
	Who, Why                       string
}

// DefaultQualityConfig is the configuration of the checks when none is given.
var DefaultQualityConfig = QualityConfig{OutlierRatio: 4, SlipTolerance: 2, YTDTolerance: 0.2, MinValue: 10}

// WithDefaults fills zero thresholds from DefaultQualityConfig and checks
// every setting; config calls it when the configuration is read.
func (q QualityConfig) WithDefaults() (QualityConfig, error) {
	d := DefaultQualityConfig
	if q.OutlierRatio == 0 {
		q.OutlierRatio = d.OutlierRatio
	}
	if q.SlipTolerance == 0 {
		q.SlipTolerance = d.SlipTolerance
	}
	if q.YTDTolerance == 0 {
		q.YTDTolerance = d.YTDTolerance
	}
	if q.MinValue == 0 {
		q.MinValue = d.MinValue
	}
	for _, c := range []struct {
		name string
		v    float64
		ok   bool
	}{
		{"outlier_ratio", q.OutlierRatio, q.OutlierRatio > 1},
		{"slip_tolerance", q.SlipTolerance, q.SlipTolerance > 1 && q.SlipTolerance < math.Sqrt(10)},
		{"ytd_tolerance", q.YTDTolerance, q.YTDTolerance > 0 && q.YTDTolerance < 1},
		{"min_value", q.MinValue, q.MinValue >= 0},
	} {
		if !c.ok || math.IsNaN(c.v) || math.IsInf(c.v, 0) {
			return q, fmt.Errorf("quality %s %v: out of range", c.name, c.v)
		}
	}
	if q.DueDays != nil && (*q.DueDays < -366 || *q.DueDays > 366) {
		return q, fmt.Errorf("quality due_days %d: out of range (-366 to 366 days after the period's end)", *q.DueDays)
	}
	for _, c := range q.Disabled {
		if !slices.Contains(QualityChecks, c) {
			return q, fmt.Errorf("quality: disabled check %q: not one of %v", c, QualityChecks)
		}
	}
	for _, m := range []map[string]string{q.UnitFrequency, q.IndicatorFrequency} {
		for k, f := range m {
			if !slices.Contains(QualityFrequencies, f) {
				return q, fmt.Errorf("quality: frequency of %s %q: want one of %v", k, f, QualityFrequencies)
			}
		}
	}
	return q, nil
}
