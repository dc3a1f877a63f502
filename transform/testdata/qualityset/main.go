// Command qualityset writes the test set of the quality checks' accuracy
// test (transform/accuracy_test.go): four years (2018–2021) of realistic,
// SYNTHETIC monthly reports of eight units (a city among rural districts)
// with errors of the kinds district offices make planted in them.
//
//	go run ./transform/testdata/qualityset   (from the repository root)
//
// writes observations.csv (unit,indicator,period,value) and planted.csv
// (unit,indicator,period,kind,true_value,value) next to this file. The output
// is the same on every run: one PCG stream with a fixed seed.
//
// The data has the shapes the checks must live with: recruits delivered
// only in February and March; rice planted in two seasons; afforestation in
// spring and summer; budget revenue heavier in December; small monthly
// counts of new cooperatives; a stock (communes meeting the new-rural
// standard) that only grows; units of very different size; ±20 % noise on
// each month and year, and seasons that drift a little from year to year.
package main

import (
	"encoding/csv"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
)

type unit struct {
	code string
	size float64 // multiplies every flow
	city bool
}

var units = []unit{
	{"058", 1.0, true}, {"060", 0.8, false}, {"061", 1.2, false}, {"062", 0.7, false},
	{"063", 1.0, false}, {"064", 1.5, false}, {"065", 1.1, false}, {"066", 1.3, false},
}

type indicator struct {
	code     string
	annual   float64     // a district's yearly total at size 1
	city     float64     // the city's yearly total
	profile  [12]float64 // share of the year by month (normalized)
	decimals int
}

var flows = []indicator{
	{"budget_revenue", 25000, 250000, [12]float64{6, 6, 7, 7, 8, 8, 8, 8, 8, 9, 10, 15}, 0},
	{"afforestation_ha", 400, 12, [12]float64{0, 2, 15, 20, 15, 10, 15, 15, 5, 2, 1, 0}, 1},
	{"recruits", 110, 40, [12]float64{0, 75, 25, 0, 0, 0, 0, 0, 0, 0, 0, 0}, 0},
	{"rice_area_ha", 2800, 150, [12]float64{0, 25, 25, 0, 0, 0, 25, 25, 0, 0, 0, 0}, 1},
	{"new_coops", 4, 3, [12]float64{1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1}, 0},
	{"commended", 600, 900, [12]float64{10, 2, 2, 5, 2, 2, 2, 2, 2, 2, 3, 66}, 0},
}

const (
	firstYear = 2018
	lastYear  = 2021
)

type key struct {
	unit, ind string
	year, m   int
}

