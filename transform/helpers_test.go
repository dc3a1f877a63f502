package transform

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/thidua/thidua"
	"github.com/thidua/thidua/store"
)

// fixture builds a small cluster in an in-memory DuckDB through the store
// package, the way the pipeline does.
type fixture struct {
	t       *testing.T
	db      *store.DB
	dir     string // a folder DuckDB may write to
	cluster thidua.Cluster
	batch   thidua.Batch
	loads   int
	now     time.Time
}

func f64(v float64) *float64 { return &v }

// testCluster: three units (C3 only valid until 2020-06-30) and one
// indicator of each kind.
func testCluster() thidua.Cluster {
	return thidua.Cluster{
		Code: "CL", Name: "Cụm thử", NameEN: "Test cluster",
		Units: []thidua.Unit{
			{Code: "A1", Name: "Alpha", Communes: 10},
			{Code: "B2", Name: "Beta", Communes: 5},
			{Code: "C3", Name: "Gamma", Communes: 8, ValidTo: time.Date(2020, 6, 30, 0, 0, 0, 0, time.UTC)},
		},
		Indicators: []thidua.Indicator{
			{Code: "rev", Name: "Thu", Agg: thidua.Sum, Direction: thidua.Higher, HasTarget: true},
			{Code: "stock", Name: "Tồn", Agg: thidua.Last, Direction: thidua.Higher, HasTarget: true},
			{Code: "avg", Name: "Bình quân", Agg: thidua.Average, Direction: thidua.Higher},
			{Code: "rate", Name: "Tỷ lệ", Agg: thidua.Ratio, Numerator: "poor", Denominator: "hh", Factor: 100,
				Direction: thidua.Lower, HasTarget: true},
			{Code: "poor", Name: "Nghèo", Agg: thidua.Last, Direction: thidua.Lower, Hidden: true},
			{Code: "hh", Name: "Hộ", Agg: thidua.Last, Direction: thidua.Higher, Hidden: true},
			{Code: "rec", Name: "Tuyển quân", Agg: thidua.Sum, Direction: thidua.Higher, HasTarget: true, CapPct: 100},
			{Code: "dens", Name: "Mật độ", Agg: thidua.Last, Direction: thidua.Target, HasTarget: true},
		},
	}
}

