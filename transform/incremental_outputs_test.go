package transform

import (
	"bytes"
	"context"
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/thidua/thidua/dashboards"
	"github.com/thidua/thidua/internal/testtree"
)

// outputs are the site and the Parquet export of one database, each
// written into a new folder over the previous one (as a scheduled run
// replaces them): what a run takes over unchanged must be what a fresh
// rendering and export of the same tables write.
type outputs struct {
	site, parquet string // the last ones written ("" before the first)
	kept          int    // period files and partitions taken over so far
	n             int    // exports written
}

// write renders the site of f's tables and exports them as Parquet
// partitioned by year, over o's previous ones when over is set.
func (o *outputs) write(t *testing.T, f *fixture, over bool, large int) {
	t.Helper()
	ctx := context.Background()
	meta, err := f.db.ReportMeta(ctx)
	if err != nil {
		t.Fatal(err)
	}
	keys, err := f.db.PopPeriodKeys(ctx)
	if err != nil {
		t.Fatal(err)
	}
	prevSite, prevParquet := "", ""
	if over {
		prevSite, prevParquet = o.site, o.parquet
	}
	site, parquet := t.TempDir(), filepath.Join(f.dir, fmt.Sprintf("parquet%d", o.n))
	o.n++
	_, reuse, err := dashboards.RenderRowsOver(ctx, site, prevSite, keys, meta, f.db,
		dashboards.Options{GeneratedAt: time.Date(2022, 1, 15, 0, 0, 0, 0, time.UTC), LargeCluster: large})
	if err != nil {
		t.Fatal(err)
	}
	_, parts, err := f.db.ExportParquetPartitionedOver(ctx, parquet, "year", prevParquet)
	if err != nil {
		t.Fatal(err)
	}
	o.kept += reuse.Kept + len(parts.Kept)
	o.site, o.parquet = site, parquet
}

// sameTree says how the files under a differ from those under b ("" when
// every file has the same bytes).
func sameTree(t *testing.T, a, b string) string {
	fa, fb := testtree.Files(t, a), testtree.Files(t, b)
	var diffs []string
	for name, want := range fb {
		if got, ok := fa[name]; !ok {
			diffs = append(diffs, name+" missing")
		} else if !bytes.Equal(got, want) {
			diffs = append(diffs, name+" differs")
		}
	}
	for name := range fa {
		if _, ok := fb[name]; !ok {
			diffs = append(diffs, name+" extra")
		}
	}
	sort.Strings(diffs)
	if len(diffs) > 5 {
		diffs = append(diffs[:5], fmt.Sprintf("… %d in all", len(diffs)))
	}
	return strings.Join(diffs, ", ")
}

// TestIncrementalOutputsEqualFull replays random histories of loads,
// corrections, undos, bonus points and clock moves (as
// TestIncrementalEqualsFull) and after every step writes the site and the
// Parquet export (partitioned by year) of both databases: the incremental
// one's over its previous site and export, taking over the period files
// and partitions found unchanged, the full one's afresh. Both must be the
// same bytes, file for file: a file wrongly kept fails the test.
func TestIncrementalOutputsEqualFull(t *testing.T) {
	if _, err := dashboards.ECharts(); err != nil {
		t.Fatal(err)
	}
	for seed := uint64(1); seed <= 3; seed++ {
		t.Run(fmt.Sprint("seed", seed), func(t *testing.T) {
			h := newHistory(t, seed)
			// (seed 2: a large cluster's pages, above 2 units)
			large := 0
			if seed == 2 {
				large = 2
			}
			var inc, full outputs
			h.rebuild(h.inc, false)
			h.rebuild(h.full, true)
			inc.write(t, h.inc, true, large)
			for step := 0; step < 6; step++ {
				what := h.step()
				res := h.rebuild(h.inc, false)
				h.rebuild(h.full, true)
				inc.write(t, h.inc, true, large)
				full.write(t, h.full, false, large)
				if d := sameTree(t, inc.site, full.site); d != "" {
					t.Fatalf("step %d (%s), incremental run %+v: the site written over the last differs from a fresh one: %s", step, what, res, d)
				}
				if d := sameTree(t, inc.parquet, full.parquet); d != "" {
					t.Fatalf("step %d (%s), incremental run %+v: the Parquet export written over the last differs from a fresh one: %s", step, what, res, d)
				}
			}
			if inc.kept == 0 {
				t.Error("no period file or partition was taken over: the test checks nothing kept")
			}
		})
	}
}
