package dashboards

import (
	"encoding/json"
	"fmt"
	"math/rand"
	"reflect"
	"sort"
	"testing"

	"github.com/go-echarts/go-echarts/v2/opts"
)

// randomOption is an option of up to 8 top-level keys drawn from a few,
// with values that nest and carry the characters a splitter could trip on
// (quotes, backslashes, brackets, commas, colons in strings).
func randomOption(r *rand.Rand) (keys []string, enc map[string][]byte) {
	texts := []string{"", "a", `q"uo\te`, "{[,:]}", "Đơn vị <b>&", "\u2028", `\`, "x,y"}
	var value func(depth int) any
	value = func(depth int) any {
		switch n := r.Intn(7); {
		case n == 0 || depth > 3:
			return texts[r.Intn(len(texts))]
		case n == 1:
			return float64(r.Intn(5)) / 2
		case n == 2:
			return nil
		case n == 3:
			return r.Intn(2) == 0
		case n == 4:
			var a []any
			for i := r.Intn(4); i > 0; i-- {
				a = append(a, value(depth+1))
			}
			return a
		default:
			m := map[string]any{}
			for i := r.Intn(4); i > 0; i-- {
				m[texts[r.Intn(len(texts))]] = value(depth + 1)
			}
			return m
		}
	}
	enc = map[string][]byte{}
	for _, k := range []string{"animation", "color", "grid", `ke"y`, "series", "title", "xAxis", "{,}"} {
		if r.Intn(4) == 0 {
			continue
		}
		b, err := safeJSON(value(0))
		if err != nil {
			panic(err)
		}
		keys, enc[k] = append(keys, k), b
	}
	sort.Strings(keys)
	return keys, enc
}

// TestFileBases checks that a period file's charts, put back together as
// site.js does (the file's base of the chart, then the period's keys),
// are each period's whole option, and that keys the options share are
// written once.
func TestFileBases(t *testing.T) {
	r := rand.New(rand.NewSource(1))
	shared := 0
	for it := 0; it < 2000; it++ {
		var charts []*chartSpec
		var keys []string
		for j := 0; j < 1+r.Intn(5); j++ {
			keys = append(keys, fmt.Sprintf("2020-%02d", j+1))
		}
		for i := 0; i < 1+r.Intn(3); i++ {
			c := newChart(fmt.Sprintf("c-%d", i), "bar", "", 0, 0)
			// Options that share some keys: a common one, each period
			// changing some of it.
			ck, ce := randomOption(r)
			for _, k := range keys {
				if r.Intn(5) == 0 {
					continue // no option for the period
				}
				pk, pe := randomOption(r)
				enc := map[string][]byte{}
				for _, x := range ck {
					enc[x] = ce[x]
				}
				for _, x := range pk {
					if r.Intn(3) == 0 {
						enc[x] = pe[x]
					}
				}
				var ks []string
				for x := range enc {
					ks = append(ks, x)
				}
				sort.Strings(ks)
				c.whole[k] = optionOf(ks, enc)
			}
			charts = append(charts, c)
		}
		var w jsonw
		w.WriteString(`{"x":0`)
		bases := fileBases(&w, charts, keys)
		w.WriteByte('}')
		var doc struct{ Bases map[string]map[string]any }
		if err := json.Unmarshal(w.Bytes(), &doc); err != nil {
			t.Fatalf("bases %s: %v", w.Bytes(), err)
		}
		for i, c := range charts {
			base := doc.Bases[c.ID]
			shared += len(base)
			for _, k := range keys {
				if c.whole[k] == nil {
					continue
				}
				var want, got map[string]any
				var ww, ow jsonw
				c.whole[k].write(&ww, nil)
				bases[i].write(&ow, c.whole[k], nil)
				if err := json.Unmarshal(ww.Bytes(), &want); err != nil {
					t.Fatal(err)
				}
				if err := json.Unmarshal(ow.Bytes(), &got); err != nil {
					t.Fatalf("option %s: %v", ow.Bytes(), err)
				}
				for x := range got {
					if _, ok := base[x]; ok {
						t.Errorf("chart %s period %s: key %s both in the base and the option", c.ID, k, x)
					}
				}
				if m := fileOption(base, got); !reflect.DeepEqual(m, want) {
					t.Fatalf("chart %s period %s: base %v + %s = %v, want %s", c.ID, k, base, ow.Bytes(), m, ww.Bytes())
				}
			}
		}
	}
	if shared == 0 {
		t.Error("no chart had a base")
	}
}

// fileOption is a period file's option of a chart put back together as
// site.js's merged does: the file's base of the chart (nil: none), then
// the option's keys as they are (a whole option's null keys stay).
func fileOption(base, opt map[string]any) map[string]any {
	o := map[string]any{}
	for k, v := range base {
		o[k] = v
	}
	for k, v := range opt {
		o[k] = v
	}
	return o
}

