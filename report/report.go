package report

import (
	"bytes"
	"fmt"
	"io"
	"math"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/thidua/thidua"
)

// Wording is how figures, periods and the overview's sentences are said:
// the dashboards' own (dashboards.Wording), so that the report and the
// site agree to the character.
type Wording interface {
	Lang() string
	Num(v float64, dec int) string
	N(n thidua.Num, dec int) string
	Pct(n thidua.Num) string
	SignedPct(n thidua.Num) string
	Period(p thidua.Period) string
	Sentences(p thidua.Period) []string
	Change(ind thidua.Indicator, row *thidua.PopRow) string
	ClusterValue(row *thidua.PopRow, dec int) (text string, partial bool)
	Label(key string) string
}

// Group is a section of the report: a named set of indicators (Kinh tế,
// Văn hóa - xã hội, ...).
type Group struct {
	Name, NameEN string
	Indicators   []string
}

// Settings are the parts of the report that come from configuration: who
// issues and signs it and who receives it.
type Settings struct {
	// Issuer are the lines of the issuing body, top left: the governing
	// body first, the issuer itself last (bold). Empty: the cluster's name.
	Issuer []string
	// UnitHead is the code of the unit heading the cluster this period;
	// with no Issuer, its people's committee issues the report.
	UnitHead string
	Place    string   // place of the date line (Bắc Kạn, ngày ...)
	Symbol   string   // the symbol after "Số:      /", e.g. BC-CTĐ
	Signer   []string // signature block lines above the blank (TM. ..., CHỦ TỊCH)
	Name     string   // signer's name; "" leaves the line to fill
	// Recipients are the "Nơi nhận" lines.
	Recipients []string
	// Groups order the indicator sections; indicators not named go to a
	// last section; none: one section per indicator.
	Groups []Group
}

// Input is everything a report is written from.
type Input struct {
	Report   thidua.Report // the published tables and the cluster
	Period   thidua.Period
	Wording  Wording
	Bonuses  []thidua.Bonus    // the period's bonus and penalty rows
	Proposal []thidua.Proposal // the year-end proposal; empty outside a year
	Settings Settings
	// Date is the date line's date; zero leaves day, month and year blank
	// to fill by hand.
	Date time.Time
	// Template is a user's DOCX whose styles, header, footer and page
	// set-up the report takes; nil: the built-in one (Decree 30's).
	Template     []byte
	TemplateName string
}

// Write writes the report as a DOCX to w.
func Write(w io.Writer, in Input) error {
	ps := builtinTemplate()
	if in.Template != nil {
		var err error
		if ps, err = readTemplate(in.TemplateName, in.Template); err != nil {
			return err
		}
	}
	b, title, err := build(in)
	if err != nil {
		return err
	}
	return writePackage(w, ps, b.documentXML(ps.sectPr()), title, in.Date)
}

// DocumentXML returns word/document.xml of the report with the built-in
// template (for tests and for a reader who wants the XML).
func DocumentXML(in Input) ([]byte, error) {
	b, _, err := build(in)
	if err != nil {
		return nil, err
	}
	return b.documentXML(builtinTemplate().sectPr()), nil
}

// ErrNoData is returned when the period has no figures in the database.
var ErrNoData = fmt.Errorf("report: no figures for the period")

type writer struct {
	in   Input
	w    Wording
	en   bool
	c    *thidua.Cluster
	p    thidua.Period
	pop  map[[2]string]*thidua.PopRow // unit, indicator → row of the period
	cl   map[string]*thidua.PopRow    // indicator → cluster row
	body body
}

func (x *writer) t(vi, en string) string {
	if x.en {
		return en
	}
	return vi
}

func build(in Input) (body, string, error) {
	x := &writer{in: in, w: in.Wording, en: in.Wording.Lang() == "en", c: &in.Report.Cluster, p: in.Period,
		pop: map[[2]string]*thidua.PopRow{}, cl: map[string]*thidua.PopRow{}}
	for i := range in.Report.Pop {
		r := &in.Report.Pop[i]
		if r.Period != in.Period {
			continue
		}
		if r.IsCluster {
			x.cl[r.Indicator] = r
		} else {
			x.pop[[2]string{r.Unit, r.Indicator}] = r
		}
	}
	if len(x.pop) == 0 && len(x.cl) == 0 {
		return nil, "", fmt.Errorf("%w %s", ErrNoData, in.Period)
	}
	title := x.subject()
	x.header()
	x.intro()
	n := 0
	sec := func(vi, en string) {
		n++
		x.body.p(para{Style: "Heading1", Runs: bold(roman(n) + ". " + x.t(vi, en))})
	}
	sec("KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU THI ĐUA", "RESULTS ON THE EMULATION INDICATORS")
	x.keyFigures()
	x.groups()
	sec("CHẤM ĐIỂM, XẾP HẠNG THI ĐUA", "EMULATION SCORES AND RANKING")
	x.league()
	sec("TÌNH HÌNH BÁO CÁO VÀ CHẤT LƯỢNG SỐ LIỆU", "REPORTING AND DATA QUALITY")
	x.reporting()
	if len(in.Proposal) > 0 {
		sec("ĐỀ NGHỊ KHEN THƯỞNG", "AWARD PROPOSAL")
		x.proposal()
	}
	x.closing()
	x.signature()
	x.appendix()
	return x.body, title, nil
}

