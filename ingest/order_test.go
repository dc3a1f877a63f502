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
// period, shuffled, with repeated and conflicting facts, targets and facts
// taken back.
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
		switch run % 3 {
		case 1:
			slices.SortStableFunc(facts, func(a, b fact) int {
				pa, pb := a.Observation.Period, b.Observation.Period
				return cmp.Or(cmp.Compare(pa.Year, pb.Year), cmp.Compare(len(pa.Type), len(pb.Type)), cmp.Compare(pa.N, pb.N))
			})
		case 2:
			rng.Shuffle(len(facts), func(i, j int) { facts[i], facts[j] = facts[j], facts[i] })
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
