package ingest

import (
	"bytes"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"github.com/thidua/thidua"
)

// table is a delimited text file read into records: the header and the data
// rows with their physical line numbers (1-based, header on its own line).
type table struct {
	src        thidua.Source
	encoding   string // used to decode
	delim      rune
	header     []string
	headerLine int
	rows       []tableRow
	// text is the decoded text, and plain tells that its rows were split
	// by plainRecords: their fields are not kept but split again from
	// their span of text when needed (withFields), so that the rows hold
	// no pointers for the collector to follow.
	text  string
	plain bool
	// problems refuse the whole file (size, encoding, CSV syntax); when
	// fatal is set the rows were not read.
	problems []thidua.Problem
	fatal    bool
}

type tableRow struct {
	line   int
	fields []string // nil for a row of a plain table until withFields
	// start and end bound the row's line in table.text (plain tables).
	start, end int32
}

// withFields returns row with its fields, split again from its span of
// the text of a plain table into *scratch (reused: the fields are
// substrings of the text, but the slice is only good until the next call;
// nil scratch allocates one).
func (t *table) withFields(row tableRow, scratch *[]string) tableRow {
	if row.fields != nil || !t.plain {
		return row
	}
	var buf []string
	if scratch != nil {
		buf = (*scratch)[:0]
	}
	row.fields = splitFields(t.text[row.start:row.end], byte(t.delim), buf)
	trimRecord(row.fields, len(t.text))
	if scratch != nil {
		*scratch = row.fields
	}
	return row
}

// readTable reads a delimited text file of at most opts.MaxFileBytes with
// lines of at most opts.MaxLineBytes, decodes it (decode with
// opts.Encoding), sniffs the delimiter (comma, semicolon or tab: the one
// whose header row names the most columns of specs), splits it into records
// and refuses legacy-encoded text. The error is for I/O failures only.
func readTable(name string, r io.Reader, opts Options, specs []columnSpec) (*table, error) {
	t := &table{src: thidua.Source{File: name, Name: filepath.Base(name), Format: "csv"}}
	if !validLocale(opts.Locale) {
		return t, fmt.Errorf("ingest: %s: unknown number locale %q (want auto, vi or en)", name, opts.Locale)
	}
	if normEncoding(opts.Encoding) == "" {
		return t, fmt.Errorf("ingest: %s: unknown encoding %q (want one of %s)", name, opts.Encoding, strings.Join(Encodings, ", "))
	}
	text, err := t.readText(r, opts, specs)
	if err != nil || t.fatal {
		return t, err
	}
	if err := t.readRecords(text, opts); err != nil || t.fatal {
		return t, err
	}
	switch {
	case t.header == nil:
		t.refuseFile(thidua.Pos{File: name}, errEmptyFile)
	case len(t.rows) == 0 && len(t.problems) == 0:
		t.refuseFile(thidua.Pos{File: name, Line: t.headerLine}, kindf(ErrNoData, "no data rows below the header"))
	}
	return t, nil
}

// refuseFile records a problem that refuses the whole file: its rows are
// not read.
func (t *table) refuseFile(pos thidua.Pos, err error) {
	t.problems = append(t.problems, thidua.Problem{Pos: pos, Err: err})
	t.fatal = true
}