// roman is n in Roman numerals (section numbers I, II, ...).
func roman(n int) string {
	vals := []int{10, 9, 5, 4, 1}
	syms := []string{"X", "IX", "V", "IV", "I"}
	var b strings.Builder
	for i, v := range vals {
		for n >= v {
			b.WriteString(syms[i])
			n -= v
		}
	}
	return b.String()
}

func (x *writer) unitName(code string) string {
	if u, ok := x.c.Unit(code); ok {
		return u.Label(x.w.Lang())
	}
	return code
}

func (x *writer) measure(ind thidua.Indicator) string {
	if x.en && ind.MeasureEN != "" {
		return ind.MeasureEN
	}
	return ind.Measure
}

// units are the cluster's units that existed during the period.
func (x *writer) units() []thidua.Unit {
	var out []thidua.Unit
	for _, u := range x.c.Units {
		if (u.ValidFrom.IsZero() || !u.ValidFrom.After(x.p.End())) && (u.ValidTo.IsZero() || !u.ValidTo.Before(x.p.Start())) {
			out = append(out, u)
		}
	}
	return out
}

// shown are the indicators the dashboards show (not ratio parts).
func (x *writer) shown() []thidua.Indicator {
	var out []thidua.Indicator
	for _, ind := range x.c.Indicators {
		if !ind.Hidden {
			out = append(out, ind)
		}
	}
	return out
}

// subject is the report's subject line (trích yếu).
func (x *writer) subject() string {
	cl := x.c.Name
	if x.en && x.c.NameEN != "" {
		cl = x.c.NameEN
	}
	per := x.w.Period(x.p)
	switch x.p.Type {
	case thidua.Half, thidua.YTD9:
		return x.t("Sơ kết phong trào thi đua "+lowerFirst(per)+" của "+cl, "Review of the emulation movement, "+per+", "+cl)
	case thidua.Year:
		return x.t("Tổng kết phong trào thi đua "+lowerFirst(per)+" của "+cl, "Year-end review of the emulation movement, "+per+", "+cl)
	}
	return x.t("Kết quả thực hiện các chỉ tiêu thi đua "+lowerFirst(per)+" của "+cl, "Results on the emulation indicators, "+per+", "+cl)
}

func lowerFirst(s string) string {
	for i, r := range s {
		if i == 0 {
			return strings.ToLower(string(r)) + s[len(string(r)):]
		}
	}
	return s
}

// header is Decree 30's first block: issuer and number left, national
// motto and date right, then the title and subject.
func (x *writer) header() {
	s := x.in.Settings
	issuer := s.Issuer
	if len(issuer) == 0 {
		if u, ok := x.c.Unit(s.UnitHead); ok {
			kind := "HUYỆN"
			if u.Kind == "city" {
				kind = "THÀNH PHỐ"
			}
			name := strings.ToUpper(u.Name)
			if strings.HasPrefix(name, kind+" ") {
				name = strings.TrimPrefix(name, kind+" ")
			}
			issuer = []string{strings.ToUpper(x.c.Name), "ỦY BAN NHÂN DÂN " + kind + " " + name}
		} else {
			issuer = []string{strings.ToUpper(x.c.Name)}
		}
	}
	var left []para
	for i, l := range issuer {
		left = append(left, para{Align: "center", Runs: []run{{Text: l, Bold: i == len(issuer)-1, Size: sz13}}})
	}
	left = append(left, para{Align: "center", Runs: []run{{Text: "———————", Size: sz12}}})
	sym := s.Symbol
	if sym == "" {
		sym = "BC"
	}
	left = append(left, para{Align: "center", Before: 60, Runs: []run{{Text: x.t("Số:        /", "No.:        /") + sym, Size: sz13}}})

	date := x.t("ngày     tháng     năm", "day     month     year")
	if !x.in.Date.IsZero() {
		d := x.in.Date
		date = x.t(fmt.Sprintf("ngày %02d tháng %02d năm %d", d.Day(), int(d.Month()), d.Year()), d.Format("2 January 2006"))
	}
	place := s.Place
	if place == "" {
		place = "……"
	}
	right := []para{
		{Align: "center", Runs: []run{{Text: "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", Bold: true, Size: sz12}}},
		{Align: "center", Runs: []run{{Text: "Độc lập - Tự do - Hạnh phúc", Bold: true, Size: sz13}}},
		{Align: "center", Runs: []run{{Text: "———————————", Size: sz12}}},
		{Align: "center", Before: 60, Runs: []run{{Text: place + ", " + date, Italic: true, Size: sz13}}},
	}
	x.body.t(table{Widths: []int{3969, pageText - 3969}, Rows: []row{{Cells: []cell{{Paras: left}, {Paras: right}}}}})
	x.body.p(para{Align: "center", Before: 360, KeepNext: true, Runs: []run{{Text: x.t("BÁO CÁO", "REPORT"), Bold: true, Size: sz14}}})
	x.body.p(para{Align: "center", KeepNext: true, Runs: bold(x.subject())})
	x.body.p(para{Align: "center", After: 240, Runs: []run{{Text: "————", Size: sz12}}})
	if x.in.Report.Synthetic {
		x.body.p(para{Style: "BodyText", Runs: boldI(x.w.Label("synthetic"))})
	}
}

