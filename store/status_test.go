package store

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/thidua/thidua"
)

func TestStatusCoverageAndRuns(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "t.duckdb")
	db, err := Open(ctx, path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.SyncCluster(ctx, thidua.Cluster{Code: "C", Name: "C",
		Units:      []thidua.Unit{{Code: "060", Name: "Pác Nặm"}, {Code: "061", Name: "Ba Bể"}},
		Indicators: []thidua.Indicator{{Code: "new_coops", Name: "HTX", Agg: thidua.Sum, Direction: thidua.Higher}},
	}); err != nil {
		t.Fatal(err)
	}
	st, err := db.Status(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if st.LastLoad != nil || st.LastRun != nil || st.Observations != 0 || len(st.Years) != 0 {
		t.Fatalf("empty database: %+v", st)
	}

	// 060 reports January to March 2020 monthly; 061 reports 2020-Q2 as a
	// quarter (covering April to June) and a 2021 target (covering nothing).
	b := testBatch("a.csv", 1, 2, 3)
	b.Observations = append(b.Observations, thidua.Observation{Unit: "061", Indicator: "new_coops",
		Period: thidua.Period{Type: thidua.Quarter, Year: 2020, N: 2}, Basis: thidua.PeriodBasis, Value: 4})
	b.Targets = []thidua.TargetValue{{Unit: "061", Indicator: "new_coops", Year: 2021, Value: 10}}
	if _, err := db.LoadBatch(ctx, b, LoadOptions{}); err != nil {
		t.Fatal(err)
	}
	start := time.Date(2020, 7, 1, 8, 0, 0, 0, time.UTC)
	if err := db.BeginRun(ctx, Run{ID: "r1", Command: "run", PID: 11, StartedAt: start}); err != nil {
		t.Fatal(err)
	}
	// r1 dies; r2 finds it running and marks it killed.
	if err := db.BeginRun(ctx, Run{ID: "r2", Command: "run", PID: 12, StartedAt: start.Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	if err := db.FinishRun(ctx, Run{ID: "r2", Status: RunRefused, ExitCode: 3, FinishedAt: start.Add(time.Hour + time.Minute), Summary: `{"x":1}`}); err != nil {
		t.Fatal(err)
	}
	if err := db.FinishRun(ctx, Run{ID: "nope", Status: RunOK}); err == nil {
		t.Error("finishing an unknown run: want an error")
	}
	db.Close()

	db, err = Open(ctx, path, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	st, err = db.Status(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if st.Observations != 5 || st.Loads != 1 || st.LastLoad == nil || st.LastLoad.File != "a.csv" {
		t.Errorf("counts: obs %d loads %d last %+v", st.Observations, st.Loads, st.LastLoad)
	}
	want := []UnitCoverage{
		{Unit: "060", UnitName: "Pác Nặm", Year: 2020, Months: 3, Values: 3},
		{Unit: "061", UnitName: "Ba Bể", Year: 2020, Months: 3, Values: 1},
	}
	if len(st.Coverage) != len(want) {
		t.Fatalf("coverage: %+v", st.Coverage)
	}
	for i := range want {
		if st.Coverage[i] != want[i] {
			t.Errorf("coverage[%d] = %+v, want %+v", i, st.Coverage[i], want[i])
		}
	}
	r := st.LastRun
	if r == nil || r.ID != "r2" || r.Status != RunRefused || r.ExitCode != 3 || r.PID != 12 || r.Summary != `{"x":1}` ||
		!r.FinishedAt.Equal(start.Add(time.Hour+time.Minute)) {
		t.Errorf("last run: %+v", r)
	}
	rows, err := db.TableRows(ctx)
	if err != nil || rows["observations"] != 5 || rows["loads"] != 1 {
		t.Errorf("table rows: %v %v", rows, err)
	}
	if _, ok := rows["scores"]; ok {
		t.Errorf("table rows: counts a table that does not exist: %v", rows)
	}
	if v, err := db.EngineVersion(ctx); err != nil || !strings.HasPrefix(v, "v1.") {
		t.Errorf("engine version %q, %v", v, err)
	}
	var s string
	if err := db.SQL().QueryRow(`SELECT status FROM runs WHERE run_id = 'r1'`).Scan(&s); err != nil || s != RunKilled {
		t.Errorf("dead run r1: status %q %v, want %q", s, err, RunKilled)
	}
}
