package dashboards

import (
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"

	"github.com/thidua/thidua"
)

// refNum is Num as it was first written (strings, one formatting per
// step): the number formatting written into byte buffers must give the
// same texts.
func refNum(ms *messages, v float64, dec int) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return "—"
	}
	if dec < 0 {
		dec = 0
	}
	s := strconv.FormatFloat(math.Abs(v), 'f', dec, 64)
	intPart, frac := s, ""
	if i := strings.IndexByte(s, '.'); i >= 0 {
		intPart, frac = s[:i], s[i+1:]
	}
	var b strings.Builder
	if v < 0 && strings.Trim(s, "0.") != "" {
		b.WriteByte('-')
	}
	for i, c := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteString(ms.m["thousands"])
		}
		b.WriteRune(c)
	}
	if frac != "" {
		b.WriteString(ms.m["decimal"])
		b.WriteString(frac)
	}
	return b.String()
}

// refShown is shown as it was first written.
func refShown(n thidua.Num, dec int) string {
	if !n.OK || math.IsNaN(n.V) || math.IsInf(n.V, 0) {
		return exact(n)
	}
	v, err := strconv.ParseFloat(strconv.FormatFloat(n.V, 'f', max(0, dec), 64), 64)
	if err != nil {
		return exact(n)
	}
	if v == 0 {
		v = 0
	}
	return exact(thidua.Some(v))
}

// checkNumber checks every text of v against the reference formatting.
func checkNumber(t *testing.T, v float64, dec int) {
	t.Helper()
	for _, lang := range []string{"vi", "en"} {
		ms, err := loadMessages(lang)
		if err != nil {
			t.Fatal(err)
		}
		want := refNum(ms, v, dec)
		if got := ms.Num(v, dec); got != want {
			t.Errorf("%s: Num(%v, %d) = %q, want %q", lang, v, dec, got, want)
		}
		n := thidua.Some(v)
		if got, want := shown(n, dec), refShown(n, dec); got != want {
			t.Errorf("shown(%v, %d) = %q, want %q", v, dec, got, want)
		}
		c := (&index{}).numCell(ms, n, dec)
		if c.Text != want || c.V != refShown(n, dec) {
			t.Errorf("%s: numCell(%v, %d) = %q %q, want %q %q", lang, v, dec, c.Text, c.V, want, refShown(n, dec))
		}
		wantPct := refNum(ms, v, 1) + "%"
		if got := ms.Pct(n); got != wantPct {
			t.Errorf("%s: Pct(%v) = %q, want %q", lang, v, got, wantPct)
		}
		if c := pctCell(ms, n, false); c.Text != wantPct || c.V != refShown(n, 1) {
			t.Errorf("%s: pctCell(%v) = %q %q", lang, v, c.Text, c.V)
		}
		for _, c := range []struct {
			c   cell
			f   byte
			dec int
		}{{(&index{}).numCell(ms, n, dec), 'n', dec}, {pctCell(ms, n, false), 'p', 1}, {pctCell(ms, n, true), 's', 1}} {
			checkLit(t, ms, c.c, c.f, c.dec)
		}
		wantSigned := wantPct
		if v > 0 && wantSigned != refNum(ms, 0, 1)+"%" {
			wantSigned = "+" + wantSigned
		}
		if got := ms.SignedPct(n); got != wantSigned {
			t.Errorf("%s: SignedPct(%v) = %q, want %q", lang, v, got, wantSigned)
		}
		if c := pctCell(ms, n, true); c.Text != wantSigned || c.V != refShown(n, 1) {
			t.Errorf("%s: pctCell(%v, signed) = %q %q, want %q %q", lang, v, c.Text, c.V, wantSigned, refShown(n, 1))
		}
	}
}

// checkLit checks a cell proved bare where it was made (cell.lit) against
// blockEnc's check of it, as a column of format f with decimals dec.
func checkLit(t *testing.T, ms *messages, c cell, f byte, dec int) bool {
	t.Helper()
	if c.lit == 0 || !litFits(&c, f, dec) {
		return false
	}
	e := newBlockEnc(ms, nil)
	if lit, ok := e.checkedBare(&c, f, dec, 0); !ok || lit != c.V {
		t.Errorf("%s: cell %+v proved bare as %c with %d decimals, checked: %q %v", ms.lang, c, f, dec, lit, ok)
	}
	return true
}

