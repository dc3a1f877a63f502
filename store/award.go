package store

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/thidua/thidua"
)

// AwardRules reads the cluster's awards and tie-break as last synced from
// the configuration.
func (db *DB) AwardRules(ctx context.Context) (thidua.AwardRules, error) {
	var ar thidua.AwardRules
	if ok, err := db.tableExists(ctx, "awards"); err != nil || !ok {
		return ar, err
	}
	rows, err := db.sql.QueryContext(ctx, `SELECT code, name, coalesce(name_en, ''), quota, min_total,
		no_penalty, no_rule_failure, all_criteria FROM awards ORDER BY ord`)
	if err != nil {
		return ar, fmt.Errorf("store: awards: %w", err)
	}
	for rows.Next() {
		var a thidua.Award
		var minTotal sql.NullFloat64
		if err := rows.Scan(&a.Code, &a.Name, &a.NameEN, &a.Quota, &minTotal,
			&a.Conditions.NoPenalty, &a.Conditions.NoRuleFailure, &a.Conditions.AllCriteria); err != nil {
			rows.Close()
			return ar, fmt.Errorf("store: awards: %w", err)
		}
		if minTotal.Valid {
			v := minTotal.Float64
			a.Conditions.MinTotal = &v
		}
		ar.Awards = append(ar.Awards, a)
	}
	if err := closeRows(rows); err != nil {
		return ar, fmt.Errorf("store: awards: %w", err)
	}
	rows, err = db.sql.QueryContext(ctx, `SELECT award_code, indicator_code, min_pct FROM award_min_pct ORDER BY award_code, indicator_code`)
	if err != nil {
		return ar, fmt.Errorf("store: award_min_pct: %w", err)
	}
	for rows.Next() {
		var code, ind string
		var v float64
		if err := rows.Scan(&code, &ind, &v); err != nil {
			rows.Close()
			return ar, fmt.Errorf("store: award_min_pct: %w", err)
		}
		for i := range ar.Awards {
			if ar.Awards[i].Code == code {
				if ar.Awards[i].Conditions.MinPct == nil {
					ar.Awards[i].Conditions.MinPct = map[string]float64{}
				}
				ar.Awards[i].Conditions.MinPct[ind] = v
			}
		}
	}
	if err := closeRows(rows); err != nil {
		return ar, fmt.Errorf("store: award_min_pct: %w", err)
	}
	rows, err = db.sql.QueryContext(ctx, `SELECT key FROM award_tie_break ORDER BY ord`)
	if err != nil {
		return ar, fmt.Errorf("store: award_tie_break: %w", err)
	}
	for rows.Next() {
		var k string
		if err := rows.Scan(&k); err != nil {
			rows.Close()
			return ar, fmt.Errorf("store: award_tie_break: %w", err)
		}
		ar.TieBreak = append(ar.TieBreak, k)
	}
	if err := closeRows(rows); err != nil {
		return ar, fmt.Errorf("store: award_tie_break: %w", err)
	}
	return ar, nil
}

// Bonuses returns the bonus and penalty rows of period p (the bonus table
// the transform adds to the scores), by unit and then as given.
func (db *DB) Bonuses(ctx context.Context, p thidua.Period) ([]thidua.Bonus, error) {
	rows, err := db.sql.QueryContext(ctx, `SELECT unit_code, CAST(points AS DOUBLE), coalesce(reason, '')
		FROM bonus WHERE period = ? ORDER BY unit_code, rowid`, p.String())
	if err != nil {
		return nil, fmt.Errorf("store: bonus %s: %w", p, err)
	}
	var out []thidua.Bonus
	for rows.Next() {
		b := thidua.Bonus{Period: p}
		if err := rows.Scan(&b.Unit, &b.Points, &b.Reason); err != nil {
			rows.Close()
			return nil, fmt.Errorf("store: bonus %s: %w", p, err)
		}
		out = append(out, b)
	}
	if err := closeRows(rows); err != nil {
		return nil, fmt.Errorf("store: bonus %s: %w", p, err)
	}
	return out, nil
}

