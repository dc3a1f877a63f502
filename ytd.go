package thidua

import (
	"fmt"
	"math"
	"strconv"
)

// PeriodYTDConflict says why a value for period p and the year-to-date
// value at p's end (a form's "Thực hiện" and "Lũy kế") of indicator ind
// cannot both be right, or returns "" when they can:
//   - a flow (Sum): the year to date runs from January to p's end, so it
//     includes the period: the period's value cannot be more, and when p
//     starts in January (month 1, Q1, H1, 9 months, the year) the two are
//     the same span and must be equal;
//   - a stock (Last): both are the value at p's end, so they must be equal;
//   - an Average: equal when p starts in January (the same months), else
//     unconstrained;
//   - a Ratio is computed from its parts: no check.
//
// Values within a relative 1e-9 of each other are equal (spreadsheet
// floating point).
func PeriodYTDConflict(ind Indicator, p Period, period, ytd float64) string {
	num := func(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }
	tol := 1e-9 * math.Max(1, math.Max(math.Abs(period), math.Abs(ytd)))
	equal := math.Abs(period-ytd) <= tol
	fromJanuary := p.Start().Month() == 1
	switch ind.Agg {
	case Sum:
		if fromJanuary && !equal {
			return fmt.Sprintf("%s runs from January, so its year to date is the period itself and the two must be equal (%s ≠ %s)", p, num(period), num(ytd))
		}
		if period > ytd+tol {
			return fmt.Sprintf("the year to date (January to the end of %s) includes the period, so it cannot be less than the period's value (%s < %s)", p, num(ytd), num(period))
		}
	case Last:
		if !equal {
			return fmt.Sprintf("%s is counted at the end of the period, which is also the end of the year to date, so the two must be equal (%s ≠ %s)", ind.Code, num(period), num(ytd))
		}
	case Average:
		if fromJanuary && !equal {
			return fmt.Sprintf("%s runs from January, so its year to date is the period itself and the two must be equal (%s ≠ %s)", p, num(period), num(ytd))
		}
	}
	return ""
}
