package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/thidua/thidua"
)

// Load statuses as stored in the loads table.
const (
	StatusLoaded = "loaded"
	StatusUndone = "undone"
)

// Loads returns every load, newest first, with its counts and status.
func (db *DB) Loads(ctx context.Context) ([]thidua.Load, error) {
	rows, err := db.sql.QueryContext(ctx, `SELECT load_id, file, sha256, format, rows, loaded_at,
		inserted, updated, unchanged, rejected, status, coalesce(archived, '') FROM loads ORDER BY load_id DESC`)
	if err != nil {
		return nil, fmt.Errorf("store: list loads: %w", err)
	}
	var ls []thidua.Load
	for rows.Next() {
		var l thidua.Load
		if err := rows.Scan(&l.ID, &l.File, &l.SHA256, &l.Format, &l.Rows, &l.LoadedAt,
			&l.Inserted, &l.Updated, &l.Unchanged, &l.Rejected, &l.Status, &l.Archived); err != nil {
			rows.Close()
			return nil, fmt.Errorf("store: list loads: %w", err)
		}
		ls = append(ls, l)
	}
	if err := finish(rows); err != nil {
		return nil, fmt.Errorf("store: list loads: %w", err)
	}
	return ls, nil
}

// SetArchived records the name load id's file was given in the inbox's
// archive/ folder (relative to the inbox, such as
// archive/report.20260301T080000Z.csv).
func (db *DB) SetArchived(ctx context.Context, id int64, name string) error {
	if _, err := db.sql.ExecContext(ctx, `UPDATE loads SET archived = ? WHERE load_id = ?`, name, id); err != nil {
		return fmt.Errorf("store: record load %d archived as %s: %w", id, name, err)
	}
	return nil
}

// UndoError explains why a load cannot be undone.
type UndoError struct {
	Load   int64
	Reason string
	// Status is the load's status when it is no longer loaded
	// (StatusUndone); empty otherwise.
	Status string
	// Later lists the loads (id and file) that changed values of Load
	// since, and those that changed theirs in turn; they must be undone
	// first, newest first.
	Later []thidua.Load
}

func (e *UndoError) Error() string {
	if len(e.Later) == 0 {
		return fmt.Sprintf("cannot undo load %d: %s", e.Load, e.Reason)
	}
	var b strings.Builder
	for i, l := range e.Later {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "load %d (%s)", l.ID, l.File)
	}
	return fmt.Sprintf("cannot undo load %d: %s: %s; undo those first (newest first)", e.Load, e.Reason, b.String())
}

// ErrUndo is wrapped by every *UndoError, for errors.Is.
var ErrUndo = errors.New("undo refused")

func (e *UndoError) Unwrap() error { return ErrUndo }

// Undo reverts load loadID in one transaction. Every value the load holds
// now goes back to the value it replaced (with that value's load), or is
// removed when the load was the first to report it; each change is written
// to observation_audit with action 'undo', and the load is marked undone so
// that the same file can be loaded again. Undo refuses an unknown or already
// undone load, and a load whose values a later, still loaded load has
// corrected since: undoing it would either discard that correction or
// leave the later load's audit trail pointing at values that no longer
// exist. It returns how many values were restored and how many removed.
//
// Values the load reported unchanged (equal to the value already held)
// belong to the earlier load and are not touched.
func (db *DB) Undo(ctx context.Context, loadID int64, now time.Time) (restored, removed int, err error) {
	if now.IsZero() {
		now = time.Now()
	}
	now = now.UTC().Truncate(time.Microsecond)
	conn, err := db.sql.Conn(ctx)
	if err != nil {
		return 0, 0, fmt.Errorf("store: undo load %d: %w", loadID, err)
	}
	defer conn.Close()
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return 0, 0, fmt.Errorf("store: undo load %d: %w", loadID, err)
	}
	defer tx.Rollback()
	restored, removed, err = undo(ctx, tx, loadID, now)
	if err != nil {
		var ue *UndoError
		if errors.As(err, &ue) {
			return 0, 0, err
		}
		return 0, 0, fmt.Errorf("store: undo load %d: %w", loadID, err)
	}
	if err := tx.Commit(); err != nil {
		return 0, 0, fmt.Errorf("store: undo load %d: commit: %w", loadID, err)
	}
	return restored, removed, nil
}