// readText reads the file within the size limits, hashing it, and decodes
// it; it sets the table's encoding and delimiter (an Excel "sep=;" first
// line, else sniffed for specs). A file refused here (too large, a line too
// long, undecodable, empty) has t.fatal set.
func (t *table) readText(r io.Reader, opts Options, specs []columnSpec) (string, error) {
	name := t.src.File
	filePos := thidua.Pos{File: name}
	data, longLine, size, sum, err := readLimited(r, opts.maxFile(), opts.maxLine())
	t.src.Size, t.src.SHA256 = size, sum
	if err != nil {
		return "", fmt.Errorf("ingest: read %s: %w", name, err)
	}
	switch {
	case size > opts.maxFile():
		t.refuseFile(filePos, kindf(ErrTooLarge, "file is larger than the limit of %d bytes; split it or raise the limit", opts.maxFile()))
		return "", nil
	case longLine > 0:
		t.refuseFile(thidua.Pos{File: name, Line: longLine}, kindf(ErrTooLarge, "line %d is longer than the limit of %d bytes (is this really a CSV file?)", longLine, opts.maxLine()))
		return "", nil
	}
	text, used, err := decode(data, opts.Encoding)
	if err != nil {
		pos := filePos
		var ee *EncodingError
		if errors.As(err, &ee) {
			pos.Line = ee.Line
		}
		t.refuseFile(pos, err)
		return "", nil
	}
	t.encoding = used
	if strings.Contains(text, "\r") && !strings.Contains(text, "\n") {
		// Old Mac files end lines with \r alone.
		text = strings.ReplaceAll(text, "\r", "\n")
	}
	if strings.TrimSpace(text) == "" {
		t.refuseFile(filePos, errEmptyFile)
		return "", nil
	}
	// Excel writes "sep=;" as a first line to name the delimiter.
	if first, rest, _ := strings.Cut(text, "\n"); first != "" {
		if d, found := strings.CutPrefix(strings.TrimSpace(first), "sep="); found && utf8.RuneCountInString(d) == 1 {
			t.delim, _ = utf8.DecodeRuneInString(d)
			text = "\n" + rest // keep line numbers
		}
	}
	if t.delim == 0 {
		t.delim = sniffDelimiter(text, specs)
	}
	return text, nil
}

// readRecords splits the decoded text into the header and the data rows,
// trimmed, blank lines dropped. A CSV syntax error or an overlong field is
// a problem of its line; legacy font text in the file refuses it whole
// (t.fatal). The error is for I/O failures only.
func (t *table) readRecords(text string, opts Options) error {
	name := t.src.File
	t.rows = make([]tableRow, 0, strings.Count(text, "\n"))
	var legacy legacyScan
	take := func(rec []string, line int, span [2]int) {
		blank, long := trimRecord(rec, opts.maxLine())
		if blank {
			return
		}
		if long >= 0 {
			// A quoted field may span lines: bound it too.
			t.problems = append(t.problems, thidua.Problem{Pos: thidua.Pos{File: name, Line: line},
				Err: kindf(ErrTooLarge, "field %d is longer than the limit of %d bytes", long+1, opts.maxLine())})
			return
		}
		legacy.scan(name, line, rec, t.header)
		if t.header == nil {
			t.header, t.headerLine = append([]string(nil), rec...), line
			return
		}
		if t.plain {
			// rec is plainRecords' scratch: the row keeps its span.
			t.rows = append(t.rows, tableRow{line: line, start: int32(span[0]), end: int32(span[1])})
			return
		}
		t.rows = append(t.rows, tableRow{line: line, fields: rec})
	}
	if err := t.splitRecords(text, take); err != nil {
		return err
	}
	if p, ok := legacy.refusal(t.encoding); ok {
		t.problems = []thidua.Problem{p}
		t.fatal = true
		t.rows = nil
	}
	return nil
}

// splitRecords splits text into records with encoding/csv and gives each
// with the line it starts on to take; a CSV syntax error is a problem of
// its line. Text without any quote is split by plainRecords instead, which
// gives the same records without a copy of each.
func (t *table) splitRecords(text string, take func(rec []string, line int, span [2]int)) error {
	if (t.delim == ',' || t.delim == ';' || t.delim == '\t') && !strings.Contains(text, `"`) && len(text) <= math.MaxInt32 {
		t.text, t.plain = text, true
		plainRecords(text, byte(t.delim), take)
		return nil
	}
	name := t.src.File
	cr := csv.NewReader(strings.NewReader(text))
	cr.Comma = t.delim
	cr.FieldsPerRecord = -1
	lastErrLine := -1
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			var pe *csv.ParseError
			if !errors.As(err, &pe) {
				return fmt.Errorf("ingest: read %s: %w", name, err)
			}
			if pe.Line == lastErrLine {
				return nil
			}
			lastErrLine = pe.Line
			t.problems = append(t.problems, thidua.Problem{Pos: thidua.Pos{File: name, Line: pe.Line},
				Err: &kindError{fmt.Sprintf("bad CSV: %v (column %d)", pe.Err, pe.Column), []error{ErrMalformed, pe}}})
			continue
		}
		line, _ := cr.FieldPos(0)
		take(rec, line, [2]int{})
	}
}

