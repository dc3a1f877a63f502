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

// batchError returns a *FileError listing the batch's problems, or nil when it has
// none.
func batchError(b thidua.Batch) error {
	if len(b.Problems) == 0 {
		return nil
	}
	return &FileError{File: b.Source.File, Problems: b.Problems}
}

// Sentinel errors a thidua.Problem's Err wraps, beside the typed errors
// (*NumberError, *EncodingError, *ColumnError, *thidua.PeriodError,
// *csv.ParseError), so that callers tell problems apart with errors.Is and
// errors.As instead of reading the message.
var (
	// ErrMissingColumn: the header lacks a required column (*ColumnError).
	ErrMissingColumn = errors.New("missing column")
	// ErrDuplicateColumn: two columns give the same field (*ColumnError).
	ErrDuplicateColumn = errors.New("two columns give the same field")
	// ErrMissingValue: a required cell (period, unit, indicator, value,
	// year, target) is empty.
	ErrMissingValue = errors.New("missing value")
	// ErrUnknownUnit: no unit of the cluster has that code, name or alias.
	ErrUnknownUnit = errors.New("unknown unit")
	// ErrUnknownIndicator: no indicator of the cluster has that code, name
	// or alias.
	ErrUnknownIndicator = errors.New("unknown indicator")
	// ErrAmbiguousName: a name (or a number with a name) fits several units,
	// or several indicators.
	ErrAmbiguousName = errors.New("ambiguous name")
	// ErrNotInPeriod: the unit exists, but not during the period reported.
	ErrNotInPeriod = errors.New("unit did not exist in the period")
	// ErrDisagree: two cells of a row (a code and a name) name different
	// units or indicators.
	ErrDisagree = errors.New("code and name disagree")
	// ErrUnknownBasis: a basis that is neither the period nor year to date.
	ErrUnknownBasis = errors.New("unknown basis")
	// ErrOutOfBounds: a value outside its indicator's bounds (negative,
	// below the minimum, above the maximum, a fraction of a count).
	ErrOutOfBounds = errors.New("value out of bounds")
	// ErrFuture: a value for a period that has not ended yet.
	ErrFuture = errors.New("period in the future")
	// ErrNoTarget: a target for an indicator that has no annual target.
	ErrNoTarget = errors.New("indicator has no annual target")
	// ErrConflict: the same fact (or target) twice with different values.
	ErrConflict = errors.New("two different values")
	// ErrTwice: a sheet gives the same unit or indicator twice (two rows
	// or two columns).
	ErrTwice = errors.New("given twice")
	// ErrTooLarge: a file, line or field beyond the reader's limits.
	ErrTooLarge = errors.New("beyond the size limits")
	// ErrNoData: a file with no header or no data rows.
	ErrNoData = errors.New("no data")
	// ErrMalformed: text that is not well-formed CSV (wraps *csv.ParseError)
	// or a row with the wrong number of fields.
	ErrMalformed = errors.New("malformed CSV")
	// ErrDamaged: a file cut short or corrupted on the way (an .xlsx that
	// is not a whole zip archive, a part that does not inflate); the office
	// sends it again.
	ErrDamaged = errors.New("the file is damaged or incomplete")
	// ErrOldFormat: an old binary Excel (.xls) workbook or a
	// password-protected .xlsx, which are not read.
	ErrOldFormat = errors.New("old or protected Excel format")
	// ErrFormula: a spreadsheet cell with a formula and no computed value.
	ErrFormula = errors.New("formula without a computed value")
	// ErrPeriodYTD: a form's "Thực hiện" (the period) and "Lũy kế" (year
	// to date) values of one indicator cannot both be right
	// (thidua.PeriodYTDConflict): the month more than the year to date, a
	// half-year from January whose two values differ.
	ErrPeriodYTD = errors.New("period and year-to-date values disagree")
	// ErrNotThisForm: a form made by "thidua template" whose unit or period
	// cell (or the configured cluster) contradicts the hidden record of
	// the unit, period and cluster it was made for.
	ErrNotThisForm = errors.New("form made for another unit, period or cluster")
	// ErrEmptyForm: a report form or cluster table without any value
	// (loaded only with Options.AllowEmpty).
	ErrEmptyForm = errors.New("form has no values")
	// ErrNoTable: a sheet without a report form or cluster table the
	// readers know (no "Chỉ tiêu" or unit column, no value column).
	ErrNoTable = errors.New("no report form or cluster table")
	// ErrFormPeriod: a form without one reporting period (none, an empty
	// period line, two that disagree, a column for another period).
	ErrFormPeriod = errors.New("no single reporting period")
	// ErrFormUnit: a form without one reporting unit (none, an empty unit
	// line, two that disagree).
	ErrFormUnit = errors.New("no single reporting unit")
	// ErrBelowSignature: a row of the table below the signature block.
	ErrBelowSignature = errors.New("row below the signature block")
	// ErrNoName: values in a row without an indicator (or unit) name.
	ErrNoName = errors.New("values without a name")
	// ErrNoHeader: a number in a column without a header.
	ErrNoHeader = errors.New("number in a column without a header")
)

// missing is the problem of an empty required cell: "missing period".
func missing(what string) error { return kindf(ErrMissingValue, "missing %s", what) }

// errEmptyFile is the problem of a CSV file with nothing in it.
var errEmptyFile = kindf(ErrNoData, "file is empty: want a header row and data rows")

// kindError is a message with its causes: its text is the message alone,
// and errors.Is and errors.As find each cause (a kind such as ErrConflict,
// and what the message wraps).
type kindError struct {
	msg    string
	causes []error
}

func (e *kindError) Error() string   { return e.msg }
func (e *kindError) Unwrap() []error { return e.causes }

// kindf formats a message of kind (as fmt.Errorf: an error argument given
// with %w stays a cause too).
func kindf(kind error, format string, args ...any) error {
	err := fmt.Errorf(format, args...)
	return &kindError{err.Error(), []error{kind, err}}
}

// ColumnError reports a header problem about one field: its column is
// missing (ErrMissingColumn) or given twice (ErrDuplicateColumn).
type ColumnError struct {
	Field string   // the field, named as in the long CSV: "unit", "period", "value", ...
	Names []string // missing: the names the column may have, main one first; twice: the two headers
	Err   error    // ErrMissingColumn or ErrDuplicateColumn
}

func (e *ColumnError) Error() string {
	if errors.Is(e.Err, ErrDuplicateColumn) && len(e.Names) == 2 {
		return fmt.Sprintf("columns %q and %q both give the %s", e.Names[0], e.Names[1], e.Field)
	}
	if len(e.Names) == 0 {
		return fmt.Sprintf("missing column for the %s", e.Field)
	}
	return fmt.Sprintf("missing column %q (also called: %s)", e.Names[0], strings.Join(e.Names[1:], ", "))
}

func (e *ColumnError) Unwrap() error { return e.Err }

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