func (x *writer) intro() {
	n := len(x.units())
	x.body.p(para{Style: "BodyText", Runs: txt(x.t(
		fmt.Sprintf("Căn cứ số liệu báo cáo của %d đơn vị trong cụm và bảng thang điểm thi đua của cụm, %s báo cáo kết quả phong trào thi đua %s như sau:",
			n, x.c.Name, lowerFirst(x.w.Period(x.p))),
		fmt.Sprintf("From the reports of the cluster's %d units and its scoring table, %s reports on the emulation movement in %s as follows:",
			n, x.clusterName(), x.w.Period(x.p))))})
}

func (x *writer) clusterName() string {
	if x.en && x.c.NameEN != "" {
		return x.c.NameEN
	}
	return x.c.Name
}

// cells helpers
func hcell(s string) cell {
	return cell{Fill: "E7E6E6", VMid: true, Paras: []para{{Style: "TableText", Align: "center", Runs: bold(s)}}}
}
func tcell(s string) cell { return cell{Paras: []para{{Style: "TableText", Runs: txt(s)}}} }
func ncell(s string) cell {
	return cell{Paras: []para{{Style: "TableText", Align: "right", Runs: txt(s)}}}
}
func ccell(s string) cell {
	return cell{Paras: []para{{Style: "TableText", Align: "center", Runs: txt(s)}}}
}

func (x *writer) sub(s string) {
	x.body.p(para{Style: "Heading2", Runs: bold(s)})
}

func (x *writer) keyFigures() {
	w := x.w
	x.sub(x.t("1. Số liệu chính toàn cụm", "1. Key figures of the whole cluster"))
	t := table{Borders: true, Widths: []int{2722, 964, 1304, 1531, 1474, 1359}}
	t.Rows = append(t.Rows, row{Header: true, Cells: []cell{hcell(w.Label("indicator")), hcell(w.Label("measure")),
		hcell(w.Label("value")), hcell(w.Label("change_yoy")), hcell(w.Label("target")), hcell(w.Label("pct_of_target"))}})
	for _, ind := range x.shown() {
		cr := x.cl[ind.Code]
		ch, tgt, pct := "—", "—", "—"
		// the value, or the partial figure marked with the units it counts
		val, _ := w.ClusterValue(cr, ind.Decimals)
		if cr != nil && cr.Value.OK {
			if s := w.Change(ind, cr); s != "" {
				ch = s
			}
		}
		if cr != nil && ind.HasTarget {
			tgt, pct = w.N(cr.Target, ind.Decimals), w.Pct(cr.PctOfTarget)
		}
		t.Rows = append(t.Rows, row{Cells: []cell{tcell(ind.Label(w.Lang())), ccell(x.measure(ind)), ncell(val), ncell(ch), ncell(tgt), ncell(pct)}})
	}
	x.body.t(t)
	x.body.p(para{Style: "BodyText", Runs: ital(x.t(
		"Giá trị kỳ: thực hiện trong kỳ; so cùng kỳ: so với cùng kỳ năm trước (tỷ lệ tính bằng điểm %); % kế hoạch năm: lũy kế từ đầu năm so với kế hoạch năm.",
		"Value: the period's; on last year: change on the same period a year before (rates in percentage points); % of annual target: year to date over the annual target."))})
	x.sub(x.t("2. Điểm nổi bật theo đơn vị", "2. Highlights by unit"))
	for _, s := range w.Sentences(x.p) {
		x.body.p(para{Style: "BodyText", Runs: txt("- " + s)})
	}
}

// groups writes a section per indicator group: a sentence on the leaders
// and on the units on pace for their annual target, and the units' table.
func (x *writer) groups() {
	groups := x.in.Settings.Groups
	named := map[string]bool{}
	for _, g := range groups {
		for _, c := range g.Indicators {
			named[c] = true
		}
	}
	var rest []string
	for _, ind := range x.shown() {
		if !named[ind.Code] {
			rest = append(rest, ind.Code)
		}
	}
	if len(groups) == 0 {
		for _, c := range rest {
			ind, _ := x.c.Indicator(c)
			groups = append(groups, Group{Name: ind.Name, NameEN: ind.NameEN, Indicators: []string{c}})
		}
	} else if len(rest) > 0 {
		groups = append(groups, Group{Name: "Các chỉ tiêu khác", NameEN: "Other indicators", Indicators: rest})
	}
	for gi, g := range groups {
		name := g.Name
		if x.en && g.NameEN != "" {
			name = g.NameEN
		}
		x.sub(fmt.Sprintf("%d. %s", gi+3, name))
		k := 0
		for _, code := range g.Indicators {
			ind, ok := x.c.Indicator(code)
			if !ok || ind.Hidden {
				continue
			}
			x.indicator(ind, k)
			k++
		}
	}
}

