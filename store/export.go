package store

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
)

// ExportQueries are the queries behind each exported table, by file stem.
// observations carries each fact with its load's provenance.
var ExportQueries = map[string]string{
	"observations": `SELECT o.unit_code, u.name AS unit_name, o.indicator_code, i.name AS indicator_name,
		o.period, o.period_type, make_date(o.year, o.first_month, 1) AS period_start,
		last_day(make_date(o.year, o.last_month, 1)) AS period_end, o.basis, o.value,
		o.load_id, l.name AS source_file, l.sha256 AS source_sha256, l.loaded_at, o.source AS source_pos,
		o.first_load_id
		FROM observations o
		JOIN loads l USING (load_id)
		LEFT JOIN units u ON u.code = o.unit_code
		LEFT JOIN indicators i ON i.code = o.indicator_code
		ORDER BY o.unit_code, o.indicator_code, o.year, o.first_month, o.last_month, o.basis`,
	"indicator_pop": `SELECT * FROM indicator_pop ORDER BY indicator_code, period_type, period_start, unit_code`,
	"scores":        `SELECT * FROM scores ORDER BY period_type, period_start, rank, unit_code`,
	"score_points":  `SELECT * FROM score_points ORDER BY period_type, period_start, unit_code, criterion`,
	"quality":       `SELECT * FROM quality ORDER BY check_name, unit_code, indicator_code, period`,
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
		q := fmt.Sprintf("COPY (%s) TO %s (FORMAT parquet, COMPRESSION zstd)", ExportQueries[name], QuoteString(abs))
		if _, err := db.sql.ExecContext(ctx, q); err != nil {
			return files, fmt.Errorf("store: export %s to %s: %w", name, abs, err)
		}
		files = append(files, abs)
	}
	return files, nil
}

func (db *DB) tableExists(ctx context.Context, name string) (bool, error) {
	var n int
	err := db.sql.QueryRowContext(ctx, `SELECT count(*) FROM duckdb_tables() WHERE table_name = ? AND NOT temporary`, name).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("store: table %s: %w", name, err)
	}
	return n > 0, nil
}
