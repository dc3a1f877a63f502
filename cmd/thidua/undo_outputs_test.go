package main

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/thidua/thidua/internal/testtree"
	"github.com/thidua/thidua/store"
)

// TestUndoLeavesOutputsAsIfNeverLoaded loads a cluster's reports, corrects
// some values late (a new file), undoes the correction and rebuilds with
// the command the undo prints; every output (Parquet tables, quality
// findings included, and the pages) must then equal those of a database
// that only ever had the first load, except the list of loads, which keeps
// the history.
func TestUndoLeavesOutputsAsIfNeverLoaded(t *testing.T) {
	t.Setenv("THIDUA_NOW", "2022-03-01")
	dir := t.TempDir()
	in := filepath.Join(dir, "in")
	if code, _, stderr := cli(t, "sample", "--out", in); code != 0 {
		t.Fatalf("sample: %d %s", code, stderr)
	}
	obs, tg := filepath.Join(in, "observations.csv"), filepath.Join(in, "targets.csv")
	fix := filepath.Join(in, "sua-so-lieu.csv")
	// Late corrections of months already reported, and a value for a new
	// month: the undo restores the first and removes the second.
	testtree.WriteFile(t, fix, "unit_code,indicator_code,period,value\n060,new_coops,2020-03,40\n061,budget_revenue,2020-05,1\n064,recruits,2022-01,99\n", time.Time{})

	gen := []string{"--generated-at", pinnedGeneratedAt}
	run := func(db, out string, args ...string) string {
		t.Helper()
		code, stdout, stderr := cli(t, append(append([]string{}, args...), append([]string{"--db", db, "--out", out}, gen...)...)...)
		if code != 0 {
			t.Fatalf("%v: exit %d\n%s\n%s", args, code, stdout, stderr)
		}
		return stdout
	}
	// Alone: the first load only.
	aloneDB, aloneOut := filepath.Join(dir, "alone.duckdb"), filepath.Join(dir, "alone")
	run(aloneDB, aloneOut, "run", obs, tg)

	// Load, correct, undo, then the command the undo prints.
	db, out := filepath.Join(dir, "cycle.duckdb"), filepath.Join(dir, "cycle")
	run(db, out, "run", obs, tg)
	t.Setenv("THIDUA_NOW", "2022-03-02") // a day later: a late correction
	run(db, out, "run", fix)
	t.Setenv("THIDUA_NOW", "2022-03-03") // same month: the same reports expected
	qual, _ := os.ReadFile(filepath.Join(out, "parquet", "quality.parquet"))
	if len(qual) == 0 || !strings.Contains(qualityChecks(t, filepath.Join(out, "parquet", "quality.parquet")), "late_correction") {
		t.Fatalf("the correction is not a late_correction before the undo")
	}
	code, stdout, stderr := cli(t, "loads", "--db", db, "--undo", "3")
	if code != 0 {
		t.Fatalf("undo: exit %d\n%s\n%s", code, stdout, stderr)
	}
	var hint string
	for _, l := range strings.Split(stdout, "\n") {
		if l = strings.TrimSpace(l); strings.HasPrefix(l, "thidua ") {
			hint = l
		}
	}
	if hint == "" {
		t.Fatalf("undo prints no command to rebuild:\n%s", stdout)
	}
	if code, stdout, stderr := cli(t, append(strings.Fields(hint)[1:], gen...)...); code != 0 {
		t.Fatalf("%s: exit %d\n%s\n%s", hint, code, stdout, stderr)
	}
	if c := qualityChecks(t, filepath.Join(out, "parquet", "quality.parquet")); strings.Contains(c, "late_correction") {
		t.Errorf("after the undo, quality still holds a late_correction: %s", c)
	}
	for _, sub := range []string{"parquet", "dashboards"} {
		var diffs []string
		for _, d := range diffTrees(t, filepath.Join(out, sub), filepath.Join(aloneOut, sub)) {
			name, _, _ := strings.Cut(d, ":")
			if strings.HasSuffix(name, ".html") {
				// The table of loads keeps the history (the correction and
				// its undo); the rest of the page must be the same.
				g, _ := os.ReadFile(filepath.Join(out, sub, name))
				w, _ := os.ReadFile(filepath.Join(aloneOut, sub, name))
				if loadsTable.ReplaceAllString(string(g), "") == loadsTable.ReplaceAllString(string(w), "") {
					continue
				}
			}
			diffs = append(diffs, d)
		}
		if len(diffs) > 0 {
			t.Errorf("%s after load, correct, undo differ from load alone:\n%s", sub, strings.Join(diffs, "\n"))
		}
	}
}

// loadsTable is the pages' table of loads.
var loadsTable = regexp.MustCompile(`(?s)<table class="data" id="t-loads">.*?</table>`)

// qualityChecks lists the check and unit of each row of a quality.parquet.
func qualityChecks(t *testing.T, path string) string {
	t.Helper()
	db, err := store.Open(context.Background(), "", store.Options{Unlocked: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.SQL().Query(`SELECT check_name || ' ' || coalesce(unit_code, '') || ' ' || coalesce(indicator_code, '') || ' ' || coalesce(period, '')
		FROM read_parquet(` + store.QuoteString(path) + `) ORDER BY ALL`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		rows.Scan(&s)
		out = append(out, s)
	}
	return strings.Join(out, "\n")
}
