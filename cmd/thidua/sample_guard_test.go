package main

import (
	"context"
	"database/sql"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/thidua/thidua/internal/testtree"
	"github.com/thidua/thidua/pipeline"
	"github.com/thidua/thidua/store"
)

// realCSV and realTargets are a real office's reports: values and targets
// the built-in sample also holds (same unit, indicator and period), so a
// sample load would "correct" them.
const (
	realCSV     = "unit_code,indicator_code,period,value\n060,new_coops,2020-01,3\n061,new_coops,2020-01,4\n058,budget_revenue,2020-01,777\n"
	realTargets = "unit_code,indicator,year,target\n058,budget_revenue,2020,999999\n060,new_coops,2020,9\n"
)

// TestSampleNeverIntoRealDatabase loads real reports, then runs every
// command a hint (or the documentation) names for "no inputs" and rebuilds,
// and checks that no sample row or target ever reaches the database.
func TestSampleNeverIntoRealDatabase(t *testing.T) {
	dir := t.TempDir()
	db, out := filepath.Join(dir, "real.duckdb"), filepath.Join(dir, "out")
	obs, tg := filepath.Join(dir, "in", "bao-cao.csv"), filepath.Join(dir, "in", "chi-tieu.csv")
	testtree.WriteFile(t, obs, realCSV, time.Time{})
	testtree.WriteFile(t, tg, realTargets, time.Time{})

	// The hint when there is no database yet names a command that loads
	// the given files, not the sample.
	code, _, stderr := cli(t, "status", "--db", db)
	if code != pipeline.ExitConfig || !strings.Contains(stderr, "thidua run --db "+db+" FILE...") || !strings.Contains(stderr, "--sample") {
		t.Errorf("status without a database: exit %d\n%s", code, stderr)
	}
	for _, f := range []string{obs, tg} {
		if code, stdout, stderr := cli(t, "ingest", "--db", db, "--out", out, f); code != 0 {
			t.Fatalf("ingest %s: exit %d\n%s\n%s", f, code, stdout, stderr)
		}
	}
	check := func(step string) {
		t.Helper()
		sdb, err := store.Open(context.Background(), db, store.Options{ReadOnly: true, Unlocked: true})
		if err != nil {
			t.Fatalf("%s: %v", step, err)
		}
		defer sdb.Close()
		var sampleLoads, foreign, n int
		var rev, coopTarget sql.NullFloat64
		q := sdb.SQL()
		if err := q.QueryRow(`SELECT count(*) FROM loads WHERE format = 'sample'`).Scan(&sampleLoads); err != nil {
			t.Fatal(err)
		}
		if err := q.QueryRow(`SELECT count(*) FROM observations o JOIN loads l USING (load_id) WHERE l.format = 'sample'`).Scan(&foreign); err != nil {
			t.Fatal(err)
		}
		if err := q.QueryRow(`SELECT count(*) FROM observations`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if sampleLoads != 0 || foreign != 0 {
			t.Errorf("after %s: %d sample loads, %d sample values in a real database", step, sampleLoads, foreign)
		}
		if n > 5 {
			t.Errorf("after %s: %d values, want at most the 5 real ones", step, n)
		}
		if n > 0 {
			q.QueryRow(`SELECT value FROM observations WHERE unit_code = '058' AND indicator_code = 'budget_revenue' AND period = '2020-01'`).Scan(&rev)
			q.QueryRow(`SELECT value FROM observations WHERE unit_code = '060' AND indicator_code = 'new_coops' AND basis = 'target'`).Scan(&coopTarget)
			if rev.Valid && rev.Float64 != 777 || coopTarget.Valid && coopTarget.Float64 != 9 {
				t.Errorf("after %s: real value 777 now %v, real target 9 now %v", step, rev.Float64, coopTarget.Float64)
			}
		}
	}
	check("the real loads")

	// A bare run (the old hint after an undo, and what status used to say)
	// rebuilds from what the database holds and loads no sample.
	if code, stdout, stderr := cli(t, "run", "--db", db, "--out", out); code != 0 {
		t.Fatalf("bare run: exit %d\n%s\n%s", code, stdout, stderr)
	} else if !strings.Contains(stderr, "holds real loads") {
		t.Errorf("bare run does not say why it loads nothing:\n%s", stderr)
	}
	check("a bare thidua run")
	// A bare ingest has nothing to do and says so.
	if code, _, stderr := cli(t, "ingest", "--db", db, "--out", out); code != pipeline.ExitConfig || !strings.Contains(stderr, "nothing to ingest") {
		t.Errorf("bare ingest: exit %d\n%s", code, stderr)
	}
	check("a bare thidua ingest")
	// Asking for the sample is refused, naming why.
	for _, c := range []string{"run", "ingest"} {
		code, _, stderr := cli(t, c, "--sample", "--db", db, "--out", out)
		if code != pipeline.ExitConfig || !strings.Contains(stderr, "holds real loads") {
			t.Errorf("%s --sample on a real database: exit %d\n%s", c, code, stderr)
		}
	}
	check("--sample")
	if code, stdout, stderr := cli(t, "transform", "--db", db, "--out", out); code != 0 {
		t.Fatalf("transform: exit %d\n%s\n%s", code, stdout, stderr)
	}
	check("transform")

	// Undo both real loads: the hint it prints is run as printed, and the
	// database (empty of values now, but not new) still gets no sample.
	for _, id := range []string{"2", "1"} {
		code, stdout, stderr := cli(t, "loads", "--db", db, "--undo", id)
		if code != 0 {
			t.Fatalf("undo %s: exit %d\n%s\n%s", id, code, stdout, stderr)
		}
		hint := ""
		for _, l := range strings.Split(stdout, "\n") {
			if l = strings.TrimSpace(l); strings.HasPrefix(l, "thidua ") {
				hint = l
			}
		}
		want := "thidua run --rebuild --db " + db + " --out " + out
		if hint != want {
			t.Fatalf("undo %s hint %q, want %q\n%s", id, hint, want, stdout)
		}
		if code, stdout, stderr := cli(t, strings.Fields(hint)[1:]...); code != 0 {
			t.Fatalf("%s: exit %d\n%s\n%s", hint, code, stdout, stderr)
		}
		check("undo " + id + " and " + hint)
	}
	if code, stdout, stderr := cli(t, "run", "--db", db, "--out", out); code != 0 {
		t.Fatalf("bare run after undoing all: exit %d\n%s\n%s", code, stdout, stderr)
	}
	check("a bare run after undoing every real load")

	// A new database still gets the sample from a bare run (make run), and
	// from --sample.
	for i, args := range [][]string{{"run"}, {"ingest", "--sample"}} {
		ndb := filepath.Join(dir, "new"+string(rune('a'+i))+".duckdb")
		if code, stdout, stderr := cli(t, append(args, "--db", ndb, "--out", filepath.Join(dir, "o"+string(rune('a'+i))))...); code != 0 {
			t.Fatalf("%v on a new database: exit %d\n%s\n%s", args, code, stdout, stderr)
		}
		sdb, err := store.Open(context.Background(), ndb, store.Options{ReadOnly: true, Unlocked: true})
		if err != nil {
			t.Fatal(err)
		}
		var n int
		sdb.SQL().QueryRow(`SELECT count(*) FROM loads WHERE format = 'sample'`).Scan(&n)
		sdb.Close()
		if n != 2 {
			t.Errorf("%v on a new database: %d sample loads, want 2", args, n)
		}
	}
}
