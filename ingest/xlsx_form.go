package ingest

import (
	"fmt"
	"slices"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/thidua/thidua"
)

// formCols is where a report form keeps what: column indexes, -1 when absent.
type formCols struct {
	stt, code, name, measure, plan, period, ytd int
}

// readForm reads a report form sheet whose header starts at h and appends
// its observations, targets and problems to b. It returns the number of
// indicator rows read.
func (x *xlsxFile) readForm(g *sheetGrid, h headerInfo) int {
	fh := readFormHeader(g, h)
	if name := fh.cols.name; name >= 0 && vietnameseHeader(fh.text[name]) {
		x.opts.numbers.preferVI(fmt.Sprintf("as the report form of sheet %q is laid out in Vietnamese (%q) and no number in the file shows otherwise", g.sheet, fh.text[name]))
	}
	ctx, ok := x.sheetContext(g, h.row, true)
	if !ok || !x.pickValueColumns(g, h, &fh, ctx.period) || !x.headerlessNumbers(g, h, fh.text) {
		return 0
	}
	cols := fh.cols
	if cols.plan < 0 && cols.period < 0 && cols.ytd < 0 {
		x.layout(x.pos(g.sheet, h.row, 0), ErrNoTable, "no value column: a form needs a \"Kế hoạch năm\", \"Thực hiện\" or \"Lũy kế\" column")
		return 0
	}
	rows := newIndicatorRows(x, g, cols.name, cols.code, cols.measure, []int{cols.plan, cols.period, cols.ytd})
	n := 0
	for r, row := range rows.all(h.row + h.rows) {
		if !row.found {
			n += x.otherFormRow(rows, cols, r, row.hasValues)
			continue
		}
		n++
		if rows.accept(r, row.ind, row.hasValues) {
			x.addFormRow(g, r, cols, ctx, row.ind)
		}
	}
	return n
}

// formHeader is the header of a report form: each column's text, the first
// column of each kind that is one a form (number, code, name, unit of
// measure), and every column of the value kinds, which the sheet's period
// picks from (pickValueColumns).
type formHeader struct {
	text                 map[int]string
	cols                 formCols
	plans, periods, ytds []int
}

// readFormHeader reads the header of a form at h: on two rows (h.rows == 2)
// a second-row cell completes the one above, unless it is a column number.
func readFormHeader(g *sheetGrid, h headerInfo) formHeader {
	fh := formHeader{text: map[int]string{}, cols: formCols{-1, -1, -1, -1, -1, -1, -1}}
	for col := 0; col < g.maxWidth(); col++ {
		top := g.filled(h.row, col)
		text := top
		if h.rows == 2 {
			if sub := g.text(h.row+1, col); sub != "" && sub != top && !isColumnNumber(sub) {
				text = strings.TrimSpace(top + " " + sub)
			}
		}
		if text == "" {
			continue
		}
		fh.text[col] = text
		kind := classifyFormHeader(text)
		if kind == hdrNone {
			if _, ok := findPeriodIn(text); ok {
				kind = hdrPeriod
			}
		}
		first := func(slot *int) {
			if *slot < 0 {
				*slot = col
			}
		}
		switch kind {
		case hdrSTT:
			first(&fh.cols.stt)
		case hdrCode:
			first(&fh.cols.code)
		case hdrName:
			first(&fh.cols.name)
		case hdrMeasure:
			first(&fh.cols.measure)
		case hdrPlan:
			fh.plans = append(fh.plans, col)
		case hdrPeriod:
			fh.periods = append(fh.periods, col)
		case hdrYTD:
			fh.ytds = append(fh.ytds, col)
		}
	}
	return fh
}

// pickValueColumns sets the plan, period and year-to-date columns of fh for
// a sheet reporting period p, refusing the sheet (false) when a kind has
// two columns or only columns for another span. Every kind is picked, so
// that all its problems are told at once.
func (x *xlsxFile) pickValueColumns(g *sheetGrid, h headerInfo, fh *formHeader, p thidua.Period) bool {
	var ok [3]bool
	fh.cols.plan, ok[0] = x.pickValueColumn(g, h, fh.text, fh.plans, "plan", p, func(q thidua.Period) bool { return q.Year == p.Year })
	fh.cols.period, ok[1] = x.pickValueColumn(g, h, fh.text, fh.periods, "period (Thực hiện)", p, func(q thidua.Period) bool { return q == p })
	fh.cols.ytd, ok[2] = x.pickValueColumn(g, h, fh.text, fh.ytds, "year-to-date (Lũy kế)", p, func(q thidua.Period) bool { return q.Year == p.Year && q.End().Equal(p.End()) })
	return ok[0] && ok[1] && ok[2]
}