// plainRecords splits text that holds no quote into records as
// encoding/csv does (lines end at \n, a \r before it and one ending the
// text are dropped, empty lines skipped, fields split at delim), giving
// each record with its line number and the span of text it was split from
// to take. The fields are substrings of text; the record is a scratch
// slice, good until take returns.
func plainRecords(text string, delim byte, take func(rec []string, line int, span [2]int)) {
	var rec []string
	off := 0
	for line := 1; off < len(text); line++ {
		start, end := off, len(text)
		if i := strings.IndexByte(text[off:], '\n'); i >= 0 {
			end, off = off+i, off+i+1
		} else {
			off = len(text)
		}
		if end > start && text[end-1] == '\r' {
			end--
		}
		if end == start {
			continue
		}
		rec = splitFields(text[start:end], delim, rec[:0])
		take(rec, line, [2]int{start, end})
	}
}

// splitFields appends the fields of line, split at delim, to rec.
func splitFields(l string, delim byte, rec []string) []string {
	for {
		j := strings.IndexByte(l, delim)
		if j < 0 {
			return append(rec, l)
		}
		rec = append(rec, l[:j])
		l = l[j+1:]
	}
}

// trimRecord trims the fields of rec in place; blank tells that all are
// empty, long is the index of a field longer than maxLine bytes (before
// trimming), or -1.
func trimRecord(rec []string, maxLine int) (blank bool, long int) {
	blank, long = true, -1
	for i, f := range rec {
		rec[i] = strings.TrimSpace(f)
		if rec[i] != "" {
			blank = false
		}
		if len(f) > maxLine {
			long = i
		}
	}
	return blank, long
}

// legacyScan looks for legacy font text (TCVN3, VNI) in every cell of a
// file that is not a number, keeping where it first showed and on how many
// lines.
type legacyScan struct {
	det    legacyDetector
	pos    thidua.Pos
	sample string
	lines  int
}

// scan scores the cells of record rec, on line of file; header names their
// columns (nil while rec is the header itself).
func (s *legacyScan) scan(file string, line int, rec, header []string) {
	seen := false
	for i, f := range rec {
		if f == "" || isNumberish(f) {
			continue
		}
		if s.det.add(f) && !seen {
			seen = true
			s.lines++
			if s.sample == "" {
				col := ""
				if header != nil && i < len(header) {
					col = header[i]
				}
				s.pos, s.sample = thidua.Pos{File: file, Line: line, Column: col}, f
			}
		}
	}
}

// refusal is the problem of a file decoded as used whose text the evidence
// says is legacy font text in another encoding, and whether there is one.
func (s *legacyScan) refusal(used string) (thidua.Problem, bool) {
	enc, ok := s.det.result()
	if !ok || used == enc {
		return thidua.Problem{}, false
	}
	e := legacyError(used, enc, s.sample)
	return thidua.Problem{Pos: s.pos, Err: fmt.Errorf("%w (%d lines look like this)", e, s.lines)}, true
}

// isNumberish reports a cell made of digits and number punctuation only.
func isNumberish(s string) bool {
	for _, r := range s {
		if !(r >= '0' && r <= '9' || strings.ContainsRune(".,-+% /", r) || isSpaceRune(r)) {
			return false
		}
	}
	return true
}

