package transform

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/thidua/thidua"
)

// qualitySetCluster is the cluster of testdata/qualityset: the eight units
// of the Bắc Kạn cluster (a city and seven districts) and its flows and
// stock.
func qualitySetCluster() thidua.Cluster {
	c := thidua.Cluster{Code: "BK8", Name: "Cụm thử"}
	for _, u := range []string{"058", "060", "061", "062", "063", "064", "065", "066"} {
		c.Units = append(c.Units, thidua.Unit{Code: u, Name: "Đơn vị " + u, Communes: 20})
	}
	for _, ind := range []struct {
		code, measure string
		agg           thidua.Aggregation
	}{
		{"budget_revenue", "triệu đồng", thidua.Sum}, {"afforestation_ha", "ha", thidua.Sum},
		{"recruits", "người", thidua.Sum}, {"rice_area_ha", "ha", thidua.Sum}, {"new_coops", "HTX", thidua.Sum},
		{"commended", "lượt", thidua.Sum}, {"ntm_communes", "xã", thidua.Last},
	} {
		c.Indicators = append(c.Indicators, thidua.Indicator{Code: ind.code, Name: ind.code, Measure: ind.measure,
			Agg: ind.agg, Direction: thidua.Higher})
	}
	return c
}

func readCSV(t *testing.T, name string) [][]string {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", "qualityset", name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return rows[1:]
}

// TestQualityAccuracy measures the value checks on the realistic test set
// with planted errors (testdata/qualityset, made by its generator there):
// recall (planted values flagged) at least 90 %, precision (flagged monthly
// unit values that were planted) at least 0.8, and every planted value
// flagged by the check of its kind. The figures are deterministic (fixed
// data); README.md reports them.
func TestQualityAccuracy(t *testing.T) {
	if testing.Short() {
		t.Skip("loads 2,688 values")
	}
	f := newFixture(t, qualitySetCluster())
	for _, r := range readCSV(t, "observations.csv") {
		v, err := strconv.ParseFloat(r[3], 64)
		if err != nil {
			t.Fatal(err)
		}
		f.add(r[0], r[1], r[2], thidua.PeriodBasis, v)
	}
	f.run(Options{Quality: thidua.QualityConfig{NonDecreasing: []string{"ntm_communes"}}})
	planted := map[string]string{}
	for _, r := range readCSV(t, "planted.csv") {
		planted[r[0]+" "+r[1]+" "+r[2]] = r[3]
	}
	flagged := map[string]string{}
	for _, r := range f.rows(`SELECT check_name, unit_code, indicator_code, period FROM quality
		WHERE check_name <> 'completeness' AND period LIKE '____-__' AND accepted_by IS NULL`) {
		flagged[r["unit_code"].(string)+" "+r["indicator_code"].(string)+" "+r["period"].(string)] = r["check_name"].(string)
	}
	tp, named := 0, 0
	for k, kind := range planted {
		got, ok := flagged[k]
		if !ok {
			t.Logf("missed: %s (%s)", k, kind)
			continue
		}
		tp++
		if want := strings.TrimSuffix(strings.TrimSuffix(strings.TrimSuffix(strings.TrimSuffix(kind, "_x1000"), "_div1000"), "_x100"), "_x10"); got == want ||
			(got == "unit_slip" && want == "decimal_slip") {
			named++
		} else {
			t.Logf("planted %s flagged as %s: %s", kind, got, k)
		}
	}
	for k, c := range flagged {
		if _, ok := planted[k]; !ok {
			t.Logf("false alarm: %s %s", c, k)
		}
	}
	recall := float64(tp) / float64(len(planted))
	precision := float64(tp) / float64(len(flagged))
	t.Logf("recall %d/%d = %.3f, precision %d/%d = %.3f, named by kind %d/%d", tp, len(planted), recall, tp, len(flagged), precision, named, tp)
	if recall < 0.9 {
		t.Errorf("recall %.3f < 0.9", recall)
	}
	if precision < 0.8 {
		t.Errorf("precision %.3f < 0.8", precision)
	}
	if named < tp*9/10 {
		t.Errorf("only %d of %d flagged planted values named by their kind", named, tp)
	}
}

func TestQualityAccuracyDump(t *testing.T) {
	if os.Getenv("DUMP") == "" {
		t.Skip()
	}
	f := newFixture(t, qualitySetCluster())
	for _, r := range readCSV(t, "observations.csv") {
		v, _ := strconv.ParseFloat(r[3], 64)
		f.add(r[0], r[1], r[2], thidua.PeriodBasis, v)
	}
	f.run(Options{Quality: thidua.QualityConfig{NonDecreasing: []string{"ntm_communes"}}})
	for _, r := range f.rows(`SELECT check_name, severity, unit_code, message FROM quality`) {
		t.Log(r)
	}
}