func undo(ctx context.Context, tx *sql.Tx, id int64, now time.Time) (restored, removed int, err error) {
	var status string
	err = tx.QueryRowContext(ctx, `SELECT status FROM loads WHERE load_id = ?`, id).Scan(&status)
	if err == sql.ErrNoRows {
		return 0, 0, &UndoError{Load: id, Reason: "no such load (see thidua loads)"}
	}
	if err != nil {
		return 0, 0, fmt.Errorf("look up load: %w", err)
	}
	if status != StatusLoaded {
		return 0, 0, &UndoError{Load: id, Reason: "it is already " + status, Status: status}
	}
	// A later load that corrected one of this load's values and is still
	// loaded blocks the undo. (A later load that was undone itself put
	// this load's value back, so it does not.) The loads that corrected
	// those in turn are named too: all must be undone, newest first.
	rows, err := tx.QueryContext(ctx, `WITH RECURSIVE later(id) AS (
			SELECT a.new_load_id FROM observation_audit a JOIN loads l ON l.load_id = a.new_load_id
			WHERE a.old_load_id = $1 AND a.action = 'update' AND l.status = 'loaded'
			UNION
			SELECT a.new_load_id FROM observation_audit a JOIN later ON a.old_load_id = later.id
			JOIN loads l ON l.load_id = a.new_load_id
			WHERE a.action = 'update' AND l.status = 'loaded'
		)
		SELECT load_id, file FROM loads WHERE load_id IN (SELECT id FROM later) ORDER BY load_id DESC`, id)
	if err != nil {
		return 0, 0, fmt.Errorf("find later corrections: %w", err)
	}
	var later []thidua.Load
	for rows.Next() {
		var l thidua.Load
		if err := rows.Scan(&l.ID, &l.File); err != nil {
			rows.Close()
			return 0, 0, fmt.Errorf("find later corrections: %w", err)
		}
		later = append(later, l)
	}
	if err := finish(rows); err != nil {
		return 0, 0, fmt.Errorf("find later corrections: %w", err)
	}
	if len(later) > 0 {
		return 0, 0, &UndoError{Load: id, Reason: "later loads have corrected some of its values", Later: later}
	}

	// The plan: every value the load holds now, with what it replaced
	// (old_load_id NULL: nothing, the value goes).
	steps := []struct {
		name string
		q    string
		args []any
	}{
		{"plan", `CREATE OR REPLACE TEMP TABLE undo_plan AS
			SELECT o.unit_code, o.indicator_code, o.period, o.basis, o.value AS cur_value,
			       o.source AS cur_source, a.old_value, a.old_load_id, coalesce(a.old_source, l.name) AS old_source
			FROM observations o
			LEFT JOIN (SELECT * FROM observation_audit WHERE new_load_id = $1 AND action = 'update') a
			       USING (unit_code, indicator_code, period, basis)
			LEFT JOIN loads l ON l.load_id = a.old_load_id
			WHERE o.load_id = $1`, []any{id}},
		{"audit", `INSERT INTO observation_audit (unit_code, indicator_code, period, basis, old_value, new_value,
				old_load_id, new_load_id, action, changed_at, old_source)
			SELECT unit_code, indicator_code, period, basis, cur_value, old_value, $1, old_load_id, 'undo', $2, cur_source
			FROM temp.undo_plan`, []any{id, now}},
		// The value a load replaced keeps its first_load_id: the replacing
		// row carried it over. Its exact source cell comes from the audit
		// trail (the file name for values replaced before migration 050).
		{"restore", `UPDATE observations o SET value = p.old_value, load_id = p.old_load_id, source = p.old_source
			FROM temp.undo_plan p
			WHERE p.old_load_id IS NOT NULL AND o.load_id = $1
			  AND o.unit_code = p.unit_code AND o.indicator_code = p.indicator_code
			  AND o.period = p.period AND o.basis = p.basis`, []any{id}},
		{"remove", `DELETE FROM observations WHERE load_id = $1`, []any{id}},
		{"mark", `UPDATE loads SET status = 'undone' WHERE load_id = $1`, []any{id}},
	}
	for _, s := range steps {
		if _, err := tx.ExecContext(ctx, s.q, s.args...); err != nil {
			return 0, 0, fmt.Errorf("%s: %w", s.name, err)
		}
	}
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FILTER (old_load_id IS NOT NULL), count(*) FILTER (old_load_id IS NULL)
		FROM temp.undo_plan`).Scan(&restored, &removed); err != nil {
		return 0, 0, fmt.Errorf("count: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `DROP TABLE temp.undo_plan`); err != nil {
		return 0, 0, fmt.Errorf("drop plan: %w", err)
	}
	return restored, removed, nil
}

// finish closes rows and returns the first error of iterating or closing.
func finish(rows *sql.Rows) error {
	err := rows.Err()
	if cerr := rows.Close(); err == nil {
		err = cerr
	}
	return err
}
