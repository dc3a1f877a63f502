package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/thidua/thidua/internal/testtree"
	"github.com/thidua/thidua/pipeline"
)

const (
	goodCSV = "unit_code,indicator_code,period,value\n060,new_coops,2020-01,3\n061,new_coops,2020-01,4\n"
	fixCSV  = "unit_code,indicator_code,period,value\n060,new_coops,2020-01,5\n"
	// Two bad rows: an unknown unit and a month 13.
	badCSV = "unit_code,indicator_code,period,value\n060,new_coops,2020-02,1\n999,new_coops,2020-02,1\n061,new_coops,2020-13,2\n"
)

// COLUMN is a number or a column name.
var problemLine = regexp.MustCompile(`^[^\n]+:[0-9]+(:[^:\s]+)?: \S.*$`)

func TestInboxIngest(t *testing.T) {
	dir := t.TempDir()
	db, out, inbox := filepath.Join(dir, "t.duckdb"), filepath.Join(dir, "out"), filepath.Join(dir, "inbox")
	old := time.Now().Add(-time.Hour)
	testtree.WriteFile(t, filepath.Join(inbox, "good.csv"), goodCSV, old)
	testtree.WriteFile(t, filepath.Join(inbox, "fix.csv"), fixCSV, old.Add(time.Minute)) // after good.csv: its value wins
	testtree.WriteFile(t, filepath.Join(inbox, "bad.csv"), badCSV, old)
	testtree.WriteFile(t, filepath.Join(inbox, "notes.xls"), "not a spreadsheet", old)
	testtree.WriteFile(t, filepath.Join(inbox, "archive", "good.csv"), "an earlier good.csv", old)
	ingest := func(extra ...string) (int, string, string) {
		return cli(t, append([]string{"ingest", "--db", db, "--out", out, "--inbox", inbox, "--settle", "0"}, extra...)...)
	}

	code, stdout, stderr := ingest()
	if code != pipeline.ExitPartial {
		t.Fatalf("some refused, some loaded: exit %d, want %d\n%s\n%s", code, pipeline.ExitPartial, stdout, stderr)
	}
	if !strings.Contains(stdout, "files 4: loaded 2, already loaded 0, refused 2") {
		t.Errorf("summary: %s", stdout)
	}
	if got := strings.Join(testtree.Names(t, inbox), " "); got != "archive/ rejected/" {
		t.Errorf("inbox left with %s", got)
	}
	arch := testtree.Names(t, filepath.Join(inbox, "archive"))
	if len(arch) != 3 || arch[0] != "fix.csv" || !regexp.MustCompile(`^good\.20[0-9]{6}T[0-9]{6}Z\.csv$`).MatchString(arch[1]) || arch[2] != "good.csv" {
		t.Errorf("archive: %v, want fix.csv, good.<time>.csv (name taken) and the earlier good.csv", arch)
	}
	if b, _ := os.ReadFile(filepath.Join(inbox, "archive", "good.csv")); string(b) != "an earlier good.csv" {
		t.Error("the earlier archived good.csv was overwritten")
	}
	rej := strings.Join(testtree.Names(t, filepath.Join(inbox, "rejected")), " ")
	if rej != "bad.csv bad.csv.errors.txt notes.xls notes.xls.errors.txt" {
		t.Errorf("rejected: %s", rej)
	}
	errs, err := os.ReadFile(filepath.Join(inbox, "rejected", "bad.csv.errors.txt"))
	if err != nil {
		t.Fatal(err)
	}
	// For the office: in Vietnamese (the default lang), each problem with
	// its place, what is wrong and what to do; then the technical lines.
	office, detail, ok := strings.Cut(string(errs), "Chi tiết kỹ thuật (dành cho thư ký cụm):\n")
	if !ok {
		t.Fatalf("bad.csv.errors.txt has no technical detail heading:\n%s", errs)
	}
	for _, want := range []string{`Tệp "bad.csv" chưa được nhận vì có 2 lỗi.`, `1. Dòng 3, cột "unit_code": Không nhận ra tên đơn vị.`,
		`2. Dòng 4, cột "period": Không đọc được kỳ báo cáo.`, "Cách sửa: Ghi kỳ báo cáo như: Tháng 6/2020"} {
		if !strings.Contains(office, want) {
			t.Errorf("bad.csv.errors.txt lacks %q:\n%s", want, errs)
		}
	}
	lines := strings.Split(strings.TrimSuffix(detail, "\n"), "\n")
	if len(lines) < 2 {
		t.Errorf("bad.csv.errors.txt: %d problems, want every bad row (2):\n%s", len(lines), errs)
	}
	for _, l := range lines {
		if !problemLine.MatchString(l) || !strings.Contains(l, "bad.csv:") {
			t.Errorf("problem line %q is not FILE:LINE[:COLUMN]: message", l)
		}
	}
	if !strings.Contains(string(errs), "bad.csv:3") || !strings.Contains(string(errs), "bad.csv:4") {
		t.Errorf("problems do not name lines 3 and 4:\n%s", errs)
	}
	if b, _ := os.ReadFile(filepath.Join(inbox, "rejected", "notes.xls.errors.txt")); !strings.Contains(string(b), "Lưu thành (Save As) kiểu \"Excel Workbook (.xlsx)\"") {
		t.Errorf("notes.xls.errors.txt: %q", b)
	}
	// fix.csv came after good.csv, so its 5 replaced good.csv's 3.
	code, stdout, _ = cli(t, "loads", "--db", db, "--json")
	if code != 0 || !strings.Contains(stdout, `"updated": 1`) {
		t.Errorf("loads after inbox: exit %d\n%s", code, stdout)
	}

	// Nothing new: success, nothing moved.
	if code, _, stderr := ingest(); code != pipeline.ExitOK || !strings.Contains(stderr, "nothing new") {
		t.Errorf("empty inbox: exit %d\n%s", code, stderr)
	}

	// A repeat is archived too; a file still being written stays.
	testtree.WriteFile(t, filepath.Join(inbox, "again.csv"), goodCSV, old)
	testtree.WriteFile(t, filepath.Join(inbox, "busy.csv"), goodCSV, time.Now())
	code, stdout, stderr = ingest("--settle", "1h")
	if code != pipeline.ExitOK || !strings.Contains(stdout, "already loaded 1") {
		t.Errorf("repeat: exit %d\n%s\n%s", code, stdout, stderr)
	}
	if got := strings.Join(testtree.Names(t, inbox), " "); got != "archive/ busy.csv rejected/" {
		t.Errorf("inbox after repeat: %s (busy.csv must stay)", got)
	}
	if !strings.Contains(stderr, "still being written") {
		t.Errorf("no word about busy.csv:\n%s", stderr)
	}
	os.Remove(filepath.Join(inbox, "busy.csv"))

	// Only refused files: data error.
	testtree.WriteFile(t, filepath.Join(inbox, "bad.csv"), badCSV, old)
	code, _, stderr = ingest()
	if code != pipeline.ExitData {
		t.Errorf("all refused: exit %d, want %d\n%s", code, pipeline.ExitData, stderr)
	}
	rej = strings.Join(testtree.Names(t, filepath.Join(inbox, "rejected")), " ")
	if !regexp.MustCompile(`bad\.20[0-9T]+Z\.csv bad\.20[0-9T]+Z\.csv\.errors\.txt bad\.csv bad\.csv\.errors\.txt`).MatchString(rej) {
		t.Errorf("second bad.csv not beside the first with a time suffix: %s", rej)
	}

	// Inbox with INPUT arguments, or a missing inbox: configuration errors.
	if code, _, _ := ingest("x.csv"); code != pipeline.ExitConfig {
		t.Errorf("--inbox with inputs: exit %d", code)
	}
	if code, _, _ := cli(t, "ingest", "--db", db, "--out", out, "--inbox", filepath.Join(dir, "nope")); code != pipeline.ExitConfig {
		t.Errorf("missing inbox: exit %d", code)
	}
}

