package dashboards

import (
	"bytes"
	"math"
	"strconv"
	"unicode/utf8"

	"github.com/thidua/thidua"
)

// A page carries only its default period as HTML. The other periods'
// tables, notes, figures and sentences travel in the page's data block in
// a compact form that assets/site.js turns into the same elements (with
// DOM calls and textContent, never HTML parsing) when the reader picks the
// period. Go stays the only author of every text: a number cell is sent as
// a bare number only when site.js's formatting provably gives the same
// text (checked here, cell by cell); anything else is sent as text.
//
// Encodings of a cell:
//
//	1234.5                       number formatted by its column ("n": row decimals, "0"–"9": fixed, "p": %, "s": signed %)
//	null                         missing number: "—", class na
//	"text"                       plain text
//	{"n":1.5,"c":"good"}         number formatted by its column, with a class
//	["ind|month",41]             a sparkline: the page's series ind|month up to index 41
//	[7]                          the page's cell 7: {"t":…,"v":…,"c":…,"ti":…,"h":…}
//
// Column formats, row and footer decimals are per table ("m", "d", "fd"); a table's head
// is an index into the page's list of heads.

// jsonw writes JSON by hand, HTML-safe like safeJSON: <, >, & and U+2028/9
// are escaped, so the block cannot end its <script> element.
type jsonw struct {
	bytes.Buffer
}

const hexDigits = "0123456789abcdef"