// readLimited reads r into memory, hashing every byte, until EOF or until
// more than maxFile bytes. It stops keeping bytes as soon as a line is longer
// than maxLine (longLine is then its number) but goes on hashing, so that a
// 1 GB single-line file costs maxLine bytes of memory.
func readLimited(r io.Reader, maxFile int64, maxLine int) (data []byte, longLine int, size int64, sum string, err error) {
	h := sha256.New()
	var buf bytes.Buffer
	if st, ok := r.(interface{ Stat() (fs.FileInfo, error) }); ok {
		// A file says its size: room for all of it (within the limit)
		// at once, instead of doubling the buffer as it fills.
		if fi, err := st.Stat(); err == nil && fi.Mode().IsRegular() && fi.Size() < maxFile {
			buf.Grow(int(fi.Size()) + 1)
		}
	}
	chunk := make([]byte, 64<<10)
	line, lineLen := 1, 0
	keep := true
	for {
		n, rerr := r.Read(chunk)
		if n > 0 {
			p := chunk[:n]
			h.Write(p)
			size += int64(n)
			if keep {
				// The chunk is kept whole unless a line in it is too long;
				// a chunk without \r is searched for \n alone (memchr).
				cr := bytes.IndexByte(p, '\r') >= 0
				for q := p; len(q) > 0; {
					// A line ends at \n, or at \r for old Mac files.
					var i int
					if cr {
						i = bytes.IndexAny(q, "\r\n")
					} else {
						i = bytes.IndexByte(q, '\n')
					}
					seg := q
					if i >= 0 {
						seg = q[:i+1]
					}
					if i < 0 {
						lineLen += len(seg)
					} else {
						lineLen += i
					}
					if lineLen > maxLine {
						keep, longLine = false, line
						buf = bytes.Buffer{}
						break
					}
					q = q[len(seg):]
					if i >= 0 {
						if p0 := seg[len(seg)-1]; p0 == '\n' {
							line++
						}
						lineLen = 0
					}
				}
				if keep {
					buf.Write(p)
				}
			}
			if size > maxFile {
				return nil, longLine, size, "", nil
			}
		}
		if rerr == io.EOF {
			break
		}
		if rerr != nil {
			return nil, 0, size, "", rerr
		}
	}
	return buf.Bytes(), longLine, size, hex.EncodeToString(h.Sum(nil)), nil
}

// sniffDelimiter picks the delimiter of text: of comma, semicolon and tab,
// the one whose first line gives the most known column names, then the
// most fields.
func sniffDelimiter(text string, specs []columnSpec) rune {
	// The first line that is not blank (or the whole text), found
	// without splitting the whole file into lines.
	first := text
	for rest := text; rest != ""; {
		var l string
		l, rest, _ = strings.Cut(rest, "\n")
		if strings.TrimSpace(l) != "" {
			first = l
			break
		}
	}
	known := map[string]bool{}
	for _, sp := range specs {
		for _, n := range sp.Names {
			known[headerKey(n)] = true
		}
	}
	best, bestKnown, bestFields := ',', -1, -1
	for _, d := range []rune{',', ';', '\t'} {
		cr := csv.NewReader(strings.NewReader(first))
		cr.Comma = d
		cr.FieldsPerRecord = -1
		cr.LazyQuotes = true
		rec, err := cr.Read()
		if err != nil {
			continue
		}
		k := 0
		for _, f := range rec {
			if known[headerKey(NFC(f))] {
				k++
			}
		}
		if k > bestKnown || (k == bestKnown && len(rec) > bestFields) {
			best, bestKnown, bestFields = d, k, len(rec)
		}
	}
	return best
}

// fieldCount checks a row against the header: fewer fields is a problem,
// more is one only when the extra fields are not empty (spreadsheets pad
// rows with empty fields).
func (t *table) fieldCount(row tableRow) error {
	bad := len(row.fields) < len(t.header)
	for _, f := range row.fields[min(len(t.header), len(row.fields)):] {
		bad = bad || f != ""
	}
	if bad {
		return kindf(ErrMalformed, "wrong number of fields: %d, the header has %d", len(row.fields), len(t.header))
	}
	return nil
}

// field returns the cell of field f in row as a rawField positioned at its
// line and column header; a zero rawField when the column is absent.
func (t *table) field(h header, row tableRow, f string) rawField {
	return t.cell(h.column(f), row)
}

