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

// qualityQuery reads the findings nobody accepted, grouped by unit (the
// unit with the most severe finding first, findings without a unit last),
// most severe first within a unit.
const qualityQuery = `SELECT coalesce(check_name, ''), coalesce(severity, ''), coalesce(unit_code, ''),
	coalesce(indicator_code, ''), coalesce(CAST(period AS VARCHAR), ''),
	CAST(value AS DOUBLE), CAST(expected AS DOUBLE), CAST(score AS DOUBLE), coalesce(message, ''), coalesce(message_vi, '')
	FROM quality
	WHERE accepted_by IS NULL
	ORDER BY min(CASE severity WHEN 'error' THEN 0 WHEN 'warning' THEN 1 ELSE 2 END) OVER (PARTITION BY unit_code) NULLS LAST,
	         unit_code NULLS LAST, CASE severity WHEN 'error' THEN 0 WHEN 'warning' THEN 1 ELSE 2 END,
	         check_name, indicator_code, period, message`

// Quality returns the findings of the data-quality checks (the quality
// table the transform builds) that nobody accepted, grouped by unit, most
// severe first.
func (db *DB) Quality(ctx context.Context) ([]thidua.QualityFlag, error) {
	if ok, err := db.tableExists(ctx, "quality"); err != nil {
		return nil, err
	} else if !ok {
		return nil, fmt.Errorf("store: quality table: %w", ErrNotTransformed)
	}
	qs, err := db.readQuality(ctx)
	if err != nil {
		return nil, fmt.Errorf("store: quality table: %w", err)
	}
	return qs, nil
}

func (db *DB) readQuality(ctx context.Context) ([]thidua.QualityFlag, error) {
	rows, err := db.sql.QueryContext(ctx, qualityQuery)
	if err != nil {
		return nil, err
	}
	var qs []thidua.QualityFlag
	for rows.Next() {
		var q thidua.QualityFlag
		var v, e, s sql.NullFloat64
		if err := rows.Scan(&q.Check, &q.Severity, &q.Unit, &q.Indicator, &q.Period, &v, &e, &s, &q.Message, &q.MessageVI); err != nil {
			rows.Close()
			return nil, err
		}
		q.Value, q.Expected, q.Score = nullNum(v), nullNum(e), nullNum(s)
		qs = append(qs, q)
	}
	if err := finish(rows); err != nil {
		return nil, err
	}
	return qs, nil
}

func nullNum(n sql.NullFloat64) thidua.Num {
	if !n.Valid {
		return thidua.Num{}
	}
	return thidua.Some(n.Float64)
}
