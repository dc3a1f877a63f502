package dashboards

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"html/template"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/thidua/thidua"
)

// pageSpec is a page of the site: its article id, file, kind and title.
type pageSpec struct{ id, file, kind, title string }

// siteRun is one rendering of the site (renderRows): what its pages share
// and the steps that write them.
type siteRun struct {
	ctx    context.Context
	dir    string
	o      Options
	ms     *messages
	ix     *index
	b      *builder
	src    Rows
	specs  []pageSpec
	tpl    *template.Template
	units  *siteUnits
	base   page // a page of the site, before its article
	single page // the single file, before its articles

	echartsJS, siteJS, siteCSS, langVI, inflateJS []byte
	scripts                                       []script

	// Period files kept from the site replaced (see RenderRowsOver).
	prev       string
	pkeys, old map[string]string
	mu         sync.Mutex
	reuse      *Reuse

	// rowsParts is how many rows files the quality page has (rowsFiles).
	rowsParts int

	// shared: the indicator pages' periods come from the rows files
	// every indicator page shares (prowsJob; a small cluster's site).
	shared bool

	// menus are the base page's menu links as HTML, each not current and
	// current (siteRun.menus), and periodHTML the period selector's
	// options.
	menus_     [3][2][]string
	periodHTML template.HTML

	// arts are the single file's articles, by page (Options.SingleFile).
	arts    []*article
	specIdx map[string]int
}

func newSiteRun(ctx context.Context, dir string, r thidua.Report, src Rows, o Options, reuse *Reuse) (*siteRun, error) {
	if o.Lang == "" {
		o.Lang = "vi"
	}
	ms, err := loadMessages(o.Lang)
	if err != nil {
		return nil, err
	}
	echartsJS, err := ECharts()
	if err != nil {
		return nil, err
	}
	ix, err := newSiteIndex(r)
	if err != nil {
		return nil, err
	}
	if o.LargeCluster <= 0 {
		o.LargeCluster = DefaultLargeCluster
	}
	s := &siteRun{ctx: ctx, dir: dir, o: o, ms: ms, ix: ix, src: src, reuse: reuse, echartsJS: echartsJS,
		b: newBuilder(ix, ms, len(ix.units) > o.LargeCluster)}
	s.shared = !s.b.large
	s.specs = s.pageSpecs()
	s.tpl, err = template.New("").Funcs(template.FuncMap{
		"t":    ms.T,
		"join": strings.Join,
	}).ParseFS(templateFS, "templates/*.html")
	if err != nil {
		return nil, fmt.Errorf("dashboards: templates: %w", err)
	}
	s.siteJS, _ = assetsFS.ReadFile("assets/site.js")
	s.siteCSS, _ = assetsFS.ReadFile("assets/site.css")
	s.langVI, _ = assetsFS.ReadFile("assets/langVI.js")
	if s.inflateJS, err = inflate(); err != nil {
		return nil, err
	}
	s.scripts = []script{{Src: "assets/echarts.min.js"}}
	if o.Lang == "vi" && len(s.langVI) > 0 {
		s.scripts = append(s.scripts, script{Src: "assets/langVI.js"})
	}
	s.scripts = append(s.scripts, script{Src: "assets/fflate.min.js"}, script{Src: "assets/site.js"})
	s.navigation(r)
	if err := s.menus(); err != nil {
		return nil, err
	}
	s.units = s.siteUnits()
	if o.SingleFile {
		s.arts = make([]*article, len(s.specs))
	}
	s.specIdx = map[string]int{}
	for i, sp := range s.specs {
		s.specIdx[sp.file] = i
	}
	return s, nil
}

// pageSpecs are the pages, in a fixed order.
func (s *siteRun) pageSpecs() []pageSpec {
	ms, b := s.ms, s.b
	specs := []pageSpec{{"page-index", "index.html", "overview", ms.T("overview")}}
	for _, ind := range s.ix.inds {
		specs = append(specs, pageSpec{"page-indicator-" + ind.Code, "indicator-" + ind.Code + ".html", "indicator", b.indName(ind)})
	}
	for _, u := range s.ix.units {
		specs = append(specs, pageSpec{"page-unit-" + u.Code, "unit-" + u.Code + ".html", "unit", b.unitName(u)})
	}
	return append(specs, pageSpec{"page-quality", "quality.html", "quality", ms.T("quality")})
}

// navigation sets the pages' common part: the site's pages link to each
// other's files; the single file's articles to each other's ids.
func (s *siteRun) navigation(r thidua.Report) {
	ms := s.ms
	gen := s.o.GeneratedAt
	if gen.IsZero() {
		gen = r.GeneratedAt
	}
	if gen.IsZero() {
		gen = time.Now()
	}
	base := page{Lang: s.o.Lang, Cluster: r.Cluster.Name, Synthetic: r.Synthetic, Generated: ms.Date(gen), M: ms}
	if s.o.Lang == "en" && r.Cluster.NameEN != "" {
		base.Cluster = r.Cluster.NameEN
	}
	base.Groups = s.b.periodGroups()
	single := base
	for _, sp := range s.specs {
		nl := navLink{Href: sp.file, Text: sp.title}
		sl := navLink{Href: "#" + sp.id, Text: sp.title}
		switch sp.kind {
		case "indicator":
			base.IndNav = append(base.IndNav, nl)
			single.IndNav = append(single.IndNav, sl)
		case "unit":
			base.UnitNav = append(base.UnitNav, nl)
			single.UnitNav = append(single.UnitNav, sl)
		default:
			base.Nav = append(base.Nav, nl)
			single.Nav = append(single.Nav, sl)
		}
	}
	s.base, s.single = base, single
}

