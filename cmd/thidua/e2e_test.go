package main

import (
	"context"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/thidua/thidua/store"
)

// TestEndToEndSample runs the whole pipeline on the built-in sample with the
// real binary and checks the five facts of the 2020 article in the exported
// Parquet files, read back by DuckDB as an analyst would.
func TestEndToEndSample(t *testing.T) {
	dir := t.TempDir()
	code, stdout, stderr := runBinary(t, dir, nil, "run", "--db", "bk.duckdb", "--out", "out", "--generated-at", "2020-07-15", "--single-file")
	if code != 0 {
		t.Fatalf("thidua run: exit %d\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
	if !strings.Contains(stderr, "synthetic") {
		t.Errorf("the run does not say the sample is synthetic:\n%s", stderr)
	}
	// --single-file adds thidua.html beside the site's pages.
	for _, f := range []string{"out/dashboards/index.html", "out/dashboards/thidua.html", "out/dashboards/unit-060.html",
		"out/dashboards/assets/site.js", "out/parquet/observations.parquet",
		"out/parquet/indicator_pop.parquet", "out/parquet/scores.parquet"} {
		if st, err := os.Stat(filepath.Join(dir, f)); err != nil || st.Size() == 0 {
			t.Errorf("%s: %v", f, err)
		}
	}
	page, _ := os.ReadFile(filepath.Join(dir, "out/dashboards/index.html"))
	if !strings.Contains(strings.ToLower(string(page)), "mô phỏng") {
		t.Error("the overview page does not say the data is synthetic (mô phỏng)")
	}

	ctx := context.Background()
	db, err := store.Open(ctx, "", store.Options{Unlocked: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	pq := func(name string) string {
		return store.QuoteString(filepath.Join(dir, "out", "parquet", name+".parquet"))
	}
	pop := "read_parquet(" + pq("indicator_pop") + ")"
	units := func(q string) []string {
		t.Helper()
		rows, err := db.SQL().Query(q)
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		defer rows.Close()
		var out []string
		for rows.Next() {
			var s string
			rows.Scan(&s)
			out = append(out, s)
		}
		sort.Strings(out)
		return out
	}
	num := func(q string) float64 {
		t.Helper()
		var f float64
		if err := db.SQL().QueryRow(q).Scan(&f); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		return f
	}
	h1 := ` period = '2020-H1' AND NOT is_cluster `

	if got := num(`SELECT sum(value) FROM ` + pop + ` WHERE indicator_code = 'new_coops' AND` + h1); got != 26 {
		t.Errorf("new cooperatives 2020-H1 = %v, want 26", got)
	}
	if got := num(`SELECT value FROM ` + pop + ` WHERE indicator_code = 'new_coops' AND period = '2020-H1' AND is_cluster`); got != 26 {
		t.Errorf("cluster row new cooperatives 2020-H1 = %v, want 26", got)
	}
	if got, want := units(`SELECT unit_code FROM `+pop+` WHERE indicator_code = 'budget_revenue' AND`+h1+` AND pct_of_target > 50`),
		[]string{"060", "062", "063", "066"}; strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("budget revenue above 50%% of plan in %v, want %v", got, want)
	}
	if got, want := units(`SELECT unit_code FROM `+pop+` WHERE indicator_code = 'afforestation_ha' AND`+h1+` ORDER BY pct_of_target DESC LIMIT 3`),
		[]string{"060", "061", "064"}; strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("top three afforestation by %% of plan: %v, want %v", got, want)
	}
	if got := num(`SELECT count(*) FROM ` + pop + ` WHERE indicator_code = 'recruits' AND` + h1 + ` AND round(pct_of_target, 6) = 100`); got != 8 {
		t.Errorf("%v units at 100%% of the recruitment quota, want 8", got)
	}
	if got := num(`SELECT sum(value) FROM ` + pop + ` WHERE indicator_code = 'commended' AND` + h1); got < 1000 || got > 9999 {
		t.Errorf("commended 2020-H1 = %v, want thousands (1,000–9,999)", got)
	}
	// The facts as loaded carry their provenance.
	obs := "read_parquet(" + pq("observations") + ")"
	if got := num(`SELECT count(*) FROM ` + obs + ` WHERE source_file IS NULL OR source_sha256 IS NULL OR loaded_at IS NULL`); got != 0 {
		t.Errorf("%v observations without provenance", got)
	}
	if got := num(`SELECT count(DISTINCT unit_code) FROM ` + obs); got != 8 {
		t.Errorf("observations cover %v units, want 8", got)
	}
	// The scores rank all 8 units for the half-year.
	if got := num(`SELECT count(*) FROM read_parquet(` + pq("scores") + `) WHERE period = '2020-H1'`); got != 8 {
		t.Errorf("%v scores for 2020-H1, want 8", got)
	}

	// A second run on the same database changes nothing and says so.
	code, _, stderr = runBinary(t, dir, nil, "run", "--db", "bk.duckdb", "--out", "out", "--generated-at", "2020-07-15")
	if code != 0 || !strings.Contains(stderr, "already loaded") {
		t.Errorf("second run: exit %d, stderr:\n%s", code, stderr)
	}
}
