package dashboards

import (
	"bytes"
	"fmt"
	"math"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/go-echarts/go-echarts/v2/opts"
	"github.com/thidua/thidua"
)

// The charts drawn once per period of a page (an indicator's bars, changes
// and distribution, a unit's radar) are built by go-echarts for their
// first period only. Their other periods' options take the keys that do
// not change from period to period (toolbox, grid, legend, colours…) from
// that first option, and write the keys that do (title, axis labels,
// series) by hand, as encoding/json would write go-echarts' option: the
// same bytes, without a go-echarts chart and its reflection per period.
// With checkFastCharts (set by the package's tests) every period is also
// built by go-echarts and the two options must be equal, byte for byte.

// checkFastCharts makes every hand-written option be checked against
// go-echarts' (tests); fastChecked counts the options found equal, by the
// last part of the chart's ID (bars, change, dist, radar).
var (
	checkFastCharts = false
	fastChecked     sync.Map // string → *atomic.Int64
)

// fastKey writes one top-level key of a chart's option by hand; write
// reports false when it cannot (the option is then built by go-echarts).
type fastKey struct {
	key   string
	write func(w *jsonw) bool
	// axes, when not nil, is what write writes, as a period file
	// carries it instead (radarAxes).
	axes *radarAxes
}

// addFast records the option of period p: by hand (dyn over the first
// option's other keys) once the chart has a first option, else (and with
// checkFastCharts) built by slow with go-echarts.
func (cs *chartSpec) addFast(p thidua.Period, dyn []fastKey, slow func() echart) error {
	if cs.tmpl != nil && !checkFastCharts {
		if cs.frozen {
			// (only the whole option is kept: written at once)
			if whole, ok := cs.fastOption(dyn); ok {
				cs.whole[p.String()] = whole
				return nil
			}
		} else if enc, ok := cs.fastEnc(dyn); ok {
			cs.record(p, cs.tmplKeys, enc)
			return nil
		}
	}
	keys, enc, err := cs.slowOption("period "+p.String(), dyn, slow, cs.frozen)
	if err != nil {
		return err
	}
	cs.record(p, keys, enc)
	if o := cs.whole[p.String()]; o != nil {
		for _, d := range dyn {
			if d.axes != nil {
				for n := range o {
					if string(o[n].key) == `"`+d.key+`"` {
						o[n].axes = d.axes
					}
				}
			}
		}
	}
	return nil
}

// addTypeFast records the option of the periods of type t (addType) as
// addFast records a period's: by hand over the first type's option once
// there is one, else (and with checkFastCharts) built by slow.
func (cs *chartSpec) addTypeFast(t thidua.PeriodType, dyn []fastKey, slow func() echart) error {
	if cs.byType == nil {
		cs.byType = map[thidua.PeriodType][]byte{}
	}
	if cs.tmpl != nil && !checkFastCharts {
		if enc, ok := cs.fastEnc(dyn); ok {
			cs.byType[t] = cs.diff(cs.tmplKeys, enc)
			return nil
		}
	}
	keys, enc, err := cs.slowOption(string(t), dyn, slow, false)
	if err != nil {
		return err
	}
	cs.byType[t] = cs.diff(keys, enc)
	return nil
}

// slowOption builds a chart's option (of what: a period or a period type)
// with go-echarts. The chart's first option its hand-written form equals
// becomes its template; with checkFastCharts, every hand-written option
// (and, with whole, the whole option written at once, as a frozen chart's
// periods are) must equal go-echarts', byte for byte. addFast and
// addTypeFast share it.
func (cs *chartSpec) slowOption(what string, dyn []fastKey, slow func() echart, whole bool) ([]string, map[string][]byte, error) {
	keys, enc, err := encodeOption(slow())
	if err != nil {
		return nil, nil, fmt.Errorf("dashboards: chart %s, %s: %w", cs.ID, what, err)
	}
	if cs.tmpl != nil && !checkFastCharts {
		return keys, enc, nil
	}
	tmpl, tmplKeys := cs.tmpl, cs.tmplKeys
	if tmpl == nil {
		tmpl, tmplKeys = enc, keys
	}
	fast, ok := fastEncOver(tmpl, dyn)
	if !ok {
		return keys, enc, nil
	}
	diff := optionDiff(tmplKeys, fast, keys, enc)
	switch {
	case diff != "" && checkFastCharts:
		return nil, nil, fmt.Errorf("dashboards: chart %s, %s: the hand-written option differs from go-echarts': %s", cs.ID, what, diff)
	case diff == "" && checkFastCharts:
		if whole && cs.tmpl != nil {
			var want, got jsonw
			writeWhole(&want, keys, enc)
			o, ok := cs.fastOption(dyn)
			o.write(&got, nil)
			if !ok || !bytes.Equal(got.Bytes(), want.Bytes()) {
				return nil, nil, fmt.Errorf("dashboards: chart %s, %s: the hand-written whole option differs from go-echarts': %s, want %s", cs.ID, what, got.Bytes(), want.Bytes())
			}
			n, _ := fastChecked.LoadOrStore("whole", new(atomic.Int64))
			n.(*atomic.Int64).Add(1)
		}
		n, _ := fastChecked.LoadOrStore(cs.ID[strings.LastIndexByte(cs.ID, '-')+1:], new(atomic.Int64))
		n.(*atomic.Int64).Add(1)
	}
	if diff == "" && cs.tmpl == nil {
		cs.tmpl, cs.tmplKeys = enc, keys
	}
	return keys, enc, nil
}

