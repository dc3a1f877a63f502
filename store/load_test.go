package store

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/thidua/thidua"
)

// TestLoadPaths covers the merge's paths: new unique facts (a plain
// insert), a batch naming one fact twice with the same value (deduplicated,
// the first position kept), and unique facts some of which exist.
func TestLoadPaths(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, "", Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	load := func(b thidua.Batch) thidua.Load {
		t.Helper()
		r, err := db.LoadBatch(ctx, b, LoadOptions{})
		if err != nil {
			t.Fatal(err)
		}
		return r.Load
	}
	counts := func(l thidua.Load) [3]int { return [3]int{l.Inserted, l.Updated, l.Unchanged} }

	// New facts of 2020, then of 2021 and a 2020 target: plain inserts.
	if l := load(testBatch("a.csv", 1, 2, 3)); counts(l) != [3]int{3, 0, 0} {
		t.Errorf("a.csv: %+v", l)
	}
	b := testBatch("b.csv", 7, 8)
	for i := range b.Observations {
		b.Observations[i].Period.Year = 2021
	}
	b.Targets = []thidua.TargetValue{{Unit: "060", Indicator: "new_coops", Year: 2020, Value: 40, Pos: thidua.Pos{File: "b.csv", Line: 9}}}
	if l := load(b); counts(l) != [3]int{3, 0, 0} {
		t.Errorf("b.csv: %+v", l)
	}

	// One fact twice with the same value, plus a new one: deduplicated.
	d := testBatch("d.csv", 5, 6)
	for i := range d.Observations {
		d.Observations[i].Period.Year = 2022
	}
	second := d.Observations[0]
	second.Pos.Line = 99
	d.Observations = append(d.Observations, second)
	if l := load(d); counts(l) != [3]int{2, 0, 0} {
		t.Errorf("d.csv: %+v", l)
	}
	var src string
	if err := db.SQL().QueryRowContext(ctx, `SELECT source FROM observations WHERE period = '2022-01'`).Scan(&src); err != nil || src != "d.csv:2" {
		t.Errorf("d.csv's repeated fact: source %q, %v; want d.csv:2", src, err)
	}

	// Unique facts, some held already: an update, an unchanged, an insert.
	if l := load(testBatch("e.csv", 1, 9, 3, 4)); counts(l) != [3]int{1, 1, 2} {
		t.Errorf("e.csv: %+v", l)
	}
	var n, audits, firstLoad int
	if err := db.SQL().QueryRowContext(ctx, `SELECT count(*), (SELECT count(*) FROM observation_audit),
		min(first_load_id) FILTER (period = '2020-02') FROM observations`).Scan(&n, &audits, &firstLoad); err != nil {
		t.Fatal(err)
	}
	if n != 3+3+2+1 || audits != 1 || firstLoad != 1 {
		t.Errorf("%d observations, %d audit rows, 2020-02 first loaded by %d; want 9, 1, 1", n, audits, firstLoad)
	}
	var left int
	if err := db.SQL().QueryRowContext(ctx, `SELECT count(*) FROM duckdb_tables() WHERE temporary`).Scan(&left); err != nil {
		t.Fatal(err)
	}
	if err := db.SQL().QueryRowContext(ctx, `SELECT count(*) + ? FROM duckdb_views() WHERE temporary AND NOT internal`, left).Scan(&left); err != nil {
		t.Fatal(err)
	}
	if left != 0 {
		t.Errorf("%d temporary tables or views left behind", left)
	}

	l, ok, err := db.LoadedSHA(ctx, "b.csv")
	if err != nil || !ok || l.File != "b.csv" || l.Inserted != 3 {
		t.Errorf("LoadedSHA(b.csv) = %+v, %v, %v", l, ok, err)
	}
	if _, ok, err := db.LoadedSHA(ctx, "never"); err != nil || ok {
		t.Errorf("LoadedSHA(never) = %v, %v; want false, nil", ok, err)
	}
}

// TestRolledBackLoadSpendsNoID checks that a load rolled back (a run
// stopped by SIGTERM) leaves no gap in load ids: the ids end up in the
// exports, which must be the same after a stop and a rerun as after one
// uninterrupted run.
func TestRolledBackLoadSpendsNoID(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, "", Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	conn, err := db.sql.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	r, err := load(ctx, conn, tx, testBatch("a.csv", 1, 2), time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if r.Load.ID != 1 {
		t.Fatalf("first load drew id %d, want 1", r.Load.ID)
	}
	if err := tx.Rollback(); err != nil {
		t.Fatal(err)
	}
	conn.Close()
	res, err := db.LoadBatch(ctx, testBatch("a.csv", 1, 2), LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Load.ID != 1 {
		t.Errorf("the load after a rolled-back one has id %d, want 1", res.Load.ID)
	}
}

// TestLoadRefusesSampleIntoRealDatabase: a batch of the built-in sample
// loads into a new database, but never once a real load exists, even an
// undone one.
func TestLoadRefusesSampleIntoRealDatabase(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, "", Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	s := testBatch("sample/observations.csv", 1, 2)
	s.Source.Format = FormatSample
	if _, err := db.LoadBatch(ctx, s, LoadOptions{}); err != nil {
		t.Fatalf("sample into a new database: %v", err)
	}
	if real, err := db.HasRealLoads(ctx); err != nil || real {
		t.Fatalf("HasRealLoads after the sample = %v, %v", real, err)
	}
	r := testBatch("real.csv", 5)
	r.Observations[0].Period.Year = 2021
	res, err := db.LoadBatch(ctx, r, LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := db.Undo(ctx, res.Load.ID, time.Time{}); err != nil {
		t.Fatal(err)
	}
	s2 := testBatch("sample/other.csv", 3, 4)
	s2.Source.Format = FormatSample
	s2.Observations[0].Period.Year = 2022
	if _, err := db.LoadBatch(ctx, s2, LoadOptions{}); !errors.Is(err, ErrSampleRefused) {
		t.Errorf("sample into a database with an (undone) real load: %v, want ErrSampleRefused", err)
	}
	var n int
	db.SQL().QueryRowContext(ctx, `SELECT count(*) FROM observations WHERE year = 2022`).Scan(&n)
	if n != 0 {
		t.Errorf("%d sample values got in", n)
	}
}

// TestLoadedSize checks the size pre-check of a repeat: only the sizes of
// loads in effect, or a load without a recorded size, may be repeats.
func TestLoadedSize(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, "", Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	maybe := func(size int64) bool {
		t.Helper()
		ok, err := db.LoadedSize(ctx, size)
		if err != nil {
			t.Fatal(err)
		}
		return ok
	}
	if maybe(100) {
		t.Error("an empty database has a load of 100 bytes")
	}
	b := testBatch("a.csv", 1, 2)
	b.Source.Size = 100
	if _, err := db.LoadBatch(ctx, b, LoadOptions{}); err != nil {
		t.Fatal(err)
	}
	if !maybe(100) || maybe(101) {
		t.Errorf("after a load of 100 bytes: 100 %v (want true), 101 %v (want false)", maybe(100), maybe(101))
	}
	if _, err := db.SQL().ExecContext(ctx, `UPDATE loads SET status = 'undone'`); err != nil {
		t.Fatal(err)
	}
	if maybe(100) {
		t.Error("an undone load still counts")
	}
	if _, err := db.SQL().ExecContext(ctx, `UPDATE loads SET status = 'loaded', size = NULL`); err != nil {
		t.Fatal(err)
	}
	if !maybe(101) {
		t.Error("a load without a recorded size does not count for every size")
	}
}
