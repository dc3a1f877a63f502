package store

import (
	"reflect"
	"testing"

	"github.com/thidua/thidua"
)

// TestPopReaderFollowsDeclaration: the report reads indicator_pop by the
// names thidua.OutputTables declares: every column it reads is declared,
// and every declared column is read or named in popUnread with a reason.
// A column added to the declaration fails here until the reader takes it
// (or says why not).
func TestPopReaderFollowsDeclaration(t *testing.T) {
	tab, ok := thidua.OutputTable("indicator_pop")
	if !ok {
		t.Fatal("thidua.OutputTables has no indicator_pop")
	}
	declared := map[string]bool{}
	for _, c := range tab.Columns {
		declared[c.Name] = true
	}
	read := map[string]bool{}
	for _, c := range popColumns {
		if read[c.name] {
			t.Errorf("%s read twice", c.name)
		}
		read[c.name] = true
		if !declared[c.name] {
			t.Errorf("the report reads %s, which indicator_pop does not declare", c.name)
		}
	}
	for name, why := range popUnread {
		if !declared[name] || read[name] || why == "" {
			t.Errorf("popUnread %s: declared %v, read %v, reason %q", name, declared[name], read[name], why)
		}
	}
	for _, c := range tab.Columns {
		if !read[c.Name] && popUnread[c.Name] == "" {
			t.Errorf("indicator_pop.%s is declared but the report neither reads it nor says why (popUnread)", c.Name)
		}
	}
}

// TestPopReaderFillsEveryField: each PopRow field but Period (parsed from
// period and period_type) is filled by exactly one column.
func TestPopReaderFillsEveryField(t *testing.T) {
	var s popScan
	filled := map[uintptr]string{}
	for _, c := range popColumns {
		ptr := reflect.ValueOf(c.dest(&s)).Pointer()
		if prev, dup := filled[ptr]; dup {
			t.Errorf("%s and %s fill the same field", prev, c.name)
		}
		filled[ptr] = c.name
	}
	row := reflect.ValueOf(&s.row).Elem()
	for i := 0; i < row.NumField(); i++ {
		f := row.Type().Field(i)
		if f.Name == "Period" {
			continue
		}
		if _, ok := filled[row.Field(i).Addr().Pointer()]; !ok {
			t.Errorf("PopRow.%s is filled by no indicator_pop column", f.Name)
		}
	}
}
