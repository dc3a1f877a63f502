package store

import (
	"context"
	"fmt"
	"time"

	"github.com/thidua/thidua"
)

// SyncCluster replaces the cluster, units, indicators and criteria tables
// with c, in one transaction.
func (db *DB) SyncCluster(ctx context.Context, c thidua.Cluster) error {
	tx, err := db.sql.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store: sync cluster: %w", err)
	}
	defer tx.Rollback()
	exec := func(q string, args ...any) {
		if err != nil {
			return
		}
		if _, e := tx.ExecContext(ctx, q, args...); e != nil {
			err = fmt.Errorf("store: sync cluster: %s: %w", q, e)
		}
	}
	for _, t := range []string{"cluster", "units", "indicators", "criteria", "criterion_bands",
		"awards", "award_min_pct", "award_tie_break"} {
		exec("DELETE FROM " + QuoteIdent(t))
	}
	exec(`INSERT INTO cluster VALUES (?, ?, ?)`, c.Code, c.Name, c.NameEN)
	for i, u := range c.Units {
		exec(`INSERT INTO units VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
			u.Code, u.Name, u.NameEN, u.Kind, u.Communes, nullDate(u.ValidFrom), nullDate(u.ValidTo), i)
	}
	for i, ind := range c.Indicators {
		var capPct any
		if ind.CapPct > 0 {
			capPct = ind.CapPct
		}
		clusterValue := ind.ClusterValue
		if clusterValue == "" {
			clusterValue = "sum"
		}
		exec(`INSERT INTO indicators VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			ind.Code, ind.Name, ind.NameEN, ind.Measure, ind.MeasureEN, string(ind.Agg), string(ind.Direction),
			ind.HasTarget, nullString(ind.Numerator), nullString(ind.Denominator), nullFactor(ind), ind.Decimals,
			capPct, ind.Integer, ind.Hidden, nullFloat(ind.Min), nullFloat(ind.Max), i, clusterValue)
	}
	for i, cr := range c.Criteria {
		capPct := cr.CapPct
		if capPct == 0 {
			capPct = 100
		}
		exec(`INSERT INTO criteria VALUES (?, ?, ?, ?, ?)`, cr.Indicator, cr.Weight, string(cr.Method), capPct, i)
		for _, b := range cr.Bands {
			exec(`INSERT INTO criterion_bands VALUES (?, ?, ?)`, cr.Indicator, b.Min, b.Points)
		}
	}
	for i, a := range c.Awards.Awards {
		ac := a.Conditions
		exec(`INSERT INTO awards VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, a.Code, a.Name, nullString(a.NameEN), a.Quota,
			nullFloat(ac.MinTotal), ac.NoPenalty, ac.NoRuleFailure, ac.AllCriteria, i)
		for ind, v := range ac.MinPct {
			exec(`INSERT INTO award_min_pct VALUES (?, ?, ?)`, a.Code, ind, v)
		}
	}
	for i, k := range c.Awards.TieBreak {
		exec(`INSERT INTO award_tie_break VALUES (?, ?)`, k, i)
	}
	if err != nil {
		return err
	}
	return tx.Commit()
}

func nullString(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func nullFloat(f *float64) any {
	if f == nil {
		return nil
	}
	return *f
}

func nullFactor(ind thidua.Indicator) any {
	if ind.Agg != thidua.Ratio {
		return nil
	}
	return ind.Factor
}

func nullDate(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t
}
