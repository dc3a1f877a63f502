package main

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/thidua/thidua/internal/testtree"
	"github.com/thidua/thidua/pipeline"
)

// TestNumberLocaleReported: a CSV whose values are written like 3315.9 is
// not refused for one 3.076: it reads 3.076 the English way and says so,
// with the cell that showed it, in "validate", the load log and run.json;
// --locale vi still forces the Vietnamese reading.
func TestNumberLocaleReported(t *testing.T) {
	dir := t.TempDir()
	csv := filepath.Join(dir, "rice.csv")
	testtree.WriteFile(t, csv, "unit_code,indicator_code,period,value\n060,rice_area_ha,2020-06,3315.9\n061,rice_area_ha,2020-06,3.076\n", time.Time{})
	db, out := filepath.Join(dir, "t.duckdb"), filepath.Join(dir, "out")

	code, stdout, stderr := cli(t, "validate", csv)
	if code != pipeline.ExitOK || !strings.Contains(stdout, `numbers read en (1,234.5: comma groups thousands), inferred from line 2 column value ("3315.9")`) {
		t.Errorf("validate: exit %d\n%s\n%s", code, stdout, stderr)
	}
	code, stdout, stderr = cli(t, "validate", "--locale", "vi", csv)
	if code != pipeline.ExitOK || strings.Contains(stdout, "numbers read") {
		t.Errorf("validate --locale vi: exit %d\n%s\n%s", code, stdout, stderr)
	}

	code, stdout, stderr = cli(t, "run", "--db", db, "--out", out, csv)
	if code != pipeline.ExitOK {
		t.Fatalf("run: exit %d\n%s\n%s", code, stdout, stderr)
	}
	if !strings.Contains(stderr, "numbers") || !strings.Contains(stderr, "3315.9") {
		t.Errorf("the load log does not say how numbers were read:\n%s", stderr)
	}
	sum := readRunJSON(t, out)
	if len(sum.Loads) != 1 || !strings.Contains(sum.Loads[0].Numbers, `en (1,234.5`) || !strings.Contains(sum.Loads[0].Numbers, `line 2 column value ("3315.9")`) {
		t.Errorf("run.json loads: %+v", sum.Loads)
	}
	code, stdout, _ = cli(t, "loads", "--db", db, "--json")
	if code != pipeline.ExitOK || !strings.Contains(stdout, `"inserted": 2`) {
		t.Errorf("loads: %s", stdout)
	}
}