// pickValueColumn picks the column of one value kind among list. Columns
// headed with another span than the sheet's period p ("Thực hiện tháng 6"
// or "Ước thực hiện cả năm" in a 6-month form: fits says no) hold other
// figures: they are skipped when a column for the sheet's own period is
// there, and refused when it is not. Two columns for the same kind of value
// are refused. It returns -1 when there is no column to read.
func (x *xlsxFile) pickValueColumn(g *sheetGrid, h headerInfo, text map[int]string, list []int, what string, p thidua.Period, fits func(thidua.Period) bool) (int, bool) {
	var keep, other []int
	for _, col := range list {
		if q, found := headerPeriod(text[col], p.Year); found && !fits(q) {
			other = append(other, col)
		} else {
			keep = append(keep, col)
		}
	}
	switch {
	case len(keep) == 1:
		return keep[0], true
	case len(keep) > 1:
		x.layout(x.pos(g.sheet, h.row, keep[1]), ErrDuplicateColumn, "two %s columns: %q (%s) and %q (%s); keep one", what,
			text[keep[0]], cellName(h.row, keep[0]), text[keep[1]], cellName(h.row, keep[1]))
		return -1, false
	case len(other) > 0:
		q, _ := headerPeriod(text[other[0]], p.Year)
		x.layout(x.pos(g.sheet, h.row, other[0]), ErrFormPeriod, "the %s column %q is for %s, but the sheet reports %s; a form reports one period", what, text[other[0]], q, p)
		return -1, false
	}
	return -1, true
}

// otherFormRow handles row r of a form that names no indicator. Section
// rows ("I. KINH TẾ"), notes, a repeated header row and the numbering row
// under the header are passed over; values without a name, or under a
// name no indicator has, are refused. It returns the number of rows read:
// 1 for a refused row (a bad row is a row read), else 0.
func (x *xlsxFile) otherFormRow(rows *indicatorRows, cols formCols, r int, hasValues bool) int {
	g := rows.g
	name, code := rows.names(r)
	switch {
	case !hasValues, classifyFormHeader(name) == hdrName && !rowHasNumber(g, r, cols.plan, cols.period, cols.ytd):
		return 0
	case rowOfColumnNumbers(g, r):
		return 0
	case name == "" && code == "":
		rows.noName(r)
	default:
		at := cols.name
		if name == "" {
			at, name = cols.code, code
		}
		rows.unknown(r, at, name)
	}
	return 1
}

// addFormRow adds row r of a form, the row of indicator ind: its period
// value with the annual target, and its year-to-date value; when the two
// values cannot both be right both are refused (checkPeriodYTD).
func (x *xlsxFile) addFormRow(g *sheetGrid, r int, cols formCols, ctx sheetCtx, ind thidua.Indicator) {
	at := cols.name
	if at < 0 || g.text(r, at) == "" {
		at = cols.code
	}
	base := rawFact{
		Pos:           x.pos(g.sheet, r, at),
		UnitCode:      rawField{Text: ctx.unit.Code, Pos: ctx.unitAt},
		IndicatorCode: rawField{Text: ind.Code, Pos: x.pos(g.sheet, r, at)},
		Period:        rawField{Text: ctx.period.String(), Pos: ctx.periodAt},
		ValueOptional: true,
	}
	raw := base
	raw.Basis = rawField{Text: string(thidua.PeriodBasis)}
	raw.Value = x.valueField(g, r, cols.period, ind)
	raw.Target = x.valueField(g, r, cols.plan, ind)
	first := len(x.b.Batch.Observations)
	x.b.add(raw)
	if cols.ytd >= 0 {
		raw = base
		raw.Basis = rawField{Text: string(thidua.YTDBasis)}
		raw.Value = x.valueField(g, r, cols.ytd, ind)
		x.b.add(raw)
	}
	x.checkPeriodYTD(ind, ctx.period, first)
}

