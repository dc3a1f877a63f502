// Package dashboards writes thidua's static dashboard site: an overview,
// a page per indicator, a page per unit and a data-quality page, in
// Vietnamese (default) or English, that work offline from file:// with the
// ECharts script shipped beside them and a Content-Security-Policy that
// forbids every network request.
//
// Chart options are built with go-echarts, but this package never lets
// go-echarts render HTML: its templates load scripts from a CDN, use random
// chart IDs and write option JSON into inline scripts unescaped. Instead the
// options of every period go, HTML-escaped, into one JSON data block that
// the site's own script (assets/site.js) reads and passes to ECharts.
package dashboards

import (
	"bytes"
	"compress/zlib"
	"context"
	"embed"
	"encoding/base64"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/thidua/thidua"
	"github.com/thidua/thidua/internal/workers"
)

//go:embed assets
var assetsFS embed.FS

//go:embed templates/*.html
var templateFS embed.FS

// ErrNoECharts is returned when the ECharts script or fflate (the inflate
// for browsers without DecompressionStream) was not fetched before the
// build (a plain `go build` of a fresh clone): its message says how to
// build thidua properly; the error ECharts returns names the missing file.
var ErrNoECharts = errors.New("dashboards: this build has no ECharts or no fflate (fetched from npm at build time, never committed): " +
	"build with `make build`, which fetches ECharts and fflate from npm and checks their sha256, or run scripts/fetch-echarts.sh and then go build")

// Options tune the site.
type Options struct {
	Lang string // "vi" (default) or "en"
	// SingleFile also writes the whole site as one self-contained HTML
	// file (scripts, data and styles inlined), SingleFileName, beside the
	// folder of pages.
	SingleFile bool
	// GeneratedAt is the time printed on every page; zero uses the
	// report's. Pin it for byte-identical output.
	GeneratedAt time.Time
	// LargeCluster is the number of units above which the overview's and
	// indicator pages' charts show the top and bottom units (TopUnits each)
	// and the distribution of every unit's value instead of one bar or
	// line per unit; 0 means DefaultLargeCluster.
	LargeCluster int
}

// DefaultLargeCluster is Options.LargeCluster's default.
const DefaultLargeCluster = 30

// TopUnits is how many units a large cluster's charts show at each end.
const TopUnits = 10

// echartsAsset and inflateAsset are the embedded paths of the ECharts
// script and of fflate (variables so that a test can pretend they were
// never fetched).
var echartsAsset, inflateAsset = "assets/echarts.min.js", "assets/fflate.min.js"

// SingleFileName is the file Render adds with Options.SingleFile.
const SingleFileName = "thidua.html"

// ECharts returns the embedded ECharts script, or ErrNoECharts when it or
// fflate (which the site needs too: see inflate) was not fetched.
func ECharts() ([]byte, error) {
	b, err := assetsFS.ReadFile(echartsAsset)
	if err != nil || len(b) == 0 {
		return nil, fmt.Errorf("%w (missing dashboards/%s)", ErrNoECharts, echartsAsset)
	}
	if _, err := inflate(); err != nil {
		return nil, err
	}
	return b, nil
}

// inflate returns the embedded fflate (its UMD build, which defines the
// global fflate), which site.js uses to unpack the packed period data
// where the browser has no DecompressionStream, or ErrNoECharts.
func inflate() ([]byte, error) {
	b, err := assetsFS.ReadFile(inflateAsset)
	if err != nil || len(b) == 0 {
		return nil, fmt.Errorf("%w (missing dashboards/%s)", ErrNoECharts, inflateAsset)
	}
	return b, nil
}

// csp is the Content-Security-Policy of the pages: nothing may be fetched
// from anywhere but the page's own folder (scripts, styles), images only as
// data: URLs (ECharts' save-as-PNG), and no connections at all.
func csp(scriptSrc string) string {
	return "default-src 'none'; script-src " + scriptSrc + "; style-src 'self' 'unsafe-inline'; img-src data: blob:; " +
		"font-src 'self'; connect-src 'none'; form-action 'none'; base-uri 'none'"
}

type navLink struct {
	Href, Text string
	Current    bool
}

type periodOption struct {
	Key, Label string
	Selected   bool
}

type periodGroup struct {
	Label   string
	Options []periodOption
}

