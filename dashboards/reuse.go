package dashboards

import (
	"bytes"
	"context"
	"crypto/sha256"
	"debug/elf"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/thidua/thidua"
	"github.com/thidua/thidua/internal/keep"
)

// periodKeysFile (in dataDir) holds the key of each period whose files a
// site holds, for the next rendering to tell which it can keep.
const periodKeysFile = "periods.json"

// periodKeys is the key of each period of the site: what its period
// files are made from. rows are the database's keys of its indicator_pop
// rows (nil: no period is ever kept); the key adds the period's scores and
// award proposals and what every file depends on: the cluster's
// configuration (units, indicators, names, rules), the options, and this
// executable (its code, templates and messages). A period without a key
// is always rendered. "@YEAR" lists the periods of each year: a period
// file holds a few of a year's periods (siteRun.periodFiles), kept only
// when its year has the same periods (the same files) as before.
func periodKeys(rows map[string]string, r thidua.Report, ix *index, o Options) map[string]string {
	if rows == nil {
		return nil
	}
	exe := exeHash()
	if exe == "" {
		return nil
	}
	site := sha256.New()
	cl, err := json.Marshal(r.Cluster)
	if err != nil {
		return nil
	}
	fmt.Fprintf(site, "thidua period files\x00%s\x00%s\x00%d\x00%t\x00", exe, o.Lang, o.LargeCluster, r.Synthetic)
	site.Write(cl)
	siteSum := site.Sum(nil)
	keys := map[string]string{}
	for _, p := range ix.periods {
		k, ok := rows[p.String()]
		if !ok {
			continue
		}
		js, err := json.Marshal(struct {
			Scores    []thidua.ScoreRow
			Proposals []thidua.Proposal
		}{ix.scores[p], r.Proposals[p]})
		if err != nil {
			continue // (a value JSON cannot hold: rendered every time)
		}
		h := sha256.New()
		h.Write(siteSum)
		fmt.Fprintf(h, "\x00%s\x00%s\x00", p, k)
		h.Write(js)
		keys[p.String()] = hex.EncodeToString(h.Sum(nil))
	}
	for _, p := range ix.periods {
		y := "@" + strconv.Itoa(p.Year)
		if keys[y] != "" {
			keys[y] += " "
		}
		keys[y] += p.String()
	}
	return keys
}

var exeOnce struct {
	sync.Once
	sum string
}

// exeHash identifies the running executable ("" if it cannot be read): a
// period file kept from an earlier site was made by the same code. It is
// the Go build ID the linker wrote into the file (exeBuildID: its last
// part a hash of the whole linked file), else the SHA-256 of the file (a
// binary linked with an empty -buildid; hashing the 120 MB file cost 0.1
// CPU-s a run).
func exeHash() string {
	exeOnce.Do(func() {
		path, err := os.Executable()
		if err != nil {
			return
		}
		f, err := os.Open(path)
		if err != nil {
			return
		}
		defer f.Close()
		if id := exeBuildID(f); id != "" {
			exeOnce.sum = "go-build-id:" + id
			return
		}
		if _, err := f.Seek(0, io.SeekStart); err != nil {
			return
		}
		h := sha256.New()
		if _, err := io.Copy(h, f); err != nil {
			return
		}
		exeOnce.sum = hex.EncodeToString(h.Sum(nil))
	})
	return exeOnce.sum
}

// buildIDScan is how much of a non-ELF executable exeBuildID looks at: the
// Go linker puts the build ID at the start of the text segment, within the
// first 32 KB (cmd/go reads as much).
const buildIDScan = 64 << 10

// exeBuildID returns the Go build ID of the executable f: an ELF file's
// .note.go.buildid note, else the ID the linker writes at the start of the
// text segment ("\xff Go build ID: \"ID\"\n \xff"). It returns "" unless
// the ID has the form go build gives it (action and content hashes
// separated by "/": the content hash changes with any byte of the linked
// file, embedded templates and messages included).
func exeBuildID(f io.ReaderAt) string {
	var id string
	if ef, err := elf.NewFile(f); err == nil {
		if sec := ef.Section(".note.go.buildid"); sec != nil && sec.Size <= 4096 {
			if note, err := sec.Data(); err == nil {
				id = goNote(note, ef.ByteOrder)
			}
		}
	} else {
		head := make([]byte, buildIDScan)
		n, _ := f.ReadAt(head, 0)
		id = textBuildID(head[:n])
	}
	parts := strings.Split(id, "/")
	if len(parts) < 2 {
		return ""
	}
	for _, p := range parts {
		if len(p) < 16 {
			return ""
		}
	}
	return id
}

