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
	"time"
)

// TestStatusCommand runs the pipeline on the sample and checks what
// "thidua status" says about it, as text and as JSON, and that it changes
// nothing (the database file's bytes stay the same).
func TestStatusCommand(t *testing.T) {
	dir := t.TempDir()
	if code, _, stderr := runBinary(t, dir, nil, "status", "--db", "none.duckdb"); code != ExitConfig || !strings.Contains(stderr, "no database") {
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
	var st statusJSON
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

// TestProgressLine draws the progress line into a buffer standing for a
// terminal, and checks it is silent on anything that is not a terminal.
func TestProgressLine(t *testing.T) {
	if p := newProgress(&bytes.Buffer{}); p != nil {
		t.Error("progress on a buffer, want none off a terminal")
	}
	if f, err := os.CreateTemp(t.TempDir(), "log"); err == nil {
		if p := newProgress(f); p != nil {
			t.Error("progress on a regular file, want none")
		}
		f.Close()
	}
	var nilp *progress
	nilp.Start("ingest", 3) // a nil progress draws nothing and does not panic
	nilp.Next("a.csv")
	nilp.Done()

	var buf bytes.Buffer
	p := &progress{w: &buf}
	p.Start("ingest", 4)
	p.Next("a.csv")
	p.Next("b.csv")
	p.Write([]byte("time=... level=INFO msg=loaded\n"))
	p.Done()
	p.Start("transform", 0)
	time.Sleep(450 * time.Millisecond)
	p.Done()
	out := buf.String()
	for _, want := range []string{"ingest", "[############------------] 2/4", "b.csv", "\r\033[K", "transform", "<=>"} {
		if !strings.Contains(out, want) {
			t.Errorf("progress output lacks %q: %q", want, out)
		}
	}
	// The log line starts on a cleared line, on its own.
	if !strings.Contains(out, "\r\033[Ktime=... level=INFO msg=loaded\n") {
		t.Errorf("log line not written on a cleared line: %q", out)
	}
	if !strings.HasSuffix(out, "\r\033[K") {
		t.Errorf("progress not cleared at the end: %q", out)
	}
}