// indicator writes one indicator's part of the report: its heading, what
// the cluster and its units reached, and the units' table.
func (x *writer) indicator(ind thidua.Indicator, k int) {
	w := x.w
	x.body.p(para{Style: "Heading3", Runs: []run{{Text: fmt.Sprintf("%c) %s (%s)", 'a'+rune(k%26), ind.Label(w.Lang()), x.measure(ind)), Bold: true, Italic: true}}})
	rows, missing := x.reported(ind)
	sents := x.clusterSentences(ind)
	if s := x.leaders(ind, rows); s != "" {
		sents = append(sents, s)
	}
	if ind.HasTarget {
		if s := x.paceSentence(rows); s != "" {
			sents = append(sents, s)
		}
	}
	if len(missing) > 0 {
		sents = append(sents, upperFirst(x.w.Label("not_reported")+": "+strings.Join(missing, ", ")+"."))
	}
	if len(sents) > 0 {
		x.body.p(para{Style: "BodyText", Runs: txt(strings.Join(sents, " "))})
	}
	if len(rows) == 0 {
		return
	}
	x.unitTable(ind, rows)
}

// reported gives the rows of the units that reported the indicator, by rank
// of value (1 = best by the indicator's direction, as the transform ranks),
// unranked last, then the cluster's unit order; and the names of the units
// that did not.
func (x *writer) reported(ind thidua.Indicator) (rows []*thidua.PopRow, missing []string) {
	for _, u := range x.units() {
		r := x.pop[[2]string{u.Code, ind.Code}]
		if r == nil || !r.Value.OK {
			missing = append(missing, u.Label(x.w.Lang()))
			continue
		}
		rows = append(rows, r)
	}
	sort.SliceStable(rows, func(i, j int) bool {
		ri, rj := rows[i].RankValue, rows[j].RankValue
		if ri <= 0 {
			ri = math.MaxInt
		}
		if rj <= 0 {
			rj = math.MaxInt
		}
		return ri < rj
	})
	return rows, missing
}

// clusterSentences says what the cluster as a whole reached: its figure,
// change on last year and share of the annual target, or, while units are
// missing, the figure of those that reported, said so.
func (x *writer) clusterSentences(ind thidua.Indicator) []string {
	w := x.w
	var sents []string
	if cr := x.cl[ind.Code]; cr != nil && !cr.Value.OK && cr.ValuePartial.OK {
		v, _ := w.ClusterValue(cr, ind.Decimals)
		sents = append(sents, x.t("Chưa đủ các đơn vị báo cáo để tính số toàn cụm; các đơn vị đã báo cáo đạt ",
			"Not every unit has reported, so the cluster's figure is not known; the units that have reported reached ")+
			v+" "+strings.TrimSpace(x.measure(ind))+".")
	}
	if cr := x.cl[ind.Code]; cr != nil && cr.Value.OK {
		unit := " " + x.measure(ind)
		if strings.TrimSpace(x.measure(ind)) == "%" {
			unit = "%"
		}
		s := x.t("Toàn cụm đạt ", "The cluster reached ") + w.Num(cr.Value.V, ind.Decimals) + unit
		if ch := w.Change(ind, cr); ch != "" {
			s += x.t(" ("+ch+" so với cùng kỳ)", " ("+ch+" on last year)")
		}
		if ind.HasTarget && cr.PctOfTarget.OK {
			s += x.t(", bằng "+w.Pct(cr.PctOfTarget)+" kế hoạch năm", ", "+w.Pct(cr.PctOfTarget)+" of the annual target")
		}
		sents = append(sents, s+".")
	}
	return sents
}

// leaders names the units ranked 1 to 3 by value, when more than one unit
// reported; "" otherwise.
func (x *writer) leaders(ind thidua.Indicator, rows []*thidua.PopRow) string {
	var lead []string
	for _, r := range rows {
		if r.RankValue >= 1 && r.RankValue <= 3 {
			lead = append(lead, x.unitName(r.Unit)+" ("+x.w.Num(r.Value.V, ind.Decimals)+")")
		}
	}
	if len(lead) == 0 || len(rows) <= 1 {
		return ""
	}
	return x.t("Dẫn đầu: ", "Leading: ") + strings.Join(lead, ", ") + "."
}

