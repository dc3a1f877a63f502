package dashboards

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"sync"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
	"github.com/thidua/thidua"
)

// assetsHost is where go-echarts is told the scripts live: the site's own
// folder, never its default CDN.
const assetsHost = "assets/"

// chartSpec is one chart on a page: a fixed ID, a base ECharts option
// (the first period's, built with go-echarts) and, per period, the
// top-level keys of that period's option that differ from the base
// (deduplicated). site.js merges the two and passes the result to
// setOption when the reader switches periods.
type chartSpec struct {
	ID     string
	Kind   string // bar, line, heatmap, radar
	Dec    int    // decimals of the values
	Label  string // accessible name of the chart
	Height int    // px

	base     map[string][]byte // key → JSON of the base option's value
	baseKeys []string          // sorted
	frozen   bool              // the base was written: later options are patches of it
	byPeriod map[string][]byte // period → patch
	// whole are the periods' whole options, for the period files: a
	// period file does not depend on the page's base (the default
	// period's option), so an unchanged period's file can be kept
	// from one site to the next. (Kept as their top-level members: a
	// period file writes the members its periods share once, fileBases.)
	whole map[string]option
	// byType are the patches of a chart that is the same for every period
	// of a type (a trend): carried once by the page, never by period files.
	byType map[thidua.PeriodType][]byte
	// Sel says how the chart shows the unit searched for (a large
	// cluster's charts), or nil.
	Sel *selSpec
	// tmpl is the first option built by go-echarts of a chart whose
	// later options are written by hand (addFast), tmplKeys its keys.
	tmpl     map[string][]byte
	tmplKeys []string
	// dynLen is the length of the members the last fastOption wrote
	// (the next one's are about the same).
	dynLen int
}

// selSpec is how site.js adds the unit searched for to a chart, from its
// row in the period's table Table+period key (data-u: the unit's page):
// Kind "bars" adds a category with, in each series, the value of the
// row's column Cols[series name] (data-v); "hist" marks the row's bin
// (data-b); "trend" adds the value of column Cols["value"] at the period;
// "heat" adds its row of % of target, each cell coloured by Bands[the
// cell's status class] (statusBand by statusClass, from the Go side).
// Values are the table's, placed as they are: no rule in site.js.
type selSpec struct {
	Kind  string         `json:"kind"`
	Table string         `json:"table"`
	Cols  map[string]int `json:"cols,omitempty"`
	Bands map[string]int `json:"bands,omitempty"`
}

func newChart(id, kind, label string, dec, height int) *chartSpec {
	return &chartSpec{ID: id, Kind: kind, Dec: dec, Label: label, Height: height,
		byPeriod: map[string][]byte{}, whole: map[string]option{}}
}

type echart interface {
	Validate()
	JSON() map[string]interface{}
}

// add records c's option as the chart's option for period p. tweaks edit
// the option where go-echarts has no field for what is needed.
func (cs *chartSpec) add(p thidua.Period, c echart, tweaks ...func(map[string]any)) error {
	keys, enc, err := encodeOption(c, tweaks...)
	if err != nil {
		return fmt.Errorf("dashboards: chart %s, period %s: %w", cs.ID, p, err)
	}
	cs.record(p, keys, enc)
	return nil
}

// record sets the option of period p, given as its top-level keys (sorted)
// and their JSON.
func (cs *chartSpec) record(p thidua.Period, keys []string, enc map[string][]byte) {
	if cs.frozen {
		// (the page is written: its period files take whole options
		// only)
		cs.whole[p.String()] = optionOf(keys, enc)
		return
	}
	cs.byPeriod[p.String()] = cs.diff(keys, enc)
	cs.whole[p.String()] = optionOf(keys, enc)
}

// member is a top-level member of a chart's option: its key as a JSON
// string (quotes included) and its value's JSON, or, for a radar's axes,
// what they are (axes: the period files write them so, val may then be
// nil).
type member struct {
	key, val []byte
	axes     *radarAxes
}

// option is a chart's whole option as its top-level members, in order.
type option []member

// optionOf is the option of top-level keys (sorted) and their JSON.
func optionOf(keys []string, enc map[string][]byte) option {
	o := make(option, len(keys))
	for i, k := range keys {
		o[i] = member{key: keyJSON(k), val: enc[k]}
	}
	return o
}

// keyJSONs are option keys as JSON strings, made once.
var keyJSONs sync.Map // string → []byte

// keyJSON is the key k as a JSON string.
func keyJSON(k string) []byte {
	if b, ok := keyJSONs.Load(k); ok {
		return b.([]byte)
	}
	var w jsonw
	w.str(k)
	b, _ := keyJSONs.LoadOrStore(k, w.Bytes())
	return b.([]byte)
}

