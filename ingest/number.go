package ingest

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Locales for numbers (Options.Locale).
const (
	localeAuto = "auto" // no assumption: ambiguous numbers are refused
	localeVI   = "vi"   // 1.234,5: dot groups thousands, comma starts decimals
	localeEN   = "en"   // 1,234.5: comma groups thousands, dot starts decimals
)

// parseNumber reads a number as people write it in Vietnamese reports.
//
// Accepted: plain 1234 and 1234.5 or 1234,5; Vietnamese 1.234.567,5;
// English 1,234,567.5; spaces, no-break spaces or thin spaces grouping
// thousands (1 234 567,5); a leading + or - (also U+2212); an exponent
// (1.5E+06, as spreadsheets export large numbers).
//
// One separator followed by exactly three digits, as in 1.234 or 1,234, is
// ambiguous: 1234 in one convention and 1.234 in the other. The locale
// settles it ("vi": the dot groups, so 1.234 = 1234 and 1,234 = 1.234; "en":
// the comma groups, so 1,234 = 1234 and 1.234 = 1.234); with locale "" or
// "auto" it is refused with an error wrapping ErrAmbiguous. It is not
// ambiguous when the integer part is 0 (0.125) or has more than three
// digits (1234.567), since neither can be a thousands group.
//
// Refused: an empty cell or a lone dash (ErrEmpty), two numbers packed in
// one cell such as "14.162/13.828" (ErrPacked), a percent sign (ErrPercent;
// see parsePercent), and anything else that is not a number (ErrSyntax),
// including trailing units such as "12 ha". Errors are *NumberError.
func parseNumber(s, locale string) (float64, error) {
	return readNumber(s, locale, false)
}

// parsePercent is parseNumber allowing one trailing percent sign: "35,22%"
// gives 35.22 (the number as written, not divided by 100).
func parsePercent(s, locale string) (float64, error) {
	return readNumber(s, locale, true)
}

func isSpaceRune(r rune) bool {
	return r == ' ' || r == '\t' || r == '\u00a0' || r == '\u202f' || r == '\u2009' || r == '\u2007' || unicode.IsSpace(r)
}

// validLocale reports whether locale is one parseNumber knows.
func validLocale(locale string) bool {
	switch normLocale(locale) {
	case localeAuto, localeVI, localeEN:
		return true
	}
	return false
}

func normLocale(locale string) string {
	l := strings.ToLower(strings.TrimSpace(locale))
	if l == "" {
		return localeAuto
	}
	return l
}

// readNumber is parseNumber and parsePercent: the empty cell and the plain
// decimal first, then the cell's sign and percent (numberBody), then the
// number itself in exponent form (exponentNumber) or with its separators
// (groupedNumber).
func readNumber(text, locale string, allowPercent bool) (float64, error) {
	s := strings.TrimFunc(text, isSpaceRune)
	switch s {
	case "", "-", "–", "—", "--":
		return 0, &NumberError{Text: text, Err: ErrEmpty}
	}
	if plainDecimal(s) {
		return finish(text, s, false) // what the steps below make of it
	}
	s, neg, ne := numberBody(s, allowPercent)
	if ne == nil {
		if i := strings.IndexAny(s, "eE"); i >= 0 {
			s, ne = exponentNumber(s[:i], s[i+1:])
		} else {
			s, ne = groupedNumber(s, normLocale(locale))
		}
	}
	if ne != nil {
		ne.Text = text
		return 0, ne
	}
	return finish(text, s, neg)
}

// numberBody takes from s (trimmed, not empty) what surrounds the number:
// a trailing percent sign when allowPercent, a leading sign (neg for - and
// U+2212). Two numbers packed around a slash, a percent sign when not
// allowed, and nothing left are refused (a *NumberError without its Text).
func numberBody(s string, allowPercent bool) (body string, neg bool, err *NumberError) {
	if i := strings.IndexByte(s, '/'); i >= 0 {
		if hasDigit(s[:i]) && hasDigit(s[i+1:]) {
			return "", false, &NumberError{Err: ErrPacked, Detail: "it looks like actual/plan (or two values) in one cell; put each value in its own column"}
		}
		return "", false, &NumberError{Err: ErrSyntax}
	}
	if strings.HasSuffix(s, "%") {
		if !allowPercent {
			return "", false, &NumberError{Err: ErrPercent, Detail: "write the number without %"}
		}
		s = strings.TrimRightFunc(strings.TrimSuffix(s, "%"), isSpaceRune)
		if strings.HasSuffix(s, "%") {
			return "", false, &NumberError{Err: ErrSyntax}
		}
	}
	if r, n := utf8.DecodeRuneInString(s); r == '-' || r == '+' || r == '\u2212' {
		neg = r != '+'
		s = strings.TrimLeftFunc(s[n:], isSpaceRune)
	}
	if s == "" {
		return "", false, &NumberError{Err: ErrSyntax}
	}
	return s, neg, nil
}