// column is a field's column in a header, looked up once per file: its
// index and its name as written; ok is false when the column is absent.
type column struct {
	i    int
	name string
	ok   bool
}

func (h header) column(f string) column {
	i, ok := h.Index[f]
	return column{i: i, name: h.name(f), ok: ok}
}

// cell is field for a column looked up with header.column.
func (t *table) cell(c column, row tableRow) rawField {
	if !c.ok {
		return rawField{}
	}
	text := ""
	if c.i < len(row.fields) {
		text = row.fields[c.i]
	}
	return rawField{Text: text, Pos: thidua.Pos{File: t.src.File, Line: row.line, Column: c.name}}
}

// ReadCSV reads a long CSV file, one fact per row: columns unit (or
// unit_code), indicator (or indicator_code), period and value, optional
// basis and target (the annual target of the period's year), found by
// header name in English or Vietnamese (see longColumns and headerKey).
// The delimiter (comma, semicolon, tab) is sniffed; the encoding is
// opts.Encoding or detected (see decode).
//
// name is the path shown in problems and kept as Source.File. Every bad
// row gives problems in Batch.Problems, positioned FILE:LINE:COLUMN; the
// error is for I/O failures and bad options only.
func ReadCSV(name string, r io.Reader, opts Options) (thidua.Batch, error) {
	if opts.Cluster == nil {
		return thidua.Batch{}, fmt.Errorf("ingest: %s: no cluster given", name)
	}
	t, err := readTable(name, r, opts, longColumns)
	if err != nil {
		return thidua.Batch{Source: t.src}, err
	}
	return longFromTable(t, opts), nil
}

// longFromTable validates the rows of a long table, with the number locale
// inferred from the table when opts.Locale is auto (readWithLocale).
func longFromTable(t *table, opts Options) thidua.Batch {
	b, _ := readWithLocale(opts, func(opts Options) (thidua.Batch, error) {
		c := *t // findHeader moves title rows out of a copy
		return longFromTableOnce(&c, opts), nil
	})
	return b
}

func longFromTableOnce(t *table, opts Options) thidua.Batch {
	b := newBuilder(t.src, opts)
	b.problems(t.problems...)
	if t.fatal {
		return b.done()
	}
	h, probs := t.findHeader(longColumns)
	probs = withoutDefaulted(probs, opts)
	if len(probs) > 0 {
		b.problems(probs...)
		b.Batch.Rows = len(t.rows)
		return b.done()
	}
	if h.has(fieldYTD) && h.has(fieldBasis) {
		b.problem(thidua.Pos{File: t.src.File, Line: t.headerLine, Column: h.name(fieldYTD)},
			"a year-to-date column %q and a basis column %q together are ambiguous: use one or the other", h.name(fieldYTD), h.name(fieldBasis))
		b.Batch.Rows = len(t.rows)
		return b.done()
	}
	b.grow(len(t.rows))
	lr := longRows{t: t, opts: opts,
		unit: h.column(fieldUnit), unitCode: h.column(fieldUnitCode),
		ind: h.column(fieldIndicator), indCode: h.column(fieldIndicatorCode),
		period: h.column(fieldPeriod), value: h.column(fieldValue), basis: h.column(fieldBasis),
		target: h.column(fieldTarget), ytd: h.column(fieldYTD)}
	// A file without a unit or period column takes the --unit and
	// --period given for it.
	lr.defaultUnit = !lr.unit.ok && !lr.unitCode.ok && strings.TrimSpace(opts.Unit) != ""
	lr.defaultPeriod = !lr.period.ok && strings.TrimSpace(opts.Period) != ""
	validateRows(b, t.rows, lr.validate)
	return b.done()
}

// longRows validates the rows of a long table: the columns of its header,
// looked up once.
type longRows struct {
	t                                    *table
	opts                                 Options
	unit, unitCode, ind, indCode, period column
	value, basis, target, ytd            column
	defaultUnit, defaultPeriod           bool
}

