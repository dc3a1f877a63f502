package dashboards

import (
	"bytes"
	"compress/zlib"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"flag"
	"html"
	"io"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/thidua/thidua"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// needECharts fails a test when the ECharts script was not fetched before
// the build: a test that cannot render must not pass as skipped.
func needECharts(t testing.TB) {
	t.Helper()
	if _, err := ECharts(); err != nil {
		t.Fatal(err)
	}
}

func render(t *testing.T, r thidua.Report, o Options) (string, []string) {
	t.Helper()
	needECharts(t)
	dir := t.TempDir()
	if o.GeneratedAt.IsZero() {
		o.GeneratedAt = fixtureTime
	}
	files, err := Render(dir, r, o)
	if err != nil {
		t.Fatal(err)
	}
	return dir, files
}

func read(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestRenderFiles(t *testing.T) {
	dir, files := render(t, fixtureReport(false), Options{})
	var got []string
	for _, f := range files {
		rel, _ := filepath.Rel(dir, f)
		got = append(got, rel)
	}
	want := []string{"index.html", "indicator-budget_revenue.html", "indicator-poverty_rate.html", "indicator-commended.html",
		"unit-U1.html", "unit-U2.html", "unit-U3.html", "quality.html"}
	// The unit list of the period files, then the periods of every page,
	// a year's in one file (a small cluster), named after its first period
	// (2019-H1, 2019; 2020-Q1, 2020-H1, 2020); a unit page's sparkline
	// series of the types other than the default period's (half-year), in
	// one file named after the first.
	// (the indicator and unit pages' periods are in the rows files they
	// share, one a period: prowsJob)
	want = append(want, "data/units.js")
	for _, p := range []string{"2020-Q1", "2019-H1", "2020-H1", "2019", "2020"} {
		want = append(want, "data/rows."+p+".0.js")
	}
	for _, page := range want[:8] {
		if strings.HasPrefix(page, "indicator-") {
			continue
		}
		for _, p := range []string{"2019-H1", "2020-Q1"} {
			if strings.HasPrefix(page, "unit-") {
				continue
			}
			want = append(want, "data/"+strings.TrimSuffix(page, ".html")+"."+p+".js")
		}
		if strings.HasPrefix(page, "unit-") {
			want = append(want, "data/"+strings.TrimSuffix(page, ".html")+".series-quarter.js")
		}
	}
	want = append(want, "assets/echarts.min.js", "assets/fflate.min.js", "assets/site.js", "assets/site.css", "assets/langVI.js")
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("files:\n got %v\nwant %v", got, want)
	}
	// The hidden ratio component has no page.
	if _, err := os.Stat(filepath.Join(dir, "indicator-households.html")); err == nil {
		t.Error("hidden indicator got a page")
	}
}

// siteText is a page's HTML followed by its period files, unpacked.
func siteText(t *testing.T, dir, stem string) string {
	t.Helper()
	s := string(read(t, filepath.Join(dir, stem+".html")))
	files, _ := filepath.Glob(filepath.Join(dir, "data", stem+".*.js"))
	for _, f := range files {
		if m := periodFileRE.FindSubmatch(read(t, f)); m != nil {
			s += string(unpackJSON(t, string(m[1])))
		}
	}
	return s
}

var periodFileRE = regexp.MustCompile(`(?s)^thidua\.packed\("([A-Za-z0-9+/=]*)"\);\n$`)

// unpackJSON is packed data (packedScript) as the JSON site.js reads from it.
func unpackJSON(t *testing.T, b64 string) []byte {
	t.Helper()
	z, err := base64.StdEncoding.DecodeString(b64)
	if err != nil {
		t.Fatalf("packed data: %v", err)
	}
	zr, err := zlib.NewReader(bytes.NewReader(z))
	if err != nil {
		t.Fatalf("packed data: %v", err)
	}
	js, err := io.ReadAll(zr)
	if err != nil {
		t.Fatalf("packed data: %v", err)
	}
	return js
}

// blocksJSON is the compact blocks of a page's data or a period file:
// article → period → block.
type blocksJSON map[string]map[string]struct {
	Tables []struct {
		ID   string
		Fmt  string
		Dec  []int
		Of   []int
		Rows [][]any
	}
	Notes []string
}

// periodJSON decodes a period file (data/STEM.PERIOD.js).
func periodJSON(t *testing.T, b []byte) (d struct {
	Charts  map[string]map[string]map[string]any // period → chart → whole option, or its keys beside its base
	Bases   map[string]map[string]any            // chart → the keys its options of the file share
	Blocks  blocksJSON
	Cells   []map[string]any
	Classes []string
	Units   [][2]string
}) {
	t.Helper()
	m := periodFileRE.FindSubmatch(b)
	if m == nil {
		t.Fatalf("not a period file: %.80s", b)
	}
	if err := json.Unmarshal(unpackJSON(t, string(m[1])), &d); err != nil {
		t.Fatalf("period file: %v", err)
	}
	return d
}

func TestGolden(t *testing.T) {
	for _, tc := range []struct {
		lang  string
		pages []string
	}{
		{"vi", []string{"index.html", "indicator-budget_revenue.html", "unit-U2.html", "quality.html"}},
		{"en", []string{"index.html"}},
	} {
		dir, _ := render(t, fixtureReport(false), Options{Lang: tc.lang})
		for _, p := range tc.pages {
			golden := filepath.Join("testdata", "golden", tc.lang+"-"+p)
			got := read(t, filepath.Join(dir, p))
			if *update {
				if err := os.WriteFile(golden, got, 0o644); err != nil {
					t.Fatal(err)
				}
				continue
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test ./dashboards -run Golden -update)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("%s differs from %s; rerun with -update after checking the change", p, golden)
			}
		}
	}
}

var dataRE = regexp.MustCompile(`(?s)<script type="application/json" id="thidua-data">(.*?)</script>`)

