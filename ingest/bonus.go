package ingest

import (
	"fmt"
	"io"
	"strings"

	"github.com/thidua/thidua"
)

// ReadBonus reads a bonus CSV: columns unit (or unit_code), period, points
// (điểm; negative for a penalty) and an optional reason (lý do), one bonus
// or penalty per row (see bonusColumns). A unit may have several bonuses
// in a period. The problems are every bad row's; the error is for I/O
// failures and bad options only.
func ReadBonus(name string, r io.Reader, opts Options) ([]thidua.Bonus, []thidua.Problem, error) {
	if opts.Cluster == nil {
		return nil, nil, fmt.Errorf("ingest: %s: no cluster given", name)
	}
	t, err := readTable(name, r, opts, bonusColumns)
	if err != nil {
		return nil, nil, err
	}
	probs := t.problems
	if t.fatal {
		return nil, probs, nil
	}
	h, hp := t.findHeader(bonusColumns)
	if len(hp) > 0 {
		return nil, append(probs, hp...), nil
	}
	var out []thidua.Bonus
	var fields []string
	for _, row := range t.rows {
		row = t.withFields(row, &fields)
		rowPos := thidua.Pos{File: t.src.File, Line: row.line}
		if err := t.fieldCount(row); err != nil {
			probs = append(probs, thidua.Problem{Pos: rowPos, Err: err})
			continue
		}
		bad := false
		add := func(f rawField, err error) {
			pos := f.Pos
			if pos == (thidua.Pos{}) {
				pos = rowPos
			}
			probs = append(probs, thidua.Problem{Pos: pos, Err: err})
			bad = true
		}
		perF := t.field(h, row, fieldPeriod)
		var per thidua.Period
		var perp *thidua.Period
		if perF.empty() {
			add(perF, missing("period"))
		} else if p, err := thidua.ParsePeriod(NFC(perF.Text)); err != nil {
			add(perF, err)
		} else {
			per, perp = p, &p
		}
		unitF, codeF := t.field(h, row, fieldUnit), t.field(h, row, fieldUnitCode)
		var unit thidua.Unit
		switch {
		case !codeF.empty():
			u, err := opts.LookupUnit(codeF.Text, perp)
			if err != nil {
				add(codeF, err)
			}
			unit = u
			if !unitF.empty() {
				if v, err := opts.LookupUnit(unitF.Text, perp); err == nil && v.Code != u.Code {
					add(unitF, kindf(ErrDisagree, "unit code %s (%s) and unit name %q (%s %s) disagree", u.Code, u.Name, clean(unitF.Text), v.Code, v.Name))
				}
			}
		case !unitF.empty():
			u, err := opts.LookupUnit(unitF.Text, perp)
			if err != nil {
				add(unitF, err)
			}
			unit = u
		default:
			add(unitF, missing("unit"))
		}
		ptsF := t.field(h, row, fieldPoints)
		pts, err := parseNumber(ptsF.Text, opts.Locale)
		if err != nil {
			add(ptsF, err)
		}
		if bad {
			continue
		}
		reason, _ := h.get(row.fields, fieldReason)
		out = append(out, thidua.Bonus{Unit: unit.Code, Period: per, Points: pts, Reason: strings.TrimSpace(NFC(reason)), Pos: ptsF.Pos})
	}
	return out, probs, nil
}
