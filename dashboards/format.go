package dashboards

import (
	"bytes"
	"embed"
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/thidua/thidua"
)

//go:embed messages/*.json
var messageFS embed.FS

// messages is one language's labels, read from messages/LANG.json.
type messages struct {
	lang string
	m    map[string]string
	// thousands and decimal are the number separators (messages
	// "thousands", "decimal"), looked up once for Num.
	thousands, decimal string
}

// loadMessages reads the message file of lang and checks that it has every
// key the Vietnamese file has, so a missing translation fails the build's
// tests rather than showing a key to a reader.
func loadMessages(lang string) (*messages, error) {
	read := func(l string) (map[string]string, error) {
		b, err := messageFS.ReadFile("messages/" + l + ".json")
		if err != nil {
			return nil, fmt.Errorf("dashboards: language %q: want vi or en", l)
		}
		m := map[string]string{}
		if err := json.Unmarshal(b, &m); err != nil {
			return nil, fmt.Errorf("dashboards: messages/%s.json: %w", l, err)
		}
		return m, nil
	}
	m, err := read(lang)
	if err != nil {
		return nil, err
	}
	if lang != "vi" {
		vi, err := read("vi")
		if err != nil {
			return nil, err
		}
		var missing []string
		for k := range vi {
			if _, ok := m[k]; !ok {
				missing = append(missing, k)
			}
		}
		if len(missing) > 0 {
			sort.Strings(missing)
			return nil, fmt.Errorf("dashboards: messages/%s.json lacks %s", lang, strings.Join(missing, ", "))
		}
	}
	return &messages{lang: lang, m: m, thousands: m["thousands"], decimal: m["decimal"]}, nil
}

// T returns the message key with {name} placeholders replaced by args given
// as name, value pairs.
func (ms *messages) T(key string, args ...string) string {
	s, ok := ms.m[key]
	if !ok {
		panic("dashboards: no message " + key) // caught by the tests of every page
	}
	for i := 0; i+1 < len(args); i += 2 {
		s = strings.ReplaceAll(s, "{"+args[i]+"}", args[i+1])
	}
	return s
}

// clusterValue is a cluster row's value as every page and report shows it:
// the value; or, when units are missing from the row, the transform's
// value_partial marked as partial with the units it counts, so a partial
// total never reads as the total (docs/transform.md#rule-cluster-value);
// "—" when there is neither. partial says which.
func (ms *messages) clusterValue(row *thidua.PopRow, dec int) (text string, partial bool) {
	switch {
	case row == nil:
		return "—", false
	case row.Value.OK:
		return ms.Num(row.Value.V, dec), false
	case row.ValuePartial.OK:
		return ms.T("cluster_partial", "v", ms.Num(row.ValuePartial.V, dec),
			"n", strconv.Itoa(row.UnitsReported), "m", strconv.Itoa(row.UnitsExpected)), true
	}
	return "—", false
}

// Num formats v with dec decimals in the language's style: 1.234,5 in
// Vietnamese, 1,234.5 in English.
func (ms *messages) Num(v float64, dec int) string {
	var buf [64]byte
	return string(ms.appendNum(buf[:0], v, dec))
}

// appendNum appends Num(v, dec) to dst.
func (ms *messages) appendNum(dst []byte, v float64, dec int) []byte {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return append(dst, "—"...)
	}
	if dec < 0 {
		dec = 0
	}
	var buf [64]byte
	return ms.appendFixed(dst, strconv.AppendFloat(buf[:0], v, 'f', dec, 64))
}

// appendFixed appends the number s (strconv's 'f' format of a finite
// number: [-]digits[.digits]) in the language's style, as Num shows it: a
// minus only when a digit is not zero, thousands grouped.
func (ms *messages) appendFixed(dst, s []byte) []byte {
	neg := len(s) > 0 && s[0] == '-'
	if neg {
		s = s[1:]
		nonzero := false
		for _, c := range s {
			nonzero = nonzero || c != '0' && c != '.'
		}
		if nonzero {
			dst = append(dst, '-')
		}
	}
	intPart, frac := s, []byte(nil)
	if i := bytes.IndexByte(s, '.'); i >= 0 {
		intPart, frac = s[:i], s[i+1:]
	}
	for i, c := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			dst = append(dst, ms.thousands...)
		}
		dst = append(dst, c)
	}
	if len(frac) > 0 {
		dst = append(dst, ms.decimal...)
		dst = append(dst, frac...)
	}
	return dst
}

