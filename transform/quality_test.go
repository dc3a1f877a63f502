package transform

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/thidua/thidua"
	"github.com/thidua/thidua/store"
)

func quality(f *fixture, check string) []map[string]any {
	return f.rows(`SELECT * FROM quality WHERE check_name = ? ORDER BY unit_code, indicator_code, period`, check)
}

func smallCluster(inds ...string) thidua.Cluster {
	c := testCluster()
	var keep []thidua.Indicator
	for _, ind := range c.Indicators {
		for _, k := range inds {
			if ind.Code == k {
				keep = append(keep, ind)
			}
		}
	}
	c.Indicators = keep
	return c
}

func TestCompleteness(t *testing.T) {
	f := newFixture(t, smallCluster("rev", "stock"))
	f.months("A1", "rev", 2020, 1, 1, 2, 3)
	f.months("A1", "stock", 2020, 1, 5, N2, 7)
	f.months("B2", "rev", 2020, 1, 1, 1)
	f.months("B2", "stock", 2020, 1, 1, 1, 1)
	f.months("C3", "rev", 2020, 1, 1, 1, 1)
	f.months("C3", "stock", 2020, 1, 1, 1, 1)
	// March has not ended at the run: nobody is expected to have reported it.
	f.run(Options{Now: time.Date(2020, 3, 20, 0, 0, 0, 0, time.UTC)})
	q := quality(f, "completeness")
	if len(q) != 1 {
		t.Fatalf("completeness rows: %v", q)
	}
	check(t, "A1 2020-02", q[0], map[string]any{"unit_code": "A1", "indicator_code": N, "period": "2020-02",
		"severity": "warning", "value": 1, "expected": 2, "score": 0.5,
		"message":    "2020-02 report missing for 1 of 2 indicators: stock",
		"message_vi": "Thiếu báo cáo kỳ 2020-02: 1/2 chỉ tiêu chưa có số liệu (stock)"}, false)
	// A year later March is expected. The units report monthly, so one
	// missing month is one finding: not also its quarter, half and year.
	f.run(Options{Now: time.Date(2021, 2, 1, 0, 0, 0, 0, time.UTC)})
	got := map[string]string{}
	for _, r := range quality(f, "completeness") {
		got[r["unit_code"].(string)+" "+r["period"].(string)] = r["message"].(string)
	}
	want := map[string]string{
		"A1 2020-02": "2020-02 report missing for 1 of 2 indicators: stock",
		"B2 2020-03": "2020-03 report missing for 1 of 2 indicators: rev",
	}
	if len(got) != len(want) {
		t.Errorf("findings %v, want %v", got, want)
	}
	for k, w := range want {
		if got[k] != w {
			t.Errorf("%s: %q, want %q", k, got[k], w)
		}
	}
}

