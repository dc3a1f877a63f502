package thidua

import (
	"errors"
	"io"
	"testing"
)

func TestProblemWrapsItsCause(t *testing.T) {
	p := Problemf(Pos{File: "a.csv", Line: 3, Column: "value"}, "reading: %w", io.ErrUnexpectedEOF)
	if !errors.Is(p, io.ErrUnexpectedEOF) {
		t.Errorf("%v does not wrap its cause", p)
	}
	if got, want := p.Error(), "a.csv:3:value: reading: unexpected EOF"; got != want || p.String() != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
	if p.Reason() != "reading: unexpected EOF" {
		t.Errorf("Reason() = %q", p.Reason())
	}
	var pe *PeriodError
	q := Problem{Pos: Pos{File: "b.csv"}, Err: &PeriodError{Text: "x", Reason: "no"}}
	if !errors.As(q, &pe) || pe.Text != "x" {
		t.Errorf("errors.As did not find the *PeriodError in %v", q)
	}
	if (Problem{Pos: Pos{File: "c.csv"}}).Error() != "c.csv: refused" {
		t.Error("a Problem without a cause")
	}
}
