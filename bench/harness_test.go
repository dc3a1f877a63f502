package bench

import (
	"context"
	"io"
	"path/filepath"
	"strings"
	"testing"
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
	res, err := Run(context.Background(), Config{Size: tiny, DataDir: filepath.Join(dir, "data"), WorkDir: filepath.Join(dir, "work"), XLSXMonths: 2, Threads: 1, Repeats: 2})
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
	if st, _ := res.stage("ingest csv"); st.Rows != res.Dataset.Rows+res.Dataset.TargetRows {
		t.Errorf("ingest read %d rows, want %d observations and the targets", st.Rows, res.Dataset.Rows)
	}
	if len(res.DBSizes) != 4 {
		t.Errorf("db sizes %v", res.DBSizes)
	}
	res.WriteTable(io.Discard)
}