func TestNumberTexts(t *testing.T) {
	for _, v := range []float64{0, math.Copysign(0, -1), 1, -1, 0.04, -0.04, 0.05, -0.05, 0.25, 999.95, -999.95, 1234.5, -1234567.891,
		1e15, 1e20, 1e21, -1e22, 1e-7, -3e-7, 1e-6, 1.5e-6, -0.0000015, 999999999999999, 123456789012345.6, 1200, 1e14 + 0.5, 0.1 + 0.2, 2.675, 1.005, 5e-324, math.MaxFloat64, math.NaN(), math.Inf(1), math.Inf(-1), 123456789.123456789} {
		for _, dec := range []int{-1, 0, 1, 2, 3, 9} {
			checkNumber(t, v, dec)
		}
	}
	for v, want := range map[int]string{3: "▲ +3", -3: "▼ -3", 0: "= 0", 1234: "▲ +1234"} {
		if got, _ := rankChange(v); got != want {
			t.Errorf("rankChange(%d) = %q, want %q", v, got, want)
		}
	}
}

func FuzzNumberTexts(f *testing.F) {
	for _, v := range []float64{0, -0.05, 1234.5, 1e21, 1e-7} {
		f.Add(v, 1)
	}
	f.Fuzz(func(t *testing.T, v float64, dec int) {
		checkNumber(t, v, dec%12)
	})
}

// TestPlainShown checks the data-v read off the formatted digits
// (plainShown) against parsing them, over values of every magnitude a
// page shows and every decimals setting.
func TestPlainShown(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	fast := 0
	for i := 0; i < 200_000; i++ {
		v := (r.Float64() - 0.3) * math.Pow10(r.IntN(26)-9)
		if i%7 == 0 {
			v = math.Round(v) // whole numbers
		}
		dec := r.IntN(10)
		fixed := strconv.AppendFloat(nil, v, 'f', dec, 64)
		want := refShown(thidua.Some(v), dec)
		if got := shownFixed(fixed); got != want {
			t.Fatalf("shown(%v, %d) = %q, want %q", v, dec, got, want)
		}
		if _, ok := plainShown(fixed); ok {
			fast++
		}
	}
	if fast < 100_000 {
		t.Errorf("plainShown read only %d values of 200,000", fast)
	}
}

// TestLitCells checks the number cells proved bare where they were made
// (cell.lit, litFixed) against blockEnc's check, over values of every
// magnitude and decimals, values rounded to their decimals (as the
// transform rounds some) and near-ties.
func TestLitCells(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	ms, err := loadMessages("vi")
	if err != nil {
		t.Fatal(err)
	}
	proved, n := 0, 0
	for i := 0; i < 100_000; i++ {
		v := (r.Float64() - 0.3) * math.Pow10(r.IntN(26)-9)
		dec := r.IntN(12) - 1
		switch i % 5 {
		case 1:
			v = math.Round(v)
		case 2:
			v = math.Round(v*math.Pow10(max(0, dec))) / math.Pow10(max(0, dec))
		case 3: // a tie at the decimals shown
			v = (math.Floor(v*math.Pow10(max(0, dec))) + 0.5) / math.Pow10(max(0, dec))
		}
		num := thidua.Some(v)
		for _, c := range []struct {
			c   cell
			f   byte
			dec int
		}{{(&index{}).numCell(ms, num, dec), 'n', dec}, {pctCell(ms, num, false), 'p', 1}, {pctCell(ms, num, true), 's', 1}} {
			n++
			if checkLit(t, ms, c.c, c.f, c.dec) {
				proved++
			}
		}
		if dec >= 0 && dec <= 9 {
			n++
			if checkLit(t, ms, (&index{}).numCell(ms, num, dec), byte('0'+dec), 0) {
				proved++
			}
		}
	}
	if proved < n/2 {
		t.Errorf("only %d cells of %d proved bare", proved, n)
	}
}

// TestRoundDec: a chart's value is the table's shown value (strconv's
// 'f' format read back), also on and near ties, where math.Round of the
// scaled value would differ.
func TestRoundDec(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	vals := []float64{0.25, 0.35, 2.675, 1.005, -0.05, -2.5, 1e17 + 0.5, 123456.785, 0.15, 7.45}
	for i := 0; i < 200000; i++ {
		vals = append(vals, (r.Float64()-0.5)*math.Pow10(r.IntN(12)), float64(r.IntN(100000))/1000+0.0005)
	}
	for _, v := range vals {
		for dec := 0; dec <= 3; dec++ {
			want, _ := strconv.ParseFloat(strconv.FormatFloat(v, 'f', dec, 64), 64)
			if got := roundDec(thidua.Some(v), dec); got.V != want || !got.OK {
				t.Fatalf("roundDec(%v, %d) = %v, want %v", v, dec, got.V, want)
			}
		}
	}
}
