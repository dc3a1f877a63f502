package ingest

import (
	"encoding/csv"
	"errors"
	"strings"
	"testing"

	"github.com/thidua/thidua"
)

// TestProblemCauses: each problem carries its typed cause, found with
// errors.Is and errors.As on the thidua.Problem (never by its text), and the
// text is the cause's.
func TestProblemCauses(t *testing.T) {
	const head = "unit,indicator,period,value\n"
	for _, tc := range []struct {
		name, csv string
		want      error // a sentinel the problem wraps
	}{
		{"missing column", "unit,indicator,value\n060,new_coops,1\n", ErrMissingColumn},
		{"column twice", "unit,đơn vị,indicator,period,value\n060,060,new_coops,2020-06,1\n", ErrDuplicateColumn},
		{"missing value", head + "060,new_coops,2020-06,\n", ErrMissingValue},
		{"missing unit", head + ",new_coops,2020-06,1\n", ErrMissingValue},
		{"unknown unit", head + "999,new_coops,2020-06,1\n", ErrUnknownUnit},
		{"unknown indicator", head + "060,nope,2020-06,1\n", ErrUnknownIndicator},
		{"not a number", head + "060,budget_revenue,2020-06,12 abc\n", ErrSyntax},
		{"two numbers", head + "060,budget_revenue,2020-06,14.162/13.828\n", ErrPacked},
		{"negative count", head + "060,new_coops,2020-06,-1\n", ErrOutOfBounds},
		{"future", head + "060,new_coops,2099-06,1\n", ErrFuture},
		{"basis", "unit,indicator,period,value,basis\n060,new_coops,2020-06,1,sometimes\n", ErrUnknownBasis},
		{"conflict", head + "060,new_coops,2020-06,1\n060,new_coops,2020-06,2\n", ErrConflict},
		{"field count", head + "060,new_coops,2020-06,1,5\n", ErrMalformed},
		{"bad quote", head + "060,\"new_coops,2020-06,1\n", ErrMalformed},
		{"no rows", head, ErrNoData},
		{"empty", "", ErrNoData},
	} {
		b, err := ReadCSV("x.csv", strings.NewReader(tc.csv), testOptions())
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		found := false
		for _, p := range b.Problems {
			if p.Err == nil || !strings.HasSuffix(p.Error(), p.Err.Error()) {
				t.Errorf("%s: problem %q does not read as its cause %v", tc.name, p, p.Err)
			}
			found = found || errors.Is(p, tc.want)
		}
		if !found {
			t.Errorf("%s: problems %v: none wraps %v", tc.name, b.Problems, tc.want)
		}
	}
}

// TestProblemTypedErrors: the typed errors behind problems survive for
// errors.As: the number's text, the missing column's field, the CSV
// parser's column, the period's text.
func TestProblemTypedErrors(t *testing.T) {
	read := func(s string) []thidua.Problem {
		t.Helper()
		b, err := ReadCSV("x.csv", strings.NewReader(s), testOptions())
		if err != nil {
			t.Fatal(err)
		}
		return b.Problems
	}
	var ne *NumberError
	if ps := read("unit,indicator,period,value\n060,budget_revenue,2020-06,12 abc\n"); len(ps) != 1 || !errors.As(ps[0], &ne) || ne.Text != "12 abc" {
		t.Errorf("not a number: %v, want a *NumberError for 12 abc", ps)
	}
	var ce *ColumnError
	if ps := read("unit,indicator,value\n060,new_coops,1\n"); len(ps) != 1 || !errors.As(ps[0], &ce) || ce.Field != fieldPeriod {
		t.Errorf("missing period column: %v, want a *ColumnError for %s", ps, fieldPeriod)
	}
	var pe *csv.ParseError
	if ps := read("unit,indicator,period,value\n060,\"new_coops,2020-06,1\n"); len(ps) == 0 || !errors.As(ps[0], &pe) {
		t.Errorf("bad quote: %v, want a *csv.ParseError", ps)
	}
	var per *thidua.PeriodError
	if ps := read("unit,indicator,period,value\n060,new_coops,someday,1\n"); len(ps) != 1 || !errors.As(ps[0], &per) {
		t.Errorf("bad period: %v, want a *thidua.PeriodError", ps)
	}
	// A name that fits two units, and a unit outside its years.
	var ae error
	for _, p := range read("unit,indicator,period,value\n060 - Ngân Sơn,new_coops,2020-06,1\n") {
		ae = p
	}
	if !errors.Is(ae, ErrAmbiguousName) {
		t.Errorf("060 - Ngân Sơn: %v, want ErrAmbiguousName", ae)
	}
}

// TestWithoutDefaultedByCause: --unit and --period drop exactly the missing
// unit and period columns' problems, found by their cause.
func TestWithoutDefaultedByCause(t *testing.T) {
	o := testOptions()
	o.Unit, o.Period = "060", "2020-06"
	b, err := ReadCSV("x.csv", strings.NewReader("indicator,value\nnew_coops,1\n"), o)
	if err != nil || len(b.Problems) != 0 || len(b.Observations) != 1 {
		t.Errorf("--unit, --period: err %v, problems %v, %d observations", err, b.Problems, len(b.Observations))
	}
	o.Period = ""
	b, _ = ReadCSV("x.csv", strings.NewReader("indicator,value\nnew_coops,1\n"), o)
	var ce *ColumnError
	if len(b.Problems) != 1 || !errors.As(b.Problems[0], &ce) || ce.Field != fieldPeriod {
		t.Errorf("--unit alone: problems %v, want only the missing period column", b.Problems)
	}
}
