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
// Errors (errors.go): *NumberError wrapping ErrEmpty, ErrAmbiguous,
// ErrPacked, ErrSyntax, ErrRange, ErrPercent; *EncodingError; *FileError
// {File, Problems}; func Check(thidua.Batch) error.
//
// Columns (header.go):
//
//	func HeaderKey(s string) string // "Mã đơn vị" → "madonvi"
//	type ColumnSpec struct{ Field string; Names []string; Required bool }
//	var LongColumns, TargetColumns, BonusColumns []ColumnSpec
//	const FieldUnit, FieldUnitCode, FieldIndicator, FieldIndicatorCode, FieldPeriod,
//	      FieldValue, FieldBasis, FieldTarget, FieldYear, FieldPoints, FieldReason
//	func MatchHeader(cells []string, specs []ColumnSpec, pos thidua.Pos) (Header, []thidua.Problem)
//	type Header struct{ Index map[string]int; Names []string } // Has, Get, Name
//
// Rows (record.go):
//
//	type Options struct{ Cluster; Now; Encoding; Locale; Unit, Period; MaxLineBytes; MaxFileBytes }
//	type Field struct{ Text string; Num *float64; Pos thidua.Pos } // Num for numeric cells
//	type RawFact struct{ Pos; Unit, UnitCode, Indicator, IndicatorCode, Period, Value, Basis, Target Field; ValueOptional bool }
//	type Fact struct{ Observation; HasValue bool; Target thidua.TargetValue; HasTarget bool }
//	func (o Options) Fact(raw RawFact) (Fact, []thidua.Problem)
//	func (o Options) Observation(raw RawFact) (thidua.Observation, []thidua.Problem)
//	func (o Options) LookupUnit(s string, p *thidua.Period) (thidua.Unit, error)
//	func (o Options) LookupIndicator(s string) (thidua.Indicator, error)
//	func (o Options) ParsePeriod(s string) (thidua.Period, error) // refuses the future
//	func (o Options) CheckPeriod(p thidua.Period) error
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
// Text encodings (encoding.go): Decode and DetectLegacy for UTF-8 (BOM or
// not), UTF-16 with BOM, Windows-1258, and TCVN3 / VNI text from old
// spreadsheets, which is never loaded silently.
//
// Tests build the cluster with testCluster() in cluster_test.go.
package ingest
