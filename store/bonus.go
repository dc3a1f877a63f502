package store

import (
	"context"
	"fmt"

	"github.com/thidua/thidua"
)

// ReplaceBonus replaces the bonus table with bs, in one transaction.
func (db *DB) ReplaceBonus(ctx context.Context, bs []thidua.Bonus) error {
	tx, err := db.sql.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store: bonus: %w", err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `DELETE FROM bonus`); err != nil {
		return fmt.Errorf("store: bonus: %w", err)
	}
	for _, b := range bs {
		if _, err := tx.ExecContext(ctx, `INSERT INTO bonus VALUES (?, ?, ?, ?, ?)`,
			b.Unit, b.Period.String(), b.Points, b.Reason, b.Pos.String()); err != nil {
			return fmt.Errorf("store: bonus %s: %w", b.Pos, err)
		}
	}
	return tx.Commit()
}
