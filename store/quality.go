package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/thidua/thidua"
)

// ErrNotTransformed is returned by the readers of the transform's tables
// when the transform has not run on this database yet.
var ErrNotTransformed = errors.New("not built yet: run thidua transform (or thidua run) first")

// Quality returns the findings of the data-quality checks (the quality
// table the transform builds), ordered by check, unit, indicator and period.
func (db *DB) Quality(ctx context.Context) ([]thidua.QualityFlag, error) {
	if ok, err := db.tableExists(ctx, "quality"); err != nil {
		return nil, err
	} else if !ok {
		return nil, fmt.Errorf("store: quality table: %w", ErrNotTransformed)
	}
	rows, err := db.sql.QueryContext(ctx, `SELECT coalesce(check_name, ''), coalesce(unit_code, ''),
		coalesce(indicator_code, ''), coalesce(CAST(period AS VARCHAR), ''),
		CAST(value AS DOUBLE), CAST(expected AS DOUBLE), CAST(score AS DOUBLE), coalesce(message, '')
		FROM quality ORDER BY check_name, unit_code, indicator_code, period`)
	if err != nil {
		return nil, fmt.Errorf("store: quality table: %w", err)
	}
	var qs []thidua.QualityFlag
	for rows.Next() {
		var q thidua.QualityFlag
		var v, e, s sql.NullFloat64
		if err := rows.Scan(&q.Check, &q.Unit, &q.Indicator, &q.Period, &v, &e, &s, &q.Message); err != nil {
			rows.Close()
			return nil, fmt.Errorf("store: quality table: %w", err)
		}
		q.Value, q.Expected, q.Score = nullNum(v), nullNum(e), nullNum(s)
		qs = append(qs, q)
	}
	if err := finish(rows); err != nil {
		return nil, fmt.Errorf("store: quality table: %w", err)
	}
	return qs, nil
}

func nullNum(n sql.NullFloat64) thidua.Num {
	if !n.Valid {
		return thidua.Num{}
	}
	return thidua.Some(n.Float64)
}
