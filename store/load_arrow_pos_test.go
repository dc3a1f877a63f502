//go:build duckdb_arrow

package store

import (
	"testing"

	"github.com/thidua/thidua"
)

func TestAppendPos(t *testing.T) {
	for _, p := range []thidua.Pos{
		{}, {File: "a.csv"}, {File: "a.csv", Line: 12}, {File: "a.csv", Line: 12, Column: "value"}, {File: "a.csv", Column: "x"},
		{File: "b.xlsx", Sheet: "S"}, {File: "b.xlsx", Sheet: "S", Cell: "E7", Line: 3}, {File: "đơn vị.csv", Line: 1},
	} {
		if got, want := string(appendPos(nil, p)), p.String(); got != want {
			t.Errorf("appendPos(%+v) = %q, want %q", p, got, want)
		}
	}
}
