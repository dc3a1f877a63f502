//go:build duckdb_arrow

package store

import (
	"context"
	"database/sql/driver"
	"fmt"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	duckdb "github.com/duckdb/duckdb-go/v2"

	"github.com/thidua/thidua"
)

// popRows reads the indicator_pop rows where selects, as popRowsScan does
// (fn is given each record batch's rows as it is read, and may keep them),
// through DuckDB's Arrow interface: a column of a record batch at a time
// instead of database/sql's Scan of every value of every row (at 700 units
// × 9 indicators × 48 months the dashboards read 1.5 million rows, and
// Scan was a third of their CPU).
func (db *DB) popRows(ctx context.Context, cols []popColumn, where string, args []any, whole string, wargs []any, order *popOrdering, fn func([]thidua.PopRow) error) error {
	var s popScan
	dests, _ := popSelect(&s, cols)
	typ := make(map[string]string, len(cols))
	for i, c := range cols {
		// Each column as the one Arrow type its destination reads.
		switch dests[i].(type) {
		case *numCol:
			typ[c.name] = "DOUBLE"
		case *intCol:
			typ[c.name] = "BIGINT"
		case *strCol:
			typ[c.name] = "VARCHAR"
		case *bool:
			typ[c.name] = "BOOLEAN"
		default:
			return fmt.Errorf("store: indicator_pop column %s: no Arrow reader for %T", c.name, dests[i])
		}
	}
	query, args := popSQL(cols, func(c popColumn, null bool) string {
		e := popExpr(c.name)
		if null {
			e = "NULL"
		}
		return "CAST(" + e + " AS " + typ[c.name] + ") AS " + QuoteIdent(c.name)
	}, where, args, whole, wargs, order)
	conn, err := db.sql.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	err = conn.Raw(func(dc any) error {
		ar, err := duckdb.NewArrowFromConn(dc.(driver.Conn))
		if err != nil {
			return err
		}
		rd, err := ar.QueryContext(ctx, query, args...)
		if err != nil {
			return err
		}
		defer rd.Release()
		pr := popReader{periods: periodCache{}, texts: map[string]string{}, cols: cols}
		for rd.Next() {
			rows, err := pr.batch(rd.RecordBatch(), dests, &s)
			if err != nil {
				return err
			}
			if len(rows) > 0 {
				if err := fn(rows); err != nil {
					return err
				}
			}
		}
		return rd.Err()
	})
	if err != nil {
		return fmt.Errorf("indicator_pop: %w", err)
	}
	return nil
}

// popReader turns record batches of the columns cols (of popColumns)
// into rows.
type popReader struct {
	periods periodCache
	// The texts repeat from row to row (codes, names, statuses): one copy
	// of each is kept, outside the batch's memory.
	texts map[string]string
	cols  []popColumn
	// The last row's period, from its label and type.
	label, typ string
	period     thidua.Period
}

func (pr *popReader) text(v string) string {
	if t, ok := pr.texts[v]; ok {
		return t
	}
	t := strings.Clone(v)
	pr.texts[t] = t
	return t
}

// textCol reads a text column's values through text, the value of the row
// before looked up again only when it changes (rows come in runs of the
// same indicator, period and status).
type textCol struct {
	last string
	ok   bool
}

func (tc *textCol) text(pr *popReader, v string) string {
	if !tc.ok || v != tc.last {
		tc.last, tc.ok = pr.text(v), true
	}
	return tc.last
}

// periodOf is the period of label and typ, the last row's when they are
// the same.
func (pr *popReader) periodOf(label, typ string) (thidua.Period, error) {
	if label == pr.label && typ == pr.typ && pr.period.Valid() {
		return pr.period, nil
	}
	p, err := pr.periods.get(label, typ)
	if err == nil {
		pr.label, pr.typ, pr.period = label, typ, p
	}
	return p, err
}

// stringArray is what an Arrow string column of any layout offers.
type stringArray interface {
	IsNull(i int) bool
	Value(i int) string
}

// batch returns rec's rows, each read into s through dests (popSelect's
// destinations in s, one a column).
func (pr *popReader) batch(rec arrow.RecordBatch, dests []any, s *popScan) ([]thidua.PopRow, error) {
	if int(rec.NumCols()) != len(dests) {
		return nil, fmt.Errorf("%d columns, want %d", rec.NumCols(), len(dests))
	}
	// A setter per column: it reads row i of the column into its
	// destination, as the destination's Scan reads a value (NULL: the
	// zero value; a missing is_cluster or complete is coalesced in SQL).
	set := make([]func(i int), len(dests))
	for c, d := range dests {
		col, name := rec.Column(c), pr.cols[c].name
		switch d := d.(type) {
		case *numCol:
			a, ok := col.(*array.Float64)
			if !ok {
				return nil, fmt.Errorf("%s: a number: cannot read %s", name, col.DataType())
			}
			set[c] = func(i int) {
				*d = numCol{}
				if !a.IsNull(i) {
					*d = numCol(thidua.Some(a.Value(i)))
				}
			}
		case *intCol:
			a, ok := col.(*array.Int64)
			if !ok {
				return nil, fmt.Errorf("%s: an integer: cannot read %s", name, col.DataType())
			}
			set[c] = func(i int) {
				*d = 0
				if !a.IsNull(i) {
					*d = intCol(a.Value(i))
				}
			}
		case *bool:
			a, ok := col.(*array.Boolean)
			if !ok {
				return nil, fmt.Errorf("%s: a boolean: cannot read %s", name, col.DataType())
			}
			set[c] = func(i int) { *d = !a.IsNull(i) && a.Value(i) }
		case *strCol:
			a, ok := col.(stringArray)
			if !ok {
				return nil, fmt.Errorf("%s: text: cannot read %s", name, col.DataType())
			}
			tc := &textCol{}
			set[c] = func(i int) {
				*d = ""
				if !a.IsNull(i) {
					*d = strCol(tc.text(pr, a.Value(i)))
				}
			}
		default:
			return nil, fmt.Errorf("%s: no Arrow reader for %T", name, d)
		}
	}
	n := int(rec.NumRows())
	rows := make([]thidua.PopRow, n)
	for i := range rows {
		for _, f := range set {
			f(i)
		}
		p, err := pr.periodOf(s.label, s.typ)
		if err != nil {
			return nil, fmt.Errorf("unit %s indicator %s: %w", s.row.Unit, s.row.Indicator, err)
		}
		s.row.Period = p
		rows[i] = s.row
	}
	return rows, nil
}