// fastAxisData is the "xAxis" key of a chart whose categories are labels,
// with no other axis option.
func fastAxisData(labels []string) fastKey {
	return fastKey{key: "xAxis", write: func(w *jsonw) bool {
		if len(labels) == 0 {
			return false
		}
		w.WriteString(`[{"data":`)
		w.strs(labels)
		w.WriteString(`}]`)
		return true
	}}
}

// lineSeries writes a line series of common's charts (no animation) with
// data as plainData leaves it: {"name","type":"line"} then extra (JSON
// members, each preceded by a comma) before "data", and after it tail.
func lineSeries(name string, data []opts.LineData, extra, tail string) func(w *jsonw) bool {
	return func(w *jsonw) bool {
		if name == "" || len(data) == 0 {
			return false
		}
		w.WriteString(`{"name":`)
		w.str(name)
		w.WriteString(`,"type":"line"`)
		w.WriteString(extra)
		w.WriteString(`,"data":[`)
		for i, x := range data {
			if x.Name != "" || x.Symbol != "" || x.SymbolSize != 0 || x.XAxisIndex != 0 || x.YAxisIndex != 0 {
				return false
			}
			if i > 0 {
				w.WriteByte(',')
			}
			if !w.evalue(x.Value) {
				return false
			}
		}
		w.WriteString(`],"animation":false`)
		w.WriteString(tail)
		w.WriteByte('}')
		return true
	}
}

// optionDiff says where two options differ ("" when equal).
func optionDiff(ak []string, a map[string][]byte, bk []string, b map[string][]byte) string {
	if fmt.Sprint(ak) != fmt.Sprint(bk) {
		return fmt.Sprintf("keys %v, want %v", ak, bk)
	}
	for _, k := range ak {
		if !bytes.Equal(a[k], b[k]) {
			return fmt.Sprintf("%s is %s, want %s", k, a[k], b[k])
		}
	}
	return ""
}

func (cs *chartSpec) fastEnc(dyn []fastKey) (map[string][]byte, bool) {
	return fastEncOver(cs.tmpl, dyn)
}

// fastEncOver is tmpl with the keys of dyn written by hand.
func fastEncOver(tmpl map[string][]byte, dyn []fastKey) (map[string][]byte, bool) {
	enc := make(map[string][]byte, len(tmpl))
	for k, v := range tmpl {
		enc[k] = v
	}
	for _, d := range dyn {
		if _, ok := tmpl[d.key]; !ok {
			return nil, false
		}
		var w jsonw
		if !d.write(&w) {
			return nil, false
		}
		b := w.Bytes()
		for bytes.Contains(b, []byte("__f__")) {
			b = bytes.ReplaceAll(b, []byte("__f__"), []byte(`_\u200b_f__`))
		}
		enc[d.key] = b
	}
	return enc, true
}