// checkPeriodYTD refuses a row whose "Thực hiện" and "Lũy kế" values,
// added from index first of the batch's observations on, cannot both be
// right (thidua.PeriodYTDConflict), naming both cells; it takes the two
// values back, so that --partial loads neither.
func (x *xlsxFile) checkPeriodYTD(ind thidua.Indicator, p thidua.Period, first int) {
	var period, ytd *thidua.Observation
	obs := x.b.Batch.Observations
	for i := first; i < len(obs); i++ {
		switch obs[i].Basis {
		case thidua.PeriodBasis:
			period = &obs[i]
		case thidua.YTDBasis:
			ytd = &obs[i]
		}
	}
	if period == nil || ytd == nil {
		return
	}
	why := thidua.PeriodYTDConflict(ind, p, period.Value, ytd.Value)
	if why == "" {
		return
	}
	x.refuse(period.Pos, kindf(ErrPeriodYTD, "Thực hiện (%s) %s and Lũy kế (year to date, %s) %s of %s disagree: %s",
		period.Pos.Cell, fmtNum(period.Value), ytd.Pos.Cell, fmtNum(ytd.Value), ind.Code, why))
	x.b.withdraw(first)
}

// rowIsSignature reports whether row r starts the signature block.
func rowIsSignature(g *sheetGrid, r int) bool {
	for c := 0; c < g.width(r); c++ {
		if t := g.text(r, c); t != "" && !g.at(r, c).num && isSignatureText(t) {
			return true
		}
	}
	return false
}

// contextLine is a labelled line above a table: its label (folded), its
// value text and where the value was found.
type contextLine struct {
	label string
	text  string
	r, c  int
}

// Labels of the unit and period lines. A strong label always introduces a
// unit or period, so a value that cannot be read is a problem; a weak one
// ("Đơn vị: triệu đồng" is a measure line) is only used when its value
// reads as a unit or period.
var (
	xlsxUnitLabels   = []string{"don vi bao cao", "ten don vi", "don vi", "huyen thanh pho", "dia phuong", "unit"}
	xlsxPeriodLabels = []string{"ky bao cao", "thoi gian bao cao", "thoi ky bao cao", "ky", "thoi gian", "period", "reporting period"}
	xlsxStrongLabels = map[string]bool{"don vi bao cao": true, "ten don vi": true, "ky bao cao": true, "thoi gian bao cao": true, "thoi ky bao cao": true, "reporting period": true}
	maxLabelLines    = 20
)

// labelled finds, in rows [0, before), the cells whose text starts with one
// of labels (after Fold) followed by a colon and the value, or by the value
// in the next cell. A label must not be followed by other words before its
// colon, so that "Đơn vị tính:" is no unit line.
func labelled(g *sheetGrid, before int, labels []string) []contextLine {
	var out []contextLine
	for r := 0; r < before && r < len(g.rows); r++ {
		for c := 0; c < g.width(r); c++ {
			t := g.text(r, c)
			if t == "" || g.at(r, c).num {
				continue
			}
			label, value, colon := strings.Cut(strings.ReplaceAll(t, "：", ":"), ":")
			fl := thidua.Fold(label)
			if !slices.Contains(labels, fl) {
				// "Đơn vị báo cáo Huyện Pác Nặm": a strong label without
				// its colon, the value after its words.
				if colon {
					continue
				}
				found := false
				for _, l := range labels {
					if xlsxStrongLabels[l] && strings.HasPrefix(fl, l+" ") {
						words := strings.Fields(t)
						skip := len(strings.Fields(l))
						if len(words) > skip && thidua.Fold(strings.Join(words[:skip], " ")) == l {
							fl, value, found = l, strings.Join(words[skip:], " "), true
						}
						break
					}
				}
				if !found {
					continue
				}
			}
			value = strings.TrimSpace(value)
			switch next, nc := nextText(g, r, c); {
			case value != "":
				out = append(out, contextLine{fl, value, r, c})
			case next != "" && (colon || nc == c+1):
				out = append(out, contextLine{fl, next, r, nc})
			default:
				out = append(out, contextLine{fl, "", r, c})
			}
			if len(out) >= maxLabelLines {
				return out
			}
		}
	}
	return out
}

