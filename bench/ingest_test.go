package bench

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/thidua/thidua"
	"github.com/thidua/thidua/ingest"
	"github.com/thidua/thidua/store"
)

// ingestFixture generates one year of a mid-size data set (units given by
// THIDUA_BENCH_UNITS, default 100: 120,000 rows) for the per-step ingest
// benchmarks, which are what to profile (-cpuprofile) when ingest is slow.
func ingestFixture(b *testing.B) (Dataset, []byte, thidua.Cluster) {
	b.Helper()
	s := Size{Name: "P", Units: 100, Indicators: 100, Months: 12}
	dir := filepath.Join(os.TempDir(), "thidua-bench", "data-P-v"+GenVersion)
	ds, err := Generate(dir, s)
	if err != nil {
		b.Fatal(err)
	}
	data, err := os.ReadFile(ds.CSV[0])
	if err != nil {
		b.Fatal(err)
	}
	return ds, data, Cluster(s)
}

// BenchmarkReadCSV times thidua's long-CSV reader with validation alone.
func BenchmarkReadCSV(b *testing.B) {
	ds, data, c := ingestFixture(b)
	opts := ingest.Options{Cluster: &c, Now: ds.Size.Now()}
	b.SetBytes(int64(len(data)))
	b.ResetTimer()
	for range b.N {
		bt, err := ingest.ReadCSV(ds.CSV[0], bytes.NewReader(data), opts)
		if err != nil || len(bt.Problems) > 0 {
			b.Fatal(err, bt.Problems)
		}
	}
	b.ReportMetric(float64(ds.Rows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}

// BenchmarkLoadBatch times store.LoadBatch (staging + merge) of an already
// read batch into an empty file database, CHECKPOINT included.
func BenchmarkLoadBatch(b *testing.B) {
	ds, data, c := ingestFixture(b)
	bt, err := ingest.ReadCSV(ds.CSV[0], bytes.NewReader(data), ingest.Options{Cluster: &c, Now: ds.Size.Now()})
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	var cpu time.Duration
	b.ResetTimer()
	for i := range b.N {
		b.StopTimer()
		db, err := store.Open(ctx, filepath.Join(b.TempDir(), "b.duckdb"), store.Options{})
		if err != nil {
			b.Fatal(err)
		}
		bt.Source = thidua.Source{File: "x.csv", Name: "x.csv", SHA256: string(rune('a' + i)), Format: "csv"}
		b.StartTimer()
		c0 := cpuTime()
		if _, err := db.LoadBatch(ctx, bt, store.LoadOptions{}); err != nil {
			b.Fatal(err)
		}
		if err := db.Checkpoint(ctx); err != nil {
			b.Fatal(err)
		}
		cpu += cpuTime() - c0
		b.StopTimer()
		db.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(len(bt.Observations))*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
	b.ReportMetric(cpu.Seconds()/float64(b.N), "cpu-s/op")
	b.ReportMetric(map[bool]float64{true: 1}[store.ArrowStaging], "arrow")
}

// BenchmarkReadCSVNative is DuckDB's read_csv of the same file into the
// same table, for comparison with ReadCSV + LoadBatch.
func BenchmarkReadCSVNative(b *testing.B) {
	ds, _, _ := ingestFixture(b)
	ctx := context.Background()
	for range b.N {
		b.StopTimer()
		db, err := store.Open(ctx, filepath.Join(b.TempDir(), "b.duckdb"), store.Options{Unlocked: true})
		if err != nil {
			b.Fatal(err)
		}
		r := &runner{ds: Dataset{CSV: ds.CSV[:1], Targets: ds.Targets}}
		b.StartTimer()
		if _, _, err := r.readCSVBaseline(ctx, db); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		db.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(ds.Rows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}