// fastOption is the whole option fastEnc gives, as record keeps it
// (optionOf), written without the map of its keys: the members of the
// keys of dyn written by hand into one buffer, the others the first
// option's.
func (cs *chartSpec) fastOption(dyn []fastKey) (option, bool) {
	for _, d := range dyn {
		if _, ok := cs.tmpl[d.key]; !ok {
			return nil, false
		}
	}
	var w jsonw
	w.Grow(cs.dynLen + cs.dynLen/8 + 64)
	o := make(option, len(cs.tmplKeys))
	var spans [][3]int // member, start, end in w
	for i, k := range cs.tmplKeys {
		o[i].key = keyJSON(k)
		var write func(w *jsonw) bool
		var axes *radarAxes
		for _, d := range dyn {
			if d.key == k {
				write, axes = d.write, d.axes // (the last of a key, as fastEncOver)
			}
		}
		if write == nil {
			o[i].val = cs.tmpl[k]
			continue
		}
		if o[i].axes = axes; axes != nil && !checkFastCharts {
			continue // (a period file writes the axes only: member.write)
		}
		start := w.Len()
		if !write(&w) {
			return nil, false
		}
		if b := w.Bytes()[start:]; bytes.Contains(b, []byte("__f__")) {
			for bytes.Contains(b, []byte("__f__")) {
				b = bytes.ReplaceAll(b, []byte("__f__"), []byte(`_\u200b_f__`))
			}
			w.Truncate(start)
			w.Write(b)
		}
		spans = append(spans, [3]int{i, start, w.Len()})
	}
	b := w.Bytes()
	for _, sp := range spans {
		o[sp[0]].val = b[sp[1]:sp[2]:sp[2]]
	}
	cs.dynLen = w.Len()
	return o, true
}

// efloat writes f as encoding/json writes a float of bits 32 or 64; false
// for NaN and infinities, which encoding/json refuses.
func (w *jsonw) efloat(f float64, bits int) bool {
	if math.IsInf(f, 0) || math.IsNaN(f) {
		return false
	}
	abs := math.Abs(f)
	format := byte('f')
	if abs != 0 {
		if bits == 64 && (abs < 1e-6 || abs >= 1e21) || bits == 32 && (float32(abs) < 1e-6 || float32(abs) >= 1e21) {
			format = 'e'
		}
	}
	var buf [32]byte
	b := strconv.AppendFloat(buf[:0], f, format, -1, bits)
	if format == 'e' {
		n := len(b)
		if n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
			b[n-2] = b[n-1]
			b = b[:n-1]
		}
	}
	w.Write(b)
	return true
}

// evalue writes a chart value (val's float64 or "-", a count).
func (w *jsonw) evalue(v any) bool {
	switch x := v.(type) {
	case float64:
		return w.efloat(x, 64)
	case int:
		w.WriteString(strconv.Itoa(x))
		return true
	case string:
		w.str(x)
		return true
	}
	return false
}

// strs writes a JSON array of strings, each as str writes it.
func (w *jsonw) strs(ss []string) {
	w.WriteByte('[')
	for i, s := range ss {
		if i > 0 {
			w.WriteByte(',')
		}
		w.str(s)
	}
	w.WriteByte(']')
}

// fastTitle is the "title" key common writes.
func fastTitle(title string) fastKey {
	return fastKey{key: "title", write: func(w *jsonw) bool {
		t := defuse(title)
		if t == "" {
			return false
		}
		w.WriteString(`{"text":`)
		w.str(t)
		w.WriteString(`,"textStyle":{"fontSize":13}}`)
		return true
	}}
}

// fastCategories is the "xAxis" key of a chart whose categories are
// labels, shown every one, rotated by 30°.
func fastCategories(labels []string) fastKey {
	return fastKey{key: "xAxis", write: func(w *jsonw) bool {
		if len(labels) == 0 {
			return false
		}
		w.WriteString(`[{"data":`)
		w.strs(labels)
		w.WriteString(`,"axisLabel":{"interval":"0","rotate":30,"showMinLabel":null,"showMaxLabel":null}}]`)
		return true
	}}
}

// barSeries writes a bar series {"name","type":"bar","data"} with data as
// plainData leaves it (bare values when every point is bare); markLine,
// when not nil, writes its "markLine" member.
func barSeries(w *jsonw, name string, data []opts.BarData, markLine func(w *jsonw) bool) bool {
	if name == "" || len(data) == 0 {
		return false
	}
	w.WriteString(`{"name":`)
	w.str(name)
	w.WriteString(`,"type":"bar","data":[`)
	bare := true
	for _, x := range data {
		if x.Name != "" || x.Label != nil || x.Tooltip != nil {
			return false
		}
		bare = bare && x.ItemStyle == nil
	}
	for i, x := range data {
		if i > 0 {
			w.WriteByte(',')
		}
		if bare {
			if !w.evalue(x.Value) {
				return false
			}
			continue
		}
		if x.Value == nil {
			return false
		}
		w.WriteString(`{"value":`)
		if !w.evalue(x.Value) {
			return false
		}
		if x.ItemStyle != nil {
			// barData's ItemStyle: an opacity only.
			if x.ItemStyle.Opacity == nil {
				return false
			}
			w.WriteString(`,"itemStyle":{"opacity":`)
			w.efloat(float64(*x.ItemStyle.Opacity), 32)
			w.WriteByte('}')
		}
		w.WriteByte('}')
	}
	w.WriteByte(']')
	if markLine != nil {
		w.WriteString(`,"markLine":`)
		if !markLine(w) {
			return false
		}
	}
	w.WriteByte('}')
	return true
}