// goNote is the build ID of a Go ELF note: name size, description size and
// type (4 bytes each), the name "Go" padded to 4 bytes, the ID.
func goNote(note []byte, bo binary.ByteOrder) string {
	if len(note) < 16 || bo.Uint32(note) != 4 || bo.Uint32(note[8:]) != 4 || string(note[12:16]) != "Go\x00\x00" {
		return ""
	}
	n := bo.Uint32(note[4:])
	if uint64(n) > uint64(len(note)-16) {
		return ""
	}
	return string(note[16 : 16+n])
}

// textBuildID finds the build ID as the linker writes it at the start of
// the text segment.
func textBuildID(head []byte) string {
	const prefix, suffix = "\xff Go build ID: \"", "\"\n \xff"
	i := bytes.Index(head, []byte(prefix))
	if i < 0 {
		return ""
	}
	rest := head[i+len(prefix):]
	j := bytes.Index(rest, []byte(suffix))
	if j < 0 || j > 1024 {
		return ""
	}
	return string(rest[:j])
}

// writePeriodKeys writes keys to dir's data/periods.json (nothing when
// keys is nil), sorted: the same bytes for the same keys.
func writePeriodKeys(dir string, keys map[string]string) error {
	if keys == nil {
		return nil
	}
	ps := make([]string, 0, len(keys))
	for p := range keys {
		ps = append(ps, p)
	}
	sort.Strings(ps)
	var w jsonw
	w.WriteString("{\n")
	for i, p := range ps {
		w.WriteString("  ")
		w.str(p)
		w.WriteString(": ")
		w.str(keys[p])
		if i < len(ps)-1 {
			w.WriteByte(',')
		}
		w.WriteByte('\n')
	}
	w.WriteString("}\n")
	if err := os.WriteFile(filepath.Join(dir, dataDir, periodKeysFile), w.Bytes(), 0o644); err != nil {
		return fmt.Errorf("dashboards: %w", err)
	}
	return nil
}

// readPeriodKeys reads the period keys of the site in prev: none when
// prev is "", is not a folder (a link is not followed), or has no
// readable keys file.
func readPeriodKeys(prev string) map[string]string {
	keys := map[string]string{}
	if prev == "" || !realDir(prev) { // keep.ReadFile checks data/ and the file
		return keys
	}
	b, err := keep.ReadFile(filepath.Join(prev, dataDir), periodKeysFile)
	if err != nil || json.Unmarshal(b, &keys) != nil {
		return map[string]string{}
	}
	return keys
}

func realDir(p string) bool {
	fi, err := os.Lstat(p)
	return err == nil && fi.IsDir()
}

// takeOver links the regular file from to the new name to (or copies it
// where the file system cannot link); false when from is missing, not a
// regular file (a link is never followed) or cannot be taken over.
func takeOver(from, to string) bool {
	return keep.File(from, to) == nil
}

