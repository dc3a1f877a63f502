package bench

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// TestRunTiny runs the whole harness on a tiny data set: every stage must
// run, and the transform's rows must be identical to the hand-written
// baseline's.
func TestRunTiny(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the whole pipeline")
	}
	dir := t.TempDir()
	tiny := Size{Name: "T", Units: 3, Indicators: 12, Months: 26}
	res, err := Run(context.Background(), Config{Size: tiny, DataDir: filepath.Join(dir, "data"), WorkDir: filepath.Join(dir, "work"), XLSXMonths: 2, Threads: 1, Repeats: 2, ExportPairs: 2})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(res.TransformCheck, "identical") {
		t.Errorf("transform check: %s", res.TransformCheck)
	}
	for _, name := range []string{"ingest csv", "ingest read_csv", "transform", "transform baseline SQL", "dashboards", "parquet export", "parquet COPY", "repeat run 1", "repeat run 2", "incremental month", "ingest xlsx"} {
		st, ok := res.stage(name)
		if !ok {
			t.Errorf("no stage %q", name)
			continue
		}
		if st.Rows == 0 || st.Seconds <= 0 {
			t.Errorf("stage %q: %d rows in %v s", name, st.Rows, st.Seconds)
		}
	}
	// The export's ratios to COPY are those of the pairs' medians.
	if st, _ := res.stage("parquet export"); st.Extra["pairs"] != 2 || st.Extra["pairs COPY CPU s"] <= 0 ||
		st.CPURatio != st.Extra["pairs export CPU s"]/st.Extra["pairs COPY CPU s"] || st.Ratio != st.Extra["pairs export s"]/st.Extra["pairs COPY s"] {
		t.Errorf("parquet export's pairs: %+v", st)
	}
	if !slices.ContainsFunc(res.Goals, func(g Goal) bool { return strings.HasPrefix(g.Name, "Parquet export ≤ 1.2× plain COPY") }) {
		t.Errorf("no export goal among %+v", res.Goals)
	}
	// The month's outputs over the full run's: the export by year keeps
	// the partitions of the years the month did not change.
	if st, ok := res.stage("parquet export by year"); !ok || st.Bytes == 0 || st.Seconds <= 0 {
		t.Errorf("stage parquet export by year: %+v", st)
	}
	if !strings.Contains(res.IncrementalOutputs, "written [") || strings.Contains(res.IncrementalOutputs, " 0 kept") {
		t.Errorf("incremental outputs: %s", res.IncrementalOutputs)
	}
	if st, _ := res.stage("ingest csv"); st.Rows != res.Dataset.Rows+res.Dataset.TargetRows {
		t.Errorf("ingest read %d rows, want %d observations and the targets", st.Rows, res.Dataset.Rows)
	}
	// The outputs were written as thidua writes them: swapped in whole,
	// nothing temporary left beside them.
	entries, err := os.ReadDir(filepath.Join(dir, "work", "out"))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if got := strings.Join(names, " "); got != "dashboards parquet parquet-base parquet-year" {
		t.Errorf("output folder: %s", got)
	}
	if len(res.DBSizes) != 4 {
		t.Errorf("db sizes %v", res.DBSizes)
	}
	res.WriteTable(io.Discard)
}

// TestProjectDashboards checks that the dashboards stage is skipped, with a
// projection, when the smaller size's rate says it would take too long,
// and run otherwise, whatever its Go heap was (the pages are read page by
// page: the heap does not grow with the rows).
func TestProjectDashboards(t *testing.T) {
	prev := &Result{Size: Size{Name: "S"}, Stages: []Stage{
		{Name: "transform", Rows: 1000},
		{Name: "dashboards", Seconds: 1, PeakHeapMB: 1000},
	}}
	r := &runner{cfg: Config{Budget: time.Hour, Previous: prev}}
	if st, skip := r.projectDashboards(2000); skip {
		t.Errorf("2 s projected: skipped (%s)", st.Note)
	}
	if st, skip := r.projectDashboards(100_000); skip {
		t.Errorf("100 s projected, 1 GB of heap at 1,000 rows: skipped (%s)", st.Note)
	}
	if st, skip := r.projectDashboards(10_000_000); !skip || !strings.Contains(st.Note, "budget") {
		t.Errorf("10,000 s projected: skip %v, note %q", skip, st.Note)
	}
}
