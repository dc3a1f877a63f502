package thidua_test

import (
	"reflect"
	"slices"
	"testing"

	"github.com/thidua/thidua"
)

// fullRow is a PopRow with every field set (non-zero).
func fullRow(t *testing.T) thidua.PopRow {
	t.Helper()
	var r thidua.PopRow
	v := reflect.ValueOf(&r).Elem()
	for i := 0; i < v.NumField(); i++ {
		f := v.Field(i)
		switch f.Kind() {
		case reflect.String:
			f.SetString("x" + v.Type().Field(i).Name)
		case reflect.Int:
			f.SetInt(int64(i + 1))
		case reflect.Bool:
			f.SetBool(true)
		case reflect.Struct:
			switch f.Interface().(type) {
			case thidua.Num:
				f.Set(reflect.ValueOf(thidua.Some(float64(i) + 0.5)))
			case thidua.Period:
				f.Set(reflect.ValueOf(thidua.Period{Type: thidua.Month, Year: 2024, N: 3}))
			default:
				t.Fatalf("PopRow.%s: no value for %s", v.Type().Field(i).Name, f.Type())
			}
		default:
			t.Fatalf("PopRow.%s: no value for %s", v.Type().Field(i).Name, f.Type())
		}
	}
	return r
}

// setFields are the names of r's non-zero fields.
func setFields(r thidua.PopRow) []string {
	var out []string
	v := reflect.ValueOf(r)
	for i := 0; i < v.NumField(); i++ {
		if !v.Field(i).IsZero() {
			out = append(out, v.Type().Field(i).Name)
		}
	}
	return out
}

// TestPopFields checks that each PopField keeps one field of PopRow, its
// own, that every field of PopRow is a PopField's or one of PopKeyFields,
// and that Shape keeps them as PopQuery.Fields and Whole say.
func TestPopFields(t *testing.T) {
	r := fullRow(t)
	all := setFields(r)
	if len(all) != reflect.TypeOf(r).NumField() {
		t.Fatalf("the full row has fields %v unset", all)
	}
	owner := map[string]thidua.PopField{}
	for _, k := range thidua.PopKeyFields {
		owner[k] = 0
	}
	for f := thidua.PopField(1); f != 0 && f <= thidua.PopAllFields; f <<= 1 {
		got := setFields(thidua.PopQuery{Fields: f}.Shape(r))
		var extra []string
		for _, name := range got {
			if !slices.Contains(thidua.PopKeyFields, name) {
				extra = append(extra, name)
			}
		}
		if len(got) != len(thidua.PopKeyFields)+1 || len(extra) != 1 {
			t.Errorf("field bit %#x keeps %v, want the key fields and one more", uint32(f), got)
			continue
		}
		if prev, dup := owner[extra[0]]; dup {
			t.Errorf("PopRow.%s kept by field bit %#x and %#x", extra[0], uint32(f), uint32(prev))
		}
		owner[extra[0]] = f
	}
	for _, name := range all {
		if _, ok := owner[name]; !ok {
			t.Errorf("PopRow.%s: no PopField and not a key field", name)
		}
	}
	if got := (thidua.PopQuery{Fields: thidua.PopAllFields}).Shape(r); !reflect.DeepEqual(got, r) {
		t.Errorf("every field: Shape = %+v, want the row", got)
	}
	if got := (thidua.PopQuery{}).Shape(r); !reflect.DeepEqual(got, r) {
		t.Errorf("no Fields: Shape = %+v, want the row", got)
	}
	// A period not of Whole: the key fields only, whatever Fields.
	other := thidua.PopQuery{Fields: thidua.PopStatus, Whole: []thidua.Period{{Type: thidua.Year, Year: 2024, N: 1}}}
	if got := setFields(other.Shape(r)); !sameSet(got, thidua.PopKeyFields) {
		t.Errorf("shaped: fields %v, want %v", got, thidua.PopKeyFields)
	}
	whole := thidua.PopQuery{Fields: thidua.PopStatus | thidua.PopTarget, Whole: []thidua.Period{r.Period}}
	if got := setFields(whole.Shape(r)); !sameSet(got, append(slices.Clone(thidua.PopKeyFields), "Target", "Status")) {
		t.Errorf("whole with Status and Target: fields %v", got)
	}
}

func sameSet(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}

var shapeSink thidua.PopRow

// TestShapeAllocatesNothing: Shape works on its copy of the row (a call
// through a table of func values made both rows escape, two heap rows for
// each row a page read).
func TestShapeAllocatesNothing(t *testing.T) {
	r := fullRow(t)
	for _, q := range []thidua.PopQuery{
		{Fields: thidua.PopStatus | thidua.PopTarget},
		{Fields: thidua.PopAllFields},
		{Whole: []thidua.Period{}},
	} {
		if n := testing.AllocsPerRun(100, func() { shapeSink = q.Shape(r) }); n != 0 {
			t.Errorf("Shape with %+v: %v allocations a row, want 0", q, n)
		}
	}
}
