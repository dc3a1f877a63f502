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

// TestPopColumnsFields: each column fills the field of its PopField (its
// field's column read alone fills that field of a row, Shape with that
// field keeps it), the key columns fill thidua.PopKeyFields (Period: from
// period and period_type), and every PopField is one column's.
func TestPopColumnsFields(t *testing.T) {
	var s popScan
	row := reflect.ValueOf(&s.row).Elem()
	name := map[uintptr]string{}
	for i := 0; i < row.NumField(); i++ {
		name[row.Field(i).Addr().Pointer()] = row.Type().Field(i).Name
	}
	var seen thidua.PopField
	keys := map[string]bool{"Period": true}
	for _, c := range popColumns {
		field, ok := name[reflect.ValueOf(c.dest(&s)).Pointer()]
		if c.field == 0 {
			if ok { // (period and period_type fill Period)
				keys[field] = true
			}
			continue
		}
		if seen&c.field != 0 || c.field&(c.field-1) != 0 {
			t.Errorf("%s: field bits %#x, want one bit no other column has", c.name, uint32(c.field))
		}
		seen |= c.field
		// Shape with that field alone keeps field (and the keys).
		full := thidua.PopRow{}
		reflect.ValueOf(&full).Elem().FieldByName(field).Set(reflect.ValueOf(nonZero(t, reflect.ValueOf(full).FieldByName(field))))
		if got := (thidua.PopQuery{Fields: c.field}).Shape(full); !reflect.DeepEqual(got, full) {
			t.Errorf("%s fills PopRow.%s, but Shape with its field bits %#x keeps %+v", c.name, field, uint32(c.field), got)
		}
	}
	if seen != thidua.PopAllFields {
		t.Errorf("field bits read %#x, want every one %#x", uint32(seen), uint32(thidua.PopAllFields))
	}
	for _, k := range thidua.PopKeyFields {
		if !keys[k] {
			t.Errorf("key field %s is filled by no key column", k)
		}
		delete(keys, k)
	}
	if len(keys) > 0 {
		t.Errorf("key columns fill %v, not of thidua.PopKeyFields", keys)
	}
}

// nonZero is a non-zero value of v's type.
func nonZero(t *testing.T, v reflect.Value) any {
	switch x := v.Interface().(type) {
	case string:
		return "x"
	case int:
		return 3
	case thidua.Num:
		return thidua.Some(1.5)
	case thidua.Status:
		return thidua.Behind
	case thidua.Trend:
		return thidua.Better
	default:
		t.Fatalf("no value for %T", x)
		return nil
	}
}