// sheetCtx is the unit and period a sheet reports, and where each was read.
type sheetCtx struct {
	unit     thidua.Unit
	unitAt   thidua.Pos
	period   thidua.Period
	periodAt thidua.Pos
}

// sheetContext finds the unit (when needUnit) and the period of the sheet
// from its unit and period lines, its title rows, the hidden template sheet
// and the options, recording a problem when they are missing, unreadable,
// in the future or disagree.
func (x *xlsxFile) sheetContext(g *sheetGrid, before int, needUnit bool) (sheetCtx, bool) {
	var ctx sheetCtx
	var ok bool
	if ctx.period, ctx.periodAt, ok = x.sheetPeriod(g, before); !ok || !needUnit {
		return ctx, ok
	}
	ctx.unit, ctx.unitAt, ok = x.sheetUnit(g, before, ctx.period)
	return ctx, ok
}

// sheetPeriod finds the period the sheet reports and where it says so: its
// period lines, else its title rows. The hidden record of a form made by
// "thidua template" and the --period option must agree with it, and stand
// in when the sheet says nothing. The period must not be in the future.
func (x *xlsxFile) sheetPeriod(g *sheetGrid, before int) (p thidua.Period, at thidua.Pos, ok bool) {
	sheetPos := thidua.Pos{File: x.path, Sheet: g.sheet}
	p, at, have, ok := x.periodLine(g, before)
	if ok && !have {
		p, at, have, ok = x.titlePeriod(g, before)
	}
	if !ok {
		return p, at, false
	}
	// A form made by "thidua template" records the period it was made
	// for: a period cell saying another is a form filled in for the
	// wrong period (or copied from another), refused with both named.
	if tp, err := thidua.ParsePeriod(x.template["period"]); err == nil && have && tp != p {
		x.refuse(at, kindf(ErrNotThisForm, "the period cell says %s, but this form was made for %s (its hidden record, %s!B4); fill in the form made for %s (thidua template --period %s)",
			p, tp, templateSheet, p, p))
		return p, at, false
	}
	if !have && x.template["period"] != "" {
		if tp, err := thidua.ParsePeriod(x.template["period"]); err == nil {
			p, at, have = tp, thidua.Pos{File: x.path, Sheet: templateSheet, Cell: "B4"}, true
		}
	}
	if s := strings.TrimSpace(x.opts.Period); s != "" {
		op, err := thidua.ParsePeriod(s)
		if err != nil {
			x.problem(sheetPos, "--period: %w", err)
			return p, at, false
		}
		if have && op != p {
			x.layout(at, ErrFormPeriod, "the sheet is for period %s but --period says %s", p, op)
			return p, at, false
		}
		if !have {
			p, at, have = op, sheetPos, true
		}
	}
	if !have {
		x.layout(sheetPos, ErrFormPeriod, "no reporting period: add a line \"Kỳ báo cáo: 6 tháng đầu năm 2020\" above the table or use --period")
		return p, at, false
	}
	if err := x.opts.checkPeriod(p); err != nil {
		x.refuse(at, err)
		return p, at, false
	}
	return p, at, true
}

// periodLine reads the period lines above row before ("Kỳ báo cáo: …"):
// have tells whether one gave a period, ok is false when a strong line
// cannot be read or two lines disagree (a problem recorded).
func (x *xlsxFile) periodLine(g *sheetGrid, before int) (p thidua.Period, at thidua.Pos, have, ok bool) {
	for _, line := range labelled(g, before, xlsxPeriodLabels) {
		lineAt := x.pos(g.sheet, line.r, line.c)
		if g.at(line.r, line.c).num {
			// A date cell (06/2020): read it as it shows.
			if shown, err := x.f.GetCellValue(g.sheet, lineAt.Cell, excelize.Options{}); err == nil && shown != "" {
				line.text = shown
			}
		}
		q, err := thidua.ParsePeriod(line.text)
		if err != nil {
			if found, ok := findPeriodIn(line.text); ok {
				q, err = found, nil
			}
		}
		if err != nil {
			if !xlsxStrongLabels[line.label] {
				continue
			}
			if line.text == "" {
				x.layout(lineAt, ErrFormPeriod, "the period line has no period after its label")
			} else {
				x.refuse(lineAt, err)
			}
			return p, at, have, false
		}
		if have && q != p {
			x.layout(lineAt, ErrFormPeriod, "two period lines disagree: %s in %s and %s here", p, at.Cell, q)
			return p, at, have, false
		}
		p, at, have = q, lineAt, true
	}
	return p, at, have, true
}

