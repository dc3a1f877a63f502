package ingest

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/thidua/thidua"
)

// officePart is the part of an office report above the technical detail.
func officePart(t *testing.T, report, lang string) string {
	t.Helper()
	head, _, ok := strings.Cut(report, words(lang).Details)
	if !ok {
		t.Fatalf("no technical detail heading in\n%s", report)
	}
	return head
}

// A truncated workbook (an upload cut in half) is ErrDamaged, and the
// office is asked to send it again, the zip error only in the technical
// detail.
func TestOfficeReportDamagedUpload(t *testing.T) {
	dir := t.TempDir()
	c := testCluster()
	p, err := thidua.ParsePeriod("2020-H1")
	if err != nil {
		t.Fatal(err)
	}
	paths, err := WriteTemplates(dir, c, p, TemplateOptions{Units: []string{"060"}})
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(paths[0])
	if err != nil {
		t.Fatal(err)
	}
	cut := filepath.Join(dir, "cut.xlsx")
	if err := os.WriteFile(cut, data[:len(data)/2], 0o644); err != nil {
		t.Fatal(err)
	}
	_, err = ReadFile(cut, testOptions())
	if !errors.Is(err, ErrDamaged) {
		t.Fatalf("a workbook cut in half: %v, want ErrDamaged", err)
	}
	fe := &FileError{File: cut, Problems: []thidua.Problem{{Pos: thidua.Pos{File: cut}, Err: err}}}
	for lang, want := range map[string]string{
		"vi": "Cả tệp: Tệp bị hỏng hoặc gửi chưa hết. Cách sửa: Xin gửi lại",
		"en": "The whole file: The file is damaged or incomplete. What to do: Please send it again",
	} {
		r := OfficeReport(fe, lang)
		office := strings.Join(strings.Fields(officePart(t, r, lang)), " ")
		if !strings.Contains(office, want) {
			t.Errorf("%s: office part lacks %q:\n%s", lang, want, r)
		}
		if strings.Contains(office, "zip") {
			t.Errorf("%s: the zip error is told to the office:\n%s", lang, r)
		}
		if !strings.Contains(r[len(officePart(t, r, lang)):], "zip: not a valid zip file") {
			t.Errorf("%s: the technical detail lacks the zip error:\n%s", lang, r)
		}
	}
}

// Each problem of a CSV with several kinds of mistakes gets its place, what
// is wrong and what to do; an ambiguous number is never answered with the
// number locale flag.
func TestOfficeReportKinds(t *testing.T) {
	in := "unit,indicator,period,value\n" +
		"060,new_coops,2020-01,3\n" +
		"Hà Nội,new_coops,2020-01,1\n" + // unknown unit
		"061,new_coops,2020-13,2\n" + // bad period
		"062,budget_revenue,2020-01,12 triệu\n" + // not a number
		"063,budget_revenue,2020-01,3.076\n" + // ambiguous: no evidence
		"064,new_coops,2020-01,-2\n" // negative count
	b, err := ReadCSV("bad.csv", strings.NewReader(in), testOptions())
	if err != nil {
		t.Fatal(err)
	}
	var fe *FileError
	if !errors.As(batchError(b), &fe) {
		t.Fatalf("want a FileError, got %v", b.Problems)
	}
	r := OfficeReport(fe, "vi")
	office := officePart(t, r, "vi")
	for _, want := range []string{
		`Tệp "bad.csv" chưa được nhận vì có 5 lỗi.`,
		`1. Dòng 3, cột "unit": Không nhận ra tên đơn vị.`,
		`2. Dòng 4, cột "period": Không đọc được kỳ báo cáo. Trong ô ghi: "2020-13".`,
		`3. Dòng 5, cột "value": Ô này phải là một con số. Trong ô ghi: "12 triệu".`,
		`4. Dòng 6, cột "value": Con số có thể hiểu theo hai cách`,
		"Cách sửa: Viết số theo một kiểu: 1.234,5 hoặc 1234,5",
		`5. Dòng 7, cột "value": Con số không hợp lệ cho chỉ tiêu này`,
	} {
		if !strings.Contains(office, want) {
			t.Errorf("office part lacks %q:\n%s", want, r)
		}
	}
	if strings.Contains(office, "locale") || strings.Contains(office, "--") {
		t.Errorf("the office is told about a flag:\n%s", office)
	}
	if n := strings.Count(office, "Cách sửa:"); n != 5 {
		t.Errorf("%d pieces of advice, want one per problem (5):\n%s", n, office)
	}
	// The technical detail is the FileError's lines, unchanged.
	if !strings.HasSuffix(r, fe.Error()+"\n") {
		t.Errorf("technical detail is not the problems' lines:\n%s", r)
	}
	// A cause no table names still gets a place and advice; every kind has
	// words in every language.
	where, what, do := officeMessage(thidua.Problem{Pos: thidua.Pos{File: "f.xlsx", Sheet: "S", Cell: "B3"}, Err: errors.New("odd")}, "en")
	if where != `Cell B3 (sheet "S")` || what == "" || do == "" {
		t.Errorf("an untyped cause: %q %q %q", where, what, do)
	}
	for lang, w := range officeWords {
		for _, k := range officeKinds {
			if m := w.Kinds[k.kind]; m.What == "" || m.Do == "" {
				t.Errorf("%s: kind %d has no words", lang, k.kind)
			}
		}
		if m := w.Kinds[kindOther]; m.What == "" || m.Do == "" {
			t.Errorf("%s: no words for other problems", lang)
		}
	}
}

// TestOfficeKindsOfRefusals: every problem of every XLSX refusal case has a
// kind the office is told about in its own words, none falls to "a problem
// here".
func TestOfficeKindsOfRefusals(t *testing.T) {
	for _, r := range readRefusals(t) {
		for _, p := range r.b.Problems {
			if kindOf(p.Err) == kindOther {
				t.Errorf("%s: %q has no kind of its own", r.name, p)
			}
		}
	}
}
