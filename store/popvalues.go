package store

import (
	"context"
	"fmt"
	"strings"

	"github.com/thidua/thidua"
)

// popValuesSQL reads every unit row of indicator_pop with only the columns
// thidua.PopQuery.Shape keeps (a unit row's is_cluster is false), each
// read as popColumns reads it (popExpr: a NULL complete is complete).
var popValuesSQL = "SELECT " + popExpr("unit_code") + ", " + popExpr("indicator_code") + ", " + popExpr("period") + ", " +
	popExpr("period_type") + ", CAST(" + popExpr("value") + " AS DOUBLE) AS value, " + popExpr("complete") + " AS complete" +
	" FROM indicator_pop WHERE NOT " + popExpr("is_cluster")

// popValuesQuery is popValuesSQL narrowed by the conditions conds ("" for
// none, else "AND …").
func popValuesQuery(conds string) string { return popValuesSQL + conds }

// EachPopValue passes every unit row of indicator_pop to fn as
// thidua.PopQuery.Shape keeps it (unit, indicator, period, value, complete),
// in no particular order: the rows EachPopRows gives for
// PopQuery{Whole: []Period{}}, without a PopRow each (a site rendered over
// an earlier one holds them, dashboards.overRows: at 150 units × 35
// indicators × 111 periods the PopRows of that query cost 1.3 CPU-s, most
// of it DuckDB making and converting 25 columns of NULLs). A missing
// indicator_pop has no rows.
func (db *DB) EachPopValue(ctx context.Context, fn func(unit, indicator string, p thidua.Period, v thidua.Num, complete bool) error) error {
	return db.EachPopValueOf(ctx, thidua.PopQuery{}, fn)
}

// EachPopValueOf passes the unit rows q selects (by its Indicators, Units
// and Periods; its Whole, Fields and ByUnit play no part) to fn as
// EachPopValue does, in no particular order: the rows EachPopRows gives
// with q.Whole empty (every row shaped), without a PopRow each (the
// dashboards read an indicator's values over every period so, 56,000 rows
// an indicator at 700 units × 9 indicators × 48 months).
func (db *DB) EachPopValueOf(ctx context.Context, q thidua.PopQuery, fn func(unit, indicator string, p thidua.Period, v thidua.Num, complete bool) error) error {
	if ok, err := db.tableExists(ctx, "indicator_pop"); err != nil || !ok {
		return err
	}
	conds, args, none := popConds(q)
	if none {
		return nil
	}
	if err := db.popValues(ctx, popValuesQuery(strings.Join(append([]string{""}, conds[1:]...), " AND ")), args, fn); err != nil {
		return fmt.Errorf("store: indicator_pop values: %w", err)
	}
	return nil
}

// popValuesScan is popValues with database/sql's Scan (without the
// duckdb_arrow build tag).
func (db *DB) popValuesScan(ctx context.Context, query string, args []any, fn func(unit, indicator string, p thidua.Period, v thidua.Num, complete bool) error) error {
	rows, err := db.sql.QueryContext(ctx, query, args...)
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