// TestCompletenessFrequency: a unit that reports half-yearly (inferred from
// what it sends, or configured) is expected once a half: a missing half is
// one finding, not one per month (issue 10, item 8).
func TestCompletenessFrequency(t *testing.T) {
	f := newFixture(t, smallCluster("rev", "stock"))
	f.months("A1", "rev", 2020, 1, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12)
	f.months("A1", "stock", 2020, 1, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12)
	// B2 sends half-year reports, and H2 is missing for stock.
	f.add("B2", "rev", "2020-H1", thidua.PeriodBasis, 60)
	f.add("B2", "rev", "2020-H2", thidua.PeriodBasis, 70)
	f.add("B2", "stock", "2020-06", thidua.YTDBasis, 5)
	f.run(Options{Now: time.Date(2021, 2, 1, 0, 0, 0, 0, time.UTC)})
	var b2 []string
	for _, r := range quality(f, "completeness") {
		if r["unit_code"] == "B2" {
			b2 = append(b2, r["period"].(string)+": "+r["message"].(string))
		}
	}
	if want := []string{"2020-H2: 2020-H2 report missing for 1 of 2 indicators: stock"}; !slices.Equal(b2, want) {
		t.Errorf("B2 findings %q, want %q", b2, want)
	}
	check(t, "B2 H1", f.pop("B2", "rev", "2020-H1"), map[string]any{"complete": true, "months_expected": 6, "months_reported": 6}, false)
	// Configured quarterly, B2 misses every quarter of stock but Q2 and
	// every quarter of rev: 4 findings, one a quarter.
	f.run(Options{Now: time.Date(2021, 2, 1, 0, 0, 0, 0, time.UTC),
		Quality: thidua.QualityConfig{UnitFrequency: map[string]string{"B2": "quarter"}}})
	n := 0
	for _, r := range quality(f, "completeness") {
		if r["unit_code"] == "B2" {
			n++
			if !strings.Contains(r["period"].(string), "-Q") {
				t.Errorf("B2 finding for %v", r["period"])
			}
		}
	}
	if n != 4 {
		t.Errorf("B2 quarterly: %d findings, want 4", n)
	}
	// An indicator configured yearly is expected once a year even of a
	// monthly unit: A1 is complete.
	f.run(Options{Now: time.Date(2021, 2, 1, 0, 0, 0, 0, time.UTC),
		Quality: thidua.QualityConfig{IndicatorFrequency: map[string]string{"rev": "year", "stock": "year"}}})
	for _, r := range quality(f, "completeness") {
		if r["unit_code"] == "A1" {
			t.Errorf("yearly: unexpected finding %v", r)
		}
	}
}

func TestRules(t *testing.T) {
	f := newFixture(t, smallCluster("rev", "stock"))
	f.months("A1", "stock", 2020, 1, 12) // > 10 communes
	f.months("B2", "stock", 2020, 1, 5)  // = 5 communes: fine
	f.months("A1", "rev", 2020, 1, 20)
	f.months("B2", "rev", 2020, 1, -5)
	f.run(Options{Rules: []string{"stock <= communes", "rev>=0", "stock < rev"}})
	q := f.rows(`SELECT * FROM quality WHERE check_name = 'rule' AND period = '2020-01' ORDER BY unit_code, message`)
	if len(q) != 3 {
		t.Fatalf("rule rows: %v", q)
	}
	check(t, "A1 communes", q[0], map[string]any{"unit_code": "A1", "indicator_code": "stock", "value": 12, "expected": 10, "score": 2,
		"message": `breaks rule "stock <= communes": stock = 12, communes = 10`}, false)
	check(t, "B2 negative", q[1], map[string]any{"unit_code": "B2", "indicator_code": "rev", "value": -5, "expected": 0, "score": -5,
		"message": `breaks rule "rev>=0": rev = -5, limit = 0`}, false)
	check(t, "B2 stock<rev", q[2], map[string]any{"unit_code": "B2", "indicator_code": "stock", "value": 5, "expected": -5,
		"message": `breaks rule "stock < rev": stock = 5, rev = -5`}, false)

	for _, bad := range []string{"nope <= 3", "stock <= nope", "stock <> 3", "stock => 3", "stock", "stock <= ", "sto ck < 3", "stock < 1e999", "stock < 'x'"} {
		err := Run(context.Background(), f.db.SQL(), Options{Rules: []string{bad}})
		var re *thidua.RuleError
		if !errors.As(err, &re) || re.Rule != bad || !strings.Contains(err.Error(), "step rules") {
			t.Errorf("rule %q: error %v", bad, err)
		}
	}
}

func TestLateCorrection(t *testing.T) {
	f := newFixture(t, smallCluster("rev"))
	f.months("A1", "rev", 2020, 1, 10)
	f.months("B2", "rev", 2020, 1, 7)
	f.load(time.Date(2020, 2, 5, 8, 0, 0, 0, time.UTC))
	f.months("A1", "rev", 2020, 1, 12)
	f.months("B2", "rev", 2020, 1, 7) // unchanged: no flag
	f.load(time.Date(2020, 4, 1, 9, 30, 0, 0, time.UTC))
	f.run(Options{})
	q := quality(f, "late_correction")
	if len(q) != 1 {
		t.Fatalf("late corrections: %v", q)
	}
	check(t, "A1", q[0], map[string]any{"unit_code": "A1", "indicator_code": "rev", "period": "2020-01",
		"value": 12, "expected": 10, "score": 20,
		"message": "2020-01 value (period) changed from 10 to 12 by load 2 at 2020-04-01 09:30:00, after the period was first loaded at 2020-02-05 08:00:00"}, false)
	if got := f.pop("A1", "rev", "2020-01")["value"]; !same(got, 12) {
		t.Errorf("corrected value %v", got)
	}
}