// menus writes, once for the site, each link of the base page's menus as
// the layout writes it (template navitem), not current and current, and
// the period selector's options (periodgroups): a page's menus are then
// joined from them (sitePage) instead of executed by the template for each
// page (at size S 113 links and 205 periods on each of 115 pages).
func (s *siteRun) menus() error {
	var b strings.Builder
	for m, links := range [][]navLink{s.base.Nav, s.base.IndNav, s.base.UnitNav} {
		if m == 2 && s.b.large {
			break // (no unit menu: sitePage)
		}
		for _, l := range links {
			for c, cur := range []bool{false, true} {
				l.Current = cur
				b.Reset()
				if err := s.tpl.ExecuteTemplate(&b, "navitem", l); err != nil {
					return fmt.Errorf("dashboards: templates: %w", err)
				}
				s.menus_[m][c] = append(s.menus_[m][c], b.String())
			}
		}
	}
	b.Reset()
	if err := s.tpl.ExecuteTemplate(&b, "periodgroups", s.base.Groups); err != nil {
		return fmt.Errorf("dashboards: templates: %w", err)
	}
	s.periodHTML = template.HTML(b.String())
	return nil
}

// menuHTML is menu m (0 the pages', 1 the indicators', 2 the units') of
// the page file: its links (menus), the page's own marked current.
func (s *siteRun) menuHTML(m int, links []navLink, file string) template.HTML {
	var b strings.Builder
	for i, l := range links {
		if l.Href == file {
			b.WriteString(s.menus_[m][1][i])
		} else {
			b.WriteString(s.menus_[m][0][i])
		}
	}
	return template.HTML(b.String())
}

// siteUnits is the site's unit list ("u" columns), with the search keys
// of a large cluster (thidua.Fold of the names).
func (s *siteRun) siteUnits() *siteUnits {
	var unames, upages []string
	for _, u := range s.ix.units {
		unames = append(unames, s.b.unitName(u))
		upages = append(upages, "unit-"+u.Code+".html")
	}
	units := newSiteUnits(unames, upages)
	if s.b.large {
		for _, u := range s.ix.units {
			units.keys = append(units.keys, s.b.unitKey(u))
		}
	}
	return units
}

// render writes the page to path through a buffer.
func (s *siteRun) render(p page, path string) error {
	po := s.o
	po.SingleFile = p.SingleFile
	p.Data = template.JS(pageData(p, s.ix, s.units, po))
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("dashboards: %w", err)
	}
	bw := bufio.NewWriterSize(f, 256<<10)
	err = s.tpl.ExecuteTemplate(bw, "layout.html", p)
	if err == nil {
		err = bw.Flush()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("dashboards: render %s: %w", p.Title, err)
	}
	return nil
}

// writePeriods writes the period file name of the periods ps, or takes
// it over from the site replaced when keep allows it and no period of ps
// changed key (their views are then never built: build is not called).
func (s *siteRun) writePeriods(name string, ps []thidua.Period, keep bool, build func() ([]byte, error)) error {
	if keep && s.unchanged(ps) &&
		takeOver(filepath.Join(s.prev, dataDir, name), filepath.Join(s.dir, dataDir, name)) {
		s.mu.Lock()
		s.reuse.Kept++
		s.mu.Unlock()
		return nil
	}
	b, err := build()
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(s.dir, dataDir, name), b, 0o644); err != nil {
		return fmt.Errorf("dashboards: %w", err)
	}
	s.mu.Lock()
	s.reuse.Written++
	s.mu.Unlock()
	return nil
}

// unchanged reports whether every period of ps (a year's) has a key, the
// same as in the site replaced, and their year the same periods.
func (s *siteRun) unchanged(ps []thidua.Period) bool {
	for _, q := range ps {
		k, y := q.String(), "@"+strconv.Itoa(q.Year)
		if s.pkeys[k] == "" || s.old[k] != s.pkeys[k] || s.old[y] != s.pkeys[y] {
			return false
		}
	}
	return len(ps) > 0
}

// whole are the periods whose rows a page of kind reads whole: its
// default period and the periods of the period files it renders (those
// not unchanged since the site replaced); nil for every period. The rows
// of the other periods are read as thidua.PopQuery.Shape makes them, with
// only what a page takes across periods (trends, sparklines,
// completeness): a new month reads every column of its year's periods
// only. (A file found unchanged but not taken over has its periods' rows
// read whole when it is built: index.wholeRows.)
func (s *siteRun) whole(kind string) []thidua.Period {
	if s.o.SingleFile || s.pkeys == nil {
		return nil
	}
	var ps []thidua.Period
	in := map[thidua.Period]bool{}
	if d := s.ix.defaultP; d.Valid() {
		ps, in[d] = append(ps, d), true
	}
	for _, f := range s.periodFiles(kind) {
		if !s.unchanged(f) {
			for _, q := range f {
				if !in[q] {
					ps, in[q] = append(ps, q), true
				}
			}
		}
	}
	if len(ps) == len(s.ix.periods) {
		return nil
	}
	thidua.SortPeriods(ps)
	if ps == nil {
		ps = []thidua.Period{}
	}
	return ps
}