// overRows is the source of a site rendered over an earlier one, where a
// page reads whole only the periods whose files it renders (siteRun.whole:
// a new month's year) and every other period shaped (thidua.PopQuery.Shape,
// for its trends, sparklines and completeness). Each page group's query
// scanned the whole table for those few columns (at 150 units × 35
// indicators × 111 periods, 87 queries read 1.65 million rows for a table
// of 525,000): overRows reads the rows once, with two queries, and serves
// every page's from memory. It holds
//   - the rows of the periods some page reads whole (wset), whole, in src's
//     order, when they are at most overWholeRows rows;
//   - the shaped rows of every other period, compactly (overRow), when the
//     site's units × indicators × periods are at most overShapedCells (read
//     without a PopRow each where src can: valueRows).
//
// Each part past its bound is read from src per query, as without
// overRows. The rows served are the rows src gives for the same query:
// shaped rows in any order, whole ones (Whole nil) in src's order, and
// unit by unit for a query by unit (ByUnit: the unit pages' feed), served
// from memory when o holds every row it selects, else read from src.
type overRows struct {
	src   Rows
	wset  map[thidua.Period]bool
	wlist []thidua.Period
	big   bool // the shaped rows are past overShapedCells: not held
	bigW  bool // the whole rows are past overWholeRows: not held
	once  sync.Once
	err   error
	// whole and shaped are made with room for wholeCap and shapedCap
	// rows, the site's units × indicators × periods: no slack when the
	// table has a row for each.
	wholeCap, shapedCap int
	whole               []thidua.PopRow
	codes               []string // unit and indicator codes of the shaped rows
	shaped              []overRow
	ps                  []thidua.Period // shaped's periods (overRow.p), in the order first read
	// For queries by unit (thidua.PopQuery.ByUnit): the positions of each
	// unit's whole rows in whole, and of its shaped rows (by code index).
	wholeBy map[string][]int32
	// wholeByInd: the positions of each indicator's whole rows in whole.
	wholeByInd map[string][]int32
	idx        map[string]int32
	shapedBy   map[int32][]int32
	// Where codes and ps are in the site's index (mapTo, for fillShaped).
	mapOnce    sync.Once
	cu, ci, cp []int32
}

// overRow is a shaped row: its unit's and indicator's codes (indexes in
// overRows.codes), its period (in overRows.ps), value and completeness.
type overRow struct {
	u, i, p  int32
	v        float64
	ok, comp bool
}

// overShapedCells bounds the shaped rows overRows holds (≈ 28 bytes each
// with the by-unit index, 28 MB), overWholeRows the whole ones (≈ 450 bytes
// each, 22 MB).
const overShapedCells = 1_000_000

var overWholeRows = 2 * unitRowBudget

// overSource is src for the site s renders over an earlier one: overRows
// when some period is read whole by no page, src itself otherwise.
func (s *siteRun) overSource(src Rows) Rows {
	set := map[thidua.Period]bool{}
	for _, kind := range []string{"overview", "indicator", "unit", "rows"} {
		ws := s.whole(kind)
		if ws == nil {
			return src
		}
		for _, p := range ws {
			set[p] = true
		}
	}
	ix := s.ix
	if len(set) == len(ix.periods) {
		return src
	}
	o := &overRows{src: src, wset: set}
	for _, p := range ix.periods {
		if set[p] {
			o.wlist = append(o.wlist, p)
		}
	}
	cells := len(ix.units) * len(ix.inds)
	o.big = cells*len(ix.periods) > overShapedCells
	o.bigW = cells*len(o.wlist) > overWholeRows
	all := len(ix.units) * len(ix.r.Cluster.Indicators) // (hidden ones' rows too)
	o.wholeCap, o.shapedCap = all*len(o.wlist), all*(len(ix.periods)-len(o.wlist))
	if o.big && o.bigW {
		return src
	}
	return o
}

// load reads what o holds.
func (o *overRows) load(ctx context.Context) error {
	o.once.Do(func() {
		if !o.bigW {
			o.whole = make([]thidua.PopRow, 0, o.wholeCap)
			o.err = o.src.EachPopRows(ctx, thidua.PopQuery{Periods: o.wlist}, func(rows []thidua.PopRow) error {
				o.whole = append(o.whole, rows...)
				return nil
			})
			if o.err != nil {
				return
			}
			o.wholeBy, o.wholeByInd = map[string][]int32{}, map[string][]int32{}
			for k := range o.whole {
				o.wholeBy[o.whole[k].Unit] = append(o.wholeBy[o.whole[k].Unit], int32(k))
				o.wholeByInd[o.whole[k].Indicator] = append(o.wholeByInd[o.whole[k].Indicator], int32(k))
			}
		}
		if o.big {
			return
		}
		idx := map[string]int32{}
		o.idx = idx
		defer func() {
			if o.err != nil {
				return
			}
			o.shapedBy = map[int32][]int32{}
			for k, r := range o.shaped {
				o.shapedBy[r.u] = append(o.shapedBy[r.u], int32(k))
			}
		}()
		code := func(c string) int32 {
			k, ok := idx[c]
			if !ok {
				k = int32(len(o.codes))
				idx[c] = k
				o.codes = append(o.codes, c)
			}
			return k
		}
		o.shaped = make([]overRow, 0, o.shapedCap)
		pidx := map[thidua.Period]int32{}
		add := func(unit, ind string, p thidua.Period, v thidua.Num, complete bool) error {
			if o.wset[p] {
				return nil
			}
			pi, ok := pidx[p]
			if !ok {
				pi = int32(len(o.ps))
				pidx[p] = pi
				o.ps = append(o.ps, p)
			}
			o.shaped = append(o.shaped, overRow{u: code(unit), i: code(ind), p: pi, v: v.V, ok: v.OK, comp: complete})
			return nil
		}
		if vs, ok := o.src.(valueRows); ok {
			o.err = vs.EachPopValue(ctx, add)
			return
		}
		o.err = o.src.EachPopRows(ctx, thidua.PopQuery{Whole: []thidua.Period{}}, func(rows []thidua.PopRow) error {
			for i := range rows {
				r := &rows[i]
				if err := add(r.Unit, r.Indicator, r.Period, r.Value, r.Complete); err != nil {
					return err
				}
			}
			return nil
		})
	})
	return o.err
}