func TestRatioDirectConflict(t *testing.T) {
	f := newFixture(t, smallCluster("rate", "poor", "hh"))
	f.months("A1", "poor", 2020, 1, 10)
	f.months("A1", "hh", 2020, 1, 100)
	f.add("A1", "rate", "2020-01", thidua.PeriodBasis, 12)
	f.run(Options{})
	q := quality(f, "span_conflict")
	if len(q) != 1 {
		t.Fatalf("%v", q)
	}
	check(t, "ratio conflict", q[0], map[string]any{"unit_code": "A1", "indicator_code": "rate", "period": "2020-01",
		"value": 12, "expected": 10, "score": 2,
		"message": "direct report of 2020-01 = 12 disagrees with its parts 10 ÷ 100 × 100 = 10; the parts are used"}, false)
	if got := f.pop("A1", "rate", "2020-01")["value"]; !same(got, 10) {
		t.Errorf("rate %v, want 10 from the parts", got)
	}
}

// TestMonthConflictsWithYTD: a month report and year-to-date reports that
// disagree are flagged on the month and on the January-to-month span.
func TestMonthConflictsWithYTD(t *testing.T) {
	f := newFixture(t, smallCluster("rev"))
	f.months("A1", "rev", 2020, 1, 5, 5)
	f.add("A1", "rev", "2020-02", thidua.YTDBasis, 12)
	f.run(Options{})
	q := quality(f, "span_conflict")
	if len(q) != 2 {
		t.Fatalf("%v", q)
	}
	msgs := []string{q[0]["message"].(string), q[1]["message"].(string)}
	want := []string{
		"direct report of 2020-02 = 5 disagrees with the difference of year-to-date reports 7; the direct report is used",
		"direct report of 2020-02 (year to date) = 12 disagrees with the sum of its months 10; the direct report is used",
	}
	if !(msgs[0] == want[0] && msgs[1] == want[1] || msgs[0] == want[1] && msgs[1] == want[0]) {
		t.Errorf("messages %q, want %q", msgs, want)
	}
	check(t, "month", f.pop("A1", "rev", "2020-02"), map[string]any{"value": 5, "ytd_value": 12, "value_source": "direct"}, false)
}

// seasonal: a flow of 12 months with a strong season (nothing from April to
// September), scaled.
func seasonal(scale float64) []float64 {
	base := []float64{10, 40, 30, 0, 0, 0, 0, 0, 0, 20, 30, 50}
	out := make([]float64, len(base))
	for i, v := range base {
		out[i] = v * scale
	}
	return out
}

