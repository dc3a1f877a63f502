package ingest

import (
	"fmt"
	"io"

	"github.com/thidua/thidua"
)

// ReadTargets reads a targets CSV: columns unit (or unit_code), indicator
// (or indicator_code), year (năm) and target (kế hoạch năm, chỉ tiêu giao,
// dự toán; see targetColumns), one annual target per row, into
// Batch.Targets. Targets may be set for years not yet over. Problems and
// errors are as for ReadCSV.
func ReadTargets(name string, r io.Reader, opts Options) (thidua.Batch, error) {
	if opts.Cluster == nil {
		return thidua.Batch{}, fmt.Errorf("ingest: %s: no cluster given", name)
	}
	t, err := readTable(name, r, opts, targetColumns)
	if err != nil {
		return thidua.Batch{Source: t.src}, err
	}
	return targetsFromTable(t, opts), nil
}

// targetsFromTable validates the rows of a targets table, with the number
// locale inferred from the table when opts.Locale is auto (readWithLocale).
func targetsFromTable(t *table, opts Options) thidua.Batch {
	b, _ := readWithLocale(opts, func(opts Options) (thidua.Batch, error) {
		c := *t // findHeader moves title rows out of a copy
		return targetsFromTableOnce(&c, opts), nil
	})
	return b
}

func targetsFromTableOnce(t *table, opts Options) thidua.Batch {
	b := newBuilder(t.src, opts)
	b.problems(t.problems...)
	if t.fatal {
		return b.done()
	}
	h, probs := t.findHeader(targetColumns)
	if len(probs) > 0 {
		b.problems(probs...)
		b.Batch.Rows = len(t.rows)
		return b.done()
	}
	var fields []string
	for _, row := range t.rows {
		row = t.withFields(row, &fields)
		b.Batch.Rows++
		if err := t.fieldCount(row); err != nil {
			b.refuse(thidua.Pos{File: t.src.File, Line: row.line}, err)
			continue
		}
		year := t.field(h, row, fieldYear)
		target := t.field(h, row, fieldTarget)
		if !year.empty() {
			if p, err := b.Opts.parsePeriod(year.Text); err == nil && p.Type != thidua.Year {
				b.problem(year.Pos, "%q is a %s, not a year", clean(year.Text), p.Type)
				continue
			}
		}
		if year.empty() {
			b.refuse(year.Pos, missing("year"))
			continue
		}
		if target.empty() {
			b.refuse(target.Pos, missing("target"))
			continue
		}
		b.add(rawFact{
			Pos:           thidua.Pos{File: t.src.File, Line: row.line},
			Unit:          t.field(h, row, fieldUnit),
			UnitCode:      t.field(h, row, fieldUnitCode),
			Indicator:     t.field(h, row, fieldIndicator),
			IndicatorCode: t.field(h, row, fieldIndicatorCode),
			Period:        year,
			Target:        target,
			ValueOptional: true,
		})
	}
	return b.done()
}