type script struct {
	Src    string
	Inline template.JS
}

// page is what the layout template renders.
type page struct {
	Lang      string
	Title     string
	Cluster   string
	CSP       string
	Synthetic bool
	Generated string
	Nav       []navLink
	IndNav    []navLink
	UnitNav   []navLink
	Groups    []periodGroup
	// The menus' links and the period selector's options as the layout
	// writes them (navitem, periodgroups), made once for the site's pages
	// (siteRun.menus) instead of executed for each page.
	NavHTML, IndNavHTML, UnitNavHTML, PeriodHTML template.HTML
	Articles                                     []*article
	Data                                         template.JS
	CSS                                          template.CSS
	InlineCSS                                    bool
	Scripts                                      []script
	SingleFile                                   bool
	M                                            *messages
	// files are a page of the site's period files (siteRun.periodFiles);
	// series its files of sparkline series (siteRun.seriesFiles).
	files  [][]thidua.Period
	series [][]thidua.PeriodType
	// rowsParts is how many files every row of its paged tables that are
	// not a period's come in (rowsFiles).
	rowsParts int
	// prows writes where the page's periods' rows are (an indicator page
	// of a small cluster: siteRun.prowsPage), or is nil.
	prows func(w *jsonw)
}

// Rows reads the units' indicator_pop rows of one page (store.DB does,
// with one query per page).
//
// Rows passes the rows to fn a batch at a time as they are read (fn may
// keep a batch), so that a page's rows are never copied into one slice.
type Rows interface {
	EachPopRows(ctx context.Context, q thidua.PopQuery, fn func([]thidua.PopRow) error) error
}

// memRows serves PopRows from rows in memory (Render's source, and the
// tests' and benchmarks'), indexed by indicator, unit and period so that a
// page's query looks at that page's rows only, as the database's does,
// not at every row of the report.
type memRows struct {
	rows     []thidua.PopRow
	once     sync.Once
	byInd    map[string][]int
	byUnit   map[string][]int
	byPeriod map[thidua.Period][]int
}

func newMemRows(rows []thidua.PopRow) *memRows { return &memRows{rows: rows} }

func (m *memRows) index() {
	m.byInd, m.byUnit, m.byPeriod = map[string][]int{}, map[string][]int{}, map[thidua.Period][]int{}
	for i := range m.rows {
		r := &m.rows[i]
		m.byInd[r.Indicator] = append(m.byInd[r.Indicator], i)
		m.byUnit[r.Unit] = append(m.byUnit[r.Unit], i)
		m.byPeriod[r.Period] = append(m.byPeriod[r.Period], i)
	}
}

// PopRows returns the rows q matches, in the order of m's rows (by
// unit in the order of q.Units first with q.ByUnit).
func (m *memRows) PopRows(ctx context.Context, q thidua.PopQuery) ([]thidua.PopRow, error) {
	rows, err := m.popRows(ctx, q)
	if q.ByUnit {
		pos := make(map[string]int, len(q.Units))
		for i, u := range q.Units {
			pos[u] = i
		}
		sort.SliceStable(rows, func(i, j int) bool { return pos[rows[i].Unit] < pos[rows[j].Unit] })
	}
	return rows, err
}

func (m *memRows) popRows(_ context.Context, q thidua.PopQuery) ([]thidua.PopRow, error) {
	m.once.Do(m.index)
	// The positions of the rows of q's narrowest list (every row when q
	// has none), each checked by q.Match.
	var cand []int
	all := true
	narrow := func(lists [][]int) {
		n := 0
		for _, l := range lists {
			n += len(l)
		}
		if all || n < len(cand) {
			cand, all = cand[:0], false
			for _, l := range lists {
				cand = append(cand, l...)
			}
		}
	}
	lists := func(index map[string][]int, keys []string) [][]int {
		ls := make([][]int, len(keys))
		for i, k := range keys {
			ls[i] = index[k]
		}
		return ls
	}
	if q.Indicators != nil {
		narrow(lists(m.byInd, q.Indicators))
	}
	if q.Units != nil {
		narrow(lists(m.byUnit, q.Units))
	}
	if q.Periods != nil {
		ls := make([][]int, len(q.Periods))
		for i, p := range q.Periods {
			ls[i] = m.byPeriod[p]
		}
		narrow(ls)
	}
	var out []thidua.PopRow
	if all {
		for _, r := range m.rows {
			if q.Match(r) {
				out = append(out, q.Shape(r))
			}
		}
		return out, nil
	}
	sort.Ints(cand)
	out = make([]thidua.PopRow, 0, len(cand))
	for k, i := range cand {
		if (k == 0 || cand[k-1] != i) && q.Match(m.rows[i]) {
			out = append(out, q.Shape(m.rows[i]))
		}
	}
	return out, nil
}