// TestValueChecks: each kind of mistake is named as such, with the numbers,
// and the ordinary shape of the data (seasons, zeros, a unit ten times the
// size of another) is not flagged.
func TestValueChecks(t *testing.T) {
	f := newFixture(t, smallCluster("rev", "stock"))
	a1, b2 := map[int][]float64{}, map[int][]float64{}
	for y := 2017; y <= 2020; y++ {
		a1[y] = seasonal(1 + 0.05*float64(y-2017))
		b2[y] = seasonal(10) // ten times A1: not a finding
	}
	a1[2019][1] = 42000 // ×1000 (February)
	a1[2018][10] = 3.1  // ÷10 (November)
	a1[2020][11] = 203  // the year to date: 149.5 + a normal 53.5
	b2[2017][2] = 1350  // 4.5 times: an outlier, not a slip
	for y := 2017; y <= 2020; y++ {
		f.months("A1", "rev", y, 1, a1[y]...)
		f.months("B2", "rev", y, 1, b2[y]...)
	}
	f.months("A1", "stock", 2020, 1, 5, 5, 6, 4, 6, 6) // drops in April
	f.run(Options{Quality: thidua.QualityConfig{NonDecreasing: []string{"stock"}}})
	got := map[string]map[string]any{}
	for _, r := range f.rows(`SELECT * FROM quality WHERE check_name <> 'completeness'`) {
		got[r["unit_code"].(string)+" "+r["period"].(string)] = r
	}
	want := map[string]map[string]any{
		"A1 2019-02": {"check_name": "unit_slip", "severity": "error", "value": 42000, "expected": 42, "score": 1000,
			"message": "2019-02 = 42000 is about 1000 times what this unit usually reports (42, the same month of its other years): looks entered in a unit 1000 times smaller than the indicator's"},
		"A1 2018-11": {"check_name": "unit_slip", "value": 3.1, "expected": 33, "score": 0.1,
			"message":    "2018-11 = 3.1 is about 1/10 times what this unit usually reports (33, the same month of its other years): decimal point shifted 1 place to the left",
			"message_vi": "Kỳ 2018-11 = 3.1 gấp khoảng 1/10 lần mức đơn vị thường báo cáo (33, cùng tháng các năm khác): có vẻ đặt nhầm dấu thập phân (lệch 1 chữ số)"},
		"A1 2020-12": {"check_name": "ytd_as_month", "severity": "error", "value": 203,
			"message": "2020-12 = 203 looks like the year to date typed as the month: the earlier months of the year add up to 149.5 and a normal month is about 52.5 (the same month of its other years); the month alone is probably about 53.5"},
		"B2 2017-03": {"check_name": "seasonal_outlier", "severity": "warning", "value": 1350, "expected": 300,
			"message": "2017-03 = 1350 is 4.5 times the same month of its other years (300): please check"},
		"A1 2020-04": {"check_name": "stock_drop", "severity": "error", "value": 4, "expected": 6,
			"message": "2020-04 = 4 is below the month before (2020-03 = 6), but stock never decreases"},
	}
	for k, w := range want {
		g, ok := got[k]
		if !ok {
			t.Errorf("%s not flagged", k)
			continue
		}
		check(t, k, g, w, false)
	}
	for k, g := range got {
		if _, ok := want[k]; !ok {
			t.Errorf("false alarm %s: %v", k, g["message"])
		}
	}

	// Disabled checks are not run; accepted findings stay, marked, and the
	// store's readers do not return them.
	f.run(Options{Quality: thidua.QualityConfig{NonDecreasing: []string{"stock"}, Disabled: []string{"seasonal_outlier"},
		Accepted: []thidua.Accepted{{Check: "stock_drop", Unit: "A1", Who: "Lan (thư ký)", Why: "xã bị thu hồi danh hiệu"}}}})
	if q := quality(f, "seasonal_outlier"); len(q) != 0 {
		t.Errorf("disabled check ran: %v", q)
	}
	q := quality(f, "stock_drop")
	if len(q) != 1 || q[0]["accepted_by"] != "Lan (thư ký)" || q[0]["accepted_why"] != "xã bị thu hồi danh hiệu" {
		t.Errorf("accepted stock_drop: %v", q)
	}
	flags, err := f.db.Quality(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, fl := range flags {
		if fl.Check == "stock_drop" {
			t.Errorf("accepted finding shown: %+v", fl)
		}
	}
	// Most severe first, grouped by unit.
	if len(flags) < 2 || flags[0].Severity != "error" || flags[0].Unit != "A1" {
		t.Errorf("order: %+v", flags)
	}
}

// TestShareReference: with one year of data, a month is compared with the
// unit's typical share of the year (from the other units), so a unit ten
// times the size of the others is not flagged, and its slip is.
func TestShareReference(t *testing.T) {
	c := smallCluster("rev")
	c.Units = append(c.Units, thidua.Unit{Code: "D4", Name: "Delta"}, thidua.Unit{Code: "E5", Name: "Epsilon"})
	f := newFixture(t, c)
	f.months("A1", "rev", 2020, 1, seasonal(1)...)
	f.months("B2", "rev", 2020, 1, seasonal(1.2)...)
	f.months("D4", "rev", 2020, 1, seasonal(0.9)...)
	e5 := seasonal(10)
	e5[10] = 300000
	f.months("E5", "rev", 2020, 1, e5...)
	f.run(Options{})
	q := f.rows(`SELECT * FROM quality WHERE check_name <> 'completeness'`)
	if len(q) != 1 || q[0]["unit_code"] != "E5" || q[0]["check_name"] != "unit_slip" ||
		!strings.Contains(q[0]["message"].(string), "its typical share of the year") {
		t.Errorf("findings %v", q)
	}
}

// TestLateReport: with a deadline of 10 days after the period's end, a unit's
// report is late when its last indicator first arrived after it; a later
// correction of a value sent on time does not make the report late, and
// without a deadline nothing is late.
func TestLateReport(t *testing.T) {
	f := newFixture(t, smallCluster("rev", "stock"))
	at := func(m time.Month, d int) time.Time { return time.Date(2020, m, d, 9, 0, 0, 0, time.UTC) }
	f.months("A1", "rev", 2020, 1, 10)
	f.months("A1", "stock", 2020, 1, 3)
	f.load(at(2, 5)) // January due 10 February: on time
	f.months("B2", "rev", 2020, 1, 7)
	f.months("B2", "stock", 2020, 1, 2)
	f.months("A1", "rev", 2020, 2, 11)
	f.load(at(2, 20)) // B2's January: 10 days late
	f.months("A1", "stock", 2020, 2, 3)
	f.months("B2", "rev", 2020, 2, 8)
	f.months("B2", "stock", 2020, 2, 2)
	f.load(at(3, 10)) // February due 10 March (29 + 10 days): on time, A1's last indicator included
	f.months("A1", "rev", 2020, 1, 12)
	f.load(at(4, 1)) // a correction of A1's January, not a late report

	ten := 10
	f.run(Options{Quality: thidua.QualityConfig{DueDays: &ten}})
	q := quality(f, "late_report")
	if len(q) != 1 {
		t.Fatalf("late reports: %v", q)
	}
	check(t, "B2 January", q[0], map[string]any{"unit_code": "B2", "indicator_code": N, "period": "2020-01",
		"value": 10, "expected": 10, "score": 10, "severity": "info",
		"message":    "report of 2020-01 complete on 2020-02-20, 10 day(s) after it was due (2020-02-10)",
		"message_vi": "Báo cáo kỳ 2020-01 nộp đủ ngày 20/02/2020, chậm 10 ngày so với hạn (10/02/2020)"}, false)

	// A deadline one day before February ends makes A1's and B2's February late.
	early := -1
	f.run(Options{Quality: thidua.QualityConfig{DueDays: &early}})
	var got []string
	for _, r := range quality(f, "late_report") {
		got = append(got, fmt.Sprint(r["unit_code"], " ", r["period"], " ", r["value"]))
	}
	if want := "[A1 2020-01 6 A1 2020-02 11 B2 2020-01 21 B2 2020-02 11]"; fmt.Sprint(got) != want {
		t.Errorf("due -1 day: %v, want %s", got, want)
	}

	f.run(Options{})
	if q := quality(f, "late_report"); len(q) != 0 {
		t.Errorf("no deadline, yet late reports: %v", q)
	}
}

// TestLateReportSample: the built-in sample's loads are never late.
func TestLateReportSample(t *testing.T) {
	f := newFixture(t, smallCluster("rev"))
	f.months("A1", "rev", 2020, 1, 10)
	f.batch.Source = thidua.Source{File: "sample", Name: "sample", SHA256: "sample", Format: store.FormatSample}
	f.batch.Rows = 1
	if _, err := f.db.LoadBatch(context.Background(), f.batch, store.LoadOptions{Now: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}); err != nil {
		t.Fatal(err)
	}
	f.batch = thidua.Batch{}
	zero := 0
	f.run(Options{Quality: thidua.QualityConfig{DueDays: &zero}})
	if q := quality(f, "late_report"); len(q) != 0 {
		t.Errorf("sample loads judged late: %v", q)
	}
}