// titlePeriod looks for the period in the title rows above row before
// ("BÁO CÁO 6 THÁNG ĐẦU NĂM 2020"), passing over signature and plan
// ("kế hoạch") texts: have tells whether one period is named, ok is false
// when several are (a problem recorded).
func (x *xlsxFile) titlePeriod(g *sheetGrid, before int) (p thidua.Period, at thidua.Pos, have, ok bool) {
	var found []contextLine
	var periods []thidua.Period
	for r := 0; r < before && r < len(g.rows); r++ {
		for c := 0; c < g.width(r); c++ {
			t := g.text(r, c)
			if t == "" || g.at(r, c).num || isSignatureText(t) || containsWords(thidua.Fold(t), "ke hoach") {
				continue
			}
			if q, ok := findPeriodIn(t); ok && !slices.Contains(periods, q) {
				periods = append(periods, q)
				found = append(found, contextLine{text: t, r: r, c: c})
			}
		}
	}
	switch len(periods) {
	case 0:
		return p, at, false, true
	case 1:
		return periods[0], x.pos(g.sheet, found[0].r, found[0].c), true, true
	}
	x.layout(x.pos(g.sheet, found[1].r, found[1].c), ErrFormPeriod, "the title rows name several periods (%s in %s, %s in %s); add a line \"Kỳ báo cáo: …\" or use --period",
		periods[0], cellName(found[0].r, found[0].c), periods[1], cellName(found[1].r, found[1].c))
	return p, at, false, false
}

// sheetUnit finds the unit the sheet reports for period p and where it
// says so: its unit lines; the hidden record of a form made by "thidua
// template" and the --unit option must agree with it, and stand in when
// the sheet says nothing.
func (x *xlsxFile) sheetUnit(g *sheetGrid, before int, p thidua.Period) (u thidua.Unit, at thidua.Pos, ok bool) {
	sheetPos := thidua.Pos{File: x.path, Sheet: g.sheet}
	u, at, have, ok := x.unitLine(g, before, p)
	if !ok {
		return u, at, false
	}
	// Likewise the unit: a unit cell changed to another unit is refused.
	if tu, found := x.opts.Cluster.Unit(x.template["unit"]); found && have && tu.Code != u.Code {
		x.refuse(at, kindf(ErrNotThisForm, "the unit cell says %s (%s), but this form was made for %s (%s) (its hidden record, %s!B3); fill in the form made for %s (thidua template --unit %s)",
			u.Code, u.Name, tu.Code, tu.Name, templateSheet, u.Code, u.Code))
		return u, at, false
	}
	if !have && x.template["unit"] != "" {
		if tu, found := x.opts.Cluster.Unit(x.template["unit"]); found {
			u, at, have = tu, thidua.Pos{File: x.path, Sheet: templateSheet, Cell: "B3"}, true
		}
	}
	if s := strings.TrimSpace(x.opts.Unit); s != "" {
		ou, err := x.opts.LookupUnit(s, &p)
		if err != nil {
			x.problem(sheetPos, "--unit: %w", err)
			return u, at, false
		}
		if have && ou.Code != u.Code {
			x.layout(at, ErrFormUnit, "the sheet is from unit %s (%s) but --unit says %s (%s)", u.Code, u.Name, ou.Code, ou.Name)
			return u, at, false
		}
		if !have {
			u, at, have = ou, sheetPos, true
		}
	}
	if !have {
		x.layout(sheetPos, ErrFormUnit, "no reporting unit: add a line \"Đơn vị báo cáo: Huyện Pác Nặm\" above the table or use --unit")
		return u, at, false
	}
	return u, at, true
}

