package transform_test

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
	"testing"

	"github.com/thidua/thidua"
	"github.com/thidua/thidua/store"
	"github.com/thidua/thidua/transform"
)

// This file checks the SQL models against an independent reference written
// in plain Go straight from the rules in docs/transform.md, on random data
// with missing months: every unit row of indicator_pop for every period type,
// aggregation and direction must agree.

type refKey struct {
	unit, ind string
	year, m   int
}

type refData struct {
	cluster thidua.Cluster
	months  map[refKey]float64 // monthly in-period values (basis period)
	targets map[refKey]float64 // m = 0
	years   []int
}

func randomData(seed uint64) refData {
	r := rand.New(rand.NewPCG(seed, 7))
	c := thidua.Cluster{Code: "CL", Name: "Cụm"}
	nu := 3 + r.IntN(4)
	for i := 0; i < nu; i++ {
		c.Units = append(c.Units, thidua.Unit{Code: fmt.Sprintf("U%d", i+1), Name: fmt.Sprintf("Đơn vị %d", i+1)})
	}
	c.Indicators = []thidua.Indicator{
		{Code: "flow", Name: "Flow", Agg: thidua.Sum, Direction: thidua.Higher, HasTarget: true},
		{Code: "flow_cap", Name: "Flow capped", Agg: thidua.Sum, Direction: thidua.Higher, HasTarget: true, CapPct: 100},
		{Code: "stock", Name: "Stock", Agg: thidua.Last, Direction: thidua.Higher, HasTarget: true},
		{Code: "avg", Name: "Average", Agg: thidua.Average, Direction: thidua.Target, HasTarget: true},
		{Code: "num", Name: "Num", Agg: thidua.Last, Direction: thidua.Lower, Hidden: true},
		{Code: "den", Name: "Den", Agg: thidua.Last, Direction: thidua.Higher, Hidden: true},
		{Code: "rate", Name: "Rate", Agg: thidua.Ratio, Numerator: "num", Denominator: "den", Factor: 100, Direction: thidua.Lower, HasTarget: true},
		{Code: "lowflow", Name: "Low flow", Agg: thidua.Sum, Direction: thidua.Lower, HasTarget: true},
		{Code: "percommune", Name: "Per commune", Agg: thidua.Last, Direction: thidua.Higher, HasTarget: true, ClusterValue: "mean"},
	}
	d := refData{cluster: c, months: map[refKey]float64{}, targets: map[refKey]float64{}, years: []int{2019, 2020, 2021}}
	for _, u := range c.Units {
		for _, ind := range c.Indicators {
			if ind.Agg == thidua.Ratio {
				continue
			}
			for _, y := range d.years {
				for m := 1; m <= 12; m++ {
					if r.Float64() < 0.06 {
						continue // missing month
					}
					v := float64(r.IntN(50))
					if ind.Code == "den" {
						v = 100 + float64(r.IntN(50))
					}
					if r.IntN(10) == 0 {
						v = 0
					}
					d.months[refKey{u.Code, ind.Code, y, m}] = v
				}
				if ind.HasTarget && r.IntN(8) != 0 {
					t := float64(1 + r.IntN(300))
					if ind.Code == "stock" || ind.Code == "avg" {
						t = float64(1 + r.IntN(50))
					}
					d.targets[refKey{u.Code, ind.Code, y, 0}] = t
				}
			}
		}
		if r.IntN(8) != 0 {
			for _, y := range d.years {
				d.targets[refKey{u.Code, "rate", y, 0}] = float64(5 + r.IntN(30))
			}
		}
	}
	return d
}

type span struct {
	typ      thidua.PeriodType
	year, n  int
	fm, lm   int
	label    string
	prev, yo string
}

