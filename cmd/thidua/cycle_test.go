package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/thidua/thidua/internal/testtree"
	"github.com/thidua/thidua/pipeline"
	"github.com/thidua/thidua/store"
)

// cycleUnits are the built-in cluster's units, in their order.
var cycleUnits = []string{"058", "060", "061", "062", "063", "064", "065", "066"}

// cycleFigures is what unit number u (0-based) types into its 2020-H1 form:
// the period's value (Thực hiện) and the annual target (Kế hoạch năm) of
// each indicator the form asks for; -1 leaves the cell empty.
func cycleFigures(code string, u int) (value, target float64) {
	f := float64(u)
	switch code {
	case "budget_revenue":
		return 5000 + 250*f, 12000 + 500*f
	case "new_coops":
		return float64(2 + u%3), 5
	case "afforestation_ha":
		return 120.5 + 10*f, 300
	case "recruits":
		return 40 + f, 40 + f
	case "ntm_communes":
		return float64(2 + u%4), 5
	case "ntm_avg_criteria":
		return 12.5 + 0.5*f, 15
	case "poverty_rate":
		return -1, 10.5
	case "poor_households":
		return 1000 + 100*f, -1
	case "households":
		return 10000 + 500*f, -1
	case "rice_area_ha":
		return 800.5 + 20*f, 1600
	case "commended":
		return 10 + f, -1
	}
	return -1, -1
}

// fillForm fills a "thidua template" form as a district office would in a
// spreadsheet: for each indicator row (its code in column B), the target in
// E and the period's value in F, as numbers. bad, when not empty, is typed
// as text into the new_coops value cell instead; it returns that cell.
func fillForm(t *testing.T, path string, u int, bad string) (badCell string) {
	t.Helper()
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sheet := f.GetSheetName(0)
	rows, err := f.GetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	filled := 0
	for r, row := range rows {
		if len(row) < 3 || r+1 < 9 {
			continue
		}
		value, target := cycleFigures(row[1], u)
		if target >= 0 {
			if err := f.SetCellValue(sheet, "E"+strconv.Itoa(r+1), target); err != nil {
				t.Fatal(err)
			}
		}
		if value >= 0 {
			cell := "F" + strconv.Itoa(r+1)
			var v any = value
			if row[1] == "new_coops" && bad != "" {
				v, badCell = bad, cell
			}
			if err := f.SetCellValue(sheet, cell, v); err != nil {
				t.Fatal(err)
			}
		}
		if value >= 0 || target >= 0 {
			filled++
		}
	}
	if filled != 11 {
		t.Fatalf("%s: filled %d indicator rows, want the 11 the form asks for", path, filled)
	}
	if err := f.Save(); err != nil {
		t.Fatal(err)
	}
	return badCell
}