// write writes the option as one JSON object, a radar's axes as indexes
// into ax (see radarAxes; nil: as their JSON, val).
func (o option) write(w *jsonw, ax *axisList) {
	o.writeIf(w, ax, nil)
}

// writeIf writes the object of the members n of o that keep is true of
// (nil: every member).
func (o option) writeIf(w *jsonw, ax *axisList, keep func(n int) bool) {
	w.WriteByte('{')
	k := 0
	for n, m := range o {
		if keep != nil && !keep(n) {
			continue
		}
		if k > 0 {
			w.WriteByte(',')
		}
		k++
		w.Write(m.key)
		w.WriteByte(':')
		if m.axes == nil || ax == nil {
			w.Write(m.val)
			continue
		}
		w.WriteString(`{"indicator":{"axes":[`)
		for i, name := range m.axes.names {
			if i > 0 {
				w.WriteByte(',')
			}
			w.WriteString(strconv.Itoa(ax.index(name)))
		}
		w.WriteString(`],"max":`)
		w.efloat(float64(m.axes.max), 32)
		w.WriteString(`}}`)
	}
	w.WriteByte('}')
}

// has reports whether o has m's key with m's value (a radar's axes are
// never taken as the same).
func (o option) has(m member) bool {
	for _, x := range o {
		if bytes.Equal(x.key, m.key) {
			return m.axes == nil && x.axes == nil && bytes.Equal(x.val, m.val)
		}
	}
	return false
}

// axisList is the radar axes' names of a chart in a period file, each
// written once: an axis is its index.
type axisList struct {
	names []string
	idx   map[string]int
}

// index is the index of the axis name, added when new.
func (l *axisList) index(name string) int {
	if i, ok := l.idx[name]; ok {
		return i
	}
	if l.idx == nil {
		l.idx = map[string]int{}
	}
	l.idx[name] = len(l.names)
	l.names = append(l.names, name)
	return len(l.names) - 1
}

// addType records c's option as the chart's option for every period of
// type t.
func (cs *chartSpec) addType(t thidua.PeriodType, c echart, tweaks ...func(map[string]any)) error {
	keys, enc, err := encodeOption(c, tweaks...)
	if err != nil {
		return fmt.Errorf("dashboards: chart %s, %s: %w", cs.ID, t, err)
	}
	if cs.byType == nil {
		cs.byType = map[thidua.PeriodType][]byte{}
	}
	cs.byType[t] = cs.diff(keys, enc)
	return nil
}