// valueRows is a source that reads the rows of every period shaped
// without a PopRow each (store.DB does): every unit row's unit, indicator,
// period, value and completeness, in any order, as
// PopQuery{Whole: []thidua.Period{}} gives them.
type valueRows interface {
	EachPopValue(ctx context.Context, fn func(unit, indicator string, p thidua.Period, v thidua.Num, complete bool) error) error
}

// EachPopRows passes the rows q selects to fn, as src would.
func (o *overRows) EachPopRows(ctx context.Context, q thidua.PopQuery, fn func([]thidua.PopRow) error) error {
	return o.eachPopRows(ctx, q, fn, true)
}

// eachPopRows is EachPopRows, without the held shaped rows unless shaped
// is set (the site's pages take them from fillShaped). Rows read from src
// come whatever shaped says: a cell with a row and a shaped cell both
// hold the same row's value and completeness.
func (o *overRows) eachPopRows(ctx context.Context, q thidua.PopQuery, fn func([]thidua.PopRow) error, shaped bool) error {
	if q.ByUnit && (q.Whole == nil || o.big || o.bigW) {
		// (unit by unit from memory only where o holds every row)
		return o.src.EachPopRows(ctx, q, fn)
	}
	if q.Whole == nil {
		// Every row whole, in src's order: held when they are all of
		// the held whole periods.
		if o.bigW || q.Periods == nil || !allIn(q.Periods, o.wset) {
			return o.src.EachPopRows(ctx, q, fn)
		}
		if err := o.load(ctx); err != nil {
			return err
		}
		return o.emitWhole(q, fn)
	}
	if err := o.load(ctx); err != nil {
		return err
	}
	// From src: the periods o does not hold, of those q selects.
	var fromSrc []thidua.Period
	held := func(p thidua.Period) bool {
		if o.wset[p] {
			return !o.bigW
		}
		return !o.big && !q.WholeAt(p)
	}
	if q.Periods != nil {
		for _, p := range q.Periods {
			if !held(p) {
				fromSrc = append(fromSrc, p)
			}
		}
	} else {
		if o.big {
			// (every period but those held whole: not a query src takes)
			return o.src.EachPopRows(ctx, q, fn)
		}
		for _, p := range q.Whole {
			if !o.wset[p] {
				fromSrc = append(fromSrc, p)
			}
		}
		if o.bigW {
			fromSrc = append(fromSrc, o.wlist...)
		}
	}
	if q.ByUnit {
		if len(fromSrc) > 0 {
			return o.src.EachPopRows(ctx, q, fn)
		}
		return o.emitByUnit(q, fn, shaped)
	}
	if len(fromSrc) > 0 {
		sq := q
		sq.Periods = fromSrc
		if err := o.src.EachPopRows(ctx, sq, fn); err != nil {
			return err
		}
	}
	if !o.bigW {
		if err := o.emitWhole(q, fn); err != nil {
			return err
		}
	}
	if !o.big && shaped {
		return o.emitShaped(q, fn)
	}
	return nil
}