func main() {
	r := rand.New(rand.NewPCG(20181231, 12))
	vals := map[key]float64{}
	noise := func(spread float64) float64 { return 1 + spread*(2*r.Float64()-1) }
	round := func(v float64, d int) float64 {
		p := math.Pow(10, float64(d))
		return math.Round(v*p) / p
	}
	for _, u := range units {
		for _, ind := range flows {
			total := 0.0
			for _, s := range ind.profile {
				total += s
			}
			for y := firstYear; y <= lastYear; y++ {
				year := ind.annual * u.size
				if u.city {
					year = ind.city
				}
				year *= math.Pow(1.06, float64(y-firstYear)) * noise(0.15)
				// the season drifts: part of a month's share moves to a
				// neighbour some years
				prof := ind.profile
				for m := 0; m < 12; m++ {
					if prof[m] > 0 && r.Float64() < 0.2 {
						n := m + 1
						if r.IntN(2) == 0 {
							n = m - 1
						}
						if n >= 0 && n < 12 && ind.profile[n] > 0 {
							move := prof[m] * 0.2 * r.Float64()
							prof[m] -= move
							prof[n] += move
						}
					}
				}
				for m := 0; m < 12; m++ {
					v := year * prof[m] / total * noise(0.2)
					if ind.code == "new_coops" {
						// a count of 0–2 a month
						v = math.Floor(v*r.Float64()*2 + 0.3)
					}
					vals[key{u.code, ind.code, y, m + 1}] = round(v, ind.decimals)
				}
			}
		}
		// the stock: communes meeting the new-rural standard, growing by
		// 0–1 a few times a year
		stock := float64(2 + r.IntN(4))
		for y := firstYear; y <= lastYear; y++ {
			for m := 1; m <= 12; m++ {
				if r.Float64() < 0.12 {
					stock++
				}
				vals[key{u.code, "ntm_communes", y, m}] = stock
			}
		}
	}

	// Planted errors: each at a distinct unit, indicator and month whose
	// value is large enough to matter (at least 20, or any stock month).
	type plant struct {
		k    key
		kind string
		orig float64
	}
	kinds := []struct {
		kind   string
		n      int
		inds   []string
		factor float64
	}{
		{"unit_slip_x1000", 3, []string{"budget_revenue", "afforestation_ha", "rice_area_ha"}, 1000},
		{"unit_slip_div1000", 2, []string{"budget_revenue", "rice_area_ha"}, 0.001},
		{"decimal_slip_x10", 3, []string{"afforestation_ha", "rice_area_ha", "budget_revenue", "commended"}, 10},
		{"decimal_slip_x100", 2, []string{"afforestation_ha", "budget_revenue", "commended"}, 100},
		{"ytd_as_month", 4, []string{"budget_revenue", "afforestation_ha", "rice_area_ha", "commended"}, 0},
		{"stock_drop", 2, []string{"ntm_communes"}, 0},
	}
	var keys []key
	for k := range vals {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		a, b := keys[i], keys[j]
		if a.unit != b.unit {
			return a.unit < b.unit
		}
		if a.ind != b.ind {
			return a.ind < b.ind
		}
		if a.year != b.year {
			return a.year < b.year
		}
		return a.m < b.m
	})
	used := map[string]bool{} // unit+indicator already holding an error
	var plants []plant
	for _, kd := range kinds {
		for n := 0; n < kd.n; {
			k := keys[r.IntN(len(keys))]
			ok := false
			for _, c := range kd.inds {
				ok = ok || c == k.ind
			}
			v := vals[k]
			if !ok || used[k.unit+k.ind+strconv.Itoa(k.year)] {
				continue
			}
			switch kd.kind {
			case "stock_drop":
				if k.m == 1 || v < 3 {
					continue
				}
				vals[k] = v - 1 - float64(r.IntN(2))
			case "ytd_as_month":
				if k.m < 4 || v < 20 {
					continue
				}
				sum := 0.0
				for m := 1; m <= k.m; m++ {
					sum += vals[key{k.unit, k.ind, k.year, m}]
				}
				vals[k] = round(sum, 1)
			default:
				if v < 20 {
					continue
				}
				d := 0
				for _, ind := range flows {
					if ind.code == k.ind {
						d = ind.decimals
					}
				}
				vals[k] = round(v*kd.factor, d)
			}
			used[k.unit+k.ind+strconv.Itoa(k.year)] = true
			plants = append(plants, plant{k, kd.kind, v})
			n++
		}
	}

	_, self, _, _ := runtime.Caller(0)
	dir := filepath.Dir(self)
	write := func(name string, head []string, rows [][]string) {
		f, err := os.Create(filepath.Join(dir, name))
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		w := csv.NewWriter(f)
		w.Write(head)
		w.WriteAll(rows)
		if err := f.Close(); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
	}
	num := func(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }
	per := func(k key) string { return fmt.Sprintf("%04d-%02d", k.year, k.m) }
	var rows [][]string
	for _, k := range keys {
		rows = append(rows, []string{k.unit, k.ind, per(k), num(vals[k])})
	}
	write("observations.csv", []string{"unit", "indicator", "period", "value"}, rows)
	rows = nil
	for _, p := range plants {
		rows = append(rows, []string{p.k.unit, p.k.ind, per(p.k), p.kind, num(p.orig), num(vals[p.k])})
	}
	write("planted.csv", []string{"unit", "indicator", "period", "kind", "true_value", "value"}, rows)
}