// pageJSON returns the page's data block, decoded.
func pageJSON(t *testing.T, html []byte) (raw []byte, d struct {
	Lang    string
	Default string
	Charts  []struct {
		ID       string
		Kind     string
		Base     map[string]any
		Opts     []map[string]any
		ByPeriod map[string]int
	}
	Blocks  blocksJSON
	Cells   []map[string]any
	Classes []string
	Units   [][2]string
	Lazy    string
	Files   []string
	FileOf  []int
	Periods []struct{ Key string }
}) {
	t.Helper()
	m := dataRE.FindSubmatch(html)
	if m == nil {
		t.Fatal("no data block")
	}
	if err := json.Unmarshal(m[1], &d); err != nil {
		t.Fatalf("data block: %v", err)
	}
	return m[1], d
}

// mergeOption applies a period's patch to a chart's base option, as
// site.js does.
func mergeOption(base, patch map[string]any) map[string]any {
	o := map[string]any{}
	for k, v := range base {
		o[k] = v
	}
	for k, v := range patch {
		if v == nil {
			delete(o, k)
		} else {
			o[k] = v
		}
	}
	return o
}

// TestCompactBlocks checks the periods that are not in the HTML: their
// tables travel as numbers that site.js formats (the browser test checks
// it formats them as the Go side would have).
func TestCompactBlocks(t *testing.T) {
	// (a large cluster's unit page: a small cluster's take their periods
	// from the rows files, TestRowsFiles)
	dir, _ := render(t, fixtureReport(false), Options{LargeCluster: 2})
	b := read(t, filepath.Join(dir, "unit-U1.html"))
	if strings.Contains(string(b), `data-period="2020"`) {
		t.Error("a period other than the default is in the HTML")
	}
	_, pg := pageJSON(t, b)
	if len(pg.Blocks) != 0 {
		t.Errorf("the page carries blocks of other periods: %v", pg.Blocks)
	}
	// 2020 is in the file of 2020's periods, named after the first.
	if f := periodFileName(t, pg.Lazy, pg.Files, pg.FileOf, pg.Periods, "2020"); f != "data/unit-U1.2020-Q1.js" {
		t.Fatalf("2020's period file is %q", f)
	}
	d := periodJSON(t, read(t, filepath.Join(dir, "data", "unit-U1.2020-Q1.js")))
	if len(d.Charts) != 3 || d.Charts["2020"]["c-unit-U1-radar"] == nil {
		t.Errorf("period file: charts %v, want 2020-Q1, 2020-H1 and 2020", d.Charts)
	}
	blk, ok := d.Blocks["page-unit-U1"]["2020"]
	if !ok || len(blk.Tables) != 1 {
		t.Fatalf("no block for 2020: %v", d.Blocks)
	}
	tb := blk.Tables[0]
	if tb.ID != "t-unit-U1-2020" || tb.Fmt != "--nnnprss-" || len(tb.Dec) != len(tb.Rows) || tb.Dec[0] != 0 || len(tb.Of) != len(tb.Rows) {
		t.Errorf("table %q format %q decimals %v of %v", tb.ID, tb.Fmt, tb.Dec, tb.Of)
	}
	// U1's 2020 budget revenue, 12000 × 1.1, is a bare number.
	if v, ok := tb.Rows[0][2].(float64); !ok || v != 13200 {
		t.Errorf("U1 2020 value cell = %#v, want 13200", tb.Rows[0][2])
	}
	// Every number carries no more decimals than it is shown with: the
	// row's (its indicator's) or a percent's one.
	for i, r := range tb.Rows {
		for j, c := range r {
			v, ok := c.(float64)
			if a, isArr := c.([]any); isArr && len(a) == 2 {
				v, ok = a[0].(float64)
			}
			dec := tb.Dec[i]
			switch tb.Fmt[j] {
			case 'p', 's':
				dec = 1
			case 'r':
				dec = 0
			}
			if p := math.Pow10(dec); ok && math.Abs(v*p-math.Round(v*p)) > 1e-9 {
				t.Errorf("row %d column %d (%c): %v has more decimals than shown", i, j, tb.Fmt[j], v)
			}
		}
	}
	// The default period is in its year's file too (a file is the same
	// whichever period is the default), and nowhere else.
	if _, ok := d.Blocks["page-unit-U1"]["2020-H1"]; !ok {
		t.Error("the default period is not in its year's file")
	}
	if _, err := os.Stat(filepath.Join(dir, "data", "unit-U1.2020-H1.js")); err == nil {
		t.Error("the default period has a file of its own")
	}
}

