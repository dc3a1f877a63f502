package store

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/thidua/thidua"
)

// TestKeysInOrder checks keysInOrder against a map of the stored keys on
// random batches (grouped by unit, by period, shuffled, with facts named
// twice and observations with the basis "target"): it may say "in order"
// only for batches whose keys are all distinct, and says it for batches
// sorted either way without repeats (codes in text order, no observation
// with the basis "target").
func TestKeysInOrder(t *testing.T) {
	rng := rand.New(rand.NewPCG(14, 2))
	periods := []thidua.Period{{Type: thidua.Month, Year: 2020, N: 1}, {Type: thidua.Month, Year: 2020, N: 2},
		{Type: thidua.Quarter, Year: 2020, N: 1}, {Type: thidua.Year, Year: 2020}}
	bases := []thidua.Basis{thidua.PeriodBasis, thidua.YTDBasis, "target"}
	sawOrder, sawDup := 0, 0
	for run := range 5000 {
		var b thidua.Batch
		nb := 2 // rarely an observation with the basis "target" too
		if rng.IntN(10) == 0 {
			nb = 3
		}
		// Codes listed in their text order half of the time (else only
		// their first appearances order them, which a missing first group
		// can break).
		units, inds := []string{"01", "02", "03"}, []string{"x", "y"}
		if run%8 >= 4 {
			units, inds = []string{"02", "01", "03"}, []string{"y", "x"}
		}
		for _, u := range units {
			for _, ind := range inds {
				for _, p := range periods {
					for _, bs := range bases[:nb] {
						if rng.IntN(3) > 0 {
							b.Observations = append(b.Observations, thidua.Observation{Unit: u, Indicator: ind, Period: p, Basis: bs})
						}
					}
				}
				if rng.IntN(2) == 0 {
					b.Targets = append(b.Targets, thidua.TargetValue{Unit: u, Indicator: ind, Year: 2020})
				}
			}
		}
		switch run % 4 {
		case 1: // grouped by period
			slices.SortStableFunc(b.Observations, func(x, y thidua.Observation) int {
				return slices.Index(periods, x.Period) - slices.Index(periods, y.Period)
			})
		case 2:
			rng.Shuffle(len(b.Observations), func(i, j int) { b.Observations[i], b.Observations[j] = b.Observations[j], b.Observations[i] })
		}
		if n := len(b.Observations); n > 0 && rng.IntN(3) == 0 {
			i := rng.IntN(n)
			b.Observations = slices.Insert(b.Observations, rng.IntN(n+1), b.Observations[i])
		}
		if n := len(b.Targets); n > 0 && rng.IntN(6) == 0 {
			b.Targets = slices.Insert(b.Targets, rng.IntN(n+1), b.Targets[rng.IntN(n)])
		}
		seen := map[[4]string]bool{}
		distinct := true
		for _, o := range b.Observations {
			k := [4]string{o.Unit, o.Indicator, o.Period.String(), string(o.Basis)}
			distinct = distinct && !seen[k]
			seen[k] = true
		}
		for _, tg := range b.Targets {
			k := [4]string{tg.Unit, tg.Indicator, thidua.Period{Type: thidua.Year, Year: tg.Year}.String(), "target"}
			distinct = distinct && !seen[k]
			seen[k] = true
		}
		got := keysInOrder(b)
		if got && !distinct {
			t.Fatalf("run %d: keysInOrder says in order for a batch with a repeated key: %+v", run, b)
		}
		if got {
			sawOrder++
		} else if distinct && run%4 != 2 && run%8 < 4 && nb == 2 {
			t.Errorf("run %d: a sorted batch without repeats is not found in order: %+v", run, b)
		}
		if !distinct {
			sawDup++
		}
	}
	if sawOrder < 1500 || sawDup < 1500 {
		t.Fatalf("the random batches cover too little: %d in order, %d with repeats", sawOrder, sawDup)
	}
}

// TestLoadRecordsEveryReject loads a batch with more rejected rows than
// one insert statement takes: every one is recorded, in the batch's order,
// with its position and reason.
func TestLoadRecordsEveryReject(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, "", Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	b := testBatch("r.csv", 1, 2)
	n := 2*rejectsPerInsert + 3
	for i := range n {
		b.Problems = append(b.Problems, thidua.Problem{Pos: thidua.Pos{File: "r.csv", Line: 10 + i, Column: "value"},
			Err: fmt.Errorf("bad value %d", i)})
	}
	r, err := db.LoadBatch(ctx, b, LoadOptions{Partial: true})
	if err != nil {
		t.Fatal(err)
	}
	rows, err := db.SQL().QueryContext(ctx, `SELECT load_id, file, pos, message FROM rejects ORDER BY rowid`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	i := 0
	for ; rows.Next(); i++ {
		var id int64
		var file, pos, msg string
		if err := rows.Scan(&id, &file, &pos, &msg); err != nil {
			t.Fatal(err)
		}
		if want := b.Problems[min(i, n-1)]; id != r.Load.ID || file != "r.csv" || pos != want.Pos.String() || msg != want.Reason() {
			t.Fatalf("reject %d: %d %s %s %q, want %d r.csv %s %q", i, id, file, pos, msg, r.Load.ID, want.Pos, want.Reason())
		}
	}
	if i != n || r.Load.Rejected != n {
		t.Fatalf("%d rejects recorded, load says %d, want %d", i, r.Load.Rejected, n)
	}
}