// EachPopRows passes the rows q matches (PopRows) to fn in one batch.
func (m *memRows) EachPopRows(ctx context.Context, q thidua.PopQuery, fn func([]thidua.PopRow) error) error {
	rows, err := m.PopRows(ctx, q)
	if err != nil || len(rows) == 0 {
		return err
	}
	return fn(rows)
}

// Render writes the site for r into dir and returns the files written
// (pages and assets, in a fixed order). r holds every row in memory; see
// RenderRows for a site read from the database page by page.
func Render(dir string, r thidua.Report, o Options) ([]string, error) {
	meta, rows := splitReport(r)
	return RenderRows(context.Background(), dir, meta, rows, o)
}

// splitReport is r as RenderRows reads it: without the units' rows, which
// come from rows.
func splitReport(r thidua.Report) (thidua.Report, *memRows) {
	meta := r
	meta.Pop = nil
	meta.Periods = append([]thidua.Period(nil), r.Periods...)
	seen := map[thidua.Period]bool{}
	for _, row := range r.Pop {
		if row.IsCluster {
			meta.Pop = append(meta.Pop, row)
		}
		if !seen[row.Period] {
			seen[row.Period] = true
			meta.Periods = append(meta.Periods, row.Period)
		}
	}
	return meta, newMemRows(r.Pop)
}

// unitRowBudget bounds the indicator_pop rows a page's writer holds (a
// variable for tests): pages are read in groups of about this many rows,
// and a page with more rows over all its periods (an indicator's of many
// units, a unit's of many indicators) is read a group of periods at a
// time, its series over every period from a query of the values only
// (splitPage). Only where one period of a page passes it (the overview's:
// every unit and indicator) does a query read more: that period's rows.
//
// A row held is ≈ 450 bytes (thidua.PopRow), so a writer holds ≈ 11 MB
// of rows, two writers on two cores 22 MB. Measured on the dashboards of
// 700 units × 9 indicators × 48 months (a heap profile of RenderRowsOver
// on the run's database): 50,000 rows, a live heap of 105 MB and a peak
// RSS of 375 MB; 25,000, 68 MB and 276 MB; 20,000, 58 MB and 259 MB. A
// unit page of M (700 units × 105 indicators × 205 periods: 21,525 rows)
// stays one query: a query by unit scans the whole table (≈ 0.6 s at M),
// so splitting such pages would cost more than it saves.
var unitRowBudget = 25_000

// RenderRows writes the site into dir with the units' indicator_pop rows
// read from src one page at a time (the cluster's rows, the periods, the
// scores and the rest come with r, whose Pop holds the cluster rows): an
// indicator page reads its indicator's rows, unit pages a group of units'
// rows, the overview one period's rows at a time; each page is written
// before its rows are let go, a few pages in parallel.
func RenderRows(ctx context.Context, dir string, r thidua.Report, src Rows, o Options) ([]string, error) {
	files, _, err := RenderRowsOver(ctx, dir, "", nil, r, src, o)
	return files, err
}

// Reuse says how many period files (data/PAGE.FIRST.js) a site's
// rendering wrote and how many it took over from the site it replaces.
type Reuse struct {
	Written int `json:"period_files_written"`
	Kept    int `json:"period_files_kept"`
}

// RenderRowsOver is RenderRows over prev, the site dir replaces (the folder
// swapped out when dir is complete): with the database's key of each
// period's indicator_pop rows (store.PopPeriodKeys), a period file whose
// key did not change since prev was written (data/periods.json) is not
// rendered but taken over from prev (hard link, copy as fallback; links in
// prev are never followed). A period's key covers its rows, its scores
// and award proposals, the cluster's configuration, the options and this
// thidua executable; pages are always rendered (each lists every period
// and shows the newest), and so are the quality page's files (each shows
// its period type's whole completeness). Without keys or prev every file
// is rendered; the site is the same bytes either way.
func RenderRowsOver(ctx context.Context, dir, prev string, keys map[string]string, r thidua.Report, src Rows, o Options) ([]string, Reuse, error) {
	var reuse Reuse
	files, err := renderRows(ctx, dir, prev, keys, r, src, o, &reuse)
	return files, reuse, err
}

