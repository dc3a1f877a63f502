package ingest

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/thidua/thidua"
)

// Number locale inferred per file.
//
// A lone 1.234 or 1,234 means 1234 or 1.234 depending on the convention
// (localeVI: the dot groups thousands; localeEN: the comma does). People
// reading a file do not hesitate: the file's other numbers tell. With
// Options.Locale "auto" (the default) each reader infers it the same way:
//
//  1. A text number that can be read one way only is evidence: 2.934,9,
//     1.234.567 and 0,5 are Vietnamese; 3315.9, 1,234,567 and 1,234.5 are
//     English (see localeEvidence). Numeric spreadsheet cells say nothing.
//  2. A lone 1.234 in a column with evidence of one convention only is read
//     that way (columns can differ: a CSV exported from one program with a
//     column typed in by hand).
//  3. Otherwise the whole file's evidence decides, when it all points one
//     way.
//  4. A file with no evidence at all is read the Vietnamese way when it is
//     a form made by "thidua template" (its hidden sheet says so) or a
//     report form laid out in Vietnamese; any other file refuses the number
//     (ErrAmbiguous), as does a file whose evidence contradicts itself.
//
// Every refusal names the cells that disagree or says that none decides;
// Batch.Source.NumberLocale says which convention was used and from which
// cell, for the load report and run.json. --locale vi or en forces one
// convention for every cell.
//
// The readers run once; only when a lone 1.234 was met do they run again,
// first gathering the evidence, then reading with it (readWithLocale), so
// files without one pay nothing.

// numberLocales carries the number-locale inference of one file through
// a reader's passes (Options.numbers).
type numberLocales struct {
	pass int // 1: plain read; 2: gather evidence; 3: read with the decisions

	ambiguous atomic.Bool // a lone 1.234 was met (pass 1)

	mu   sync.Mutex
	cols map[string]*colEvidence // column key → its first evidence each way
	// fallback is the convention of a file without evidence (localeVI for
	// template and Vietnamese forms), and why.
	fallback, fallbackWhy string

	used map[string]bool // pass 3: the notes of the decisions used
}

// evidence is a cell whose number can be read one way only.
type evidence struct {
	pos  thidua.Pos
	text string
}

// String names the cell within its file: Sheet1!D7, line 3 column value,
// row 5 (Parquet), with its text.
func (e *evidence) String() string {
	p := e.pos
	var at string
	switch {
	case p.Sheet != "":
		at = p.Sheet + "!" + p.Cell
	case p.Line > 0 && p.Column != "":
		at = fmt.Sprintf("line %d column %s", p.Line, p.Column)
	case p.Line > 0:
		at = fmt.Sprintf("line %d", p.Line)
	default:
		at = p.Column
	}
	return fmt.Sprintf("%s (%q)", at, e.text)
}

type colEvidence struct{ vi, en *evidence }

// earlier reports whether position a comes before b in the file: line,
// then sheet and cell (by row, then column).
func earlier(a, b thidua.Pos) bool {
	if a.Line != b.Line {
		return a.Line < b.Line
	}
	if a.Sheet != b.Sheet {
		return a.Sheet < b.Sheet
	}
	ra, ca := splitCell(a.Cell)
	rb, cb := splitCell(b.Cell)
	if ra != rb {
		return ra < rb
	}
	if ca != cb {
		return natLess(ca, cb)
	}
	return natLess(a.Column, b.Column) // Parquet: "row 9" before "row 10"
}

// natLess orders column letters (B before AA) and "row N" by length, then
// text.
func natLess(a, b string) bool {
	if len(a) != len(b) {
		return len(a) < len(b)
	}
	return a < b
}

// splitCell splits "AB12" into its row number and column letters.
func splitCell(cell string) (int, string) {
	i := strings.IndexFunc(cell, func(r rune) bool { return r >= '0' && r <= '9' })
	if i < 0 {
		return 0, cell
	}
	n := 0
	for _, r := range cell[i:] {
		n = n*10 + int(r-'0')
	}
	return n, cell[:i]
}

// columnKey names the column of a position: a CSV or Parquet column by its
// header, a spreadsheet column by sheet and letters.
func columnKey(p thidua.Pos) string {
	if p.Sheet != "" {
		_, col := splitCell(p.Cell)
		return p.Sheet + "!" + col
	}
	return p.Column
}

// observe records the evidence of a text number (pass 2).
func (n *numberLocales) observe(pos thidua.Pos, text string) {
	loc := localeEvidence(text)
	if loc == "" {
		return
	}
	e := &evidence{pos: pos, text: strings.TrimSpace(text)}
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.cols == nil {
		n.cols = map[string]*colEvidence{}
	}
	k := columnKey(pos)
	c := n.cols[k]
	if c == nil {
		c = &colEvidence{}
		n.cols[k] = c
	}
	slot := &c.en
	if loc == localeVI {
		slot = &c.vi
	}
	if *slot == nil || earlier(pos, (*slot).pos) {
		*slot = e
	}
}

