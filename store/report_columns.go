package store

import (
	"fmt"
	"strings"

	"github.com/thidua/thidua"
)

// popColumn binds one indicator_pop column, by name, to where the report
// puts it. The select list is built from the names, so the reader follows
// the table's declaration (thidua.OutputTables), not column positions; a
// test checks the names against it both ways.
type popColumn struct {
	name  string
	field thidua.PopField // the PopRow field it fills; 0: one of thidua.PopKeyFields
	expr  string          // the select expression; "" reads the column as it is
	dest  func(s *popScan) any
}

// popScan is one row being read: the PopRow and the two columns that
// become its Period.
type popScan struct {
	row        thidua.PopRow
	label, typ string
}

var popColumns = []popColumn{
	{"unit_code", 0, "", func(s *popScan) any { return (*strCol)(&s.row.Unit) }},
	{"unit_name", thidua.PopUnitName, "", func(s *popScan) any { return (*strCol)(&s.row.UnitName) }},
	{"indicator_code", 0, "", func(s *popScan) any { return (*strCol)(&s.row.Indicator) }},
	{"indicator_name", thidua.PopIndicatorName, "", func(s *popScan) any { return (*strCol)(&s.row.IndicatorName) }},
	{"period", 0, "", func(s *popScan) any { return (*strCol)(&s.label) }},
	{"period_type", 0, "", func(s *popScan) any { return (*strCol)(&s.typ) }},
	{"value", 0, "", func(s *popScan) any { return (*numCol)(&s.row.Value) }},
	{"prev_value", thidua.PopPrevValue, "", func(s *popScan) any { return (*numCol)(&s.row.PrevValue) }},
	{"change_prev", thidua.PopChangePrev, "", func(s *popScan) any { return (*numCol)(&s.row.ChangePrev) }},
	{"pct_change_prev", thidua.PopPctChangePrev, "", func(s *popScan) any { return (*numCol)(&s.row.PctChangePrev) }},
	{"yoy_value", thidua.PopYoYValue, "", func(s *popScan) any { return (*numCol)(&s.row.YoYValue) }},
	{"change_yoy", thidua.PopChangeYoY, "", func(s *popScan) any { return (*numCol)(&s.row.ChangeYoY) }},
	{"pct_change_yoy", thidua.PopPctChangeYoY, "", func(s *popScan) any { return (*numCol)(&s.row.PctChangeYoY) }},
	{"ytd_value", thidua.PopYTDValue, "", func(s *popScan) any { return (*numCol)(&s.row.YTDValue) }},
	{"target", thidua.PopTarget, "", func(s *popScan) any { return (*numCol)(&s.row.Target) }},
	{"pct_of_target", thidua.PopPctOfTarget, "", func(s *popScan) any { return (*numCol)(&s.row.PctOfTarget) }},
	{"rank_value", thidua.PopRankValue, "", func(s *popScan) any { return (*intCol)(&s.row.RankValue) }},
	{"rank_target", thidua.PopRankTarget, "", func(s *popScan) any { return (*intCol)(&s.row.RankTarget) }},
	{"cluster_total", thidua.PopClusterTotal, "", func(s *popScan) any { return (*numCol)(&s.row.ClusterTotal) }},
	{"cluster_mean", thidua.PopClusterMean, "", func(s *popScan) any { return (*numCol)(&s.row.ClusterMean) }},
	{"share_of_cluster", thidua.PopShare, "", func(s *popScan) any { return (*numCol)(&s.row.Share) }},
	{"is_cluster", 0, "coalesce(is_cluster, false)", func(s *popScan) any { return &s.row.IsCluster }},
	{"complete", 0, "coalesce(complete, true)", func(s *popScan) any { return &s.row.Complete }},
	{"months_expected", thidua.PopMonthsExpected, "", func(s *popScan) any { return (*intCol)(&s.row.MonthsExpected) }},
	{"months_reported", thidua.PopMonthsReported, "", func(s *popScan) any { return (*intCol)(&s.row.MonthsReported) }},
	{"units_reported", thidua.PopUnitsReported, "", func(s *popScan) any { return (*intCol)(&s.row.UnitsReported) }},
	{"units_expected", thidua.PopUnitsExpected, "", func(s *popScan) any { return (*intCol)(&s.row.UnitsExpected) }},
	{"units_ranked", thidua.PopUnitsRanked, "", func(s *popScan) any { return (*intCol)(&s.row.UnitsRanked) }},
	{"value_partial", thidua.PopValuePartial, "", func(s *popScan) any { return (*numCol)(&s.row.ValuePartial) }},
	{"value_source", thidua.PopValueSource, "", func(s *popScan) any { return (*strCol)(&s.row.ValueSource) }},
	{"achievement", thidua.PopAchievement, "", func(s *popScan) any { return (*numCol)(&s.row.Achievement) }},
	{"status", thidua.PopStatus, "", func(s *popScan) any { return (*strCol)(&s.row.Status) }},
	{"yoy_trend", thidua.PopYoYTrend, "", func(s *popScan) any { return (*strCol)(&s.row.YoYTrend) }},
}

// popExpr is how every reader reads the indicator_pop column name: its
// popColumns expression, or the column as it is. It panics on a name
// popColumns does not have (a programming error, caught by any test that
// reads).
func popExpr(name string) string {
	for _, c := range popColumns {
		if c.name == name {
			if c.expr != "" {
				return c.expr
			}
			return QuoteIdent(c.name)
		}
	}
	panic("store: indicator_pop has no column " + name + " in popColumns")
}

