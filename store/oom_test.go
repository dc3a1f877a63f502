package store

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"testing"
)

// A statement that needs more than memory_limit fails with DuckDB's
// out-of-memory error, which IsOutOfMemory tells through wrapping; the
// same statement under a larger limit runs, and other errors are not it.
func TestIsOutOfMemory(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "t.duckdb"), Options{MemoryLimit: "8MB"})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	// A list aggregate is held whole in memory (it cannot spill): ≈ 40 MB.
	const big = `SELECT len(list(i)) FROM range(5000000) t(i)`
	var n int64
	err = db.SQL().QueryRowContext(ctx, big).Scan(&n)
	if err == nil {
		t.Fatal("a 40 MB list under memory_limit 8MB did not fail")
	}
	if !IsOutOfMemory(fmt.Errorf("step 100_quality: %w", err)) {
		t.Fatalf("IsOutOfMemory(%v) = false", err)
	}
	if err := db.Reopen(ctx, "512MB"); err != nil {
		t.Fatal(err)
	}
	if err := db.SQL().QueryRowContext(ctx, big).Scan(&n); err != nil || n != 5000000 {
		t.Fatalf("under 512MB: %d, %v", n, err)
	}
	_, err = db.SQL().ExecContext(ctx, `SELECT * FROM no_such_table`)
	if err == nil || IsOutOfMemory(err) {
		t.Errorf("a missing table: IsOutOfMemory(%v) = true", err)
	}
	if IsOutOfMemory(nil) || IsOutOfMemory(errors.New("Out of Memory Error: words alone")) {
		t.Error("IsOutOfMemory is true for nil or for an error that only says so in its text")
	}
}