// encodeOption is c's option: its top-level keys, sorted, and the JSON of
// each.
func encodeOption(c echart, tweaks ...func(map[string]any)) ([]string, map[string][]byte, error) {
	c.Validate()
	m := c.JSON()
	plainData(m)
	for _, tw := range tweaks {
		tw(m)
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	enc := make(map[string][]byte, len(m))
	for _, k := range keys {
		b, err := safeJSON(m[k])
		if err != nil {
			return nil, nil, err
		}
		enc[k] = b
	}
	return keys, enc, nil
}

// diff is an option (keys, enc) as a patch of the base (the first option,
// which becomes the base unless the base was frozen).
func (cs *chartSpec) diff(keys []string, enc map[string][]byte) (patch []byte) {
	if cs.base == nil && !cs.frozen {
		cs.base, cs.baseKeys = enc, keys
	}
	var w jsonw
	w.WriteByte('{')
	n := 0
	sep := func(k string) {
		if n > 0 {
			w.WriteByte(',')
		}
		n++
		w.str(k)
		w.WriteByte(':')
	}
	for _, k := range keys {
		if b, ok := cs.base[k]; !ok || !bytes.Equal(b, enc[k]) {
			sep(k)
			w.Write(enc[k])
		}
	}
	for _, k := range cs.baseKeys {
		if _, ok := enc[k]; !ok {
			sep(k)
			w.WriteString("null")
		}
	}
	w.WriteByte('}')
	return w.Bytes()
}

// writeWhole writes the option of top-level keys (sorted) and their JSON.
func writeWhole(w *jsonw, keys []string, enc map[string][]byte) {
	w.WriteByte('{')
	for i, k := range keys {
		if i > 0 {
			w.WriteByte(',')
		}
		w.str(k)
		w.WriteByte(':')
		w.Write(enc[k])
	}
	w.WriteByte('}')
}

// patch returns the chart's patch for period key, or nil when the chart
// has nothing for it.
func (cs *chartSpec) patch(key string) []byte {
	return cs.byPeriod[key]
}

// freeze fixes the base once the page that carries it is written: later
// periods' options are patches of it (whole options if it has none).
func (cs *chartSpec) freeze() { cs.frozen = true }

// forget drops the patch of period key once its period file is written.
func (cs *chartSpec) forget(key string) { delete(cs.byPeriod, key); delete(cs.whole, key) }

// encode writes the chart for the page's data block:
// {"id","kind","dec","base":{…},"opts":[patch…],"byPeriod":{period: patch index}}.
// periods are the periods whose patches the page carries: every period in
// the single file, the default one in a page of the site (the others come
// with their period files).
func (cs *chartSpec) encode(w *jsonw, periods []thidua.Period) {
	w.WriteString(`{"id":`)
	w.str(cs.ID)
	w.WriteString(`,"kind":`)
	w.str(cs.Kind)
	w.WriteString(`,"dec":`)
	w.WriteString(strconv.Itoa(cs.Dec))
	if cs.Sel != nil {
		if b, err := safeJSON(cs.Sel); err == nil {
			w.WriteString(`,"sel":`)
			w.Write(b)
		}
	}
	w.WriteString(`,"base":{`)
	for i, k := range cs.baseKeys {
		if i > 0 {
			w.WriteByte(',')
		}
		w.str(k)
		w.WriteByte(':')
		w.Write(cs.base[k])
	}
	// Only the patches the periods use, each once, in order.
	idx := map[string]int{}
	var used [][]byte
	for _, t := range thidua.PeriodTypes {
		if pt, ok := cs.byType[t]; ok {
			if _, ok := idx[string(pt)]; !ok {
				idx[string(pt)] = len(used)
				used = append(used, pt)
			}
		}
	}
	for _, p := range periods {
		if pt, ok := cs.byPeriod[p.String()]; ok {
			if _, ok := idx[string(pt)]; !ok {
				idx[string(pt)] = len(used)
				used = append(used, pt)
			}
		}
	}
	w.WriteString(`},"opts":[`)
	for j, pt := range used {
		if j > 0 {
			w.WriteByte(',')
		}
		w.Write(pt)
	}
	w.WriteString(`],"byPeriod":{`)
	n := 0
	for _, p := range periods {
		pt, ok := cs.byPeriod[p.String()]
		if !ok {
			continue
		}
		if n > 0 {
			w.WriteByte(',')
		}
		n++
		w.str(p.String())
		w.WriteByte(':')
		w.WriteString(strconv.Itoa(idx[string(pt)]))
	}
	if len(cs.byType) > 0 {
		w.WriteString(`},"byType":{`)
		n = 0
		for _, t := range thidua.PeriodTypes {
			pt, ok := cs.byType[t]
			if !ok {
				continue
			}
			if n > 0 {
				w.WriteByte(',')
			}
			n++
			w.str(string(t))
			w.WriteByte(':')
			w.WriteString(strconv.Itoa(idx[string(pt)]))
		}
	}
	w.WriteString("}}")
}

// plainData turns bar, line, scatter and heatmap data points that carry
// nothing but a value into bare values ({"value":3} → 3), which ECharts
// reads the same (a scatter's common symbol moves to its series).
func plainData(m map[string]any) {
	ss, ok := m["series"].(charts.MultiSeries)
	if !ok {
		return
	}
	for i := range ss {
		s := &ss[i]
		var vs []any
		switch d := s.Data.(type) {
		case []opts.BarData:
			vs = bareValues(d, bareBar)
		case []opts.ScatterData:
			plainScatter(s, d)
		case []opts.HeatMapData:
			vs = bareValues(d, bareHeat)
		case []opts.LineData:
			vs = bareValues(d, bareLine)
		}
		if vs != nil {
			s.Data = vs
		}
	}
}

// bareValues is the values of d when value says every point carries
// nothing else; nil otherwise.
func bareValues[T any](d []T, value func(T) (any, bool)) []any {
	vs := make([]any, len(d))
	for j, x := range d {
		v, bare := value(x)
		if !bare {
			return nil
		}
		vs[j] = v
	}
	return vs
}

// bareBar, bareHeat and bareLine give a point's value and whether it
// carries nothing else.
func bareBar(x opts.BarData) (any, bool) {
	return x.Value, x.Name == "" && x.Label == nil && x.ItemStyle == nil && x.Tooltip == nil
}

func bareHeat(x opts.HeatMapData) (any, bool) { return x.Value, x.Name == "" }

func bareLine(x opts.LineData) (any, bool) {
	return x.Value, x.Name == "" && x.Symbol == "" && x.SymbolSize == 0 && x.XAxisIndex == 0 && x.YAxisIndex == 0
}

// plainScatter makes a scatter series' points bare values when they share
// one symbol: said once, on the series.
func plainScatter(s *charts.SingleSeries, d []opts.ScatterData) {
	if len(d) == 0 || s.Symbol != "" || s.SymbolSize != nil {
		return
	}
	vs := bareValues(d, func(x opts.ScatterData) (any, bool) {
		return x.Value, x.Name == "" && x.SymbolRotate == 0 && x.XAxisIndex == 0 && x.YAxisIndex == 0 &&
			x.Symbol == d[0].Symbol && x.SymbolSize == d[0].SymbolSize
	})
	if vs == nil {
		return
	}
	s.Data = vs
	s.Symbol = d[0].Symbol
	if d[0].SymbolSize != 0 {
		s.SymbolSize = d[0].SymbolSize
	}
}

// safeJSON marshals v for embedding in HTML: <, > and & become \u003c,
// \u003e and \u0026 (encoding/json's HTML escaping, also U+2028/9), and
// go-echarts' "__f__" function marker is broken wherever it occurs.
func safeJSON(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(true)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	b := bytes.TrimRight(buf.Bytes(), "\n")
	for bytes.Contains(b, []byte("__f__")) {
		b = bytes.ReplaceAll(b, []byte("__f__"), []byte(`_\u200b_f__`))
	}
	return b, nil
}

// common returns the options every chart shares: fixed ID, local assets,
// toolbox with save-as-PNG, no animation (deterministic screenshots).
func common(ms *messages, cs *chartSpec, title string) []charts.GlobalOpts {
	return []charts.GlobalOpts{
		charts.WithInitializationOpts(opts.Initialization{ChartID: cs.ID, AssetsHost: assetsHost,
			Width: "100%", Height: fmt.Sprintf("%dpx", cs.Height), Theme: "white", PageTitle: defuse(title)}),
		charts.WithTitleOpts(opts.Title{Title: defuse(title), TitleStyle: &opts.TextStyle{FontSize: 13}}),
		charts.WithToolboxOpts(opts.Toolbox{Show: opts.Bool(true), Right: "8", Feature: &opts.ToolBoxFeature{
			SaveAsImage: &opts.ToolBoxFeatureSaveAsImage{Show: opts.Bool(true), Type: "png", Name: cs.ID, Title: ms.T("save_png")}}}),
		charts.WithAnimation(false),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(true), Top: "22", Type: "scroll"}),
		charts.WithGridOpts(opts.Grid{Left: "8", Right: "16", Top: "60", Bottom: "8", ContainLabel: opts.Bool(true)}),
	}
}

