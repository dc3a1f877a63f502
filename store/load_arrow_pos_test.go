//go:build duckdb_arrow

package store

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/thidua/thidua"
)

func TestAppendPos(t *testing.T) {
	for _, p := range []thidua.Pos{
		{}, {File: "a.csv"}, {File: "a.csv", Line: 12}, {File: "a.csv", Line: 12, Column: "value"}, {File: "a.csv", Column: "x"},
		{File: "b.xlsx", Sheet: "S"}, {File: "b.xlsx", Sheet: "S", Cell: "E7", Line: 3}, {File: "đơn vị.csv", Line: 1},
		{File: "a.csv", Line: 9}, {File: "a.csv", Line: 10}, {File: "a.csv", Line: 1234567890, Column: "giá trị"},
	} {
		if got, want := string(appendPos(nil, p)), p.String(); got != want {
			t.Errorf("appendPos(%+v) = %q, want %q", p, got, want)
		}
		if got, want := posLen(p), len(p.String()); got != want {
			t.Errorf("posLen(%+v) = %d, want %d", p, got, want)
		}
	}
}

// TestStageRowsReusedBuffers loads facts spanning several Arrow record
// batches, whose buffers bufPool hands out again once DuckDB released the
// batch before, with texts of varying lengths, and checks every stored row
// against the fact it came from: a buffer handed out while still in use,
// or not cleared, would show as a wrong unit, period, value or source.
func TestStageRowsReusedBuffers(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, "", Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	b := thidua.Batch{Source: thidua.Source{File: "r.csv", Name: "r.csv", SHA256: "r", Format: "csv"}}
	const units, months = 3100, 120 // 372,000 facts: a little over three record batches
	for u := range units {
		code := fmt.Sprint(u) // 1 to 4 characters
		file := "r" + strings.Repeat("x", u%7) + ".csv"
		for m := range months {
			b.Observations = append(b.Observations, thidua.Observation{Unit: code, Indicator: fmt.Sprintf("i%d", m%3),
				Period: thidua.MonthPeriod(2016+m/12, m%12+1), Basis: thidua.PeriodBasis, Value: float64(u*1000 + m),
				Pos: thidua.Pos{File: file, Line: 2 + u*months + m, Column: strings.Repeat("v", m%5)}})
		}
	}
	b.Rows = len(b.Observations)
	if _, err := db.LoadBatch(ctx, b, LoadOptions{}); err != nil {
		t.Fatal(err)
	}
	// Every row is its fact: unit u, month index m = (year - 2016) * 12 +
	// month - 1, as built above.
	var n, bad int
	if err := db.SQL().QueryRowContext(ctx, `SELECT count(*), count(*) FILTER (NOT (
			value = u * 1000 + m AND indicator_code = 'i' || (m % 3) AND period = printf('%04d-%02d', year, first_month)
			AND source = 'r' || repeat('x', u % 7) || '.csv:' || (2 + u * 120 + m) || CASE WHEN m % 5 > 0 THEN ':' || repeat('v', m % 5) ELSE '' END))
		FROM (SELECT *, unit_code::INTEGER AS u, (year - 2016) * 12 + first_month - 1 AS m FROM observations)`).Scan(&n, &bad); err != nil {
		t.Fatal(err)
	}
	if n != units*months || bad != 0 {
		t.Errorf("%d rows (want %d), %d of them not the fact they came from", n, units*months, bad)
	}
}
