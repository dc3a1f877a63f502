package dashboards

import (
	"bytes"
	"fmt"
	"math"
	"strconv"
	"unicode/utf8"
)

// A page carries only its default period as HTML. The other periods'
// tables, notes, figures and sentences travel in the page's data block (the
// single file: every period) or in period files (data/PAGE.FIRST.js, a few
// periods each: siteRun.periodFiles) in a compact form that assets/site.js turns into the same
// elements (with DOM calls and textContent, never HTML parsing) when the
// reader picks the period. Go stays the only author of every text: a cell
// is sent as a bare number only when site.js's formatting provably gives
// the same text and class (checked here, cell by cell); anything else is
// sent as text. This comment is the one description of the format.
//
// A period's block: {"tables":[table…],"notes":[text…],"lines":[text…],
// "linesTable":table,"figures":[{"label":s,"value":text,"measure":s,"change":text,"note":text,"cls":class}…]}
// (s: an index into "strs"; empty members left out; "linesTable": a large
// cluster's sentences, instead of "lines").
//
// A table: {"id","csv" (download file),"caption","head" (index into
// "heads": [[text, numeric 0/1]…]),"fmt","dec","of","page","rows","footDec","foot"}
// ("page": a large cluster's table shows that many rows a page, with a
// pager; a row's unit for the search box is its 'u' column's, whose key
// is in the unit list; "bin": the rows' bins in the page's histogram, -1
// none, for the unit searched for).
// "fmt" has a letter per column saying how a bare number in it is shown:
//
//	n        the row's decimals ("dec": one element for every row, else one a row; "footDec" for the footer)
//	0–9      that many decimals
//	p        percent, one decimal: 12,3%
//	s        signed percent change: +12,3%
//	r        rank of the row's "of" (like "dec"): 3/700
//	c        rank change: ▲ +3 (class up), ▼ -3 (class down), = 0
//	u        a unit of the site: the bare number is its index in the unit
//	         list ("units" of the page or data/units.js: [[name, page,
//	         search key (thidua.Fold of the name)]…]),
//	         shown as its name linked to its page
//	-        no numbers
//
// A cell:
//
//	1234.5          a number shown by its column's format (values are rounded to
//	                what is shown: the indicator's decimals, one for percents)
//	null            a missing number: "—", class na
//	"text"          plain text
//	[1234.5,k]      a number with the class "classes"[k]
//	["ind|month",41] a sparkline of the page's series ind|month up to index 41
//	[7]             "cells"[7]: {"text","v" (data-v),"cls","title","href","spark"}
//	                (texts that repeat: names, measures, marked values)
//
// "heads", "strs", "cells" and "classes" are lists of the page's data block
// or of the period file, each value written once.

// jsonw writes JSON by hand, HTML-safe like safeJSON: <, >, & and U+2028/9
// are escaped, so the block cannot end its <script> element.
type jsonw struct {
	bytes.Buffer
}

const hexDigits = "0123456789abcdef"

// str writes s as a JSON string, byte for byte as encoding/json does with
// HTML escaping (safeJSON), so a chart option written by hand equals
// go-echarts' (fastchart.go) and a block cannot end its <script> element.
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
			case '"', '\\':
				w.WriteByte('\\')
				w.WriteByte(c)
			case '\b':
				w.WriteString(`\b`)
			case '\f':
				w.WriteString(`\f`)
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
	var buf [64]byte
	b, d, ok := ms.appendColFormat(buf[:0], f, v, dec)
	return string(b), d, ok
}

