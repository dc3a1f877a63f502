package store

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// orderFixture opens a database whose score_points holds n rows, stored in
// the order stored (an ORDER BY clause's terms).
func orderFixture(t *testing.T, n int, stored string) (*DB, string) {
	t.Helper()
	dir := t.TempDir()
	out := filepath.Join(dir, "out")
	db, err := Open(context.Background(), filepath.Join(dir, "t.duckdb"), Options{AllowedDirs: []string{out}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	q := `CREATE TABLE score_points AS
		SELECT ['half', 'month', 'year'][i % 3 + 1] AS period_type,
		       make_date(2019 + (i // 3) % 4, 1, 1) AS period_start,
		       printf('U%06d', i // 48) AS unit_code, printf('c%02d', (i // 12) % 4) AS criterion,
		       'band' AS method, 1.5 AS weight, CAST(i AS DOUBLE) AS input_value, CAST(i % 7 AS DOUBLE) AS points
		FROM range(?) t(i) ORDER BY ` + stored
	if _, err := db.SQL().Exec(q, n); err != nil {
		t.Fatal(err)
	}
	return db, out
}

// parquetKeys returns score_points.parquet's export keys in the file's
// order, read by Arrow (not DuckDB).
func parquetKeys(t *testing.T, path string) []string {
	t.Helper()
	cols, rows := readParquet(t, path)
	var idx []int
	for _, k := range exportKeys["score_points"] {
		i := slices.Index(cols, k)
		if i < 0 {
			t.Fatalf("%s: no column %s in %v", path, k, cols)
		}
		idx = append(idx, i)
	}
	keys := make([]string, len(rows))
	for r, row := range rows {
		var k []string
		for _, i := range idx {
			k = append(k, row[i])
		}
		keys[r] = strings.Join(k, "\x00")
	}
	return keys
}

// The Parquet file is in export order whether or not the table was stored
// in it: stored in order (copied as stored, over several row groups and
// threads) and stored in another order (sorted by the export); either way
// it is the same bytes as the file the export's ORDER BY query writes.
func TestExportParquetKeepsExportOrder(t *testing.T) {
	const n = 300_000 // above DuckDB's 122,880-row row groups
	for _, tc := range []struct {
		stored  string
		ordered bool
	}{
		{"period_type, period_start, unit_code, criterion", true},
		{"hash(i)", false},
		{"unit_code, criterion, period_type, period_start", false},
	} {
		t.Run(tc.stored, func(t *testing.T) {
			db, out := orderFixture(t, n, tc.stored)
			ctx := context.Background()
			tx, err := db.SQL().BeginTx(ctx, nil)
			if err != nil {
				t.Fatal(err)
			}
			ordered, err := storedInOrder(ctx, tx, "score_points", exportKeys["score_points"])
			tx.Rollback()
			if err != nil {
				t.Fatal(err)
			}
			if ordered != tc.ordered {
				t.Errorf("stored by %s: storedInOrder %v, want %v", tc.stored, ordered, tc.ordered)
			}
			files, err := db.ExportParquet(ctx, filepath.Join(out, "parquet"))
			if err != nil {
				t.Fatal(err)
			}
			f := filepath.Join(out, "parquet", "score_points.parquet")
			if !slices.Contains(files, f) {
				t.Fatalf("files %v, want %s", files, f)
			}
			keys := parquetKeys(t, f)
			if len(keys) != n {
				t.Fatalf("%d rows in %s, want %d", len(keys), f, n)
			}
			for i := 1; i < len(keys); i++ {
				if keys[i-1] >= keys[i] {
					t.Fatalf("row %d of %s: key %q after %q, want export order", i, f, keys[i], keys[i-1])
				}
			}
			sorted := filepath.Join(out, "sorted.parquet")
			if _, err := db.SQL().Exec("COPY (" + ExportQueries["score_points"] + ") TO " + QuoteString(sorted) + " (FORMAT parquet, COMPRESSION zstd)"); err != nil {
				t.Fatal(err)
			}
			got, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			want, err := os.ReadFile(sorted)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("%s: %d bytes, not the %d bytes the sorted COPY writes", f, len(got), len(want))
			}
		})
	}
}

// A table in order but for a tie or a missing key is not taken as stored
// in export order: the ORDER BY could order those rows otherwise.
func TestStoredInOrderTiesAndNulls(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		change string
		want   bool
	}{
		{"", true},
		{`INSERT INTO score_points SELECT * FROM score_points WHERE input_value = 999`, false}, // the last key again
		{`UPDATE score_points SET criterion = NULL WHERE input_value = 500`, false},
		{`UPDATE score_points SET period_type = 'a' WHERE input_value = 500`, false},                                       // the first key
		{`UPDATE score_points SET period_start = DATE '2018-01-01' WHERE input_value = 500`, false},                        // a middle one
		{`UPDATE score_points SET criterion = 'c' WHERE input_value = 500`, false},                                         // the last one
		{`UPDATE score_points SET criterion = 'c09' WHERE input_value = 500`, false},                                       // the last, after
		{`UPDATE score_points SET points = -1 WHERE input_value = 500`, true},                                              // no key
		{`DELETE FROM score_points WHERE input_value = 500`, true},                                                         // one row fewer
		{`UPDATE score_points SET unit_code = unit_code || 'x' WHERE rowid = (SELECT max(rowid) FROM score_points)`, true}, // the last row, later
		{`UPDATE score_points SET period_type = 'a' WHERE rowid = (SELECT max(rowid) FROM score_points)`, false},           // the last row, first
	} {
		db, _ := orderFixture(t, 1000, "period_type, period_start, unit_code, criterion")
		if tc.change != "" {
			if _, err := db.SQL().Exec(tc.change); err != nil {
				t.Fatal(err)
			}
		}
		tx, err := db.SQL().BeginTx(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		got, err := storedInOrder(ctx, tx, "score_points", exportKeys["score_points"])
		tx.Rollback()
		if err != nil {
			t.Fatal(err)
		}
		if got != tc.want {
			t.Errorf("after %q: storedInOrder %v, want %v", tc.change, got, tc.want)
		}
	}
}
