package transform

import (
	"testing"
)

func TestSmoke(t *testing.T) {
	f := newFixture(t, testCluster())
	f.months("A1", "rev", 2020, 1, 1, 2, 3, 4, 5, 6)
	f.months("B2", "rev", 2020, 1, 2, 2, 2, 2, 2, 2)
	f.target("A1", "rev", 2020, 42)
	f.run(Options{})
	for _, r := range f.rows(`SELECT * FROM indicator_pop WHERE indicator_code='rev' AND period_type <> 'month'`) {
		t.Log(r)
	}
}