func renderRows(ctx context.Context, dir, prev string, keys map[string]string, r thidua.Report, src Rows, o Options, reuse *Reuse) ([]string, error) {
	s, err := newSiteRun(ctx, dir, r, src, o, reuse)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(filepath.Join(dir, dataDir), 0o755); err != nil {
		return nil, fmt.Errorf("dashboards: %w", err)
	}
	s.pkeys = periodKeys(keys, r, s.ix, s.o)
	if err := writePeriodKeys(dir, s.pkeys); err != nil {
		return nil, err
	}
	s.prev, s.old = prev, readPeriodKeys(prev)
	s.src = s.overSource(src)
	if err := os.WriteFile(filepath.Join(dir, dataDir, unitsFile), s.units.file(), 0o644); err != nil {
		return nil, fmt.Errorf("dashboards: %w", err)
	}
	jobs := s.jobs()
	if err := workers.Run(len(jobs), runtime.GOMAXPROCS(0), func(i int) error { return jobs[i]() }); err != nil {
		return nil, err
	}
	files, err := s.assets()
	if err != nil {
		return nil, err
	}
	files = append(s.fileList(), files...)
	if s.o.SingleFile {
		path, err := s.singleFile()
		if err != nil {
			return nil, err
		}
		files = append(files, path)
	}
	return files, nil
}

// neutralizeScriptEnd makes a script safe to inline in <script>: "</script"
// would end the element early, so its "</" becomes "<\/", which means the
// same inside JavaScript strings and regular expressions.
//
// It also turns CR LF and lone CR into LF, as the HTML parser does before a
// browser hashes an inline script for the CSP.
func neutralizeScriptEnd(s []byte) []byte {
	s = bytes.ReplaceAll(s, []byte("\r\n"), []byte("\n"))
	s = bytes.ReplaceAll(s, []byte("\r"), []byte("\n"))
	if !bytes.Contains(bytes.ToLower(s), []byte("</script")) && !bytes.Contains(s, []byte("<!--")) {
		return s
	}
	out := bytes.ReplaceAll(s, []byte("</script"), []byte(`<\/script`))
	out = bytes.ReplaceAll(out, []byte("</SCRIPT"), []byte(`<\/SCRIPT`))
	return bytes.ReplaceAll(out, []byte("<!--"), []byte(`<\!--`))
}

func (b *builder) periodGroups() []periodGroup {
	var gs []periodGroup
	for _, pt := range thidua.PeriodTypes {
		ps := b.ix.byType[pt]
		if len(ps) == 0 {
			continue
		}
		g := periodGroup{Label: b.ms.T("type_" + string(pt))}
		for i := len(ps) - 1; i >= 0; i-- { // latest first
			g.Options = append(g.Options, periodOption{Key: ps[i].String(), Label: b.ms.Period(ps[i]), Selected: ps[i] == b.ix.defaultP})
		}
		gs = append(gs, g)
	}
	return gs
}