// numTexts are n's text with dec decimals (Num) and the value behind it
// (shown), from one formatting of the number; lit reports that site.js
// shows value with dec decimals as text (before suffix): see litFixed.
func (ms *messages) numTexts(v float64, dec int, suffix string) (text, value string, lit bool) {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return ms.Num(v, dec) + suffix, exact(thidua.Some(v)), false
	}
	var fb, tb [128]byte
	fixed := strconv.AppendFloat(fb[:0], v, 'f', max(0, dec), 64)
	t := append(ms.appendFixed(tb[:0], fixed), suffix...)
	return textsOf(t, fixed, dec)
}

// signedPctTexts are numTexts of a percent change: SignedPct's text and
// the value shown (one decimal).
func (ms *messages) signedPctTexts(v float64) (text, value string, lit bool) {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return ms.SignedPct(thidua.Some(v)), shown(thidua.Some(v), 1), false
	}
	var fb, tb [128]byte
	fixed := strconv.AppendFloat(fb[:0], v, 'f', 1, 64)
	t := tb[:0]
	if v > 0 {
		t = append(t, '+')
	}
	t = append(ms.appendFixed(t, fixed), '%') // (appendSignedPct's text)
	if v > 0 && ms.isZeroPct(t[1:]) {
		t = t[1:]
	}
	return textsOf(t, fixed, 1)
}

// textsOf are a cell's text t and the value shown of fixed (the number
// formatted with dec decimals: shownFixed) as strings of one allocation,
// and whether litFixed holds.
func textsOf(t, fixed []byte, dec int) (text, value string, lit bool) {
	n := len(t)
	if b, ok := appendPlainShown(t, fixed); ok {
		s := string(b)
		return s[:n], s[n:], litFixed(fixed, dec)
	}
	return string(t), shownFixed(fixed), false
}

// litFixed reports whether fixed (strconv's 'f' format of a finite
// number with dec decimals, whose shown value plainShown read off it) has
// at most 15 digits from its first that is not 0, with 0 ≤ dec ≤ 9. Its
// shown value v then is what blockEnc.bare would find by checking: v's
// literal (the shortest digits that read back as v, as JavaScript writes
// it) is the shown value itself, and v formatted with dec decimals is
// fixed again (v is the float64 nearest a decimal of at most 15
// significant digits, DBL_DIG, off by less than half a unit of its last
// digit), so site.js's text of v is the cell's; and v·10^dec lies within
// rounding of a whole number below 10^15, never on a tie of toFixed
// (compactable). Cells made from such texts are sent bare unchecked
// (cell.lit); checkBare makes the tests check each one.
func litFixed(fixed []byte, dec int) bool {
	if dec < 0 || dec > 9 {
		return false
	}
	n, lead := 0, true
	for _, c := range fixed {
		if c < '0' || c > '9' || lead && c == '0' {
			continue
		}
		lead = false
		n++
	}
	return n <= 15
}

// N formats a possibly missing number; missing is "—".
func (ms *messages) N(n thidua.Num, dec int) string {
	if !n.OK {
		return "—"
	}
	return ms.Num(n.V, dec)
}

// Pct formats a percentage with one decimal: 62,5%.
func (ms *messages) Pct(n thidua.Num) string {
	if !n.OK {
		return "—"
	}
	var buf [64]byte
	return string(append(ms.appendNum(buf[:0], n.V, 1), '%'))
}

// SignedPct formats a percent change with its sign: +12,3%, -4,0%.
func (ms *messages) SignedPct(n thidua.Num) string {
	if !n.OK {
		return "—"
	}
	var buf [64]byte
	return string(ms.appendSignedPct(buf[:0], n.V))
}