// unitLine reads the unit lines above row before ("Đơn vị báo cáo: …"),
// a unit existing in period p: have tells whether one named a unit, ok is
// false when a strong line cannot be read or two lines disagree (a problem
// recorded).
func (x *xlsxFile) unitLine(g *sheetGrid, before int, p thidua.Period) (u thidua.Unit, at thidua.Pos, have, ok bool) {
	for _, line := range labelled(g, before, xlsxUnitLabels) {
		lineAt := x.pos(g.sheet, line.r, line.c)
		v, err := x.opts.LookupUnit(line.text, &p)
		if err != nil && line.text != "" {
			if w, found := unitInText(x.opts.Cluster, line.text, p); found {
				v, err = w, nil
			}
		}
		if err != nil {
			if !xlsxStrongLabels[line.label] {
				continue
			}
			if line.text == "" {
				x.layout(lineAt, ErrFormUnit, "the unit line has no unit name after its label")
			} else {
				x.refuse(lineAt, err)
			}
			return u, at, have, false
		}
		if have && v.Code != u.Code {
			x.layout(lineAt, ErrFormUnit, "two unit lines disagree: %s (%s) in %s and %s (%s) here", u.Code, u.Name, at.Cell, v.Code, v.Name)
			return u, at, have, false
		}
		u, at, have = v, lineAt, true
	}
	return u, at, have, true
}

// findPeriodIn finds a period written inside a longer text, such as the
// title "BÁO CÁO KẾT QUẢ … 6 THÁNG ĐẦU NĂM 2020": the longest run of words
// that ParsePeriod reads. Date lines ("ngày 05 tháng 7 năm 2020") are no
// periods.
func findPeriodIn(s string) (thidua.Period, bool) {
	if reDateLine.MatchString(thidua.Fold(s)) {
		return thidua.Period{}, false
	}
	words := strings.Fields(s)
	if len(words) > 40 {
		words = words[:40]
	}
	var folded []string
	for i := range words {
		words[i] = strings.Trim(words[i], ",;:()[]\"'“”.")
	}
	for i := 0; i < len(words); i++ {
		f := thidua.Fold(words[i])
		// "6 tháng năm 2020" is the first half: say so for ParsePeriod.
		if f == "thang" && i > 0 && folded[i-1] == "6" && i+1 < len(words) && thidua.Fold(words[i+1]) == "nam" {
			words = slices.Insert(words, i+1, "đầu")
		}
		folded = append(folded, f)
	}
	for n := min(len(words), 6); n >= 1; n-- {
		for i := 0; i+n <= len(words); i++ {
			w := strings.Join(words[i:i+n], " ")
			if !strings.ContainsAny(w, "0123456789") {
				continue
			}
			p, err := thidua.ParsePeriod(w)
			if err != nil {
				continue
			}
			if p.Type == thidua.Year && i > 0 {
				prev := thidua.Fold(words[i-1])
				if n == 1 && prev != "nam" {
					continue // a bare year is a period only after "năm"
				}
				if prev == "thang" || prev == "quy" || prev == "ky" || prev == "nam" || allDigits(prev) {
					continue // "3 tháng năm 2020", "quý năm 2020": not the whole year
				}
			}
			return p, true
		}
	}
	return thidua.Period{}, false
}

// measureScales maps a folded unit of measure to its kind and scale, for the
// units whose confusion changes a value's size: money (đồng, nghìn, triệu,
// tỷ) and area (m², ha, km²).
var measureScales = map[string]string{
	"dong": "money 1", "vnd": "money 1", "d": "money 1",
	"nghin dong": "money 1e3", "ngan dong": "money 1e3", "1000 dong": "money 1e3", "1000d": "money 1e3",
	"trieu dong": "money 1e6", "tr dong": "money 1e6", "trd": "money 1e6", "tr d": "money 1e6", "trieu": "money 1e6",
	"million vnd": "money 1e6", "million dong": "money 1e6", "trieu vnd": "money 1e6",
	"ty dong": "money 1e9", "ty": "money 1e9", "ti dong": "money 1e9", "billion vnd": "money 1e9", "ty vnd": "money 1e9",
	"m2": "area 1", "ha": "area 1e4", "hecta": "area 1e4", "hec ta": "area 1e4", "km2": "area 1e6",
}