// popUnread are the declared indicator_pop columns the report does not
// read, and why.
var popUnread = map[string]string{
	"period_start": "the Period parsed from period and period_type gives it",
	"period_end":   "the Period parsed from period and period_type gives it",
}

// popShaped are the columns read for every row of a read of some periods
// whole (thidua.PopQuery.Whole): the fields thidua.PopQuery.Shape keeps
// (TestPopRows checks that both make the same rows). The other
// columns are NULL in the rows of the other periods.
var popShaped = map[string]bool{"unit_code": true, "indicator_code": true, "period": true, "period_type": true,
	"value": true, "is_cluster": true, "complete": true}

// popCols are the popColumns a read reads: with fields (of
// thidua.PopQuery.Fields; 0: every one) only the columns of those fields
// and the keys'; with units only unit rows (is_cluster, false on each,
// is not read); with shaped only the columns of popShaped (every row
// shaped, thidua.PopQuery.Shape).
func popCols(fields thidua.PopField, units, shaped bool) []popColumn {
	var out []popColumn
	for _, c := range popColumns {
		switch {
		case units && c.name == "is_cluster":
		case shaped && !popShaped[c.name]:
		case c.field == 0 || fields == 0 || fields.Has(c.field):
			out = append(out, c)
		}
	}
	return out
}

// popOrdering is an order of the rows other than popOrder: the rows q of
// the query joined with join ("… ON …", with its parameters args), by by.
type popOrdering struct {
	join, by string
	args     []any
}

// anyOrder is no order: the rows as DuckDB reads them, not sorted.
var anyOrder = &popOrdering{}

// sorted is query (its parameters args) with its rows in o's order.
func (o *popOrdering) sorted(query string, args []any) (string, []any) {
	if o.by == "" {
		return query, args
	}
	return "SELECT q.* FROM (" + query + ") q JOIN " + o.join + " ORDER BY " + o.by, append(append([]any{}, args...), o.args...)
}

// popSQL is the query that reads the indicator_pop rows where selects
// (where: "" or "WHERE …", with its parameters args), each column c of
// cols (of popColumns) as sel(c, false) gives it ("… AS name"), and the query's
// parameters. The rows come in the order of popOrder, or of order when not
// nil (anyOrder: none), except with whole (an SQL condition on a row, "" for every row; its
// parameters wargs): then the rows it does not hold come as
// thidua.PopQuery.Shape makes them (only the columns of popShaped are
// read, the others are sel(c, true), a NULL, which DuckDB never scans: a
// second query, UNION ALL), and no rows are sorted unless by order (a site
// rendered over an earlier one places rows by key; the sort was half of
// such a read's CPU).
func popSQL(cols []popColumn, sel func(c popColumn, null bool) string, where string, args []any, whole string, wargs []any, order *popOrdering) (string, []any) {
	list := func(shaped bool) string {
		out := make([]string, len(cols))
		for i, c := range cols {
			out[i] = sel(c, shaped && !popShaped[c.name])
		}
		return strings.Join(out, ", ")
	}
	if whole == "" {
		if order != nil {
			return order.sorted("SELECT "+list(false)+" FROM indicator_pop "+where, args)
		}
		return "SELECT " + list(false) + " FROM indicator_pop " + where + popOrder, args
	}
	and := func(cond string) string {
		if where == "" {
			return "WHERE " + cond
		}
		return where + " AND " + cond
	}
	q := "SELECT " + list(false) + " FROM indicator_pop " + and("coalesce(("+whole+"), false)") +
		" UNION ALL SELECT " + list(true) + " FROM indicator_pop " + and("NOT coalesce(("+whole+"), false)")
	all := append(append(append(append([]any{}, args...), wargs...), args...), wargs...)
	if order != nil {
		return order.sorted(q, all)
	}
	return q, all
}

// popSelect is the destinations of one row read into s, one a column of
// cols, and sel for popSQL: the column read as it is.
func popSelect(s *popScan, cols []popColumn) ([]any, func(c popColumn, null bool) string) {
	dests := make([]any, len(cols))
	for i, c := range cols {
		dests[i] = c.dest(s)
	}
	return dests, func(c popColumn, null bool) string {
		e := popExpr(c.name)
		if null {
			e = "NULL"
		}
		return e + " AS " + QuoteIdent(c.name)
	}
}

// numCol scans a nullable number of any numeric type into a thidua.Num.
type numCol thidua.Num

func (n *numCol) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		*n = numCol{}
	case float64:
		*n = numCol(thidua.Some(v))
	case float32:
		*n = numCol(thidua.Some(float64(v)))
	case int64:
		*n = numCol(thidua.Some(float64(v)))
	case int32:
		*n = numCol(thidua.Some(float64(v)))
	default:
		return fmt.Errorf("a number: cannot read %T", src)
	}
	return nil
}

// intCol scans a nullable integer into an int (NULL reads as 0: not ranked,
// none reported).
type intCol int

func (n *intCol) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		*n = 0
	case int64:
		*n = intCol(v)
	case int32:
		*n = intCol(v)
	case int16:
		*n = intCol(v)
	case int8:
		*n = intCol(v)
	default:
		return fmt.Errorf("an integer: cannot read %T", src)
	}
	return nil
}

// strCol scans nullable text into a string type (NULL reads as "").
type strCol string

func (t *strCol) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		*t = ""
	case string:
		*t = strCol(v)
	case []byte:
		*t = strCol(v)
	default:
		return fmt.Errorf("text: cannot read %T", src)
	}
	return nil
}