// TestRowsFiles checks the rows files a small cluster's indicator pages
// share: one a period (every indicator's rows), the numbers as shown
// (rounded to the decimals of their column), statuses and ranks as the
// transform gave them; the pages name them and carry no period file.
func TestRowsFiles(t *testing.T) {
	dir, _ := render(t, fixtureReport(false), Options{})
	b := read(t, filepath.Join(dir, "indicator-budget_revenue.html"))
	_, pg := pageJSON(t, b)
	if len(pg.Files) != 0 || len(pg.Blocks) != 0 {
		t.Errorf("the indicator page has period files %v or blocks %v", pg.Files, pg.Blocks)
	}
	var pr struct {
		Prows struct {
			File   string
			Chunks []int
			Code   string
			Dec    int
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "data", "indicator-budget_revenue.2020-Q1.js")); err == nil {
		t.Error("the indicator page has a period file of its own")
	}
	raw, _ := pageJSON(t, b)
	if err := json.Unmarshal(raw, &pr); err != nil || pr.Prows.File != "data/rows." || pr.Prows.Code != "budget_revenue" || len(pr.Prows.Chunks) != 1 || pr.Prows.Chunks[0] != 0 {
		t.Fatalf("the page's rows: %+v %v", pr, err)
	}
	for _, key := range []string{"2020", "2020-H1", "2019-H1"} {
		m := regexp.MustCompile(`^thidua\.prows\("([A-Za-z0-9+/=]+)"\);\n$`).FindSubmatch(read(t, filepath.Join(dir, "data", "rows."+key+".0.js")))
		if m == nil {
			t.Fatalf("rows.%s.0.js is not a rows file", key)
		}
		var d struct {
			Key  string
			Inds []string
			U    [][][]any
			C    [][]any
		}
		if err := json.Unmarshal(unpackJSON(t, string(m[1])), &d); err != nil {
			t.Fatal(err)
		}
		if d.Key != key || strings.Join(d.Inds, " ") != "budget_revenue poverty_rate commended" || len(d.U) != 3 || len(d.C) != 3 {
			t.Fatalf("rows of %s: key %q indicators %v, %d and %d rows", key, d.Key, d.Inds, len(d.U), len(d.C))
		}
		if key != "2020" {
			continue
		}
		// U1's 2020 budget revenue, 12000 × 1.1, complete; its status as
		// the transform said; every number no more decimals than shown.
		u1 := d.U[0][0]
		if v, ok := u1[0].(float64); !ok || v != 13200 || u1[1] != float64(1) {
			t.Errorf("U1 2020 budget revenue %v", u1)
		}
		for i, r := range d.U[1] {
			if r == nil {
				continue
			}
			for j, c := range r {
				v, ok := c.(float64)
				dec := 2 // (the poverty rate's decimals)
				switch j {
				case 3, 5, 8, 11:
					dec = 1
				case 1, 10:
					dec = 0
				}
				if p := math.Pow10(dec); ok && math.Abs(v*p-math.Round(v*p)) > 1e-9 {
					t.Errorf("unit %d column %d: %v has more decimals than shown", i, j, v)
				}
			}
		}
	}
}

// periodFileName is the period file a page's data names for period key.
func periodFileName(t *testing.T, lazy string, files []string, fileOf []int, periods []struct{ Key string }, key string) string {
	t.Helper()
	if len(fileOf) != len(periods) {
		t.Fatalf("fileOf %v for %d periods", fileOf, len(periods))
	}
	for i, p := range periods {
		if p.Key == key {
			return lazy + files[fileOf[i]] + ".js"
		}
	}
	return ""
}

func TestDefaultPeriodAndFormats(t *testing.T) {
	dir, _ := render(t, fixtureReport(false), Options{})
	html := read(t, filepath.Join(dir, "indicator-budget_revenue.html"))
	_, d := pageJSON(t, html)
	if d.Default != "2020-H1" || d.Lang != "vi" { // the latest period with scores
		t.Errorf("default %q lang %q", d.Default, d.Lang)
	}
	s := string(html)
	for _, want := range []string{
		`<option value="2020-H1" selected>6 tháng đầu năm 2020</option>`,
		`<option value="2020-Q1">Quý I/2020</option>`,
		`<option value="2020">Năm 2020</option>`,
		`data-v="6600">6.600</td>`, // the default period, 2020-H1, in Vietnamese format
		`26/11/2026 08:30 UTC`,
		`lang="vi"`,
		`Content-Security-Policy" content="default-src &#39;none&#39;; script-src &#39;self&#39;`,
		`DỮ LIỆU MÔ PHỎNG`,
		`<script src="assets/echarts.min.js"></script>`,
		`<script src="assets/langVI.js"></script>`,
	} {
		if !strings.Contains(s, want) {
			t.Errorf("indicator page lacks %q", want)
		}
	}
	for _, bad := range []string{"http://", "https://", "cdn", "go-echarts.github.io"} {
		if strings.Contains(strings.ToLower(s), bad) {
			t.Errorf("page mentions %q: no network reference is allowed", bad)
		}
	}
}

func TestMissingIsNotZero(t *testing.T) {
	dir, _ := render(t, fixtureReport(false), Options{})
	html := read(t, filepath.Join(dir, "indicator-budget_revenue.html"))
	_, d := pageJSON(t, html)
	var bars map[string]any
	for _, c := range d.Charts {
		if c.ID == "c-indicator-budget_revenue-bars" {
			bars = mergeOption(c.Base, c.Opts[c.ByPeriod["2020-H1"]])
		}
	}
	if bars == nil {
		t.Fatal("no bars option for 2020-H1")
	}
	data := bars["series"].([]any)[0].(map[string]any)["data"].([]any)
	if v := data[2]; v != "-" {
		t.Errorf("U3 has not reported: bar value = %v, want \"-\" (a gap, not zero)", v)
	}
	s := string(html)
	sec := s[strings.Index(s, `data-period="2020-H1"`):]
	sec = sec[:strings.Index(sec, "</div>\n</div>")]
	if !strings.Contains(sec, `<td class="na">chưa báo cáo</td>`) {
		t.Error("2020-H1 table does not mark U3 as not reported")
	}
	if !strings.Contains(s, "Trung bình cụm tính trên 2/3 đơn vị đã báo cáo") || !strings.Contains(s, "Chưa báo cáo: Chợ Đồn.") {
		t.Error("missing mean note for 2020-H1")
	}
	// The cluster row with U3 missing is never shown as the cluster's
	// total: the partial sum of U1 and U2, marked with the units it counts,
	// and without a data-v, so the table's CSV download keeps the mark.
	if !strings.Contains(sec, `<td class="partial" title="Một phần: chưa đủ các đơn vị báo cáo, chỉ là số của các đơn vị đã báo cáo, chưa phải số của toàn cụm.">11.000 (một phần: 2/3 đơn vị)</td>`) {
		t.Error("2020-H1 cluster row does not show its partial sum as such")
	}
	idx := string(read(t, filepath.Join(dir, "index.html")))
	if !strings.Contains(idx, "11.000 (một phần: 2/3 đơn vị)") {
		t.Error("overview's key figure does not show the partial cluster sum as such")
	}
	// Partial data is marked.
	pov := string(read(t, filepath.Join(dir, "indicator-poverty_rate.html")))
	if !strings.Contains(pov, `class="partial" data-v="28.6" title="một phần">28,60 *</td>`) {
		t.Error("partial poverty rate of U2 in 2020-H1 not marked")
	}
}