func TestRunInbox(t *testing.T) {
	dir := t.TempDir()
	db, out, inbox := filepath.Join(dir, "t.duckdb"), filepath.Join(dir, "out"), filepath.Join(dir, "inbox")
	old := time.Now().Add(-time.Hour)
	testtree.WriteFile(t, filepath.Join(inbox, "good.csv"), goodCSV, old)
	testtree.WriteFile(t, filepath.Join(inbox, "bad.csv"), badCSV, old)
	code, stdout, stderr := cli(t, "run", "--db", db, "--out", out, "--inbox", inbox, "--settle", "0")
	if code != pipeline.ExitPartial {
		t.Fatalf("run --inbox: exit %d, want %d\n%s\n%s", code, pipeline.ExitPartial, stdout, stderr)
	}
	// The rest of the run went on.
	for _, p := range []string{"dashboards/index.html", "parquet/indicator_pop.parquet"} {
		if _, err := os.Stat(filepath.Join(out, p)); err != nil {
			t.Error(err)
		}
	}
	body, err := os.ReadFile(filepath.Join(out, "run.json"))
	if err != nil {
		t.Fatal(err)
	}
	var sum pipeline.RunSummary
	if err := json.Unmarshal(body, &sum); err != nil {
		t.Fatal(err)
	}
	if sum.ExitStatus != pipeline.ExitPartial || len(sum.Refused) != 1 || !strings.HasSuffix(sum.Refused[0].File, "bad.csv") ||
		len(sum.Refused[0].Problems) < 2 || len(sum.Loads) != 1 {
		t.Errorf("run.json: exit %d, refused %+v, loads %+v", sum.ExitStatus, sum.Refused, sum.Loads)
	}
	if got := strings.Join(testtree.Names(t, filepath.Join(inbox, "rejected")), " "); got != "bad.csv bad.csv.errors.txt" {
		t.Errorf("rejected: %s", got)
	}
}

