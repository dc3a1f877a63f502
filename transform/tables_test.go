package transform

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/thidua/thidua"
	"github.com/thidua/thidua/store"
)

// TestPublishedTablesMatchDeclaration: the tables 900_publish.sql makes
// have exactly the columns thidua.OutputTables declares, in its order and
// with its types. A column added to the SQL alone, or to the declaration
// alone, fails here.
func TestPublishedTablesMatchDeclaration(t *testing.T) {
	f := sumFixture(t)
	for _, tab := range thidua.OutputTables {
		rows := f.rows(`SELECT column_name, data_type FROM information_schema.columns
			WHERE table_schema = 'main' AND table_name = ? ORDER BY ordinal_position`, tab.Name)
		var got, want []string
		for _, r := range rows {
			got = append(got, fmt.Sprintf("%v %v", r["column_name"], r["data_type"]))
		}
		for _, c := range tab.Columns {
			want = append(want, c.Name+" "+c.Type)
		}
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("%s: published columns differ from thidua.OutputTables\npublished:\n  %s\ndeclared:\n  %s",
				tab.Name, strings.Join(got, "\n  "), strings.Join(want, "\n  "))
		}
	}
}

// TestExportsMatchDeclaration: every format exports each published table
// through store.ExportQueries (COPY for Parquet and CSV, ExportRows'
// scan for XLSX and Arrow); the columns that query gives are the declared
// ones, in order, with the declared types.
func TestExportsMatchDeclaration(t *testing.T) {
	f := sumFixture(t)
	for _, tab := range thidua.OutputTables {
		if _, ok := store.ExportQueries[tab.Name]; !ok {
			t.Errorf("%s is declared but not exported (store.ExportQueries)", tab.Name)
			continue
		}
		got, err := f.db.ExportRows(context.Background(), tab.Name, 0)
		if err != nil {
			t.Fatal(err)
		}
		var g, w []string
		for _, c := range got.Columns {
			g = append(g, c.Name+" "+c.Type)
		}
		for _, c := range tab.Columns {
			w = append(w, c.Name+" "+c.Type)
		}
		if strings.Join(g, "\n") != strings.Join(w, "\n") {
			t.Errorf("%s: exported columns differ from thidua.OutputTables\nexported:\n  %s\ndeclared:\n  %s",
				tab.Name, strings.Join(g, "\n  "), strings.Join(w, "\n  "))
		}
	}
}
