package report_test

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"flag"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/thidua/thidua"
	"github.com/thidua/thidua/dashboards"
	"github.com/thidua/thidua/report"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// evilName tries to break out of the XML and carries a control character
// XML 1.0 does not allow.
const evilName = `Ba Bể <w:p>&"` + "\x01"

// fixture is a small year report: two units, one indicator with a target
// and one without, scores with a penalty, a failed rule and the proposal
// Propose makes of it.
func fixture(t *testing.T, lang string) report.Input {
	t.Helper()
	min50 := 50.0
	c := thidua.Cluster{Code: "BK8", Name: "Cụm thi đua 8 huyện, thành phố tỉnh Bắc Kạn", NameEN: "Bắc Kạn cluster",
		Units: []thidua.Unit{{Code: "060", Name: "Pác Nặm", NameEN: "Pác Nặm", Kind: "district"},
			{Code: "061", Name: evilName, NameEN: evilName, Kind: "district"}},
		Indicators: []thidua.Indicator{
			{Code: "new_coops", Name: "Hợp tác xã thành lập mới", NameEN: "New cooperatives", Measure: "HTX", MeasureEN: "cooperatives",
				Agg: thidua.Sum, Direction: thidua.Higher, HasTarget: true},
			{Code: "commended", Name: "Số lượt khen thưởng", NameEN: "Commended", Measure: "lượt", MeasureEN: "awards",
				Agg: thidua.Sum, Direction: thidua.Higher, Decimals: 1},
		},
		Criteria: []thidua.Criterion{{Indicator: "new_coops", Weight: 60, Method: thidua.PctOfTarget, CapPct: 100},
			{Indicator: "commended", Weight: 40, Method: thidua.RankPoints}},
		Awards: thidua.AwardRules{Awards: []thidua.Award{{Code: "flag", Name: "Cờ thi đua", NameEN: "Emulation Flag", Quota: 1,
			Conditions: thidua.AwardConditions{MinTotal: &min50, NoPenalty: true, NoRuleFailure: true}}}, TieBreak: []string{"points"}},
	}
	y := thidua.Period{Type: thidua.Year, Year: 2020}
	pop := func(unit, ind string, v, yoy, pct float64, rank, rankT int) thidua.PopRow {
		r := thidua.PopRow{Unit: unit, Indicator: ind, Period: y, Value: thidua.Some(v), YoYValue: thidua.Some(yoy),
			ChangeYoY: thidua.Some(v - yoy), PctChangeYoY: thidua.Some((v - yoy) / yoy * 100), YTDValue: thidua.Some(v),
			RankValue: rank, RankTarget: rankT, Complete: true}
		if pct > 0 {
			r.PctOfTarget, r.Target = thidua.Some(pct), thidua.Some(v*100/pct)
		}
		return r
	}
	r := thidua.Report{Cluster: c, Periods: []thidua.Period{y}, Synthetic: true,
		Pop: []thidua.PopRow{
			pop("060", "new_coops", 5, 4, 125, 1, 1), pop("061", "new_coops", 3, 3, 75, 2, 2),
			pop("060", "commended", 1234, 1000, 0, 2, 0), pop("061", "commended", 2500.5, 2000, 0, 1, 0),
		},
		Scores: []thidua.ScoreRow{
			{Unit: "061", Period: y, Points: thidua.Some(85), MaxPoints: thidua.Some(100), Bonus: thidua.Some(-2), Total: thidua.Some(83),
				Rank: 1, PrevRank: 2, RankChange: thidua.Some(1), CriteriaScored: 2},
			{Unit: "060", Period: y, Points: thidua.Some(60), MaxPoints: thidua.Some(100), Bonus: thidua.Some(0), Total: thidua.Some(60),
				Rank: 2, PrevRank: 1, RankChange: thidua.Some(-1), CriteriaScored: 2},
		},
		QualityFlags: []thidua.QualityFlag{{Check: "rule", Unit: "060", Indicator: "new_coops", Period: "2020",
			Message: "new_coops 5 > 4"}},
	}
	cl := func(ind string, v, yoy, pct float64) thidua.PopRow {
		row := pop("BK8", ind, v, yoy, pct, 0, 0)
		row.IsCluster = true
		return row
	}
	r.Pop = append(r.Pop, cl("new_coops", 8, 7, 100), cl("commended", 3734.5, 3000, 0))
	bonuses := []thidua.Bonus{{Unit: "061", Period: y, Points: -2, Reason: "chậm nộp báo cáo"}}
	props := thidua.Propose(c.Awards, []thidua.AwardCandidate{
		{Score: r.Scores[1], Pct: map[string]thidua.Num{"new_coops": thidua.Some(125)}, RuleFailures: []string{"new_coops 5 > 4"}, Criteria: 2},
		{Score: r.Scores[0], Pct: map[string]thidua.Num{"new_coops": thidua.Some(75)}, Penalties: bonuses, Criteria: 2},
	})
	w, err := dashboards.NewWording(r, lang)
	if err != nil {
		t.Fatal(err)
	}
	return report.Input{Report: r, Period: y, Wording: w, Bonuses: bonuses, Proposal: props,
		Date: time.Date(2021, 1, 15, 0, 0, 0, 0, time.UTC),
		Settings: report.Settings{UnitHead: "060", Place: "Bắc Kạn", Symbol: "BC-CTĐ", Signer: []string{"TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"},
			Recipients: []string{"- HĐTĐKT tỉnh;", "- Lưu: VT."},
			Groups:     []report.Group{{Name: "Kinh tế", NameEN: "Economy", Indicators: []string{"new_coops"}}}}}
}