// The office of a refused file is told in the cluster's language (config
// lang: en here) what is wrong, where and what to do: an upload cut in half
// is damaged or incomplete and is to be sent again, with the zip error only
// in the technical detail.
func TestInboxOfficeMessages(t *testing.T) {
	t.Setenv("THIDUA_LANG", "en")
	dir := t.TempDir()
	db, out, inbox, forms := filepath.Join(dir, "t.duckdb"), filepath.Join(dir, "out"), filepath.Join(dir, "inbox"), filepath.Join(dir, "forms")
	if code, _, stderr := cli(t, "template", "--period", "2020-H1", "--unit", "060", "--out", forms); code != 0 {
		t.Fatalf("template: exit %d\n%s", code, stderr)
	}
	made, _ := filepath.Glob(filepath.Join(forms, "*.xlsx"))
	if len(made) != 1 {
		t.Fatalf("template wrote %v", made)
	}
	data, err := os.ReadFile(made[0])
	if err != nil {
		t.Fatal(err)
	}
	old := time.Now().Add(-time.Hour)
	testtree.WriteFile(t, filepath.Join(inbox, "pac-nam.xlsx"), string(data[:len(data)/2]), old)
	testtree.WriteFile(t, filepath.Join(inbox, "ba-be.csv"), "unit,indicator,period,value\n061,budget_revenue,2020-01,3.076\n", old)
	if code, _, stderr := cli(t, "ingest", "--db", db, "--out", out, "--inbox", inbox, "--settle", "0"); code != pipeline.ExitData {
		t.Fatalf("two refused files: exit %d, want %d\n%s", code, pipeline.ExitData, stderr)
	}
	read := func(name string) (office, detail string) {
		b, err := os.ReadFile(filepath.Join(inbox, "rejected", name+".errors.txt"))
		if err != nil {
			t.Fatal(err)
		}
		office, detail, ok := strings.Cut(string(b), "Technical detail (for the cluster's secretary):\n")
		if !ok {
			t.Fatalf("%s.errors.txt is not in English:\n%s", name, b)
		}
		return strings.Join(strings.Fields(office), " "), detail
	}
	office, detail := read("pac-nam.xlsx")
	if want := `The file "pac-nam.xlsx" was not accepted: it has 1 problem(s). Please correct them and send the whole file again. 1. The whole file: The file is damaged or incomplete. What to do: Please send it again`; !strings.HasPrefix(office, want) {
		t.Errorf("damaged upload: office told\n%s\nwant\n%s", office, want)
	}
	if strings.Contains(office, "zip") || !strings.Contains(detail, "zip: not a valid zip file") {
		t.Errorf("the zip error belongs in the technical detail only:\n%s\n--\n%s", office, detail)
	}
	office, _ = read("ba-be.csv")
	if !strings.Contains(office, `1. Line 2, column "value": The number can be read two ways`) || !strings.Contains(office, "What to do: Write numbers one way: 1.234,5 or 1234,5") || strings.Contains(office, "locale") {
		t.Errorf("ambiguous number: office told\n%s", office)
	}
}