func spans(years []int) []span {
	var out []span
	for _, y := range years {
		add := func(p thidua.Period) {
			f, l := p.Months()
			out = append(out, span{p.Type, p.Year, p.N, f, l, p.String(), p.Prev().String(), p.YearBefore().String()})
		}
		for m := 1; m <= 12; m++ {
			add(thidua.Period{Type: thidua.Month, Year: y, N: m})
		}
		for q := 1; q <= 4; q++ {
			add(thidua.Period{Type: thidua.Quarter, Year: y, N: q})
		}
		add(thidua.Period{Type: thidua.Half, Year: y, N: 1})
		add(thidua.Period{Type: thidua.Half, Year: y, N: 2})
		add(thidua.Period{Type: thidua.YTD9, Year: y, N: 9})
		add(thidua.Period{Type: thidua.Year, Year: y})
	}
	return out
}

// value of a non-ratio indicator over months fm..lm of year y, or NaN.
func (d refData) plain(unit string, ind thidua.Indicator, y, fm, lm int) float64 {
	switch ind.Agg {
	case thidua.Last:
		v, ok := d.months[refKey{unit, ind.Code, y, lm}]
		if !ok {
			return math.NaN()
		}
		return v
	case thidua.Sum, thidua.Average:
		s := 0.0
		for m := fm; m <= lm; m++ {
			v, ok := d.months[refKey{unit, ind.Code, y, m}]
			if !ok {
				return math.NaN()
			}
			s += v
		}
		if ind.Agg == thidua.Average {
			s /= float64(lm - fm + 1)
		}
		return s
	}
	panic(ind.Agg)
}

func (d refData) parts(unit string, ind thidua.Indicator, y, fm, lm int) (num, den float64) {
	n, _ := d.cluster.Indicator(ind.Numerator)
	de, _ := d.cluster.Indicator(ind.Denominator)
	return d.plain(unit, n, y, fm, lm), d.plain(unit, de, y, fm, lm)
}

func (d refData) value(unit string, ind thidua.Indicator, y, fm, lm int) float64 {
	if ind.Agg != thidua.Ratio {
		return d.plain(unit, ind, y, fm, lm)
	}
	n, de := d.parts(unit, ind, y, fm, lm)
	if math.IsNaN(n) || math.IsNaN(de) || de == 0 {
		return math.NaN()
	}
	return n / de * ind.Factor
}

func pctChange(v, base float64) float64 {
	if math.IsNaN(v) || math.IsNaN(base) || base == 0 {
		return math.NaN()
	}
	return (v - base) / math.Abs(base) * 100
}

func pctOfTarget(ind thidua.Indicator, ytd, target float64) float64 {
	if math.IsNaN(ytd) || math.IsNaN(target) || target == 0 {
		return math.NaN()
	}
	switch ind.Direction {
	case thidua.Lower:
		if ytd <= target {
			return 100
		}
		return target / ytd * 100
	case thidua.Target:
		return math.Max(0, 100-math.Abs(ytd-target)/target*100)
	}
	return ytd / target * 100
}

type refRow struct {
	value, prev, yoy, ytd, target, pct, total, mean, share float64
	rankValue, rankTarget                                  int
}

func nanOr(p *float64) float64 {
	if p == nil {
		return math.NaN()
	}
	return *p
}

// rank gives SQL RANK() of key among keys (smaller key = better); NaN keys get 0.
func rank(keys map[string]float64) map[string]int {
	out := map[string]int{}
	for u, k := range keys {
		if math.IsNaN(k) {
			continue
		}
		r := 1
		for _, k2 := range keys {
			if !math.IsNaN(k2) && k2 < k {
				r++
			}
		}
		out[u] = r
	}
	return out
}