// TestDocumentGolden compares word/document.xml of the fixture's report
// with the golden file (go test ./report/ -update rewrites it), and checks
// it is well-formed XML that kept the hostile name as text.
func TestDocumentGolden(t *testing.T) {
	for _, lang := range []string{"vi", "en"} {
		t.Run(lang, func(t *testing.T) {
			got, err := report.DocumentXML(fixture(t, lang))
			if err != nil {
				t.Fatal(err)
			}
			wellFormed(t, got)
			golden := filepath.Join("testdata", "document-"+lang+".golden.xml")
			if *update {
				if err := os.WriteFile(golden, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("document.xml differs from %s (run go test ./report/ -update and review the diff)", golden)
			}
			text := docText(t, got)
			for _, s := range []string{"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", `Ba Bể <w:p>&"`, "Pác Nặm",
				"BC-CTĐ", "2.500,5", "chậm nộp báo cáo (-2,0)"} {
				if lang == "en" && s == "2.500,5" {
					s = "2,500.5"
				}
				if lang == "en" && s == "chậm nộp báo cáo (-2,0)" {
					s = "chậm nộp báo cáo (-2.0)"
				}
				if !strings.Contains(text, s) {
					t.Errorf("the report does not say %q", s)
				}
			}
		})
	}
}

// TestProposalReasons: the flag goes to nobody here (the leader has a
// penalty, the second a failed rule), and the report says why for each.
func TestProposalReasons(t *testing.T) {
	got, err := report.DocumentXML(fixture(t, "vi"))
	if err != nil {
		t.Fatal(err)
	}
	text := docText(t, got)
	for _, s := range []string{"Cờ thi đua (chỉ tiêu 1): không có đơn vị đủ điều kiện", "Cờ thi đua: bị trừ -2,0 điểm (chậm nộp báo cáo)",
		"Cờ thi đua: vi phạm quy tắc kiểm tra số liệu (new_coops 5 > 4)", "bằng hạng thì xét lần lượt điểm trước thưởng/phạt"} {
		if !strings.Contains(text, s) {
			t.Errorf("the proposal does not say %q", s)
		}
	}
}

// TestIssuer: the head unit's people's committee issues the report; with
// no head unit, the cluster.
func TestIssuer(t *testing.T) {
	in := fixture(t, "vi")
	text := func() string {
		b, err := report.DocumentXML(in)
		if err != nil {
			t.Fatal(err)
		}
		return docText(t, b)
	}
	if s := text(); !strings.Contains(s, "ỦY BAN NHÂN DÂN HUYỆN PÁC NẶM") {
		t.Errorf("head unit's committee not the issuer:\n%s", s[:400])
	}
	in.Settings.UnitHead = ""
	if s := text(); strings.Contains(s, "ỦY BAN NHÂN DÂN HUYỆN") || !strings.Contains(s, "CỤM THI ĐUA 8 HUYỆN") {
		t.Errorf("cluster not the issuer:\n%s", s[:400])
	}
}

// TestPackage writes the DOCX and checks its parts: the decree's page
// set-up, the page-number header, named (not embedded) fonts.
func TestPackage(t *testing.T) {
	var buf bytes.Buffer
	if err := report.Write(&buf, fixture(t, "vi")); err != nil {
		t.Fatal(err)
	}
	ps := unzip(t, buf.Bytes())
	for _, p := range []string{"[Content_Types].xml", "_rels/.rels", "word/document.xml", "word/styles.xml", "word/header1.xml",
		"word/_rels/document.xml.rels", "word/fontTable.xml", "docProps/core.xml"} {
		if _, ok := ps[p]; !ok {
			t.Errorf("no part %s", p)
		}
		if strings.HasSuffix(p, ".xml") || strings.HasSuffix(p, ".rels") {
			wellFormed(t, ps[p])
		}
	}
	doc := string(ps["word/document.xml"])
	for _, s := range []string{`<w:pgSz w:w="11906" w:h="16838"/>`, `w:top="1134" w:right="851" w:bottom="1134" w:left="1701"`, "<w:titlePg/>"} {
		if !strings.Contains(doc, s) {
			t.Errorf("document.xml lacks %s", s)
		}
	}
	if !strings.Contains(string(ps["word/header1.xml"]), " PAGE ") {
		t.Error("no page number field in the header")
	}
	if !strings.Contains(string(ps["word/styles.xml"]), `w:ascii="Times New Roman"`) || !strings.Contains(string(ps["word/styles.xml"]), `<w:sz w:val="28"/>`) {
		t.Error("body font is not Times New Roman 14 pt")
	}
	for name := range ps {
		if strings.HasPrefix(name, "word/fonts/") || strings.HasSuffix(name, ".odttf") {
			t.Errorf("embedded font %s", name)
		}
	}
	if !strings.Contains(string(ps["docProps/core.xml"]), "Tổng kết phong trào thi đua năm 2020") {
		t.Errorf("core.xml title: %s", ps["docProps/core.xml"])
	}
	var again bytes.Buffer
	if err := report.Write(&again, fixture(t, "vi")); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(buf.Bytes(), again.Bytes()) {
		t.Error("the same report gave different bytes")
	}
}

// TestUserTemplate: a user's DOCX lends its page set-up and parts; a
// damaged or hostile one is refused with ErrTemplate.
func TestUserTemplate(t *testing.T) {
	mk := func(files map[string]string) []byte {
		var b bytes.Buffer
		zw := zip.NewWriter(&b)
		for n, s := range files {
			w, _ := zw.Create(n)
			io.WriteString(w, s)
		}
		zw.Close()
		return b.Bytes()
	}
	good := map[string]string{
		"[Content_Types].xml":          `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>`,
		"_rels/.rels":                  `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"/>`,
		"word/document.xml":            `<w:document xmlns:w="x"><w:body><w:p/><w:sectPr><w:pgMar w:top="1418" w:left="1985"/><w:footerReference w:type="default" r:id="rId9"/></w:sectPr></w:body></w:document>`,
		"word/footer9.xml":             `<w:ftr>letterhead</w:ftr>`,
		"word/_rels/document.xml.rels": `<Relationships/>`,
	}
	in := fixture(t, "vi")
	in.Template, in.TemplateName = mk(good), "letterhead.docx"
	var buf bytes.Buffer
	if err := report.Write(&buf, in); err != nil {
		t.Fatal(err)
	}
	ps := unzip(t, buf.Bytes())
	if string(ps["word/footer9.xml"]) != good["word/footer9.xml"] {
		t.Error("the template's footer was not kept")
	}
	doc := string(ps["word/document.xml"])
	if !strings.Contains(doc, `<w:pgMar w:top="1418" w:left="1985"/>`) || strings.Contains(doc, `w:left="1701"`) || !strings.Contains(doc, "Pác Nặm") {
		t.Error("the template's section properties were not used, or the body is missing")
	}
	bad := map[string]string{"[Content_Types].xml": "x", "_rels/.rels": "x", "word/document.xml": "x", "../evil.xml": "x"}
	for name, data := range map[string][]byte{"not a zip": []byte("hello"), "climbing part": mk(bad),
		"no document": mk(map[string]string{"[Content_Types].xml": "x", "_rels/.rels": "x"})} {
		in.Template, in.TemplateName = data, name
		err := report.Write(io.Discard, in)
		var te *report.TemplateError
		if !errors.Is(err, report.ErrTemplate) || !errors.As(err, &te) || te.File != name {
			t.Errorf("%s: err = %v, want a TemplateError", name, err)
		}
	}
}

func TestNoData(t *testing.T) {
	in := fixture(t, "vi")
	in.Period = thidua.Period{Type: thidua.Half, Year: 2019, N: 1}
	if _, err := report.DocumentXML(in); !errors.Is(err, report.ErrNoData) {
		t.Errorf("err = %v, want ErrNoData", err)
	}
}

func unzip(t *testing.T, b []byte) map[string][]byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]byte{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		out[f.Name], _ = io.ReadAll(rc)
		rc.Close()
	}
	return out
}

