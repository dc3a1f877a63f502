package dashboards

import (
	"fmt"
	"math"
	"time"

	"github.com/thidua/thidua"
)

// Names that try to break out of HTML, of an inline script and of
// go-echarts' function marker.
const (
	xssScript = `</script><script>alert(1)</script>`
	xssImg    = `<img src=x onerror=alert(1)>`
	xssFunc   = `__f__function(){alert(1)}__f__`
)

var fixtureTime = time.Date(2026, 11, 26, 8, 30, 0, 0, time.UTC)

// fixtureReport is a small report: three units (U3 has not reported
// budget_revenue for 2020-H1; U2's 2020-H1 poverty rate is partial), three
// shown indicators and one hidden, halves and years of 2019–2020 and the
// first quarter of 2020. With evil, the names are XSS attempts.
func fixtureReport(evil bool) thidua.Report {
	names := []string{"Pác Nặm", "Ngân Sơn", "Chợ Đồn"}
	indNames := []string{"Thu ngân sách", "Tỷ lệ hộ nghèo", "Khen thưởng"}
	file := "mẫu.csv"
	if evil {
		names = []string{xssScript, xssImg, xssFunc}
		indNames = []string{xssFunc, xssImg, xssScript}
		file = xssImg + ".csv"
	}
	c := thidua.Cluster{Code: "BK8", Name: "Cụm thi đua 8 huyện", NameEN: "Cluster of 8"}
	if evil {
		c.Name = xssScript
	}
	for i, n := range names {
		c.Units = append(c.Units, thidua.Unit{Code: fmt.Sprintf("U%d", i+1), Name: n, NameEN: n + " (en)"})
	}
	c.Indicators = []thidua.Indicator{
		{Code: "budget_revenue", Name: indNames[0], NameEN: "Budget revenue", Measure: "triệu đồng", MeasureEN: "million VND",
			Agg: thidua.Sum, Direction: thidua.Higher, HasTarget: true, Decimals: 0},
		{Code: "poverty_rate", Name: indNames[1], NameEN: "Poverty rate", Measure: "%", MeasureEN: "%",
			Agg: thidua.Ratio, Direction: thidua.Lower, HasTarget: true, Decimals: 2},
		{Code: "commended", Name: indNames[2], NameEN: "Commended", Measure: "lượt", MeasureEN: "awards",
			Agg: thidua.Sum, Direction: thidua.Higher, Decimals: 0},
		{Code: "households", Name: "Số hộ", Agg: thidua.Last, Direction: thidua.Higher, Hidden: true},
	}
	periods := []thidua.Period{
		{Type: thidua.Quarter, Year: 2020, N: 1},
		{Type: thidua.Half, Year: 2019, N: 1}, {Type: thidua.Half, Year: 2020, N: 1},
		{Type: thidua.Year, Year: 2019}, {Type: thidua.Year, Year: 2020},
	}
	if evil {
		c.Indicators[0].Measure = xssImg
		c.Indicators[1].Measure = xssFunc
	}
	r := thidua.Report{Cluster: c, Periods: periods, GeneratedAt: fixtureTime, Synthetic: true}
	base := map[string][]float64{
		"budget_revenue": {12000, 8000, 20000},
		"poverty_rate":   {35.2, 30.1, 15.9},
		"commended":      {120, 95, 210},
	}
	targets := map[string][]float64{"budget_revenue": {20000, 12000, 30000}, "poverty_rate": {33, 29, 15}}
	scale := func(p thidua.Period) float64 {
		f := 1.0
		switch p.Type {
		case thidua.Quarter:
			f = 0.25
		case thidua.Half:
			f = 0.5
		}
		if p.Year == 2020 {
			f *= 1.1
		}
		return f
	}
	round := func(v float64) float64 { return math.Round(v*100) / 100 }
	for _, ind := range c.Indicators[:3] {
		for _, p := range periods {
			var vals []thidua.Num
			for ui := range c.Units {
				v := base[ind.Code][ui] * scale(p)
				if ind.Code == "poverty_rate" {
					v = base[ind.Code][ui] - float64(p.Year-2019)*1.5
				}
				n := thidua.Some(round(v))
				if ind.Code == "budget_revenue" && ui == 2 && p == periods[2] {
					n = thidua.Num{} // U3 has not reported
				}
				vals = append(vals, n)
			}
			var total, cnt float64
			for _, v := range vals {
				if v.OK {
					total += v.V
					cnt++
				}
			}
			for ui, u := range c.Units {
				row := thidua.PopRow{Unit: u.Code, UnitName: u.Name, Indicator: ind.Code, IndicatorName: ind.Name, Period: p,
					Value: vals[ui], Complete: true, MonthsExpected: 6, MonthsReported: 6, ValueSource: "period"}
				if !vals[ui].OK {
					row.Complete, row.MonthsReported, row.Status = false, 0, thidua.NotReported
					r.Pop = append(r.Pop, row)
					continue
				}
				row.YTDValue = vals[ui]
				if tg, ok := targets[ind.Code]; ok {
					row.Target = thidua.Some(tg[ui])
					row.PctOfTarget = thidua.Some(round(fixturePct(ind, vals[ui].V, tg[ui])))
					row.Achievement = row.PctOfTarget
					row.Status = fixtureStatus(row.PctOfTarget.V)
					row.RankTarget = ui + 1
				}
				row.RankValue = ui + 1
				if p.Year == 2020 && p.Type != thidua.Quarter {
					prev := base[ind.Code][ui] * scale(thidua.Period{Type: p.Type, Year: 2019, N: p.N})
					row.YoYValue = thidua.Some(round(prev))
					row.ChangeYoY = thidua.Some(round(vals[ui].V - prev))
					row.PctChangeYoY = thidua.Some(round((vals[ui].V - prev) / prev * 100))
				}
				if !row.Target.OK {
					row.Status = thidua.NoTarget
				}
				if row.PctChangeYoY.OK {
					row.YoYTrend = fixtureTrend(ind, row.PctChangeYoY.V)
				}
				// the cluster's total and a unit's share of it only when every
				// unit reported (docs/transform.md#rule-cluster-value)
				if cnt == 3 {
					row.ClusterTotal = thidua.Some(total)
					row.Share = thidua.Some(round(vals[ui].V / total * 100))
				}
				row.ClusterMean = thidua.Some(round(total / cnt))
				if ind.Code == "poverty_rate" && ui == 1 && p == periods[2] {
					row.Complete, row.MonthsReported, row.Status = false, 4, thidua.Incomplete
				}
				r.Pop = append(r.Pop, row)
			}
			cl := thidua.PopRow{Unit: c.Code, UnitName: c.Name, Indicator: ind.Code, IndicatorName: ind.Name, Period: p,
				Value: thidua.Some(total), YTDValue: thidua.Some(total), ClusterTotal: thidua.Some(total),
				ClusterMean: thidua.Some(round(total / cnt)), IsCluster: true, Complete: cnt == 3, UnitsReported: int(cnt), UnitsExpected: 3, UnitsRanked: int(cnt)}
			if p.Year == 2020 {
				cl.PctChangeYoY = thidua.Some(10)
				cl.ChangeYoY = thidua.Some(-1.5)
				cl.YoYTrend = fixtureTrend(ind, 10)
			}
			if tg, ok := targets[ind.Code]; ok {
				cl.Target = thidua.Some(tg[0] + tg[1] + tg[2])
				cl.PctOfTarget = thidua.Some(round(fixturePct(ind, total, cl.Target.V)))
				cl.Achievement = cl.PctOfTarget
				cl.Status = fixtureStatus(cl.PctOfTarget.V)
			} else {
				cl.Status = thidua.NoTarget
			}
			if cnt < 3 {
				// units missing: no value, no total, no year to date; the
				// sum of the units that reported is value_partial
				cl.Value, cl.YTDValue, cl.ClusterTotal, cl.PctOfTarget, cl.Achievement = thidua.Num{}, thidua.Num{}, thidua.Num{}, thidua.Num{}, thidua.Num{}
				cl.ChangeYoY, cl.PctChangeYoY, cl.YoYTrend = thidua.Num{}, thidua.Num{}, ""
				cl.ValuePartial = thidua.Some(total)
				cl.Status = thidua.Incomplete
			}
			r.Pop = append(r.Pop, cl)
		}
	}
	for _, p := range []thidua.Period{periods[1], periods[2]} {
		for ui, u := range c.Units {
			rank := ui + 1
			if p.Year == 2020 {
				rank = 3 - ui
			}
			s := thidua.ScoreRow{Unit: u.Code, UnitName: u.Name, Period: p, Points: thidua.Some(float64(90 - 10*rank)),
				MaxPoints: thidua.Some(100), Bonus: thidua.Some(0), Total: thidua.Some(float64(90 - 10*rank)), Rank: rank, CriteriaScored: 2}
			if p.Year == 2020 {
				s.PrevRank = ui + 1
				s.RankChange = thidua.Some(float64(s.PrevRank - rank))
			}
			r.Scores = append(r.Scores, s)
		}
	}
	r.QualityFlags = []thidua.QualityFlag{
		{Check: "unit_slip", Severity: "error", Unit: "U2", Indicator: "budget_revenue", Period: "2020-H1", Value: thidua.Some(8800), Expected: thidua.Some(4000),
			Score: thidua.Some(4.2), Message: "about 2 times " + names[1], MessageVI: "gấp khoảng 2 lần " + names[1]},
		{Check: "completeness", Severity: "warning", Unit: "U3", Indicator: "budget_revenue", Period: "2020-H1", Expected: thidua.Some(6), Message: "0/6 months", MessageVI: "0/6 tháng"},
	}
	r.Loads = []thidua.Load{{ID: 1, File: "/data/" + file, SHA256: "0123456789abcdef0123456789abcdef", Format: "sample", Rows: 120,
		LoadedAt: fixtureTime.Add(-time.Hour), Inserted: 120, Status: "loaded"}}
	return r
}

// fixturePct, fixtureStatus and fixtureTrend give the hand-made report the
// values the transform computes (transform/models/080_pop.sql; the
// transform's tests check them there, TestStatusSite checks a real run's
// site).
func fixturePct(ind thidua.Indicator, ytd, target float64) float64 {
	if ind.Direction == thidua.Lower {
		if ytd <= target {
			return 100
		}
		return target / ytd * 100
	}
	return ytd / target * 100
}

func fixtureStatus(ach float64) thidua.Status {
	switch {
	case ach >= 100:
		return thidua.OnTarget
	case ach >= 90:
		return thidua.Close
	}
	return thidua.Behind
}

func fixtureTrend(ind thidua.Indicator, change float64) thidua.Trend {
	switch {
	case change == 0:
		return thidua.Same
	case (change > 0) == (ind.Direction != thidua.Lower):
		return thidua.Better
	}
	return thidua.Worse
}
