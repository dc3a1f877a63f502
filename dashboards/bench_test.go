package dashboards

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/thidua/thidua"
)

// bigReport is the size of the built-in sample: 8 units, 9 indicators,
// every month, quarter, half, 9 months and year of 2018–2021.
func bigReport() thidua.Report { return sizedReport(8, 9, 2018, 2021) }

// sizedReport is a report of units × inds over the months, quarters,
// halves, 9 months and years of years from…to; about 2% of the units'
// values are missing and 1% partial. sizedReport(8, 105, 2016, 2025) is
// the bench harness's size S (8 units × 100 indicators + 5 ratios × 120
// months: 189,000 indicator_pop rows).
func sizedReport(units, inds, from, to int) thidua.Report {
	c := thidua.Cluster{Code: "BK8", Name: "Cụm"}
	for i := 0; i < units; i++ {
		c.Units = append(c.Units, thidua.Unit{Code: fmt.Sprintf("%03d", 58+i), Name: fmt.Sprintf("Đơn vị %d", i)})
	}
	for i := 0; i < inds; i++ {
		c.Indicators = append(c.Indicators, thidua.Indicator{Code: fmt.Sprintf("ind%d", i), Name: fmt.Sprintf("Chỉ tiêu %d", i),
			Direction: thidua.Higher, HasTarget: i%9 != 8, Decimals: 1})
	}
	r := thidua.Report{Cluster: c, GeneratedAt: fixtureTime}
	for y := from; y <= to; y++ {
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
			reported := 0
			for ui, u := range c.Units {
				v := float64(100*(ui+1) + 7*ii + pi)
				row := thidua.PopRow{Unit: u.Code, Indicator: ind.Code, Period: p, Value: thidua.Some(v),
					YTDValue: thidua.Some(v), Target: thidua.Some(900), PctOfTarget: thidua.Some(v / 9), PctChangeYoY: thidua.Some(float64(ui - 3)),
					RankValue: units - ui, RankTarget: units - ui, ClusterMean: thidua.Some(450), Complete: true}
				if units > 8 || len(r.Periods) > 100 { // sizes beyond the sample: gaps and partial values
					switch h := (pi*31 + ii*17 + ui*7) % 100; {
					case h < 2:
						row.Value, row.YTDValue, row.PctOfTarget, row.RankValue, row.RankTarget = thidua.Num{}, thidua.Num{}, thidua.Num{}, 0, 0
					case h < 3:
						row.Complete = false
					}
				}
				row.Achievement, row.Status = row.PctOfTarget, thidua.NotReported
				if row.Value.OK {
					row.Status = fixtureStatus(row.PctOfTarget.V)
				}
				if !row.Complete {
					row.Status = thidua.Incomplete
				}
				if row.Value.OK {
					reported++
				}
				r.Pop = append(r.Pop, row)
			}
			r.Pop = append(r.Pop, thidua.PopRow{Unit: c.Code, Indicator: ind.Code, Period: p, IsCluster: true, Value: thidua.Some(3600),
				ClusterMean: thidua.Some(450), PctOfTarget: thidua.Some(50), Achievement: thidua.Some(50), Status: thidua.Behind, Complete: true,
				UnitsReported: reported, UnitsExpected: len(c.Units), UnitsRanked: reported})
		}
		for ui, u := range c.Units {
			r.Scores = append(r.Scores, thidua.ScoreRow{Unit: u.Code, Period: p, Total: thidua.Some(float64(50 + ui)), Rank: units - ui})
		}
	}
	return r
}

// BenchmarkRenderS renders a report of the bench harness's size S.
func BenchmarkRenderS(b *testing.B) {
	needECharts(b)
	// The rendering as the program runs it: hand-written chart options
	// not checked against go-echarts' (the tests check them).
	defer func(c, b bool) { checkFastCharts, checkBare = c, b }(checkFastCharts, checkBare)
	checkFastCharts, checkBare = false, false
	r := sizedReport(8, 105, 2016, 2025)
	dir := b.TempDir()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		files, err := Render(dir, r, Options{GeneratedAt: fixtureTime})
		if err != nil {
			b.Fatal(err)
		}
		if i == 0 {
			var pages, size int64
			for _, f := range files {
				if strings.HasSuffix(f, ".html") {
					st, _ := os.Stat(f)
					pages++
					size += st.Size()
				}
			}
			b.ReportMetric(float64(pages), "pages")
			b.ReportMetric(float64(size)/float64(pages)/1024, "KB/page")
		}
	}
}

func BenchmarkRender(b *testing.B) {
	needECharts(b)
	defer func(c, b bool) { checkFastCharts, checkBare = c, b }(checkFastCharts, checkBare)
	checkFastCharts, checkBare = false, false
	r := bigReport()
	dir := b.TempDir()
	for i := 0; i < b.N; i++ {
		if _, err := Render(dir, r, Options{GeneratedAt: fixtureTime}); err != nil {
			b.Fatal(err)
		}
	}
}