func TestOverviewContent(t *testing.T) {
	dir, _ := render(t, fixtureReport(false), Options{})
	s := html.UnescapeString(siteText(t, dir, "index"))
	for _, want := range []string{
		"Bảng xếp hạng thi đua",
		"▲ +2", // U3 climbed from 3 to 1 in 2020-H1
		"Pác Nặm: thu ngân sách tăng 10,0% so với cùng kỳ, đạt 66,0% kế hoạch năm, dẫn đầu cụm.",
		"+10,0% so với cùng kỳ",
		"-1,50 điểm % so với cùng kỳ", // the poverty rate changes in percentage points
	} {
		if !strings.Contains(s, want) {
			t.Errorf("overview lacks %q", want)
		}
	}
	en := siteText(t, render2(t, Options{Lang: "en"}), "index")
	for _, want := range []string{`lang="en"`, "Emulation league table", "26 Nov 2026 08:30 UTC", "SYNTHETIC DATA", "44,000", "H1 2020"} {
		if !strings.Contains(en, want) {
			t.Errorf("English overview lacks %q", want)
		}
	}
	if strings.Contains(en, "langVI.js") {
		t.Error("English pages load the Vietnamese ECharts locale")
	}
}

func render2(t *testing.T, o Options) string {
	dir, _ := render(t, fixtureReport(false), o)
	return dir
}

func TestXSSNamesEscaped(t *testing.T) {
	_, files := render(t, fixtureReport(true), Options{})
	pages := 0
	for _, f := range files {
		if !strings.HasSuffix(f, ".html") {
			continue
		}
		pages++
		b := read(t, f)
		s := string(b)
		for _, bad := range []string{"<script>alert", "<img src=x", "</script><script>"} {
			if strings.Contains(s, bad) {
				t.Errorf("%s contains %q unescaped", filepath.Base(f), bad)
			}
		}
		// Only the page's own script elements (data, echarts, langVI,
		// fflate, site).
		if n, want := strings.Count(s, "<script"), 5; n != want {
			t.Errorf("%s has %d <script elements, want %d", filepath.Base(f), n, want)
		}
		raw, _ := pageJSON(t, b)
		for _, bad := range []string{"<", ">", "&", "__f__"} {
			if bytes.Contains(raw, []byte(bad)) {
				t.Errorf("%s: data JSON contains %q", filepath.Base(f), bad)
			}
		}
		// The names are still there, as text.
		if !strings.Contains(s, "&lt;img src=x onerror=alert(1)&gt;") {
			t.Errorf("%s does not show the img name as text", filepath.Base(f))
		}
	}
	if pages != 8 {
		t.Errorf("%d pages", pages)
	}
	_, files = render(t, fixtureReport(true), Options{SingleFile: true, Lang: "en"})
	s := string(read(t, files[0]))
	for _, bad := range []string{"<script>alert", "<img src=x", "</script><script>"} {
		if strings.Contains(s, bad) {
			t.Errorf("single file contains %q unescaped", bad)
		}
	}
	if n := strings.Count(s, "<script"); n != 4 { // data, echarts, fflate, site
		t.Errorf("single file has %d <script elements, want 4", n)
	}
	if raw, _ := pageJSON(t, []byte(s)); bytes.Contains(raw, []byte("__f__")) || bytes.Contains(raw, []byte("<")) {
		t.Error("single file data JSON is not neutralized")
	}
}

func TestSafeJSON(t *testing.T) {
	b, err := safeJSON(map[string]string{"a": xssScript + xssFunc + "&"})
	if err != nil {
		t.Fatal(err)
	}
	want := `{"a":"\u003c/script\u003e\u003cscript\u003ealert(1)\u003c/script\u003e_\u200b_f__function(){alert(1)}_\u200b_f__\u0026"}`
	if string(b) != want {
		t.Errorf("safeJSON = %s\nwant %s", b, want)
	}
	var back map[string]string
	if err := json.Unmarshal(b, &back); err != nil || !strings.Contains(back["a"], "</script>") {
		t.Errorf("round trip: %v %q", err, back["a"])
	}
}

func TestDeterministic(t *testing.T) {
	for _, single := range []bool{false, true} {
		d1, f1 := render(t, fixtureReport(false), Options{SingleFile: single})
		d2, f2 := render(t, fixtureReport(false), Options{SingleFile: single})
		if len(f1) != len(f2) {
			t.Fatalf("file lists differ: %v %v", f1, f2)
		}
		for i := range f1 {
			r1, _ := filepath.Rel(d1, f1[i])
			r2, _ := filepath.Rel(d2, f2[i])
			if r1 != r2 || !bytes.Equal(read(t, f1[i]), read(t, f2[i])) {
				t.Errorf("single=%v: %s differs between two renders", single, r1)
			}
		}
	}
	// Only the generated-at line depends on the time.
	d3, _ := render(t, fixtureReport(false), Options{GeneratedAt: fixtureTime.Add(24 * time.Hour)})
	d1, _ := render(t, fixtureReport(false), Options{})
	a := strings.Replace(string(read(t, filepath.Join(d1, "index.html"))), "26/11/2026", "27/11/2026", 1)
	if b := string(read(t, filepath.Join(d3, "index.html"))); a != b {
		t.Error("pages differ by more than the generated-at line")
	}
}

