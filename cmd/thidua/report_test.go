package main

import (
	"archive/zip"
	"context"
	stdhtml "html"
	"image/png"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/thidua/thidua"
	"github.com/thidua/thidua/dashboards"
	"github.com/thidua/thidua/store"
)

var sampleUnits = []string{"Thành phố Bắc Kạn", "Pác Nặm", "Ba Bể", "Ngân Sơn", "Bạch Thông", "Chợ Đồn", "Chợ Mới", "Na Rì"}

// TestReportSample writes the 2020-H1 report of the built-in sample with
// the real binary, checks that its figures are the dashboards' for the
// same period, and has LibreOffice open it (headless, converted to PDF
// once) to check what a reader sees: the national motto, every unit and
// the seed article's facts; the first page is rendered to PNG.
func TestReportSample(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: the whole pipeline and LibreOffice")
	}
	dir := t.TempDir()
	// reports.on_run: run also writes the report of the latest complete
	// half-year or year (the sample runs to December 2021).
	if err := os.WriteFile(filepath.Join(dir, "thidua.yaml"), []byte("reports:\n  on_run: true\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errs := runBinary(t, dir, nil, "run", "--db", "bk.duckdb", "--out", "out", "--generated-at", "2020-07-15")
	if code != 0 {
		t.Fatalf("thidua run: exit %d\n%s\n%s", code, out, errs)
	}
	yearReport := filepath.Join("out", "reports", "bao-cao-2021.docx")
	if !strings.Contains(out, "report:     "+yearReport) {
		t.Errorf("run with reports.on_run did not print the year report:\n%s", out)
	}
	if year := docxText(t, filepath.Join(dir, yearReport)); !strings.Contains(year, "ĐỀ NGHỊ KHEN THƯỞNG") || !strings.Contains(year, "Cờ thi đua của Ủy ban nhân dân tỉnh") {
		t.Error("the year report has no award proposal")
	}
	code, out, errs = runBinary(t, dir, nil, "report", "--db", "bk.duckdb", "--out", "out", "--period", "6 tháng đầu năm 2020", "--date", "2020-07-15")
	if code != 0 {
		t.Fatalf("thidua report: exit %d\n%s\n%s", code, out, errs)
	}
	path := strings.TrimSpace(out)
	if path != filepath.Join("out", "reports", "bao-cao-2020-H1.docx") {
		t.Fatalf("report printed %q", path)
	}
	docx := filepath.Join(dir, path)
	text := docxText(t, docx)

	t.Run("figures as on the dashboards", func(t *testing.T) { sameAsDashboards(t, filepath.Join(dir, "bk.duckdb"), text) })

	soffice, err1 := exec.LookPath("soffice")
	pdftotext, err2 := exec.LookPath("pdftotext")
	pdftoppm, err3 := exec.LookPath("pdftoppm")
	if err1 != nil || err2 != nil || err3 != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("CI: soffice, pdftotext or pdftoppm missing (.ci/run installs libreoffice-writer-nogui and poppler-utils)")
		}
		t.Skip("LibreOffice or poppler-utils not installed")
	}
	pdfDir := filepath.Join(dir, "pdf")
	cmd := exec.Command(soffice, "--headless", "--norestore", "-env:UserInstallation=file://"+filepath.Join(dir, "lo-profile"),
		"--convert-to", "pdf", "--outdir", pdfDir, docx)
	cmd.Env = append(os.Environ(), "HOME="+dir)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("LibreOffice could not convert the report: %v\n%s", err, b)
	}
	pdf := filepath.Join(pdfDir, "bao-cao-2020-H1.pdf")
	b, err := exec.Command(pdftotext, "-enc", "UTF-8", pdf, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	read := strings.Join(strings.Fields(string(b)), " ")
	for _, s := range append([]string{"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "BÁO CÁO",
		"Sơ kết phong trào thi đua 6 tháng đầu năm 2020", "DỮ LIỆU MÔ PHỎNG", "Nơi nhận:", "PHỤ LỤC"}, sampleUnits...) {
		if !strings.Contains(read, s) {
			t.Errorf("the PDF does not say %q", s)
		}
	}
	seedFacts(t, read)

	png1 := filepath.Join(dir, "page")
	if b, err := exec.Command(pdftoppm, "-png", "-r", "40", "-f", "1", "-l", "1", "-singlefile", pdf, png1).CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm: %v\n%s", err, b)
	}
	f, err := os.Open(png1 + ".png")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	// A4 portrait: 210 × 297 mm.
	if r := float64(img.Bounds().Dy()) / float64(img.Bounds().Dx()); r < 1.40 || r > 1.43 {
		t.Errorf("page 1 is %v: not A4 portrait", img.Bounds())
	}
}

// section returns the text from the first occurrence of start to the next
// occurrence of end after it.
func section(t *testing.T, text, start, end string) string {
	t.Helper()
	i := strings.Index(text, start)
	if i < 0 {
		t.Fatalf("no %q in the report", start)
	}
	s := text[i+len(start):]
	if j := strings.Index(s, end); j >= 0 {
		s = s[:j]
	}
	return s
}

// namesIn returns the sample units named in s.
func namesIn(s string) []string {
	var out []string
	for _, u := range sampleUnits {
		if strings.Contains(s, u) {
			out = append(out, u)
		}
	}
	slices.Sort(out)
	return out
}