// Files sent under one name: "thidua loads" tells them apart by their
// archived names, the errors of a refused version go when a corrected one
// loads, and "thidua history" shows the value's trail, names as files
// write them.
func TestInboxArchivedNamesStaleErrorsHistory(t *testing.T) {
	dir := t.TempDir()
	db, out, inbox := filepath.Join(dir, "t.duckdb"), filepath.Join(dir, "out"), filepath.Join(dir, "inbox")
	old := time.Now().Add(-time.Hour)
	ingest := func(body string, want int) {
		t.Helper()
		testtree.WriteFile(t, filepath.Join(inbox, "report.csv"), body, old)
		if code, _, stderr := cli(t, "ingest", "--db", db, "--out", out, "--inbox", inbox, "--settle", "0"); code != want {
			t.Fatalf("ingest: exit %d, want %d\n%s", code, want, stderr)
		}
	}
	ingest(goodCSV, pipeline.ExitOK)
	ingest(badCSV, pipeline.ExitData)
	ingest(strings.Replace(badCSV, "2020-13", "2020-14", 1), pipeline.ExitData) // refused again: a stamped name
	rej := testtree.Names(t, filepath.Join(inbox, "rejected"))
	if len(rej) != 4 {
		t.Fatalf("rejected: %v, want two refused versions with their errors", rej)
	}
	ingest(fixCSV, pipeline.ExitOK)
	rej = testtree.Names(t, filepath.Join(inbox, "rejected"))
	for _, n := range rej {
		if strings.HasSuffix(n, ".errors.txt") {
			t.Errorf("stale %s left in rejected/ after report.csv loaded: %v", n, rej)
		}
	}
	if len(rej) != 2 {
		t.Errorf("rejected: %v, want the two refused versions kept", rej)
	}
	code, stdout, _ := cli(t, "loads", "--db", db, "--json")
	var ls []pipeline.LoadJSON
	if err := json.Unmarshal([]byte(stdout), &ls); code != 0 || err != nil || len(ls) != 2 {
		t.Fatalf("loads --json: exit %d, %v\n%s", code, err, stdout)
	}
	stamped := regexp.MustCompile(`^archive/report\.20[0-9]{6}T[0-9]{6}Z\.csv$`)
	if ls[1].Archived != "archive/report.csv" || !stamped.MatchString(ls[0].Archived) || ls[0].File != ls[1].File {
		t.Errorf("loads: archived %q and %q for file %q and %q, want archive/report.csv and archive/report.<time>.csv", ls[1].Archived, ls[0].Archived, ls[1].File, ls[0].File)
	}
	if _, stdout, _ := cli(t, "loads", "--db", db); !strings.Contains(stdout, "ARCHIVED AS") || !strings.Contains(stdout, ls[0].Archived) || !strings.Contains(stdout, " archive/report.csv ") {
		t.Errorf("loads table does not show the archived names:\n%s", stdout)
	}
	// The trail of 060 new_coops 2020-01, named as a form would: reported
	// 3, corrected to 5; then the correction undone.
	if code, _, stderr := cli(t, "loads", "--db", db, "--undo", strconv.FormatInt(ls[0].ID, 10)); code != 0 {
		t.Fatalf("undo: exit %d\n%s", code, stderr)
	}
	code, stdout, stderr := cli(t, "history", "--db", db, "Huyện Pác Nặm", "Hợp tác xã thành lập mới", "Tháng 1/2020", "--json")
	if code != 0 {
		t.Fatalf("history: exit %d\n%s", code, stderr)
	}
	var h struct {
		Unit, Indicator, Period string
		Changes                 []pipeline.HistoryJSON
	}
	if err := json.Unmarshal([]byte(stdout), &h); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, c := range h.Changes {
		got = append(got, fmt.Sprintf("%s %d %s %v->%v %s %s->%s", c.Action, c.Load, c.Archived, num(c.Old), num(c.New), c.Status, c.OldSource, c.NewSource))
	}
	first, second := ls[1], ls[0]
	src := func(l pipeline.LoadJSON) string { return l.File + ":2:value" }
	want := []string{
		fmt.Sprintf("insert %d archive/report.csv -->3 loaded ->%s", first.ID, src(first)),
		fmt.Sprintf("update %d %s 3->5 undone %s->%s", second.ID, second.Archived, src(first), src(second)),
		fmt.Sprintf("undo %d %s 5->3 undone %s->%s", second.ID, second.Archived, src(second), src(first)),
	}
	if h.Unit != "060" || h.Indicator != "new_coops" || h.Period != "2020-01" || strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("history of %s %s %s:\n%s\nwant\n%s", h.Unit, h.Indicator, h.Period, strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if _, stdout, _ := cli(t, "history", "--db", db, "060", "new_coops", "2020-01"); !strings.Contains(stdout, "060 Pác Nặm, new_coops") || strings.Count(stdout, "\n") != 5 {
		t.Errorf("history table:\n%s", stdout)
	}
	if code, _, stderr := cli(t, "history", "--db", db, "Hà Nội", "new_coops", "2020-01"); code != pipeline.ExitConfig || !strings.Contains(stderr, "unknown unit") {
		t.Errorf("an unknown unit: exit %d\n%s", code, stderr)
	}
}

func num(v *float64) string {
	if v == nil {
		return "-"
	}
	return strconv.FormatFloat(*v, 'f', -1, 64)
}
