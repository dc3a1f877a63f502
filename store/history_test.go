package store

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/thidua/thidua"
)

func openTemp(t *testing.T) *DB {
	t.Helper()
	db, err := Open(context.Background(), filepath.Join(t.TempDir(), "t.duckdb"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func mustLoad(t *testing.T, db *DB, b thidua.Batch) LoadResult {
	t.Helper()
	r, err := db.LoadBatch(context.Background(), b, LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// fact is one observation row as stored.
type fact struct {
	period string
	value  float64
	load   int64
	first  int64
	source string
}

func facts(t *testing.T, db *DB) []fact {
	t.Helper()
	rows, err := db.SQL().Query(`SELECT period, value, load_id, first_load_id, coalesce(source, '') FROM observations ORDER BY first_month`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var fs []fact
	for rows.Next() {
		var f fact
		if err := rows.Scan(&f.period, &f.value, &f.load, &f.first, &f.source); err != nil {
			t.Fatal(err)
		}
		fs = append(fs, f)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return fs
}

func TestUndoCorrectionRestores(t *testing.T) {
	ctx := context.Background()
	db := openTemp(t)
	a := mustLoad(t, db, testBatch("a.csv", 1, 2, 3)).Load
	b := mustLoad(t, db, testBatch("b.csv", 1, 5, 3, 4)).Load // corrects Feb, adds Apr
	restored, removed, err := db.Undo(ctx, b.ID, time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	if restored != 1 || removed != 1 {
		t.Fatalf("restored %d removed %d, want 1 and 1", restored, removed)
	}
	want := []fact{
		{"2020-01", 1, a.ID, a.ID, "a.csv:2"},
		{"2020-02", 2, a.ID, a.ID, "a.csv:3"}, // restored with its cell, kept in the audit trail
		{"2020-03", 3, a.ID, a.ID, "a.csv:4"},
	}
	got := facts(t, db)
	if len(got) != len(want) {
		t.Fatalf("after undo: %+v, want %+v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("fact %d: %+v, want %+v", i, got[i], want[i])
		}
	}
	// The audit trail records both undo changes.
	var n, nRestore, nRemove int
	if err := db.SQL().QueryRow(`SELECT count(*), count(*) FILTER (new_value = 2 AND old_value = 5 AND new_load_id = ?),
		count(*) FILTER (new_value IS NULL AND old_value = 4 AND new_load_id IS NULL)
		FROM observation_audit WHERE action = 'undo' AND old_load_id = ?`, a.ID, b.ID).Scan(&n, &nRestore, &nRemove); err != nil {
		t.Fatal(err)
	}
	if n != 2 || nRestore != 1 || nRemove != 1 {
		t.Errorf("undo audit rows: %d (restore %d, remove %d), want 2 (1, 1)", n, nRestore, nRemove)
	}
	ls, err := db.Loads(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(ls) != 2 || ls[0].ID != b.ID || ls[0].Status != StatusUndone || ls[1].Status != StatusLoaded {
		t.Errorf("loads after undo: %+v", ls)
	}
}

func TestUndoFirstLoadRemovesAndReloads(t *testing.T) {
	ctx := context.Background()
	db := openTemp(t)
	a := mustLoad(t, db, testBatch("a.csv", 1, 2, 3)).Load
	restored, removed, err := db.Undo(ctx, a.ID, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	if restored != 0 || removed != 3 || len(facts(t, db)) != 0 {
		t.Fatalf("undo of first load: restored %d removed %d, left %v", restored, removed, facts(t, db))
	}
	// The same bytes load again: the repeat check ignores undone loads.
	r := mustLoad(t, db, testBatch("a.csv", 1, 2, 3))
	if r.Repeat || r.Load.ID == a.ID || r.Load.Inserted != 3 {
		t.Fatalf("reload after undo: %+v", r)
	}
	if fs := facts(t, db); len(fs) != 3 || fs[0].load != r.Load.ID || fs[0].first != r.Load.ID {
		t.Fatalf("after reload: %+v", fs)
	}
	// And now it is a repeat again.
	if r := mustLoad(t, db, testBatch("a.csv", 1, 2, 3)); !r.Repeat {
		t.Fatalf("second reload not a repeat: %+v", r)
	}
}

func TestUndoRefusals(t *testing.T) {
	ctx := context.Background()
	db := openTemp(t)
	a := mustLoad(t, db, testBatch("a.csv", 1, 2, 3)).Load
	b := mustLoad(t, db, testBatch("b.csv", 1, 5)).Load
	c := mustLoad(t, db, testBatch("c.csv", 7)).Load

	for _, tc := range []struct {
		name string
		id   int64
		want []string
	}{
		{"unknown", 99, []string{"load 99", "no such load"}},
		{"corrected later", a.ID, []string{"cannot undo load 1", "load 3 (c.csv), load 2 (b.csv)", "undo those first"}},
	} {
		before := facts(t, db)
		_, _, err := db.Undo(ctx, tc.id, time.Time{})
		var ue *UndoError
		if !errors.As(err, &ue) || !errors.Is(err, ErrUndo) {
			t.Fatalf("%s: want an *UndoError, got %v", tc.name, err)
		}
		for _, w := range tc.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%s: %q does not say %q", tc.name, err, w)
			}
		}
		if after := facts(t, db); len(after) != len(before) || after[0] != before[0] || after[1] != before[1] {
			t.Errorf("%s: refused undo changed data: %v → %v", tc.name, before, after)
		}
	}

	// Undoing the later loads newest first unblocks a, and a's values
	// are the ones after each step.
	if _, _, err := db.Undo(ctx, c.ID, time.Time{}); err != nil {
		t.Fatal(err)
	}
	// b reported January unchanged, so January goes back to a.
	if fs := facts(t, db); fs[0].value != 1 || fs[0].load != a.ID || fs[1].value != 5 || fs[1].load != b.ID {
		t.Fatalf("after undo of c: %+v", fs)
	}
	var ue *UndoError
	if _, _, err := db.Undo(ctx, c.ID, time.Time{}); !errors.As(err, &ue) || ue.Status != StatusUndone {
		t.Fatalf("second undo of c: want already undone, got %v", err)
	}
	if _, _, err := db.Undo(ctx, a.ID, time.Time{}); !errors.As(err, &ue) || !sameLoads(ue.Later, b.ID) || !strings.Contains(err.Error(), "load 2 (b.csv)") {
		t.Fatalf("undo a with b loaded: want refusal naming only b, got %v", err)
	}
	if _, _, err := db.Undo(ctx, b.ID, time.Time{}); err != nil {
		t.Fatal(err)
	}
	if fs := facts(t, db); len(fs) != 3 || fs[0].value != 1 || fs[1].value != 2 || fs[1].load != a.ID {
		t.Fatalf("after undo of c and b: %+v", fs)
	}
	restored, removed, err := db.Undo(ctx, a.ID, time.Time{})
	if err != nil || restored != 0 || removed != 3 || len(facts(t, db)) != 0 {
		t.Fatalf("undo a last: %d %d %v %v", restored, removed, err, facts(t, db))
	}
}

func TestUndoChain(t *testing.T) {
	// a: Jan=1; b corrects to 2; c corrects to 3. Undo c → 2 (load b);
	// reload c → 3; undo it again → 2; undo b → 1 (load a).
	ctx := context.Background()
	db := openTemp(t)
	a := mustLoad(t, db, testBatch("a.csv", 1)).Load
	b := mustLoad(t, db, testBatch("b.csv", 2)).Load
	c := mustLoad(t, db, testBatch("c.csv", 3)).Load
	check := func(step string, v float64, load int64) {
		t.Helper()
		fs := facts(t, db)
		if len(fs) != 1 || fs[0].value != v || fs[0].load != load || fs[0].first != a.ID {
			t.Fatalf("%s: %+v, want value %v load %d first %d", step, fs, v, load, a.ID)
		}
	}
	check("loaded", 3, c.ID)
	// a's value was corrected by b, and b's by c: both named.
	var ue *UndoError
	if _, _, err := db.Undo(ctx, a.ID, time.Time{}); !errors.As(err, &ue) || !sameLoads(ue.Later, c.ID, b.ID) || !strings.Contains(err.Error(), "load 3 (c.csv), load 2 (b.csv)") {
		t.Fatalf("undo a under b and c: want refusal naming c and b, got %v", err)
	}
	if _, _, err := db.Undo(ctx, c.ID, time.Time{}); err != nil {
		t.Fatal(err)
	}
	check("undo c", 2, b.ID)
	c2 := mustLoad(t, db, testBatch("c.csv", 3)).Load
	if c2.Updated != 1 {
		t.Fatalf("reload of c: %+v", c2)
	}
	check("reload c", 3, c2.ID)
	if _, _, err := db.Undo(ctx, b.ID, time.Time{}); !errors.As(err, &ue) || !sameLoads(ue.Later, c2.ID) {
		t.Fatalf("undo b under c2: want refusal naming c.csv, got %v", err)
	}
	if _, _, err := db.Undo(ctx, c2.ID, time.Time{}); err != nil {
		t.Fatal(err)
	}
	check("undo c2", 2, b.ID)
	if _, _, err := db.Undo(ctx, b.ID, time.Time{}); err != nil {
		t.Fatal(err)
	}
	check("undo b", 1, a.ID)
}

func TestLoadsNewestFirst(t *testing.T) {
	ctx := context.Background()
	db := openTemp(t)
	if ls, err := db.Loads(ctx); err != nil || len(ls) != 0 {
		t.Fatalf("empty database: %v %v", ls, err)
	}
	when := time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)
	if _, err := db.LoadBatch(ctx, testBatch("a.csv", 1, 2), LoadOptions{Now: when}); err != nil {
		t.Fatal(err)
	}
	bad := testBatch("b.csv", 1, 9)
	bad.Problems = []thidua.Problem{{Pos: thidua.Pos{File: "b.csv", Line: 9}, Err: errors.New("bad")}}
	bad.Rows = 3
	if _, err := db.LoadBatch(ctx, bad, LoadOptions{Partial: true, Now: when.Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	ls, err := db.Loads(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := []thidua.Load{
		{ID: 2, File: "b.csv", SHA256: "b.csv", Format: "csv", Rows: 3, LoadedAt: when.Add(time.Hour), Inserted: 0, Updated: 1, Unchanged: 1, Rejected: 1, Status: "loaded"},
		{ID: 1, File: "a.csv", SHA256: "a.csv", Format: "csv", Rows: 2, LoadedAt: when, Inserted: 2, Status: "loaded"},
	}
	if len(ls) != 2 {
		t.Fatalf("loads: %+v", ls)
	}
	for i := range want {
		ls[i].LoadedAt = ls[i].LoadedAt.UTC()
		if ls[i] != want[i] {
			t.Errorf("load %d: %+v, want %+v", i, ls[i], want[i])
		}
	}
}

func TestQuality(t *testing.T) {
	ctx := context.Background()
	db := openTemp(t)
	if _, err := db.Quality(ctx); !errors.Is(err, ErrNotTransformed) {
		t.Fatalf("before transform: want ErrNotTransformed, got %v", err)
	}
	// The table as the transform builds it (columns per docs/DESIGN.md).
	if _, err := db.SQL().Exec(`CREATE TABLE quality AS SELECT * FROM (VALUES
		('unit_slip', 'error', '061', 'new_coops', '2020-03', 40.0, 4.0, 10.0, 'ten times the usual', 'gấp mười lần', NULL, NULL),
		('completeness', 'warning', '060', NULL, '2020-02', NULL, NULL, NULL, 'no report', 'thiếu báo cáo', NULL, NULL),
		('completeness', 'warning', '061', NULL, '2020-02', NULL, NULL, NULL, 'no report', 'thiếu báo cáo', 'Lan', 'gửi muộn, đã có'),
		('late_correction', 'info', '060', 'new_coops', '2020-01', 2.0, 1.0, 100.0, 'corrected', 'đã sửa', NULL, NULL)
		) t(check_name, severity, unit_code, indicator_code, period, value, expected, score, message, message_vi, accepted_by, accepted_why)`); err != nil {
		t.Fatal(err)
	}
	qs, err := db.Quality(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// Grouped by unit, the unit with the most severe finding first; most
	// severe first within a unit; the accepted finding left out.
	want := []thidua.QualityFlag{
		{Check: "unit_slip", Severity: "error", Unit: "061", Indicator: "new_coops", Period: "2020-03", Value: thidua.Some(40),
			Expected: thidua.Some(4), Score: thidua.Some(10), Message: "ten times the usual", MessageVI: "gấp mười lần"},
		{Check: "completeness", Severity: "warning", Unit: "060", Period: "2020-02", Message: "no report", MessageVI: "thiếu báo cáo"},
		{Check: "late_correction", Severity: "info", Unit: "060", Indicator: "new_coops", Period: "2020-01", Value: thidua.Some(2),
			Expected: thidua.Some(1), Score: thidua.Some(100), Message: "corrected", MessageVI: "đã sửa"},
	}
	if len(qs) != len(want) {
		t.Fatalf("quality: %+v", qs)
	}
	for i := range want {
		if qs[i] != want[i] {
			t.Errorf("flag %d: %+v, want %+v", i, qs[i], want[i])
		}
	}
}

// sameLoads reports whether loads are the loads ids, in that order.
func sameLoads(loads []thidua.Load, ids ...int64) bool {
	if len(loads) != len(ids) {
		return false
	}
	for i, l := range loads {
		if l.ID != ids[i] {
			return false
		}
	}
	return true
}
