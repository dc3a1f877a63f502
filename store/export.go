package store

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// ExportQueries are the queries behind each exported table, by file stem.
// observations carries each fact with its load's provenance.
var ExportQueries = map[string]string{
	"observations":  observationsExport(""),
	"indicator_pop": wholeTable("indicator_pop"),
	"scores":        wholeTable("scores"),
	"score_points":  wholeTable("score_points"),
	"quality":       wholeTable("quality"),
}

// observationsExport is the export query of observations, its facts
// filtered by where ("" or a WHERE clause on o's columns).
func observationsExport(where string) string {
	return `SELECT o.unit_code, u.name AS unit_name, o.indicator_code, i.name AS indicator_name,
		o.period, o.period_type, make_date(o.year, o.first_month, 1) AS period_start,
		last_day(make_date(o.year, o.last_month, 1)) AS period_end, o.basis, o.value,
		o.load_id, l.name AS source_file, l.sha256 AS source_sha256, l.loaded_at, o.source AS source_pos,
		o.first_load_id
		FROM observations o
		JOIN loads l USING (load_id)
		LEFT JOIN units u ON u.code = o.unit_code
		LEFT JOIN indicators i ON i.code = o.indicator_code
		` + where + `
		ORDER BY o.unit_code, o.indicator_code, o.year, o.first_month, o.last_month, o.basis`
}

// exportYears is the export query of the table name (one with
// period_start) reading only the rows
// whose period_start is in one of the years ys (integers), in the same
// order: observations only those years' facts, a table exported whole only
// a range of period_start, which DuckDB's zone maps narrow to the row
// groups holding it (a new month's rows are the table's last ones). A
// partitioned export writing a new month's partitions sorted all of
// observations and indicator_pop for them (≈ 0.15 and 0.11 CPU-s at 150
// units × 30 indicators × 61 months). "" when there is no such query.
func exportYears(name string, ys []int) string {
	if len(ys) == 0 {
		return ""
	}
	var in, ranges []string
	for _, y := range ys {
		in = append(in, strconv.Itoa(y))
		ranges = append(ranges, fmt.Sprintf("(period_start >= DATE '%04d-01-01' AND period_start < DATE '%04d-01-01')", y, y+1))
	}
	switch {
	case name == "observations" && ExportQueries[name] == observationsExport(""):
		return observationsExport("WHERE o.year IN (" + strings.Join(in, ", ") + ")")
	case exportKeys[name] != nil && ExportQueries[name] == wholeTable(name) && ys[0] >= 1 && ys[len(ys)-1] <= 9998:
		return "SELECT * FROM " + QuoteIdent(name) + " WHERE " + strings.Join(ranges, " OR ") +
			" ORDER BY " + quoteIdents(exportKeys[name])
	}
	return ""
}

// exportKeys are, for the tables exported whole from one table, the
// columns their export is ordered by (ExportQueries' ORDER BY).
var exportKeys = map[string][]string{
	"indicator_pop": {"indicator_code", "period_type", "period_start", "unit_code"},
	"scores":        {"period_type", "period_start", "rank", "unit_code"},
	"score_points":  {"period_type", "period_start", "unit_code", "criterion"},
	"quality":       {"check_name", "unit_code", "indicator_code", "period"},
}

// wholeTable is the export query of a table exported whole, in the order
// of its exportKeys.
func wholeTable(name string) string {
	return "SELECT * FROM " + QuoteIdent(name) + " ORDER BY " + quoteIdents(exportKeys[name])
}

func quoteIdents(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = QuoteIdent(n)
	}
	return strings.Join(q, ", ")
}

// ExportOrder is the order the tables are exported in.
var ExportOrder = []string{"observations", "indicator_pop", "scores", "score_points", "quality"}

// ExportParquet writes each table of ExportOrder that exists to dir/NAME.parquet
// with zstd compression. dir must be one of the allowed folders.
func (db *DB) ExportParquet(ctx context.Context, dir string) ([]string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("store: export: %w", err)
	}
	var files []string
	for _, name := range ExportOrder {
		if ok, err := db.tableExists(ctx, name); err != nil {
			return files, err
		} else if !ok {
			continue
		}
		abs, err := filepath.Abs(filepath.Join(dir, name+".parquet"))
		if err != nil {
			return files, err
		}
		if err := db.copyParquet(ctx, name, abs); err != nil {
			return files, fmt.Errorf("store: export %s to %s: %w", name, abs, err)
		}
		files = append(files, abs)
	}
	return files, nil
}

// copyParquet writes table name's export rows to path. A table exported
// whole whose rows are already stored in its export order (the transform
// writes them so) is copied without the ORDER BY, which was half the
// export's time: COPY keeps a single table's stored order (DuckDB's
// preserve_insertion_order, set by Open). Whether it is in that order is
// read in the same transaction as the copy, by one streaming pass over its
// keys: every row's key strictly after the previous row's (no ties, no
// missing key), so the stored order is the only order the ORDER BY could
// give and the file is the same either way.
func (db *DB) copyParquet(ctx context.Context, name, path string) error {
	const opts = "(FORMAT parquet, COMPRESSION zstd)"
	keys, whole := exportKeys[name]
	if !whole {
		_, err := db.sql.ExecContext(ctx, fmt.Sprintf("COPY (%s) TO %s %s", ExportQueries[name], QuoteString(path), opts))
		return err
	}
	tx, err := db.sql.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	ordered, err := storedInOrder(ctx, tx, name, keys)
	if err != nil {
		return err
	}
	q := ExportQueries[name]
	if ordered {
		q = "SELECT * FROM " + QuoteIdent(name)
	}
	if _, err := tx.ExecContext(ctx, fmt.Sprintf("COPY (%s) TO %s %s", q, QuoteString(path), opts)); err != nil {
		return err
	}
	return tx.Commit()
}

// InExportOrder tells whether table name is one exported whole whose rows
// are stored strictly in its export order, so that ExportParquet copies it
// without sorting (the transform writes them so after a full rebuild).
func (db *DB) InExportOrder(ctx context.Context, name string) (bool, error) {
	keys, whole := exportKeys[name]
	if !whole {
		return false, nil
	}
	tx, err := db.sql.BeginTx(ctx, nil)
	if err != nil {
		return false, err
	}
	defer tx.Rollback()
	return storedInOrder(ctx, tx, name, keys)
}

// storedInOrder tells whether table name's rows are stored in strictly
// increasing order of keys, none of them NULL.
func storedInOrder(ctx context.Context, tx *sql.Tx, name string, keys []string) (bool, error) {
	var nulls []string
	for _, k := range keys {
		nulls = append(nulls, QuoteIdent(k)+" IS NULL")
	}
	// LAG over the empty window runs as DuckDB's streaming window: one
	// pass over the key columns in stored order.
	q := fmt.Sprintf(`SELECT count(*) FROM (
		SELECT row(%s) AS k, lag(k) OVER () AS p, %s AS missing FROM %s)
		WHERE missing OR (p IS NOT NULL AND NOT p < k)`,
		quoteIdents(keys), strings.Join(nulls, " OR "), QuoteIdent(name))
	var bad int64
	if err := tx.QueryRowContext(ctx, q).Scan(&bad); err != nil {
		return false, fmt.Errorf("order check: %w", err)
	}
	return bad == 0, nil
}

func (db *DB) tableExists(ctx context.Context, name string) (bool, error) {
	var n int
	err := db.sql.QueryRowContext(ctx, `SELECT count(*) FROM duckdb_tables() WHERE table_name = ? AND NOT temporary`, name).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("store: table %s: %w", name, err)
	}
	return n > 0, nil
}