func wellFormed(t *testing.T, b []byte) {
	t.Helper()
	d := xml.NewDecoder(bytes.NewReader(b))
	for {
		_, err := d.Token()
		if err == io.EOF {
			return
		}
		if err != nil {
			t.Fatalf("not well-formed XML: %v", err)
		}
	}
}

// docText is the text of w:t elements, paragraphs on their own lines.
func docText(t *testing.T, b []byte) string {
	t.Helper()
	d := xml.NewDecoder(bytes.NewReader(b))
	var out strings.Builder
	inT := false
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return out.String()
		}
		if err != nil {
			t.Fatal(err)
		}
		switch e := tok.(type) {
		case xml.StartElement:
			inT = e.Name.Local == "t"
		case xml.EndElement:
			inT = false
			if e.Name.Local == "p" {
				out.WriteByte('\n')
			}
		case xml.CharData:
			if inT {
				out.Write(e)
			}
		}
	}
}

// TestLateReports: late_report findings of periods within the report's are
// listed with their unit, in period order; others are not.
func TestLateReports(t *testing.T) {
	for _, c := range []struct{ lang, want string }{
		{"vi", "báo cáo chậm hạn: 2020-01 (chậm 3 ngày), 2020-03 (chậm 10 ngày)."},
		{"en", "reported late: 2020-01 (3 days late), 2020-03 (10 days late)."},
	} {
		in := fixture(t, c.lang)
		in.Report.QualityFlags = append(in.Report.QualityFlags,
			thidua.QualityFlag{Check: thidua.CheckLateReport, Unit: "060", Period: "2020-03", Value: thidua.Some(10)},
			thidua.QualityFlag{Check: thidua.CheckLateReport, Unit: "060", Period: "2020-01", Value: thidua.Some(3)},
			thidua.QualityFlag{Check: thidua.CheckLateReport, Unit: "061", Period: "2019-12", Value: thidua.Some(7)})
		got, err := report.DocumentXML(in)
		if err != nil {
			t.Fatal(err)
		}
		text := docText(t, got)
		if !strings.Contains(text, c.want) {
			t.Errorf("%s: the report does not say %q", c.lang, c.want)
		}
		if strings.Contains(text, "2019-12") {
			t.Errorf("%s: a late report of another period is listed", c.lang)
		}
	}
}

