package dashboards

import (
	"strconv"
	"strings"

	"github.com/thidua/thidua"
)

// Wording is how the dashboards say things in one language: numbers,
// percentages, periods and the overview's sentence about each unit. Other
// writers (the DOCX report) use it so that a figure or a sentence reads the
// same on every output, from one source.
type Wording struct {
	b *builder
}

// NewWording returns the wording of lang ("vi" or "en") for the report r.
func NewWording(r thidua.Report, lang string) (*Wording, error) {
	ms, err := loadMessages(lang)
	if err != nil {
		return nil, err
	}
	ix, err := newIndex(r)
	if err != nil {
		return nil, err
	}
	return &Wording{newBuilder(ix, ms, false)}, nil
}

// Lang returns the wording's language.
func (w *Wording) Lang() string { return w.b.ms.lang }

// Num formats v with dec decimals: 1.234,5 in Vietnamese, 1,234.5 in English.
func (w *Wording) Num(v float64, dec int) string { return w.b.ms.Num(v, dec) }

// N formats a possibly missing number; missing is "—".
func (w *Wording) N(n thidua.Num, dec int) string { return w.b.ms.N(n, dec) }

// Pct formats a percentage with one decimal: 62,5%.
func (w *Wording) Pct(n thidua.Num) string { return w.b.ms.Pct(n) }

// SignedPct formats a percent change with its sign: +12,3%.
func (w *Wording) SignedPct(n thidua.Num) string { return w.b.ms.SignedPct(n) }

// Period names p as readers of the language say it: 6 tháng đầu năm 2020.
func (w *Wording) Period(p thidua.Period) string { return w.b.ms.Period(p) }

// ClusterValue is the cluster row's value as the pages show it: the value,
// or the partial figure over the units that reported, marked as partial
// with how many (partial true); "—" when there is neither.
func (w *Wording) ClusterValue(row *thidua.PopRow, dec int) (text string, partial bool) {
	return w.b.ms.clusterValue(row, dec)
}

// Sentences returns the overview's sentence for each unit of the cluster in
// p, in the cluster's unit order.
func (w *Wording) Sentences(p thidua.Period) []string {
	var out []string
	ranked := w.b.rankedByTarget(p)
	for _, u := range w.b.ix.units {
		out = append(out, w.b.sentence(u, p, ranked))
	}
	return out
}

// Change says a cluster figure's change on the same period last year as
// the overview's key figures do: a percent change, or percentage points
// for a rate; "" when there is none.
func (w *Wording) Change(ind thidua.Indicator, row *thidua.PopRow) string {
	if row == nil || !row.PctChangeYoY.OK {
		return ""
	}
	return w.b.yoyChange(ind, row)
}

// yoyChange is row's change on the same period last year: a signed percent,
// or, for a rate, signed percentage points (a rate changes by points).
func (b *builder) yoyChange(ind thidua.Indicator, row *thidua.PopRow) string {
	ms := b.ms
	if isRate(ind) && row.ChangeYoY.OK {
		return ms.T("pp", "v", signed(ms.Num(row.ChangeYoY.V, ind.Decimals), row.ChangeYoY.V))
	}
	return ms.SignedPct(row.PctChangeYoY)
}

// proposalTable is the year-end proposal of p (store.Proposal, made by
// thidua.Propose) as a table, with the tie-break rule as its note.
func (b *builder) proposalTable(p thidua.Period, props []thidua.Proposal) (table, string) {
	ms, ix := b.ms, b.ix
	rules := ix.r.Cluster.Awards
	key := p.String()
	t := table{ID: "t-proposal-" + key, CSV: "proposal-" + key + ".csv", Caption: ms.T("proposal") + " — " + ms.Period(p),
		Head: []th{{ms.T("proposal_order"), true}, {ms.T("unit"), false}, {ms.T("total"), true}, {ms.T("rank"), true},
			{ms.T("proposal_award"), false}, {ms.T("proposal_reasons"), false}}, Fmt: "-u1---"}
	var keys, pages []string
	for _, pr := range props {
		name := pr.Unit
		if u, ok := ix.r.Cluster.Unit(pr.Unit); ok {
			name = b.unitName(u)
		}
		keys, pages = append(keys, thidua.Fold(name)), append(pages, "unit-"+pr.Unit+".html")
		award := cell{Text: ms.T("not_proposed"), Class: "na"}
		for _, a := range rules.Awards {
			if a.Code == pr.Award {
				award = cell{Text: a.Label(ms.lang), Class: "good"}
			}
		}
		var reasons []string
		for _, r := range pr.Reasons {
			reasons = append(reasons, r.Text(ms.lang, rules, &ix.r.Cluster, ms.Num))
		}
		rank := cell{Text: "—", Class: "na"}
		if pr.Rank > 0 {
			rank = cell{Text: strconv.Itoa(pr.Rank), V: strconv.Itoa(pr.Rank)}
		}
		t.Rows = append(t.Rows, []cell{{Text: strconv.Itoa(pr.Order), V: strconv.Itoa(pr.Order)},
			{Text: name, Href: "unit-" + pr.Unit + ".html"}, ix.numCell(ms, pr.Total, 1), rank, award,
			textCell(strings.Join(reasons, "; "))})
	}
	if b.large {
		ms.paged(&t, keys, pages)
	}
	return t, rules.TieBreakText(ms.lang, &ix.r.Cluster)
}

// Label returns the dashboards' label key ("unit", "rank", "not_reported",
// "pct_of_target", ...), so that a column reads the same everywhere. It
// panics on an unknown key, as the pages do (a bug the tests catch).
func (w *Wording) Label(key string) string { return w.b.ms.T(key) }