// periodFileBudget is what a period file is filled to, in estimated
// packed bytes (periodCost): half the 100 KB a file may weigh, for
// estimates that fall short.
const periodFileBudget = 48 << 10

// periodCost estimates the packed bytes of one period's data of a page of
// kind from what its tables' rows are (a unit page's indicators, an
// indicator page's units, the overview's and the quality page's units ×
// indicators), about twice what sites of 8 to 700 units and 9 to 105
// indicators measured.
func (s *siteRun) periodCost(kind string) int {
	nu, ni := len(s.ix.units), len(s.ix.inds)
	switch kind {
	case "unit":
		return 1000 + 45*ni
	case "indicator":
		return 1500 + 70*nu
	case "overview":
		return 2000 + 15*nu*ni
	default: // quality: completeness by unit and indicator
		return 1000 + 5*nu*ni
	}
}

// periodFiles are the period files of a page of kind: its periods, a
// year's at a time in the site's order, grouped by as many as fit
// periodFileBudget (one a file where one period passes it). A file
// depends on its periods only, so a new month rewrites the files of its
// year, the others are kept (see RenderRowsOver); a small cluster writes
// a few files a page and year instead of one a period. A file is named
// after its first period: data/PAGE.FIRST.js.
func (s *siteRun) periodFiles(kind string) [][]thidua.Period {
	switch {
	case (kind == "indicator" || kind == "unit") && s.shared:
		return nil // (the rows files')
	case kind == "rows":
		// (the rows files: one a period, prowsJob)
		var files [][]thidua.Period
		if s.shared {
			for i := range s.ix.periods {
				files = append(files, s.ix.periods[i:i+1])
			}
		}
		return files
	}
	k := max(1, periodFileBudget/s.periodCost(kind))
	byYear := map[int][]thidua.Period{}
	var years []int
	for _, q := range s.ix.periods {
		if byYear[q.Year] == nil {
			years = append(years, q.Year)
		}
		byYear[q.Year] = append(byYear[q.Year], q)
	}
	sort.Ints(years)
	var files [][]thidua.Period
	for _, y := range years {
		ps := byYear[y]
		for i := 0; i < len(ps); i += k {
			files = append(files, ps[i:min(i+k, len(ps))])
		}
	}
	return files
}

// views builds pg's view of each period of ps (rowsOf gives the rows a
// period's view is built from, whole).
func (s *siteRun) views(pg *pageGen, ps []thidua.Period, rowsOf func(p thidua.Period) (*index, error)) ([]periodView, error) {
	var out []periodView
	for _, q := range ps {
		px, err := rowsOf(q)
		if err != nil {
			return nil, err
		}
		pv, err := pg.period(px, q)
		if err != nil {
			return nil, err
		}
		out = append(out, pv)
	}
	return out, nil
}

// emit writes one page: its default period in the HTML, then its period
// files (periodFiles), one file's periods built at a time (rowsOf gives
// the rows a period's view is built from). With SingleFile the article
// keeps every period instead, for the single file.
func (s *siteRun) emit(mk func() (*pageGen, error), rowsOf func(p thidua.Period) (*index, error)) error {
	ix := s.ix
	if s.o.SingleFile {
		pg, err := mk()
		if err != nil {
			return err
		}
		if pg.period != nil {
			if pg.a.Periods, err = s.views(pg, ix.periods, rowsOf); err != nil {
				return err
			}
		}
		s.arts[s.specIdx[pg.a.File]] = pg.a
	}
	pg, err := mk()
	if err != nil {
		return err
	}
	a := pg.a
	if pg.period != nil && ix.defaultP.Valid() {
		if a.Periods, err = s.views(pg, []thidua.Period{ix.defaultP}, rowsOf); err != nil {
			return err
		}
	}
	if err := s.chartBases(pg, rowsOf); err != nil {
		return err
	}
	files := s.periodFiles(a.Kind)
	sp := s.sitePage(a, files)
	if a.Kind == "indicator" && s.shared {
		sp.prows = func(w *jsonw) { s.prowsPage(w, a) }
	}
	if a.Kind == "unit" && s.shared {
		sp.prows = func(w *jsonw) { s.prowsUnitPage(w, a) }
	}
	if pg.series != nil {
		sp.series = s.seriesFiles()
	}
	var rows [][]byte
	if a.Search && a.Kind == "quality" {
		// Every row of the page's paged tables that are not a period's
		// (the quality page's), beyond the HTML's first page.
		rows = rowsFiles(a, s.ms, s.units)
		sp.rowsParts = len(rows)
		s.rowsParts = len(rows)
	}
	if err := s.render(sp, filepath.Join(s.dir, a.File)); err != nil {
		return err
	}
	for _, c := range a.Charts {
		c.freeze()
		c.forget(ix.defaultP.String())
	}
	stem := strings.TrimSuffix(a.File, ".html")
	for i, b := range rows {
		if err := os.WriteFile(filepath.Join(s.dir, dataDir, rowsName(stem, i)), b, 0o644); err != nil {
			return fmt.Errorf("dashboards: %w", err)
		}
	}
	// Its periods, the default one's too (a large cluster's page: every
	// row of its tables, beyond the HTML's first page), in files of a few
	// periods, written in the order readGroups reads them.
	for _, ps := range s.fileOrder(a.Kind) {
		err := s.writePeriods(stem+"."+ps[0].String()+".js", ps, a.Kind != "quality", func() ([]byte, error) {
			a.Periods = nil
			if pg.period != nil {
				// (their cells from the page's arena, used again for the
				// next file's once this one is written)
				pg.cells.reset()
				if pg.cells != nil {
					pg.cells.on = true
				}
				var err error
				if a.Periods, err = s.views(pg, ps, rowsOf); err != nil {
					return nil, err
				}
			}
			b := periodFile(a, ps, s.ms, s.units)
			for _, c := range a.Charts {
				for _, q := range ps {
					c.forget(q.String())
				}
			}
			return b, nil
		})
		if err != nil {
			return err
		}
	}
	// The sparklines' series: rendered every time, as the page is (each
	// spans years).
	for _, ts := range sp.series {
		m := map[string][]thidua.Num{}
		for _, t := range ts {
			maps.Copy(m, pg.series(t))
		}
		if err := os.WriteFile(filepath.Join(s.dir, dataDir, stem+".series-"+string(ts[0])+".js"), seriesFile(a.ID, m), 0o644); err != nil {
			return fmt.Errorf("dashboards: %w", err)
		}
	}
	// (the page is written: its views' cells go to the next page's)
	a.Periods = nil
	pg.cells.release()
	return nil
}

