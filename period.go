package thidua

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// PeriodType is the kind of span a Period covers.
type PeriodType string

// The period types, from the finest to the coarsest. YTD9 is the 9-month
// span (9 tháng) from January to September, reported as its own period.
const (
	Month   PeriodType = "month"
	Quarter PeriodType = "quarter"
	Half    PeriodType = "half"
	YTD9    PeriodType = "ytd"
	Year    PeriodType = "year"
)

// PeriodTypes lists the period types in order, finest first.
var PeriodTypes = []PeriodType{Month, Quarter, Half, YTD9, Year}

// Period is a reporting period: a month, quarter, half-year, the first nine
// months or a whole year of one calendar year.
type Period struct {
	Type PeriodType
	Year int
	// N is the month (1–12), quarter (1–4) or half (1–2); 9 for YTD9 and 0
	// for Year.
	N int
}

// MonthPeriod returns the period of month m of year y.
func MonthPeriod(y, m int) Period { return Period{Month, y, m} }

// String returns the canonical label: 2020-06, 2020-Q2, 2020-H1, 2020-9M or 2020.
func (p Period) String() string {
	switch p.Type {
	case Month:
		return fmt.Sprintf("%04d-%02d", p.Year, p.N)
	case Quarter:
		return fmt.Sprintf("%04d-Q%d", p.Year, p.N)
	case Half:
		return fmt.Sprintf("%04d-H%d", p.Year, p.N)
	case YTD9:
		return fmt.Sprintf("%04d-9M", p.Year)
	case Year:
		return fmt.Sprintf("%04d", p.Year)
	}
	return fmt.Sprintf("invalid period %q/%d/%d", p.Type, p.Year, p.N)
}

// Valid reports whether p is a well-formed period.
func (p Period) Valid() bool {
	if p.Year < 1900 || p.Year > 9999 {
		return false
	}
	switch p.Type {
	case Month:
		return p.N >= 1 && p.N <= 12
	case Quarter:
		return p.N >= 1 && p.N <= 4
	case Half:
		return p.N == 1 || p.N == 2
	case YTD9:
		return p.N == 9
	case Year:
		return p.N == 0
	}
	return false
}

// Months returns the first and last month (1–12) that p covers.
func (p Period) Months() (first, last int) {
	switch p.Type {
	case Month:
		return p.N, p.N
	case Quarter:
		return 3*p.N - 2, 3 * p.N
	case Half:
		return 6*p.N - 5, 6 * p.N
	case YTD9:
		return 1, 9
	}
	return 1, 12
}

// Start returns the first day of p.
func (p Period) Start() time.Time {
	first, _ := p.Months()
	return time.Date(p.Year, time.Month(first), 1, 0, 0, 0, 0, time.UTC)
}

// End returns the last day of p.
func (p Period) End() time.Time {
	_, last := p.Months()
	return time.Date(p.Year, time.Month(last)+1, 0, 0, 0, 0, 0, time.UTC)
}

// PeriodError reports a period that could not be read.
type PeriodError struct {
	Text   string
	Reason string
}

func (e *PeriodError) Error() string {
	return fmt.Sprintf("bad period %q: %s", e.Text, e.Reason)
}

var (
	reISOMonth   = regexp.MustCompile(`^(\d{4})[-/](\d{1,2})$`)
	reMonthYear  = regexp.MustCompile(`^(?:t|thang|month)?\s*(\d{1,2})\s*(?:/|-|\.|nam|year)?\s*(\d{4})$`)
	reQuarter    = regexp.MustCompile(`^(?:q|quy|quarter)\s*([1-4]|i{1,3}|iv)\s*(?:/|-|nam|year)?\s*(\d{4})$`)
	reISOQuarter = regexp.MustCompile(`^(\d{4})\s*-?\s*q([1-4])$`)
	reISOHalf    = regexp.MustCompile(`^(\d{4})\s*-?\s*h([12])$`)
	reHalf       = regexp.MustCompile(`^(?:h([12])\s*(?:/|-)?\s*(\d{4})|6 thang(?: (dau|cuoi))? nam\s*(\d{4})|(first|second) half\s*(?:of)?\s*(\d{4}))$`)
	reNine       = regexp.MustCompile(`^(?:9 thang(?: dau)? nam\s*(\d{4})|(\d{4})\s*-?\s*9m|9m\s*/?\s*(\d{4})|9 months(?: of)?\s*(\d{4}))$`)
	reYear       = regexp.MustCompile(`^(?:nam|year|fy)?\s*(\d{4})$`)
)