// paceSentence says which units are ahead of the year's pace (the share of
// the year elapsed) on their annual target; "" when no unit has a target.
func (x *writer) paceSentence(rows []*thidua.PopRow) string {
	w := x.w
	pace := thidua.PaceOfYear(x.p)
	var on []string
	byPct := append([]*thidua.PopRow(nil), rows...)
	sort.SliceStable(byPct, func(i, j int) bool { return byPct[i].PctOfTarget.V > byPct[j].PctOfTarget.V })
	nt := 0
	for _, r := range byPct {
		if !r.PctOfTarget.OK {
			continue
		}
		nt++
		if r.PctOfTarget.V > pace || pace >= 100 && r.PctOfTarget.V >= pace {
			on = append(on, x.unitName(r.Unit)+" ("+w.Pct(r.PctOfTarget)+")")
		}
	}
	paceTxt := w.Num(pace, 0) + "%"
	same := nt > 0
	for _, r := range byPct {
		if r.PctOfTarget.OK && w.Pct(r.PctOfTarget) != w.Pct(byPct[0].PctOfTarget) {
			same = false
		}
	}
	switch {
	case nt == 0:
		return ""
	case same && nt > 1:
		return x.t("Tất cả "+itoa(nt)+" đơn vị đạt "+w.Pct(byPct[0].PctOfTarget)+" kế hoạch năm.",
			"All "+itoa(nt)+" units are at "+w.Pct(byPct[0].PctOfTarget)+" of the annual target.")
	case len(on) == nt && pace < 100:
		return x.t("Tất cả "+itoa(nt)+" đơn vị đạt trên "+paceTxt+" kế hoạch năm.", "All "+itoa(nt)+" units are above "+paceTxt+" of the annual target.")
	case len(on) == nt:
		return x.t("Tất cả "+itoa(nt)+" đơn vị đạt kế hoạch năm.", "All "+itoa(nt)+" units reached the annual target.")
	case len(on) == 0 && pace < 100:
		return x.t("Chưa đơn vị nào đạt trên "+paceTxt+" kế hoạch năm.", "No unit is above "+paceTxt+" of the annual target yet.")
	case len(on) == 0:
		return x.t("Chưa đơn vị nào đạt kế hoạch năm.", "No unit reached the annual target.")
	case pace >= 100:
		return x.t("Đạt kế hoạch năm: ", "Reached the annual target: ") + strings.Join(on, ", ") + "."
	default:
		return x.t("Đạt trên "+paceTxt+" kế hoạch năm ("+itoa(len(on))+"/"+itoa(nt)+" đơn vị): ",
			"Above "+paceTxt+" of the annual target ("+itoa(len(on))+" of "+itoa(nt)+" units): ") + strings.Join(on, ", ") + "."
	}
}

// unitTable writes the reporting units' table (rank, value, change on last
// year and, with a target, share and rank of it), and the note under it
// when a unit's figure covers only part of the period.
func (x *writer) unitTable(ind thidua.Indicator, rows []*thidua.PopRow) {
	w := x.w
	widths := []int{851, 2835, 1587, 1587, 1361, 1134}
	head := []cell{hcell(w.Label("rank")), hcell(w.Label("unit")), hcell(w.Label("value")), hcell(w.Label("change_yoy"))}
	if ind.HasTarget {
		head = append(head, hcell(w.Label("pct_of_target")), hcell(x.t("Hạng % KH", "Rank, % of target")))
	} else {
		widths = []int{851, 3402, 2268, 2268}
	}
	t := table{Borders: true, Widths: widths, Rows: []row{{Header: true, Cells: head}}}
	n, nt := 0, 0
	for _, r := range rows {
		if r.RankValue > 0 {
			n++
		}
		if r.RankTarget > 0 {
			nt++
		}
	}
	for _, r := range rows {
		val := w.Num(r.Value.V, ind.Decimals)
		if !r.Complete {
			val += " *"
		}
		ch := w.SignedPct(r.PctChangeYoY)
		if s := w.Change(ind, r); s != "" {
			ch = s
		}
		cells := []cell{ccell(rankText(r.RankValue, n)), tcell(x.unitName(r.Unit)), ncell(val), ncell(ch)}
		if ind.HasTarget {
			cells = append(cells, ncell(w.Pct(r.PctOfTarget)), ccell(rankText(r.RankTarget, nt)))
		}
		t.Rows = append(t.Rows, row{Cells: cells})
	}
	x.body.t(t)
	for _, r := range rows {
		if !r.Complete {
			x.body.p(para{Style: "BodyText", Runs: ital(x.w.Label("partial_note"))})
			break
		}
	}
}

func upperFirst(s string) string {
	for i, r := range s {
		if i == 0 {
			return strings.ToUpper(string(r)) + s[len(string(r)):]
		}
	}
	return s
}

func rankText(rank, n int) string {
	if rank <= 0 {
		return "—"
	}
	return fmt.Sprintf("%d/%d", rank, n)
}

func (x *writer) scores() []thidua.ScoreRow {
	var out []thidua.ScoreRow
	for _, s := range x.in.Report.Scores {
		if s.Period == x.p {
			out = append(out, s)
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		ri, rj := out[i].Rank, out[j].Rank
		if ri <= 0 {
			ri = math.MaxInt
		}
		if rj <= 0 {
			rj = math.MaxInt
		}
		if ri != rj {
			return ri < rj
		}
		return out[i].Unit < out[j].Unit
	})
	return out
}

