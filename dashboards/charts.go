package dashboards

import (
	"bytes"
	"encoding/json"
	"fmt"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
	"github.com/thidua/thidua"
)

// assetsHost is where go-echarts is told the scripts live: the site's own
// folder, never its default CDN.
const assetsHost = "assets/"

// chartSpec is one chart on a page: a fixed ID, and one ECharts option per
// period (deduplicated) that the site script passes to setOption when the
// reader switches periods.
type chartSpec struct {
	ID       string            `json:"id"`
	Kind     string            `json:"kind"` // bar, line, heatmap, radar
	Dec      int               `json:"dec"`  // decimals of the values
	Opts     []json.RawMessage `json:"opts"`
	ByPeriod map[string]int    `json:"byPeriod"`
	Label    string            `json:"-"` // accessible name of the chart
	Height   int               `json:"-"` // px
	seen     map[string]int
}

func newChart(id, kind, label string, dec, height int) *chartSpec {
	return &chartSpec{ID: id, Kind: kind, Dec: dec, Label: label, Height: height,
		ByPeriod: map[string]int{}, seen: map[string]int{}}
}

type echart interface {
	Validate()
	JSON() map[string]interface{}
}

// add records c's option as the chart's option for period p. tweaks edit
// the option where go-echarts has no field for what is needed.
func (cs *chartSpec) add(p thidua.Period, c echart, tweaks ...func(map[string]any)) error {
	c.Validate()
	m := c.JSON()
	for _, tw := range tweaks {
		tw(m)
	}
	b, err := safeJSON(m)
	if err != nil {
		return fmt.Errorf("dashboards: chart %s, period %s: %w", cs.ID, p, err)
	}
	k := string(b)
	i, ok := cs.seen[k]
	if !ok {
		i = len(cs.Opts)
		cs.seen[k] = i
		cs.Opts = append(cs.Opts, b)
	}
	cs.ByPeriod[p.String()] = i
	return nil
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
			"type": "continuous", "min": 0, "max": max, "calculable": false, "orient": "horizontal",
			"left": "center", "top": 26, "itemHeight": 120, "itemWidth": 12, "text": text, "seriesIndex": 0,
			"inRange": map[string]any{"color": []string{"#d73027", "#fee08b", "#1a9850"}},
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