// chartBases gives the charts of an indicator or unit page whose periods
// come from the rows files a base when its default period drew none (no
// unit reported; no radar): site.js builds a period's option over it
// (title, categories or axes, and series), so the first period that draws them lends its option's
// other keys; its own option is then dropped.
func (s *siteRun) chartBases(pg *pageGen, rowsOf func(p thidua.Period) (*index, error)) error {
	a := pg.a
	if !s.shared || a.Kind != "indicator" && a.Kind != "unit" || pg.period == nil || len(a.Charts) == 0 || a.Charts[0].base != nil {
		return nil
	}
	for _, q := range s.ix.periods {
		if q == s.ix.defaultP {
			continue
		}
		px, err := rowsOf(q)
		if err != nil {
			return err
		}
		if _, err := pg.period(px, q); err != nil {
			return err
		}
		for _, c := range a.Charts {
			c.forget(q.String())
		}
		if a.Charts[0].base != nil {
			break
		}
	}
	return nil
}

// rowsName is the name of the rows file i of the page stem (rowsFiles).
func rowsName(stem string, i int) string {
	return stem + ".rows." + strconv.Itoa(i) + ".js"
}

// seriesFiles are the period types of the site, whose sparkline series a
// unit page of the site loads from files (the page draws its default
// period's sparklines in its HTML and carries no series: a month's are
// indicators × every month), grouped in files of about periodFileBudget
// (estimated at 4 bytes a value packed), each named after its first type:
// data/PAGE.series-TYPE.js.
func (s *siteRun) seriesFiles() [][]thidua.PeriodType {
	var files [][]thidua.PeriodType
	size := 0
	for _, t := range thidua.PeriodTypes {
		if len(s.ix.byType[t]) == 0 {
			continue
		}
		n := 4 * len(s.ix.inds) * len(s.ix.byType[t])
		if len(files) == 0 || size+n > periodFileBudget {
			files, size = append(files, nil), 0
		}
		files[len(files)-1] = append(files[len(files)-1], t)
		size += n
	}
	return files
}

// sitePage is the page of the site that shows a, whose periods are in
// files.
func (s *siteRun) sitePage(a *article, files [][]thidua.Period) page {
	p := s.base
	p.files = files
	p.Title = a.Title
	p.Articles = []*article{a}
	p.Scripts = s.scripts
	p.CSP = csp("'self'")
	// (the menus as HTML: menuHTML; the links stay for the template's
	// tests of them, not marked)
	p.NavHTML = s.menuHTML(0, s.base.Nav, a.File)
	p.IndNavHTML = s.menuHTML(1, s.base.IndNav, a.File)
	p.PeriodHTML = s.periodHTML
	if s.b.large {
		// Hundreds of links on every page: the overview's tables link
		// every unit instead.
		p.UnitNav = nil
	} else {
		p.UnitNavHTML = s.menuHTML(2, s.base.UnitNav, a.File)
	}
	return p
}

// jobs are the site's pages in groups that run in parallel: the overview
// (then the quality page, from the completeness the overview's period
// rows give), the indicators and the units, in groups of about
// unitRowBudget rows read with one query; a page with more rows than that
// is read a group of periods at a time (splitPage).
func (s *siteRun) jobs() []func() error {
	ix := s.ix
	nu, ni, np := len(ix.units), len(ix.inds), len(ix.periods)
	jobs := []func() error{s.overviewAndQuality}
	if s.shared {
		jobs = append(jobs, s.prowsJob)
	}
	if nu*np > unitRowBudget {
		for i := range ix.inds {
			jobs = append(jobs, func() error {
				return s.splitPage("indicator", thidua.PopQuery{Indicators: []string{ix.inds[i].Code}, Fields: indicatorFields}, 0, nu, i, 1,
					func(b *builder) *pageGen { return b.indicatorPage(ix.inds[i]) })
			})
		}
	} else {
		indGroup := max(1, unitRowBudget/max(1, nu*np))
		for i0 := 0; i0 < ni; i0 += indGroup {
			n := min(indGroup, ni-i0)
			jobs = append(jobs, func() error { return s.indicatorPages(i0, n) })
		}
	}
	if ni*np > unitRowBudget {
		for u := range ix.units {
			jobs = append(jobs, func() error {
				return s.splitPage("unit", thidua.PopQuery{Units: []string{ix.units[u].Code}, Indicators: s.shown(), Fields: unitFields}, u, 1, 0, ni,
					func(b *builder) *pageGen { return b.unitPage(ix.units[u]) })
			})
		}
	} else {
		f := s.unitFeed(max(1, unitRowBudget/max(1, ni*np)))
		for range f.groups {
			jobs = append(jobs, f.job)
		}
	}
	return jobs
}

