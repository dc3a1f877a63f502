package store

import (
	"bufio"
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/thidua/thidua"
)

// ExportCSVVI writes each of tables that exists to dir/NAME.csv for Excel
// with Vietnamese regional settings and the people who read it there: UTF-8
// with a byte order mark, a first line "sep=;", ';' between fields, the
// Vietnamese headings of thidua.SheetColumns, numbers with a ',' before
// their decimals, rounded by thidua.SheetValue (to each row's indicator's
// configured decimals where the column is in its unit), without thousands
// grouping; dates as dd/mm/yyyy, true and false as có and không, missing
// values as empty fields. Each file appears whole or not at all.
func (db *DB) ExportCSVVI(ctx context.Context, dir string, tables []string, c *thidua.Cluster) ([]string, error) {
	return db.exportEach(ctx, "csv-vi", dir, ".csv", tables, func(name, path string) error {
		return writeAtomic(path, func(w io.Writer) error { return db.writeCSVVI(ctx, name, w, c) })
	})
}

func (db *DB) writeCSVVI(ctx context.Context, name string, w io.Writer, c *thidua.Cluster) error {
	bw := bufio.NewWriter(w)
	if _, err := io.WriteString(bw, utf8BOM+"sep=;\r\n"); err != nil {
		return err
	}
	cw := csv.NewWriter(bw)
	cw.Comma, cw.UseCRLF = ';', true
	var cols []Column
	indCol := -1
	inds := map[string]*thidua.Indicator{}
	var rec []string
	err := db.exportScan(ctx, name, func(cs []Column) error {
		cols = cs
		head := make([]string, len(cols))
		for i, col := range cols {
			head[i] = col.Name
			if h, ok := thidua.SheetColumns[col.Name]; ok {
				head[i] = h.VI
			}
			if col.Name == "indicator_code" {
				indCol = i
			}
		}
		rec = make([]string, len(cols))
		return cw.Write(head)
	}, func(row []any) error {
		var ind *thidua.Indicator
		if indCol >= 0 {
			if code, ok := row[indCol].(string); ok {
				if _, seen := inds[code]; !seen {
					if i, ok := c.Indicator(code); ok {
						inds[code] = &i
					} else {
						inds[code] = nil
					}
				}
				ind = inds[code]
			}
		}
		for i, v := range row {
			rec[i] = cellVI(cols[i].Name, v, ind)
		}
		return cw.Write(rec)
	})
	if err != nil {
		return err
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return err
	}
	return bw.Flush()
}

// cellVI writes one value of column col the Vietnamese way.
func cellVI(col string, v any, ind *thidua.Indicator) string {
	v, dec := thidua.SheetValue(col, v, ind)
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case int64:
		return strconv.FormatInt(x, 10)
	case float64:
		s := strconv.FormatFloat(x, 'f', dec, 64)
		return strings.Replace(s, ".", ",", 1)
	case time.Time:
		if x.Hour() == 0 && x.Minute() == 0 && x.Second() == 0 {
			return x.Format("02/01/2006")
		}
		return x.Format("02/01/2006 15:04:05")
	}
	return fmt.Sprint(v)
}