// pageData is the JSON the site script reads: language, periods with
// their labels, the messages it needs, the charts (base option and
// per-period patches), the blocks of the periods not in the HTML, and the
// series their sparklines are drawn from. It is HTML-safe (see jsonw) and
// go-echarts' "__f__" marker is broken wherever it occurs.
func pageData(p page, ix *index, units *siteUnits, o Options) []byte {
	var w jsonw
	ms := p.M
	w.WriteString(`{"lang":`)
	w.str(o.Lang)
	w.WriteString(`,"single":`)
	w.WriteString(strconv.FormatBool(o.SingleFile))
	writePeriods(&w, ix, ms)
	writeMessages(&w, p.Articles, ms)
	if searchable(p.Articles) {
		writeFold(&w, p.Articles)
	}
	// A page of the site carries its default period; its periods are in
	// period files (periodFile) that site.js loads when one is chosen.
	periods := ix.periods
	if !o.SingleFile {
		periods = nil
		if ix.defaultP.Valid() {
			periods = []thidua.Period{ix.defaultP}
		}
		if p.prows != nil {
			p.prows(&w) // (no period file of its own)
		} else {
			writeFiles(&w, p.Articles[0].File, p.files, ix.periods)
		}
		if len(p.series) > 0 {
			// (period type: its series' file, named after its first type)
			w.WriteString(`,"seriesFiles":{`)
			n := 0
			for _, ts := range p.series {
				for _, t := range ts {
					if n > 0 {
						w.WriteByte(',')
					}
					n++
					w.str(string(t))
					w.WriteByte(':')
					w.str(string(ts[0]))
				}
			}
			w.WriteByte('}')
		}
	}
	writeCharts(&w, p.Articles, periods)
	if len(p.series) == 0 || testDefaultBlocks {
		// (a unit page of the site: in its series files; with
		// testDefaultBlocks, the default period's type's in the page too,
		// for the blocks it carries)
		writeSeries(&w, p.Articles)
	}
	usedUnits := writeBlocks(&w, p.Articles, ms, units, o.SingleFile, p.rowsParts)
	// The unit list the blocks' "u" columns refer to: in the page when it
	// carries blocks, else in data/units.js, loaded with the first period
	// file.
	if usedUnits {
		w.WriteString(`,"units":`)
		w.Write(units.json())
	} else if !o.SingleFile {
		w.WriteString(`,"unitsFile":`)
		w.str(dataDir + "/" + unitsFile)
	}
	w.WriteByte('}')
	return defuseJSON(w.Bytes())
}

// writeFiles writes where the period files of the page file are:
// "lazy", the start of their names, "files", the period each file is named
// after, and "fileOf", the file of each period (an index into "files", in
// the order of "periods").
func writeFiles(w *jsonw, file string, files [][]thidua.Period, periods []thidua.Period) {
	w.WriteString(`,"lazy":`)
	w.str(dataDir + "/" + strings.TrimSuffix(file, ".html") + ".")
	of := map[thidua.Period]int{}
	w.WriteString(`,"files":[`)
	for i, ps := range files {
		if i > 0 {
			w.WriteByte(',')
		}
		w.str(ps[0].String())
		for _, q := range ps {
			of[q] = i
		}
	}
	w.WriteString(`],"fileOf":[`)
	for i, q := range periods {
		if i > 0 {
			w.WriteByte(',')
		}
		w.WriteString(strconv.Itoa(of[q]))
	}
	w.WriteByte(']')
}

// writePeriods writes the default period's key and every period's key,
// type and label.
func writePeriods(w *jsonw, ix *index, ms *messages) {
	w.WriteString(`,"default":`)
	if ix.defaultP.Valid() {
		w.str(ix.defaultP.String())
	} else {
		w.str("")
	}
	w.WriteString(`,"periods":[`)
	for i, q := range ix.periods {
		if i > 0 {
			w.WriteByte(',')
		}
		w.WriteString(`{"key":`)
		w.str(q.String())
		w.WriteString(`,"type":`)
		w.str(string(q.Type))
		w.WriteString(`,"label":`)
		w.str(ms.Period(q))
		w.WriteByte('}')
	}
	w.WriteString(`],"noData":`)
	w.str(ms.T("no_data"))
}

// writeMessages writes the words site.js shows: those of every page, and
// those of the paged, searchable tables when the page has one.
func writeMessages(w *jsonw, arts []*article, ms *messages) {
	w.WriteString(`,"msg":{`)
	keys := []string{"thousands", "decimal", "download_csv", "sort_hint", "key_figures", "highlights", "trend", "old_browser"}
	if searchable(arts) {
		keys = append(keys, "page_prev", "page_next", "page_size", "page_all", "print_rows_note", "rows_shown", "rows_filtered",
			"rows_none", "search_matches", "search_selected")
	}
	for i, k := range keys {
		if i > 0 {
			w.WriteByte(',')
		}
		w.str(k)
		w.WriteByte(':')
		w.str(ms.m[k])
	}
	w.WriteByte('}')
}