// TestSingleFile: --single-file adds thidua.html beside the site, which
// stays whole and byte-identical to a site written without it.
func TestSingleFile(t *testing.T) {
	dir, files := render(t, fixtureReport(false), Options{SingleFile: true})
	plain, plainFiles := render(t, fixtureReport(false), Options{})
	if len(files) != len(plainFiles)+1 || filepath.Base(files[len(files)-1]) != SingleFileName {
		t.Fatalf("files = %v, want the site's %d files and %s", files, len(plainFiles), SingleFileName)
	}
	for _, f := range plainFiles {
		rel, _ := filepath.Rel(plain, f)
		if !bytes.Equal(read(t, f), read(t, filepath.Join(dir, rel))) {
			t.Errorf("%s differs from the site written without --single-file", rel)
		}
	}
	files = files[len(files)-1:]
	s := string(read(t, files[0]))
	for _, bad := range []string{`src="assets/`, `href="assets/`, `<script src=`, `<link rel="stylesheet"`} {
		if strings.Contains(s, bad) {
			t.Errorf("single file refers to an outside file: %q", bad)
		}
	}
	for _, want := range []string{`id="page-index"`, `id="page-indicator-budget_revenue"`, `id="page-unit-U3"`, `id="page-quality"`,
		`href="#page-unit-U1"`, `registerLocale`, `<style>`} {
		if !strings.Contains(s, want) {
			t.Errorf("single file lacks %q", want)
		}
	}
	// Every inline script is allowed by its hash in the CSP, and nothing else.
	m := regexp.MustCompile(`content="(default-src[^"]*)"`).FindStringSubmatch(s)
	if m == nil {
		t.Fatal("no CSP")
	}
	policy := html.UnescapeString(m[1])
	if strings.Contains(policy, "unsafe-inline'; style") == false && strings.Contains(policy, "script-src 'self'") {
		t.Errorf("single-file CSP allows 'self' scripts: %s", policy)
	}
	scripts := regexp.MustCompile(`(?s)<script>(.*?)</script>`).FindAllStringSubmatch(s, -1)
	if len(scripts) != 4 {
		t.Fatalf("%d inline scripts, want 4 (echarts, langVI, fflate, site)", len(scripts))
	}
	for _, sc := range scripts {
		sum := sha256.Sum256([]byte(sc[1]))
		h := "'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"
		if !strings.Contains(policy, h) {
			t.Errorf("CSP lacks the hash of an inline script (%d bytes)", len(sc[1]))
		}
	}
}

func TestFormats(t *testing.T) {
	vi, err := loadMessages("vi")
	if err != nil {
		t.Fatal(err)
	}
	en, err := loadMessages("en")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ got, want string }{
		{vi.Num(1234.5, 1), "1.234,5"},
		{vi.Num(-1234567.891, 2), "-1.234.567,89"},
		{vi.Num(-0.01, 1), "0,0"},
		{vi.Num(999, 0), "999"},
		{en.Num(1234.5, 1), "1,234.5"},
		{vi.Pct(thidua.Some(62.5)), "62,5%"},
		{vi.SignedPct(thidua.Some(12.34)), "+12,3%"},
		{vi.SignedPct(thidua.Some(-4)), "-4,0%"},
		{vi.N(thidua.Num{}, 1), "—"},
		{vi.Date(time.Date(2020, 6, 30, 0, 0, 0, 0, time.UTC)), "30/06/2020 00:00 UTC"},
		{vi.Period(thidua.Period{Type: thidua.Quarter, Year: 2020, N: 2}), "Quý II/2020"},
		{vi.Period(thidua.Period{Type: thidua.YTD9, Year: 2020, N: 9}), "9 tháng năm 2020"},
		{vi.Period(thidua.Period{Type: thidua.Half, Year: 2020, N: 2}), "6 tháng cuối năm 2020"},
		{en.Period(thidua.Period{Type: thidua.Month, Year: 2020, N: 6}), "June 2020"},
	} {
		if tc.got != tc.want {
			t.Errorf("got %q, want %q", tc.got, tc.want)
		}
	}
	if _, err := loadMessages("fr"); err == nil {
		t.Error("unknown language accepted")
	}
}

func TestUnscoredUnitListed(t *testing.T) {
	r := fixtureReport(false)
	var kept []thidua.ScoreRow
	for _, s := range r.Scores {
		if !(s.Unit == "U2" && s.Period.Year == 2020) {
			kept = append(kept, s)
		}
	}
	r.Scores = kept
	dir, _ := render(t, r, Options{})
	s := string(read(t, filepath.Join(dir, "index.html")))
	sec := s[strings.Index(s, `id="t-league-2020-H1"`):]
	sec = sec[:strings.Index(sec, "</table>")]
	if !strings.Contains(sec, `<a href="unit-U2.html">Ngân Sơn</a></td><td class="na">chưa báo cáo</td>`) {
		t.Errorf("unscored unit not listed as not reported:\n%s", sec)
	}
}

func TestNoEChartsFails(t *testing.T) {
	defer func(old string) { echartsAsset = old }(echartsAsset)
	echartsAsset = "assets/not-fetched.js"
	_, err := Render(t.TempDir(), fixtureReport(false), Options{})
	if !errors.Is(err, ErrNoECharts) || !strings.Contains(err.Error(), "make build") || !strings.Contains(err.Error(), "scripts/fetch-echarts.sh") {
		t.Errorf("err = %v, want ErrNoECharts telling how to build (make build, scripts/fetch-echarts.sh)", err)
	}
}

// TestNoInflateFails: a build without fflate (the inflate for browsers
// without DecompressionStream) fails like one without ECharts, naming it.
func TestNoInflateFails(t *testing.T) {
	needECharts(t)
	defer func(old string) { inflateAsset = old }(inflateAsset)
	inflateAsset = "assets/not-fetched.js"
	_, err := Render(t.TempDir(), fixtureReport(false), Options{})
	if !errors.Is(err, ErrNoECharts) || !strings.Contains(err.Error(), "make build") || !strings.Contains(err.Error(), "fflate") ||
		!strings.Contains(err.Error(), "assets/not-fetched.js") {
		t.Errorf("err = %v, want ErrNoECharts naming fflate's file and telling how to build (make build)", err)
	}
	if _, err := ECharts(); !errors.Is(err, ErrNoECharts) {
		t.Errorf("ECharts() without fflate: %v, want ErrNoECharts (the commands check it before they start)", err)
	}
}