// measureConflict returns why the unit of measure written on a row (ĐVT)
// cannot be that of ind — "tỷ đồng" for an indicator kept in "triệu đồng"
// would load values a thousand times too small — or "" when it can or when
// either is not a unit this check knows.
func measureConflict(written string, ind thidua.Indicator) string {
	w, ok := measureScales[thidua.Fold(written)]
	if !ok {
		return ""
	}
	for _, m := range []string{ind.Measure, ind.MeasureEN} {
		if v, ok := measureScales[thidua.Fold(m)]; ok {
			if v == w {
				return ""
			}
			return fmt.Sprintf("unit of measure %q does not match %s, which is kept in %s; convert the values to %s", written, ind.Code, ind.Measure, ind.Measure)
		}
	}
	return ""
}

// unitInText finds the unit a longer text names, such as "UBND huyện Pác
// Nặm" or "Phòng Tài chính - Kế hoạch huyện Ba Bể": a unit name or alias
// right after an administrative word (huyện, thành phố, thị xã, TP., H.),
// of exactly one unit existing in period p. "tỉnh Bắc Kạn" names no unit.
func unitInText(c *thidua.Cluster, text string, p thidua.Period) (thidua.Unit, bool) {
	f := " " + thidua.Fold(text) + " "
	var found []thidua.Unit
	mentioned := 0
	for _, u := range c.Units {
		if !u.ValidOn(p.End()) && !u.ValidOn(p.Start()) {
			continue
		}
		match, mention := false, false
		for _, n := range append([]string{u.Name, u.NameEN}, u.Aliases...) {
			key := thidua.FoldUnitName(n)
			if key == "" {
				continue
			}
			for _, adm := range []string{"huyen", "thanh pho", "thi xa", "tp", "tx", "h"} {
				match = match || strings.Contains(f, " "+adm+" "+key+" ")
			}
			if i := strings.Index(f, " "+key+" "); i >= 0 && !strings.HasSuffix(f[:i], " tinh") {
				mention = true
			}
		}
		if match {
			found = append(found, u)
		}
		if match || mention {
			mentioned++
		}
	}
	if len(found) != 1 || mentioned != 1 {
		return thidua.Unit{}, false
	}
	return found[0], true
}

// headerPeriod returns the period a column header names: a period written
// in it, or the whole year for "cả năm" (the year of the sheet).
func headerPeriod(text string, year int) (thidua.Period, bool) {
	if p, ok := findPeriodIn(text); ok {
		return p, true
	}
	if containsWords(thidua.Fold(text), "ca nam") {
		return thidua.Period{Type: thidua.Year, Year: year}, true
	}
	return thidua.Period{}, false
}

// rowHasNumber reports whether one of the cells (r, c) for c in cols holds
// a number, as a numeric cell or as text that reads as one.
func rowHasNumber(g *sheetGrid, r int, cols ...int) bool {
	for _, c := range cols {
		if c < 0 {
			continue
		}
		cell := g.at(r, c)
		if cell.num {
			return true
		}
		if _, err := parseNumber(cell.text, localeVI); err == nil {
			return true
		}
	}
	return false
}

// headerlessNumbers records a problem for each column without any header
// text that holds numbers in the rows under the header (before the
// signature block): values whose meaning the sheet does not say. It
// reports whether there was none.
func (x *xlsxFile) headerlessNumbers(g *sheetGrid, h headerInfo, headerText map[int]string) bool {
	ok := true
	for col := 0; col < g.maxWidth(); col++ {
		if headerText[col] != "" {
			continue
		}
		for r := h.row + h.rows; r < len(g.rows) && !rowIsSignature(g, r); r++ {
			if rowOfColumnNumbers(g, r) {
				continue
			}
			if cell := g.at(r, col); cell.num || cell.text != "" && isNumberLike(cell.text) {
				x.layout(x.pos(g.sheet, r, col), ErrNoHeader, "a number in a column without a header (%s is empty); head the column or delete the value", cellName(h.row, col))
				ok = false
				break
			}
		}
	}
	return ok
}

// vietnameseHeader reports a form's indicator column headed in Vietnamese
// ("Chỉ tiêu", "Tên chỉ tiêu", "Nội dung"), not "Indicator".
func vietnameseHeader(s string) bool {
	f := thidua.Fold(s)
	for _, p := range []string{"chi tieu", "ten chi tieu", "noi dung", "cac chi tieu"} {
		if strings.HasPrefix(f, p) {
			return true
		}
	}
	return false
}