// preferVI makes localeVI the convention of the file when it gives no
// evidence, for the reason why.
func (n *numberLocales) preferVI(why string) {
	if n == nil {
		return
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.fallback == "" {
		n.fallback, n.fallbackWhy = localeVI, why
	}
}

// Causes of a lone 1.234 the inference cannot settle, wrapped together with
// ErrAmbiguous in its NumberError.
var (
	// ErrNoLocaleEvidence: no other number of the file shows how it writes
	// numbers.
	ErrNoLocaleEvidence = errors.New("no other number in the file shows which convention it uses")
	// ErrLocaleContradiction: the file's numbers are written both ways.
	ErrLocaleContradiction = errors.New("the file's numbers are written both ways")
)

// causeError is a sentinel with its cause: its message is the sentinel's,
// and errors.Is finds either.
type causeError struct{ sentinel, cause error }

func (e *causeError) Error() string   { return e.sentinel.Error() }
func (e *causeError) Unwrap() []error { return []error{e.sentinel, e.cause} }

// decide gives the convention of the column of pos and the note saying
// where it was inferred from, or the reason none can be.
func (n *numberLocales) decide(pos thidua.Pos) (locale, note string, err error) {
	n.mu.Lock()
	defer n.mu.Unlock()
	pick := func(c colEvidence, where string) (string, string, error, bool) {
		switch {
		case c.vi != nil && c.en != nil:
			return "", "", fmt.Errorf("%w: %s reads the Vietnamese way (1.234,5) but %s the English way (1,234.5)%s", ErrLocaleContradiction, c.vi, c.en, where), true
		case c.vi != nil:
			return localeVI, "vi (1.234,5: dot groups thousands), inferred from " + c.vi.String(), nil, true
		case c.en != nil:
			return localeEN, "en (1,234.5: comma groups thousands), inferred from " + c.en.String(), nil, true
		}
		return "", "", nil, false
	}
	if c := n.cols[columnKey(pos)]; c != nil {
		if l, note, err, ok := pick(*c, " in the same column"); ok {
			return l, note, err
		}
	}
	var all colEvidence
	for _, c := range n.cols {
		if c.vi != nil && (all.vi == nil || earlier(c.vi.pos, all.vi.pos)) {
			all.vi = c.vi
		}
		if c.en != nil && (all.en == nil || earlier(c.en.pos, all.en.pos)) {
			all.en = c.en
		}
	}
	if l, note, err, ok := pick(all, ""); ok {
		return l, note, err
	}
	if n.fallback != "" {
		return n.fallback, "vi (1.234,5: dot groups thousands), " + n.fallbackWhy, nil
	}
	return "", "", ErrNoLocaleEvidence
}

// resolve reads the lone 1.234 of f, refused by parse in locale auto with
// err, in the convention the file shows (pass 3), or gives err back.
func (n *numberLocales) resolve(f rawField, parse func(string, string) (float64, error), err error) (float64, error) {
	if n == nil {
		return 0, err
	}
	switch n.pass {
	case 1:
		n.ambiguous.Store(true)
		return 0, err
	case 3:
		loc, note, why := n.decide(f.Pos)
		if why != nil {
			var ne *NumberError
			if errors.As(err, &ne) {
				return 0, &NumberError{Text: ne.Text, Err: &causeError{ErrAmbiguous, why}, Detail: why.Error() + "; " + ne.Detail}
			}
			return 0, err
		}
		n.mu.Lock()
		if n.used == nil {
			n.used = map[string]bool{}
		}
		n.used[note] = true
		n.mu.Unlock()
		return parse(f.Text, loc)
	}
	return 0, err
}

// note says which conventions pass 3 used, for Source.NumberLocale.
func (n *numberLocales) note() string {
	var notes []string
	for k := range n.used {
		notes = append(notes, k)
	}
	slices.Sort(notes)
	return strings.Join(notes, "; ")
}

// readWithLocale runs read (a reader of one file with the given options)
// with the number locale inferred per file when opts.Locale is auto: once;
// and, only when it met a lone 1.234 or 1,234, again to gather the file's
// evidence and once more to read with it.
func readWithLocale(opts Options, read func(Options) (thidua.Batch, error)) (thidua.Batch, error) {
	if normLocale(opts.Locale) != localeAuto || opts.numbers != nil {
		return read(opts)
	}
	n := &numberLocales{pass: 1}
	opts.numbers = n
	b, err := read(opts)
	if err != nil || !n.ambiguous.Load() {
		return b, err
	}
	n.pass = 2
	if _, err := read(opts); err != nil {
		return b, err
	}
	n.pass = 3
	b, err = read(opts)
	b.Source.NumberLocale = n.note()
	return b, err
}