func TestUnitScoreLine(t *testing.T) {
	dir, _ := render(t, fixtureReport(false), Options{})
	s := html.UnescapeString(string(read(t, filepath.Join(dir, "unit-U3.html"))))
	if !strings.Contains(s, "Điểm thi đua: 80,0 điểm, hạng 1/3 (+2)") {
		t.Error("unit page lacks its score line for 2020-H1")
	}
}

func TestBadCodeRefused(t *testing.T) {
	needECharts(t)
	r := fixtureReport(false)
	r.Cluster.Units[0].Code = "../x"
	if _, err := Render(t.TempDir(), r, Options{}); err == nil {
		t.Error("a unit code that is not a safe file name was accepted")
	}
}

func TestEmptyReport(t *testing.T) {
	dir, _ := render(t, thidua.Report{Cluster: thidua.Cluster{Code: "C", Name: "C", Units: []thidua.Unit{{Code: "A", Name: "A"}}}}, Options{})
	if s := string(read(t, filepath.Join(dir, "index.html"))); !strings.Contains(s, "<html") {
		t.Error("empty report: no page")
	}
}

func TestECharts(t *testing.T) {
	if _, err := ECharts(); err != nil && !errors.Is(err, ErrNoECharts) {
		t.Fatal(err)
	}
	names, err := assetNames()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(strings.Join(names, " "), "assets/README.md") {
		t.Errorf("assets: %v", names)
	}
}

// TestEChartsIsThePinnedVersion fails when the embedded ECharts is not the
// version scripts/fetch-echarts.sh pins (a file fetched before the pin
// changed): run `make echarts` again.
func TestEChartsIsThePinnedVersion(t *testing.T) {
	script, err := os.ReadFile(filepath.Join("..", "scripts", "fetch-echarts.sh"))
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^VERSION=\$\{1:-([0-9][0-9A-Za-z.-]*)\}$`).FindSubmatch(script)
	if m == nil {
		t.Fatal("scripts/fetch-echarts.sh: no VERSION=${1:-X.Y.Z} line")
	}
	needECharts(t)
	js, _ := ECharts()
	want := `.version="` + string(m[1]) + `"`
	if !strings.Contains(string(js), want) {
		got := regexp.MustCompile(`\.version="[^"]*"`).FindString(string(js))
		t.Errorf("embedded ECharts is %s, scripts/fetch-echarts.sh pins %s: run `make echarts` (it refetches when the script changes) and rebuild", got, m[1])
	}
	if vi, err := assetsFS.ReadFile("assets/langVI.js"); err != nil || len(vi) == 0 {
		t.Errorf("assets/langVI.js missing: run `make echarts`")
	}
	if m := regexp.MustCompile(`(?m)^FFLATE_VERSION=([0-9][0-9A-Za-z.-]*)$`).FindSubmatch(script); m == nil {
		t.Error("scripts/fetch-echarts.sh: no FFLATE_VERSION=X.Y.Z line")
	} else if ff, err := inflate(); err != nil || !strings.Contains(string(ff), "unzlibSync") {
		t.Errorf("assets/fflate.min.js missing or without unzlibSync (%v): run `make echarts`", err)
	}
}

// pageRows records the queries RenderRows makes.
type pageRows struct {
	*memRows
	mu      sync.Mutex
	queries []thidua.PopQuery
	most    int
	read    int // rows read by queries not valuesOnly
}

func (p *pageRows) EachPopRows(ctx context.Context, q thidua.PopQuery, fn func([]thidua.PopRow) error) error {
	n := 0
	err := p.memRows.EachPopRows(ctx, q, func(rows []thidua.PopRow) error {
		n += len(rows)
		return fn(rows)
	})
	p.mu.Lock()
	defer p.mu.Unlock()
	p.queries = append(p.queries, q)
	if !valuesOnly(q) {
		if !q.ByUnit { // (read into groups of pages: unitFeed)
			p.most = max(p.most, n)
		}
		p.read += n
	}
	return err
}

// valuesOnly reports whether q reads every row shaped (a split page's
// series: splitPage).
func valuesOnly(q thidua.PopQuery) bool {
	return q.Whole != nil && len(q.Whole) == 0 && q.Periods == nil
}

// TestRenderRowsPageByPage checks that the site reads the units' rows a
// page at a time: every query is narrowed to one indicator, one period or
// a group of units, none returns more than the largest page's rows, and
// grouping pages by a larger budget writes the same site.
func TestRenderRowsPageByPage(t *testing.T) {
	r := sizedReport(40, 6, 2019, 2019)
	meta := r
	meta.Pop = nil
	var units []thidua.PopRow
	for _, row := range r.Pop {
		if row.IsCluster {
			meta.Pop = append(meta.Pop, row)
		} else {
			units = append(units, row)
		}
	}
	src := &pageRows{memRows: newMemRows(units)}
	dir := t.TempDir()
	def, defPasses := unitRowBudget, unitPasses
	defer func() { unitRowBudget, unitPasses = def, defPasses }()
	unitRowBudget = 3 * 6 * 20 // three units' rows
	unitPasses = 7             // 14 groups: two a query
	if _, err := RenderRows(context.Background(), dir, meta, src, Options{GeneratedAt: fixtureTime}); err != nil {
		t.Fatal(err)
	}
	np := len(meta.Periods)
	for _, q := range src.queries {
		if q.Indicators == nil && q.Units == nil && q.Periods == nil {
			t.Errorf("query %+v reads every row", q)
		}
	}
	// The budget is below one indicator page (40 units × np periods):
	// an indicator page is read a group of periods at a time, and no
	// query reads more than the budget.
	if limit := unitRowBudget; src.most > limit || src.most == 0 || limit >= 40*np {
		t.Errorf("largest query read %d rows, want 1…%d (the budget, below an indicator page's %d)", src.most, limit, 40*np)
	}
	passes := 0
	for _, q := range src.queries {
		if q.Units != nil {
			passes++
			if !q.ByUnit || len(q.Units) != 6 && len(q.Units) != 4 {
				t.Errorf("unit query %+v: want two groups of 3 units (the budget) by unit, the last of 3 and 1", q)
			}
		}
	}
	if passes != 7 {
		t.Errorf("%d unit queries, want 7 (40 units in groups of 3, two groups a query)", passes)
	}
	// With the default budget (Render), pages and periods are read in
	// groups: fewer queries, the same site.
	small := len(src.queries)
	unitRowBudget = def
	grouped := &pageRows{memRows: newMemRows(units)}
	ref := t.TempDir()
	if _, err := RenderRows(context.Background(), ref, meta, grouped, Options{GeneratedAt: fixtureTime}); err != nil {
		t.Fatal(err)
	}
	if n := len(grouped.queries); n >= small || n > 5 {
		t.Errorf("%d queries with the default budget (%d with a small one), want a few", n, small)
	}
	names, _ := filepath.Glob(filepath.Join(ref, "data", "*.js"))
	if len(names) < 40 {
		t.Fatalf("%d data files", len(names))
	}
	for i, n := range names {
		names[i], _ = filepath.Rel(ref, n)
	}
	for _, name := range append([]string{"index.html", "indicator-ind0.html", "unit-058.html", "quality.html"}, names...) {
		a, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		b, err := os.ReadFile(filepath.Join(ref, name))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(a, b) {
			t.Errorf("%s differs between a small and the default row budget", name)
		}
	}
}