// exponentNumber is the canonical form of mant e exp (1.5E+06, as
// spreadsheets export large numbers): a mantissa with at most one
// separator, taken as the decimal one.
func exponentNumber(mant, exp string) (string, *NumberError) {
	if strings.Count(mant, ".")+strings.Count(mant, ",") > 1 || !isExp(exp) || !isDigitsSep(mant) || !hasDigit(mant) {
		return "", &NumberError{Err: ErrSyntax}
	}
	return strings.Replace(mant, ",", ".", 1) + "e" + exp, nil
}

// groupedNumber is the canonical form (digits, a dot, digits) of s written
// with thousands separators, a decimal separator or both (splitDecimal
// tells which is which, by locale when it cannot tell alone).
func groupedNumber(s, locale string) (string, *NumberError) {
	s, spaced := collapseSpaces(s)
	for _, r := range s {
		if !(r >= '0' && r <= '9' || r == '.' || r == ',' || r == ' ') {
			return "", &NumberError{Err: ErrSyntax}
		}
	}
	intPart, frac, group, err := splitDecimal(s, locale, spaced)
	if err != nil {
		return "", err.(*NumberError)
	}
	if frac != "" && !allDigits(frac) {
		return "", &NumberError{Err: ErrSyntax}
	}
	if strings.HasSuffix(s, ".") || strings.HasSuffix(s, ",") {
		if frac == "" && group == 0 {
			// "12." or "12,": a trailing decimal separator; accept.
			intPart = strings.TrimRight(intPart, ".,")
		}
	}
	digits, ok := ungroup(intPart, group)
	if !ok {
		return "", &NumberError{Err: ErrSyntax, Detail: "digits are not in groups of three"}
	}
	if digits == "" && frac == "" {
		return "", &NumberError{Err: ErrSyntax}
	}
	if digits == "" {
		digits = "0"
	}
	if frac != "" {
		return digits + "." + frac, nil
	}
	return digits, nil
}

// collapseSpaces makes every run of spaces inside s one space (spaces
// group thousands: "1 234 567") and reports whether there were any.
func collapseSpaces(s string) (string, bool) {
	if strings.IndexFunc(s, isSpaceRune) < 0 {
		return s, false
	}
	var b strings.Builder
	for _, f := range strings.FieldsFunc(s, isSpaceRune) {
		b.WriteString(f)
		b.WriteByte(' ')
	}
	return strings.TrimSuffix(b.String(), " "), true
}

// splitDecimal splits s (digits, '.', ',' and single spaces) at its
// decimal separator into the integer part and the fraction, and names the
// thousands separator of the integer part (0 when none). Both separators:
// the later one is the decimal one. One kind several times: thousands. A
// lone one that may group thousands ("1.234") is read by locale, and with
// no locale refused as ErrAmbiguous. A refusal is a *NumberError without
// its Text.
func splitDecimal(s, locale string, spaced bool) (intPart, frac string, group byte, err error) {
	fail := func(err error, detail string) (string, string, byte, error) {
		return "", "", 0, &NumberError{Err: err, Detail: detail}
	}
	dots, commas := strings.Count(s, "."), strings.Count(s, ",")
	switch {
	case dots > 0 && commas > 0:
		ld, lc := strings.LastIndexByte(s, '.'), strings.LastIndexByte(s, ',')
		dec, grp := byte('.'), byte(',')
		if lc > ld {
			dec, grp = ',', '.'
		}
		if strings.Count(s, string(dec)) != 1 {
			return fail(ErrSyntax, "both . and , appear more than once")
		}
		i := strings.IndexByte(s, dec)
		intPart, frac = s[:i], s[i+1:]
		if strings.IndexByte(frac, grp) >= 0 {
			return fail(ErrSyntax, "thousands separator after the decimal separator")
		}
		return intPart, frac, grp, nil
	case dots+commas > 1:
		if commas > 0 {
			return s, "", ',', nil
		}
		return s, "", '.', nil
	case dots+commas == 1:
		return splitLoneSeparator(s, locale, spaced)
	}
	return s, "", 0, nil
}

// splitLoneSeparator is splitDecimal for s with one '.' or ','.
func splitLoneSeparator(s, locale string, spaced bool) (intPart, frac string, group byte, err error) {
	sep := byte('.')
	if strings.IndexByte(s, ',') >= 0 {
		sep = ','
	}
	i := strings.IndexByte(s, sep)
	before, after := s[:i], s[i+1:]
	digitsBefore := strings.ReplaceAll(before, " ", "")
	// "1 234.567" would need the separator as decimal: spaced numbers
	// never group with it.
	grouping := len(after) == 3 && !strings.Contains(after, " ") &&
		len(digitsBefore) >= 1 && before != "0" && len(before) <= 3 && !spaced
	switch {
	case !grouping:
		return before, after, 0, nil
	case locale == localeVI && sep == '.', locale == localeEN && sep == ',':
		return s, "", sep, nil
	case locale == localeVI || locale == localeEN:
		return before, after, 0, nil
	}
	return "", "", 0, &NumberError{Err: ErrAmbiguous, Detail: fmt.Sprintf("%s%s if %s groups thousands, %s.%s if it is the decimal separator; "+
		"write %s%s for the first or %s%s%s0 for the second, or set the number locale (vi: 1.234,5; en: 1,234.5)",
		before, after, quoteSep(sep), before, after, before, after, before, string(sep), after)}
}