// appendColFormat appends colFormat's text to dst.
func (ms *messages) appendColFormat(dst []byte, f byte, v float64, dec int) ([]byte, int, bool) {
	switch {
	case f == 'n':
		return ms.appendNum(dst, v, dec), dec, true
	case f >= '0' && f <= '9':
		d := int(f - '0')
		return ms.appendNum(dst, v, d), d, true
	case f == 'p':
		return append(ms.appendNum(dst, v, 1), '%'), 1, true
	case f == 's':
		return ms.appendSignedPct(dst, v), 1, true
	}
	return dst, 0, false
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

// addJSONBytes is addJSON of js's text, copied only when the list does
// not hold it yet.
func (l *jsonList) addJSONBytes(js []byte) int {
	if i, ok := l.idx[string(js)]; ok {
		return i
	}
	return l.addJSON(string(js))
}

// array returns the list as a JSON array.
func (l *jsonList) array() []byte {
	return append(append([]byte{'['}, l.w.Bytes()...), ']')
}

// siteUnits is the site's unit list for "u" columns: each unit's name and
// page, and the index of each page.
type siteUnits struct {
	names, pages []string
	keys         []string       // search keys (a large cluster's), or nil
	idx          map[string]int // page → index
}

func newSiteUnits(names, pages []string) *siteUnits {
	su := &siteUnits{names: names, pages: pages, idx: map[string]int{}}
	for i, p := range pages {
		su.idx[p] = i
	}
	return su
}

// json is the list as JSON: [[name, page]…], or [[name, page, key]…].
func (su *siteUnits) json() []byte {
	var w jsonw
	w.WriteByte('[')
	for i := range su.names {
		if i > 0 {
			w.WriteByte(',')
		}
		w.WriteByte('[')
		w.str(su.names[i])
		w.WriteByte(',')
		w.str(su.pages[i])
		if i < len(su.keys) {
			w.WriteByte(',')
			w.str(su.keys[i])
		}
		w.WriteByte(']')
	}
	w.WriteByte(']')
	return w.Bytes()
}

// unitsFile is data/units.js, the site's unit list for the period files.
func (su *siteUnits) file() []byte {
	return defuseJSON(append(append([]byte("thidua.units("), su.json()...), ");\n"...))
}

// blockEnc encodes the non-default periods of a page.
type blockEnc struct {
	ms      *messages
	units   *siteUnits
	w       *jsonw
	heads   jsonList // the page's table heads
	strs    jsonList // interned strings (figure labels, measures)
	cells   jsonList // interned cells
	classes jsonList // classes of numbers
	// usedUnits: some cell referred to the unit list.
	usedUnits bool
	tmp       jsonw
}

func newBlockEnc(ms *messages, units *siteUnits) *blockEnc {
	return &blockEnc{ms: ms, units: units, w: &jsonw{}}
}

func (e *blockEnc) intern(s string) int {
	return e.strs.add(s, func(w *jsonw) { w.str(s) })
}

func (e *blockEnc) head(h []th) int {
	k := &e.tmp
	k.Reset()
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
	return e.heads.addJSONBytes(k.Bytes())
}

func (e *blockEnc) ints(key string, xs []int) {
	if len(xs) == 0 {
		return
	}
	w := e.w
	w.WriteString(`,"` + key + `":[`)
	for i, d := range xs {
		if i > 0 {
			w.WriteByte(',')
		}
		w.WriteString(strconv.Itoa(d))
	}
	w.WriteByte(']')
}

func (e *blockEnc) table(t *table) {
	w := e.w
	w.WriteString(`{"id":`)
	w.str(t.ID)
	w.WriteString(`,"csv":`)
	w.str(t.CSV)
	w.WriteString(`,"caption":`)
	w.str(t.Caption)
	w.WriteString(`,"head":`)
	w.WriteString(strconv.Itoa(e.head(t.Head)))
	if t.Fmt != "" {
		w.WriteString(`,"fmt":`)
		w.str(t.Fmt)
	}
	e.ints("dec", t.Dec)
	e.ints("of", t.Of)
	rows := func(rs [][]cell, dec, of func(int) int) {
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
				e.cell(&r[j], f, dec(i), of(i))
			}
			w.WriteByte(']')
		}
		w.WriteByte(']')
	}
	if t.Page > 0 {
		w.WriteString(`,"page":`)
		w.WriteString(strconv.Itoa(t.Page))
	}
	e.ints("bin", t.Bins)
	w.WriteString(`,"rows":`)
	rows(t.Rows, t.rowDec, t.rowOf)
	if len(t.Foot) > 0 {
		if t.FootDec != 0 {
			w.WriteString(`,"footDec":`)
			w.WriteString(strconv.Itoa(t.FootDec))
		}
		w.WriteString(`,"foot":`)
		rows(t.Foot, func(int) int { return t.FootDec }, func(int) int { return 0 })
	}
	w.WriteByte('}')
}

