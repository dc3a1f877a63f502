package store

import (
	"context"
	"fmt"
	"os"
	"slices"
	"testing"

	"github.com/thidua/thidua"
)

// TestEachPopValue: EachPopValue gives the unit rows EachPopRows gives
// for PopQuery{Whole: []Period{}} (every row shaped), in any order, and
// none before the transform made indicator_pop.
func TestEachPopValue(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, "", Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var got []string
	each := func(unit, ind string, p thidua.Period, v thidua.Num, complete bool) error {
		got = append(got, fmt.Sprintf("%+v", thidua.PopRow{Unit: unit, Indicator: ind, Period: p, Value: v, Complete: complete}))
		return nil
	}
	if err := db.EachPopValue(ctx, each); err != nil || len(got) != 0 {
		t.Fatalf("before the transform: %v, %v; want no rows, no error", got, err)
	}
	fixture, err := os.ReadFile("testdata/report_fixture.sql")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.SQL().ExecContext(ctx, string(fixture)); err != nil {
		t.Fatal(err)
	}
	// A row with a missing value and one with completeness unknown (NULL:
	// complete, as the report reads it).
	if _, err := db.SQL().ExecContext(ctx, `UPDATE indicator_pop SET value = NULL WHERE rowid = (SELECT min(rowid) FROM indicator_pop WHERE NOT is_cluster);
		UPDATE indicator_pop SET complete = NULL WHERE rowid = (SELECT max(rowid) FROM indicator_pop WHERE NOT is_cluster)`); err != nil {
		t.Fatal(err)
	}
	rows, err := db.PopRows(ctx, thidua.PopQuery{Whole: []thidua.Period{}})
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	missing := false
	for _, r := range rows {
		want = append(want, fmt.Sprintf("%+v", r))
		missing = missing || !r.Value.OK
	}
	if err := db.EachPopValue(ctx, each); err != nil {
		t.Fatal(err)
	}
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) || len(want) < 3 || !missing {
		t.Errorf("EachPopValue: %d rows\n%v\nwant the %d rows of EachPopRows (some missing: %v)\n%v", len(got), got, len(want), missing, want)
	}
	// EachPopValueOf: the rows of a query, each shaped.
	h1 := thidua.Period{Type: thidua.Half, Year: 2020, N: 1}
	for _, q := range []thidua.PopQuery{
		{Indicators: []string{"new_coops"}},
		{Units: []string{"061", "nope"}, Periods: []thidua.Period{h1}},
		{Indicators: []string{"new_coops"}, Units: []string{"060"}, Whole: []thidua.Period{h1}, Fields: thidua.PopStatus, ByUnit: true},
		{Periods: []thidua.Period{}},
		{Units: []string{}},
	} {
		rows, err := db.PopRows(ctx, thidua.PopQuery{Indicators: q.Indicators, Units: q.Units, Periods: q.Periods, Whole: []thidua.Period{}})
		if err != nil {
			t.Fatal(err)
		}
		want = want[:0]
		for _, r := range rows {
			want = append(want, fmt.Sprintf("%+v", r))
		}
		got = got[:0]
		if err := db.EachPopValueOf(ctx, q, each); err != nil {
			t.Fatal(err)
		}
		slices.Sort(got)
		slices.Sort(want)
		if !slices.Equal(got, want) || len(q.Units) != 0 && q.Periods == nil && len(want) == 0 {
			t.Errorf("EachPopValueOf(%+v): %d rows\n%v\nwant %d\n%v", q, len(got), got, len(want), want)
		}
		if q.Indicators != nil && len(want) == 0 {
			t.Errorf("EachPopValueOf(%+v): no rows; the fixture has some", q)
		}
	}
	stop := fmt.Errorf("stop")
	n := 0
	if err := db.EachPopValue(ctx, func(string, string, thidua.Period, thidua.Num, bool) error { n++; return stop }); err == nil || n != 1 {
		t.Errorf("fn's error: %v after %d rows, want it at once", err, n)
	}
}
