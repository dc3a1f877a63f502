package store

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/thidua/thidua"
)

// TestStageRowsLarge loads a batch bigger than one Arrow record batch, with
// targets and spreadsheet positions, and checks every staged column made it
// into observations, under whichever staging this build uses.
func TestStageRowsLarge(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, "", Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	b := thidua.Batch{Source: thidua.Source{File: "big.csv", Name: "big.csv", SHA256: "big", Format: "csv"}}
	const units, months = 1100, 120 // 132,000 facts: more than one record batch of 122,880
	for u := range units {
		for m := range months {
			p := thidua.MonthPeriod(2016+m/12, m%12+1)
			pos := thidua.Pos{File: "big.csv", Line: 2 + u*months + m}
			if u == 7 {
				pos = thidua.Pos{File: "big.xlsx", Sheet: "Sheet1", Cell: fmt.Sprintf("B%d", m+5)}
			}
			b.Observations = append(b.Observations, thidua.Observation{Unit: fmt.Sprintf("%05d", u), Indicator: "ind",
				Period: p, Basis: thidua.PeriodBasis, Value: float64(u*1000 + m), Pos: pos})
		}
	}
	b.Observations = append(b.Observations, thidua.Observation{Unit: "00001", Indicator: "ind", Period: thidua.Period{Type: thidua.Quarter, Year: 2020, N: 2},
		Basis: thidua.YTDBasis, Value: 0.5, Pos: thidua.Pos{File: "big.csv", Line: 9, Column: "value"}})
	b.Targets = []thidua.TargetValue{{Unit: "00002", Indicator: "ind", Year: 2020, Value: 99, Pos: thidua.Pos{File: "t.csv", Line: 3}}}
	b.Rows = len(b.Observations) + len(b.Targets)
	r, err := db.LoadBatch(ctx, b, LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if want := units*months + 2; r.Load.Inserted != want {
		t.Fatalf("inserted %d, want %d (arrow staging: %v)", r.Load.Inserted, want, ArrowStaging)
	}
	var n int
	var sum float64
	if err := db.SQL().QueryRowContext(ctx, `SELECT count(*), sum(value) FROM observations WHERE basis = 'period'`).Scan(&n, &sum); err != nil {
		t.Fatal(err)
	}
	var want float64
	for _, o := range b.Observations[:units*months] {
		want += o.Value
	}
	if n != units*months || sum != want {
		t.Errorf("period facts: %d rows summing to %v, want %d summing to %v", n, sum, units*months, want)
	}
	check := func(q string, args []any, want ...any) {
		t.Helper()
		row := db.SQL().QueryRowContext(ctx, q, args...)
		got := make([]any, len(want))
		ptrs := make([]any, len(want))
		for i := range got {
			ptrs[i] = &got[i]
		}
		if err := row.Scan(ptrs...); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		if fmt.Sprintf("%v", got) != fmt.Sprintf("%v", want) {
			t.Errorf("%s %v: got %v, want %v", q, args, got, want)
		}
	}
	const q = `SELECT period, period_type, year, first_month, last_month, value, source FROM observations WHERE unit_code = ? AND basis = ? ORDER BY period DESC LIMIT 1`
	check(q, []any{"01099", "period"}, "2025-12", "month", int32(2025), int32(12), int32(12), float64(1099*1000+119), fmt.Sprintf("big.csv:%d", 2+1099*months+119))
	check(q, []any{"00007", "period"}, "2025-12", "month", int32(2025), int32(12), int32(12), float64(7000+119), "big.xlsx:Sheet1!B124")
	check(q, []any{"00001", "ytd"}, "2020-Q2", "quarter", int32(2020), int32(4), int32(6), 0.5, "big.csv:9:value")
	check(q, []any{"00002", "target"}, "2020", "year", int32(2020), int32(1), int32(12), float64(99), "t.csv:3")
	var temps int
	if err := db.SQL().QueryRowContext(ctx, `SELECT count(*) FROM duckdb_views() WHERE view_name LIKE 'thidua_stage%'`).Scan(&temps); err != nil {
		t.Fatal(err)
	}
	if temps != 0 {
		t.Errorf("%d staging views left behind", temps)
	}
}

// BenchmarkStageRows times staging alone (Arrow with -tags duckdb_arrow,
// the Appender without) against the whole LoadBatch, on 120,000 facts.
func BenchmarkStageRows(b *testing.B) {
	ctx := context.Background()
	bt := thidua.Batch{Source: thidua.Source{File: "b.csv", Name: "b.csv", Format: "csv"}}
	for u := range 100 {
		for i := range 100 {
			for m := range 12 {
				bt.Observations = append(bt.Observations, thidua.Observation{Unit: fmt.Sprintf("%05d", u), Indicator: fmt.Sprintf("ind_%03d", i),
					Period: thidua.MonthPeriod(2020, m+1), Basis: thidua.PeriodBasis, Value: float64(u + i + m),
					Pos: thidua.Pos{File: "/data/observations-2020.csv", Line: 2 + (u*100+i)*12 + m}})
			}
		}
	}
	bt.Rows = len(bt.Observations)
	for _, whole := range []bool{false, true} {
		name := "stage"
		if whole {
			name = "LoadBatch"
		}
		b.Run(name, func(b *testing.B) {
			for i := range b.N {
				b.StopTimer()
				db, err := Open(ctx, filepath.Join(b.TempDir(), "s.duckdb"), Options{})
				if err != nil {
					b.Fatal(err)
				}
				conn, err := db.SQL().Conn(ctx)
				if err != nil {
					b.Fatal(err)
				}
				bt.Source.SHA256 = fmt.Sprint(i)
				b.StartTimer()
				if whole {
					_, err = db.LoadBatch(ctx, bt, LoadOptions{})
				} else {
					err = stageRows(ctx, conn, bt)
				}
				if err != nil {
					b.Fatal(err)
				}
				b.StopTimer()
				conn.Close()
				db.Close()
				b.StartTimer()
			}
			b.ReportMetric(float64(len(bt.Observations))*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
		})
	}
}
