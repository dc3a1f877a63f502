//go:build unix

package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/thidua/thidua/pipeline"
)

// TestStatusCommand runs the pipeline on the sample and checks what
// "thidua status" says about it, as text and as JSON, and that it changes
// nothing (the database file's bytes stay the same).
func TestStatusCommand(t *testing.T) {
	dir := t.TempDir()
	if code, _, stderr := runBinary(t, dir, nil, "status", "--db", "none.duckdb"); code != pipeline.ExitConfig || !strings.Contains(stderr, "no database") {
		t.Errorf("status without a database: exit %d\n%s", code, stderr)
	}
	if _, err := os.Stat(filepath.Join(dir, "none.duckdb")); err == nil {
		t.Error("status created a database")
	}
	mustRun(t, dir, []string{"run", "--db", "bk.duckdb", "--out", "out", "--generated-at", pinnedGeneratedAt})
	db := filepath.Join(dir, "bk.duckdb")
	before, _ := os.ReadFile(db)

	code, stdout, stderr := runBinary(t, dir, nil, "status", "--db", "bk.duckdb")
	if code != 0 {
		t.Fatalf("status: exit %d\n%s", code, stderr)
	}
	for _, want := range []string{"months with data", "last load", "last run", `"run": ok (exit 0)`, "32 of 32 unit-years complete"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("status output lacks %q:\n%s", want, stdout)
		}
	}
	// The sample covers 2018–2021 for the 8 units, every month.
	if !regexp.MustCompile(`(?m)^  060 Pác Nặm\s+12\s+12\s+12\s+12$`).MatchString(stdout) {
		t.Errorf("status has no full row for 060 Pác Nặm:\n%s", stdout)
	}

	code, stdout, stderr = runBinary(t, dir, nil, "status", "--db", "bk.duckdb", "--json")
	if code != 0 {
		t.Fatalf("status --json: exit %d\n%s", code, stderr)
	}
	var st pipeline.StatusJSON
	if err := json.Unmarshal([]byte(stdout), &st); err != nil {
		t.Fatalf("status --json: %v\n%s", err, stdout)
	}
	if len(st.Coverage) != 32 || len(st.Years) != 4 || st.Years[0] != 2018 || st.LastLoad == nil || st.LastRun == nil ||
		st.LastRun.Status != "ok" || st.LastRun.FinishedAt == nil || st.Observations == 0 || st.Loads != 2 {
		t.Errorf("status --json: %+v", st)
	}
	for _, c := range st.Coverage {
		if c.Months != 12 || c.Values == 0 || c.UnitName == "" {
			t.Errorf("coverage %+v, want 12 months", c)
		}
	}
	if after, _ := os.ReadFile(db); !bytes.Equal(before, after) {
		t.Error("status changed the database file")
	}
}
