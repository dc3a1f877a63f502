package ingest

import (
	"errors"
	"fmt"
	"strings"

	"github.com/thidua/thidua"
)

// FileError reports a file refused whole, with every problem found in it.
// Its Error method lists one problem per line as FILE:LINE[:COLUMN]: message
// (FILE:SHEET!CELL: message for spreadsheets), like csv.ParseError but for
// all the problems of a file at once.
type FileError struct {
	File     string
	Problems []thidua.Problem
}

func (e *FileError) Error() string {
	if len(e.Problems) == 0 {
		return e.File + ": refused"
	}
	var b strings.Builder
	for i, p := range e.Problems {
		if i > 0 {
			b.WriteByte('\n')
		}
		if p.Pos.File == "" {
			p.Pos.File = e.File
		}
		b.WriteString(p.String())
	}
	return b.String()
}

// Check returns a *FileError listing the batch's problems, or nil when it has
// none.
func Check(b thidua.Batch) error {
	if len(b.Problems) == 0 {
		return nil
	}
	return &FileError{File: b.Source.File, Problems: b.Problems}
}

// Sentinel errors wrapped by *NumberError, so that callers can tell the kinds
// apart with errors.Is.
var (
	// ErrEmpty: the cell holds nothing (or only a dash).
	ErrEmpty = errors.New("empty")
	// ErrAmbiguous: "1.234" or "1,234" where the locale does not settle
	// whether the separator groups thousands or starts decimals.
	ErrAmbiguous = errors.New("ambiguous number")
	// ErrPacked: two numbers packed in one cell, such as "14.162/13.828"
	// (actual/plan).
	ErrPacked = errors.New("two numbers packed in one cell")
	// ErrSyntax: not a number at all.
	ErrSyntax = errors.New("not a number")
	// ErrRange: too large for a float64.
	ErrRange = errors.New("number out of range")
	// ErrPercent: a percent sign where none is allowed.
	ErrPercent = errors.New("percent sign not allowed")
)

// NumberError reports a number that could not be read: the text as found
// and why. It wraps one of ErrEmpty, ErrAmbiguous, ErrPacked, ErrSyntax,
// ErrRange or ErrPercent.
type NumberError struct {
	Text   string
	Err    error
	Detail string // human explanation, may be empty
}

func (e *NumberError) Error() string {
	var s string
	if errors.Is(e.Err, ErrEmpty) {
		s = "empty number"
	} else {
		s = fmt.Sprintf("%v %q", e.Err, e.Text)
	}
	if e.Detail != "" {
		s += ": " + e.Detail
	}
	return s
}

func (e *NumberError) Unwrap() error { return e.Err }

// EncodingError reports text that could not be decoded or that looks like
// legacy Vietnamese font encoding (TCVN3, VNI) read as something else.
type EncodingError struct {
	Encoding string // what was tried
	Line     int    // 1-based line of the bad bytes; 0 when not known
	Suggest  string // the --encoding value that would decode it; may be empty
	Sample   string // the text as read
	Decoded  string // how Sample reads with Suggest; may be empty
	Reason   string
}

func (e *EncodingError) Error() string {
	s := e.Reason
	if e.Sample != "" {
		s += fmt.Sprintf(" (%q", e.Sample)
		if e.Decoded != "" {
			s += fmt.Sprintf(" would read %q", e.Decoded)
		}
		s += ")"
	}
	if e.Suggest != "" {
		s += "; read the file again with --encoding " + e.Suggest
	}
	return s
}
