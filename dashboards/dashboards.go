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
	"crypto/sha256"
	"embed"
	"encoding/base64"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/thidua/thidua"
)

//go:embed assets
var assetsFS embed.FS

//go:embed templates/*.html
var templateFS embed.FS

// ErrNoECharts is returned when the ECharts script was not fetched before
// the build.
var ErrNoECharts = errors.New("dashboards: assets/echarts.min.js is missing from this build: run `make echarts` (scripts/fetch-echarts.sh) and rebuild")

// Options tune the site.
type Options struct {
	Lang string // "vi" (default) or "en"
	// SingleFile writes one self-contained HTML file (scripts, data and
	// styles inlined) instead of a folder of pages.
	SingleFile bool
	// GeneratedAt is the time printed on every page; zero uses the
	// report's. Pin it for byte-identical output.
	GeneratedAt time.Time
}

// echartsAsset is the embedded path of the ECharts script (a variable so
// that a test can pretend it was never fetched).
var echartsAsset = "assets/echarts.min.js"

// SingleFileName is the file Render writes with Options.SingleFile.
const SingleFileName = "thidua.html"

// ECharts returns the embedded ECharts script, or ErrNoECharts.
func ECharts() ([]byte, error) {
	b, err := assetsFS.ReadFile(echartsAsset)
	if err != nil || len(b) == 0 {
		return nil, ErrNoECharts
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
	Lang       string
	Title      string
	Cluster    string
	CSP        string
	Synthetic  bool
	Generated  string
	Nav        []navLink
	IndNav     []navLink
	UnitNav    []navLink
	Groups     []periodGroup
	Articles   []*article
	Data       template.JS
	CSS        template.CSS
	InlineCSS  bool
	Scripts    []script
	SingleFile bool
	M          *messages
}

// Render writes the site for r into dir and returns the files written
// (pages and assets, in a fixed order).
func Render(dir string, r thidua.Report, o Options) ([]string, error) {
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
	ix, err := newIndex(r)
	if err != nil {
		return nil, err
	}
	gen := o.GeneratedAt
	if gen.IsZero() {
		gen = r.GeneratedAt
	}
	if gen.IsZero() {
		gen = time.Now()
	}
	b := &builder{ix: ix, ms: ms}
	// Articles are built in parallel: the index is read-only and each
	// article owns its charts.
	builds := []func() (*article, error){b.overview}
	for _, ind := range ix.inds {
		builds = append(builds, func() (*article, error) { return b.indicatorPage(ind) })
	}
	for _, u := range ix.units {
		builds = append(builds, func() (*article, error) { return b.unitPage(u) })
	}
	builds = append(builds, b.qualityPage)
	arts := make([]*article, len(builds))
	if err := parallel(len(builds), func(i int) (err error) {
		arts[i], err = builds[i]()
		return err
	}); err != nil {
		return nil, err
	}

	tpl, err := template.New("").Funcs(template.FuncMap{
		"t":    ms.T,
		"join": strings.Join,
	}).ParseFS(templateFS, "templates/*.html")
	if err != nil {
		return nil, fmt.Errorf("dashboards: templates: %w", err)
	}
	siteJS, _ := assetsFS.ReadFile("assets/site.js")
	siteCSS, _ := assetsFS.ReadFile("assets/site.css")
	langVI, _ := assetsFS.ReadFile("assets/langVI.js")

	base := page{Lang: o.Lang, Cluster: r.Cluster.Name, Synthetic: r.Synthetic, Generated: ms.Date(gen), M: ms}
	if o.Lang == "en" && r.Cluster.NameEN != "" {
		base.Cluster = r.Cluster.NameEN
	}
	base.Groups = b.periodGroups()
	link := func(a *article) string {
		if o.SingleFile {
			return "#" + a.ID
		}
		return a.File
	}
	for _, a := range arts {
		nl := navLink{Href: link(a), Text: a.Title}
		switch a.Kind {
		case "indicator":
			base.IndNav = append(base.IndNav, nl)
		case "unit":
			base.UnitNav = append(base.UnitNav, nl)
		default:
			base.Nav = append(base.Nav, nl)
		}
	}

	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("dashboards: %w", err)
	}
	var files []string
	write := func(name string, data []byte) error {
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return fmt.Errorf("dashboards: %w", err)
		}
		if err := os.WriteFile(path, data, 0o644); err != nil {
			return fmt.Errorf("dashboards: %w", err)
		}
		files = append(files, path)
		return nil
	}
	render := func(p page) ([]byte, error) {
		data, err := pageData(p, ix, o)
		if err != nil {
			return nil, err
		}
		p.Data = template.JS(data)
		var buf bytes.Buffer
		if err := tpl.ExecuteTemplate(&buf, "layout.html", p); err != nil {
			return nil, fmt.Errorf("dashboards: render %s: %w", p.Title, err)
		}
		return buf.Bytes(), nil
	}

	if o.SingleFile {
		p := base
		p.Title = ms.T("overview")
		p.Articles = arts
		p.SingleFile, p.InlineCSS, p.CSS = true, true, template.CSS(siteCSS)
		srcs := [][]byte{echartsJS}
		if o.Lang == "vi" && len(langVI) > 0 {
			srcs = append(srcs, langVI)
		}
		srcs = append(srcs, siteJS)
		var hashes []string
		for _, s := range srcs {
			s = neutralizeScriptEnd(s)
			sum := sha256.Sum256(s)
			hashes = append(hashes, "'sha256-"+base64.StdEncoding.EncodeToString(sum[:])+"'")
			p.Scripts = append(p.Scripts, script{Inline: template.JS(s)})
		}
		p.CSP = csp(strings.Join(hashes, " "))
		out, err := render(p)
		if err != nil {
			return nil, err
		}
		if err := write(SingleFileName, out); err != nil {
			return nil, err
		}
		return files, nil
	}

	scripts := []script{{Src: "assets/echarts.min.js"}}
	if o.Lang == "vi" && len(langVI) > 0 {
		scripts = append(scripts, script{Src: "assets/langVI.js"})
	}
	scripts = append(scripts, script{Src: "assets/site.js"})
	// Pages render in parallel (templates and the index are read-only) and
	// are written in a fixed order.
	outs := make([][]byte, len(arts))
	if err := parallel(len(arts), func(i int) (err error) {
		a := arts[i]
		p := base
		p.Title = a.Title
		p.Articles = []*article{a}
		p.Scripts = scripts
		p.CSP = csp("'self'")
		p.Nav = markCurrent(base.Nav, a.File)
		p.IndNav = markCurrent(base.IndNav, a.File)
		p.UnitNav = markCurrent(base.UnitNav, a.File)
		outs[i], err = render(p)
		return err
	}); err != nil {
		return nil, err
	}
	for i, a := range arts {
		if err := write(a.File, outs[i]); err != nil {
			return nil, err
		}
	}
	assets := []struct {
		name string
		data []byte
	}{{"assets/echarts.min.js", echartsJS}, {"assets/site.js", siteJS}, {"assets/site.css", siteCSS}}
	if o.Lang == "vi" && len(langVI) > 0 {
		assets = append(assets, struct {
			name string
			data []byte
		}{"assets/langVI.js", langVI})
	}
	for _, as := range assets {
		if err := write(as.name, as.data); err != nil {
			return nil, err
		}
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

func markCurrent(links []navLink, file string) []navLink {
	out := append([]navLink(nil), links...)
	for i := range out {
		out[i].Current = out[i].Href == file
	}
	return out
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

// pageData is the JSON the site script reads: language, periods and the
// charts with their options by period.
func pageData(p page, ix *index, o Options) ([]byte, error) {
	type periodInfo struct {
		Key  string `json:"key"`
		Type string `json:"type"`
	}
	d := struct {
		Lang    string       `json:"lang"`
		Single  bool         `json:"single"`
		Default string       `json:"default"`
		Periods []periodInfo `json:"periods"`
		Charts  []*chartSpec `json:"charts"`
		NoData  string       `json:"noData"`
	}{Lang: o.Lang, Single: o.SingleFile, NoData: p.M.T("no_data"), Charts: []*chartSpec{}}
	if ix.defaultP.Valid() {
		d.Default = ix.defaultP.String()
	}
	for _, q := range ix.periods {
		d.Periods = append(d.Periods, periodInfo{q.String(), string(q.Type)})
	}
	for _, a := range p.Articles {
		d.Charts = append(d.Charts, a.Charts...)
	}
	return safeJSON(d)
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

// parallel runs f(0) … f(n-1) on up to GOMAXPROCS goroutines and returns
// the error of the lowest index that failed.
func parallel(n int, f func(i int) error) error {
	errs := make([]error, n)
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			errs[i] = f(i)
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}
