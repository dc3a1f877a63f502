package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/thidua/thidua/pipeline"
)

// TestTemplateRefusalSaysWhy: a unit of the cluster that did not exist in
// the period is refused with its dates, not as a stranger; a name of no
// unit stays "not a unit of cluster".
func TestTemplateRefusalSaysWhy(t *testing.T) {
	dir := t.TempDir()
	code, _, errs := cli(t, "template", "--period", "2026-H1", "--unit", "058", "--out", dir)
	if code != pipeline.ExitConfig || !strings.Contains(errs, "did not exist in 2026-H1") || !strings.Contains(errs, "2025-06-30") ||
		strings.Contains(errs, "not a unit of cluster") {
		t.Errorf("058 in 2026-H1: code %d, stderr %q", code, errs)
	}
	code, _, errs = cli(t, "template", "--period", "2026-H1", "--unit", "Hà Nội", "--out", dir)
	if code != pipeline.ExitConfig || !strings.Contains(errs, "not a unit of cluster BK8") {
		t.Errorf("Hà Nội: code %d, stderr %q", code, errs)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("refused, yet wrote %d files", len(entries))
	}
}

// TestValidateCountsAsIngest: validate states the count of values a file
// would load in the terms ingest uses ("values inserted N" counts reported
// values and annual targets alike), and the two agree.
func TestValidateCountsAsIngest(t *testing.T) {
	dir := t.TempDir()
	f := filepath.Join(dir, "pac-nam.csv")
	csv := "unit,indicator,period,value,target\n" +
		"060,budget_revenue,2020-H1,9000,18000\n" +
		"060,recruits,2020-H1,80,85\n" +
		"060,commended,2020-H1,12,\n"
	if err := os.WriteFile(f, []byte(csv), 0o644); err != nil {
		t.Fatal(err)
	}
	env := []string{"THIDUA_NOW=2021-01-15"}
	code, out, errs := runBinary(t, dir, env, "validate", f)
	m := regexp.MustCompile(`ok, 3 rows, (\d+) values \((\d+) reported, (\d+) annual targets\)`).FindStringSubmatch(out)
	if code != 0 || m == nil {
		t.Fatalf("validate: exit %d\n%s\n%s", code, out, errs)
	}
	if m[1] != "5" || m[2] != "3" || m[3] != "2" {
		t.Errorf("validate counts %v, want 5 values (3 reported, 2 annual targets)", m[1:])
	}
	code, out, errs = runBinary(t, dir, env, "ingest", "--db", filepath.Join(dir, "t.duckdb"), f)
	n := regexp.MustCompile(`values inserted (\d+)`).FindStringSubmatch(out)
	if code != 0 || n == nil {
		t.Fatalf("ingest: exit %d\n%s\n%s", code, out, errs)
	}
	if v, _ := strconv.Atoi(n[1]); strconv.Itoa(v) != m[1] {
		t.Errorf("validate says %s values, ingest inserted %s", m[1], n[1])
	}
}

// writeForm writes the template form of unit 060 for period into dir with
// cells of its form sheet set, and returns its path.
func writeForm(t *testing.T, dir, period string, cells map[string]any) string {
	t.Helper()
	if code, _, errs := cli(t, "template", "--period", period, "--unit", "060", "--out", dir); code != 0 {
		t.Fatalf("template: %d %s", code, errs)
	}
	matches, _ := filepath.Glob(filepath.Join(dir, "060_*.xlsx"))
	if len(matches) != 1 {
		t.Fatalf("forms %v", matches)
	}
	f, err := excelize.OpenFile(matches[0])
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for cell, v := range cells {
		if err := f.SetCellValue("Báo cáo", cell, v); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.Save(); err != nil {
		t.Fatal(err)
	}
	return matches[0]
}

// TestEmptyForm: a form returned without any value is reported as empty by
// validate, refused by ingest and the inbox (with the office's message),
// and loaded with --allow-empty.
func TestEmptyForm(t *testing.T) {
	dir := t.TempDir()
	inbox := filepath.Join(dir, "inbox")
	form := writeForm(t, inbox, "2020-H1", nil)
	env := []string{"THIDUA_NOW=2021-01-15"}
	db := filepath.Join(dir, "t.duckdb")
	code, out, errs := runBinary(t, dir, env, "validate", form)
	if code != pipeline.ExitData || !strings.Contains(errs, "060_2020-H1.xlsx:Báo cáo: the form has no values") {
		t.Errorf("validate: exit %d\n%s\n%s", code, out, errs)
	}
	code, out, errs = runBinary(t, dir, env, "ingest", "--db", db, form)
	if code != pipeline.ExitData || !strings.Contains(out, "refused 1") {
		t.Errorf("ingest: exit %d\n%s\n%s", code, out, errs)
	}
	code, out, errs = runBinary(t, dir, env, "ingest", "--db", db, "--inbox", inbox, "--settle", "0s")
	if code != pipeline.ExitData {
		t.Errorf("inbox: exit %d\n%s\n%s", code, out, errs)
	}
	report, err := os.ReadFile(filepath.Join(inbox, "rejected", "060_2020-H1.xlsx.errors.txt"))
	if err != nil || !strings.Contains(string(report), "Biểu mẫu chưa có số liệu nào") {
		t.Errorf("inbox errors file: %v\n%s", err, report)
	}
	code, out, errs = runBinary(t, dir, env, "ingest", "--db", db, "--allow-empty", filepath.Join(inbox, "rejected", "060_2020-H1.xlsx"))
	if code != 0 || !strings.Contains(out, "loaded 1") {
		t.Errorf("--allow-empty: exit %d\n%s\n%s", code, out, errs)
	}
}

// TestValidatePeriodYTD: validate reports a form whose "Thực hiện" is
// more than its "Lũy kế" with both cells.
func TestValidatePeriodYTD(t *testing.T) {
	dir := t.TempDir()
	form := writeForm(t, dir, "2020-06", map[string]any{"F9": 700, "G9": 600})
	code, out, errs := runBinary(t, dir, []string{"THIDUA_NOW=2021-01-15"}, "validate", form)
	if code != pipeline.ExitData || !strings.Contains(errs, "060_2020-06.xlsx:Báo cáo!F9: Thực hiện (F9) 700 and Lũy kế (year to date, G9) 600 of budget_revenue disagree") {
		t.Errorf("validate: exit %d\n%s\n%s", code, out, errs)
	}
}