func (d refData) expected() map[string]refRow { // key unit|ind|period
	out := map[string]refRow{}
	byLabel := map[string]span{}
	all := spans(d.years)
	for _, s := range all {
		byLabel[s.label] = s
	}
	tgt := func(u, i string, y int) float64 {
		v, ok := d.targets[refKey{u, i, y, 0}]
		if !ok {
			return math.NaN()
		}
		return v
	}
	for _, ind := range d.cluster.Indicators {
		for _, s := range all {
			vals := map[string]float64{}
			rows := map[string]*refRow{}
			for _, u := range d.cluster.Units {
				v := d.value(u.Code, ind, s.year, s.fm, s.lm)
				row := &refRow{value: v, prev: math.NaN(), yoy: math.NaN()}
				if p, ok := byLabel[s.prev]; ok {
					row.prev = d.value(u.Code, ind, p.year, p.fm, p.lm)
				}
				if p, ok := byLabel[s.yo]; ok {
					row.yoy = d.value(u.Code, ind, p.year, p.fm, p.lm)
				}
				row.ytd = d.value(u.Code, ind, s.year, 1, s.lm)
				row.target = tgt(u.Code, ind.Code, s.year)
				row.pct = pctOfTarget(ind, row.ytd, row.target)
				vals[u.Code] = v
				rows[u.Code] = row
			}
			// The cluster mean over the units counted (with a value; a
			// ratio: with both parts); the total only when every unit is
			// counted, and none for a cluster_value mean indicator.
			total, cnt := 0.0, 0
			sn, sd, cntParts := 0.0, 0.0, 0
			for _, u := range d.cluster.Units {
				if v := vals[u.Code]; !math.IsNaN(v) {
					total += v
					cnt++
				}
				if ind.Agg == thidua.Ratio {
					n, de := d.parts(u.Code, ind, s.year, s.fm, s.lm)
					if !math.IsNaN(n) && !math.IsNaN(de) {
						sn += n
						sd += de
						cntParts++
					}
				}
			}
			mean := math.NaN()
			if cnt > 0 {
				mean = total / float64(cnt)
			} else {
				total = math.NaN()
			}
			if cnt < len(d.cluster.Units) || ind.ClusterValue == "mean" {
				total = math.NaN()
			}
			if ind.Agg == thidua.Ratio {
				total, mean = math.NaN(), math.NaN()
				if sd != 0 {
					mean = sn / sd * ind.Factor
					if cntParts == len(d.cluster.Units) {
						total = mean
					}
				}
			}
			vk, tk := map[string]float64{}, map[string]float64{}
			for u, row := range rows {
				row.total, row.mean = total, mean
				row.share = math.NaN()
				if ind.Agg != thidua.Ratio && ind.ClusterValue != "mean" && !math.IsNaN(row.value) && !math.IsNaN(total) && total != 0 {
					row.share = row.value / total * 100
				}
				switch ind.Direction {
				case thidua.Higher:
					vk[u] = -row.value
				case thidua.Lower:
					vk[u] = row.value
				case thidua.Target:
					vk[u] = math.Abs(row.value - row.target)
				}
				p := row.pct
				if ind.CapPct > 0 && !math.IsNaN(p) {
					p = math.Min(p, ind.CapPct)
				}
				tk[u] = -p
			}
			rv, rt := rank(vk), rank(tk)
			for u, row := range rows {
				row.rankValue, row.rankTarget = rv[u], rt[u]
				out[u+"|"+ind.Code+"|"+s.label] = *row
			}
		}
	}
	return out
}

