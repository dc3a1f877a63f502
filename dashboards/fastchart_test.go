package dashboards

import (
	"encoding/json"
	"math"
	"sync/atomic"
	"testing"
)

// Every test of the package checks the hand-written chart options against
// go-echarts' (see addFast).
func init() {
	checkFastCharts = true
	checkBare = true
}

// TestFastJSON checks estr and efloat against encoding/json (safeJSON).
func TestFastJSON(t *testing.T) {
	for _, s := range []string{"", "a", "Đơn vị <b>&'\"\\", "\b\f\n\r\t\x00\x1f\x7f", "\u2028\u2029", "\xff\xfe", "ư\u0301"} {
		want, err := safeJSON(s)
		if err != nil {
			t.Fatal(err)
		}
		var w jsonw
		w.str(s)
		if w.String() != string(want) {
			t.Errorf("str(%q) = %s, want %s", s, w.String(), want)
		}
	}
	for _, f := range []float64{0, math.Copysign(0, -1), 1, -1.5, 0.1, 1e-7, 1.234e-9, 1e20, 1e21, 123456789.125, 5e-324, math.MaxFloat64, 0.45} {
		for _, bits := range []int{32, 64} {
			var v any = f
			if bits == 32 {
				v = float32(f)
			}
			want, err := json.Marshal(v)
			if err != nil {
				continue
			}
			var w jsonw
			if !w.efloat(f, bits) {
				t.Fatalf("efloat(%v, %d) refused", f, bits)
			}
			if bits == 32 {
				w.Reset()
				w.efloat(float64(float32(f)), 32)
			}
			if w.String() != string(want) {
				t.Errorf("efloat(%v, %d) = %s, want %s", f, bits, w.String(), want)
			}
		}
	}
	var w jsonw
	if w.efloat(math.NaN(), 64) || w.efloat(math.Inf(1), 64) {
		t.Error("efloat wrote a NaN or an infinity")
	}
}

// TestFastCharts renders sites whose charts take every path of the
// hand-written options (partial bars, the cluster mean, targets, a year
// without YTD, distributions, radars, heatmaps) and checks that each kind was
// written by hand and found equal to go-echarts' option ("whole": a period
// file's whole option, written at once).
func TestFastCharts(t *testing.T) {
	needECharts(t)
	render(t, sizedReport(40, 10, 2019, 2020), Options{})
	render(t, fixtureReport(true), Options{Lang: "en"})
	for _, kind := range []string{"bars", "change", "dist", "radar", "whole", "trend", "heat"} {
		n, ok := fastChecked.Load(kind)
		if !ok || n.(*atomic.Int64).Load() == 0 {
			t.Errorf("no %s chart written by hand and checked", kind)
		}
	}
}
