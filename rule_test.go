package thidua

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

func TestParseRule(t *testing.T) {
	for _, c := range []struct {
		in   string
		want Rule
	}{
		{"ntm_communes <= communes", Rule{Left: "ntm_communes", Op: "<=", RightKind: RightCommunes, Right: "communes"}},
		{"rev>=0", Rule{Left: "rev", Op: ">=", RightKind: RightNumber}},
		{" a != b ", Rule{Left: "a", Op: "!=", RightKind: RightIndicator, Right: "b"}},
		{"a < -1.5", Rule{Left: "a", Op: "<", RightKind: RightNumber, Number: -1.5}},
		{"a > 1e3", Rule{Left: "a", Op: ">", RightKind: RightNumber, Number: 1000}},
		{"a = 2", Rule{Left: "a", Op: "=", RightKind: RightNumber, Number: 2}},
	} {
		got, err := ParseRule(c.in)
		c.want.Text = c.in
		if err != nil || got != c.want {
			t.Errorf("ParseRule(%q) = %+v, %v; want %+v", c.in, got, err, c.want)
		}
	}
	for _, bad := range []string{"", "a", "a <", "< 3", "a << 3", "a <> 3", "a == 3", "a => 3", "a ! 3", "a b < 3",
		"a < b c", "a < NaN", "a < Inf", "a; DROP TABLE x < 3", `a < "b"`, "a < b'", "é < 3"} {
		_, err := ParseRule(bad)
		var re *RuleError
		if !errors.As(err, &re) || re.Rule != bad {
			t.Errorf("ParseRule(%q): error %v, want a RuleError", bad, err)
		}
	}
}

func TestRuleCheck(t *testing.T) {
	known := map[string]bool{"a": true, "b": true, "communes": false}
	for in, ok := range map[string]bool{"a < b": true, "a < communes": true, "a < c": false, "c < 1": false, "a < 1": true} {
		r, err := ParseRule(in)
		if err != nil {
			t.Fatal(err)
		}
		if err := r.Check(known); (err == nil) != ok {
			t.Errorf("%q: %v", in, err)
		}
	}
	// An indicator named communes wins over the unit attribute.
	r, _ := ParseRule("a <= communes")
	if err := r.Check(map[string]bool{"a": true, "communes": true}); err != nil || r.RightKind != RightIndicator {
		t.Errorf("%+v %v", r, err)
	}
}

func FuzzParseRule(f *testing.F) {
	for _, s := range []string{"ntm_communes <= communes", "rev>=0", "a != b", "a < -1e9", "a <> b", "x=y=z", "\x00<1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		r, err := ParseRule(s)
		if err != nil {
			return
		}
		// A parsed rule has only safe names and a known operator, and
		// reads back the same from its canonical form.
		for _, n := range []string{r.Left, r.Right} {
			if strings.ContainsAny(n, " '\";<>=!") {
				t.Fatalf("%q: unsafe name %q", s, n)
			}
		}
		canon := r.Left + " " + r.Op + " " + r.Right
		if r.RightKind == RightNumber {
			canon = fmt.Sprintf("%s %s %v", r.Left, r.Op, r.Number)
		}
		r2, err := ParseRule(canon)
		if err != nil {
			t.Fatalf("%q: canonical %q: %v", s, canon, err)
		}
		r2.Text = r.Text
		if r2 != r {
			t.Fatalf("%q: %+v, canonical %q gives %+v", s, r, canon, r2)
		}
	})
}

func ExampleParseRule() {
	r, err := ParseRule("ntm_communes <= communes")
	fmt.Println(r.Left, r.Op, r.Right, r.RightKind, err)
	_, err = ParseRule("ntm_communes => 3")
	fmt.Println(err)
	// Output:
	// ntm_communes <= communes communes <nil>
	// rule "ntm_communes => 3": bad operator "=>": want one of < <= > >= = !=
}