// The fields of its units' rows each kind of page shows (besides
// thidua.PopKeyFields, which every row has; the quality page's are the
// overview's rows'): a page's query reads those columns only
// (thidua.PopQuery.Fields; the cluster rows come whole with the report).
// (Variables for tests.)
var (
	overviewFields  = thidua.PopStatus | thidua.PopPctOfTarget | thidua.PopPctChangeYoY | thidua.PopRankTarget
	indicatorFields = thidua.PopPrevValue | thidua.PopPctChangePrev | thidua.PopYoYValue | thidua.PopPctChangeYoY |
		thidua.PopYTDValue | thidua.PopTarget | thidua.PopPctOfTarget | thidua.PopStatus | thidua.PopRankValue | thidua.PopShare
	unitFields = thidua.PopYTDValue | thidua.PopTarget | thidua.PopPctOfTarget | thidua.PopStatus | thidua.PopRankValue |
		thidua.PopPctChangePrev | thidua.PopPctChangeYoY | thidua.PopAchievement
)

// unitPasses is about how many queries read the unit pages' rows
// (unitFeed, when a unit's rows over every period fit unitRowBudget): a
// query by unit reads every column of the whole table, at M (700 units ×
// 105 indicators × 205 periods, 15 M rows) ≈ 1.4 CPU-s for one unit's
// 21,525 rows, 9.1 CPU-s for 92 units' 1.98 M rows; but DuckDB holds a
// query's rows to sort them by unit (≈ 0.8 KB a row: 4 groups of 24,500
// rows a query took the dashboards' peak RSS of 700 × 9 × 48 from 300 to
// 382 MB), so groups share a query only when there are more than this
// many. (A variable for tests.)
var unitPasses = 24

// unitFeed reads the unit pages' rows for their jobs (job, one a group):
// groups of units (u0, n) of about unitRowBudget rows, read in about
// unitPasses passes with one query each, whose rows come unit by unit
// (thidua.PopQuery.ByUnit), each group handed to a job as soon as the
// next group's rows come.
type unitFeed struct {
	s       *siteRun
	groups  [][2]int
	perPass int // groups a query
	whole   []thidua.Period
	once    sync.Once
	ch      chan fedGroup
	err     error // why ch was closed early (set before it is)
}

// fedGroup is a group of unitFeed and its rows.
type fedGroup struct {
	u0, n   int
	batches [][]thidua.PopRow
}

// unitFeed is the feed of the unit pages, group units a job.
func (s *siteRun) unitFeed(group int) *unitFeed {
	nu := len(s.ix.units)
	f := &unitFeed{s: s, whole: s.whole("unit"), ch: make(chan fedGroup)}
	for u0 := 0; u0 < nu; u0 += group {
		f.groups = append(f.groups, [2]int{u0, min(group, nu-u0)})
	}
	f.perPass = max(1, (len(f.groups)+unitPasses-1)/unitPasses)
	return f
}

// job writes the pages of the next group read (the first job starts the
// reading).
func (f *unitFeed) job() error {
	f.once.Do(func() { go f.read() })
	g, ok := <-f.ch
	if !ok {
		if f.err == nil {
			return fmt.Errorf("dashboards: unit pages: more jobs than groups")
		}
		return f.err
	}
	codes := make([]string, g.n)
	for i := range codes {
		codes[i] = f.s.ix.units[g.u0+i].Code
	}
	q := thidua.PopQuery{Units: codes, Indicators: f.s.shown(), Whole: f.whole, Fields: unitFields}
	px := f.s.ix.page(g.batches, g.u0, g.n, 0, len(f.s.ix.inds), 0, len(f.s.ix.periods)).shapedBy(q)
	if o, ok := f.s.src.(*overRows); ok {
		// (the shaped rows held, in the cells: read below without them)
		if err := o.fillShaped(f.s.ctx, q, px); err != nil {
			return err
		}
	}
	return f.s.unitPages(q, px)
}

