package store

import (
	"context"
	"fmt"

	"github.com/thidua/thidua"
)

// popValuesSQL reads every unit row of indicator_pop with only the columns
// thidua.PopQuery.Shape keeps (a unit row's is_cluster is false), each
// read as popColumns reads it (popExpr: a NULL complete is complete).
var popValuesSQL = "SELECT " + popExpr("unit_code") + ", " + popExpr("indicator_code") + ", " + popExpr("period") + ", " +
	popExpr("period_type") + ", CAST(" + popExpr("value") + " AS DOUBLE) AS value, " + popExpr("complete") + " AS complete" +
	" FROM indicator_pop WHERE NOT " + popExpr("is_cluster")

// EachPopValue passes every unit row of indicator_pop to fn as
// thidua.PopQuery.Shape keeps it (unit, indicator, period, value, complete),
// in no particular order: the rows EachPopRows gives for
// PopQuery{Whole: []Period{}}, without a PopRow each (a site rendered over
// an earlier one holds them, dashboards.overRows: at 150 units × 35
// indicators × 111 periods the PopRows of that query cost 1.3 CPU-s, most
// of it DuckDB making and converting 25 columns of NULLs). A missing
// indicator_pop has no rows.
func (db *DB) EachPopValue(ctx context.Context, fn func(unit, indicator string, p thidua.Period, v thidua.Num, complete bool) error) error {
	if ok, err := db.tableExists(ctx, "indicator_pop"); err != nil || !ok {
		return err
	}
	if err := db.popValues(ctx, fn); err != nil {
		return fmt.Errorf("store: indicator_pop values: %w", err)
	}
	return nil
}

// popValuesScan is popValues with database/sql's Scan (without the
// duckdb_arrow build tag).
func (db *DB) popValuesScan(ctx context.Context, fn func(unit, indicator string, p thidua.Period, v thidua.Num, complete bool) error) error {
	rows, err := db.sql.QueryContext(ctx, popValuesSQL)
	if err != nil {
		return err
	}
	periods, texts := periodCache{}, map[string]string{}
	intern := func(s string) string {
		if t, ok := texts[s]; ok {
			return t
		}
		texts[s] = s
		return s
	}
	for rows.Next() {
		var unit, ind, label, typ string
		var v numCol
		var complete bool
		if err := rows.Scan(&unit, &ind, &label, &typ, &v, &complete); err != nil {
			rows.Close()
			return err
		}
		p, err := periods.get(label, typ)
		if err != nil {
			rows.Close()
			return fmt.Errorf("unit %s indicator %s: %w", unit, ind, err)
		}
		if err := fn(intern(unit), intern(ind), p, thidua.Num(v), complete); err != nil {
			rows.Close()
			return err
		}
	}
	return closeRows(rows)
}