// TestMissingNoteValidUnits: the "not reported" note names only units that
// existed in the period (a unit without a row did not: the transform's grid
// holds the valid units), and the mean note gives the cluster row's counts.
func TestMissingNoteValidUnits(t *testing.T) {
	r := fixtureReport(false)
	h1 := thidua.Period{Type: thidua.Half, Year: 2020, N: 1}
	var pop []thidua.PopRow
	for _, row := range r.Pop {
		if row.Indicator == "budget_revenue" && row.Period == h1 {
			switch {
			case row.Unit == "U3":
				continue // Chợ Đồn did not exist in 2020-H1
			case row.Unit == "U2":
				row.Value, row.Status = thidua.Num{}, thidua.NotReported
			case row.IsCluster:
				row.UnitsReported, row.UnitsExpected = 1, 2
			}
		}
		pop = append(pop, row)
	}
	r.Pop = pop
	dir, _ := render(t, r, Options{})
	s := string(read(t, filepath.Join(dir, "indicator-budget_revenue.html")))
	if !strings.Contains(s, "Chưa báo cáo: Ngân Sơn.") || !strings.Contains(s, "Trung bình cụm tính trên 1/2 đơn vị đã báo cáo") {
		t.Error("2020-H1 notes do not name Ngân Sơn alone with the cluster row's 1/2")
	}
	if strings.Contains(s, "Chưa báo cáo: Ngân Sơn, Chợ Đồn") || strings.Contains(s, "1/3 đơn vị") {
		t.Error("a unit that did not exist in 2020-H1 is listed as not reported")
	}
}

// TestIndexScores checks the site's index of the score rows (parts of
// r.Scores, not copies, where a key's rows are one run) against grouping
// them by copying, in the store's order and in orders where a period's or
// a unit's rows are apart, with a unit the cluster does not list.
func TestIndexScores(t *testing.T) {
	r := sizedReport(5, 2, 2020, 2020)
	r.Scores = append(r.Scores, thidua.ScoreRow{Unit: "999", Period: r.Periods[0], Rank: 9},
		thidua.ScoreRow{Unit: r.Cluster.Units[1].Code, Period: r.Periods[2], Rank: 7})
	orders := map[string]func(s []thidua.ScoreRow){
		"as read": func([]thidua.ScoreRow) {},
		"reversed": func(s []thidua.ScoreRow) {
			slices.Reverse(s)
		},
		"by unit": func(s []thidua.ScoreRow) {
			sort.SliceStable(s, func(i, j int) bool { return s[i].Unit < s[j].Unit })
		},
	}
	for name, order := range orders {
		order(r.Scores)
		ix, err := newSiteIndex(r)
		if err != nil {
			t.Fatal(err)
		}
		byPeriod := map[thidua.Period][]thidua.ScoreRow{}
		byUnit := map[unitPeriod][]thidua.ScoreRow{}
		for _, s := range r.Scores {
			byPeriod[s.Period] = append(byPeriod[s.Period], s)
			byUnit[unitPeriod{s.Unit, s.Period}] = append(byUnit[unitPeriod{s.Unit, s.Period}], s)
		}
		if !reflect.DeepEqual(ix.scores, byPeriod) {
			t.Errorf("%s: scores by period differ from a grouping by copy", name)
		}
		for _, p := range append(ix.periods, thidua.Period{Type: thidua.Year, Year: 1990}) {
			for _, u := range append(r.Cluster.Units, thidua.Unit{Code: "999"}, thidua.Unit{Code: "998"}) {
				got, want := ix.unitScores(u.Code, p), byUnit[unitPeriod{u.Code, p}]
				if len(got) != len(want) || len(want) > 0 && !reflect.DeepEqual(got, want) {
					t.Errorf("%s: unit %s %s: %d score rows %v, want %v", name, u.Code, p, len(got), got, want)
				}
			}
		}
	}
}