func newFixture(t *testing.T, c thidua.Cluster) *fixture {
	t.Helper()
	ctx := context.Background()
	// (dir: where DuckDB may write, for the exports of
	// TestIncrementalOutputsEqualFull)
	dir := t.TempDir()
	db, err := store.Open(ctx, "", store.Options{AllowedDirs: []string{dir}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	if err := db.SyncCluster(ctx, c); err != nil {
		t.Fatal(err)
	}
	return &fixture{t: t, db: db, dir: dir, cluster: c, now: time.Date(2022, 1, 15, 0, 0, 0, 0, time.UTC)}
}

func (f *fixture) add(unit, ind, period string, basis thidua.Basis, v float64) {
	f.t.Helper()
	p, err := thidua.ParsePeriod(period)
	if err != nil {
		f.t.Fatal(err)
	}
	f.batch.Observations = append(f.batch.Observations, thidua.Observation{Unit: unit, Indicator: ind, Period: p, Basis: basis, Value: v,
		Pos: thidua.Pos{File: "fixture", Line: len(f.batch.Observations) + 2}})
}

// obs adds period-basis values for consecutive months from start.
func (f *fixture) months(unit, ind string, year, first int, vals ...float64) {
	for i, v := range vals {
		if v == N2 {
			continue
		}
		f.add(unit, ind, fmt.Sprintf("%04d-%02d", year, first+i), thidua.PeriodBasis, v)
	}
}

func (f *fixture) target(unit, ind string, year int, v float64) {
	f.batch.Targets = append(f.batch.Targets, thidua.TargetValue{Unit: unit, Indicator: ind, Year: year, Value: v})
}

// load loads what was added since the last load as one file.
func (f *fixture) load(at time.Time) {
	f.t.Helper()
	f.loads++
	name := fmt.Sprintf("f%d.csv", f.loads)
	f.batch.Source = thidua.Source{File: name, Name: name, SHA256: name, Format: "csv"}
	f.batch.Rows = len(f.batch.Observations) + len(f.batch.Targets)
	if _, err := f.db.LoadBatch(context.Background(), f.batch, store.LoadOptions{Now: at}); err != nil {
		f.t.Fatal(err)
	}
	f.batch = thidua.Batch{}
}

func (f *fixture) run(opts Options) {
	f.t.Helper()
	if len(f.batch.Observations)+len(f.batch.Targets) > 0 {
		f.load(time.Date(2021, 1, 1, 0, 0, 0, 0, time.UTC))
	}
	if opts.Now.IsZero() {
		opts.Now = f.now
	}
	if err := Run(context.Background(), f.db.SQL(), opts); err != nil {
		f.t.Fatal(err)
	}
}

// N is an expected NULL.
var N any = nil

// rows returns the rows of a query as maps of column to a normalized value:
// nil, float64, int64, bool, string (dates as YYYY-MM-DD).
func (f *fixture) rows(q string, args ...any) []map[string]any {
	f.t.Helper()
	rs, err := f.db.SQL().Query(q, args...)
	if err != nil {
		f.t.Fatalf("%s: %v", q, err)
	}
	defer rs.Close()
	cols, _ := rs.Columns()
	var out []map[string]any
	for rs.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rs.Scan(ptrs...); err != nil {
			f.t.Fatal(err)
		}
		m := map[string]any{}
		for i, c := range cols {
			m[c] = norm(vals[i])
		}
		out = append(out, m)
	}
	if err := rs.Err(); err != nil {
		f.t.Fatal(err)
	}
	return out
}

func norm(v any) any {
	switch x := v.(type) {
	case nil:
		return nil
	case float64:
		return x
	case float32:
		return float64(x)
	case int:
		return int64(x)
	case int8:
		return int64(x)
	case int16:
		return int64(x)
	case int32:
		return int64(x)
	case int64:
		return x
	case uint32:
		return int64(x)
	case uint64:
		return int64(x)
	case time.Time:
		return x.Format("2006-01-02")
	case []byte:
		return string(x)
	}
	return v
}

// pop returns the indicator_pop row of unit, indicator and period.
func (f *fixture) pop(unit, ind, period string) map[string]any {
	f.t.Helper()
	r := f.rows(`SELECT * FROM indicator_pop WHERE unit_code = ? AND indicator_code = ? AND period = ?`, unit, ind, period)
	if len(r) != 1 {
		f.t.Fatalf("indicator_pop %s/%s/%s: %d rows", unit, ind, period, len(r))
	}
	return r[0]
}

var popColumns = []string{"unit_code", "unit_name", "indicator_code", "indicator_name", "period", "period_type",
	"period_start", "period_end", "value", "prev_value", "change_prev", "pct_change_prev", "yoy_value", "change_yoy",
	"pct_change_yoy", "ytd_value", "target", "pct_of_target", "rank_value", "rank_target", "cluster_total",
	"cluster_mean", "share_of_cluster", "is_cluster", "complete", "months_expected", "months_reported",
	"units_reported", "units_expected", "value_partial", "value_source"}

// same compares a value with an expectation; numbers within 1e-9 relative.
func same(got, want any) bool {
	switch w := want.(type) {
	case nil:
		return got == nil
	case int:
		return same(got, float64(w))
	case float64:
		switch g := got.(type) {
		case float64:
			return math.Abs(g-w) <= 1e-9*math.Max(1, math.Abs(w))
		case int64:
			return float64(g) == w
		}
		return false
	}
	return got == want
}

// check compares a row with want. With all set, want must name every column
// of indicator_pop.
func check(t *testing.T, what string, got, want map[string]any, all bool) {
	t.Helper()
	if all {
		for _, c := range popColumns {
			if _, ok := want[c]; !ok {
				t.Errorf("%s: test does not state column %s (got %v)", what, c, got[c])
			}
		}
	}
	keys := make([]string, 0, len(want))
	for k := range want {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		g, ok := got[k]
		if !ok {
			t.Errorf("%s: no column %s", what, k)
			continue
		}
		if !same(g, want[k]) {
			t.Errorf("%s: %s = %v (%T), want %v", what, k, g, g, want[k])
		}
	}
}

// base returns the columns every row of unit/ind/period shares, so tests
// state them briefly; each test then states every other column.
func (f *fixture) base(unit, ind, period string) map[string]any {
	p, err := thidua.ParsePeriod(period)
	if err != nil {
		f.t.Fatal(err)
	}
	in, _ := f.cluster.Indicator(ind)
	m := map[string]any{"unit_code": unit, "indicator_code": ind, "indicator_name": in.Name, "period": period,
		"period_type": string(p.Type), "period_start": p.Start().Format("2006-01-02"), "period_end": p.End().Format("2006-01-02")}
	if unit == f.cluster.Code {
		m["unit_name"], m["is_cluster"] = f.cluster.Name, true
	} else {
		u, _ := f.cluster.Unit(unit)
		m["unit_name"], m["is_cluster"] = u.Name, false
		// cluster-row columns (docs/transform.md#rule-cluster-value)
		m["units_reported"], m["units_expected"], m["value_partial"] = N, N, N
	}
	return m
}

func with(m map[string]any, kv ...any) map[string]any {
	out := map[string]any{}
	for k, v := range m {
		out[k] = v
	}
	for i := 0; i < len(kv); i += 2 {
		out[kv[i].(string)] = kv[i+1]
	}
	return out
}

var _ = strings.TrimSpace
var _ sql.NullString
