// Package ingest reads the files district offices send — long CSV, targets
// and bonus CSV, XLSX report forms and cluster tables, Parquet — into
// thidua.Batch values, explaining every refusal with a position, and writes
// the XLSX report forms offices fill in.
//
// This comment is the index of what the package offers: every exported name
// is listed here (TestDocIndex checks it). Everything else — the column
// matching, the row validation, number and encoding reading, the XLSX
// layouts — is the readers' own and stays unexported.
//
// Readers never fail on bad rows: every problem of a file goes into
// Batch.Problems as a thidua.Problem with its FILE:LINE[:COLUMN] (or
// FILE:SHEET!CELL) position, all of them, not only the first. The error
// return is for I/O failures and files that cannot be read at all (too
// large: ErrTooLarge; damaged: ErrDamaged; .xls: ErrOldFormat; a zip bomb:
// ErrZipBomb; a link with Options.PlainFilesOnly: ErrNotPlainFile).
//
// # Readers
//
//	func ReadFile(path string, opts Options) (thidua.Batch, error)                  // by extension and content: CSV, XLSX, Parquet
//	func ReadCSV(name string, r io.Reader, opts Options) (thidua.Batch, error)     // long CSV
//	func ReadTargets(name string, r io.Reader, opts Options) (thidua.Batch, error) // unit, indicator, year, target
//	func ReadBonus(name string, r io.Reader, opts Options) ([]thidua.Bonus, []thidua.Problem, error)
//	type Options struct{ Cluster; Now; Encoding; Locale; Unit, Period; MaxLineBytes; MaxFileBytes; PlainFilesOnly; AllowEmpty }
//	func (o *Options) LookupUnit(s string, p *thidua.Period) (thidua.Unit, error) // code, name, alias; existing in p
//	func (o *Options) LookupIndicator(s string) (thidua.Indicator, error)
//	var Encodings []string // the values Options.Encoding accepts
//	func NFC(s string) string // Vietnamese text is NFC on the way in
//
// ReadFile reads an .xlsx workbook's report forms (one unit, one period, an
// indicator a row, "Kế hoạch năm", "Thực hiện" and "Lũy kế" columns) and
// cluster tables (a unit a row or a unit a column), bounded in file, zip,
// sheet and grid size (xlsx.go); a Parquet file with the columns of a long
// CSV (parquet.go); and any other file as a long CSV, or as targets when
// its header names a year and a target but no period.
//
// # Refusals
//
// Each thidua.Problem's Err is its typed cause, matched with errors.Is and
// errors.As, never by its text (errors.go):
//
//	type FileError struct{ File string; Problems []thidua.Problem } // a refused file, every problem listed
//	type NumberError struct{ Text string; Err error; Detail string } // wraps ErrEmpty, ErrAmbiguous, ErrPacked, ErrSyntax, ErrRange, ErrPercent
//	type ColumnError struct{ Field string; Names []string; Err error } // wraps ErrMissingColumn or ErrDuplicateColumn
//	type EncodingError struct{ Encoding string; Line int; Suggest, Sample, Decoded, Reason string } // unreadable bytes, legacy font text
//
// beside *thidua.PeriodError and *csv.ParseError, and the kinds
// ErrMissingValue, ErrUnknownUnit, ErrUnknownIndicator, ErrAmbiguousName,
// ErrNotInPeriod, ErrDisagree, ErrUnknownBasis, ErrOutOfBounds, ErrFuture,
// ErrNoTarget, ErrConflict, ErrTwice, ErrTooLarge, ErrNoData, ErrMalformed,
// ErrDamaged (a truncated or corrupt file), ErrOldFormat (.xls, protected
// .xlsx), ErrFormula (no computed value), ErrPeriodYTD (a form's Thực
// hiện and Lũy kế disagree: thidua.PeriodYTDConflict), ErrNotThisForm (a
// template form whose unit, period or cluster contradicts its hidden
// record), ErrEmptyForm (no value; Options.AllowEmpty loads it), and the
// layout kinds of a sheet: ErrNoTable, ErrFormPeriod, ErrFormUnit,
// ErrBelowSignature, ErrNoName, ErrNoHeader; ErrMeasure (names.go);
// ErrAmbiguous numbers also wrap ErrNoLocaleEvidence or
// ErrLocaleContradiction (locale.go); ErrZipBomb (xlsx.go);
// ErrNotPlainFile (files.go).
//
// Office messages (office.go): the NAME.errors.txt an office receives for a
// refused file, built from each problem's cause (never its text), with one
// wording table per language (vi, en): where, what is wrong, what to do, then
// the technical detail.
//
//	func OfficeReport(fe *FileError, lang string) string
//
// # Report form templates
//
// WriteTemplates writes one ready-to-fill XLSX form per unit (template.go);
// ReadFile reads a filled one back and checks its hidden sheet (cluster,
// unit, period: ErrNotThisForm).
//
//	func WriteTemplates(dir string, c *thidua.Cluster, p thidua.Period, opts TemplateOptions) ([]string, error)
//	type TemplateOptions struct{ Units []string; Targets map[string]map[string]float64; Now time.Time }
//
// # What the readers share
//
// Rows: every reader turns a row into the same raw fact (texts and
// positions of unit, indicator, period, value, basis, target; record.go),
// validated once by Options (unit known and existing in the period,
// indicator known, period not in the future, numbers within the
// indicator's bounds, basis known) and added by a per-file builder that
// refuses two different values for the same fact.
//
// Indicator names (names.go): every reader matches a name exactly (code,
// name, alias folded), then loosely (numbering and parentheses dropped,
// NTM, NSNN, HTX, KT-XH, UBND, TP., H. written out), then in any word
// order; two candidates refuse it with ErrAmbiguousName naming both.
//
// Long CSV columns (header.go; any order, English or Vietnamese, case-,
// accent- and space-insensitive): unit (đơn vị) and/or unit_code (mã đơn
// vị), indicator (chỉ tiêu) and/or indicator_code (mã chỉ tiêu), period
// (kỳ, kỳ báo cáo), value (giá trị, thực hiện), optional basis (cách tính:
// period / trong kỳ, ytd / lũy kế), optional ytd (lũy kế: a second,
// year-to-date value of the row) and optional target (kế hoạch năm: the
// annual target of the period's year). Other columns (STT, ĐVT, Ghi chú)
// are ignored. The delimiter is sniffed (comma, semicolon, tab; an Excel
// "sep=;" line is honoured); title lines of one cell above the header are
// skipped.
//
// Numbers (number.go, locale.go): 1.234,5 | 1,234.5 | 1234,5 | 1 234 are
// read; a lone "1.234" or "1,234" is read the way the file's other numbers
// show it writes them (per column, then per file; Vietnamese for template
// and Vietnamese forms without evidence), and refused with ErrAmbiguous (and
// ErrNoLocaleEvidence or ErrLocaleContradiction) when the file does not
// settle it; Source.NumberLocale says what was inferred and from which
// cell. Options.Locale "vi" (1.234 = 1234) or "en" (1,234 = 1234) forces
// one convention. A percent sign is refused (ErrPercent) except for an
// indicator measured in %.
//
// Text encodings (encoding.go): UTF-8 with or without BOM, UTF-16, and
// Windows-1258 are detected; legacy font text (TCVN3, VNI) is never loaded
// silently: auto-detection refuses it with a message naming the
// Options.Encoding value that decodes it.
//
// Tests build the cluster with testCluster() in cluster_test.go.
package ingest