// appendSignedPct appends SignedPct(thidua.Some(v)) to dst.
func (ms *messages) appendSignedPct(dst []byte, v float64) []byte {
	start := len(dst)
	if v > 0 {
		dst = append(dst, '+')
	}
	dst = append(ms.appendNum(dst, v, 1), '%')
	// (no sign on a change that shows as zero: +0,0%)
	if v > 0 && ms.isZeroPct(dst[start+1:]) {
		dst = append(dst[:start], dst[start+1:]...)
	}
	return dst
}

// isZeroPct reports whether s is Num(0, 1)+"%".
func (ms *messages) isZeroPct(s []byte) bool {
	var buf [16]byte
	return bytes.Equal(s, append(ms.appendNum(buf[:0], 0, 1), '%'))
}

// Date formats t as dd/mm/yyyy hh:mm (Vietnamese) or 2 Jan 2006 15:04 (English), UTC.
func (ms *messages) Date(t time.Time) string {
	t = t.UTC()
	if ms.lang == "en" {
		return t.Format("2 Jan 2006 15:04 UTC")
	}
	return t.Format("02/01/2006 15:04 UTC")
}

var romanQ = []string{"", "I", "II", "III", "IV"}
var monthEN = []string{"", "January", "February", "March", "April", "May", "June", "July", "August",
	"September", "October", "November", "December"}

// Period names p the way readers of the language say it.
func (ms *messages) Period(p thidua.Period) string {
	if ms.lang == "en" {
		switch p.Type {
		case thidua.Month:
			return fmt.Sprintf("%s %d", monthEN[p.N], p.Year)
		case thidua.Quarter:
			return fmt.Sprintf("Q%d %d", p.N, p.Year)
		case thidua.Half:
			return fmt.Sprintf("H%d %d", p.N, p.Year)
		case thidua.YTD9:
			return fmt.Sprintf("9 months %d", p.Year)
		}
		return fmt.Sprintf("Year %d", p.Year)
	}
	switch p.Type {
	case thidua.Month:
		return fmt.Sprintf("Tháng %d/%d", p.N, p.Year)
	case thidua.Quarter:
		return fmt.Sprintf("Quý %s/%d", romanQ[p.N], p.Year)
	case thidua.Half:
		if p.N == 1 {
			return fmt.Sprintf("6 tháng đầu năm %d", p.Year)
		}
		return fmt.Sprintf("6 tháng cuối năm %d", p.Year)
	case thidua.YTD9:
		return fmt.Sprintf("9 tháng năm %d", p.Year)
	}
	return fmt.Sprintf("Năm %d", p.Year)
}

// ShortPeriod is a compact axis label: 06/2020, QII/20, H1/2020, 9T/2020, 2020.
func (ms *messages) ShortPeriod(p thidua.Period) string {
	switch p.Type {
	case thidua.Month:
		return fmt.Sprintf("%02d/%d", p.N, p.Year)
	case thidua.Quarter:
		if ms.lang == "en" {
			return fmt.Sprintf("Q%d/%d", p.N, p.Year)
		}
		return fmt.Sprintf("Q%s/%d", romanQ[p.N], p.Year)
	case thidua.Half:
		return fmt.Sprintf("H%d/%d", p.N, p.Year)
	case thidua.YTD9:
		if ms.lang == "en" {
			return fmt.Sprintf("9M/%d", p.Year)
		}
		return fmt.Sprintf("9T/%d", p.Year)
	}
	return strconv.Itoa(p.Year)
}

// defuse makes a string from data or configuration harmless in an ECharts
// option: go-echarts turns "__f__…__f__" into live JavaScript when it
// renders a page, so the marker is broken with a zero-width space. (This
// package never lets go-echarts render, but the options it builds must stay
// safe wherever they go.)
func defuse(s string) string {
	// Repeat: breaking one marker can leave another ("__f__f__").
	for strings.Contains(s, "__f__") {
		s = strings.ReplaceAll(s, "__f__", "_\u200b_f__")
	}
	return s
}