func (x *writer) league() {
	w := x.w
	scores := x.scores()
	if len(scores) == 0 {
		x.body.p(para{Style: "BodyText", Runs: txt(w.Label("no_scores"))})
		return
	}
	reasons := map[string][]string{}
	for _, b := range x.in.Bonuses {
		reasons[b.Unit] = append(reasons[b.Unit], fmt.Sprintf("%s (%s)", b.Reason, signedNum(w, b.Points)))
	}
	t := table{Borders: true, Widths: []int{794, 2268, 1077, 1134, 1077, 1021, 1984}}
	t.Rows = append(t.Rows, row{Header: true, Cells: []cell{hcell(w.Label("rank")), hcell(w.Label("unit")), hcell(w.Label("points")),
		hcell(w.Label("bonus")), hcell(w.Label("total")), hcell(w.Label("rank_change")), hcell(x.t("Lý do thưởng/phạt", "Bonus/penalty reasons"))}})
	seen := map[string]bool{}
	for _, s := range scores {
		seen[s.Unit] = true
		change := "—"
		if s.RankChange.OK {
			switch v := int(s.RankChange.V); {
			case v > 0:
				change = fmt.Sprintf("▲ %+d", v)
			case v < 0:
				change = fmt.Sprintf("▼ %+d", v)
			default:
				change = "= 0"
			}
		}
		t.Rows = append(t.Rows, row{Cells: []cell{ccell(rankText(s.Rank, len(scores))), tcell(x.unitName(s.Unit)),
			ncell(w.N(s.Points, 1)), ncell(w.N(s.Bonus, 1)), ncell(w.N(s.Total, 1)), ccell(change), tcell(strings.Join(reasons[s.Unit], "; "))}})
	}
	for _, u := range x.units() {
		if !seen[u.Code] {
			t.Rows = append(t.Rows, row{Cells: []cell{ccell("—"), tcell(u.Label(w.Lang())), ccell(w.Label("not_reported")), ccell("—"), ccell("—"), ccell("—"), tcell("")}})
		}
	}
	x.body.t(t)
	top := scores[0]
	if top.Rank == 1 {
		var firsts []string
		for _, s := range scores {
			if s.Rank == 1 {
				firsts = append(firsts, x.unitName(s.Unit))
			}
		}
		x.body.p(para{Style: "BodyText", Runs: txt(x.t(
			fmt.Sprintf("Dẫn đầu cụm: %s với %s điểm (tối đa %s điểm).", strings.Join(firsts, ", "), w.N(top.Total, 1), w.N(top.MaxPoints, 1)),
			fmt.Sprintf("First in the cluster: %s with %s points (of %s).", strings.Join(firsts, ", "), w.N(top.Total, 1), w.N(top.MaxPoints, 1))))})
	}
}

func signedNum(w Wording, v float64) string {
	s := w.Num(v, 1)
	if v > 0 {
		s = "+" + s
	}
	return s
}

// reporting says which units have not reported which indicators, which
// reported only part of the period's months, and the quality findings of
// the period.
func (x *writer) reporting() {
	w := x.w
	// Findings of the period itself, and the late corrections and rule
	// failures of any period within it; outliers of single months are for
	// the quality page, not for a signed report. Late reports (with a
	// deadline configured) are listed with each unit instead.
	within := func(label string) bool {
		q, err := thidua.ParsePeriod(label)
		return err == nil && !q.Start().Before(x.p.Start()) && !q.End().After(x.p.End())
	}
	late := map[string][]string{}
	var flags []thidua.QualityFlag
	for _, q := range x.in.Report.QualityFlags {
		switch {
		case q.Check == thidua.CheckLateReport:
			if within(q.Period) && q.Value.OK {
				late[q.Unit] = append(late[q.Unit], fmt.Sprintf("%s (%s)", q.Period, x.t(fmt.Sprintf("chậm %.0f ngày", q.Value.V), fmt.Sprintf("%.0f days late", q.Value.V))))
			}
		case q.Period == x.p.String():
			flags = append(flags, q)
		case (q.Check == thidua.CheckLateCorrection || q.Check == thidua.CheckRule || q.Check == thidua.CheckSpanConflict) && within(q.Period):
			flags = append(flags, q)
		}
	}
	var lines []string
	for _, u := range x.units() {
		var none, part []string
		for _, ind := range x.shown() {
			r := x.pop[[2]string{u.Code, ind.Code}]
			switch {
			case r == nil || !r.Value.OK:
				none = append(none, lowerFirst(ind.Label(w.Lang())))
			case !r.Complete:
				part = append(part, fmt.Sprintf("%s (%d/%d %s)", lowerFirst(ind.Label(w.Lang())), r.MonthsReported, r.MonthsExpected, x.t("tháng", "months")))
			}
		}
		if len(none) > 0 {
			lines = append(lines, x.t(u.Label(w.Lang())+" chưa báo cáo: ", u.Label(w.Lang())+" has not reported: ")+strings.Join(none, ", ")+".")
		}
		if len(part) > 0 {
			lines = append(lines, x.t(u.Label(w.Lang())+" báo cáo chưa đủ các tháng: ", u.Label(w.Lang())+" reported only some months: ")+strings.Join(part, ", ")+".")
		}
		if l := late[u.Code]; len(l) > 0 {
			slices.Sort(l)
			lines = append(lines, x.t(u.Label(w.Lang())+" báo cáo chậm hạn: ", u.Label(w.Lang())+" reported late: ")+strings.Join(l, ", ")+".")
		}
	}
	if len(lines) == 0 {
		lines = []string{x.t(fmt.Sprintf("Cả %d đơn vị đã báo cáo đủ các chỉ tiêu của kỳ.", len(x.units())),
			fmt.Sprintf("All %d units reported every indicator for the period.", len(x.units())))}
	}
	for _, l := range lines {
		x.body.p(para{Style: "BodyText", Runs: txt("- " + l)})
	}
	if len(flags) == 0 {
		x.body.p(para{Style: "BodyText", Runs: txt(x.t("- Kiểm tra chất lượng số liệu không phát hiện bất thường trong kỳ.", "- The data-quality checks found nothing for the period."))})
		return
	}
	x.body.p(para{Style: "BodyText", Runs: txt(x.t(
		fmt.Sprintf("- Kiểm tra chất lượng số liệu có %d phát hiện cần lưu ý (chi tiết tại trang Chất lượng dữ liệu):", len(flags)),
		fmt.Sprintf("- The data-quality checks made %d findings to note (details on the Data quality page):", len(flags))))})
	t := table{Borders: true, Widths: []int{1701, 1644, 1644, 4365}}
	t.Rows = append(t.Rows, row{Header: true, Cells: []cell{hcell(w.Label("check")), hcell(w.Label("unit")), hcell(w.Label("indicator")), hcell(w.Label("reason"))}})
	for _, q := range flags {
		ind := q.Indicator
		if i, ok := x.c.Indicator(q.Indicator); ok {
			ind = i.Label(w.Lang())
		}
		t.Rows = append(t.Rows, row{Cells: []cell{tcell(q.Check), tcell(x.unitName(q.Unit)), tcell(ind), tcell(q.Text(w.Lang()))}})
	}
	x.body.t(t)
}

