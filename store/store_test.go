package store

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/thidua/thidua"
)

func testBatch(name string, vals ...float64) thidua.Batch {
	b := thidua.Batch{Source: thidua.Source{File: name, Name: name, SHA256: name, Format: "csv"}}
	for i, v := range vals {
		b.Observations = append(b.Observations, thidua.Observation{
			Unit: "060", Indicator: "new_coops", Period: thidua.MonthPeriod(2020, i+1), Basis: thidua.PeriodBasis, Value: v,
			Pos: thidua.Pos{File: name, Line: i + 2}})
	}
	b.Rows = len(vals)
	return b
}

func TestLoadCorrectionAndRepeat(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "t.duckdb"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	r, err := db.LoadBatch(ctx, testBatch("a.csv", 1, 2, 3), LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if r.Load.Inserted != 3 || r.Load.Updated != 0 || r.Repeat {
		t.Fatalf("first load: %+v", r)
	}
	r, err = db.LoadBatch(ctx, testBatch("a.csv", 1, 2, 3), LoadOptions{})
	if err != nil || !r.Repeat {
		t.Fatalf("repeat load: %+v %v", r, err)
	}
	r, err = db.LoadBatch(ctx, testBatch("b.csv", 1, 5, 3, 4), LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if r.Load.Inserted != 1 || r.Load.Updated != 1 || r.Load.Unchanged != 2 {
		t.Fatalf("correction: %+v", r.Load)
	}
	var old, nw float64
	if err := db.SQL().QueryRow(`SELECT old_value, new_value FROM observation_audit`).Scan(&old, &nw); err != nil || old != 2 || nw != 5 {
		t.Fatalf("audit: %v %v %v", old, nw, err)
	}
	bad := testBatch("c.csv", 9)
	bad.Problems = []thidua.Problem{{Pos: thidua.Pos{File: "c.csv", Line: 3}, Err: errors.New("bad")}}
	if _, err := db.LoadBatch(ctx, bad, LoadOptions{}); !errors.Is(err, ErrRefused) {
		t.Fatalf("want refusal, got %v", err)
	}
}

func TestExternalAccessLockedDown(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "t.duckdb"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, q := range []string{
		`SELECT * FROM read_csv('/etc/passwd')`,
		`COPY (SELECT 1) TO '/tmp/thidua-escape.csv'`,
		`SET enable_external_access = true`,
		`INSTALL httpfs`,
	} {
		if _, err := db.SQL().Exec(q); err == nil {
			t.Errorf("%s: want an error", q)
		}
	}
}

// The spill folder is made beside the database file (0700), named in
// DuckDB's settings, and removed when the database closes; a link in its
// place is refused, not followed, and a folder already there is kept.
func TestTempDir(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "t.duckdb")
	db, err := Open(ctx, path, Options{MemoryLimit: "256MB"})
	if err != nil {
		t.Fatal(err)
	}
	fi, err := os.Lstat(path + ".tmp")
	if err != nil || !fi.IsDir() || fi.Mode().Perm() != 0o700 {
		t.Fatalf("spill folder: %v %v", fi, err)
	}
	var tmp, limit string
	if err := db.SQL().QueryRow(`SELECT current_setting('temp_directory'), current_setting('memory_limit')`).Scan(&tmp, &limit); err != nil {
		t.Fatal(err)
	}
	if tmp != path+".tmp" || !strings.HasPrefix(limit, "244") { // 256 MB = 244.1 MiB
		t.Fatalf("settings: temp_directory %q, memory_limit %q", tmp, limit)
	}
	// the allocator hands freed memory back above AllocatorFlush (8 MB = 7.6 MiB)
	var flush, bulk string
	if err := db.SQL().QueryRow(`SELECT current_setting('allocator_flush_threshold'), current_setting('allocator_bulk_deallocation_flush_threshold')`).Scan(&flush, &bulk); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(flush, "7.6") || flush != bulk {
		t.Fatalf("settings: allocator_flush_threshold %q, allocator_bulk_deallocation_flush_threshold %q, want %s", flush, bulk, AllocatorFlush)
	}
	// on Linux, jemalloc's decay is 0, Options.AllocatorDecayMS's zero value (DuckDB builds it with 1000)
	if runtime.GOOS == "linux" {
		if d, m := allocatorDecay(); d != 0 || m != 0 {
			t.Fatalf("allocator decay: dirty %d ms, muzzy %d ms, want 0", d, m)
		}
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Lstat(path + ".tmp"); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("spill folder left after Close: %v", err)
	}

	// a folder already there is used and kept
	if err := os.Mkdir(path+".tmp", 0o755); err != nil {
		t.Fatal(err)
	}
	db, err = Open(ctx, path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	if fi, err := os.Lstat(path + ".tmp"); err != nil || !fi.IsDir() {
		t.Fatalf("a folder the user made was removed: %v", err)
	}
	os.Remove(path + ".tmp")

	// a link is refused: DuckDB would spill the database's rows where it points
	elsewhere := t.TempDir()
	if err := os.Symlink(elsewhere, path+".tmp"); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(ctx, path, Options{}); !errors.Is(err, ErrTempDir) || !strings.Contains(err.Error(), path+".tmp") {
		t.Fatalf("a link as the spill folder: want ErrTempDir naming it, got %v", err)
	}
	os.Remove(path + ".tmp")
	if err := os.WriteFile(path+".tmp", nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(ctx, path, Options{}); !errors.Is(err, ErrTempDir) {
		t.Fatalf("a file as the spill folder: want ErrTempDir, got %v", err)
	}

	// a spill folder that cannot be made (here under a file; in use, a
	// read-only disk): reading goes on without spilling, writing is refused
	os.Remove(path + ".tmp")
	under := filepath.Join(path, "tmp")
	if _, err := Open(ctx, path, Options{TempDir: under}); err == nil || !strings.Contains(err.Error(), under) {
		t.Fatalf("an unmakeable spill folder for writing: want an error naming it, got %v", err)
	}
	db, err = Open(ctx, path, Options{ReadOnly: true, TempDir: under})
	if err != nil {
		t.Fatalf("read-only with an unmakeable spill folder: %v", err)
	}
	defer db.Close()
	if err := db.SQL().QueryRow(`SELECT current_setting('temp_directory')`).Scan(&tmp); err != nil || tmp != "" {
		t.Fatalf("read-only without a spill folder: temp_directory %q, %v", tmp, err)
	}
}

// Options.AllocatorDecayMS sets jemalloc's decay for the process (Linux);
// -1 leaves it as it is.
func TestAllocatorDecayOption(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("DuckDB has jemalloc on Linux only")
	}
	ctx := context.Background()
	open := func(ms int) {
		t.Helper()
		db, err := Open(ctx, "", Options{AllocatorDecayMS: ms})
		if err != nil {
			t.Fatal(err)
		}
		db.Close()
	}
	t.Cleanup(func() { open(0) })
	open(250)
	if d, m := allocatorDecay(); d != 250 || m != 250 {
		t.Fatalf("AllocatorDecayMS 250: dirty %d, muzzy %d", d, m)
	}
	open(-1)
	if d, m := allocatorDecay(); d != 250 || m != 250 {
		t.Fatalf("AllocatorDecayMS -1 changed the decay to dirty %d, muzzy %d", d, m)
	}
	open(0)
	if d, m := allocatorDecay(); d != 0 || m != 0 {
		t.Fatalf("AllocatorDecayMS 0: dirty %d, muzzy %d", d, m)
	}
}

// Reopen opens the file again under a new memory_limit, with the rest of
// the options (the locked-down access, the spill folder) and the rows kept,
// through the same DB value; an in-memory database is left open as it is.
func TestReopen(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "t.duckdb")
	db, err := Open(ctx, path, Options{MemoryLimit: "256MB"})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.LoadBatch(ctx, testBatch("a.csv", 1, 2, 3), LoadOptions{}); err != nil {
		t.Fatal(err)
	}
	if err := db.Reopen(ctx, "150MB"); err != nil {
		t.Fatal(err)
	}
	setting := func(name string) string {
		var v string
		if err := db.SQL().QueryRow(`SELECT current_setting(` + QuoteString(name) + `)`).Scan(&v); err != nil {
			t.Fatal(err)
		}
		return v
	}
	if got := setting("memory_limit"); !strings.HasPrefix(got, "143") { // 150 MB = 143.0 MiB
		t.Errorf("memory_limit after Reopen(150MB) = %q", got)
	}
	if db.MemoryLimit() != "150MB" {
		t.Errorf("MemoryLimit() = %q", db.MemoryLimit())
	}
	if setting("enable_external_access") != "false" || setting("lock_configuration") != "true" || setting("temp_directory") != path+".tmp" {
		t.Errorf("settings after Reopen: external access %s, locked %s, temp %s",
			setting("enable_external_access"), setting("lock_configuration"), setting("temp_directory"))
	}
	if n, err := db.Facts(ctx); err != nil || n != 3 {
		t.Errorf("facts after Reopen: %d %v", n, err)
	}
	if err := db.Reopen(ctx, ""); err != nil { // the same limit again
		t.Fatal(err)
	}
	if got := setting("memory_limit"); !strings.HasPrefix(got, "143") {
		t.Errorf("memory_limit after Reopen(\"\") = %q", got)
	}

	mem, err := Open(ctx, "", Options{MemoryLimit: "256MB"})
	if err != nil {
		t.Fatal(err)
	}
	defer mem.Close()
	if _, err := mem.LoadBatch(ctx, testBatch("a.csv", 1, 2), LoadOptions{}); err != nil {
		t.Fatal(err)
	}
	if err := mem.Reopen(ctx, "150MB"); err != nil {
		t.Fatal(err)
	}
	if n, err := mem.Facts(ctx); err != nil || n != 2 || mem.MemoryLimit() != "256MB" {
		t.Errorf("in memory, after Reopen: %d facts, %v, limit %s", n, err, mem.MemoryLimit())
	}
}