// Proposal reads what the published tables say about each unit of the
// cluster in period p (scores, % of target, penalties, failed rules) and
// returns the year-end proposal thidua.Propose makes of it, with the rules
// it applied. It returns no lines when no award is configured or p has no
// scores.
func (db *DB) Proposal(ctx context.Context, p thidua.Period) ([]thidua.Proposal, thidua.AwardRules, error) {
	rules, err := db.AwardRules(ctx)
	if err != nil || len(rules.Awards) == 0 {
		return nil, rules, err
	}
	if ok, err := db.tableExists(ctx, "scores"); err != nil || !ok {
		return nil, rules, err
	}
	var units []string
	var criteria int
	rows, err := db.sql.QueryContext(ctx, `SELECT code FROM units
		WHERE (valid_from IS NULL OR valid_from <= ?) AND (valid_to IS NULL OR valid_to >= ?) ORDER BY ord, code`,
		p.End(), p.Start())
	if err != nil {
		return nil, rules, fmt.Errorf("store: proposal %s: units: %w", p, err)
	}
	for rows.Next() {
		var u string
		if err := rows.Scan(&u); err != nil {
			rows.Close()
			return nil, rules, fmt.Errorf("store: proposal %s: units: %w", p, err)
		}
		units = append(units, u)
	}
	if err := closeRows(rows); err != nil {
		return nil, rules, fmt.Errorf("store: proposal %s: units: %w", p, err)
	}
	if err := db.sql.QueryRowContext(ctx, `SELECT count(*) FROM criteria`).Scan(&criteria); err != nil {
		return nil, rules, fmt.Errorf("store: proposal %s: criteria: %w", p, err)
	}
	cands := map[string]*thidua.AwardCandidate{}
	for _, u := range units {
		cands[u] = &thidua.AwardCandidate{Score: thidua.ScoreRow{Unit: u, Period: p}, Pct: map[string]thidua.Num{}, Criteria: criteria}
	}
	scored := 0
	rows, err = db.sql.QueryContext(ctx, `SELECT unit_code, coalesce(unit_name, ''), CAST(points AS DOUBLE),
		CAST(bonus AS DOUBLE), CAST(total AS DOUBLE), CAST(rank AS BIGINT), CAST(criteria_scored AS BIGINT)
		FROM scores WHERE period = ?`, p.String())
	if err != nil {
		return nil, rules, fmt.Errorf("store: proposal %s: scores: %w", p, err)
	}
	for rows.Next() {
		var s thidua.ScoreRow
		var pts, bonus, total sql.NullFloat64
		var rank, crit sql.NullInt64
		if err := rows.Scan(&s.Unit, &s.UnitName, &pts, &bonus, &total, &rank, &crit); err != nil {
			rows.Close()
			return nil, rules, fmt.Errorf("store: proposal %s: scores: %w", p, err)
		}
		s.Period, s.Points, s.Bonus, s.Total = p, num(pts), num(bonus), num(total)
		s.Rank, s.CriteriaScored = int(rank.Int64), int(crit.Int64)
		if c := cands[s.Unit]; c != nil {
			c.Score = s
			scored++
		}
	}
	if err := closeRows(rows); err != nil {
		return nil, rules, fmt.Errorf("store: proposal %s: scores: %w", p, err)
	}
	if scored == 0 {
		return nil, rules, nil
	}
	rows, err = db.sql.QueryContext(ctx, `SELECT unit_code, indicator_code, CAST(pct_of_target AS DOUBLE)
		FROM indicator_pop WHERE period = ? AND NOT coalesce(is_cluster, false)`, p.String())
	if err != nil {
		return nil, rules, fmt.Errorf("store: proposal %s: indicator_pop: %w", p, err)
	}
	for rows.Next() {
		var u, ind string
		var v sql.NullFloat64
		if err := rows.Scan(&u, &ind, &v); err != nil {
			rows.Close()
			return nil, rules, fmt.Errorf("store: proposal %s: indicator_pop: %w", p, err)
		}
		if c := cands[u]; c != nil {
			c.Pct[ind] = num(v)
		}
	}
	if err := closeRows(rows); err != nil {
		return nil, rules, fmt.Errorf("store: proposal %s: indicator_pop: %w", p, err)
	}
	bonuses, err := db.Bonuses(ctx, p)
	if err != nil {
		return nil, rules, err
	}
	for _, b := range bonuses {
		if c := cands[b.Unit]; c != nil && b.Points < 0 {
			c.Penalties = append(c.Penalties, b)
		}
	}
	if ok, err := db.tableExists(ctx, "quality"); err != nil {
		return nil, rules, err
	} else if ok {
		rows, err = db.sql.QueryContext(ctx, `SELECT unit_code, coalesce(message, '') FROM quality
			WHERE check_name = 'rule' AND CAST(period AS VARCHAR) = ? ORDER BY unit_code, indicator_code, message`, p.String())
		if err != nil {
			return nil, rules, fmt.Errorf("store: proposal %s: quality: %w", p, err)
		}
		for rows.Next() {
			var u, m string
			if err := rows.Scan(&u, &m); err != nil {
				rows.Close()
				return nil, rules, fmt.Errorf("store: proposal %s: quality: %w", p, err)
			}
			if c := cands[u]; c != nil {
				c.RuleFailures = append(c.RuleFailures, m)
			}
		}
		if err := closeRows(rows); err != nil {
			return nil, rules, fmt.Errorf("store: proposal %s: quality: %w", p, err)
		}
	}
	list := make([]thidua.AwardCandidate, 0, len(units))
	for _, u := range units {
		list = append(list, *cands[u])
	}
	return thidua.Propose(rules, list), rules, nil
}