// TestCellArena: off, an arena makes new cells; on, it hands out zero
// cells that do not overlap until reset, then the same buffer again.
func TestCellArena(t *testing.T) {
	var nilArena *cellArena
	if c := nilArena.take(3); len(c) != 3 || cap(c) != 3 {
		t.Fatalf("nil arena: %d cells, cap %d", len(c), cap(c))
	}
	a := &cellArena{}
	x, y := a.take(2), a.take(2)
	x[0].Text = "x"
	if y[0].Text != "" || a.buf != nil {
		t.Fatal("an arena that is off shares cells")
	}
	a.on = true
	var got [][]cell
	for i := 0; i < 300; i++ {
		c := a.take(1 + i%7)
		if len(c) != 1+i%7 || cap(c) != len(c) {
			t.Fatalf("take(%d): len %d cap %d", 1+i%7, len(c), cap(c))
		}
		for j := range c {
			if c[j] != (cell{}) {
				t.Fatalf("take gave a used cell %+v", c[j])
			}
			c[j].Text = fmt.Sprint(i)
		}
		got = append(got, c)
	}
	for i, c := range got {
		for j := range c {
			if c[j].Text != fmt.Sprint(i) {
				t.Fatalf("cells of take %d were handed out again before reset: %q", i, c[j].Text)
			}
		}
	}
	last := &a.buf[0]
	a.reset()
	if c := a.take(4); &c[0] != last || c[0] != (cell{}) {
		t.Error("after reset, take does not start the buffer again with zero cells")
	}
	a.release()
	if a.on || a.buf != nil {
		t.Error("a released arena is still on or holds its buffer")
	}
	if c := a.take(2); len(c) != 2 || a.buf != nil {
		t.Error("a released arena hands out cells of a buffer")
	}
	b := &cellArena{on: true} // (maybe the buffer a released)
	if c := b.take(5); len(c) != 5 || c[0] != (cell{}) || c[4] != (cell{}) {
		t.Errorf("take after a release: %d cells, %+v", len(c), c)
	}
}

// TestRadarAxesInFile: a radar's axes in a period file (indexes into the
// file's names of the chart's axes, and the max), put back as site.js
// does, are the option's "radar" as go-echarts writes it (fastRadar's,
// checked against go-echarts by TestFastCharts).
func TestRadarAxesInFile(t *testing.T) {
	names := []string{"Chỉ tiêu <b>", `q"uote`, "c", "d"}
	c := newChart("c-radar", "radar", "", 1, 0)
	keys := []string{"2020-01", "2020-02", "2020-03"}
	for j, k := range keys {
		var ind []*opts.Indicator
		for i, n := range names {
			if (i+j)%3 != 0 { // a different set of axes each period
				ind = append(ind, &opts.Indicator{Name: n, Max: float32(100 + 10*j)})
			}
		}
		d := fastRadar(ind)
		if d.axes == nil {
			t.Fatal("fastRadar: no axes")
		}
		var w jsonw
		if !d.write(&w) {
			t.Fatal("fastRadar: not written")
		}
		c.whole[k] = option{{key: keyJSON("radar"), val: w.Bytes(), axes: d.axes}, {key: keyJSON("title"), val: []byte(`{"text":"x"}`)}}
	}
	var w jsonw
	w.WriteString(`{"x":0`)
	bases := fileBases(&w, []*chartSpec{c}, keys)
	var ax axisList
	var opts []map[string]any
	for _, k := range keys {
		var ow jsonw
		bases[0].write(&ow, c.whole[k], &ax)
		var o map[string]any
		if err := json.Unmarshal(ow.Bytes(), &o); err != nil {
			t.Fatalf("%s: %v", ow.Bytes(), err)
		}
		opts = append(opts, o)
	}
	w.WriteString(`,"axes":{"c-radar":`)
	w.strs(ax.names)
	w.WriteString(`}}`)
	var doc struct {
		Bases map[string]map[string]any
		Axes  map[string][]string
	}
	if err := json.Unmarshal(w.Bytes(), &doc); err != nil {
		t.Fatalf("%s: %v", w.Bytes(), err)
	}
	for j, k := range keys {
		o := fileOption(doc.Bases["c-radar"], opts[j])
		// (site.js's period: the axes back as [{name, max}…])
		ri := o["radar"].(map[string]any)["indicator"].(map[string]any)
		var ind []any
		for _, i := range ri["axes"].([]any) {
			ind = append(ind, map[string]any{"name": doc.Axes["c-radar"][int(i.(float64))], "max": ri["max"]})
		}
		o["radar"] = map[string]any{"indicator": ind}
		var want map[string]any
		var ww jsonw
		c.whole[k].write(&ww, nil)
		if err := json.Unmarshal(ww.Bytes(), &want); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(o, want) {
			t.Errorf("%s: %v, want %s", k, o, ww.Bytes())
		}
	}
	if len(ax.names) != len(names) {
		t.Errorf("axes %q, want each of %q once", ax.names, names)
	}
}
