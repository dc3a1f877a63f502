// Package ingest reads the files district offices send — long CSV, targets
// and bonus CSV, XLSX report forms and cluster tables, Parquet — into
// thidua.Batch values, explaining every refusal with a position.
//
// Readers never fail on bad rows: every problem of a file goes into
// Batch.Problems as a thidua.Problem with its FILE:LINE[:COLUMN] (or
// FILE:SHEET!CELL) position, all of them, not only the first. The error
// return is for I/O failures and files that cannot be read at all. Check
// turns a batch with problems into a *FileError listing them.
//
// # Shared core (used by every reader)
//
// Numbers (number.go):
//
//	func ParseNumber(s, locale string) (float64, error)  // 1.234,5 | 1,234.5 | 1234,5 | 1 234; no %
//	func ParsePercent(s, locale string) (float64, error) // same, one trailing % allowed
//	const LocaleAuto, LocaleVI, LocaleEN
//
// Errors (errors.go): each thidua.Problem's Err is its typed cause, matched
// with errors.Is and errors.As, never by its text: *NumberError wrapping
// ErrEmpty, ErrAmbiguous, ErrPacked, ErrSyntax, ErrRange, ErrPercent;
// *ColumnError wrapping ErrMissingColumn or ErrDuplicateColumn;
// *EncodingError; *thidua.PeriodError; *csv.ParseError; and the kinds
// ErrMissingValue, ErrUnknownUnit, ErrUnknownIndicator, ErrAmbiguousName,
// ErrNotInPeriod, ErrDisagree, ErrUnknownBasis, ErrOutOfBounds, ErrFuture,
// ErrNoTarget, ErrConflict, ErrTwice, ErrTooLarge, ErrNoData, ErrMalformed,
// ErrDamaged (a truncated or corrupt file), ErrOldFormat (.xls, protected
// .xlsx), ErrFormula (no computed value), ErrPeriodYTD (a form's Thực
// hiện and Lũy kế disagree: thidua.PeriodYTDConflict), ErrNotThisForm (a
// template form whose unit, period or cluster contradicts its hidden
// record), ErrEmptyForm (no value; Options.AllowEmpty loads it), and the
// layout kinds of a sheet: ErrNoTable, ErrFormPeriod, ErrFormUnit,
// ErrBelowSignature, ErrNoName, ErrNoHeader; ErrMeasure (names.go); ErrAmbiguous numbers also wrap ErrNoLocaleEvidence
// or ErrLocaleContradiction (locale.go); ErrNotPlainFile (files.go).
//
// Office messages (office.go): the NAME.errors.txt an office receives for a
// refused file, built from each problem's cause (never its text), with one
// wording table per language (vi, en): where, what is wrong, what to do, then
// the technical detail.
//
//	func OfficeMessage(p thidua.Problem, lang string) (where, what, do string)
//	func OfficeReport(fe *FileError, lang string) string
//
// Indicator names (names.go): every reader matches a name exactly (code,
// name, alias folded), then loosely (numbering and parentheses dropped,
// NTM, NSNN, HTX, KT-XH, UBND, TP., H. written out), then in any word
// order; two candidates refuse it with ErrAmbiguousName naming both.
// *FileError {File, Problems}; func Check(thidua.Batch) error.
//
// Columns (header.go):
//
//	func HeaderKey(s string) string // "Mã đơn vị" → "madonvi"
//	type ColumnSpec struct{ Field string; Names []string; Required bool }
//	var LongColumns, TargetColumns, BonusColumns []ColumnSpec
//	const FieldUnit, FieldUnitCode, FieldIndicator, FieldIndicatorCode, FieldPeriod,
//	      FieldValue, FieldBasis, FieldTarget, FieldYTD, FieldYear, FieldPoints, FieldReason
//	func MatchHeader(cells []string, specs []ColumnSpec, pos thidua.Pos) (Header, []thidua.Problem)
//	type Header struct{ Index map[string]int; Names []string } // Has, Get, Name
//
// Rows (record.go):
//
//	type Options struct{ Cluster; Now; Encoding; Locale; Unit, Period; MaxLineBytes; MaxFileBytes; PlainFilesOnly }
//	const DefaultMaxLineBytes, DefaultMaxFileBytes // the limits of a zero Options
//	type Field struct{ Text string; Num *float64; Pos thidua.Pos } // Num for numeric cells; Empty()
//	type RawFact struct{ Pos; Unit, UnitCode, Indicator, IndicatorCode, Period, Value, Basis, Target Field; ValueOptional bool }
//	type Fact struct{ Observation; HasValue bool; Target thidua.TargetValue; HasTarget bool }
//	func (o *Options) Fact(raw RawFact) (Fact, []thidua.Problem)
//	func (o *Options) Observation(raw RawFact) (thidua.Observation, []thidua.Problem)
//	func (o *Options) LookupUnit(s string, p *thidua.Period) (thidua.Unit, error)
//	func (o *Options) LookupIndicator(s string) (thidua.Indicator, error)
//	func (o *Options) ParsePeriod(s string) (thidua.Period, error) // refuses the future
//	func (o *Options) CheckPeriod(p thidua.Period) error
//	func CheckValue(ind thidua.Indicator, v float64) error       // negative, Min, Max, Integer
//	func ParseBasis(s string) (thidua.Basis, error)              // period/trong kỳ, ytd/lũy kế
//	func NFC(s string) string
//	type Builder struct{ Opts Options; Batch thidua.Batch }    // per file; refuses conflicting duplicates
//	func NewBuilder(src thidua.Source, opts Options) *Builder
//	func (b *Builder) Add(raw RawFact) bool
//	func (b *Builder) AddFact(f Fact) bool
//	func (b *Builder) AddObservation(o thidua.Observation) bool
//	func (b *Builder) AddTarget(t thidua.TargetValue) bool
//	func (b *Builder) Problem(pos thidua.Pos, format string, args ...any)
//	func (b *Builder) Problems(probs ...thidua.Problem)
//	func (b *Builder) Done() thidua.Batch
//
// Text encodings (encoding.go):
//
//	func Decode(data []byte, enc string) (text, used string, err error) // auto: BOM, UTF-8, UTF-16, Windows-1258
//	func DetectLegacy(s string) (enc, decoded string, ok bool)       // "B¾c K¹n" → tcvn3, "Bắc Kạn"
//	type LegacyDetector struct{}                                      // Add(cell) bool; Result() (enc, ok)
//	func LegacyError(used, enc, sample string) *EncodingError
//	func DecodeLegacy(s, enc string) string
//	func DecodeTCVN3(s string) string; func DecodeVNI(s string) string
//	const EncAuto, EncUTF8, EncUTF16, EncUTF16LE, EncUTF16BE, EncWindows1258, EncTCVN3, EncVNI
//	var Encodings []string // the --encoding values
//
// Legacy font text (TCVN3, VNI) is never loaded silently: auto-detection
// refuses it with a message naming the --encoding value that decodes it.
//
// # Readers
//
//	func ReadCSV(name string, r io.Reader, opts Options) (thidua.Batch, error)     // long CSV
//	func ReadTargets(name string, r io.Reader, opts Options) (thidua.Batch, error) // unit, indicator, year, target
//	func ReadBonus(name string, r io.Reader, opts Options) ([]thidua.Bonus, []thidua.Problem, error)
//	func ReadFile(path string, opts Options) (thidua.Batch, error)                  // by extension and content
//	var ErrNotPlainFile error                                                      // a link or device with Options.PlainFilesOnly
//	func ReadXLSX(path string, opts Options) (thidua.Batch, error)                  // report forms and cluster tables
//	const MaxXLSXFileSize, MaxXLSXUnzipSize, MaxXLSXXMLSize, MaxXLSXSharedStrings,
//	      MaxXLSXSheetSize, MaxXLSXSheetsSize, MaxXLSXRows, MaxXLSXCols // limits; beyond them a workbook is refused
//	var ErrZipBomb error                                                           // a workbook inflating beyond them
//	func ReadParquet(path string, opts Options) (thidua.Batch, error)
//
// Report form templates (template.go): WriteTemplates writes one
// ready-to-fill XLSX form per unit; ReadXLSX reads a filled one back and
// checks its hidden sheet.
//
//	func WriteTemplates(dir string, c *thidua.Cluster, p thidua.Period, opts TemplateOptions) ([]string, error)
//	type TemplateOptions struct{ Units []string; Targets map[string]map[string]float64; Now time.Time }
//	const TemplateSheet, TemplateVersion // the hidden sheet naming the cluster, unit and period
//
// Long CSV columns (any order, English or Vietnamese, case-, accent- and
// space-insensitive): unit (đơn vị) and/or unit_code (mã đơn vị),
// indicator (chỉ tiêu) and/or indicator_code (mã chỉ tiêu), period (kỳ, kỳ
// báo cáo), value (giá trị, thực hiện), optional basis (cách tính: period /
// trong kỳ, ytd / lũy kế), optional ytd (lũy kế: a second, year-to-date
// value of the row) and optional target (kế hoạch năm: the annual target of
// the period's year). Other columns (STT, ĐVT, Ghi chú) are ignored. The
// delimiter is sniffed (comma, semicolon, tab; an Excel "sep=;" line is
// honoured); title lines of one cell above the header are skipped.
//
// Numbers: a lone "1.234" or "1,234" is read the way the file's other
// numbers show it writes them (per column, then per file; Vietnamese for
// template and Vietnamese forms without evidence), and refused with
// ErrAmbiguous (and ErrNoLocaleEvidence or ErrLocaleContradiction) when the
// file does not settle it; Source.NumberLocale says what was inferred and
// from which cell (locale.go). Options.Locale "vi" (1.234 = 1234) or "en"
// (1,234 = 1234) forces one convention; see ParseNumber.
//
// Tests build the cluster with testCluster() in cluster_test.go.
package ingest