func (x *writer) proposal() {
	w := x.w
	rules := x.c.Awards
	var given []string
	for _, a := range rules.Awards {
		var us []string
		for _, p := range x.in.Proposal {
			if p.Award == a.Code {
				us = append(us, x.unitName(p.Unit))
			}
		}
		if len(us) == 0 {
			us = []string{x.t("không có đơn vị đủ điều kiện", "no unit qualifies")}
		}
		given = append(given, fmt.Sprintf("%s (%s %d): %s", a.Label(w.Lang()), x.t("chỉ tiêu", "quota"), a.Quota, strings.Join(us, ", ")))
	}
	x.body.p(para{Style: "BodyText", Runs: txt(x.t("Căn cứ kết quả chấm điểm, xếp hạng và các điều kiện xét khen thưởng, cụm đề nghị:",
		"From the scores, the ranking and the award conditions, the cluster proposes:"))})
	for _, g := range given {
		x.body.p(para{Style: "BodyText", Runs: txt("- " + g + ".")})
	}
	t := table{Borders: true, Widths: []int{737, 2041, 1077, 850, 1871, 2779}}
	t.Rows = append(t.Rows, row{Header: true, Cells: []cell{hcell(w.Label("proposal_order")), hcell(w.Label("unit")), hcell(w.Label("total")),
		hcell(w.Label("rank")), hcell(w.Label("proposal_award")), hcell(w.Label("proposal_reasons"))}})
	for _, p := range x.in.Proposal {
		award := w.Label("not_proposed")
		for _, a := range rules.Awards {
			if a.Code == p.Award {
				award = a.Label(w.Lang())
			}
		}
		var rs []string
		for _, r := range p.Reasons {
			rs = append(rs, r.Text(w.Lang(), rules, x.c, w.Num))
		}
		rank := "—"
		if p.Rank > 0 {
			rank = itoa(p.Rank)
		}
		t.Rows = append(t.Rows, row{Cells: []cell{ccell(itoa(p.Order)), tcell(x.unitName(p.Unit)), ncell(w.N(p.Total, 1)), ccell(rank), tcell(award), tcell(strings.Join(rs, "; "))}})
	}
	x.body.t(t)
	x.body.p(para{Style: "BodyText", Runs: ital(rules.TieBreakText(w.Lang(), x.c))})
}

func (x *writer) closing() {
	x.body.p(para{Style: "BodyText", Runs: txt(x.t(
		"Trên đây là báo cáo "+lowerFirst(x.subject())+"./.",
		"The above is the report on the "+lowerFirst(x.subject())+"./."))})
}