func (w *jsonw) str(s string) {
	w.WriteByte('"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&' {
				i++
				continue
			}
			w.WriteString(s[start:i])
			switch c {
			case '"':
				w.WriteString(`\"`)
			case '\\':
				w.WriteString(`\\`)
			case '\n':
				w.WriteString(`\n`)
			case '\t':
				w.WriteString(`\t`)
			case '\r':
				w.WriteString(`\r`)
			default:
				w.WriteString(`\u00`)
				w.WriteByte(hexDigits[c>>4])
				w.WriteByte(hexDigits[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			w.WriteString(s[start:i])
			w.WriteString(`\ufffd`)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			w.WriteString(s[start:i])
			w.WriteString(`\u202`)
			w.WriteByte(hexDigits[r&0xf])
			i += size
			start = i
			continue
		}
		i += size
	}
	w.WriteString(s[start:])
	w.WriteByte('"')
}

func (w *jsonw) num(v float64) {
	w.WriteString(jsNumber(v))
}

// jsNumber is v as JavaScript's String(v) writes it, for the numbers
// compactable accepts (finite, 1e-6 ≤ |v| < 1e21 or 0).
func jsNumber(v float64) string {
	return strconv.FormatFloat(v, 'f', -1, 64)
}

// compactable reports whether site.js formats v with dec decimals exactly
// as ms.Num does: Number.prototype.toFixed rounds the exact binary value to
// nearest like strconv, except on an exact tie (which it rounds up and
// strconv to even), and switches to exponents at 1e21.
func compactable(v float64, dec int) bool {
	a := math.Abs(v)
	if math.IsNaN(v) || math.IsInf(v, 0) || a >= 1e21 || (a != 0 && a < 1e-6) || (v == 0 && math.Signbit(v)) || dec < 0 || dec > 9 {
		return false
	}
	y := a * math.Pow10(dec)
	return y-math.Floor(y) != 0.5
}

// colFormat formats v the way site.js does for a column format f and row
// decimals dec; ok is false for a format site.js does not know.
func (ms *messages) colFormat(f byte, v float64, dec int) (string, int, bool) {
	switch {
	case f == 'n':
		return ms.Num(v, dec), dec, true
	case f >= '0' && f <= '9':
		d := int(f - '0')
		return ms.Num(v, d), d, true
	case f == 'p':
		return ms.Num(v, 1) + "%", 1, true
	case f == 's':
		return ms.SignedPct(thidua.Some(v)), 1, true
	}
	return "", 0, false
}

// testDefaultBlocks makes the data block carry the default period too, so
// that a browser test can compare site.js's rendering with the HTML.
var testDefaultBlocks = false

// jsonList is a JSON array of distinct values, each written once and
// referred to by its index.
type jsonList struct {
	idx map[string]int
	w   jsonw // the array's elements
}

// add returns the index of the value known by key, first calling write to
// append it when the list does not hold it yet.
func (l *jsonList) add(key string, write func(*jsonw)) int {
	if i, ok := l.idx[key]; ok {
		return i
	}
	if l.idx == nil {
		l.idx = map[string]int{}
	}
	if len(l.idx) > 0 {
		l.w.WriteByte(',')
	}
	write(&l.w)
	i := len(l.idx)
	l.idx[key] = i
	return i
}

// addJSON adds a value given as its JSON text.
func (l *jsonList) addJSON(js string) int {
	return l.add(js, func(w *jsonw) { w.WriteString(js) })
}

// array returns the list as a JSON array.
func (l *jsonList) array() []byte {
	return append(append([]byte{'['}, l.w.Bytes()...), ']')
}

// blockEnc encodes the non-default periods of a page.
type blockEnc struct {
	ms    *messages
	w     *jsonw
	heads jsonList // the page's table heads
	strs  jsonList // interned strings (figure labels, measures)
	cells jsonList // interned text cells
	tmp   jsonw
}

func newBlockEnc(ms *messages) *blockEnc {
	return &blockEnc{ms: ms, w: &jsonw{}}
}

func (e *blockEnc) intern(s string) int {
	return e.strs.add(s, func(w *jsonw) { w.str(s) })
}

func (e *blockEnc) head(h []th) int {
	var k jsonw
	k.WriteByte('[')
	for i, x := range h {
		if i > 0 {
			k.WriteByte(',')
		}
		k.WriteByte('[')
		k.str(x.Text)
		if x.Num {
			k.WriteString(",1]")
		} else {
			k.WriteString(",0]")
		}
	}
	k.WriteByte(']')
	return e.heads.addJSON(k.String())
}

func (e *blockEnc) table(t *table) {
	w := e.w
	w.WriteString(`{"i":`)
	w.str(t.ID)
	w.WriteString(`,"c":`)
	w.str(t.CSV)
	w.WriteString(`,"p":`)
	w.str(t.Caption)
	w.WriteString(`,"h":`)
	w.WriteString(strconv.Itoa(e.head(t.Head)))
	if t.Fmt != "" {
		w.WriteString(`,"m":`)
		w.str(t.Fmt)
	}
	if len(t.Dec) > 0 {
		w.WriteString(`,"d":[`)
		for i, d := range t.Dec {
			if i > 0 {
				w.WriteByte(',')
			}
			w.WriteString(strconv.Itoa(d))
		}
		w.WriteByte(']')
	}
	rows := func(rs [][]cell, dec func(int) int) {
		w.WriteByte('[')
		for i, r := range rs {
			if i > 0 {
				w.WriteByte(',')
			}
			w.WriteByte('[')
			for j := range r {
				if j > 0 {
					w.WriteByte(',')
				}
				var f byte
				if j < len(t.Fmt) {
					f = t.Fmt[j]
				}
				e.cell(&r[j], f, dec(i))
			}
			w.WriteByte(']')
		}
		w.WriteByte(']')
	}
	w.WriteString(`,"r":`)
	rows(t.Rows, t.rowDec)
	if len(t.Foot) > 0 {
		if t.FootDec != 0 {
			w.WriteString(`,"fd":`)
			w.WriteString(strconv.Itoa(t.FootDec))
		}
		w.WriteString(`,"f":`)
		rows(t.Foot, func(int) int { return t.FootDec })
	}
	w.WriteByte('}')
}

// cell writes c in the shortest encoding that site.js turns back into the
// same <td>.
func (e *blockEnc) cell(c *cell, f byte, dec int) {
	w := e.w
	plain := c.Title == "" && c.Href == "" && c.SVG == "" && c.Spark == nil
	if plain && c.V == "" && c.Class == "" {
		w.str(c.Text)
		return
	}
	if plain && c.V == "" && c.Class == "na" && c.Text == "—" {
		w.WriteString("null")
		return
	}
	if plain && c.V != "" && (c.Class == "" || c.Class == "good" || c.Class == "close" || c.Class == "bad" || c.Class == "up" || c.Class == "down") {
		if v, err := strconv.ParseFloat(c.V, 64); err == nil {
			if text, d, ok := e.ms.colFormat(f, v, dec); ok && text == c.Text && compactable(v, d) && jsNumber(v) == c.V {
				if c.Class == "" {
					w.num(v)
				} else {
					w.WriteString(`{"n":`)
					w.num(v)
					w.WriteString(`,"c":`)
					w.str(c.Class)
					w.WriteByte('}')
				}
				return
			}
		}
	}
	if c.Spark != nil && c.Text == "" && c.V == "" && c.Class == "" && c.Title == "" && c.Href == "" {
		w.WriteByte('[')
		w.str(c.Spark.Series)
		w.WriteByte(',')
		w.WriteString(strconv.Itoa(c.Spark.End))
		w.WriteByte(']')
		return
	}
	// Other cells (names with links, ranks, marked values) repeat from
	// period to period: they are written once, in the page's cell list.
	real := w
	w = &e.tmp
	w.Reset()
	w.WriteString(`{"t":`)
	w.str(c.Text)
	if c.V != "" {
		w.WriteString(`,"v":`)
		w.str(c.V)
	}
	if c.Class != "" {
		w.WriteString(`,"c":`)
		w.str(c.Class)
	}
	if c.Title != "" {
		w.WriteString(`,"ti":`)
		w.str(c.Title)
	}
	if c.Href != "" {
		w.WriteString(`,"h":`)
		w.str(c.Href)
	}
	if c.Spark != nil {
		w.WriteString(`,"s":[`)
		w.str(c.Spark.Series)
		w.WriteByte(',')
		w.WriteString(strconv.Itoa(c.Spark.End))
		w.WriteByte(']')
	}
	w.WriteByte('}')
	i := e.cells.addJSON(w.String())
	real.WriteByte('[')
	real.WriteString(strconv.Itoa(i))
	real.WriteByte(']')
}

func (e *blockEnc) strings(key string, ss []string) {
	if len(ss) == 0 {
		return
	}
	w := e.w
	w.WriteString(`,"` + key + `":[`)
	for i, s := range ss {
		if i > 0 {
			w.WriteByte(',')
		}
		w.str(s)
	}
	w.WriteByte(']')
}

// period writes one period's block: {"t":[tables],"n":[notes],"l":[lines],"f":[figures]}.
func (e *blockEnc) period(pv *periodView) {
	w := e.w
	w.WriteString(`{"t":[`)
	for i := range pv.Tables {
		if i > 0 {
			w.WriteByte(',')
		}
		e.table(&pv.Tables[i])
	}
	w.WriteByte(']')
	e.strings("n", pv.Notes)
	e.strings("l", pv.Lines)
	if len(pv.Figures) > 0 {
		w.WriteString(`,"f":[`)
		for i, f := range pv.Figures {
			if i > 0 {
				w.WriteByte(',')
			}
			w.WriteByte('[')
			w.WriteString(strconv.Itoa(e.intern(f.Label)))
			w.WriteByte(',')
			w.str(f.Value)
			w.WriteByte(',')
			w.WriteString(strconv.Itoa(e.intern(f.Measure)))
			w.WriteByte(',')
			w.str(f.Change)
			w.WriteByte(',')
			w.str(f.Note)
			w.WriteByte(',')
			w.str(f.Class)
			w.WriteByte(']')
		}
		w.WriteByte(']')
	}
	w.WriteByte('}')
}

// articles writes {"ARTICLE-ID":{"PERIOD":block,…},…} for the periods that
// are not the default, then returns it with the heads, strings and cells
// lists.
func (e *blockEnc) articles(arts []*article) (blocks, heads, strs, cells []byte) {
	w := e.w
	w.WriteByte('{')
	first := true
	for _, a := range arts {
		if len(a.Periods) == 0 {
			continue
		}
		if !first {
			w.WriteByte(',')
		}
		first = false
		w.str(a.ID)
		w.WriteString(":{")
		n := 0
		for i := range a.Periods {
			pv := &a.Periods[i]
			if pv.Default && !testDefaultBlocks {
				continue
			}
			if n > 0 {
				w.WriteByte(',')
			}
			n++
			w.str(pv.Key)
			w.WriteByte(':')
			e.period(pv)
		}
		w.WriteByte('}')
	}
	w.WriteByte('}')
	return w.Bytes(), e.heads.array(), e.strs.array(), e.cells.array()
}
