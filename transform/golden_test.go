package transform

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/thidua/thidua"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// goldenFixture mixes every aggregation, both bases, a conflict, a partial
// span, a unit boundary and targets.
func goldenFixture(t *testing.T) *fixture {
	f := newFixture(t, testCluster())
	f.months("A1", "rev", 2019, 10, 10, 11, 12)
	f.months("A1", "rev", 2020, 1, 1, 2, 3, 4, 5, 6, 7)
	f.add("B2", "rev", "2020-03", thidua.YTDBasis, 30)
	f.add("B2", "rev", "2020-06", thidua.YTDBasis, 70)
	f.add("B2", "rev", "2020-H1", thidua.PeriodBasis, 72)
	f.months("C3", "rev", 2020, 1, 3, 3, N2, 3, 3, 3)
	f.months("A1", "stock", 2020, 3, 8, N2, N2, 9)
	f.add("B2", "stock", "2020-Q2", thidua.PeriodBasis, 4)
	f.months("A1", "avg", 2020, 1, 2, 4)
	f.months("A1", "poor", 2020, 6, 30)
	f.months("A1", "hh", 2020, 6, 100)
	f.months("B2", "poor", 2020, 6, 10)
	f.months("B2", "hh", 2020, 6, 400)
	f.add("C3", "rate", "2020-H1", thidua.PeriodBasis, 12.5)
	for _, u := range []string{"A1", "B2", "C3"} {
		f.target(u, "rev", 2020, 50)
		f.target(u, "rate", 2020, 5)
	}
	f.target("A1", "stock", 2020, 10)
	f.run(Options{Now: time.Date(2020, 9, 1, 0, 0, 0, 0, time.UTC)})
	return f
}

// dump writes a table as tab-separated text, floats with %.6g.
func (f *fixture) dump(q string) []byte {
	var b bytes.Buffer
	rows := f.rows(q)
	if len(rows) == 0 {
		return nil
	}
	rs, _ := f.db.SQL().Query(q + " LIMIT 0")
	cols, _ := rs.Columns()
	rs.Close()
	b.WriteString(strings.Join(cols, "\t") + "\n")
	for _, r := range rows {
		for i, c := range cols {
			if i > 0 {
				b.WriteByte('\t')
			}
			switch v := r[c].(type) {
			case nil:
				b.WriteString("NULL")
			case float64:
				fmt.Fprintf(&b, "%.6g", v)
			default:
				fmt.Fprint(&b, v)
			}
		}
		b.WriteByte('\n')
	}
	return b.Bytes()
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		gl, wl := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
		for i := 0; i < len(gl) && i < len(wl); i++ {
			if gl[i] != wl[i] {
				t.Fatalf("%s differs at line %d:\n got %s\nwant %s\n(run go test -update after checking the change)", name, i+1, gl[i], wl[i])
			}
		}
		t.Fatalf("%s: %d lines, want %d", name, len(gl), len(wl))
	}
}

func TestGolden(t *testing.T) {
	f := goldenFixture(t)
	golden(t, "indicator_pop.golden", f.dump(`SELECT * FROM indicator_pop`))
	golden(t, "quality.golden", f.dump(`SELECT * FROM quality`))
}

// A full rebuild stores indicator_pop, scores and score_points in their
// Parquet export's order, which the export then copies without sorting
// (store.ExportParquet); the files are the same either way, so only the
// export's speed depends on it.
func TestFullRebuildStoresExportOrder(t *testing.T) {
	f := scoreFixture(t)
	for _, name := range []string{"indicator_pop", "scores", "score_points"} {
		var n int
		if err := f.db.SQL().QueryRow(`SELECT count(*) FROM ` + QuoteIdent(name)).Scan(&n); err != nil {
			t.Fatal(err)
		}
		ok, err := f.db.InExportOrder(context.Background(), name)
		if err != nil {
			t.Fatal(err)
		}
		if n < 2 || !ok {
			t.Errorf("%s: %d rows, stored in export order %v; want several rows, in order", name, n, ok)
		}
	}
}

// TestAllOrNothing: a failing model leaves the previous output and no
// intermediate tables; a successful run leaves none either.
func TestAllOrNothing(t *testing.T) {
	f := goldenFixture(t)
	ctx := context.Background()
	before := f.dump(`SELECT * FROM indicator_pop`)
	tables := func() string {
		var s string
		var fns int
		f.db.SQL().QueryRow(`SELECT string_agg(table_name, ',' ORDER BY table_name) FROM duckdb_tables()`).Scan(&s)
		f.db.SQL().QueryRow(`SELECT count(*) FROM duckdb_functions() WHERE starts_with(function_name, 'tf_')`).Scan(&fns)
		if fns != 0 {
			t.Errorf("%d tf_ functions left", fns)
		}
		return s
	}
	const want = "award_min_pct,award_tie_break,awards,bonus,cluster,criteria,criterion_bands,indicator_pop,indicators,loads,observation_audit,observations,pop_keys,quality,rejects,runs,schema_migrations,score_points,scores,transform_state,units"
	if got := tables(); got != want {
		t.Errorf("tables after a run:\n%s\nwant\n%s", got, want)
	}
	if _, err := f.db.SQL().Exec(`ALTER TABLE bonus RENAME COLUMN points TO points_gone`); err != nil {
		t.Fatal(err)
	}
	f.months("A1", "rev", 2020, 8, 1000)
	f.load(time.Date(2020, 9, 2, 0, 0, 0, 0, time.UTC))
	err := Run(ctx, f.db.SQL(), Options{Now: time.Date(2020, 9, 1, 0, 0, 0, 0, time.UTC)})
	var se *StepError
	if !errors.As(err, &se) || se.Step != "090_scores" || !strings.Contains(err.Error(), "transform: step 090_scores: ") {
		t.Fatalf("want a StepError of 090_scores, got %v", err)
	}
	if after := f.dump(`SELECT * FROM indicator_pop`); !bytes.Equal(before, after) {
		t.Error("indicator_pop changed by a failed run")
	}
	if got := tables(); got != want {
		t.Errorf("tables after a failed run: %s", got)
	}
	// The same connection pool runs again cleanly.
	if _, err := f.db.SQL().Exec(`ALTER TABLE bonus RENAME COLUMN points_gone TO points`); err != nil {
		t.Fatal(err)
	}
	if err := Run(ctx, f.db.SQL(), Options{}); err != nil {
		t.Fatal(err)
	}
}

func TestRunRefusesEmptyCluster(t *testing.T) {
	f := newFixture(t, testCluster())
	if _, err := f.db.SQL().Exec(`DELETE FROM units`); err != nil {
		t.Fatal(err)
	}
	err := Run(context.Background(), f.db.SQL(), Options{})
	var se *StepError
	if !errors.As(err, &se) || se.Step != "inputs" {
		t.Fatalf("got %v, want a *StepError of step inputs", err)
	}
	if err := Run(context.Background(), f.db.SQL(), Options{Quality: thidua.QualityConfig{OutlierRatio: -1}}); err == nil {
		t.Fatal("negative threshold accepted")
	}
}
