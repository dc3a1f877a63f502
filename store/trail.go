package store

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"time"
)

// Change is one step of a value's audit trail: a load that reported it
// first, a correction that replaced it, or an undo that put back (or
// removed) it.
type Change struct {
	Basis  string // period, ytd or target
	Action string // insert, update, undo
	At     time.Time
	// Load is the load that made the change: the reporting or correcting
	// load, or for an undo the load undone. File, Archived and Status are
	// that load's (its status now: loaded or undone).
	Load     int64
	File     string
	Archived string
	Status   string
	// Old and New are the values before and after (nil: none); OldSource
	// and NewSource the cells they came from (FILE:LINE[:COLUMN] or
	// FILE:SHEET!CELL; the file's name where the trail predates
	// migration 050).
	Old, New             *float64
	OldSource, NewSource string
	// NewLoad is the load whose value holds after the change (for an undo,
	// the load whose value came back; 0 when the value was removed).
	NewLoad int64
}

// History returns the audit trail of one unit's indicator for one period
// (every basis: the period's value, year to date, the annual target when
// the period is a year), oldest first: each load that reported it, each
// correction (observation_audit 'update') and each undo ('undo'), with
// the file, the cell, the old and new value, the time and the load's
// status. A first report is not in observation_audit (only changes are):
// it is the state before the first change, or the value held now when
// nothing changed it.
func (db *DB) History(ctx context.Context, unit, indicator, period string) ([]Change, error) {
	type state struct {
		value  *float64
		load   int64
		source string
	}
	type loadInfo struct {
		file, archived, status, name string
		at                           time.Time
	}
	loads := map[int64]loadInfo{}
	rows, err := db.sql.QueryContext(ctx, `SELECT load_id, file, coalesce(archived, ''), status, name, loaded_at FROM loads`)
	if err != nil {
		return nil, fmt.Errorf("store: history: loads: %w", err)
	}
	for rows.Next() {
		var id int64
		var l loadInfo
		if err := rows.Scan(&id, &l.file, &l.archived, &l.status, &l.name, &l.at); err != nil {
			rows.Close()
			return nil, fmt.Errorf("store: history: loads: %w", err)
		}
		loads[id] = l
	}
	if err := finish(rows); err != nil {
		return nil, fmt.Errorf("store: history: loads: %w", err)
	}
	// What each basis holds now.
	now := map[string]state{}
	rows, err = db.sql.QueryContext(ctx, `SELECT basis, value, load_id, source FROM observations
		WHERE unit_code = ? AND indicator_code = ? AND period = ?`, unit, indicator, period)
	if err != nil {
		return nil, fmt.Errorf("store: history: observations: %w", err)
	}
	for rows.Next() {
		var basis string
		var s state
		var v float64
		var src sql.NullString
		if err := rows.Scan(&basis, &v, &s.load, &src); err != nil {
			rows.Close()
			return nil, fmt.Errorf("store: history: observations: %w", err)
		}
		s.value, s.source = &v, src.String
		now[basis] = s
	}
	if err := finish(rows); err != nil {
		return nil, fmt.Errorf("store: history: observations: %w", err)
	}
	rows, err = db.sql.QueryContext(ctx, `SELECT basis, action, changed_at, old_value, new_value, old_load_id, new_load_id, old_source
		FROM observation_audit WHERE unit_code = ? AND indicator_code = ? AND period = ?
		ORDER BY basis, changed_at, rowid`, unit, indicator, period)
	if err != nil {
		return nil, fmt.Errorf("store: history: audit: %w", err)
	}
	type auditRow struct {
		basis, action    string
		at               time.Time
		old, new         *float64
		oldLoad, newLoad sql.NullInt64
		oldSource        sql.NullString
	}
	byBasis := map[string][]auditRow{}
	var bases []string
	for rows.Next() {
		var r auditRow
		var o, n sql.NullFloat64
		if err := rows.Scan(&r.basis, &r.action, &r.at, &o, &n, &r.oldLoad, &r.newLoad, &r.oldSource); err != nil {
			rows.Close()
			return nil, fmt.Errorf("store: history: audit: %w", err)
		}
		if o.Valid {
			r.old = &o.Float64
		}
		if n.Valid {
			r.new = &n.Float64
		}
		if _, ok := byBasis[r.basis]; !ok {
			bases = append(bases, r.basis)
		}
		byBasis[r.basis] = append(byBasis[r.basis], r)
	}
	if err := finish(rows); err != nil {
		return nil, fmt.Errorf("store: history: audit: %w", err)
	}
	for b := range now {
		if _, ok := byBasis[b]; !ok {
			bases = append(bases, b)
		}
	}
	// source names a cell, or the load's file where the trail has none.
	source := func(src string, load int64) string {
		if src != "" {
			return src
		}
		return loads[load].name
	}
	change := func(basis, action string, at time.Time, load int64) Change {
		l := loads[load]
		return Change{Basis: basis, Action: action, At: at, Load: load, File: l.file, Archived: l.archived, Status: l.status}
	}
	var out []Change
	for _, basis := range bases {
		// Walk the changes, keeping the state: a state before a change
		// that the walk has not seen is a first report, by the load
		// that held it.
		var cur state
		var trail []Change
		insert := func(s state) {
			c := change(basis, "insert", loads[s.load].at, s.load)
			c.New, c.NewSource, c.NewLoad = s.value, source(s.source, s.load), s.load
			trail = append(trail, c)
		}
		for _, r := range byBasis[basis] {
			before := state{value: r.old, load: r.oldLoad.Int64, source: r.oldSource.String}
			if cur.value == nil && before.value != nil {
				insert(before)
			}
			// The load that made the change: the correcting load, or the
			// load undone (old_load_id of an undo row).
			by := r.newLoad.Int64
			if r.action == "undo" {
				by = r.oldLoad.Int64
			}
			c := change(basis, r.action, r.at, by)
			c.Old, c.OldSource = r.old, source(r.oldSource.String, r.oldLoad.Int64)
			c.New, c.NewLoad = r.new, r.newLoad.Int64
			if r.new == nil {
				c.NewLoad = 0
			}
			trail = append(trail, c)
			cur = state{value: r.new, load: c.NewLoad}
		}
		if s, ok := now[basis]; ok && cur.value == nil {
			insert(s)
			cur = s
		}
		// The cell of each change's new value is the old cell of the next
		// change, or the cell held now.
		for i := range trail {
			if trail[i].New == nil || trail[i].NewSource != "" {
				continue
			}
			switch {
			case i+1 < len(trail) && trail[i+1].Old != nil:
				trail[i].NewSource = trail[i+1].OldSource
			case i+1 == len(trail) && now[basis].value != nil:
				trail[i].NewSource = source(now[basis].source, now[basis].load)
			}
		}
		out = append(out, trail...)
	}
	// Oldest first across bases; a basis's own order stays.
	slices.SortStableFunc(out, func(a, b Change) int { return a.At.Compare(b.At) })
	return out, nil
}
