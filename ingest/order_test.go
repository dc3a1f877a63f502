package ingest

import (
	"cmp"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"

	"github.com/thidua/thidua"
)

// TestBuilderInOrder checks that the builder's duplicate check, which
// fills its map only once the facts stop coming in key order, gives the
// same batch (facts, their order, every conflict problem) as checking every
// fact against the map from the first: on random files sorted by unit, by
// period, in runs of a unit and indicator, and shuffled, with repeated and
// conflicting facts, targets and facts taken back.
func TestBuilderInOrder(t *testing.T) {
	rng := rand.New(rand.NewPCG(14, 1))
	units := []string{"03", "01", "02"}
	inds := []string{"b", "a"}
	periods := []thidua.Period{{Type: thidua.Month, Year: 2020, N: 1}, {Type: thidua.Month, Year: 2020, N: 2},
		{Type: thidua.Quarter, Year: 2020, N: 1}, {Type: thidua.Month, Year: 2021, N: 1}}
	bases := []thidua.Basis{thidua.PeriodBasis, thidua.YTDBasis}
	type step struct {
		f        fact
		withdraw int // > 0: take back the last withdraw-1 facts instead
	}
	for run := range 3000 {
		var facts []fact
		for _, u := range units {
			for _, ind := range inds {
				for _, p := range periods {
					for _, bs := range bases {
						if rng.IntN(3) == 0 {
							continue
						}
						facts = append(facts, fact{HasValue: true, Observation: thidua.Observation{Unit: u, Indicator: ind, Period: p, Basis: bs, Value: float64(rng.IntN(2))},
							HasTarget: rng.IntN(4) == 0, Target: thidua.TargetValue{Unit: u, Indicator: ind, Year: p.Year, Value: float64(rng.IntN(2))}})
					}
				}
			}
		}
		switch run % 4 {
		case 1:
			slices.SortStableFunc(facts, func(a, b fact) int {
				pa, pb := a.Observation.Period, b.Observation.Period
				return cmp.Or(cmp.Compare(pa.Year, pb.Year), cmp.Compare(len(pa.Type), len(pb.Type)), cmp.Compare(pa.N, pb.N))
			})
		case 2:
			rng.Shuffle(len(facts), func(i, j int) { facts[i], facts[j] = facts[j], facts[i] })
		case 3: // runs of a unit and indicator, in a random order of runs
			rank := map[[2]string]int{}
			for _, f := range facts {
				k := [2]string{f.Observation.Unit, f.Observation.Indicator}
				if _, ok := rank[k]; !ok {
					rank[k] = rng.IntN(1000)
				}
			}
			slices.SortStableFunc(facts, func(a, b fact) int {
				return cmp.Compare(rank[[2]string{a.Observation.Unit, a.Observation.Indicator}], rank[[2]string{b.Observation.Unit, b.Observation.Indicator}])
			})
		}
		var steps []step
		for i, f := range facts {
			steps = append(steps, step{f: f})
			switch rng.IntN(40) {
			case 0: // the same fact again, or another value for it
				g := facts[rng.IntN(i+1)]
				g.Observation.Value = float64(rng.IntN(2))
				steps = append(steps, step{f: g})
			case 1:
				steps = append(steps, step{withdraw: 1 + rng.IntN(3)})
			}
		}
		var got [2]thidua.Batch
		for k := range got {
			b := newBuilder(thidua.Source{File: "f.csv"}, Options{})
			if k == 1 {
				b.obsOrder.off, b.tgtOrder.off = true, true
			} else {
				b.grow(len(steps))
			}
			for line, s := range steps {
				if s.withdraw > 0 {
					b.withdraw(max(0, len(b.Batch.Observations)-(s.withdraw-1)))
					continue
				}
				f := s.f
				f.Observation.Pos = thidua.Pos{File: "f.csv", Line: line + 2, Column: "value"}
				f.Target.Pos = thidua.Pos{File: "f.csv", Line: line + 2, Column: "target"}
				b.addFact(f)
			}
			got[k] = b.done()
		}
		if !reflect.DeepEqual(got[0], got[1]) {
			t.Fatalf("run %d: in-order builder\n%+v\nmap builder\n%+v", run, got[0], got[1])
		}
	}
}

// TestBuilderRunsNoMap checks that a file grouped by unit and indicator
// needs no duplicate map when its units do not all report the same
// indicators (the first unit lacks one, so first appearances do not order
// the indicators), and that a run of a unit and indicator seen before
// fills it.
func TestBuilderRunsNoMap(t *testing.T) {
	add := func(b *builder, unit, ind string, month int) {
		b.addFact(fact{HasValue: true, Observation: thidua.Observation{Unit: unit, Indicator: ind,
			Period: thidua.Period{Type: thidua.Month, Year: 2020, N: month}, Basis: thidua.PeriodBasis, Value: 1,
			Pos: thidua.Pos{File: "f.csv", Line: month}}})
	}
	b := newBuilder(thidua.Source{File: "f.csv"}, Options{})
	for _, u := range []string{"01", "02", "03"} {
		for _, ind := range []string{"c", "a", "b"} {
			if u == "01" && ind == "a" {
				continue
			}
			for m := 1; m <= 12; m++ {
				add(b, u, ind, m)
			}
		}
	}
	if len(b.seen) != 0 || b.obsOrder.off {
		t.Fatalf("facts in runs of a unit and indicator filled the duplicate map (%d keys)", len(b.seen))
	}
	add(b, "02", "a", 13)
	if !b.obsOrder.off || len(b.seen) != 3*3*12-12+1 {
		t.Fatalf("a unit and indicator seen in an earlier run did not fill the map: off %v, %d keys", b.obsOrder.off, len(b.seen))
	}
	if n := len(b.Batch.Observations); n != 3*3*12-12+1 || len(b.Batch.Problems) != 0 {
		t.Fatalf("%d facts, problems %v", n, b.Batch.Problems)
	}
}