// scatterSeries writes a scatter series whose points share one symbol
// (plainScatter: said once, on the series).
func scatterSeries(w *jsonw, name string, data []opts.ScatterData) bool {
	if name == "" || len(data) == 0 || data[0].Symbol == "" || data[0].SymbolSize == 0 {
		return false
	}
	for _, x := range data {
		if x.Name != "" || x.SymbolRotate != 0 || x.XAxisIndex != 0 || x.YAxisIndex != 0 ||
			x.Symbol != data[0].Symbol || x.SymbolSize != data[0].SymbolSize {
			return false
		}
	}
	w.WriteString(`{"name":`)
	w.str(name)
	w.WriteString(`,"type":"scatter","symbol":`)
	w.str(data[0].Symbol)
	w.WriteString(`,"symbolSize":`)
	w.WriteString(strconv.Itoa(data[0].SymbolSize))
	w.WriteString(`,"data":[`)
	for i, x := range data {
		if i > 0 {
			w.WriteByte(',')
		}
		if !w.evalue(x.Value) {
			return false
		}
	}
	w.WriteString(`]}`)
	return true
}

// fastSeries is the "series" key: each of parts writes a series.
func fastSeries(parts ...func(w *jsonw) bool) fastKey {
	return fastKey{key: "series", write: func(w *jsonw) bool {
		w.WriteByte('[')
		for i, part := range parts {
			if i > 0 {
				w.WriteByte(',')
			}
			if !part(w) {
				return false
			}
		}
		w.WriteByte(']')
		return true
	}}
}

// radarAxes are a radar's axes, {"indicator":[{"name","max"}…]}, all of
// the same max (the unit page's): a period file writes their names once
// per chart ("axes") and each period's axes as indexes into them with the
// max, {"indicator":{"axes":[i…],"max":max}}, which site.js turns back
// into the option (the radar's names were most of a unit page's period
// files, written for every period).
type radarAxes struct {
	names []string
	max   float32
}

// fastRadar is the "radar" key: the radar's axes.
func fastRadar(indicators []*opts.Indicator) fastKey {
	var ax *radarAxes
	if len(indicators) > 0 {
		ax = &radarAxes{max: indicators[0].Max}
		for _, in := range indicators {
			if in.Name == "" || in.Max != ax.max || in.Max == 0 || in.Min != 0 || in.Color != "" ||
				math.IsInf(float64(in.Max), 0) || math.IsNaN(float64(in.Max)) {
				ax = nil
				break
			}
			ax.names = append(ax.names, in.Name)
		}
	}
	return fastKey{key: "radar", axes: ax, write: func(w *jsonw) bool {
		if len(indicators) == 0 {
			return false
		}
		w.WriteString(`{"indicator":[`)
		for i, in := range indicators {
			if in.Name == "" || in.Max == 0 || in.Min != 0 || in.Color != "" {
				return false
			}
			if i > 0 {
				w.WriteByte(',')
			}
			w.WriteString(`{"name":`)
			w.str(in.Name)
			w.WriteString(`,"max":`)
			if !w.efloat(float64(in.Max), 32) {
				return false
			}
			w.WriteByte('}')
		}
		w.WriteString(`]}`)
		return true
	}}
}

// radarSeries writes a radar series of one item named as the series, with
// extra (its JSON members, each preceded by a comma) after its data.
func radarSeries(name string, values []float64, extra string) func(w *jsonw) bool {
	return func(w *jsonw) bool {
		if name == "" || len(values) == 0 {
			return false
		}
		w.WriteString(`{"name":`)
		w.str(name)
		w.WriteString(`,"type":"radar","data":[{"name":`)
		w.str(name)
		w.WriteString(`,"value":[`)
		for i, v := range values {
			if i > 0 {
				w.WriteByte(',')
			}
			if !w.efloat(v, 64) {
				return false
			}
		}
		w.WriteString(`]}]`)
		w.WriteString(extra)
		w.WriteByte('}')
		return true
	}
}