// read reads the groups' rows, perPass groups a query, and sends each
// group on ch; it closes ch when done or on an error (err).
func (f *unitFeed) read() {
	defer close(f.ch)
	ix := f.s.ix
	for p := 0; p < len(f.groups); p += f.perPass {
		gs := f.groups[p:min(p+f.perPass, len(f.groups))]
		var codes []string
		for _, u := range ix.units[gs[0][0] : gs[len(gs)-1][0]+gs[len(gs)-1][1]] {
			codes = append(codes, u.Code)
		}
		gi, cur := 0, [][]thidua.PopRow(nil)
		send := func() {
			f.ch <- fedGroup{gs[gi][0], gs[gi][1], cur}
			gi, cur = gi+1, nil
		}
		// (one group a query: its rows in any order)
		q := thidua.PopQuery{Units: codes, Indicators: f.s.shown(), Whole: f.whole, ByUnit: len(gs) > 1, Fields: unitFields}
		each := f.s.src.EachPopRows
		if o, ok := f.s.src.(*overRows); ok {
			// (the held shaped rows go into the pages' cells: job)
			each = func(ctx context.Context, q thidua.PopQuery, fn func([]thidua.PopRow) error) error {
				return o.eachPopRows(ctx, q, fn, false)
			}
		}
		err := each(f.s.ctx, q, func(rows []thidua.PopRow) error {
			for len(rows) > 0 {
				// The rows of group gi's units; a row of a later unit
				// ends the group.
				k, end := 0, gs[gi][0]+gs[gi][1]
				for k < len(rows) && ix.uidx[rows[k].Unit] < end {
					if ix.uidx[rows[k].Unit] < gs[gi][0] {
						return fmt.Errorf("dashboards: unit pages: a row of unit %s after a later unit's (rows not by unit)", rows[k].Unit)
					}
					k++
				}
				if k > 0 {
					cur, rows = append(cur, rows[:k:k]), rows[k:]
				}
				if len(rows) > 0 {
					if gi == len(gs)-1 {
						return fmt.Errorf("dashboards: unit pages: a row of unit %s after the last group's", rows[0].Unit)
					}
					send()
				}
			}
			return nil
		})
		if err != nil {
			f.err = err
			return
		}
		for gi < len(gs) {
			send()
		}
	}
}

// shown are the codes of the indicators the site shows when some are
// hidden (nil when none is): the overview's and the unit pages' queries
// read no hidden indicator's rows (2 of 11 indicators' at 700 units × 9
// indicators × 48 months).
func (s *siteRun) shown() []string {
	if len(s.ix.inds) == len(s.ix.r.Cluster.Indicators) {
		return nil
	}
	codes := make([]string, len(s.ix.inds))
	for i, ind := range s.ix.inds {
		codes[i] = ind.Code
	}
	return codes
}

// rows are the rows q selects, in one slice (a few periods' rows made
// whole: index.wholeRows).
func (s *siteRun) rows(q thidua.PopQuery) ([]thidua.PopRow, error) {
	var out []thidua.PopRow
	err := s.src.EachPopRows(s.ctx, q, func(rows []thidua.PopRow) error {
		out = append(out, rows...)
		return nil
	})
	return out, err
}

// read is the index of the rows q selects, those of the units u0…u0+nu-1,
// indicators i0…i0+ni-1 and periods p0…p0+np-1 (index.page, shapedBy q),
// kept in the batches they were read in.
//
// Over an earlier site (overRows), the held shaped rows are filled into
// the index's cells (overRows.fillShaped) instead of passed as rows: at 150
// units × 30 indicators × 111 periods a new month's pages took 1.6 M
// shaped rows of ≈ 450 bytes each.
func (s *siteRun) read(q thidua.PopQuery, u0, nu, i0, ni, p0, np int) (*index, error) {
	var batches [][]thidua.PopRow
	keep := func(rows []thidua.PopRow) error {
		batches = append(batches, rows)
		return nil
	}
	o, fill := s.src.(*overRows)
	var err error
	if fill {
		err = o.eachPopRows(s.ctx, q, keep, false)
	} else {
		err = s.src.EachPopRows(s.ctx, q, keep)
	}
	if err != nil {
		return nil, err
	}
	px := s.ix.page(batches, u0, nu, i0, ni, p0, np).shapedBy(q)
	if fill {
		if err := o.fillShaped(s.ctx, q, px); err != nil {
			return nil, err
		}
	}
	return px, nil
}

// fileOrder are the period files of a page of kind (periodFiles) in the
// order emit writes them: from the file of the default period, whose view
// the page's HTML shows first, to the last, then the files before it.
// (A file depends on its periods only: the order changes no byte.)
func (s *siteRun) fileOrder(kind string) [][]thidua.Period {
	files := s.periodFiles(kind)
	for i, f := range files {
		if slices.Contains(f, s.ix.defaultP) {
			return append(files[i:len(files):len(files)], files[:i]...)
		}
	}
	return files
}

// readGroups are the groups of periods a page of kind reads at a time,
// of at most per periods: its period files in the order emit writes them
// (fileOrder), as many whole files a group as fit (a file of more than
// per periods in groups of per), so that the page reads each group once
// (the default period's view comes first, from the first group).
func (s *siteRun) readGroups(kind string, per int) [][]thidua.Period {
	var gs [][]thidua.Period
	var cur []thidua.Period
	for _, f := range s.fileOrder(kind) {
		if len(cur) > 0 && len(cur)+len(f) > per {
			gs, cur = append(gs, cur), nil
		}
		for len(f) > per {
			gs, f = append(gs, f[:per:per]), f[per:]
		}
		cur = append(cur, f...)
	}
	if len(cur) > 0 {
		gs = append(gs, cur)
	}
	if gs == nil && s.ix.defaultP.Valid() {
		// (a page without period files of its own: its default period)
		gs = [][]thidua.Period{{s.ix.defaultP}}
	}
	return gs
}