// plainDecimal reports digits, or digits, a dot and digits that cannot be
// read as thousands grouping (not "1.234"): the common case, which the
// general path of parseNumber would canonicalize to s itself.
func plainDecimal(s string) bool {
	dot := -1
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9':
		case c == '.' && dot < 0:
			dot = i
		default:
			return false
		}
	}
	if dot < 0 {
		return true
	}
	before, after := s[:dot], s[dot+1:]
	return before != "" && after != "" && !(len(after) == 3 && len(before) <= 3 && before != "0")
}

func finish(text, canon string, neg bool) (float64, error) {
	v, err := strconv.ParseFloat(canon, 64)
	if err != nil || math.IsInf(v, 0) || math.IsNaN(v) {
		return 0, &NumberError{Text: text, Err: ErrRange}
	}
	if neg {
		v = -v
	}
	if v == 0 {
		v = 0 // no negative zero
	}
	return v, nil
}

func quoteSep(sep byte) string {
	if sep == '.' {
		return `"."`
	}
	return `","`
}

// ungroup removes the grouping separator group (and spaces) from s, checking
// that the groups after the first have exactly three digits and the first
// one to three.
func ungroup(s string, group byte) (string, bool) {
	if group == 0 && !strings.Contains(s, " ") {
		if s != "" && !allDigits(s) {
			return "", false
		}
		return s, true
	}
	parts := strings.FieldsFunc(s, func(r rune) bool { return r == ' ' || (group != 0 && r == rune(group)) })
	// Separators must not be doubled, leading or trailing.
	if strings.Count(s, " ")+countByte(s, group)+1 != len(parts) {
		return "", false
	}
	if len(parts) == 0 || len(parts[0]) < 1 || len(parts[0]) > 3 {
		return "", false
	}
	var b strings.Builder
	for i, p := range parts {
		if !allDigits(p) || (i > 0 && len(p) != 3) {
			return "", false
		}
		b.WriteString(p)
	}
	return b.String(), true
}

func countByte(s string, c byte) int {
	if c == 0 {
		return 0
	}
	return strings.Count(s, string(c))
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

func hasDigit(s string) bool {
	return strings.IndexFunc(s, func(r rune) bool { return r >= '0' && r <= '9' }) >= 0
}

func isDigitsSep(s string) bool {
	for i := 0; i < len(s); i++ {
		if !(s[i] >= '0' && s[i] <= '9' || s[i] == '.' || s[i] == ',') {
			return false
		}
	}
	return true
}

func isExp(s string) bool {
	if s != "" && (s[0] == '+' || s[0] == '-') {
		s = s[1:]
	}
	return allDigits(s) && len(s) <= 4
}

// localeEvidence says which convention a number written as text shows, when
// it can be read one way only: localeVI for 2.934,9, 1.234.567, 0,5 or
// 12,75 (a comma before decimals, dots between groups); localeEN for
// 3315.9, 1,234,567, 0.5 or 1,234.5. It returns "" for a number that reads
// the same either way (1234), one that is ambiguous (1.234), and text that
// is not a number at all. See readWithLocale.
func localeEvidence(text string) string {
	s := strings.TrimFunc(text, isSpaceRune)
	s = strings.TrimRightFunc(strings.TrimSuffix(s, "%"), isSpaceRune)
	if r, n := utf8.DecodeRuneInString(s); r == '-' || r == '+' || r == '\u2212' {
		s = strings.TrimLeftFunc(s[n:], isSpaceRune)
	}
	if s == "" || strings.ContainsAny(s, "eE") {
		return ""
	}
	dots, commas := strings.Count(s, "."), strings.Count(s, ",")
	if dots+commas == 0 {
		return ""
	}
	// Read the whole text in auto mode, as a reader would: a number that
	// is not one (a second sign), or is ambiguous,
	// shows nothing.
	if _, err := parsePercent(text, localeAuto); err != nil {
		return ""
	}
	switch {
	case dots > 0 && commas > 0:
		if strings.LastIndexByte(s, ',') > strings.LastIndexByte(s, '.') {
			return localeVI
		}
		return localeEN
	case dots > 1:
		return localeVI
	case commas > 1:
		return localeEN
	case dots == 1:
		return localeEN // the dot is the decimal separator: 3315.9
	default:
		return localeVI // 12,75
	}
}