// TestRenderRowsSplitPages checks pages read a group of periods at a time
// (their rows over every period above the row budget: indicator and unit
// pages, their trends and sparklines drawn from the values-only query)
// against the same site read a page at a time: every file is the same,
// and no query but the values' reads more rows than the budget. A small
// cluster (a trend line per unit) and a large one (the units' quantiles).
func TestRenderRowsSplitPages(t *testing.T) {
	needECharts(t)
	for _, r := range []thidua.Report{sizedReport(8, 3, 2019, 2020), sizedReport(40, 2, 2019, 2021)} {
		meta, rows := splitReport(r)
		nu, ni, np := len(r.Cluster.Units), len(r.Cluster.Indicators), len(r.Periods)
		ref := t.TempDir()
		if _, err := RenderRows(context.Background(), ref, meta, rows, Options{GeneratedAt: fixtureTime}); err != nil {
			t.Fatal(err)
		}
		budget := nu * ni // one period of the overview
		if budget >= ni*np || budget >= nu*np {
			t.Fatalf("budget %d does not split unit pages (%d rows) and indicator pages (%d)", budget, ni*np, nu*np)
		}
		func() {
			defer func(b int) { unitRowBudget = b }(unitRowBudget)
			unitRowBudget = budget
			src := &pageRows{memRows: rows}
			dir := t.TempDir()
			if _, err := RenderRows(context.Background(), dir, meta, src, Options{GeneratedAt: fixtureTime}); err != nil {
				t.Fatal(err)
			}
			if src.most > budget {
				t.Errorf("%d units: a query read %d rows, want ≤ %d", nu, src.most, budget)
			}
			values := 0
			for _, q := range src.queries {
				if valuesOnly(q) {
					values++
				}
			}
			if values != nu+ni {
				t.Errorf("%d units: %d values-only queries, want one a unit and indicator page (%d)", nu, values, nu+ni)
			}
			// Each row read about once by the overview, once by its
			// indicator's page and once by its unit's (a page may read
			// the group of its default period twice).
			unitRows := 0
			for _, row := range r.Pop {
				if !row.IsCluster {
					unitRows++
				}
			}
			t.Logf("%d units: %d rows read for %d unit rows", nu, src.read, unitRows)
			if want := 3*unitRows + (1+nu+ni)*budget; src.read > want {
				t.Errorf("%d units: queries read %d rows (%d unit rows), want ≤ %d: about one pass of the overview, the indicator pages and the unit pages each", nu, src.read, unitRows, want)
			}
			n := 0
			err := filepath.WalkDir(ref, func(path string, d fs.DirEntry, err error) error {
				if err != nil || d.IsDir() {
					return err
				}
				n++
				rel, _ := filepath.Rel(ref, path)
				a, err := os.ReadFile(filepath.Join(dir, rel))
				if err != nil {
					return err
				}
				b, err := os.ReadFile(path)
				if err != nil {
					return err
				}
				if !bytes.Equal(a, b) {
					t.Errorf("%d units: %s differs between pages read a group of periods at a time and whole", nu, rel)
				}
				return nil
			})
			if err != nil || n < nu+ni {
				t.Fatalf("%d files compared: %v", n, err)
			}
		}()
	}
}

// TestPageFields: each kind of page shows only the fields of its units'
// rows that its queries read (overviewFields, indicatorFields,
// unitFields): a site whose unit rows have every field set is the same,
// byte for byte, when its pages read every field; and each field a kind
// reads shows on its pages (left out, some file changes).
func TestPageFields(t *testing.T) {
	r := fixtureReport(false)
	for i := range r.Pop {
		row := &r.Pop[i]
		if row.IsCluster || !row.Value.OK {
			continue
		}
		// Every field set: numbers from the value, the rest made up.
		v := reflect.ValueOf(row).Elem()
		for f := 0; f < v.NumField(); f++ {
			fv := v.Field(f)
			if !fv.IsZero() {
				continue
			}
			switch x := fv.Interface().(type) {
			case thidua.Num:
				fv.Set(reflect.ValueOf(thidua.Some(row.Value.V*0.37 + float64(f))))
			case int:
				fv.SetInt(int64(f%3 + 1))
			case thidua.Trend:
				fv.Set(reflect.ValueOf(thidua.Worse))
			case thidua.Status:
				fv.Set(reflect.ValueOf(thidua.Close))
			case string:
				fv.SetString("made-up " + v.Type().Field(f).Name)
			case bool:
				// (IsCluster stays false on a unit row)
			default:
				t.Fatalf("PopRow.%s: no value for %T", v.Type().Field(f).Name, x)
			}
		}
	}
	kinds := []struct {
		name   string
		fields *thidua.PopField
	}{{"overview", &overviewFields}, {"indicator", &indicatorFields}, {"unit", &unitFields}}
	saved := make([]thidua.PopField, len(kinds))
	for i, k := range kinds {
		saved[i] = *k.fields
	}
	defer func() {
		for i, k := range kinds {
			*k.fields = saved[i]
		}
	}()
	for _, large := range []int{0, 2} {
		site := func() map[string][]byte {
			dir, files := render(t, r, Options{LargeCluster: large})
			out := map[string][]byte{}
			for _, f := range files {
				rel, _ := filepath.Rel(dir, f)
				out[rel] = read(t, f)
			}
			return out
		}
		same := func(a, b map[string][]byte) bool {
			if len(a) != len(b) {
				return false
			}
			for f, x := range a {
				if !bytes.Equal(x, b[f]) {
					return false
				}
			}
			return true
		}
		got := site()
		for _, k := range kinds {
			*k.fields = thidua.PopAllFields
		}
		all := site()
		for f, x := range all {
			if !bytes.Equal(x, got[f]) {
				t.Errorf("large %d: %s differs when pages read every field of their rows: a page shows a field its query does not read", large, f)
			}
		}
		if len(all) != len(got) {
			t.Errorf("large %d: %d files, %d when pages read every field", large, len(got), len(all))
		}
		if large == 0 {
			continue
		}
		for i, k := range kinds {
			for f := thidua.PopField(1); f <= thidua.PopAllFields; f <<= 1 {
				if !saved[i].Has(f) {
					continue
				}
				*k.fields = saved[i] &^ f
				if same(site(), got) {
					t.Errorf("%s pages read field bits %#x but show nothing of it", k.name, uint32(f))
				}
			}
			*k.fields = saved[i]
		}
	}
}