// seedFacts checks the 2020 article's facts in the report's text.
func seedFacts(t *testing.T, text string) {
	t.Helper()
	sorted := func(s ...string) []string { slices.Sort(s); return s }
	coops := section(t, text, "Hợp tác xã thành lập mới (HTX)", "Hạng")
	if !strings.Contains(coops, "Toàn cụm đạt 26 HTX") {
		t.Errorf("new cooperatives: %q does not say 26", coops)
	}
	budget := section(t, text, "Thu ngân sách nhà nước trên địa bàn (triệu đồng)", "Hạng")
	above := section(t, budget, "Đạt trên 50% kế hoạch năm", ".")
	if got, want := namesIn(above), sorted("Pác Nặm", "Ngân Sơn", "Na Rì", "Bạch Thông"); !slices.Equal(got, want) {
		t.Errorf("budget revenue above 50%% of the estimate: %v, want %v (%q)", got, want, budget)
	}
	forest := section(t, text, "Diện tích trồng rừng mới (ha)", "Hạng")
	lead := section(t, forest, "Dẫn đầu:", ".")
	if got, want := namesIn(lead), sorted("Pác Nặm", "Chợ Đồn", "Ba Bể"); !slices.Equal(got, want) {
		t.Errorf("afforestation leaders: %v, want %v (%q)", got, want, forest)
	}
	recruits := section(t, text, "Công dân nhập ngũ (tuyển quân) (người)", "Hạng")
	if !strings.Contains(recruits, "Tất cả 8 đơn vị đạt 100,0% kế hoạch năm") {
		t.Errorf("recruitment: %q does not say 100%% everywhere", recruits)
	}
}

// docxText is the text of word/document.xml, runs joined, whitespace
// collapsed (cells and paragraphs separated by a space).
func docxText(t *testing.T, path string) string {
	t.Helper()
	zr, err := zip.OpenReader(path)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	defer zr.Close()
	for _, f := range zr.File {
		if f.Name != "word/document.xml" {
			continue
		}
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(rc)
		rc.Close()
		b = regexp.MustCompile(`</w:p>|</w:tc>`).ReplaceAll(b, []byte(" "))
		b = regexp.MustCompile(`<[^>]*>`).ReplaceAll(b, nil)
		s := strings.NewReplacer("&lt;", "<", "&gt;", ">", "&quot;", `"`, "&amp;", "&").Replace(string(b))
		return strings.Join(strings.Fields(s), " ")
	}
	t.Fatalf("%s: no word/document.xml", path)
	return ""
}

// sameAsDashboards renders the dashboards for the sample's half-years up
// to 2020-H1 (so 2020-H1 is the overview's default period, written in the
// HTML) and checks that every figure the report gives for 2020-H1 (cluster
// values and changes, each unit's value and % of target, each score) is
// written the same way on the dashboards' pages and in the report.
func sameAsDashboards(t *testing.T, dbPath, text string) {
	ctx := context.Background()
	db, err := store.Open(ctx, dbPath, store.Options{ReadOnly: true, Unlocked: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rep, err := db.Report(ctx)
	if err != nil {
		t.Fatal(err)
	}
	h1 := thidua.Period{Type: thidua.Half, Year: 2020, N: 1}
	keep := func(p thidua.Period) bool { return p.Type == thidua.Half && !p.End().After(h1.End()) }
	var pop []thidua.PopRow
	for _, r := range rep.Pop {
		if keep(r.Period) {
			pop = append(pop, r)
		}
	}
	var scores []thidua.ScoreRow
	for _, s := range rep.Scores {
		if keep(s.Period) {
			scores = append(scores, s)
		}
	}
	var periods []thidua.Period
	for _, p := range rep.Periods {
		if keep(p) {
			periods = append(periods, p)
		}
	}
	rep.Pop, rep.Scores, rep.Periods, rep.ScorePoints, rep.Proposals = pop, scores, periods, nil, nil
	site := t.TempDir()
	if _, err := dashboards.Render(site, rep, dashboards.Options{Lang: "vi"}); err != nil {
		t.Fatal(err)
	}
	var html strings.Builder
	for _, name := range []string{"index.html"} {
		b, err := os.ReadFile(filepath.Join(site, name))
		if err != nil {
			t.Fatal(err)
		}
		html.Write(b)
	}
	for _, ind := range rep.Cluster.Indicators {
		if ind.Hidden {
			continue
		}
		b, err := os.ReadFile(filepath.Join(site, "indicator-"+ind.Code+".html"))
		if err != nil {
			t.Fatal(err)
		}
		html.Write(b)
	}
	page := stdhtml.UnescapeString(html.String())
	w, err := dashboards.NewWording(rep, "vi")
	if err != nil {
		t.Fatal(err)
	}
	var figures []string
	for _, r := range pop {
		if r.Period != h1 {
			continue
		}
		ind, _ := rep.Cluster.Indicator(r.Indicator)
		if ind.Hidden || !r.Value.OK {
			continue
		}
		figures = append(figures, w.Num(r.Value.V, ind.Decimals))
		if r.IsCluster {
			if c := w.Change(ind, &r); c != "" {
				figures = append(figures, c)
			}
		}
		if ind.HasTarget && r.PctOfTarget.OK {
			figures = append(figures, w.Pct(r.PctOfTarget))
		}
	}
	for _, s := range scores {
		if s.Period == h1 {
			figures = append(figures, w.N(s.Points, 1), w.N(s.Total, 1))
		}
	}
	if len(figures) < 8*9 {
		t.Fatalf("only %d figures for 2020-H1", len(figures))
	}
	for _, f := range figures {
		if !strings.Contains(page, f) {
			t.Errorf("%q is not on the dashboards' pages for 2020-H1", f)
		}
		if !strings.Contains(text, f) {
			t.Errorf("%q is on the dashboards for 2020-H1 but not in the report", f)
		}
	}
}