// fillShaped fills px's cells (index.cells) with the held shaped rows q
// selects, as emitShaped would pass them (none when o does not hold them:
// then they came as rows). A row of a unit, indicator or period the site
// does not list goes into px's rows by key, as index.page puts it.
func (o *overRows) fillShaped(ctx context.Context, q thidua.PopQuery, px *index) error {
	if err := o.load(ctx); err != nil {
		return err
	}
	if o.big {
		return nil
	}
	o.mapOnce.Do(func() { o.mapTo(px) })
	if px.cells == nil {
		px.cells = make([]shapedCell, len(px.grid))
	}
	sel := o.selected(q)
	put := func(r overRow) {
		ui, ii, pi := o.cu[r.u], o.ci[r.i], o.cp[r.p]
		if ui < 0 || ii < 0 || pi < 0 {
			row := thidua.PopRow{Unit: o.codes[r.u], Indicator: o.codes[r.i], Period: o.ps[r.p],
				Value: thidua.Num{V: r.v, OK: r.ok}, Complete: r.comp}
			px.pop[popKey{row.Unit, row.Indicator, row.Period}] = &row
			return
		}
		ui, ii, pi = ui-int32(px.u0), ii-int32(px.i0), pi-int32(px.p0)
		if ui < 0 || int(ui) >= px.nu || ii < 0 || int(ii) >= px.ni || pi < 0 || int(pi) >= px.np {
			return // (index.page keeps such a row by key only: never looked up)
		}
		px.cells[(int(ui)*px.ni+int(ii))*px.np+int(pi)] = shapedCell{v: thidua.Num{V: r.v, OK: r.ok}, comp: r.comp, set: true}
	}
	if q.Units != nil {
		// (unit by unit, from the by-unit index)
		wi := map[int32]bool{}
		for _, c := range q.Indicators {
			if k, ok := o.idx[c]; ok {
				wi[k] = true
			}
		}
		seen := map[string]bool{}
		for _, u := range q.Units {
			if seen[u] {
				continue
			}
			seen[u] = true
			k, ok := o.idx[u]
			if !ok {
				continue
			}
			for _, j := range o.shapedBy[k] {
				if r := o.shaped[j]; sel[r.p] && (q.Indicators == nil || wi[r.i]) {
					put(r)
				}
			}
		}
		return nil
	}
	var wi []bool
	if q.Indicators != nil {
		wi = make([]bool, len(o.codes))
		for i, c := range o.codes {
			wi[i] = q.SelectsIndicator(c)
		}
	}
	for _, r := range o.shaped {
		if sel[r.p] && (wi == nil || wi[r.i]) {
			put(r)
		}
	}
	return nil
}

// mapTo notes where o's codes and periods are in the site's index ix (-1:
// not the site's unit, indicator or period).
func (o *overRows) mapTo(ix *index) {
	o.cu, o.ci = make([]int32, len(o.codes)), make([]int32, len(o.codes))
	for k, c := range o.codes {
		o.cu[k], o.ci[k] = -1, -1
		if ui, ok := ix.uidx[c]; ok {
			o.cu[k] = int32(ui)
		}
		if ii, ok := ix.iidx[c]; ok {
			o.ci[k] = int32(ii)
		}
	}
	o.cp = make([]int32, len(o.ps))
	for k, p := range o.ps {
		o.cp[k] = -1
		if pi, ok := ix.pidx[p]; ok {
			o.cp[k] = int32(pi)
		}
	}
}

// emitWhole passes the held whole rows q selects, as q shapes them, in
// their order. A query of some indicators' rows looks only at theirs (an
// indicator page's group: 1 of 30 indicators at I).
func (o *overRows) emitWhole(q thidua.PopQuery, fn func([]thidua.PopRow) error) error {
	b := overBatch{fn: fn}
	if q.Indicators != nil && o.wholeByInd != nil {
		var at []int32
		seen := map[string]bool{}
		for _, c := range q.Indicators {
			if !seen[c] {
				seen[c] = true
				at = append(at, o.wholeByInd[c]...)
			}
		}
		slices.Sort(at)
		for _, k := range at {
			if r := &o.whole[k]; q.Match(*r) {
				if err := b.add(q.Shape(*r)); err != nil {
					return err
				}
			}
		}
		return b.flush()
	}
	for i := range o.whole {
		if r := &o.whole[i]; q.Match(*r) {
			if err := b.add(q.Shape(*r)); err != nil {
				return err
			}
		}
	}
	return b.flush()
}

