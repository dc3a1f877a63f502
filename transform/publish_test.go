package transform

import "testing"

// indicator_pop written in batches of one indicator each, or of several
// (as a larger memory_limit allows), holds the same rows in the same order
// (its Parquet export's) as written in one statement.
func TestPublishPopBatches(t *testing.T) {
	f := sumFixture(t)
	f.months("A1", "stock", 2020, 1, 4, 5, 6)
	f.months("B2", "avg", 2020, 1, 7, 8, 9)
	f.months("A1", "dens", 2020, 1, 1, 2, 3)
	f.run(Options{Full: true})
	one := f.textRows(`SELECT * FROM indicator_pop`)
	if n := len(f.rows(`SELECT DISTINCT indicator_code FROM indicator_pop`)); n < 3 {
		t.Fatalf("%d indicators in indicator_pop, want several", n)
	}
	defer func(n int64) { popMinRows = n }(popMinRows)
	for _, rows := range []int64{1, 40} {
		popMinRows = rows
		f.run(Options{Full: true})
		if d := firstDiff(f.textRows(`SELECT * FROM indicator_pop`), one); d != "" {
			t.Fatalf("batches of at most %d rows: %s", rows, d)
		}
	}
}
