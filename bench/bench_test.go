package bench

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"
)

// BenchmarkPipeline runs the whole harness once per size named in
// THIDUA_BENCH_SIZES (comma-separated, default "S"; "S,M" under make bench,
// L only when asked for), prints the markdown table and writes
// results/<size>-<date>.json. Run it with -benchtime 1x: one iteration is a
// full measurement with its own timers.
//
// Other knobs: THIDUA_BENCH_DIR (where data and databases go, default
// $TMPDIR/thidua-bench), THIDUA_BENCH_THREADS, THIDUA_BENCH_MEMORY_LIMIT,
// THIDUA_BENCH_XLSX_MONTHS (workbooks ingested at M and L: default 2; -1
// skips XLSX), THIDUA_BENCH_EXPORT_PAIRS (alternated Parquet export / plain
// COPY pairs whose medians give the export's ratios: default 3, 0 for the
// single export and COPY), THIDUA_BENCH_STAGES=ingest (only the CSV ingest and its
// baseline; results go to <size>-ingest-<date>.json), THIDUA_BENCH_BUDGET (at M and L, a stage projected to take
// longer is not run and its projection is recorded: default 15m).
func BenchmarkPipeline(b *testing.B) {
	sizes := os.Getenv("THIDUA_BENCH_SIZES")
	if sizes == "" {
		sizes = "S"
	}
	var prev *Result
	for _, name := range strings.Split(sizes, ",") {
		s, err := SizeByName(strings.TrimSpace(name))
		if err != nil {
			b.Fatal(err)
		}
		b.Run(s.Name, func(b *testing.B) {
			for range b.N {
				res := runSize(b, s, prev)
				prev = res
				if st, ok := res.stage("ingest csv"); ok {
					b.ReportMetric(st.RowsPS, "ingest-rows/s")
					b.ReportMetric(st.Ratio, "ingest-x-read_csv")
				}
				if st, ok := res.stage("transform"); ok {
					b.ReportMetric(st.Ratio, "transform-x-baseline")
				}
				b.ReportMetric(res.EndToEnd, "e2e-s")
				b.ReportMetric(res.IncrementalRatio, "incremental-ratio")
			}
		})
	}
}

func runSize(b *testing.B, s Size, prev *Result) *Result {
	base := os.Getenv("THIDUA_BENCH_DIR")
	if base == "" {
		base = filepath.Join(os.TempDir(), "thidua-bench")
	}
	cfg := Config{
		Size:        s,
		DataDir:     filepath.Join(base, fmt.Sprintf("data-%s-v%s", s.Name, GenVersion)),
		WorkDir:     filepath.Join(base, "work-"+s.Name),
		MemoryLimit: os.Getenv("THIDUA_BENCH_MEMORY_LIMIT"),
		Log:         os.Stderr,
	}
	if v := os.Getenv("THIDUA_BENCH_THREADS"); v != "" {
		cfg.Threads, _ = strconv.Atoi(v)
	}
	if s.Name == "S" {
		cfg.Repeats = 2
	} else {
		cfg.XLSXMonths = 2
		cfg.Budget = 15 * time.Minute
		cfg.ProbeRows = 20000
		cfg.Previous = prev
		if prev == nil {
			cfg.Previous = latestResult("results", "S")
		}
	}
	if os.Getenv("THIDUA_BENCH_STAGES") == "ingest" {
		cfg.IngestOnly = true
		cfg.XLSXMonths = -1
		cfg.Budget, cfg.ProbeRows = 0, 0
		cfg.WorkDir += "-ingest"
	}
	if v := os.Getenv("THIDUA_BENCH_BUDGET"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil {
			b.Fatal(err)
		}
		cfg.Budget = d
	}
	cfg.ExportPairs = 3
	if v := os.Getenv("THIDUA_BENCH_EXPORT_PAIRS"); v != "" {
		cfg.ExportPairs, _ = strconv.Atoi(v)
	}
	if v := os.Getenv("THIDUA_BENCH_XLSX_MONTHS"); v != "" {
		cfg.XLSXMonths, _ = strconv.Atoi(v)
	}
	b.StopTimer()
	res, err := Run(context.Background(), cfg)
	b.StartTimer()
	if res != nil {
		res.WriteTable(os.Stdout)
		if len(res.Stages) > 0 {
			if name, werr := res.WriteJSON("results"); werr != nil {
				b.Error(werr)
			} else {
				fmt.Println("results written to", filepath.Join("bench", name))
			}
		}
	}
	if err != nil {
		b.Fatal(err)
	}
	return res
}

// latestResult reads the newest results/<size>-*.json, or returns nil.
func latestResult(dir, size string) *Result {
	names, _ := filepath.Glob(filepath.Join(dir, size+"-*.json"))
	if len(names) == 0 {
		return nil
	}
	sort.Strings(names)
	data, err := os.ReadFile(names[len(names)-1])
	if err != nil {
		return nil
	}
	var r Result
	if json.Unmarshal(data, &r) != nil {
		return nil
	}
	return &r
}