// emitShaped passes the held shaped rows q selects (not of q.Whole).
func (o *overRows) emitShaped(q thidua.PopQuery, fn func([]thidua.PopRow) error) error {
	want := func(all bool, selects func(code string) bool) []bool {
		if all {
			return nil
		}
		w := make([]bool, len(o.codes))
		for i, c := range o.codes {
			w[i] = selects(c)
		}
		return w
	}
	wu, wi := want(q.Units == nil, q.SelectsUnit), want(q.Indicators == nil, q.SelectsIndicator)
	sel := o.selected(q)
	b := overBatch{fn: fn}
	for _, r := range o.shaped {
		if !sel[r.p] || wu != nil && !wu[r.u] || wi != nil && !wi[r.i] {
			continue
		}
		if err := o.emit(&b, r); err != nil {
			return err
		}
	}
	return b.flush()
}

// selected says which of o.ps q selects shaped: of q.Periods, not of
// q.Whole.
func (o *overRows) selected(q thidua.PopQuery) []bool {
	sel := make([]bool, len(o.ps))
	for pi, p := range o.ps {
		sel[pi] = !q.WholeAt(p) && q.SelectsPeriod(p)
	}
	return sel
}

// emit adds the shaped row r to b.
func (o *overRows) emit(b *overBatch, r overRow) error {
	row, err := b.next()
	if err != nil {
		return err
	}
	row.Unit, row.Indicator, row.Period = o.codes[r.u], o.codes[r.i], o.ps[r.p]
	row.Value, row.Complete = thidua.Num{V: r.v, OK: r.ok}, r.comp
	return nil
}

// emitByUnit passes the held rows q selects (whole, and shaped when shaped
// is set; none read from src) unit by unit, in the order of q.Units.
func (o *overRows) emitByUnit(q thidua.PopQuery, fn func([]thidua.PopRow) error, shaped bool) error {
	var wi map[int32]bool
	if q.Indicators != nil {
		wi = map[int32]bool{}
		for _, c := range q.Indicators {
			if k, ok := o.idx[c]; ok {
				wi[k] = true
			}
		}
	}
	sel := o.selected(q)
	b := overBatch{fn: fn}
	seen := map[string]bool{}
	for _, u := range q.Units {
		if seen[u] {
			continue
		}
		seen[u] = true
		for _, k := range o.wholeBy[u] {
			if r := &o.whole[k]; q.Match(*r) {
				if err := b.add(q.Shape(*r)); err != nil {
					return err
				}
			}
		}
		ui, ok := o.idx[u]
		if !ok || !shaped {
			continue
		}
		for _, k := range o.shapedBy[ui] {
			r := o.shaped[k]
			if !sel[r.p] || wi != nil && !wi[r.i] {
				continue
			}
			if err := o.emit(&b, r); err != nil {
				return err
			}
		}
	}
	return b.flush()
}

// overBatch passes rows to fn in batches of popBatch (fn may keep them).
type overBatch struct {
	fn   func([]thidua.PopRow) error
	rows []thidua.PopRow
}

const popBatch = 2048

func (b *overBatch) add(r thidua.PopRow) error {
	row, err := b.next()
	if err == nil {
		*row = r
	}
	return err
}

// next is a new zero row of the batch, for the caller to fill (a full
// batch is passed on first).
func (b *overBatch) next() (*thidua.PopRow, error) {
	if len(b.rows) == popBatch {
		if err := b.flush(); err != nil {
			return nil, err
		}
	}
	if b.rows == nil {
		b.rows = make([]thidua.PopRow, 0, popBatch)
	}
	b.rows = b.rows[:len(b.rows)+1]
	return &b.rows[len(b.rows)-1], nil
}

func (b *overBatch) flush() error {
	if len(b.rows) == 0 {
		return nil
	}
	rows := b.rows
	b.rows = nil
	return b.fn(rows)
}

func allIn(ps []thidua.Period, set map[thidua.Period]bool) bool {
	for _, p := range ps {
		if !set[p] {
			return false
		}
	}
	return true
}
