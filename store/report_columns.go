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
	name string
	expr string // the select expression; "" reads the column as it is
	dest func(s *popScan) any
}

// popScan is one row being read: the PopRow and the two columns that
// become its Period.
type popScan struct {
	row        thidua.PopRow
	label, typ string
}

var popColumns = []popColumn{
	{"unit_code", "", func(s *popScan) any { return (*strCol)(&s.row.Unit) }},
	{"unit_name", "", func(s *popScan) any { return (*strCol)(&s.row.UnitName) }},
	{"indicator_code", "", func(s *popScan) any { return (*strCol)(&s.row.Indicator) }},
	{"indicator_name", "", func(s *popScan) any { return (*strCol)(&s.row.IndicatorName) }},
	{"period", "", func(s *popScan) any { return (*strCol)(&s.label) }},
	{"period_type", "", func(s *popScan) any { return (*strCol)(&s.typ) }},
	{"value", "", func(s *popScan) any { return (*numCol)(&s.row.Value) }},
	{"prev_value", "", func(s *popScan) any { return (*numCol)(&s.row.PrevValue) }},
	{"change_prev", "", func(s *popScan) any { return (*numCol)(&s.row.ChangePrev) }},
	{"pct_change_prev", "", func(s *popScan) any { return (*numCol)(&s.row.PctChangePrev) }},
	{"yoy_value", "", func(s *popScan) any { return (*numCol)(&s.row.YoYValue) }},
	{"change_yoy", "", func(s *popScan) any { return (*numCol)(&s.row.ChangeYoY) }},
	{"pct_change_yoy", "", func(s *popScan) any { return (*numCol)(&s.row.PctChangeYoY) }},
	{"ytd_value", "", func(s *popScan) any { return (*numCol)(&s.row.YTDValue) }},
	{"target", "", func(s *popScan) any { return (*numCol)(&s.row.Target) }},
	{"pct_of_target", "", func(s *popScan) any { return (*numCol)(&s.row.PctOfTarget) }},
	{"rank_value", "", func(s *popScan) any { return (*intCol)(&s.row.RankValue) }},
	{"rank_target", "", func(s *popScan) any { return (*intCol)(&s.row.RankTarget) }},
	{"cluster_total", "", func(s *popScan) any { return (*numCol)(&s.row.ClusterTotal) }},
	{"cluster_mean", "", func(s *popScan) any { return (*numCol)(&s.row.ClusterMean) }},
	{"share_of_cluster", "", func(s *popScan) any { return (*numCol)(&s.row.Share) }},
	{"is_cluster", "coalesce(is_cluster, false)", func(s *popScan) any { return &s.row.IsCluster }},
	{"complete", "coalesce(complete, true)", func(s *popScan) any { return &s.row.Complete }},
	{"months_expected", "", func(s *popScan) any { return (*intCol)(&s.row.MonthsExpected) }},
	{"months_reported", "", func(s *popScan) any { return (*intCol)(&s.row.MonthsReported) }},
	{"units_reported", "", func(s *popScan) any { return (*intCol)(&s.row.UnitsReported) }},
	{"units_expected", "", func(s *popScan) any { return (*intCol)(&s.row.UnitsExpected) }},
	{"units_ranked", "", func(s *popScan) any { return (*intCol)(&s.row.UnitsRanked) }},
	{"value_partial", "", func(s *popScan) any { return (*numCol)(&s.row.ValuePartial) }},
	{"value_source", "", func(s *popScan) any { return (*strCol)(&s.row.ValueSource) }},
	{"achievement", "", func(s *popScan) any { return (*numCol)(&s.row.Achievement) }},
	{"status", "", func(s *popScan) any { return (*strCol)(&s.row.Status) }},
	{"yoy_trend", "", func(s *popScan) any { return (*strCol)(&s.row.YoYTrend) }},
}

// popUnread are the declared indicator_pop columns the report does not
// read, and why.
var popUnread = map[string]string{
	"period_start": "the Period parsed from period and period_type gives it",
	"period_end":   "the Period parsed from period and period_type gives it",
}

// popSelect is the select list of popColumns, and the destinations of one
// row read into s.
func popSelect(s *popScan) (string, []any) {
	exprs := make([]string, len(popColumns))
	dests := make([]any, len(popColumns))
	for i, c := range popColumns {
		exprs[i] = QuoteIdent(c.name)
		if c.expr != "" {
			exprs[i] = c.expr + " AS " + QuoteIdent(c.name)
		}
		dests[i] = c.dest(s)
	}
	return strings.Join(exprs, ", "), dests
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