// rankChange is a rank change as shown: ▲ +3 (up), ▼ -3 (down), = 0.
func rankChange(v int) (text, class string) {
	var buf [32]byte
	b, class := appendRankChange(buf[:0], v)
	return string(b), class
}

// appendRankChange appends rankChange's text to dst.
func appendRankChange(dst []byte, v int) ([]byte, string) {
	switch {
	case v > 0:
		return strconv.AppendInt(append(dst, "▲ +"...), int64(v), 10), "up"
	case v < 0:
		return strconv.AppendInt(append(dst, "▼ "...), int64(v), 10), "down"
	}
	return append(dst, "= 0"...), ""
}

// bare returns the number a cell of a column of format f (row decimals
// dec, rank denominator of) is sent as, when site.js shows that number as
// c's text (its class is then sent beside it): lit is its JSON text.
func (e *blockEnc) bare(c *cell, f byte, dec, of int) (lit string, ok bool) {
	if c.Title != "" || c.Spark != nil {
		return "", false
	}
	if f == 'u' {
		if c.Href == "" || c.V != "" || c.Class != "" || e.units == nil {
			return "", false
		}
		i, ok := e.units.idx[c.Href]
		if !ok || e.units.names[i] != c.Text {
			return "", false
		}
		return strconv.Itoa(i), true
	}
	if c.Href != "" || c.V == "" {
		return "", false
	}
	if c.lit != 0 && litFits(c, f, dec) && bareClass(c.Class) {
		// (proved where the cell was made: litFixed)
		if checkBare {
			if lit, ok := e.checkedBare(c, f, dec, of); !ok || lit != c.V {
				panic(fmt.Sprintf("dashboards: cell %+v of format %c (decimals %d) is not bare: %q %v", *c, f, dec, lit, ok))
			}
		}
		return c.V, true
	}
	return e.checkedBare(c, f, dec, of)
}

// checkBare makes bare check the cells proved bare where they were made
// (cell.lit) as it checks the others, and panic where the two differ
// (set by the package's tests).
var checkBare = false

// litFits reports whether c's text is its number as a column of format f
// shows it with row decimals dec (cell.lit).
func litFits(c *cell, f byte, dec int) bool {
	switch {
	case f == 'n':
		return c.lit == 'n' && int(c.litDec) == dec
	case f >= '0' && f <= '9':
		return c.lit == 'n' && c.litDec == int8(f-'0')
	case f == 'p', f == 's':
		return c.lit == f
	}
	return false
}

// bareClass reports whether a bare number may carry the class cls.
func bareClass(cls string) bool {
	switch cls {
	case "", "good", "close", "bad", "up", "down":
		return true
	}
	return false
}

// checkedBare is bare of a cell of a number, checked by formatting it as
// site.js does.
func (e *blockEnc) checkedBare(c *cell, f byte, dec, of int) (lit string, ok bool) {
	var buf [64]byte
	v, err := strconv.ParseFloat(c.V, 64)
	if err != nil || string(strconv.AppendFloat(buf[:0], v, 'f', -1, 64)) != c.V { // jsNumber(v) != c.V
		return "", false
	}
	// (c.V is then the number as JavaScript writes it: the literal)
	switch f {
	case 'r':
		ok = c.Class == "" && v == math.Trunc(v) && v > 0 && v < 1e9 && of > 0 && string(appendRank(buf[:0], int(v), of)) == c.Text
		return c.V, ok
	case 'c':
		if v != math.Trunc(v) || math.Abs(v) >= 1e9 {
			return "", false
		}
		text, class := appendRankChange(buf[:0], int(v))
		return c.V, string(text) == c.Text && class == c.Class
	}
	if !bareClass(c.Class) {
		return "", false
	}
	text, d, ok := e.ms.appendColFormat(buf[:0], f, v, dec)
	return c.V, ok && string(text) == c.Text && compactable(v, d)
}