// writeFold writes the letter table the search box folds the reader's
// query with (thidua.Fold's rule), and "full" when a table's every row is
// in a block rather than in the HTML.
func writeFold(w *jsonw, arts []*article) {
	w.WriteString(`,"fold":{`)
	letters := thidua.FoldLetters()
	rs := make([]rune, 0, len(letters))
	for r := range letters {
		rs = append(rs, r)
	}
	sort.Slice(rs, func(i, j int) bool { return rs[i] < rs[j] })
	for i, r := range rs {
		if i > 0 {
			w.WriteByte(',')
		}
		w.str(string(r))
		w.WriteByte(':')
		w.str(string(letters[r]))
	}
	// A large cluster's tables: the HTML carries the first page of
	// the default period's, its block every row (in the default
	// period's file for a page of the site).
	full := false
	for _, a := range arts {
		full = full || a.Search && len(a.Periods) > 0
	}
	w.WriteString(`}`)
	if full {
		w.WriteString(`,"full":true`)
	}
}

// writeCharts writes the articles' charts with the given periods' data.
func writeCharts(w *jsonw, arts []*article, periods []thidua.Period) {
	w.WriteString(`,"charts":[`)
	n := 0
	for _, a := range arts {
		for _, c := range a.Charts {
			if n > 0 {
				w.WriteByte(',')
			}
			n++
			c.encode(w, periods)
		}
	}
	w.WriteByte(']')
}

