package dashboards

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	cdppage "github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/thidua/thidua"
)

// chromiumPath finds Debian's Chromium; without it the browser tests skip,
// except under CI=true where they fail.
func chromiumPath(t *testing.T) string {
	t.Helper()
	for _, p := range []string{os.Getenv("THIDUA_CHROMIUM"), "/usr/bin/chromium", "chromium", "chromium-browser"} {
		if p == "" {
			continue
		}
		if path, err := exec.LookPath(p); err == nil {
			return path
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("chromium not found (CI=true: not skipping); install Debian's chromium package")
	}
	t.Skip("skipping browser tests: chromium not found (apt-get install chromium)")
	return ""
}

// artifactsDir is where screenshots go: $THIDUA_ARTIFACTS or test-artifacts
// at the repository root.
func artifactsDir(t *testing.T) string {
	dir := os.Getenv("THIDUA_ARTIFACTS")
	if dir == "" {
		dir = filepath.Join("..", "test-artifacts")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// pageLog collects what a page did that it should not have.
type pageLog struct {
	mu       sync.Mutex
	problems []string
	requests []string
	all      []string // every URL requested
	dialogs  int
}

func (l *pageLog) add(s string) {
	l.mu.Lock()
	l.problems = append(l.problems, s)
	l.mu.Unlock()
}

func (l *pageLog) snapshot() ([]string, []string, int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]string(nil), l.problems...), append([]string(nil), l.requests...), l.dialogs
}

func listen(ctx context.Context, l *pageLog) {
	chromedp.ListenTarget(ctx, func(ev any) {
		switch e := ev.(type) {
		case *runtime.EventConsoleAPICalled:
			if e.Type == runtime.APITypeError || e.Type == runtime.APITypeAssert || e.Type == runtime.APITypeWarning {
				var parts []string
				for _, a := range e.Args {
					parts = append(parts, string(a.Value)+a.Description)
				}
				l.add("console " + string(e.Type) + ": " + strings.Join(parts, " "))
			}
		case *runtime.EventExceptionThrown:
			msg := e.ExceptionDetails.Text
			if e.ExceptionDetails.Exception != nil {
				msg += " " + e.ExceptionDetails.Exception.Description
			}
			l.add("exception: " + msg)
		case *log.EventEntryAdded:
			if e.Entry.Level == log.LevelError || e.Entry.Level == log.LevelWarning {
				l.add("log " + string(e.Entry.Level) + ": " + e.Entry.Text + " " + e.Entry.URL)
			}
		case *network.EventRequestWillBeSent:
			u := e.Request.URL
			l.mu.Lock()
			l.all = append(l.all, u)
			l.mu.Unlock()
			if !strings.HasPrefix(u, "file://") && !strings.HasPrefix(u, "data:") {
				l.mu.Lock()
				l.requests = append(l.requests, u)
				l.mu.Unlock()
			}
		case *cdppage.EventJavascriptDialogOpening:
			l.mu.Lock()
			l.dialogs++
			l.mu.Unlock()
			go chromedp.Run(ctx, cdppage.HandleJavaScriptDialog(false))
		}
	})
}

// undrawnJS returns the IDs of charts whose canvas has no visible pixel.
const undrawnJS = `(() => {
  const bad = [];
  for (const c of window.thidua.charts) {
    if (c.el.classList.contains('empty')) { continue; }
    const cv = c.el.querySelector('canvas');
    if (!cv || cv.width === 0 || cv.height === 0) { bad.push(c.spec.id + ' (no canvas)'); continue; }
    const d = cv.getContext('2d').getImageData(0, 0, cv.width, cv.height).data;
    let ink = 0;
    for (let i = 0; i < d.length; i += 4) {
      if (d[i + 3] > 0 && (d[i] < 240 || d[i + 1] < 240 || d[i + 2] < 240)) { ink++; }
    }
    if (ink < 50) { bad.push(c.spec.id + ' (' + ink + ' pixels)'); }
  }
  return bad;
})()`

// compareSlotsJS builds every period slot of the page with site.js and
// compares it with the HTML's, node by node (attributes sorted, blank text
// between elements ignored).
const compareSlotsJS = `(() => {
  const canon = n => {
    if (n.nodeType === 3) { return n.data.trim() === '' ? '' : JSON.stringify(n.data); }
    if (n.nodeType !== 1) { return ''; }
    // (a paged table's rows beyond its first page: built hidden, not in the HTML)
    if (n.localName === 'tr' && n.hasAttribute('hidden')) { return ''; }
    // (links get the current period appended by site.js when shown)
    const attrs = Array.from(n.attributes).filter(a => a.name !== 'hidden').
      map(a => a.name + '=' + JSON.stringify(a.name === 'href' ? a.value.replace(/#p=.*$/, '') : a.value)).sort();
    return '<' + n.localName + ' ' + attrs.join(' ') + '>' + Array.from(n.childNodes).map(canon).join('') + '</' + n.localName + '>';
  };
  const bad = [];
  document.querySelectorAll('[data-slot]').forEach(tpl => {
    const art = tpl.closest('article').id, slot = tpl.getAttribute('data-slot'), key = tpl.getAttribute('data-period');
    const built = window.thidua.build(art, slot, key);
    if (!built) { bad.push(art + ' ' + slot + ' ' + key + ': nothing built'); return; }
    const a = canon(tpl), b = canon(built);
    if (a !== b) {
      let i = 0;
      while (i < a.length && a[i] === b[i]) { i++; }
      bad.push(art + ' ' + slot + ' ' + key + ': HTML …' + a.slice(Math.max(0, i - 40), i + 100) + '… built …' + b.slice(Math.max(0, i - 40), i + 100) + '…');
    }
  });
  return bad;
})()`

func fileURL(path string) string {
	abs, _ := filepath.Abs(path)
	return "file://" + abs
}

func TestBrowser(t *testing.T) {
	needECharts(t)
	chrome := chromiumPath(t)
	site := t.TempDir()
	if _, err := Render(site, fixtureReport(false), Options{GeneratedAt: fixtureTime}); err != nil {
		t.Fatal(err)
	}
	evil := t.TempDir()
	if _, err := Render(evil, fixtureReport(true), Options{GeneratedAt: fixtureTime}); err != nil {
		t.Fatal(err)
	}
	single := t.TempDir()
	if _, err := Render(single, fixtureReport(false), Options{GeneratedAt: fixtureTime, SingleFile: true}); err != nil {
		t.Fatal(err)
	}
	english := t.TempDir()
	if _, err := Render(english, fixtureReport(false), Options{GeneratedAt: fixtureTime, Lang: "en"}); err != nil {
		t.Fatal(err)
	}

	// A bound for a hung browser, not a performance check: on a busy 2-core
	// machine the whole test takes over 3 minutes.
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	browser, cancelBrowser := startBrowser(t, ctx, chrome)
	defer cancelBrowser()

	// open loads a page in a new tab and checks it loaded cleanly; the
	// scripts pre run before the page's own.
	open := func(t *testing.T, url string, pre ...string) (context.Context, *pageLog, context.CancelFunc) {
		t.Helper()
		tab, cancelTab := chromedp.NewContext(browser)
		l := &pageLog{}
		listen(tab, l)
		var before []chromedp.Action
		for _, src := range pre {
			before = append(before, chromedp.ActionFunc(func(ctx context.Context) error {
				_, err := cdppage.AddScriptToEvaluateOnNewDocument(src).Do(ctx)
				return err
			}))
		}
		if err := chromedp.Run(tab, append(append([]chromedp.Action{network.Enable(), log.Enable(), runtime.Enable()}, before...),
			chromedp.Navigate(url), chromedp.WaitReady("body"),
			chromedp.Poll(`window.thidua !== undefined`, nil, chromedp.WithPollingTimeout(10*time.Second)))...); err != nil {
			cancelTab()
			problems, _, _ := l.snapshot()
			t.Fatalf("%s: %v; page problems: %v", url, err, problems)
		}
		return tab, l, cancelTab
	}
	check := func(t *testing.T, name string, tab context.Context, l *pageLog) {
		t.Helper()
		var undrawn []string
		if err := chromedp.Run(tab, chromedp.Sleep(200*time.Millisecond), chromedp.Evaluate(undrawnJS, &undrawn)); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if len(undrawn) > 0 {
			t.Errorf("%s: charts not drawn: %v", name, undrawn)
		}
		problems, requests, dialogs := l.snapshot()
		for _, p := range problems {
			t.Errorf("%s: %s", name, p)
		}
		for _, r := range requests {
			t.Errorf("%s: network request to %s", name, r)
		}
		if dialogs > 0 {
			t.Errorf("%s: %d dialogs opened", name, dialogs)
		}
	}

	pages, _ := filepath.Glob(filepath.Join(site, "*.html"))
	if len(pages) != 8 {
		t.Fatalf("%d pages", len(pages))
	}
	t.Run("pages", func(t *testing.T) {
		for _, p := range pages {
			tab, l, cancelTab := open(t, fileURL(p))
			var nCharts int
			if err := chromedp.Run(tab, chromedp.Evaluate(`window.thidua.charts.length`, &nCharts)); err != nil {
				t.Fatal(err)
			}
			if nCharts == 0 {
				t.Errorf("%s: no charts", filepath.Base(p))
			}
			check(t, filepath.Base(p), tab, l)
			cancelTab()
		}
	})

	t.Run("period switch", func(t *testing.T) {
		tab, l, cancelTab := open(t, fileURL(filepath.Join(site, "indicator-budget_revenue.html")))
		defer cancelTab()
		const visibleValue = `document.querySelector('[data-period]:not([hidden]) tbody tr td[data-v]').textContent`
		const chartValue = `JSON.stringify(window.thidua.charts[0].inst.getOption().series[0].data)`
		var before, after, chartBefore, chartAfter, current string
		if err := chromedp.Run(tab,
			chromedp.Evaluate(visibleValue, &before), chromedp.Evaluate(chartValue, &chartBefore),
			chromedp.SetValue("#period-select", "2019-H1", chromedp.ByQuery),
			chromedp.Evaluate(`document.getElementById('period-select').dispatchEvent(new Event('change')); true`, nil),
			waitPeriod("2019-H1"),
			chromedp.Evaluate(visibleValue, &after), chromedp.Evaluate(chartValue, &chartAfter),
			chromedp.Evaluate(`document.body.getAttribute('data-current-period')`, &current)); err != nil {
			t.Fatal(err)
		}
		if before != "6.600" || after != "6.000" {
			t.Errorf("first value: 2020-H1 %q, 2019-H1 %q; want 6.600 then 6.000", before, after)
		}
		if chartBefore == chartAfter {
			t.Error("the bars did not change with the period")
		}
		if current != "2019-H1" {
			t.Errorf("current period %q", current)
		}
		// A period where U3 has not reported: its bar is a gap.
		var gap string
		if err := chromedp.Run(tab,
			chromedp.SetValue("#period-select", "2020-H1", chromedp.ByQuery),
			chromedp.Evaluate(`document.getElementById('period-select').dispatchEvent(new Event('change')); true`, nil),
			waitPeriod("2020-H1"),
			chromedp.Evaluate(`JSON.stringify(window.thidua.charts[0].inst.getOption().series[0].data[2])`, &gap)); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(gap, `"-"`) {
			t.Errorf("U3's missing 2020-H1 value is drawn as %s", gap)
		}
		// Sorting by a number column, then the CSV of the visible table.
		var order []string
		if err := chromedp.Run(tab, chromedp.Evaluate(`(() => {
			const t = document.querySelector('[data-period]:not([hidden]) table');
			t.querySelectorAll('thead th')[1].querySelector('button').click();
			t.querySelectorAll('thead th')[1].querySelector('button').click();
			return Array.from(t.tBodies[0].rows).map(r => r.cells[1].getAttribute('data-v') || 'missing');
		})()`, &order)); err != nil {
			t.Fatal(err)
		}
		if strings.Join(order, " ") != "6600 4400 missing" {
			t.Errorf("descending sort by value: %v, want 6600 4400 missing", order)
		}
		var csv string
		if err := chromedp.Run(tab, chromedp.Evaluate(`new Promise(resolve => {
			URL.createObjectURL = b => { b.text().then(resolve); return 'data:text/plain,'; };
			document.querySelector('[data-period]:not([hidden]) button.csv').click();
		})`, &csv, func(p *runtime.EvaluateParams) *runtime.EvaluateParams { return p.WithAwaitPromise(true) })); err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(csv, "\"Đơn vị\",\"Giá trị kỳ\"") || !strings.Contains(csv, "\"Chợ Đồn\",\"chưa báo cáo\"") {
			t.Errorf("CSV download:\n%s", csv)
		}
		check(t, "period switch", tab, l)
	})

	// site.js builds the periods that are not in the HTML from the data
	// block; built for the default period, they must equal the HTML the Go
	// side wrote (same cells, texts, numbers as formatted, classes, links).
	t.Run("compact periods match the HTML", func(t *testing.T) {
		testDefaultBlocks = true
		defer func() { testDefaultBlocks = false }()
		for _, tc := range []struct {
			name string
			r    func() thidua.Report
			o    Options
		}{{"vi", func() thidua.Report { return fixtureReport(false) }, Options{}},
			{"en", func() thidua.Report { return fixtureReport(false) }, Options{Lang: "en"}},
			{"xss", func() thidua.Report { return fixtureReport(true) }, Options{}},
			{"sample-size", bigReport, Options{}},
			{"large", func() thidua.Report { return sizedReport(60, 3, 2020, 2020) }, Options{}}} {
			dir := t.TempDir()
			if _, err := Render(dir, tc.r(), tc.o); err != nil {
				t.Fatal(err)
			}
			ps, _ := filepath.Glob(filepath.Join(dir, "*.html"))
			for _, p := range ps {
				if tc.name == "large" && strings.Contains(p, "unit-") {
					continue // (unit pages are not paged: the other cases have them)
				}
				tab, l, cancelTab := open(t, fileURL(p))
				var bad []string
				var n int
				if err := chromedp.Run(tab, chromedp.Evaluate(compareSlotsJS, &bad), chromedp.Evaluate(`document.querySelectorAll('[data-slot]').length`, &n)); err != nil {
					t.Fatal(err)
				}
				for _, b := range bad {
					t.Errorf("%s %s: %s", tc.name, filepath.Base(p), b)
				}
				if n == 0 && !strings.HasSuffix(p, "quality.html") {
					t.Errorf("%s %s: no period slots", tc.name, filepath.Base(p))
				}
				// A small cluster's indicator page builds its other periods
				// from the shared rows files: built from the default
				// period's rows, its charts' options must be the ones the
				// Go side wrote for that period.
				var pairs [][]any
				if err := chromedp.Run(tab, chromedp.Evaluate(`window.thidua.rowsCharts()`, &pairs)); err != nil {
					t.Fatal(err)
				}
				if strings.Contains(p, "indicator-") && tc.name != "large" && len(pairs) == 0 {
					t.Errorf("%s %s: no chart built from the rows", tc.name, filepath.Base(p))
				}
				for _, pr := range pairs {
					if len(pr) != 3 || !reflect.DeepEqual(pr[1], pr[2]) {
						a, _ := json.Marshal(pr[1])
						b, _ := json.Marshal(pr[2])
						t.Errorf("%s %s: chart %v built from the rows:\n%s\nwant (the page's)\n%s", tc.name, filepath.Base(p), pr[0], b, a)
					}
				}
				check(t, tc.name+" "+filepath.Base(p), tab, l)
				cancelTab()
			}
		}
	})

	// A unit page's other periods come from its period files (a year's in
	// one) and its sparklines' series from a file of their own: switched
	// to another period of another type or of its default period's, its
	// table, sparklines and radar (its whole option: a period file's base
	// of the chart and the period's keys) are the single file's (links
	// aside: the site's carry the period).
	// An indicator page of the site builds its other periods from the rows
	// files (site.js); the single file carries the Go side's views of
	// every period: shown, their tables and charts must be the same (links
	// aside: the site's carry the period).
	// (a site whose periods' rows come in two chunks of indicators: 30
	// units, the most a small cluster has, × 70 indicators)
	chunkSite, chunkSingle := t.TempDir(), t.TempDir()
	for _, o := range []Options{{GeneratedAt: fixtureTime}, {GeneratedAt: fixtureTime, SingleFile: true}} {
		dir := chunkSite
		if o.SingleFile {
			dir = chunkSingle
		}
		if _, err := Render(dir, sizedReport(30, 70, 2020, 2020), o); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := os.Stat(filepath.Join(chunkSite, "data", "rows.2020-05.1.js")); err != nil {
		t.Fatalf("the 30-unit site's rows are not in two chunks: %v", err)
	}
	t.Run("indicator page from rows files, as the single file", func(t *testing.T) {
		bigSite, bigSingle := t.TempDir(), t.TempDir()
		for _, o := range []Options{{GeneratedAt: fixtureTime}, {GeneratedAt: fixtureTime, SingleFile: true}} {
			dir := bigSite
			if o.SingleFile {
				dir = bigSingle
			}
			if _, err := Render(dir, bigReport(), o); err != nil {
				t.Fatal(err)
			}
		}
		for _, tc := range []struct{ site, single, ind, key string }{
			{site, single, "budget_revenue", "2019-H1"}, {site, single, "poverty_rate", "2020"}, {site, single, "commended", "2019"},
			{bigSite, bigSingle, "ind0", "2020"}, {bigSite, bigSingle, "ind8", "2021-05"}, {bigSite, bigSingle, "ind3", "2018-Q3"},
			{chunkSite, chunkSingle, "ind65", "2020-05"}, {chunkSite, chunkSingle, "ind2", "2020-Q3"},
		} {
			shown := `(() => { const a = document.getElementById('page-indicator-` + tc.ind + `');
				const s = a.querySelector('[data-period="` + tc.key + `"]:not([hidden])');
				const cs = window.thidua.charts.filter(c => c.spec.id.startsWith('c-indicator-` + tc.ind + `-'));
				return JSON.stringify([s ? s.outerHTML.replace(/#p=` + tc.key + `"/g, '"') : 'no slot',
					cs.map(c => c.inst ? c.inst.getOption() : 'no chart')]); })()`
			var views [2]string
			for i, p := range []string{filepath.Join(tc.site, "indicator-"+tc.ind+".html"), filepath.Join(tc.single, SingleFileName)} {
				tab, l, cancelTab := open(t, fileURL(p))
				if err := chromedp.Run(tab, chromedp.Evaluate(`window.thidua.show('`+tc.key+`'); true`, nil), waitPeriod(tc.key),
					chromedp.Evaluate(`window.thidua.initAll(); true`, nil), chromedp.Sleep(100*time.Millisecond),
					chromedp.Evaluate(shown, &views[i])); err != nil {
					cancelTab()
					t.Fatalf("%s: %v", filepath.Base(p), err)
				}
				check(t, filepath.Base(p)+" "+tc.key, tab, l)
				cancelTab()
			}
			if !strings.Contains(views[0], "<tbody><tr>") || !strings.Contains(views[0], "c-indicator-") && !strings.Contains(views[0], `"series"`) {
				t.Errorf("site's indicator-%s.html in %s: %.300s", tc.ind, tc.key, views[0])
			}
			if views[0] != views[1] {
				a, b := views[0], views[1]
				i := 0
				for i < len(a) && i < len(b) && a[i] == b[i] {
					i++
				}
				t.Errorf("indicator-%s.html in %s:\nsite   …%.400s\nsingle …%.400s", tc.ind, tc.key, a[max(0, i-100):], b[max(0, i-100):])
			}
		}
	})

	t.Run("unit page, another period type", func(t *testing.T) {
		// (the sample's size: its default period is the year 2021, and 2020's
		// sparklines, of the same type, have 3 points)
		bigSite, bigSingle := t.TempDir(), t.TempDir()
		for _, o := range []Options{{GeneratedAt: fixtureTime}, {GeneratedAt: fixtureTime, SingleFile: true}} {
			dir := bigSite
			if o.SingleFile {
				dir = bigSingle
			}
			if _, err := Render(dir, bigReport(), o); err != nil {
				t.Fatal(err)
			}
		}
		for _, tc := range []struct{ site, single, unit, key string }{
			{site, single, "U2", "2020"},        // a year; the default is a half-year
			{bigSite, bigSingle, "058", "2020"}, // a year; the default is the year 2021
			{bigSite, bigSingle, "058", "2021-05"},
			{chunkSite, chunkSingle, "070", "2020-05"}, // (its rows in two files)
		} {
			shown := `(() => { const a = document.getElementById('page-unit-` + tc.unit + `');
				const t = a.querySelector('[data-period="` + tc.key + `"]:not([hidden]) table');
				const c = window.thidua.charts.find(c => c.spec.id === 'c-unit-` + tc.unit + `-radar');
				return JSON.stringify([t ? t.outerHTML.replace(/#p=` + tc.key + `"/g, '"') : 'no table', t ? t.querySelectorAll('svg.spark').length : 0,
					c && c.inst ? c.inst.getOption() : 'no chart']); })()`
			var views [2]string
			for i, p := range []string{filepath.Join(tc.site, "unit-"+tc.unit+".html"), filepath.Join(tc.single, SingleFileName)} {
				tab, l, cancelTab := open(t, fileURL(p))
				if err := chromedp.Run(tab, chromedp.Evaluate(`window.thidua.show('`+tc.key+`'); true`, nil), waitPeriod(tc.key),
					chromedp.Evaluate(`window.thidua.initAll(); true`, nil), chromedp.Sleep(100*time.Millisecond),
					chromedp.Evaluate(shown, &views[i])); err != nil {
					cancelTab()
					t.Fatalf("%s: %v", filepath.Base(p), err)
				}
				check(t, filepath.Base(p)+" "+tc.key, tab, l)
				cancelTab()
			}
			var arr []any
			if err := json.Unmarshal([]byte(views[0]), &arr); err != nil || len(arr) != 3 {
				t.Fatalf("site: %s", views[0])
			}
			table, _ := arr[0].(string)
			sparks, _ := arr[1].(float64)
			if !strings.Contains(table, "<tbody><tr>") || sparks < 3 {
				t.Errorf("site's unit-%s.html in %s: %d sparklines, table %.300s", tc.unit, tc.key, int(sparks), table)
			}
			if views[0] != views[1] {
				t.Errorf("unit-%s.html in %s:\nsite   %s\nsingle %s", tc.unit, tc.key, views[0], views[1])
			}
		}
	})

	// Browsers without DecompressionStream (Safari before 16.4, Firefox
	// before 113, Chrome before 80) unpack the period data with fflate:
	// switching periods shows the same tables and charts as with it, on a
	// page whose periods come from files (thidua.packed), on a unit page
	// (its periods and sparkline series from files too) and in the single
	// file; the
	// old-browser note shows only where neither exists.
	const noStream = `delete window.DecompressionStream;`
	const noInflate = noStream + ` Object.defineProperty(window, 'fflate', { value: undefined, writable: false });`
	const note = `Array.from(document.querySelectorAll('p.note')).some(p => p.textContent.indexOf(` +
		`'Trình duyệt này không mở được') === 0)`
	t.Run("period switch without DecompressionStream", func(t *testing.T) {
		const shown = `JSON.stringify([document.body.getAttribute('data-current-period'),
			document.querySelector('[data-period]:not([hidden]) table').innerText,
			window.thidua.charts.filter(c => c.inst).map(c => c.inst.getOption().series.map(s => s.data))])`
		for _, p := range []string{filepath.Join(site, "indicator-budget_revenue.html"), filepath.Join(site, "unit-U3.html"),
			filepath.Join(single, SingleFileName)} {
			var views [2]string
			for i, pre := range []string{"", noStream} {
				tab, l, cancelTab := open(t, fileURL(p), pre)
				var has, noted bool
				if err := chromedp.Run(tab, chromedp.Evaluate(`typeof DecompressionStream === 'function'`, &has),
					chromedp.Evaluate(`window.thidua.show('2019-H1'); true`, nil), waitPeriod("2019-H1"),
					chromedp.Evaluate(`window.thidua.initAll(); true`, nil), chromedp.Sleep(100*time.Millisecond),
					chromedp.Evaluate(shown, &views[i]), chromedp.Evaluate(note, &noted)); err != nil {
					cancelTab()
					t.Fatalf("%s (%q): %v", filepath.Base(p), pre, err)
				}
				if has != (pre == "") {
					t.Errorf("%s (%q): DecompressionStream present %v", filepath.Base(p), pre, has)
				}
				if noted {
					t.Errorf("%s (%q): the old-browser note shows", filepath.Base(p), pre)
				}
				check(t, filepath.Base(p)+" "+pre, tab, l)
				cancelTab()
			}
			if views[0] != views[1] || !strings.Contains(views[0], "2019-H1") {
				t.Errorf("%s: 2019-H1 with DecompressionStream:\n%s\nwith fflate:\n%s", filepath.Base(p), views[0], views[1])
			}
		}
		// Both paths unpack a period file to the same object.
		files, _ := filepath.Glob(filepath.Join(site, "data", "*.js"))
		var b64 string
		for _, f := range files {
			if m := regexp.MustCompile(`^thidua\.packed\("([A-Za-z0-9+/=]+)"\);`).FindSubmatch(read(t, f)); m != nil {
				b64 = string(m[1])
				break
			}
		}
		if b64 == "" {
			t.Fatalf("no packed period file among %v", files)
		}
		tab, l, cancelTab := open(t, fileURL(filepath.Join(site, "index.html")))
		defer cancelTab()
		var same []any
		if err := chromedp.Run(tab, chromedp.Evaluate(`new Promise(r => {
			const b64 = `+strconv.Quote(b64)+`, ds = window.DecompressionStream;
			window.thidua.unpack(b64, a => {
				delete window.DecompressionStream;
				window.thidua.unpack(b64, b => { window.DecompressionStream = ds; r([JSON.stringify(a) === JSON.stringify(b), a !== null, Object.keys(a || {}).length]); });
			});
		})`, &same, func(p *runtime.EvaluateParams) *runtime.EvaluateParams { return p.WithAwaitPromise(true) })); err != nil {
			t.Fatal(err)
		}
		if len(same) != 3 || same[0] != true || same[1] != true || same[2].(float64) == 0 {
			t.Errorf("DecompressionStream and fflate unpack a period file differently (same, non-null, keys): %v", same)
		}
		check(t, "unpack both ways", tab, l)
	})

	t.Run("old-browser note only without DecompressionStream and fflate", func(t *testing.T) {
		tab, l, cancelTab := open(t, fileURL(filepath.Join(site, "indicator-budget_revenue.html")), noInflate)
		defer cancelTab()
		var noted bool
		if err := chromedp.Run(tab, chromedp.Evaluate(`window.thidua.show('2019-H1'); true`, nil),
			chromedp.Poll(note, nil, chromedp.WithPollingTimeout(10*time.Second)), chromedp.Evaluate(note, &noted)); err != nil {
			t.Fatal(err)
		}
		if !noted {
			t.Error("no old-browser note without DecompressionStream and fflate")
		}
		check(t, "no DecompressionStream, no fflate", tab, l)
	})

	t.Run("period without scores and back", func(t *testing.T) {
		tab, l, cancelTab := open(t, fileURL(filepath.Join(site, "index.html")))
		defer cancelTab()
		var emptyShown, emptyHidden bool
		if err := chromedp.Run(tab,
			chromedp.Evaluate(`window.thidua.show('2020'); true`, nil), waitPeriod("2020"),
			chromedp.Evaluate(`!document.querySelector('[data-nodata-for="c-overview-score"]').hidden`, &emptyShown),
			chromedp.Evaluate(`window.thidua.show('2020-H1'); true`, nil), waitPeriod("2020-H1"),
			chromedp.Evaluate(`document.querySelector('[data-nodata-for="c-overview-score"]').hidden`, &emptyHidden)); err != nil {
			t.Fatal(err)
		}
		if !emptyShown || !emptyHidden {
			t.Errorf("no-data note: shown for 2020 %v, hidden again for 2020-H1 %v", emptyShown, emptyHidden)
		}
		check(t, "period without scores and back", tab, l)
	})

	t.Run("print", func(t *testing.T) {
		tab, l, cancelTab := open(t, fileURL(filepath.Join(site, "index.html")))
		defer cancelTab()
		var pdf []byte
		if err := chromedp.Run(tab, chromedp.ActionFunc(func(ctx context.Context) error {
			var err error
			pdf, _, err = cdppage.PrintToPDF().WithLandscape(true).WithPaperWidth(11.69).WithPaperHeight(8.27).
				WithPreferCSSPageSize(true).Do(ctx)
			return err
		})); err != nil {
			t.Fatal(err)
		}
		if !bytes.HasPrefix(pdf, []byte("%PDF")) {
			t.Fatal("no PDF")
		}
		if err := os.WriteFile(filepath.Join(artifactsDir(t), "index-print.pdf"), pdf, 0o644); err != nil {
			t.Fatal(err)
		}
		check(t, "print", tab, l)
	})

	t.Run("sample-size overview", func(t *testing.T) {
		big := t.TempDir()
		if _, err := Render(big, bigReport(), Options{GeneratedAt: fixtureTime}); err != nil {
			t.Fatal(err)
		}
		tab, l, cancelTab := open(t, fileURL(filepath.Join(big, "index.html")))
		defer cancelTab()
		var ms int
		if err := chromedp.Run(tab, chromedp.Evaluate(`window.thidua.readyMs`, &ms)); err != nil {
			t.Fatal(err)
		}
		t.Logf("overview of a sample-size report ready %d ms after navigation started", ms)
		check(t, "sample-size overview", tab, l)
	})

	t.Run("xss inert", func(t *testing.T) {
		evilPages, _ := filepath.Glob(filepath.Join(evil, "*.html"))
		for _, p := range evilPages {
			tab, l, cancelTab := open(t, fileURL(p))
			var scripts, imgs int
			var injected bool
			if err := chromedp.Run(tab,
				// Hover every chart so tooltips (which hold names) render.
				chromedp.Evaluate(`window.thidua.charts.forEach(c => c.inst.dispatchAction({type: 'showTip', seriesIndex: 0, dataIndex: 0})); true`, nil),
				chromedp.Sleep(100*time.Millisecond),
				chromedp.Evaluate(`document.querySelectorAll('script').length`, &scripts),
				chromedp.Evaluate(`document.querySelectorAll('img').length`, &imgs),
				chromedp.Evaluate(`typeof window.alert !== 'function' || document.body.innerHTML.indexOf('<img src="x"') >= 0`, &injected)); err != nil {
				t.Fatal(err)
			}
			// (echarts, langVI, fflate, site.js and the data block)
			if scripts != 5 || imgs != 0 || injected {
				t.Errorf("%s: %d scripts (want 5), %d img elements (want 0), injected=%v", filepath.Base(p), scripts, imgs, injected)
			}
			check(t, "xss "+filepath.Base(p), tab, l)
			cancelTab()
		}
	})

	t.Run("single file", func(t *testing.T) {
		tab, l, cancelTab := open(t, fileURL(filepath.Join(single, SingleFileName)))
		defer cancelTab()
		var n int
		if err := chromedp.Run(tab, chromedp.Evaluate(`window.thidua.charts.length`, &n)); err != nil {
			t.Fatal(err)
		}
		if want := 2 + 3*3 + 3 + 1; n != want {
			t.Errorf("%d charts in the single file, want %d", n, want)
		}
		// Charts below the fold are created as they scroll into view.
		var lazy int
		if err := chromedp.Run(tab, chromedp.Evaluate(`window.thidua.charts.filter(c => !c.inst).length`, &lazy),
			chromedp.Evaluate(`window.thidua.initAll(); true`, nil)); err != nil {
			t.Fatal(err)
		}
		if lazy == 0 {
			t.Error("the single file created every chart at load")
		}
		check(t, "single file", tab, l)
	})

	t.Run("english", func(t *testing.T) {
		for _, p := range []string{"index.html", "unit-U1.html"} {
			tab, l, cancelTab := open(t, fileURL(filepath.Join(english, p)))
			var text string
			if err := chromedp.Run(tab, chromedp.Evaluate(`document.querySelector('[data-period]:not([hidden]) table').innerText`, &text)); err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(text, ".") || strings.Contains(text, "chưa") {
				t.Errorf("english %s: table text %q", p, text)
			}
			check(t, "english "+p, tab, l)
			cancelTab()
		}
	})

	t.Run("screenshots", func(t *testing.T) {
		out := artifactsDir(t)
		for _, shot := range []struct {
			page  string
			width int64
		}{{"index.html", 1366}, {"index.html", 360}, {"indicator-budget_revenue.html", 1366}, {"indicator-budget_revenue.html", 360},
			{"unit-U2.html", 1366}, {"quality.html", 1366},
			// periods that site.js builds from the data block
			{"index.html#p=2019-H1", 1366}, {"unit-U2.html#p=2019", 1366}, {"indicator-budget_revenue.html#p=2019-H1", 360}} {
			tab, cancelTab := chromedp.NewContext(browser)
			var png []byte
			var overflow int
			if err := chromedp.Run(tab,
				chromedp.EmulateViewport(shot.width, 900),
				chromedp.Navigate(fileURL(filepath.Join(site, shot.page))), chromedp.WaitReady("body"),
				chromedp.Poll(`window.thidua !== undefined`, nil, chromedp.WithPollingTimeout(10*time.Second)),
				// a period from the address loads its file first
				chromedp.Poll(`!location.hash || document.body.getAttribute('data-current-period') === location.hash.slice(3)`, nil,
					chromedp.WithPollingTimeout(10*time.Second)),
				chromedp.Sleep(200*time.Millisecond),
				chromedp.Evaluate(`document.documentElement.scrollWidth - window.innerWidth`, &overflow),
				chromedp.FullScreenshot(&png, 100)); err != nil {
				cancelTab()
				t.Fatal(err)
			}
			cancelTab()
			if overflow > 1 {
				t.Errorf("%s at %d px: page is %d px wider than the screen", shot.page, shot.width, overflow)
			}
			name := fmt.Sprintf("%s-%d.png", strings.NewReplacer(".html", "", "#p=", "-").Replace(shot.page), shot.width)
			if err := os.WriteFile(filepath.Join(out, name), png, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	})
}

// waitPeriod waits until the page shows period key (a period other than
// the default loads its file first).
func waitPeriod(key string) chromedp.Action {
	return chromedp.Poll(`document.body.getAttribute('data-current-period') === `+strconv.Quote(key), nil,
		chromedp.WithPollingTimeout(10*time.Second))
}

// startBrowser starts one headless Chromium for a test, with a fresh
// profile and every background network feature off. The profile is
// chromedp's own temporary folder, removed by chromedp once Chromium has
// exited: a t.TempDir profile failed the test whenever a Chromium helper
// process still wrote into it during the test's cleanup ("directory not
// empty").
func startBrowser(t *testing.T, ctx context.Context, chrome string) (context.Context, context.CancelFunc) {
	t.Helper()
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chrome),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-default-apps", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.Flag("metrics-recording-only", true),
		chromedp.Flag("hide-scrollbars", true),
		chromedp.WindowSize(1366, 900),
	}
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	browser, cancelBrowser := chromedp.NewContext(allocCtx)
	if err := chromedp.Run(browser); err != nil {
		cancelBrowser()
		cancelAlloc()
		t.Fatalf("start chromium: %v", err)
	}
	return browser, func() { cancelBrowser(); cancelAlloc() }
}

// TestScreenshotSite screenshots the overview of an already generated site
// (THIDUA_SITE=DIR, e.g. out/dashboards after `thidua run`) into the
// artifacts folder, for the README. It is skipped without THIDUA_SITE.
func TestScreenshotSite(t *testing.T) {
	site := os.Getenv("THIDUA_SITE")
	if site == "" {
		t.Skip("set THIDUA_SITE to a generated dashboards folder to screenshot it")
	}
	chrome := chromiumPath(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	browser, cancelBrowser := startBrowser(t, ctx, chrome)
	defer cancelBrowser()
	out := artifactsDir(t)
	for _, width := range []int64{1366, 360} {
		tab, cancelTab := chromedp.NewContext(browser)
		l := &pageLog{}
		listen(tab, l)
		var png []byte
		var undrawn []string
		err := chromedp.Run(tab, network.Enable(), log.Enable(), runtime.Enable(),
			chromedp.EmulateViewport(width, 900),
			chromedp.Navigate(fileURL(filepath.Join(site, "index.html"))), chromedp.WaitReady("body"),
			chromedp.Poll(`window.thidua !== undefined`, nil, chromedp.WithPollingTimeout(15*time.Second)),
			chromedp.Sleep(300*time.Millisecond),
			chromedp.Evaluate(undrawnJS, &undrawn),
			chromedp.FullScreenshot(&png, 100))
		cancelTab()
		if err != nil {
			t.Fatal(err)
		}
		problems, requests, _ := l.snapshot()
		if len(undrawn)+len(problems)+len(requests) > 0 {
			t.Errorf("width %d: undrawn %v, problems %v, requests %v", width, undrawn, problems, requests)
		}
		name := filepath.Join(out, fmt.Sprintf("overview-%d.png", width))
		if err := os.WriteFile(name, png, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("wrote %s", name)
	}
	// Every page of the site loads cleanly too.
	pages, _ := filepath.Glob(filepath.Join(site, "*.html"))
	for _, p := range pages {
		tab, cancelTab := chromedp.NewContext(browser)
		l := &pageLog{}
		listen(tab, l)
		var undrawn []string
		err := chromedp.Run(tab, network.Enable(), log.Enable(), runtime.Enable(),
			chromedp.Navigate(fileURL(p)), chromedp.WaitReady("body"),
			chromedp.Poll(`window.thidua !== undefined`, nil, chromedp.WithPollingTimeout(15*time.Second)),
			chromedp.Sleep(200*time.Millisecond), chromedp.Evaluate(undrawnJS, &undrawn))
		cancelTab()
		if err != nil {
			t.Fatalf("%s: %v", filepath.Base(p), err)
		}
		problems, requests, dialogs := l.snapshot()
		if len(undrawn)+len(problems)+len(requests)+dialogs > 0 {
			t.Errorf("%s: undrawn %v, problems %v, requests %v, dialogs %d", filepath.Base(p), undrawn, problems, requests, dialogs)
		}
	}
}

// TestBrowserLargeSingleFile searches a 60-unit cluster's single file:
// every row of its tables is in the file (no period or rows file).
func TestBrowserLargeSingleFile(t *testing.T) {
	needECharts(t)
	chrome := chromiumPath(t)
	site := t.TempDir()
	if _, err := Render(site, sizedReport(60, 3, 2020, 2020), Options{GeneratedAt: fixtureTime, SingleFile: true}); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	browser, cancelBrowser := startBrowser(t, ctx, chrome)
	defer cancelBrowser()
	tab, cancelTab := chromedp.NewContext(browser)
	defer cancelTab()
	l := &pageLog{}
	listen(tab, l)
	var shown []int
	if err := chromedp.Run(tab, network.Enable(), log.Enable(), runtime.Enable(),
		chromedp.Navigate(fileURL(filepath.Join(site, SingleFileName))), chromedp.WaitReady("body"),
		chromedp.Poll(`window.thidua !== undefined`, nil, chromedp.WithPollingTimeout(20*time.Second)),
		chromedp.Evaluate(`(() => { const s = document.getElementById('unit-search'); s.value = 'ĐƠN VỊ 40';
			s.dispatchEvent(new Event('input')); return true; })()`, nil),
		chromedp.Poll(`Array.from(document.querySelectorAll('table[data-page]')).every(t => t.tBodies[0].rows.length === 60)`, nil,
			chromedp.WithPollingTimeout(10*time.Second)),
		chromedp.Evaluate(`Array.from(document.querySelectorAll('table[data-page]')).filter(t => !t.closest('[hidden]')).
			map(t => Array.from(t.tBodies[0].rows).filter(r => !r.hidden).length)`, &shown)); err != nil {
		t.Fatal(err)
	}
	if len(shown) == 0 {
		t.Fatal("single file: no paged table on show")
	}
	for i, n := range shown {
		if n != 1 {
			t.Errorf("single file, searching ĐƠN VỊ 40: paged table %d shows %d rows, want 1", i, n)
		}
	}
	problems, requests, _ := l.snapshot()
	for _, p := range problems {
		t.Errorf("single file: %s", p)
	}
	for _, u := range requests {
		t.Errorf("single file: request %s", u)
	}
}

// TestBrowserLargeSite switches periods on a 700-unit site opened from
// file://: each period comes from its own file beside the pages, with no
// console error and no request outside the site's folder.
func TestBrowserLargeSite(t *testing.T) {
	needECharts(t)
	chrome := chromiumPath(t)
	site := t.TempDir()
	r := sizedReport(700, 3, 2020, 2020)
	start := time.Now()
	// (the quality page's tables of 700 rows in rows files of a few
	// parts each, as a larger site's are)
	defer func(m int) { rowsFileMax = m }(rowsFileMax)
	rowsFileMax = 1 << 10
	if _, err := Render(site, r, Options{GeneratedAt: fixtureTime}); err != nil {
		t.Fatal(err)
	}
	if parts, _ := filepath.Glob(filepath.Join(site, "data", "quality.rows.*.js")); len(parts) < 10 {
		t.Errorf("%d rows files, want the tables cut in parts", len(parts))
	}
	t.Logf("rendered 700 units × 3 indicators × 20 periods in %v", time.Since(start))
	root := fileURL(site) + "/"
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	browser, cancelBrowser := startBrowser(t, ctx, chrome)
	defer cancelBrowser()
	for _, page := range []string{"index.html", "indicator-ind0.html", "unit-400.html", "quality.html"} {
		tab, cancelTab := chromedp.NewContext(browser)
		l := &pageLog{}
		listen(tab, l)
		if err := chromedp.Run(tab, network.Enable(), log.Enable(), runtime.Enable(),
			chromedp.Navigate(root+page), chromedp.WaitReady("body"),
			chromedp.Poll(`window.thidua !== undefined`, nil, chromedp.WithPollingTimeout(20*time.Second))); err != nil {
			cancelTab()
			t.Fatalf("%s: %v", page, err)
		}
		if page == "quality.html" {
			checkLargeQuality(t, tab)
			cancelTab()
			continue
		}
		if page != "unit-400.html" {
			checkLargeTables(t, tab, page)
		}
		// (the default period, in the page, is the year 2020)
		for _, key := range []string{"2020-03", "2020-Q2", "2020-9M", "2020-H1"} {
			var rows, inFolder int
			var missing []string
			if err := chromedp.Run(tab,
				chromedp.SetValue("#period-select", key, chromedp.ByQuery),
				chromedp.Evaluate(`document.getElementById('period-select').dispatchEvent(new Event('change')); true`, nil),
				waitPeriod(key),
				chromedp.Evaluate(`document.querySelector('[data-period]:not([hidden]) table tbody').rows.length`, &rows),
				// (a trend comes once per period type with the page: byType)
				chromedp.Evaluate(`window.thidua.charts.filter(c => c.spec.byPeriod[`+strconv.Quote(key)+`] === undefined &&
					!(c.spec.byType && Object.keys(c.spec.byType).length > 0)).map(c => c.spec.id)`, &missing),
				chromedp.Evaluate(`document.querySelectorAll('[data-period=`+strconv.Quote(key)+`]').length`, &inFolder)); err != nil {
				cancelTab()
				t.Fatalf("%s %s: %v", page, key, err)
			}
			want := 700
			if strings.HasPrefix(page, "unit-") {
				want = 3
			}
			if rows != want {
				t.Errorf("%s %s: the period's table has %d rows, want %d", page, key, rows, want)
			}
			if len(missing) > 0 {
				t.Errorf("%s %s: charts without the period: %v", page, key, missing)
			}
			if inFolder == 0 {
				t.Errorf("%s %s: nothing of the period on the page", page, key)
			}
		}
		var undrawn []string
		if err := chromedp.Run(tab, chromedp.Sleep(200*time.Millisecond), chromedp.Evaluate(undrawnJS, &undrawn)); err != nil {
			t.Fatal(err)
		}
		// A large cluster's charts: the 10 best and 10 worst units, the
		// distribution, the trend as P10, median, P90 and the mean.
		var shape map[string][]int
		if err := chromedp.Run(tab, chromedp.Evaluate(`(() => { const o = {}; window.thidua.charts.forEach(c => {
			if (!c.inst) return; const opt = c.inst.getOption();
			const cats = (opt.xAxis || []).concat(opt.yAxis || []).map(a => (a.data || []).length);
			o[c.spec.id] = [opt.series.length, Math.max(0, ...cats)]; }); return o; })()`, &shape)); err != nil {
			t.Fatal(err)
		}
		switch page {
		case "indicator-ind0.html":
			if s := shape["c-indicator-ind0-bars"]; len(s) != 2 || s[1] != 20 {
				t.Errorf("%s: bars chart (series, categories) = %v, want 20 units", page, s)
			}
			if s := shape["c-indicator-ind0-trend"]; len(s) != 2 || s[0] != 4 {
				t.Errorf("%s: trend chart (series, categories) = %v, want 4 series (P10, median, P90, mean)", page, s)
			}
			if s := shape["c-indicator-ind0-dist"]; len(s) != 2 || s[1] == 0 {
				t.Errorf("%s: distribution chart = %v, want bins", page, s)
			}
		case "index.html":
			if s := shape["c-overview-score"]; len(s) != 2 || s[1] != 20 {
				t.Errorf("%s: league chart (series, categories) = %v, want 20 units", page, s)
			}
			if s := shape["c-overview-status"]; len(s) != 2 || s[0] != 5 {
				t.Errorf("%s: status chart (series, categories) = %v, want 5 statuses", page, s)
			}
			if s := shape["c-overview-heat"]; len(s) != 2 || s[1] > 20 {
				t.Errorf("%s: heatmap (series, categories) = %v, want at most 20 units", page, s)
			}
		}
		if len(undrawn) > 0 {
			t.Errorf("%s: charts not drawn: %v", page, undrawn)
		}
		cancelTab()
		l.mu.Lock()
		problems, all := l.problems, l.all
		l.mu.Unlock()
		for _, p := range problems {
			t.Errorf("%s: %s", page, p)
		}
		periodFiles := 0
		for _, u := range all {
			if !strings.HasPrefix(u, root) {
				t.Errorf("%s: request outside the site's folder: %s", page, u)
			}
			if strings.Contains(u, "/data/") && !strings.HasSuffix(u, "/data/units.js") {
				periodFiles++
			}
		}
		want := 5 // (the default period's brings every row of its tables)
		if strings.HasPrefix(page, "unit-") {
			want = 2 // a unit page: 2020's periods in one file, the sparklines of the other period types in another
		}
		if periodFiles != want {
			t.Errorf("%s: %d period files loaded, want %d (one per period chosen and the default period's; a unit page: the year's "+
				"and the sparklines')", page, periodFiles, want)
		}
	}
}

// pagedCanonJS is the first paged table on show, its hidden rows left out,
// as compareSlotsJS writes nodes.
const pagedCanonJS = `(() => {
  const canon = n => {
    if (n.nodeType === 3) { return n.data.trim() === '' ? '' : JSON.stringify(n.data); }
    if (n.nodeType !== 1) { return ''; }
    if (n.localName === 'tr' && n.hasAttribute('hidden')) { return ''; }
    const attrs = Array.from(n.attributes).filter(a => a.name !== 'hidden').map(a => a.name + '=' + JSON.stringify(a.value)).sort();
    return '<' + n.localName + ' ' + attrs.join(' ') + '>' + Array.from(n.childNodes).map(canon).join('') + '</' + n.localName + '>';
  };
  const t = Array.from(document.querySelectorAll('table[data-page]')).find(t => !t.closest('[hidden]'));
  return t ? canon(t.closest('.table-box')) : '';
})()`

// largeTablesJS reports the state of the paged tables on show: for each,
// its id, rows in the DOM, rows shown, the pager's text and the units of
// the rows shown; and the search box's text.
const largeTablesJS = `(() => {
  const out = { tables: [], info: (document.querySelector('.search-info') || {}).textContent || '' };
  document.querySelectorAll('table[data-page]').forEach(t => {
    if (t.closest('[hidden]')) { return; }
    const rows = Array.from(t.tBodies[0].rows), shown = rows.filter(r => !r.hidden);
    const pager = document.querySelector('.pager[data-for="' + t.id + '"] .pg-info');
    out.tables.push({ id: t.id, rows: rows.length, shown: shown.length, pager: pager ? pager.textContent : '',
      units: shown.slice(0, 3).map(r => r.getAttribute('data-u')) });
  });
  return out;
})()`

type largeTables struct {
	Tables []struct {
		ID    string   `json:"id"`
		Rows  int      `json:"rows"`
		Shown int      `json:"shown"`
		Pager string   `json:"pager"`
		Units []string `json:"units"`
	} `json:"tables"`
	Info string `json:"info"`
}

// checkLargeQuality checks a 700-unit site's quality page: completeness
// as units with gaps first, paged, with a chart of units per period; the
// rows file brings every row, and site.js's first page equals the HTML's.
func checkLargeQuality(t *testing.T, tab context.Context) {
	t.Helper()
	var before, after string
	var st largeTables
	var series int
	if err := chromedp.Run(tab, chromedp.Evaluate(pagedCanonJS, &before), chromedp.Evaluate(largeTablesJS, &st),
		chromedp.Evaluate(`window.thidua.charts[0].inst.getOption().series.length`, &series)); err != nil {
		t.Fatal(err)
	}
	if len(st.Tables) == 0 || st.Tables[0].Rows != 50 || st.Tables[0].Pager != "Hàng 1–50 / 700" {
		t.Fatalf("quality.html as the HTML carries it: %+v, want a paged table of 50 of 700 rows", st)
	}
	if series != 3 {
		t.Errorf("quality.html: completeness chart has %d series, want 3 (complete, partly, not reported)", series)
	}
	// The CSV download before any search or page: the click waits for
	// every row (the rows file), then downloads the whole table.
	var csv string
	if err := chromedp.Run(tab, chromedp.Evaluate(`new Promise(resolve => {
		const orig = URL.createObjectURL;
		URL.createObjectURL = b => { URL.createObjectURL = orig; b.text().then(resolve); return 'data:text/plain,'; };
		document.querySelector('button.csv[data-table="`+st.Tables[0].ID+`"]').click();
	})`, &csv, func(p *runtime.EvaluateParams) *runtime.EvaluateParams { return p.WithAwaitPromise(true) })); err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(csv, "\r\n"); n != 701 {
		t.Errorf("quality.html %s: CSV clicked before every row was there has %d lines, want 701", st.Tables[0].ID, n)
	}
	if err := chromedp.Run(tab,
		chromedp.Evaluate(`(() => { const s = document.getElementById('unit-search'); s.value = 'x'; s.dispatchEvent(new Event('input'));
			s.value = ''; s.dispatchEvent(new Event('input')); return true; })()`, nil),
		chromedp.Poll(`Array.from(document.querySelectorAll('table[data-page]')).some(t => t.tBodies[0].rows.length === 700)`, nil,
			chromedp.WithPollingTimeout(10*time.Second)),
		chromedp.Evaluate(pagedCanonJS, &after)); err != nil {
		t.Fatal(err)
	}
	if before != after {
		i := 0
		for i < len(before) && i < len(after) && before[i] == after[i] {
			i++
		}
		t.Errorf("quality.html: site.js's first page differs from the HTML's at %d: HTML …%s… built …%s…", i,
			before[max(0, i-60):min(len(before), i+100)], after[max(0, i-60):min(len(after), i+100)])
	}
	st = largeTablesSearch(t, tab, "quality.html", "don vi 400")
	for _, tb := range st.Tables {
		if tb.Shown != 1 || tb.Units[0] != "unit-458.html" {
			t.Errorf("quality.html %s, searching don vi 400: %d shown %v", tb.ID, tb.Shown, tb.Units)
		}
	}
}

// largeTablesSearch types q in the search box and returns the paged
// tables' state once every row is there.
func largeTablesSearch(t *testing.T, tab context.Context, page, q string) largeTables {
	t.Helper()
	var out largeTables
	if err := chromedp.Run(tab,
		chromedp.Evaluate(`(() => { const s = document.getElementById('unit-search'); s.value = `+strconv.Quote(q)+`;
			s.dispatchEvent(new Event('input')); return true; })()`, nil),
		chromedp.Poll(`Array.from(document.querySelectorAll('table[data-page]')).filter(t => !t.closest('[hidden]')).every(t => t.tBodies[0].rows.length === 700)`,
			nil, chromedp.WithPollingTimeout(10*time.Second)),
		chromedp.Evaluate(largeTablesJS, &out)); err != nil {
		t.Fatalf("%s: search %q: %v", page, q, err)
	}
	return out
}

// checkLargeTables searches, pages, sorts and downloads the paged tables
// of a 700-unit page in its default period, whose HTML carries the first
// page of each table (the default period's file brings the rest).
func checkLargeTables(t *testing.T, tab context.Context, page string) {
	t.Helper()
	var st largeTables
	if err := chromedp.Run(tab, chromedp.Evaluate(largeTablesJS, &st)); err != nil {
		t.Fatal(err)
	}
	if len(st.Tables) == 0 {
		t.Fatalf("%s: no paged table", page)
	}
	for _, tb := range st.Tables {
		if tb.Rows != 50 || tb.Shown != 50 || tb.Pager != "Hàng 1–50 / 700" {
			t.Errorf("%s %s as the HTML carries it: %d rows, %d shown, pager %q; want 50, 50, Hàng 1–50 / 700", page, tb.ID, tb.Rows, tb.Shown, tb.Pager)
		}
	}
	// Search, without accents and in capitals: every table keeps the one
	// unit, and the search names it.
	search := func(q string) largeTables { return largeTablesSearch(t, tab, page, q) }
	st = search("DON VI 400")
	for _, tb := range st.Tables {
		if tb.Rows != 700 || tb.Shown != 1 || len(tb.Units) != 1 || tb.Units[0] != "unit-458.html" {
			t.Errorf("%s %s, searching DON VI 400: %d rows, %d shown %v; want 700 rows, unit 458 (unit-458.html) alone", page, tb.ID, tb.Rows, tb.Shown, tb.Units)
		}
		if !strings.HasPrefix(tb.Pager, "Hàng 1–1 / 1 hàng khớp") {
			t.Errorf("%s %s, searching: pager %q", page, tb.ID, tb.Pager)
		}
	}
	if st.Info != "Đang xem: Đơn vị 400" {
		t.Errorf("%s: search info %q, want Đang xem: Đơn vị 400", page, st.Info)
	}
	// In print, a paged table says it prints the rows on screen: the
	// pager's text and the note show, its buttons do not.
	var printed []string
	if err := chromedp.Run(tab, emulation.SetEmulatedMedia().WithMedia("print"),
		chromedp.Evaluate(`(() => { const t = Array.from(document.querySelectorAll('table[data-page]')).find(t => !t.closest('[hidden]'));
			const box = t.closest('.table-box'), d = s => getComputedStyle(box.querySelector(s)).display;
			return [d('.pg-info'), d('.pg-print'), d('.pg-next'), d('.pg-size')]; })()`, &printed),
		emulation.SetEmulatedMedia().WithMedia("")); err != nil {
		t.Fatal(err)
	}
	if strings.Join(printed, " ") != "block block none none" {
		t.Errorf("%s in print: pager text, note, buttons, page size displayed as %v, want block block none none", page, printed)
	}
	// The unit searched for is in the charts: its bar after the best and
	// worst, its bin marked on the histogram, its value on the trend.
	var marks map[string][]any
	if err := chromedp.Run(tab, chromedp.Evaluate(`(() => { const o = {}; window.thidua.charts.forEach(c => {
		if (!c.inst) return; const opt = c.inst.getOption();
		const axes = (opt.xAxis || []).concat(opt.yAxis || []).filter(a => Array.isArray(a.data) && a.data.length);
		const cat = axes.find(a => String(a.data[a.data.length - 1]).startsWith('►')) || axes[0] || { data: [] };
		const mp = (opt.series[0].markPoint || {}).data || [];
		o[c.spec.id] = [cat.data.length, String(cat.data[cat.data.length - 1]), opt.series.length,
			opt.series[opt.series.length - 1].name, mp.length]; }); return o; })()`, &marks)); err != nil {
		t.Fatal(err)
	}
	want := map[string][]any{}
	switch page {
	case "index.html":
		want["c-overview-score"] = []any{21.0, "► Đơn vị 400"}
		want["c-overview-heat"] = []any{21.0, "► Đơn vị 400"}
	case "indicator-ind0.html":
		want["c-indicator-ind0-bars"] = []any{21.0, "► Đơn vị 400"}
		want["c-indicator-ind0-change"] = []any{21.0, "► Đơn vị 400"}
	}
	for id, w := range want {
		if m := marks[id]; len(m) < 2 || m[0] != w[0] || m[1] != w[1] {
			t.Errorf("%s: %s with the unit searched for: categories %v, want %v units, the last %q", page, id, m, w[0], w[1])
		}
	}
	for _, width := range []int64{1366, 360} {
		var png []byte
		if err := chromedp.Run(tab, chromedp.EmulateViewport(width, 900), chromedp.Sleep(150*time.Millisecond),
			chromedp.FullScreenshot(&png, 100)); err != nil {
			t.Fatal(err)
		}
		name := filepath.Join(artifactsDir(t), fmt.Sprintf("large-%s-search-%d.png", strings.TrimSuffix(page, ".html"), width))
		if err := os.WriteFile(name, png, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := chromedp.Run(tab, chromedp.EmulateViewport(1366, 900)); err != nil {
		t.Fatal(err)
	}
	if page == "indicator-ind0.html" {
		if m := marks["c-indicator-ind0-trend"]; len(m) < 4 || m[2] != 5.0 || m[3] != "Đơn vị 400" {
			t.Errorf("%s: trend with the unit searched for: %v, want 5 series, the last Đơn vị 400", page, m)
		}
		if m := marks["c-indicator-ind0-dist"]; len(m) < 5 || m[4] != 1.0 {
			t.Errorf("%s: histogram with the unit searched for: %v, want its bin marked", page, m)
		}
	}
	// The search box folds a query as thidua.Fold folds names.
	var folded []string
	queries := []string{"Đơn vị 400", "ĐƠN VỊ 400", "Đơn vị 400", "  Huyện   Pác-Nặm! ", "ỦY BAN Thành phố", "ấầẩẫậ ĂẰẮẲẴẶ đĐ"}
	qs, _ := json.Marshal(queries)
	if err := chromedp.Run(tab, chromedp.Evaluate(`(`+string(qs)+`).map(window.thidua.fold)`, &folded)); err != nil {
		t.Fatal(err)
	}
	for i, q := range queries {
		if i < len(folded) && folded[i] != thidua.Fold(q) {
			t.Errorf("site.js folds %q to %q, thidua.Fold to %q", q, folded[i], thidua.Fold(q))
		}
	}
	// A query matching many units names none; the pager counts them.
	st = search("vi 40")
	for _, tb := range st.Tables {
		if tb.Shown != 11 || !strings.HasPrefix(tb.Pager, "Hàng 1–11 / 11 hàng khớp (bảng có 700)") {
			t.Errorf("%s %s, searching vi 40: %d shown, pager %q; want the 11 units 40, 400–409", page, tb.ID, tb.Shown, tb.Pager)
		}
	}
	if st.Info != "11 đơn vị khớp" {
		t.Errorf("%s: search info %q, want 11 đơn vị khớp", page, st.Info)
	}
	// Paging through every row.
	st = search("")
	first := st.Tables[0].ID
	var pager string
	if err := chromedp.Run(tab,
		chromedp.Evaluate(`document.querySelector('.pager[data-for="`+first+`"] .pg-next').click(); true`, nil),
		chromedp.Evaluate(`document.querySelector('.pager[data-for="`+first+`"] .pg-next').click(); true`, nil),
		chromedp.Evaluate(`document.querySelector('.pager[data-for="`+first+`"] .pg-prev').click(); true`, nil),
		chromedp.Evaluate(`document.querySelector('.pager[data-for="`+first+`"] .pg-info').textContent`, &pager)); err != nil {
		t.Fatal(err)
	}
	if pager != "Hàng 51–100 / 700" {
		t.Errorf("%s %s: after next, next, previous: pager %q, want Hàng 51–100 / 700", page, first, pager)
	}
	var all int
	if err := chromedp.Run(tab,
		chromedp.Evaluate(`(() => { const s = document.querySelector('.pager[data-for="`+first+`"] select'); s.value = '0';
			s.dispatchEvent(new Event('change', { bubbles: true })); return true; })()`, nil),
		chromedp.Evaluate(`Array.from(document.getElementById('`+first+`').tBodies[0].rows).filter(r => !r.hidden).length`, &all)); err != nil {
		t.Fatal(err)
	}
	if all != 700 {
		t.Errorf("%s %s: %d rows shown with page size all, want 700", page, first, all)
	}
	// Sorting sorts every row, then shows the first page: by the second
	// column's exact values, descending (missing last).
	var order []string
	if err := chromedp.Run(tab, chromedp.Evaluate(`(() => {
		const t = document.getElementById('`+first+`'), th = t.tHead.rows[0].cells;
		let col = 0; for (let i = th.length - 1; i >= 0; i--) { if (th[i].classList.contains('num')) { col = i; } }
		th[col].querySelector('button').click(); th[col].querySelector('button').click();
		return Array.from(t.tBodies[0].rows).map(r => r.cells[col].getAttribute('data-v') || 'missing');
	})()`, &order)); err != nil {
		t.Fatal(err)
	}
	if len(order) != 700 {
		t.Fatalf("%s: %d rows after sorting", page, len(order))
	}
	prev, missing := 1e300, false
	for _, o := range order {
		if o == "missing" {
			missing = true
			continue
		}
		v, err := strconv.ParseFloat(o, 64)
		if err != nil || v > prev || missing {
			t.Errorf("%s %s: not sorted descending with missing values last: %v …", page, first, order[:20])
			break
		}
		prev = v
	}
	// The CSV download has every row, whatever the page shown.
	var csv string
	if err := chromedp.Run(tab, chromedp.Evaluate(`new Promise(resolve => {
		URL.createObjectURL = b => { b.text().then(resolve); return 'data:text/plain,'; };
		document.querySelector('button.csv[data-table="`+first+`"]').click();
	})`, &csv, func(p *runtime.EvaluateParams) *runtime.EvaluateParams { return p.WithAwaitPromise(true) })); err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(csv, "\r\n"); n < 701 {
		t.Errorf("%s %s: CSV download has %d lines, want the header and 700 rows (and any footer)", page, first, n)
	}
}