// cell writes c in the shortest encoding that site.js turns back into the
// same <td>.
func (e *blockEnc) cell(c *cell, f byte, dec, of int) {
	w := e.w
	plain := c.Title == "" && c.Href == "" && c.Spark == nil
	if plain && c.V == "" && c.Class == "" && len(c.Text) <= 4 {
		w.str(c.Text)
		return
	}
	if plain && c.V == "" && c.Class == "na" && c.Text == "—" {
		w.WriteString("null")
		return
	}
	if lit, ok := e.bare(c, f, dec, of); ok {
		switch {
		case f == 'u':
			e.usedUnits = true
			w.WriteString(lit)
		case f == 'c' || c.Class == "":
			w.WriteString(lit)
		default:
			k, ok := e.classes.idx[c.Class]
			if !ok {
				k = e.classes.add(c.Class, func(w *jsonw) { w.str(c.Class) })
			}
			w.WriteByte('[')
			w.WriteString(lit)
			w.WriteByte(',')
			w.WriteString(strconv.Itoa(k))
			w.WriteByte(']')
		}
		return
	}
	if c.Spark != nil && c.Text == "" && c.V == "" && c.Class == "" && c.Title == "" && c.Href == "" {
		w.WriteByte('[')
		w.str(c.Spark.Series)
		w.WriteByte(',')
		w.WriteString(strconv.Itoa(c.Spark.End))
		w.WriteByte(']')
		return
	}
	// Other cells (names with links, measures, marked values) repeat from
	// period to period: they are written once, in the cell list.
	real := w
	w = &e.tmp
	w.Reset()
	w.WriteString(`{"text":`)
	w.str(c.Text)
	if c.V != "" {
		w.WriteString(`,"v":`)
		w.str(c.V)
	}
	if c.Class != "" {
		w.WriteString(`,"cls":`)
		w.str(c.Class)
	}
	if c.Title != "" {
		w.WriteString(`,"title":`)
		w.str(c.Title)
	}
	if c.Href != "" {
		w.WriteString(`,"href":`)
		w.str(c.Href)
	}
	if c.Spark != nil {
		w.WriteString(`,"spark":[`)
		w.str(c.Spark.Series)
		w.WriteByte(',')
		w.WriteString(strconv.Itoa(c.Spark.End))
		w.WriteByte(']')
	}
	w.WriteByte('}')
	i := e.cells.addJSONBytes(w.Bytes())
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

// period writes one period's block.
func (e *blockEnc) period(pv *periodView) {
	w := e.w
	w.WriteString(`{"tables":[`)
	for i := range pv.Tables {
		if i > 0 {
			w.WriteByte(',')
		}
		e.table(&pv.Tables[i])
	}
	w.WriteByte(']')
	e.strings("notes", pv.Notes)
	e.strings("lines", pv.Lines)
	if pv.LinesTable != nil {
		w.WriteString(`,"linesTable":`)
		e.table(pv.LinesTable)
	}
	if len(pv.Figures) > 0 {
		w.WriteString(`,"figures":[`)
		for i, f := range pv.Figures {
			if i > 0 {
				w.WriteByte(',')
			}
			w.WriteString(`{"label":`)
			w.WriteString(strconv.Itoa(e.intern(f.Label)))
			w.WriteString(`,"value":`)
			w.str(f.Value)
			w.WriteString(`,"measure":`)
			w.WriteString(strconv.Itoa(e.intern(f.Measure)))
			for _, kv := range [][2]string{{"change", f.Change}, {"note", f.Note}, {"cls", f.Class}} {
				if kv[1] != "" {
					w.WriteString(`,"` + kv[0] + `":`)
					w.str(kv[1])
				}
			}
			w.WriteByte('}')
		}
		w.WriteByte(']')
	}
	w.WriteByte('}')
}

// encoded is what blockEnc wrote for some articles: the blocks and the
// lists they refer to.
type encoded struct {
	blocks, heads, strs, cells, classes []byte
	usedUnits                           bool
}

// lists writes the members "heads", "strs", "cells" and "classes" (each
// preceded by a comma).
func (x encoded) lists(w *jsonw) {
	w.WriteString(`,"heads":`)
	w.Write(x.heads)
	w.WriteString(`,"strs":`)
	w.Write(x.strs)
	w.WriteString(`,"cells":`)
	w.Write(x.cells)
	w.WriteString(`,"classes":`)
	w.Write(x.classes)
}

// articles writes {"ARTICLE-ID":{"PERIOD":block,…},…} for the periods that
// are not the default, with the lists they refer to.
func (e *blockEnc) articles(arts []*article) encoded {
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
			// (a large cluster's default period: every row, beyond the
			// HTML's first page)
			if pv.Default && !testDefaultBlocks && !a.Search {
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
	return encoded{blocks: w.Bytes(), heads: e.heads.array(), strs: e.strs.array(), cells: e.cells.array(),
		classes: e.classes.array(), usedUnits: e.usedUnits}
}

// pagedTables are a's paged tables that are not a period's (a large
// cluster's quality page: findings, completeness by period type).
func (a *article) pagedTables() []*table {
	var ts []*table
	for i := range a.Tables {
		ts = append(ts, &a.Tables[i])
	}
	for i := range a.Types {
		for j := range a.Types[i].Tables {
			ts = append(ts, &a.Types[i].Tables[j])
		}
	}
	out := ts[:0]
	for _, t := range ts {
		if t.Page > 0 {
			out = append(out, t)
		}
	}
	return out
}

// pagedTables writes [table…], every row of arts' paged tables that are
// not a period's, and reports whether there was any.
func (e *blockEnc) pagedTables(arts []*article) ([]byte, bool) {
	start := e.w.Len()
	e.w.WriteByte('[')
	n := 0
	for _, a := range arts {
		for _, t := range a.pagedTables() {
			if n > 0 {
				e.w.WriteByte(',')
			}
			n++
			e.table(t)
		}
	}
	e.w.WriteByte(']')
	return append([]byte(nil), e.w.Bytes()[start:]...), n > 0
}

// lists returns what e wrote so far's lists.
func (e *blockEnc) lists() encoded {
	return encoded{heads: e.heads.array(), strs: e.strs.array(), cells: e.cells.array(),
		classes: e.classes.array(), usedUnits: e.usedUnits}
}

// rowsFileMax is what a rows file may weigh: a table whose rows pass it
// is cut in parts of its rows (a variable for tests).
var rowsFileMax = 64 << 10

// rowsFiles are the scripts that bring every row of a page's paged tables
// that are not a period's (data/PAGE.rows.N.js): each
// thidua.rows("BASE64"), the JSON document
// {"tables":[table…],"heads","strs","cells","classes"} packed like a
// period file, at most rowsFileMax bytes unless one row passes it. A table
// too large for one file comes in parts of its rows, in order, in files
// that follow each other (site.js joins them), the footer with the first.
func rowsFiles(a *article, ms *messages, units *siteUnits) [][]byte {
	var out [][]byte
	var cut func(t *table)
	cut = func(t *table) {
		b := rowsFile([]*table{t}, ms, units)
		if len(b) <= rowsFileMax || len(t.Rows) < 2 {
			out = append(out, b)
			return
		}
		h := len(t.Rows) / 2
		first, second := t.rowsPart(0, h), t.rowsPart(h, len(t.Rows))
		second.Foot = nil
		cut(first)
		cut(second)
	}
	for _, t := range a.pagedTables() {
		cut(t)
	}
	return out
}

// rowsPart is t with its rows i…j-1 (and theirs of the per-row lists).
func (t *table) rowsPart(i, j int) *table {
	p := *t
	p.Rows = t.Rows[i:j]
	perRow := func(xs []int) []int {
		if len(xs) <= 1 {
			return xs
		}
		return xs[i:j]
	}
	p.Dec, p.Of, p.Bins = perRow(t.Dec), perRow(t.Of), perRow(t.Bins)
	return &p
}

// rowsFile is one rows file (see rowsFiles) of tables ts.
func rowsFile(ts []*table, ms *messages, units *siteUnits) []byte {
	e := newBlockEnc(ms, units)
	e.w.WriteByte('[')
	for i, t := range ts {
		if i > 0 {
			e.w.WriteByte(',')
		}
		e.table(t)
	}
	e.w.WriteByte(']')
	tables := append([]byte(nil), e.w.Bytes()...)
	var w jsonw
	w.WriteString(`{"tables":`)
	w.Write(tables)
	e.lists().lists(&w)
	w.WriteByte('}')
	return packedScript(nil, "thidua.rows(\"", defuseJSON(w.Bytes()), "\");\n")
}