// periodGroups gives the index of the rows q selects (units u0…u0+nu-1,
// indicators i0…i0+ni-1) of a period's group of groups (readGroups), read
// with one query when a period of another group is asked for (one group
// held at a time), the periods of whole (siteRun.whole; nil: all) whole,
// the others shaped; seen is told of each group read and its periods.
func (s *siteRun) periodGroups(q thidua.PopQuery, whole []thidua.Period, groups [][]thidua.Period, u0, nu, i0, ni int, seen func(px *index, ps []thidua.Period)) func(p thidua.Period) (*index, error) {
	ix := s.ix
	groupOf := make(map[thidua.Period]int, len(ix.periods))
	for g, ps := range groups {
		for _, p := range ps {
			groupOf[p] = g
		}
	}
	group, cached := -1, (*index)(nil)
	return func(p thidua.Period) (*index, error) {
		g, ok := groupOf[p]
		if !ok {
			return nil, fmt.Errorf("dashboards: period %s: not one of the site's", p)
		}
		if g == group {
			return cached, nil
		}
		group, cached = -1, nil // (the last group let go before the next is read)
		ps := groups[g]
		// The group's rows in a grid over the site's periods from its
		// first to its last (others of that span stay empty).
		p0, p1 := len(ix.periods), -1
		for _, x := range ps {
			p0, p1 = min(p0, ix.pidx[x]), max(p1, ix.pidx[x])
		}
		q.Periods = ps
		if whole != nil {
			q.Whole = []thidua.Period{}
			for _, w := range whole {
				if slices.Contains(ps, w) {
					q.Whole = append(q.Whole, w)
				}
			}
		}
		px, err := s.read(q, u0, nu, i0, ni, p0, p1-p0+1)
		if err != nil {
			return nil, err
		}
		if seen != nil {
			seen(px, ps)
		}
		group, cached = g, px
		return px, nil
	}
}

// viewRows is rowsOf with the rows of the period asked for made whole (a
// view's rows), read with q narrowed to that period.
func (s *siteRun) viewRows(q thidua.PopQuery, rowsOf func(p thidua.Period) (*index, error)) func(p thidua.Period) (*index, error) {
	return func(p thidua.Period) (*index, error) {
		px, err := rowsOf(p)
		if err != nil {
			return nil, err
		}
		return px, px.wholeRows([]thidua.Period{p}, func(ps []thidua.Period) ([]thidua.PopRow, error) {
			wq := q
			wq.Periods, wq.Whole = ps, nil
			return s.rows(wq)
		})
	}
}

// queryValueRows is a source that reads the rows a query selects shaped
// without a PopRow each (store.DB does): each unit row's unit, indicator,
// period, value and completeness, in any order, as EachPopRows gives them
// with the query's Whole empty.
type queryValueRows interface {
	EachPopValueOf(ctx context.Context, q thidua.PopQuery, fn func(unit, indicator string, p thidua.Period, v thidua.Num, complete bool) error) error
}

// splitPage writes the page of kind mk builds, of the units u0…u0+nu-1
// and indicators i0…i0+ni-1 that q selects, whose rows over every period
// are more than unitRowBudget: its series over every period (trends,
// sparklines) from a query of their values only (every period shaped:
// thidua.PopQuery.Shape), each period's view from its group of about
// unitRowBudget rows (periodGroups).
func (s *siteRun) splitPage(kind string, q thidua.PopQuery, u0, nu, i0, ni int, mk func(b *builder) *pageGen) error {
	vx := s.ix.valuesIndex(u0, nu, i0, ni)
	vq := q
	vq.Whole = []thidua.Period{}
	var err error
	if vs, ok := s.src.(queryValueRows); ok {
		// (no PopRow each: the values are all it keeps)
		err = vs.EachPopValueOf(s.ctx, vq, func(unit, ind string, p thidua.Period, v thidua.Num, _ bool) error {
			vx.addValue(unit, ind, p, v)
			return nil
		})
	} else {
		err = s.src.EachPopRows(s.ctx, vq, func(rows []thidua.PopRow) error {
			vx.addValues(rows)
			return nil
		})
	}
	if err != nil {
		return err
	}
	pb := s.b.withIndex(vx)
	per := max(1, unitRowBudget/max(1, nu*ni))
	groups := s.periodGroups(q, s.whole(kind), s.readGroups(kind, per), u0, nu, i0, ni, nil)
	return s.emit(func() (*pageGen, error) { return mk(pb), nil }, s.viewRows(q, groups))
}

// overviewAndQuality writes the overview, its periods' rows read in groups,
// then the quality page from the completeness those rows give.
func (s *siteRun) overviewAndQuality() error {
	ix := s.ix
	nu, ni, np := len(ix.units), len(ix.inds), len(ix.periods)
	complete := make([]int, nu*np) // units × periods: indicators reported complete
	done := make([]bool, np)
	per := max(1, unitRowBudget/max(1, nu*ni)) // periods a query
	groups := s.readGroups("overview", per)
	q := thidua.PopQuery{Indicators: s.shown(), Fields: overviewFields}
	periodRows := s.periodGroups(q, s.whole("overview"), groups, 0, nu, 0, ni, func(px *index, ps []thidua.Period) {
		for _, p := range ps {
			pi := ix.pidx[p]
			if done[pi] {
				continue
			}
			done[pi] = true
			for ui := 0; ui < nu; ui++ {
				for ii := 0; ii < ni; ii++ {
					if px.completeAt(ui, ii, pi) {
						complete[ui*np+pi]++
					}
				}
			}
		}
	})
	if err := s.emit(func() (*pageGen, error) { return s.b.overview(), nil }, s.viewRows(q, periodRows)); err != nil {
		return err
	}
	// Periods the overview did not read (those whose files were kept, or
	// all when it has no default period).
	for _, ps := range groups {
		for _, p := range ps {
			if !done[ix.pidx[p]] {
				if _, err := periodRows(p); err != nil {
					return err
				}
			}
		}
	}
	return s.emit(func() (*pageGen, error) {
		a, err := s.b.qualityPage(func(ui, pi int) int { return complete[ui*np+pi] })
		return &pageGen{a: a}, err
	}, nil)
}

