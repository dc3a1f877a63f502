package transform

import (
	"fmt"
	"math/rand"
	"testing"

	"github.com/thidua/thidua"
)

// TestPropertiesSum reports random, consistent sum data in random ways
// (months, year to date, quarters, halves; some left out) and checks that
// every value the transform gives equals the truth, that spans add up and
// that the cluster row is the sum of the units.
func TestPropertiesSum(t *testing.T) {
	for seed := int64(1); seed <= 6; seed++ {
		t.Run(fmt.Sprint(seed), func(t *testing.T) { propertySum(t, seed) })
	}
}

func propertySum(t *testing.T, seed int64) {
	rng := rand.New(rand.NewSource(seed))
	f := newFixture(t, smallCluster("rev"))
	truth := map[string][13]float64{} // unit/year → month values
	for _, u := range []string{"A1", "B2", "C3"} {
		for _, y := range []int{2019, 2020} {
			var v [13]float64
			last := 12
			if u == "C3" && y == 2020 {
				last = 6
			}
			for m := 1; m <= last; m++ {
				v[m] = float64(rng.Intn(100))
			}
			truth[fmt.Sprint(u, y)] = v
			cum := func(k int) (s float64) {
				for m := 1; m <= k; m++ {
					s += v[m]
				}
				return s
			}
			for m := 1; m <= last; m++ {
				switch mode := rng.Intn(4); mode {
				case 0, 1:
					if rng.Intn(10) > 0 {
						f.add(u, "rev", fmt.Sprintf("%04d-%02d", y, m), thidua.PeriodBasis, v[m])
					}
				case 2:
					f.add(u, "rev", fmt.Sprintf("%04d-%02d", y, m), thidua.YTDBasis, cum(m))
				}
			}
			if rng.Intn(2) == 0 {
				q := 1 + rng.Intn(last/3)
				f.add(u, "rev", fmt.Sprintf("%04d-Q%d", y, q), thidua.PeriodBasis, cum(3*q)-cum(3*q-3))
			}
			if rng.Intn(3) == 0 && last == 12 {
				f.add(u, "rev", fmt.Sprintf("%04d-H2", y), thidua.PeriodBasis, cum(12)-cum(6))
			}
		}
	}
	f.run(Options{})
	rows := f.rows(`SELECT unit_code, period, period_type, year(period_start) AS y, month(period_start) AS fm,
		month(period_end) AS lm, value, ytd_value, is_cluster FROM indicator_pop`)
	val := map[string]any{}
	for _, r := range rows {
		val[r["unit_code"].(string)+" "+r["period"].(string)] = r["value"]
	}
	sumTruth := func(u string, y, a, b int) float64 {
		v := truth[fmt.Sprint(u, y)]
		s := 0.0
		for m := a; m <= b; m++ {
			s += v[m]
		}
		return s
	}
	known := 0
	for k, v := range val {
		if v != nil && len(k) > 8 && k[len(k)-2] == 'Q' {
			known++
		}
	}
	if known < 4 {
		t.Fatalf("only %d quarter values known: the generator does not exercise the rules", known)
	}
	clusterSum := map[string]float64{}
	for _, r := range rows {
		u, p := r["unit_code"].(string), r["period"].(string)
		y, a, b := int(r["y"].(int64)), int(r["fm"].(int64)), int(r["lm"].(int64))
		if r["is_cluster"].(bool) {
			continue
		}
		if v := r["value"]; v != nil {
			clusterSum[p] += v.(float64)
			if want := sumTruth(u, y, a, b); !same(v, want) {
				t.Errorf("%s %s = %v, truth %v", u, p, v, want)
			}
		}
		if v := r["ytd_value"]; v != nil && !same(v, sumTruth(u, y, 1, b)) {
			t.Errorf("%s %s ytd = %v, truth %v", u, p, v, sumTruth(u, y, 1, b))
		}
		// Spans add up. A quarter whose months are all known is known; a
		// year need not be known from H1 and H2 alone (a span with a missing
		// month is only known from a direct or cumulative report), but when
		// it is, it equals them.
		// strict: the whole must be known when its parts are (months).
		add := func(strict bool, whole string, parts ...string) {
			w := val[u+" "+whole]
			if w == nil && !strict {
				return
			}
			s := 0.0
			for _, part := range parts {
				pv := val[u+" "+part]
				if pv == nil {
					return
				}
				s += pv.(float64)
			}
			if w == nil || !same(w, s) {
				t.Errorf("%s %s = %v, its parts %v sum to %v", u, whole, w, parts, s)
			}
		}
		if r["period_type"] == "quarter" {
			q := (a + 2) / 3
			add(true, p, fmt.Sprintf("%d-%02d", y, 3*q-2), fmt.Sprintf("%d-%02d", y, 3*q-1), fmt.Sprintf("%d-%02d", y, 3*q))
		}
		if r["period_type"] == "year" && !(u == "C3" && y == 2020) {
			add(false, p, fmt.Sprintf("%d-H1", y), fmt.Sprintf("%d-H2", y))
			add(false, p, fmt.Sprintf("%d-9M", y), fmt.Sprintf("%d-Q4", y))
		}
	}
	for _, r := range rows {
		if !r["is_cluster"].(bool) || r["value"] == nil {
			continue
		}
		if p := r["period"].(string); !same(r["value"], clusterSum[p]) {
			t.Errorf("cluster %s = %v, units sum to %v", p, r["value"], clusterSum[p])
		}
	}
}
