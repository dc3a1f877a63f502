package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// TestTemplateRefusalSaysWhy: a unit of the cluster that did not exist in
// the period is refused with its dates, not as a stranger; a name of no
// unit stays "not a unit of cluster".
func TestTemplateRefusalSaysWhy(t *testing.T) {
	dir := t.TempDir()
	code, _, errs := cli(t, "template", "--period", "2026-H1", "--unit", "058", "--out", dir)
	if code != ExitConfig || !strings.Contains(errs, "did not exist in 2026-H1") || !strings.Contains(errs, "2025-06-30") ||
		strings.Contains(errs, "not a unit of cluster") {
		t.Errorf("058 in 2026-H1: code %d, stderr %q", code, errs)
	}
	code, _, errs = cli(t, "template", "--period", "2026-H1", "--unit", "Hà Nội", "--out", dir)
	if code != ExitConfig || !strings.Contains(errs, "not a unit of cluster BK8") {
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
