package store

import (
	"cmp"
	"context"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/thidua/thidua"
)

// TestPopRows checks that ReportMeta and PopRows, which the dashboards read
// page by page, give together what Report gives at once: ReportMeta the
// cluster rows and every period, PopRows exactly the unit rows each query
// selects.
func TestPopRows(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, "", Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if rows, err := db.PopRows(ctx, thidua.PopQuery{}); err != nil || len(rows) != 0 {
		t.Fatalf("before the transform: %v, %v; want no rows, no error", rows, err)
	}
	fixture, err := os.ReadFile("testdata/report_fixture.sql")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.SQL().ExecContext(ctx, string(fixture)); err != nil {
		t.Fatal(err)
	}
	full, err := db.Report(ctx)
	if err != nil {
		t.Fatal(err)
	}
	meta, err := db.ReportMeta(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(meta.Periods, full.Periods) {
		t.Errorf("meta periods = %v, want %v", meta.Periods, full.Periods)
	}
	var clusterRows, unitRows []thidua.PopRow
	for _, r := range full.Pop {
		if r.IsCluster {
			clusterRows = append(clusterRows, r)
		} else {
			unitRows = append(unitRows, r)
		}
	}
	if len(clusterRows) == 0 || !reflect.DeepEqual(meta.Pop, clusterRows) {
		t.Errorf("meta pop = %+v, want the cluster rows %+v", meta.Pop, clusterRows)
	}
	h1 := thidua.Period{Type: thidua.Half, Year: 2020, N: 1}
	for _, q := range []thidua.PopQuery{
		{},
		{Indicators: []string{"new_coops"}},
		{Indicators: []string{"nope", "new_coops"}},
		{Indicators: []string{"nope"}},
		{Indicators: []string{}},
		{Units: []string{"061"}},
		{Units: []string{"060", "061"}, Periods: []thidua.Period{h1}},
		{Units: []string{}},
		{Periods: []thidua.Period{h1}},
		{Periods: []thidua.Period{}},
		{Periods: []thidua.Period{{Type: thidua.YTD9, Year: 2020, N: 9}, h1}},
		{Periods: []thidua.Period{{Type: thidua.YTD9, Year: 2020, N: 9}}},
		// Some periods whole, the others' rows as Shape makes them.
		{Whole: []thidua.Period{h1}},
		{Whole: []thidua.Period{}},
		{Units: []string{"060", "061"}, Whole: []thidua.Period{{Type: thidua.YTD9, Year: 2020, N: 9}, h1}},
		{Indicators: []string{"new_coops"}, Periods: []thidua.Period{h1}, Whole: []thidua.Period{}},
		// Unit by unit, in the order of Units.
		{Units: []string{"061", "060"}, ByUnit: true},
		{Units: []string{"061", "nope", "060"}, Periods: []thidua.Period{h1}, ByUnit: true},
		{Units: []string{"061", "060"}, Whole: []thidua.Period{h1}, ByUnit: true},
		// Some fields only (the others zero).
		{Fields: thidua.PopStatus},
		{Fields: thidua.PopStatus | thidua.PopUnitName | thidua.PopRankTarget | thidua.PopAchievement, Indicators: []string{"new_coops"}},
		{Fields: thidua.PopAllFields, Periods: []thidua.Period{h1}},
		{Fields: thidua.PopPctOfTarget, Whole: []thidua.Period{h1}},
		{Fields: thidua.PopYoYTrend | thidua.PopValueSource, Whole: []thidua.Period{}},
		{Fields: thidua.PopTarget | thidua.PopMonthsReported, Units: []string{"061", "060"}, Whole: []thidua.Period{h1}, ByUnit: true},
		// More periods than periodsCond selects by their days too, some
		// not the fixture's (every row of the others, none of those).
		{Periods: manyPeriods(h1)},
		{Periods: manyPeriods(full.Periods...)},
		{Units: []string{"061"}, Whole: manyPeriods(h1)},
	} {
		var want []thidua.PopRow
		for _, r := range unitRows {
			if q.Match(r) {
				want = append(want, q.Shape(r))
			}
		}
		got, err := db.PopRows(ctx, q)
		if err != nil {
			t.Fatalf("%+v: %v", q, err)
		}
		// EachPopRows: the same rows, in any order.
		var each []thidua.PopRow
		if err := db.EachPopRows(ctx, q, func(rows []thidua.PopRow) error { each = append(each, rows...); return nil }); err != nil {
			t.Fatalf("EachPopRows(%+v): %v", q, err)
		}
		sortRows(each)
		sorted := slices.Clone(got)
		sortRows(sorted)
		if len(each) != len(sorted) || len(each) > 0 && !reflect.DeepEqual(each, sorted) {
			t.Errorf("EachPopRows(%+v) = %+v, want PopRows' rows %+v", q, each, sorted)
		}
		if q.ByUnit {
			for i := 1; i < len(got); i++ {
				if slices.Index(q.Units, got[i].Unit) < slices.Index(q.Units, got[i-1].Unit) {
					t.Errorf("PopRows(%+v): unit %s after %s, want them in the order of Units", q, got[i].Unit, got[i-1].Unit)
					break
				}
			}
		}
		if q.Whole != nil || q.ByUnit {
			// (in no particular order, or none within a unit)
			sortRows(got)
			sortRows(want)
		}
		if len(got) != len(want) || len(want) > 0 && !reflect.DeepEqual(got, want) {
			t.Errorf("PopRows(%+v) = %+v, want %+v", q, got, want)
		}
	}
	if _, err := db.PopRows(ctx, thidua.PopQuery{ByUnit: true}); err == nil {
		t.Error("PopRows by unit with no units: no error")
	}
}

// manyPeriods are ps and more periods than periodsCond selects by their
// first and last days (maxDateLists): one of each type in 2031, first.
func manyPeriods(ps ...thidua.Period) []thidua.Period {
	var out []thidua.Period
	for _, t := range thidua.PeriodTypes {
		out = append(out, thidua.Period{Type: t, Year: 2031, N: 1})
	}
	return append(out, ps...)
}

// TestPopPeriodKeys: each period's key changes with its rows and only
// with them.
func TestPopPeriodKeys(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, "", Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if keys, err := db.PopPeriodKeys(ctx); err != nil || len(keys) != 0 {
		t.Fatalf("before the transform: %v, %v; want no keys, no error", keys, err)
	}
	fixture, err := os.ReadFile("testdata/report_fixture.sql")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.SQL().ExecContext(ctx, string(fixture)); err != nil {
		t.Fatal(err)
	}
	before, err := db.PopPeriodKeys(ctx)
	if err != nil {
		t.Fatal(err)
	}
	meta, err := db.ReportMeta(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(before) != len(meta.Periods) || len(before) < 2 {
		t.Fatalf("%d keys for %d periods", len(before), len(meta.Periods))
	}
	p := meta.Periods[0].String()
	if _, err := db.SQL().ExecContext(ctx, `UPDATE indicator_pop SET value = value + 1
		WHERE period = ? AND NOT is_cluster AND value IS NOT NULL AND unit_code = (
			SELECT min(unit_code) FROM indicator_pop WHERE period = ? AND NOT is_cluster AND value IS NOT NULL)`, p, p); err != nil {
		t.Fatal(err)
	}
	after, err := db.PopPeriodKeys(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for q, k := range before {
		if changed := after[q] != k; changed != (q == p) {
			t.Errorf("period %s: key changed %v, want %v", q, changed, q == p)
		}
	}
}

// TestPopRowsReaders checks that popRows (through Arrow with the
// duckdb_arrow build tag) reads every indicator_pop row exactly as
// database/sql's Scan does: values, NULLs, texts, periods, order.
func TestPopRowsReaders(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, "", Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	fixture, err := os.ReadFile("testdata/report_fixture.sql")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.SQL().ExecContext(ctx, string(fixture)); err != nil {
		t.Fatal(err)
	}
	// More rows than one record batch, with NULLs in every kind of column.
	if _, err := db.SQL().ExecContext(ctx, `INSERT INTO indicator_pop
		SELECT p.* REPLACE (
			unit_code || '-' || i AS unit_code,
			CASE WHEN i % 3 = 0 THEN NULL ELSE unit_name END AS unit_name,
			CASE WHEN i % 4 = 0 THEN NULL ELSE value + i / 7 END AS value,
			CASE WHEN i % 5 = 0 THEN NULL ELSE rank_value + i END AS rank_value,
			CASE WHEN i % 6 = 0 THEN NULL ELSE is_cluster END AS is_cluster,
			CASE WHEN i % 7 = 0 THEN NULL ELSE complete END AS complete,
			CASE WHEN i % 8 = 0 THEN NULL ELSE status END AS status)
		FROM indicator_pop p, range(3000) r(i)`); err != nil {
		t.Fatal(err)
	}
	for _, w := range []struct {
		where string
		args  []any
		whole string
		wargs []any
	}{{"", nil, "", nil}, {"WHERE unit_code IN (?, ?)", []any{"060", "061"}, "", nil}, {"WHERE period_type = ?", []any{"no such type"}, "", nil},
		{"WHERE unit_code NOT IN (?)", []any{"061"}, "period_type = ?", []any{"half"}}, {"", nil, "period_type = ?", []any{"half"}}} {
		want, err := collectRows(func(fn func([]thidua.PopRow) error) error {
			return db.popRowsScan(ctx, popColumns, w.where, w.args, w.whole, w.wargs, nil, fn)
		})
		if err != nil {
			t.Fatal(err)
		}
		got, err := collectRows(func(fn func([]thidua.PopRow) error) error {
			return db.popRows(ctx, popColumns, w.where, w.args, w.whole, w.wargs, nil, fn)
		})
		if err != nil {
			t.Fatal(err)
		}
		if w.whole != "" {
			// (in no particular order)
			sortRows(got)
			sortRows(want)
		}
		if w.where == "" && len(want) < 3000 {
			t.Fatalf("the fixture has %d rows", len(want))
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: popRows and popRowsScan differ:\n%+v\n%+v", w.where, got, want)
		}
	}
}

// sortRows sorts rows by unit, indicator and period.
func sortRows(rows []thidua.PopRow) {
	slices.SortStableFunc(rows, func(a, b thidua.PopRow) int {
		return cmp.Or(strings.Compare(a.Unit, b.Unit), strings.Compare(a.Indicator, b.Indicator),
			strings.Compare(string(a.Period.Type), string(b.Period.Type)), strings.Compare(a.Period.String(), b.Period.String()))
	})
}

// TestPopKeysKept: PopPeriodKeys and the export's partition keys of
// indicator_pop read the keys the transform wrote (pop_keys) only when they
// describe the table: written by the run whose global fingerprint
// transform_state holds, counting every row; else the table is hashed.
func TestPopKeysKept(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, "", Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	fixture, err := os.ReadFile("testdata/report_fixture.sql")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.SQL().ExecContext(ctx, string(fixture)); err != nil {
		t.Fatal(err)
	}
	hashed, err := db.PopPeriodKeys(ctx)
	if err != nil {
		t.Fatal(err)
	}
	hashedParts, err := db.exportPartitionKeys(ctx, "indicator_pop")
	if err != nil {
		t.Fatal(err)
	}
	// Keys marked "kept:", to tell them from the hashed ones.
	if _, err := db.SQL().ExecContext(ctx, `CREATE TABLE transform_state (year INTEGER, fp VARCHAR NOT NULL);
		INSERT INTO transform_state VALUES (NULL, 'A'), (2020, 'y');
		CREATE TABLE pop_keys AS SELECT t.period, min(year(t.period_start))::INTEGER AS year, count(*) AS n,
			'kept:' || count(*)::VARCHAR || ':' || sum(hash(t)::HUGEINT)::VARCHAR AS key, 'A' AS fp
		FROM indicator_pop t GROUP BY t.period`); err != nil {
		t.Fatal(err)
	}
	check := func(what string, wantKept bool) {
		t.Helper()
		keys, err := db.PopPeriodKeys(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(keys) != len(hashed) || len(keys) == 0 {
			t.Fatalf("%s: %d keys, %d periods", what, len(keys), len(hashed))
		}
		for p, k := range hashed {
			if want := map[bool]string{true: "kept:" + k, false: k}[wantKept]; keys[p] != want {
				t.Errorf("%s: period %s key %q, want %q", what, p, keys[p], want)
			}
		}
		parts, err := db.exportPartitionKeys(ctx, "indicator_pop")
		if err != nil {
			t.Fatal(err)
		}
		if len(parts) != len(hashedParts) {
			t.Fatalf("%s: partition keys %v, hashed %v", what, parts, hashedParts)
		}
		for y, k := range parts {
			if kept := strings.HasPrefix(k, "periods:"); kept != wantKept || (!kept && k != hashedParts[y]) {
				t.Errorf("%s: year %s partition key %q (hashed %q), want from pop_keys %v", what, y, k, hashedParts[y], wantKept)
			}
		}
	}
	check("pop_keys of the last run", true)
	if _, err := db.SQL().ExecContext(ctx, `UPDATE transform_state SET fp = 'B' WHERE year IS NULL`); err != nil {
		t.Fatal(err)
	}
	check("pop_keys of another build's run", false)
	if _, err := db.SQL().ExecContext(ctx, `UPDATE transform_state SET fp = 'A' WHERE year IS NULL;
		DELETE FROM pop_keys WHERE period = (SELECT min(period) FROM pop_keys)`); err != nil {
		t.Fatal(err)
	}
	check("pop_keys without a period", false)
	if _, err := db.SQL().ExecContext(ctx, `DROP TABLE pop_keys`); err != nil {
		t.Fatal(err)
	}
	check("no pop_keys", false)
}
