package dashboards

import (
	"fmt"
	"testing"

	"github.com/thidua/thidua"
)

// bigReport is the size of the built-in sample: 8 units, 9 indicators,
// every month, quarter, half, 9 months and year of 2018–2021.
func bigReport() thidua.Report {
	c := thidua.Cluster{Code: "BK8", Name: "Cụm"}
	for i := 0; i < 8; i++ {
		c.Units = append(c.Units, thidua.Unit{Code: fmt.Sprintf("%03d", 58+i), Name: fmt.Sprintf("Đơn vị %d", i)})
	}
	for i := 0; i < 9; i++ {
		c.Indicators = append(c.Indicators, thidua.Indicator{Code: fmt.Sprintf("ind%d", i), Name: fmt.Sprintf("Chỉ tiêu %d", i),
			Direction: thidua.Higher, HasTarget: i != 8, Decimals: 1})
	}
	r := thidua.Report{Cluster: c, GeneratedAt: fixtureTime}
	for y := 2018; y <= 2021; y++ {
		for m := 1; m <= 12; m++ {
			r.Periods = append(r.Periods, thidua.MonthPeriod(y, m))
		}
		for q := 1; q <= 4; q++ {
			r.Periods = append(r.Periods, thidua.Period{Type: thidua.Quarter, Year: y, N: q})
		}
		r.Periods = append(r.Periods, thidua.Period{Type: thidua.Half, Year: y, N: 1}, thidua.Period{Type: thidua.Half, Year: y, N: 2},
			thidua.Period{Type: thidua.YTD9, Year: y, N: 9}, thidua.Period{Type: thidua.Year, Year: y})
	}
	for pi, p := range r.Periods {
		for ii, ind := range c.Indicators {
			for ui, u := range c.Units {
				v := float64(100*(ui+1) + 7*ii + pi)
				r.Pop = append(r.Pop, thidua.PopRow{Unit: u.Code, Indicator: ind.Code, Period: p, Value: thidua.Some(v),
					YTDValue: thidua.Some(v), Target: thidua.Some(900), PctOfTarget: thidua.Some(v / 9), PctChangeYoY: thidua.Some(float64(ui - 3)),
					RankValue: 8 - ui, RankTarget: 8 - ui, ClusterMean: thidua.Some(450), Complete: true})
			}
			r.Pop = append(r.Pop, thidua.PopRow{Unit: c.Code, Indicator: ind.Code, Period: p, IsCluster: true, Value: thidua.Some(3600),
				ClusterMean: thidua.Some(450), PctOfTarget: thidua.Some(50), Complete: true})
		}
		for ui, u := range c.Units {
			r.Scores = append(r.Scores, thidua.ScoreRow{Unit: u.Code, Period: p, Total: thidua.Some(float64(50 + ui)), Rank: 8 - ui})
		}
	}
	return r
}

func BenchmarkRender(b *testing.B) {
	if _, err := ECharts(); err != nil {
		b.Skip(err)
	}
	r := bigReport()
	dir := b.TempDir()
	for i := 0; i < b.N; i++ {
		if _, err := Render(dir, r, Options{GeneratedAt: fixtureTime}); err != nil {
			b.Fatal(err)
		}
	}
}