// TestPartialClusterFigure: a cluster row some unit is missing from has no
// value; the report shows the transform's value_partial marked as partial
// with the units it counts, as the pages do, and never as the cluster's
// figure (docs/transform.md#rule-cluster-value).
func TestPartialClusterFigure(t *testing.T) {
	in := fixture(t, "vi")
	for i := range in.Report.Pop {
		if r := &in.Report.Pop[i]; r.IsCluster && r.Indicator == "new_coops" {
			r.ValuePartial, r.Value, r.Complete = r.Value, thidua.Num{}, false
			r.UnitsReported, r.UnitsExpected, r.PctOfTarget, r.Status = 1, 2, thidua.Num{}, thidua.Incomplete
		}
	}
	w, err := dashboards.NewWording(in.Report, "vi")
	if err != nil {
		t.Fatal(err)
	}
	in.Wording = w
	got, err := report.DocumentXML(in)
	if err != nil {
		t.Fatal(err)
	}
	text := docText(t, got)
	for _, s := range []string{"8 (một phần: 1/2 đơn vị)",
		"Chưa đủ các đơn vị báo cáo để tính số toàn cụm; các đơn vị đã báo cáo đạt 8 (một phần: 1/2 đơn vị) HTX."} {
		if !strings.Contains(text, s) {
			t.Errorf("the report does not say %q", s)
		}
	}
	if strings.Contains(text, "Toàn cụm đạt 8") {
		t.Error("the report gives the partial sum as the cluster's")
	}
}
