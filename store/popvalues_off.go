//go:build !duckdb_arrow

package store

import (
	"context"

	"github.com/thidua/thidua"
)

// popValues reads EachPopValue's rows with database/sql's Scan
// (popValuesScan): the build has no Arrow reader.
func (db *DB) popValues(ctx context.Context, query string, args []any, fn func(unit, indicator string, p thidua.Period, v thidua.Num, complete bool) error) error {
	return db.popValuesScan(ctx, query, args, fn)
}
