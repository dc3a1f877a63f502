package ingest

import (
	"errors"
	"fmt"
	"math"
	"testing"
)

func TestParseNumber(t *testing.T) {
	tests := []struct {
		in     string
		locale string
		want   float64
		err    error // nil: no error
	}{
		{"1234", "", 1234, nil},
		{"1234.5", "", 1234.5, nil},
		{"1234,5", "", 1234.5, nil},
		{"1.234,5", "", 1234.5, nil},
		{"1,234.5", "", 1234.5, nil},
		{"1.234.567", "", 1234567, nil},
		{"1,234,567", "", 1234567, nil},
		{"1.234.567,89", "", 1234567.89, nil},
		{"1,234,567.89", "en", 1234567.89, nil},
		{"1 234 567", "", 1234567, nil},
		{"1\u00a0234,5", "", 1234.5, nil},
		{"1\u202f234.5", "", 1234.5, nil},
		{" 42 ", "", 42, nil},
		{"-5", "", -5, nil},
		{"+5", "", 5, nil},
		{"\u22125,5", "", -5.5, nil},
		{"- 5", "", -5, nil},
		{"0,125", "", 0.125, nil},
		{"0.125", "", 0.125, nil},
		{",5", "", 0.5, nil},
		{"12.", "", 12, nil},
		{"1234.567", "", 1234.567, nil},
		{"12.3456", "", 12.3456, nil},
		{"1.5E+06", "", 1.5e6, nil},
		{"1,5e3", "", 1500, nil},
		{"-0", "", 0, nil},
		{"007", "", 7, nil},
		// Ambiguous unless the locale settles it.
		{"1.234", "", 0, ErrAmbiguous},
		{"1,234", "", 0, ErrAmbiguous},
		{"1.234", "auto", 0, ErrAmbiguous},
		{"-12.345", "", 0, ErrAmbiguous},
		{"1.234", "vi", 1234, nil},
		{"1.234", " VI ", 1234, nil},
		{"1,234", "vi", 1.234, nil},
		{"1,234", "en", 1234, nil},
		{"1.234", "en", 1.234, nil},
		{"1 234.567", "", 1234.567, nil},
		// Refusals.
		{"", "", 0, ErrEmpty},
		{"   ", "", 0, ErrEmpty},
		{"-", "", 0, ErrEmpty},
		{"—", "", 0, ErrEmpty},
		{"14.162/13.828", "", 0, ErrPacked},
		{"14.162/13.828 ha", "vi", 0, ErrPacked},
		{"12/2020", "", 0, ErrPacked},
		{"35%", "", 0, ErrPercent},
		{"abc", "", 0, ErrSyntax},
		{"12 ha", "", 0, ErrSyntax},
		{"1.2.3", "", 0, ErrSyntax},
		{"1.23.456", "", 0, ErrSyntax},
		{"1,234.5,6", "", 0, ErrSyntax},
		{"1.234,5.6", "", 0, ErrSyntax},
		{"12 34", "", 0, ErrSyntax},
		{"1..2", "", 0, ErrSyntax},
		{".", "", 0, ErrSyntax},
		{"+", "", 0, ErrSyntax},
		{"--5", "", 0, ErrSyntax},
		{"1e", "", 0, ErrSyntax},
		{"1e99999", "", 0, ErrSyntax},
		{"1e400", "", 0, ErrRange},
		{"NaN", "", 0, ErrSyntax},
		{"Inf", "", 0, ErrSyntax},
		{"0x10", "", 0, ErrSyntax},
		{"1_000", "", 0, ErrSyntax},
		{"(5)", "", 0, ErrSyntax},
	}
	for _, tt := range tests {
		got, err := parseNumber(tt.in, tt.locale)
		if tt.err != nil {
			if !errors.Is(err, tt.err) {
				t.Errorf("parseNumber(%q, %q) = %v, %v; want error %v", tt.in, tt.locale, got, err, tt.err)
			}
			var ne *NumberError
			if err != nil && !errors.As(err, &ne) {
				t.Errorf("parseNumber(%q): error %T, want *NumberError", tt.in, err)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("parseNumber(%q, %q) = %v, %v; want %v", tt.in, tt.locale, got, err, tt.want)
		}
	}
}

func TestParsePercent(t *testing.T) {
	for in, want := range map[string]float64{"35,22%": 35.22, "35.22 %": 35.22, "1,93": 1.93, "100%": 100} {
		got, err := parsePercent(in, "")
		if err != nil || got != want {
			t.Errorf("parsePercent(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, in := range []string{"%", "35%%", "3%5"} {
		if v, err := parsePercent(in, ""); err == nil {
			t.Errorf("parsePercent(%q) = %v, want error", in, v)
		}
	}
}

func TestNumberErrorMessages(t *testing.T) {
	for in, want := range map[string]string{
		"":              "empty number",
		"1.234":         `ambiguous number "1.234": 1234 if "." groups thousands, 1.234 if it is the decimal separator; write 1234 for the first or 1.2340 for the second, or set the number locale (vi: 1.234,5; en: 1,234.5)`,
		"14.162/13.828": `two numbers packed in one cell "14.162/13.828": it looks like actual/plan (or two values) in one cell; put each value in its own column`,
		"x":             `not a number "x"`,
	} {
		_, err := parseNumber(in, "")
		if err == nil || err.Error() != want {
			t.Errorf("parseNumber(%q) error\n got %v\nwant %s", in, err, want)
		}
	}
}

func FuzzParseNumber(f *testing.F) {
	for _, s := range []string{"1.234,5", "1,234.5", "1 234", "-5", "1.5E+06", "14.162/13.828", "35%", "1.234", ",5", "1..2"} {
		f.Add(s, "")
		f.Add(s, "vi")
		f.Add(s, "en")
	}
	f.Fuzz(func(t *testing.T, s, locale string) {
		v, err := parseNumber(s, locale)
		if err != nil {
			var ne *NumberError
			if !errors.As(err, &ne) {
				t.Fatalf("parseNumber(%q): error %T is not *NumberError", s, err)
			}
			if v != 0 {
				t.Fatalf("parseNumber(%q) = %v with error", s, v)
			}
			return
		}
		if math.IsNaN(v) || math.IsInf(v, 0) {
			t.Fatalf("parseNumber(%q) = %v", s, v)
		}
		// A number accepted in auto mode reads the same in both locales
		// (auto refuses exactly what the locales disagree on).
		if locale == "" {
			for _, l := range []string{"vi", "en"} {
				w, err := parseNumber(s, l)
				if err != nil || w != v {
					t.Fatalf("parseNumber(%q, %q) = %v, %v; auto gave %v", s, l, w, err, v)
				}
			}
		}
		// Formatting the value plainly and reading it back gives it again.
		plain := fmt.Sprintf("%f", v)
		if w, err := parseNumber(plain, locale); err == nil && w != v && fmt.Sprintf("%f", w) != plain {
			t.Fatalf("round trip %q → %v → %q → %v", s, v, plain, w)
		}
	})
}