// signature is the "Nơi nhận" list (left) and the signature block (right).
func (x *writer) signature() {
	s := x.in.Settings
	left := []para{{Runs: []run{{Text: x.t("Nơi nhận:", "Recipients:"), Bold: true, Italic: true, Size: sz12}}}}
	rec := s.Recipients
	if len(rec) == 0 {
		rec = []string{x.t("- Như trên;", "- As above;"), x.t("- Lưu: VT.", "- File.")}
	}
	for _, r := range rec {
		left = append(left, para{Runs: []run{{Text: r, Size: sz11}}})
	}
	signer := s.Signer
	if len(signer) == 0 {
		signer = []string{x.t("TRƯỞNG CỤM", "HEAD OF THE CLUSTER")}
	}
	var right []para
	for _, l := range signer {
		right = append(right, para{Align: "center", Runs: bold(l)})
	}
	right = append(right, para{Align: "center", Runs: []run{{Text: x.t("(Chữ ký, dấu)", "(Signature, seal)"), Italic: true, Size: sz12}}})
	for i := 0; i < 3; i++ {
		right = append(right, para{})
	}
	name := s.Name
	if name == "" {
		name = "……………………"
	}
	right = append(right, para{Align: "center", Runs: bold(name)})
	x.body.p(para{})
	x.body.t(table{Widths: []int{4535, pageText - 4535}, Rows: []row{{Cells: []cell{{Paras: left}, {Paras: right}}}}})
}

// appendix states the scoring rule, from the cluster's criteria.
func (x *writer) appendix() {
	w := x.w
	x.body.p(para{Align: "center", PageBrk: true, Runs: []run{{Text: x.t("PHỤ LỤC", "APPENDIX"), Bold: true, Size: sz14}}})
	x.body.p(para{Align: "center", After: 120, Runs: bold(x.t("THANG ĐIỂM CHẤM THI ĐUA", "THE SCORING RULE"))})
	t := table{Borders: true, Widths: []int{567, 3288, 1134, 4365}}
	t.Rows = append(t.Rows, row{Header: true, Cells: []cell{hcell(x.t("STT", "No.")), hcell(x.t("Tiêu chí", "Criterion")),
		hcell(x.t("Điểm tối đa", "Max points")), hcell(x.t("Cách tính", "How it is computed"))}})
	total := 0.0
	for i, cr := range x.c.Criteria {
		ind, _ := x.c.Indicator(cr.Indicator)
		total += cr.Weight
		var how string
		switch cr.Method {
		case thidua.PctOfTarget:
			capPct := cr.CapPct
			if capPct == 0 {
				capPct = 100
			}
			how = x.t(fmt.Sprintf("Điểm tối đa × min(%% kế hoạch năm; %s%%) ÷ %s%%", w.Num(capPct, 0), w.Num(capPct, 0)),
				fmt.Sprintf("Max points × min(%% of annual target, %s%%) ÷ %s%%", w.Num(capPct, 0), w.Num(capPct, 0)))
		case thidua.RankPoints:
			how = x.t("Điểm tối đa × (n − hạng) ÷ (n − 1), n là số đơn vị được xếp hạng", "Max points × (n − rank) ÷ (n − 1) among the n units ranked")
		case thidua.Threshold:
			var bands []string
			for _, b := range cr.Bands {
				bands = append(bands, fmt.Sprintf("≥ %s: %s", w.Num(b.Min, 1), w.Num(b.Points, 1)))
			}
			how = x.t("Theo mức đạt: ", "By level reached: ") + strings.Join(bands, "; ")
		}
		t.Rows = append(t.Rows, row{Cells: []cell{ccell(itoa(i + 1)), tcell(ind.Label(w.Lang())), ncell(w.Num(cr.Weight, 1)), tcell(how)}})
	}
	t.Rows = append(t.Rows, row{Cells: []cell{{Span: 2, Paras: []para{{Style: "TableText", Runs: bold(x.t("Cộng", "Total"))}}}, ncell(w.Num(total, 1)), tcell("")}})
	x.body.t(t)
	for _, s := range []string{
		x.t("Chỉ tiêu chưa báo cáo được 0 điểm và không được tính như số 0 khi xếp hạng giá trị. % kế hoạch năm đã tính theo chiều tốt của chỉ tiêu (chỉ tiêu càng thấp càng tốt như tỷ lệ hộ nghèo được quy đổi).",
			"An indicator not reported earns 0 points and is not ranked as a zero. The % of annual target follows the indicator's direction (lower-is-better indicators such as the poverty rate are inverted)."),
		x.t("Tổng điểm = điểm các tiêu chí + điểm thưởng/phạt; xếp hạng theo tổng điểm, bằng điểm thì đồng hạng.",
			"Total = the criteria's points + bonus or penalty; units are ranked by total, equal totals sharing a rank."),
	} {
		x.body.p(para{Style: "BodyText", Runs: ital(s)})
	}
}

// render is a helper for tests: the body as plain text, one block a line.
func (b body) text() string {
	var buf bytes.Buffer
	for _, bl := range b {
		if bl.P != nil {
			for _, r := range bl.P.Runs {
				buf.WriteString(r.Text)
			}
			buf.WriteByte('\n')
			continue
		}
		for _, r := range bl.T.Rows {
			for _, c := range r.Cells {
				for _, p := range c.Paras {
					for _, r := range p.Runs {
						buf.WriteString(r.Text)
					}
				}
				buf.WriteString(" | ")
			}
			buf.WriteByte('\n')
		}
	}
	return buf.String()
}
