//go:build !duckdb_arrow

package store

import (
	"context"

	"github.com/thidua/thidua"
)

// popRows reads the indicator_pop rows where selects (whole: see popSQL).
// Without the duckdb_arrow build tag it is database/sql's Scan
// (popRowsScan).
func (db *DB) popRows(ctx context.Context, cols []popColumn, where string, args []any, whole string, wargs []any, order *popOrdering, fn func([]thidua.PopRow) error) error {
	return db.popRowsScan(ctx, cols, where, args, whole, wargs, order, fn)
}