// indicatorPages writes the pages of the n indicators from ix.inds[i0],
// their rows read with one query.
func (s *siteRun) indicatorPages(i0, n int) error {
	ix := s.ix
	codes := make([]string, n)
	for i := range codes {
		codes[i] = ix.inds[i0+i].Code
	}
	q := thidua.PopQuery{Indicators: codes, Whole: s.whole("indicator"), Fields: indicatorFields}
	px, err := s.read(q, 0, len(ix.units), i0, n, 0, len(ix.periods))
	if err != nil {
		return err
	}
	pb := s.b.withIndex(px)
	rowsOf := s.viewRows(q, func(thidua.Period) (*index, error) { return px, nil })
	for i := 0; i < n; i++ {
		ind := ix.inds[i0+i]
		if err := s.emit(func() (*pageGen, error) { return pb.indicatorPage(ind), nil }, rowsOf); err != nil {
			return err
		}
	}
	return nil
}

// unitPages writes the pages of the units q selects, from their rows px
// (unitFeed).
func (s *siteRun) unitPages(q thidua.PopQuery, px *index) error {
	pb := s.b.withIndex(px)
	rowsOf := s.viewRows(q, func(thidua.Period) (*index, error) { return px, nil })
	for i := 0; i < px.nu; i++ {
		u := s.ix.units[px.u0+i]
		if err := s.emit(func() (*pageGen, error) { return pb.unitPage(u), nil }, rowsOf); err != nil {
			return err
		}
	}
	return nil
}

// fileList is the pages and data files written (or kept), in a fixed
// order.
func (s *siteRun) fileList() []string {
	var files []string
	for _, sp := range s.specs {
		files = append(files, filepath.Join(s.dir, sp.file))
	}
	files = append(files, filepath.Join(s.dir, dataDir, unitsFile))
	if s.pkeys != nil {
		files = append(files, filepath.Join(s.dir, dataDir, periodKeysFile))
	}
	for _, f := range s.prowsFiles() {
		files = append(files, filepath.Join(s.dir, dataDir, f))
	}
	for _, sp := range s.specs {
		if sp.kind == "quality" {
			for i := 0; i < s.rowsParts; i++ {
				files = append(files, filepath.Join(s.dir, dataDir, rowsName("quality", i)))
			}
		}
		stem := strings.TrimSuffix(sp.file, ".html")
		for _, ps := range s.periodFiles(sp.kind) {
			files = append(files, filepath.Join(s.dir, dataDir, stem+"."+ps[0].String()+".js"))
		}
		if sp.kind == "unit" {
			for _, ts := range s.seriesFiles() {
				files = append(files, filepath.Join(s.dir, dataDir, stem+".series-"+string(ts[0])+".js"))
			}
		}
	}
	return files
}

// assets writes the shared scripts and styles and returns their files.
func (s *siteRun) assets() ([]string, error) {
	assets := []struct {
		name string
		data []byte
	}{{"assets/echarts.min.js", s.echartsJS}, {"assets/fflate.min.js", s.inflateJS}, {"assets/site.js", s.siteJS}, {"assets/site.css", s.siteCSS}}
	if s.o.Lang == "vi" && len(s.langVI) > 0 {
		assets = append(assets, struct {
			name string
			data []byte
		}{"assets/langVI.js", s.langVI})
	}
	var files []string
	for _, as := range assets {
		path := filepath.Join(s.dir, as.name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return nil, fmt.Errorf("dashboards: %w", err)
		}
		if err := os.WriteFile(path, as.data, 0o644); err != nil {
			return nil, fmt.Errorf("dashboards: %w", err)
		}
		files = append(files, path)
	}
	return files, nil
}

// singleFile writes the whole site as one self-contained file beside it
// (Options.SingleFile), for an e-mail attachment, and returns its path.
func (s *siteRun) singleFile() (string, error) {
	p := s.single
	p.Title = s.ms.T("overview")
	p.Articles = s.arts
	p.SingleFile, p.InlineCSS, p.CSS = true, true, template.CSS(s.siteCSS)
	p.PeriodHTML = s.periodHTML
	for m, links := range [][]navLink{p.Nav, p.IndNav, p.UnitNav} {
		var b strings.Builder
		for _, l := range links {
			if err := s.tpl.ExecuteTemplate(&b, "navitem", l); err != nil {
				return "", fmt.Errorf("dashboards: templates: %w", err)
			}
		}
		*[]*template.HTML{&p.NavHTML, &p.IndNavHTML, &p.UnitNavHTML}[m] = template.HTML(b.String())
	}
	srcs := [][]byte{s.echartsJS}
	if s.o.Lang == "vi" && len(s.langVI) > 0 {
		srcs = append(srcs, s.langVI)
	}
	srcs = append(srcs, s.inflateJS, s.siteJS)
	var hashes []string
	for _, src := range srcs {
		src = neutralizeScriptEnd(src)
		sum := sha256.Sum256(src)
		hashes = append(hashes, "'sha256-"+base64.StdEncoding.EncodeToString(sum[:])+"'")
		p.Scripts = append(p.Scripts, script{Inline: template.JS(src)})
	}
	p.CSP = csp(strings.Join(hashes, " "))
	path := filepath.Join(s.dir, SingleFileName)
	return path, s.render(p, path)
}