var romanQuarter = map[string]int{"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4}

// ParsePeriod reads a period written in any of the ways district reports use:
// 2020-06, 06/2020, T6/2020, Tháng 6/2020, Tháng 6 năm 2020, Q2/2020,
// Quý II/2020, 2020-Q2, 2020-H1, H1/2020, 6 tháng đầu năm 2020,
// 6 tháng năm 2020 (the first half), 6 tháng cuối năm 2020, 9 tháng năm 2020, 2020-9M, Năm 2020 and 2020.
// Case, diacritics and spacing do not matter.
func ParsePeriod(s string) (Period, error) {
	key := foldKeepSep(s)
	if key == "" {
		return Period{}, &PeriodError{s, "empty"}
	}
	if isDigits(key) && len(key) != 4 {
		// "12020" is not January 2020 but a typo: digits alone are a year.
		return Period{}, &PeriodError{s, "digits alone must be a 4-digit year; write months as 2020-06 or 06/2020"}
	}
	atoi := func(t string) int { n, _ := strconv.Atoi(t); return n }
	var p Period
	switch {
	case reISOMonth.MatchString(key):
		m := reISOMonth.FindStringSubmatch(key)
		p = Period{Month, atoi(m[1]), atoi(m[2])}
	case reMonthYear.MatchString(key):
		m := reMonthYear.FindStringSubmatch(key)
		p = Period{Month, atoi(m[2]), atoi(m[1])}
	case reQuarter.MatchString(key):
		m := reQuarter.FindStringSubmatch(key)
		p = Period{Quarter, atoi(m[2]), romanQuarter[m[1]]}
	case reISOQuarter.MatchString(key):
		m := reISOQuarter.FindStringSubmatch(key)
		p = Period{Quarter, atoi(m[1]), atoi(m[2])}
	case reISOHalf.MatchString(key):
		m := reISOHalf.FindStringSubmatch(key)
		p = Period{Half, atoi(m[1]), atoi(m[2])}
	case reHalf.MatchString(key):
		m := reHalf.FindStringSubmatch(key)
		switch {
		case m[1] != "":
			p = Period{Half, atoi(m[2]), atoi(m[1])}
		case m[4] != "": // "6 tháng năm 2020" is the first half, like "9 tháng năm 2020"
			p = Period{Half, atoi(m[4]), map[string]int{"": 1, "dau": 1, "cuoi": 2}[m[3]]}
		default:
			p = Period{Half, atoi(m[6]), map[string]int{"first": 1, "second": 2}[m[5]]}
		}
	case reNine.MatchString(key):
		m := reNine.FindStringSubmatch(key)
		p = Period{YTD9, atoi(m[1] + m[2] + m[3] + m[4]), 9}
	case reYear.MatchString(key):
		m := reYear.FindStringSubmatch(key)
		p = Period{Year, atoi(m[1]), 0}
	default:
		return Period{}, &PeriodError{s, "not a known period form (examples: 2020-06, T6/2020, Quý II/2020, 2020-H1, 6 tháng đầu năm 2020, 9 tháng năm 2020, Năm 2020)"}
	}
	if !p.Valid() {
		return Period{}, &PeriodError{s, "month, quarter, half or year out of range"}
	}
	return p, nil
}

// foldKeepSep folds s like Fold but keeps "/" and "-" as separators.
func foldKeepSep(s string) string {
	var parts []string
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r == '/' || r == '-' }) {
		parts = append(parts, Fold(f))
	}
	// Rebuild with the original separators in order.
	var seps []rune
	for _, r := range s {
		if r == '/' || r == '-' {
			seps = append(seps, r)
		}
	}
	if len(parts) == 0 {
		return ""
	}
	trimmed := strings.TrimSpace(s)
	var b strings.Builder
	b.WriteString(parts[0])
	si := 0
	// Leading separators are not meaningful in any period form.
	if strings.IndexFunc(trimmed, func(r rune) bool { return r == '/' || r == '-' }) == 0 {
		si++
	}
	for _, p := range parts[1:] {
		if si < len(seps) {
			b.WriteRune(seps[si])
			si++
		}
		b.WriteString(p)
	}
	return b.String()
}

// Prev returns the previous period of the same type: the month, quarter or
// half before, and the year before for YTD9 and Year.
func (p Period) Prev() Period {
	switch p.Type {
	case Month, Quarter, Half:
		per := map[PeriodType]int{Month: 12, Quarter: 4, Half: 2}[p.Type]
		if p.N == 1 {
			return Period{p.Type, p.Year - 1, per}
		}
		return Period{p.Type, p.Year, p.N - 1}
	}
	return Period{p.Type, p.Year - 1, p.N}
}

// YearBefore returns the same period one year earlier.
func (p Period) YearBefore() Period { return Period{p.Type, p.Year - 1, p.N} }