// writeSeries writes the articles' series by article id, then by key;
// a missing or non-finite value is null.
func writeSeries(w *jsonw, arts []*article) {
	w.WriteString(`,"series":{`)
	n := 0
	for _, a := range arts {
		if len(a.Series) == 0 {
			continue
		}
		if n > 0 {
			w.WriteByte(',')
		}
		n++
		w.str(a.ID)
		w.WriteString(`:{`)
		keys := make([]string, 0, len(a.Series))
		for k := range a.Series {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for i, k := range keys {
			if i > 0 {
				w.WriteByte(',')
			}
			w.str(k)
			w.WriteString(`:[`)
			for j, v := range a.Series[k] {
				if j > 0 {
					w.WriteByte(',')
				}
				if v.OK && !math.IsNaN(v.V) && !math.IsInf(v.V, 0) {
					w.num(v.V)
				} else {
					w.WriteString("null")
				}
			}
			w.WriteByte(']')
		}
		w.WriteByte('}')
	}
	w.WriteByte('}')
}

// writeBlocks writes the page's blocks (those of the default period in the
// single file, or with testDefaultBlocks; none where period files or the
// pack carry them), their lists, and the rows of a large cluster's paged
// tables: every row in the single file, else the names of their
// data/PAGE.rows.N.js. It says whether the blocks refer to the unit list.
func writeBlocks(w *jsonw, arts []*article, ms *messages, units *siteUnits, single bool, rowsParts int) bool {
	e := newBlockEnc(ms, units)
	enc := arts
	if !single && !testDefaultBlocks {
		enc = nil
	}
	x := e.articles(enc)
	blocks := append([]byte(nil), x.blocks...)
	// A large cluster's quality page: every row of its paged tables, in
	// the single file; else in data/quality.rows.N.js (rowsParts files).
	var rows []byte
	hasRows := false
	if single {
		rows, hasRows = e.pagedTables(arts)
		x = e.lists()
	}
	w.WriteString(`,"blocks":`)
	w.Write(blocks)
	x.lists(w)
	if hasRows {
		w.WriteString(`,"rows":`)
		w.Write(rows)
	} else if !single && rowsParts > 0 {
		w.WriteString(`,"rowsFiles":[`)
		for i := 0; i < rowsParts; i++ {
			if i > 0 {
				w.WriteByte(',')
			}
			w.str(dataDir + "/" + rowsName(strings.TrimSuffix(arts[0].File, ".html"), i))
		}
		w.WriteByte(']')
	}
	return x.usedUnits
}

// packedScript appends call + js packed + end to dst: js compressed (zlib
// at BestSpeed; the same bytes every run) and written in base64, through
// buffers reused from file to file (dst nil: a new slice of the script's
// size). The level was picked by measurement on the period
// data of 700 units × 9 indicators × 48 months (6,480 documents, 187 MB
// of JSON): BestSpeed takes 1.0 CPU-s where the default level took 2.7 s,
// and its output is 23% larger (the largest period file 60 KB instead of
// 45 KB, the site 8 MB more): well within the goals (period files
// ≤ 100 KB, the site ≤ 97 MB). Levels 2–6 also clear 640 KB of hash
// tables for each document.
func packedScript(dst []byte, call string, js []byte, end string) []byte {
	b, _ := zbufs.Get().(*bytes.Buffer)
	if b == nil {
		b = new(bytes.Buffer)
	}
	b.Reset()
	zw, _ := zlibWriters.Get().(*zlib.Writer)
	if zw == nil {
		zw, _ = zlib.NewWriterLevel(b, zlib.BestSpeed)
	} else {
		zw.Reset(b)
	}
	zw.Write(js) // a bytes.Buffer does not fail
	zw.Close()
	zlibWriters.Put(zw)
	n := len(call) + base64.StdEncoding.EncodedLen(b.Len()) + len(end)
	if dst == nil {
		dst = make([]byte, 0, n)
	}
	dst = append(dst, call...)
	dst = base64.StdEncoding.AppendEncode(dst, b.Bytes())
	dst = append(dst, end...)
	zbufs.Put(b)
	return dst
}

// zbufs are packedScript's buffers of compressed bytes.
var zbufs sync.Pool

// jsonBufs are the JSON buffers of data files, reused from file to file
// (newJSON, freeJSON).
var jsonBufs sync.Pool

func newJSON() *jsonw {
	if w, ok := jsonBufs.Get().(*jsonw); ok {
		w.Reset()
		return w
	}
	return &jsonw{}
}

func freeJSON(w *jsonw) {
	if w.Cap() <= 8<<20 {
		jsonBufs.Put(w)
	}
}

// zlibWriters are compressors for packedScript, reused from file to file instead
// of allocated for each (at size S that was 48 GB of allocation and a
// third of the dashboards' time).
var zlibWriters sync.Pool

// unitsFile is the unit list of the period files, in dataDir.
const unitsFile = "units.js"

// defuseJSON breaks go-echarts' function marker; inside a JSON string
// \u005f is "_", so the texts read back unchanged.
func defuseJSON(b []byte) []byte {
	for bytes.Contains(b, []byte("__f__")) {
		b = bytes.ReplaceAll(b, []byte("__f__"), []byte(`\u005f_f__`))
	}
	return b
}

// searchable reports whether an article of arts has a search box.
func searchable(arts []*article) bool {
	for _, a := range arts {
		if a.Search {
			return true
		}
	}
	return false
}

// dataDir is the folder of the period files, beside the pages.
const dataDir = "data"

// periodFile is the script that brings some periods of a page of the
// site (ps, see siteRun.periodFiles): thidua.packed("BASE64"), the JSON
// document {"whole":true,"bases":{id: option},"charts":{period:{id:
// option or null}},"axes":{id:[name…]},"blocks":{article:{period:
// block}},"heads","strs","cells","classes"} (the chart options and the
// compact tables, notes and lines of those periods, with their own
// interned lists) compressed (zlib) and written in base64 (see
// packedScript), about a seventh of its size. A chart's option of a
// period is whole, or, when the chart has a base in the file ("bases":
// the top-level keys its options of the file's periods all have, equal:
// toolbox, colours, grid…, written once), the keys that differ from it
// (fileBases); a radar's axes are indexes into the chart's "axes"
// (radarAxes). It is plain data passed to a function
// site.js defines (no HTML, no code from data), so it loads from file://
// under the site's CSP.
func periodFile(a *article, ps []thidua.Period, ms *messages, units *siteUnits) []byte {
	w := newJSON()
	defer freeJSON(w)
	// The charts' whole options, not patches of the page's base: the
	// file depends on its periods' data only (see RenderRowsOver).
	keys := make([]string, len(ps))
	for j, q := range ps {
		keys[j] = q.String()
	}
	w.WriteString(`{"whole":true`)
	bases := fileBases(w, a.Charts, keys)
	axes := make([]axisList, len(a.Charts))
	w.WriteString(`,"charts":{`)
	for j, key := range keys {
		if j > 0 {
			w.WriteByte(',')
		}
		w.str(key)
		w.WriteString(":{")
		for i, c := range a.Charts {
			if i > 0 {
				w.WriteByte(',')
			}
			w.str(c.ID)
			w.WriteByte(':')
			if o := c.whole[key]; o != nil {
				bases[i].write(w, o, &axes[i])
			} else {
				w.WriteString("null")
			}
		}
		w.WriteByte('}')
	}
	// (the radars' axes the options refer to: radarAxes)
	first := true
	for i, c := range a.Charts {
		if len(axes[i].names) == 0 {
			continue
		}
		if first {
			w.WriteString(`},"axes":{`)
			first = false
		} else {
			w.WriteByte(',')
		}
		w.str(c.ID)
		w.WriteByte(':')
		w.strs(axes[i].names)
	}
	w.WriteString(`},"blocks":`)
	// (the default period's block too: the file is the same whichever
	// period is the default)
	one := *a
	one.Periods = make([]periodView, len(a.Periods))
	for i, pv := range a.Periods {
		pv.Default = false
		one.Periods[i] = pv
	}
	e := newBlockEnc(ms, units)
	e.w = w // (the blocks written in place)
	x := e.articles([]*article{&one})
	x.lists(w)
	w.WriteByte('}')
	return packedScript(nil, "thidua.packed(\"", defuseJSON(w.Bytes()), "\");\n")
}

// fileBases writes the member ,"bases":{id: base…} of a period file of
// the periods keys (left out when no chart has a base) and returns each
// chart's base (of nil: none). A chart whose whole options of the file's
// periods are at least two has a base when some top-level keys are in
// every one of them with the same JSON: those keys, in the first option's
// order; the file's options of the chart are then the other keys of each
// (a key of the base is in every option, so none is removed). site.js
// puts an option back together from the two (merged); a period file is
// the same whichever period is the default.
func fileBases(w *jsonw, charts []*chartSpec, keys []string) []fileBase {
	out := make([]fileBase, len(charts))
	first := true
	var opts []option
	for i, c := range charts {
		opts = opts[:0]
		for _, k := range keys {
			if o := c.whole[k]; o != nil {
				opts = append(opts, o)
			}
		}
		if len(opts) < 2 {
			continue
		}
		// shared[n]: the first option's member n is in every option.
		shared := make([]bool, len(opts[0]))
		nShared := 0
		for n, m := range opts[0] {
			shared[n] = true
			for _, other := range opts[1:] {
				if !other.has(m) {
					shared[n] = false
					break
				}
			}
			if shared[n] {
				nShared++
			}
		}
		if nShared == 0 {
			continue
		}
		if first {
			w.WriteString(`,"bases":{`)
			first = false
		} else {
			w.WriteByte(',')
		}
		w.str(c.ID)
		w.WriteByte(':')
		opts[0].writeIf(w, nil, func(n int) bool { return shared[n] }) // (no radar axes: never shared)
		out[i] = fileBase{opts[0], shared}
	}
	if !first {
		w.WriteByte('}')
	}
	return out
}

// fileBase is a chart's base in a period file: the members of the option
// of that shared is true of.
type fileBase struct {
	of     option
	shared []bool
}

// write writes the option o as the file carries it: its members that
// are not the base's (all of them when there is no base), a radar's axes
// as indexes into ax.
func (b *fileBase) write(w *jsonw, o option, ax *axisList) {
	if b.of == nil {
		o.write(w, ax)
		return
	}
	o.writeIf(w, ax, func(n int) bool { return !b.has(o[n]) })
}

// has reports whether m is a member of the base.
func (b *fileBase) has(m member) bool {
	for n, x := range b.of {
		if b.shared[n] && bytes.Equal(x.key, m.key) {
			return bytes.Equal(x.val, m.val)
		}
	}
	return false
}

// seriesFile is the script that brings the sparkline series of some
// period types of a unit page (data/PAGE.series-TYPE.js): thidua.packed
// with {"whole":true,"series":{article:{series: [value or null…]}}}, packed
// like a period file.
func seriesFile(id string, series map[string][]thidua.Num) []byte {
	w := newJSON()
	defer freeJSON(w)
	w.WriteString(`{"whole":true`)
	writeSeries(w, []*article{{ID: id, Series: series}})
	w.WriteByte('}')
	return packedScript(nil, "thidua.packed(\"", defuseJSON(w.Bytes()), "\");\n")
}

// assetNames lists the committed and fetched files under assets/ (for tests).
func assetNames() ([]string, error) {
	var names []string
	err := fs.WalkDir(assetsFS, "assets", func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			names = append(names, path)
		}
		return err
	})
	return names, err
}