// validate validates one row with o (a copy of the builder's options with
// a cache of its own), giving its facts or its problems in r, which it
// overwrites (results are reused: a row's facts are not copied around).
func (lr *longRows) validate(o *Options, row tableRow, r *rowResult) {
	t := lr.t
	r.probs, r.n = nil, 0
	row = t.withFields(row, &o.cache.fields)
	if err := t.fieldCount(row); err != nil {
		r.probs = []thidua.Problem{{Pos: thidua.Pos{File: t.src.File, Line: row.line}, Err: err}}
		return
	}
	raw := rawFact{
		Pos:           thidua.Pos{File: t.src.File, Line: row.line},
		Unit:          t.cell(lr.unit, row),
		UnitCode:      t.cell(lr.unitCode, row),
		Indicator:     t.cell(lr.ind, row),
		IndicatorCode: t.cell(lr.indCode, row),
		Period:        t.cell(lr.period, row),
		Value:         t.cell(lr.value, row),
		Basis:         t.cell(lr.basis, row),
		Target:        t.cell(lr.target, row),
	}
	if lr.defaultUnit {
		raw.Unit = rawField{Text: lr.opts.Unit, Pos: thidua.Pos{File: t.src.File, Line: row.line, Column: "--unit"}}
	}
	if lr.defaultPeriod {
		raw.Period = rawField{Text: lr.opts.Period, Pos: thidua.Pos{File: t.src.File, Line: row.line, Column: "--period"}}
	}
	ytd := t.cell(lr.ytd, row)
	raw.ValueOptional = !raw.Target.empty() || !ytd.empty()
	probs := o.factTo(&raw, &r.facts[0])
	if !ytd.empty() {
		// The year-to-date column gives a second fact of the row.
		raw2 := raw
		raw2.Value, raw2.Basis, raw2.Target = ytd, rawField{Text: string(thidua.YTDBasis)}, rawField{}
		probs2 := o.factTo(&raw2, &r.facts[1])
		if len(probs) == 0 && len(probs2) == 0 {
			r.n = 2
			return
		}
		// Report the row's problems once, plus those of the ytd cell.
		for _, p := range probs2 {
			if p.Pos == ytd.Pos {
				probs = append(probs, p)
			}
		}
		r.probs = probs
		return
	}
	if len(probs) > 0 {
		r.probs = probs
		return
	}
	r.n = 1
}

// findHeader matches the first record as the header. When it does not
// match but a later record among the first ten does, and every record
// before that one holds at most one cell (titles such as "BÁO CÁO SỐ
// LIỆU"), that record is the header and the titles are dropped.
func (t *table) findHeader(specs []columnSpec) (header, []thidua.Problem) {
	h, probs := matchHeader(t.header, specs, thidua.Pos{File: t.src.File, Line: t.headerLine})
	if len(probs) == 0 || countCells(t.header) > 1 {
		return h, probs
	}
	for i := 0; i < len(t.rows) && i < 10; i++ {
		row := t.withFields(t.rows[i], nil)
		h2, p2 := matchHeader(row.fields, specs, thidua.Pos{File: t.src.File, Line: row.line})
		if len(p2) == 0 {
			t.header, t.headerLine = row.fields, row.line
			t.rows = t.rows[i+1:]
			return h2, nil
		}
		if countCells(row.fields) > 1 {
			break
		}
	}
	return h, probs
}

func countCells(rec []string) int {
	n := 0
	for _, f := range rec {
		if f != "" {
			n++
		}
	}
	return n
}

// withoutDefaulted drops the missing-column problems of the unit and period
// columns when opts gives a unit or period for the whole file.
func withoutDefaulted(probs []thidua.Problem, opts Options) []thidua.Problem {
	defaulted := map[string]bool{
		fieldUnit:   strings.TrimSpace(opts.Unit) != "",
		fieldPeriod: strings.TrimSpace(opts.Period) != "",
	}
	out := probs[:0:0]
	for _, p := range probs {
		var ce *ColumnError
		if errors.As(p.Err, &ce) && errors.Is(ce, ErrMissingColumn) && defaulted[ce.Field] {
			continue
		}
		out = append(out, p)
	}
	return out
}