func TestCrossCheckAgainstReference(t *testing.T) {
	for seed := uint64(1); seed <= 4; seed++ {
		t.Run(fmt.Sprint("seed", seed), func(t *testing.T) {
			d := randomData(seed)
			ctx := context.Background()
			db, err := store.Open(ctx, "", store.Options{})
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			if err := db.SyncCluster(ctx, d.cluster); err != nil {
				t.Fatal(err)
			}
			b := thidua.Batch{Source: thidua.Source{File: "x.csv", Name: "x.csv", SHA256: "x", Format: "csv"}}
			keys := make([]refKey, 0, len(d.months))
			for k := range d.months {
				keys = append(keys, k)
			}
			sort.Slice(keys, func(i, j int) bool { return fmt.Sprint(keys[i]) < fmt.Sprint(keys[j]) })
			for _, k := range keys {
				b.Observations = append(b.Observations, thidua.Observation{Unit: k.unit, Indicator: k.ind,
					Period: thidua.MonthPeriod(k.year, k.m), Basis: thidua.PeriodBasis, Value: d.months[k]})
			}
			for k, v := range d.targets {
				b.Targets = append(b.Targets, thidua.TargetValue{Unit: k.unit, Indicator: k.ind, Year: k.year, Value: v})
			}
			if _, err := db.LoadBatch(ctx, b, store.LoadOptions{}); err != nil {
				t.Fatal(err)
			}
			if err := transform.Run(ctx, db.SQL(), transform.Options{}); err != nil {
				t.Fatal(err)
			}
			want := d.expected()
			rows, err := db.SQL().Query(`SELECT unit_code, indicator_code, period, value, prev_value, yoy_value, ytd_value,
				target, pct_of_target, cluster_total, cluster_mean, share_of_cluster, rank_value, rank_target,
				change_prev, pct_change_prev, change_yoy, pct_change_yoy
				FROM indicator_pop WHERE NOT is_cluster`)
			if err != nil {
				t.Fatal(err)
			}
			defer rows.Close()
			seen := 0
			bad := 0
			for rows.Next() {
				var u, i, p string
				var v, pv, yv, ytd, tg, pct, tot, mean, share, cp, pcp, cy, pcy *float64
				var rv, rt *int
				if err := rows.Scan(&u, &i, &p, &v, &pv, &yv, &ytd, &tg, &pct, &tot, &mean, &share, &rv, &rt, &cp, &pcp, &cy, &pcy); err != nil {
					t.Fatal(err)
				}
				w, ok := want[u+"|"+i+"|"+p]
				if !ok {
					continue // periods outside the reference's years
				}
				seen++
				check := func(col string, got *float64, exp float64) {
					g := nanOr(got)
					if math.IsNaN(g) && math.IsNaN(exp) {
						return
					}
					if math.IsNaN(g) != math.IsNaN(exp) || math.Abs(g-exp) > 1e-6*math.Max(1, math.Abs(exp)) {
						bad++
						if bad <= 25 {
							t.Errorf("%s %s %s %s = %v, want %v", u, i, p, col, g, exp)
						}
					}
				}
				check("value", v, w.value)
				check("prev_value", pv, w.prev)
				check("yoy_value", yv, w.yoy)
				check("change_prev", cp, w.value-w.prev)
				check("pct_change_prev", pcp, pctChange(w.value, w.prev))
				check("change_yoy", cy, w.value-w.yoy)
				check("pct_change_yoy", pcy, pctChange(w.value, w.yoy))
				check("ytd_value", ytd, w.ytd)
				check("target", tg, w.target)
				check("pct_of_target", pct, w.pct)
				check("cluster_total", tot, w.total)
				check("cluster_mean", mean, w.mean)
				check("share_of_cluster", share, w.share)
				ri := func(col string, got *int, exp int) {
					g := 0
					if got != nil {
						g = *got
					}
					if g != exp {
						bad++
						if bad <= 25 {
							t.Errorf("%s %s %s %s = %v, want %v", u, i, p, col, g, exp)
						}
					}
				}
				ri("rank_value", rv, w.rankValue)
				ri("rank_target", rt, w.rankTarget)
			}
			// A "mean" indicator's cluster row is the mean of the units,
			// with no total; other cluster rows are the total (or, for
			// ratios, Σ ÷ Σ), and none has a share. A cluster row some
			// unit is missing from has no value, only value_partial.
			var badCluster int
			if err := db.SQL().QueryRow(`SELECT count(*) FROM indicator_pop c
				WHERE c.is_cluster AND (c.share_of_cluster IS NOT NULL
					OR (c.value IS NULL) <> (c.units_reported < c.units_expected)
					OR (c.value_partial IS NULL) <> (c.units_reported = c.units_expected OR c.units_reported = 0)
					OR c.value IS NOT NULL AND CASE c.indicator_code
					WHEN 'percommune' THEN abs(c.value - c.cluster_mean) > 1e-9 OR c.cluster_total IS NOT NULL
					ELSE abs(c.value - c.cluster_total) > 1e-9 END)`).Scan(&badCluster); err != nil {
				t.Fatal(err)
			}
			if badCluster > 0 {
				t.Errorf("%d cluster rows with the wrong value", badCluster)
			}
			if seen < len(want)*9/10 {
				t.Errorf("compared %d rows, the reference has %d", seen, len(want))
			}
			if bad > 0 {
				t.Errorf("%d mismatches", bad)
			}
		})
	}
}
