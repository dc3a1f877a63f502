//go:build duckdb_arrow

package store

import (
	"context"
	"database/sql/driver"
	"fmt"

	"github.com/apache/arrow-go/v18/arrow/array"
	duckdb "github.com/duckdb/duckdb-go/v2"

	"github.com/thidua/thidua"
)

// popValues reads EachPopValue's rows through DuckDB's Arrow interface, a
// column of a record batch at a time (as popRows).
func (db *DB) popValues(ctx context.Context, query string, args []any, fn func(unit, indicator string, p thidua.Period, v thidua.Num, complete bool) error) error {
	conn, err := db.sql.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	return conn.Raw(func(dc any) error {
		ar, err := duckdb.NewArrowFromConn(dc.(driver.Conn))
		if err != nil {
			return err
		}
		rd, err := ar.QueryContext(ctx, query, args...)
		if err != nil {
			return err
		}
		defer rd.Release()
		pr := popReader{periods: periodCache{}, texts: map[string]string{}}
		var tcs [4]textCol
		for rd.Next() {
			rec := rd.RecordBatch()
			if rec.NumCols() != 6 {
				return fmt.Errorf("%d columns, want 6", rec.NumCols())
			}
			var strs [4]stringArray
			for c := range strs {
				a, ok := rec.Column(c).(stringArray)
				if !ok {
					return fmt.Errorf("column %d: text: cannot read %s", c, rec.Column(c).DataType())
				}
				strs[c] = a
			}
			vals, ok1 := rec.Column(4).(*array.Float64)
			comp, ok2 := rec.Column(5).(*array.Boolean)
			if !ok1 || !ok2 {
				return fmt.Errorf("value, complete: cannot read %s, %s", rec.Column(4).DataType(), rec.Column(5).DataType())
			}
			str := func(c, i int) string {
				if strs[c].IsNull(i) {
					return ""
				}
				return tcs[c].text(&pr, strs[c].Value(i))
			}
			for i := range int(rec.NumRows()) {
				unit, ind := str(0, i), str(1, i)
				p, err := pr.periodOf(str(2, i), str(3, i))
				if err != nil {
					return fmt.Errorf("unit %s indicator %s: %w", unit, ind, err)
				}
				var v thidua.Num
				if !vals.IsNull(i) {
					v = thidua.Some(vals.Value(i))
				}
				if err := fn(unit, ind, p, v, !comp.IsNull(i) && comp.Value(i)); err != nil {
					return err
				}
			}
		}
		return rd.Err()
	})
}