// popValue returns the value of indicator_pop.parquet for a unit,
// indicator and period, read by DuckDB.
func popValue(t *testing.T, out, unit, ind, period string) (float64, bool) {
	t.Helper()
	db, err := store.Open(context.Background(), "", store.Options{Unlocked: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var v *float64
	err = db.SQL().QueryRow(`SELECT value FROM read_parquet(`+store.QuoteString(filepath.Join(out, "parquet", "indicator_pop.parquet"))+`)
		WHERE unit_code = ? AND indicator_code = ? AND period = ?`, unit, ind, period).Scan(&v)
	if err != nil || v == nil {
		return 0, false
	}
	return *v, true
}

// TestSecretaryCycle walks the secretary's cycle with the real binary:
// "thidua template" makes the forms, the offices fill them in (excelize, as
// a spreadsheet would), they land in the inbox, "thidua run --inbox" loads
// them and tells the office of a bad form what to fix, the office sends it
// again, a correction file changes a value, the correction is undone and
// the outputs rebuilt with the command the undo prints, and the figures are
// exported for colleagues. The values must land as typed, the bad form's
// office be told in Vietnamese which cell is wrong and what to do, and
// after the undo the Parquet files and pages must equal those of a run
// that loaded the same forms and no correction.
func TestSecretaryCycle(t *testing.T) {
	root := t.TempDir()
	env := []string{"THIDUA_NOW=2020-08-01"}
	bin := func(dir string, want int, args ...string) string {
		t.Helper()
		code, stdout, stderr := runBinary(t, dir, env, args...)
		if code != want {
			t.Fatalf("thidua %s: exit %d, want %d\n%s\n%s", strings.Join(args, " "), code, want, stdout, stderr)
		}
		return stdout
	}
	// The forms, from "thidua template".
	forms := filepath.Join(root, "forms")
	bin(root, 0, "template", "--period", "2020-H1", "--out", forms)
	blank := map[string][]byte{}
	for _, u := range cycleUnits {
		b, err := os.ReadFile(filepath.Join(forms, u+"_2020-H1.xlsx"))
		if err != nil {
			t.Fatal(err)
		}
		blank[u] = b
	}
	// The offices fill them in; Na Rì first types a number with words.
	filled := filepath.Join(root, "filled")
	form := func(u int, bad string) (string, string) {
		t.Helper()
		p := filepath.Join(filled, cycleUnits[u]+map[bool]string{true: "-bad", false: ""}[bad != ""]+".xlsx")
		testtree.WriteFile(t, p, string(blank[cycleUnits[u]]), time.Time{})
		return p, fillForm(t, p, u, bad)
	}
	var good []string
	for u := range cycleUnits {
		p, _ := form(u, "")
		good = append(good, p)
	}
	badPath, badCell := form(7, "12 triệu")
	// Every file lands in an inbox under the office's name for it, the
	// first batch an hour ago, later ones after it.
	old := time.Now().Add(-time.Hour)
	drop := func(inbox, src, name string, at time.Time) {
		t.Helper()
		b, err := os.ReadFile(src)
		if err != nil {
			t.Fatal(err)
		}
		testtree.WriteFile(t, filepath.Join(inbox, name), string(b), at)
	}
	gen := []string{"--generated-at", pinnedGeneratedAt}
	runInbox := func(dir string, want int) string {
		return bin(dir, want, append([]string{"run", "--inbox", "inbox", "--settle", "0", "--db", "t.duckdb", "--out", "out"}, gen...)...)
	}

	// Load alone: the eight good forms, Na Rì's last.
	alone := filepath.Join(root, "alone")
	for u, p := range good {
		at := old
		if u == 7 {
			at = old.Add(30 * time.Minute)
		}
		drop(filepath.Join(alone, "inbox"), p, "bao-cao-"+cycleUnits[u]+".xlsx", at)
	}
	runInbox(alone, pipeline.ExitOK)

	// The cycle.
	cycle := filepath.Join(root, "cycle")
	inbox := filepath.Join(cycle, "inbox")
	for u, p := range good[:7] {
		drop(inbox, p, "bao-cao-"+cycleUnits[u]+".xlsx", old)
	}
	drop(inbox, badPath, "bao-cao-066.xlsx", old)
	runInbox(cycle, pipeline.ExitPartial)
	out := filepath.Join(cycle, "out")
	for _, c := range []struct {
		unit, ind string
		want      float64
	}{{"060", "afforestation_ha", 130.5}, {"060", "budget_revenue", 5250}, {"065", "new_coops", 2}, {"058", "poverty_rate", 10}} {
		if v, ok := popValue(t, out, c.unit, c.ind, "2020-H1"); !ok || v != c.want {
			t.Errorf("%s %s 2020-H1 = %v (%v), want %v as typed", c.unit, c.ind, v, ok, c.want)
		}
	}
	if _, ok := popValue(t, out, "066", "afforestation_ha", "2020-H1"); ok {
		t.Error("the refused form of Na Rì was loaded")
	}
	// Na Rì's office is told, in Vietnamese, which cell and what to do.
	msg, err := os.ReadFile(filepath.Join(inbox, "rejected", "bao-cao-066.xlsx.errors.txt"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`Tệp "bao-cao-066.xlsx" chưa được nhận vì có 1 lỗi.`,
		"1. Ô " + badCell + ` (trang "Báo cáo"): Ô này phải là một con số. Trong ô ghi: "12 triệu".`,
		"Cách sửa: Chỉ ghi số, không kèm chữ hay đơn vị tính",
		"Chi tiết kỹ thuật (dành cho thư ký cụm):\ninbox/bao-cao-066.xlsx:Báo cáo!" + badCell + `: not a number "12 triệu"`} {
		if !strings.Contains(string(msg), want) {
			t.Errorf("bao-cao-066.xlsx.errors.txt lacks %q:\n%s", want, msg)
		}
	}
	// Na Rì sends it again, corrected: loaded, and its errors cleared.
	drop(inbox, good[7], "bao-cao-066.xlsx", old.Add(30*time.Minute))
	runInbox(cycle, pipeline.ExitOK)
	if _, err := os.Stat(filepath.Join(inbox, "rejected", "bao-cao-066.xlsx.errors.txt")); !os.IsNotExist(err) {
		t.Errorf("the errors of Na Rì's refused form are still there after the corrected one loaded (%v)", err)
	}
	if v, ok := popValue(t, out, "066", "afforestation_ha", "2020-H1"); !ok || v != 190.5 {
		t.Errorf("066 afforestation_ha 2020-H1 = %v (%v), want 190.5", v, ok)
	}
	// A correction of Pác Nặm's new cooperatives.
	testtree.WriteFile(t, filepath.Join(root, "sua.csv"), "unit_code,indicator_code,period,value\n060,new_coops,2020-H1,9\n", time.Time{})
	drop(inbox, filepath.Join(root, "sua.csv"), "sua-so-lieu.csv", old.Add(40*time.Minute))
	runInbox(cycle, pipeline.ExitOK)
	if v, _ := popValue(t, out, "060", "new_coops", "2020-H1"); v != 9 {
		t.Errorf("after the correction 060 new_coops 2020-H1 = %v, want 9", v)
	}
	var ls []pipeline.LoadJSON
	if err := json.Unmarshal([]byte(bin(cycle, 0, "loads", "--db", "t.duckdb", "--json")), &ls); err != nil || len(ls) != 9 {
		t.Fatalf("loads: %v %+v, want 9 (8 forms and the correction)", err, ls)
	}
	for _, l := range ls {
		if l.Format == "sample" {
			t.Errorf("load %d is the synthetic sample, in a database of real forms", l.ID)
		}
	}
	fix := ls[0]
	if fix.File != "inbox/sua-so-lieu.csv" || fix.Updated != 1 || fix.Archived != "archive/sua-so-lieu.csv" {
		t.Fatalf("the correction's load: %+v", fix)
	}
	// Undo it, and run what the undo says.
	undo := bin(cycle, 0, "loads", "--db", "t.duckdb", "--undo", strconv.FormatInt(fix.ID, 10))
	var hint []string
	for _, l := range strings.Split(undo, "\n") {
		if l = strings.TrimSpace(l); strings.HasPrefix(l, "thidua ") {
			hint = strings.Fields(l)[1:]
		}
	}
	if hint == nil {
		t.Fatalf("the undo names no command:\n%s", undo)
	}
	bin(cycle, 0, append(hint, gen...)...)
	if v, _ := popValue(t, out, "060", "new_coops", "2020-H1"); v != 3 {
		t.Errorf("after the undo 060 new_coops 2020-H1 = %v, want 3 as the form said", v)
	}
	trail := bin(cycle, 0, "history", "--db", "t.duckdb", "Huyện Pác Nặm", "HTX thành lập mới", "6 tháng đầu năm 2020")
	for _, want := range []string{"insert", "update", "undo", "archive/sua-so-lieu.csv (sent as inbox/sua-so-lieu.csv)", "archive/bao-cao-060.xlsx (sent as inbox/bao-cao-060.xlsx)"} {
		if !strings.Contains(trail, want) {
			t.Errorf("history lacks %q:\n%s", want, trail)
		}
	}
	// The outputs are those of the forms alone.
	for _, sub := range []string{"parquet", "dashboards"} {
		if n := len(readTree(t, filepath.Join(alone, "out", sub))); n < 5 {
			t.Fatalf("%s of the forms alone: %d files", sub, n)
		}
		var diffs []string
		for _, d := range diffTrees(t, filepath.Join(out, sub), filepath.Join(alone, "out", sub)) {
			name, _, _ := strings.Cut(d, ":")
			if strings.HasSuffix(name, ".html") {
				g, _ := os.ReadFile(filepath.Join(out, sub, name))
				w, _ := os.ReadFile(filepath.Join(alone, "out", sub, name))
				if loadsTable.ReplaceAllString(string(g), "") == loadsTable.ReplaceAllString(string(w), "") {
					continue // the table of loads keeps the history
				}
			}
			diffs = append(diffs, d)
		}
		if len(diffs) > 0 {
			t.Errorf("%s after load, refuse, resend, correct, undo differ from the forms loaded alone:\n%s", sub, strings.Join(diffs, "\n"))
		}
	}
	// Exported for colleagues with Excel in Vietnamese.
	bin(cycle, 0, "export", "--db", "t.duckdb", "--out", "out", "--format", "csv-vi,xlsx-vi")
	csvVI, err := os.ReadFile(filepath.Join(out, "csv-vi", "indicator_pop.csv"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{";afforestation_ha;Diện tích trồng rừng mới;2020-H1;half;01/01/2020;30/06/2020;130,5;",
		";new_coops;Hợp tác xã thành lập mới;2020-H1;half;01/01/2020;30/06/2020;3;"} {
		if !strings.Contains(string(csvVI), "060;Pác Nặm"+want) {
			t.Errorf("csv-vi lacks 060;Pác Nặm%s", want)
		}
	}
	if _, err := os.Stat(filepath.Join(out, "xlsx-vi", "thidua.xlsx")); err != nil {
		t.Error(err)
	}
	if _, err := os.Stat(filepath.Join(out, "csv-vi", "SYNTHETIC.txt")); !os.IsNotExist(err) {
		t.Errorf("real forms' export says SYNTHETIC (%v)", err)
	}
}