// val is a chart value: the number, or "-" (ECharts' missing value) so that
// a unit without a report is a gap, never a zero.
func val(n thidua.Num) any {
	if !n.OK {
		return "-"
	}
	return n.V
}

// heatVisualMap is the colour scale of a heatmap, bound to its first
// series only, so that a second series can show missing cells in grey.
func heatVisualMap(max float64, text []string) func(map[string]any) {
	return func(m map[string]any) {
		m["visualMap"] = []map[string]any{{
			"type": "continuous", "dimension": 2, "min": 0, "max": max, "calculable": false, "orient": "horizontal",
			"left": "center", "top": 26, "itemHeight": 120, "itemWidth": 12, "text": text, "seriesIndex": 0,
			"inRange": map[string]any{"color": []string{"#d73027", "#fee08b", "#1a9850"}},
		}}
	}
}

// statusVisualMap colours a heatmap's first series by status band
// (statusBand): the colour says what the transform's status says, never
// a second reading of the % of target.
func statusVisualMap(ms *messages) func(map[string]any) {
	return func(m map[string]any) {
		m["visualMap"] = []map[string]any{{
			"type": "piecewise", "dimension": 2, "orient": "horizontal", "left": "center", "top": 26,
			"itemWidth": 12, "itemHeight": 12, "seriesIndex": 0,
			"pieces": []map[string]any{
				{"value": 2, "label": ms.T("status_on_target"), "color": "#1a9850"},
				{"value": 1, "label": ms.T("status_close"), "color": "#fee08b"},
				{"value": 0, "label": ms.T("status_behind"), "color": "#d73027"},
			},
		}}
	}
}

// missingCell is the style of a heatmap cell for a unit that has not
// reported: grey, labelled, never coloured as a value.
func missingCells(ms *messages) []charts.SeriesOpts {
	return []charts.SeriesOpts{
		charts.WithItemStyleOpts(opts.ItemStyle{Color: "#e6e9ed"}),
		charts.WithLabelOpts(opts.Label{Show: opts.Bool(true), Formatter: "{b}", FontSize: 10, Color: "#5b6673"}),
	}
}
