package config

import (
	"fmt"
	"strings"
	"time"

	"github.com/spf13/viper"

	"github.com/thidua/thidua"
)

type fileCluster struct {
	Code       string          `mapstructure:"code"`
	Name       string          `mapstructure:"name"`
	NameEN     string          `mapstructure:"name_en"`
	Units      []fileUnit      `mapstructure:"units"`
	Indicators []fileIndicator `mapstructure:"indicators"`
	Scoring    []fileCriterion `mapstructure:"scoring"`
	Awards     fileAwards      `mapstructure:"awards"`
}

type fileAwards struct {
	TieBreak []string    `mapstructure:"tie_break"`
	List     []fileAward `mapstructure:"list"`
}

type fileAward struct {
	Code       string         `mapstructure:"code"`
	Name       string         `mapstructure:"name"`
	NameEN     string         `mapstructure:"name_en"`
	Quota      int            `mapstructure:"quota"`
	Conditions fileConditions `mapstructure:"conditions"`
}

type fileConditions struct {
	MinTotal      *float64           `mapstructure:"min_total"`
	MinPct        map[string]float64 `mapstructure:"min_pct"`
	NoPenalty     bool               `mapstructure:"no_penalty"`
	NoRuleFailure bool               `mapstructure:"no_rule_failure"`
	AllCriteria   bool               `mapstructure:"all_criteria"`
}

type fileUnit struct {
	Code      string   `mapstructure:"code"`
	Name      string   `mapstructure:"name"`
	NameEN    string   `mapstructure:"name_en"`
	Kind      string   `mapstructure:"kind"`
	Communes  int      `mapstructure:"communes"`
	ValidFrom any      `mapstructure:"valid_from"`
	ValidTo   any      `mapstructure:"valid_to"`
	Aliases   []string `mapstructure:"aliases"`
}

type fileIndicator struct {
	Code        string   `mapstructure:"code"`
	Name        string   `mapstructure:"name"`
	NameEN      string   `mapstructure:"name_en"`
	Measure     string   `mapstructure:"measure"`
	MeasureEN   string   `mapstructure:"measure_en"`
	Aggregation string   `mapstructure:"aggregation"`
	Direction   string   `mapstructure:"direction"`
	Target      bool     `mapstructure:"target"`
	Numerator   string   `mapstructure:"numerator"`
	Denominator string   `mapstructure:"denominator"`
	Factor      float64  `mapstructure:"factor"`
	Decimals    int      `mapstructure:"decimals"`
	CapPct      float64  `mapstructure:"cap_pct"`
	Integer     bool     `mapstructure:"integer"`
	Hidden      bool     `mapstructure:"hidden"`
	ClusterVal  string   `mapstructure:"cluster_value"`
	Min         *float64 `mapstructure:"min"`
	Max         *float64 `mapstructure:"max"`
	Aliases     []string `mapstructure:"aliases"`
}

type fileCriterion struct {
	Indicator string     `mapstructure:"indicator"`
	Weight    float64    `mapstructure:"weight"`
	Method    string     `mapstructure:"method"`
	CapPct    float64    `mapstructure:"cap_pct"`
	Bands     []fileBand `mapstructure:"bands"`
}

type fileBand struct {
	Min    float64 `mapstructure:"min"`
	Points float64 `mapstructure:"points"`
}

func decodeCluster(v *viper.Viper) (thidua.Cluster, error) {
	var fc fileCluster
	if err := v.UnmarshalKey("cluster", &fc); err != nil {
		return thidua.Cluster{}, &Error{Key: "cluster", Err: err}
	}
	c := thidua.Cluster{Code: fc.Code, Name: fc.Name, NameEN: fc.NameEN}
	for i, u := range fc.Units {
		unit := thidua.Unit{
			Code: strings.TrimSpace(u.Code), Name: u.Name, NameEN: u.NameEN, Kind: u.Kind,
			Communes: u.Communes, Aliases: u.Aliases,
		}
		var err error
		if unit.ValidFrom, err = optDate(u.ValidFrom); err != nil {
			return c, &Error{Key: fmt.Sprintf("cluster.units[%d].valid_from", i), Value: u.ValidFrom, Allowed: "want a date such as 2015-01-01"}
		}
		if unit.ValidTo, err = optDate(u.ValidTo); err != nil {
			return c, &Error{Key: fmt.Sprintf("cluster.units[%d].valid_to", i), Value: u.ValidTo, Allowed: "want a date such as 2025-06-30"}
		}
		c.Units = append(c.Units, unit)
	}
	for i, in := range fc.Indicators {
		ind := thidua.Indicator{
			Code: in.Code, Name: in.Name, NameEN: in.NameEN, Measure: in.Measure, MeasureEN: in.MeasureEN,
			Agg: thidua.Aggregation(strings.ToLower(in.Aggregation)), Direction: thidua.Direction(strings.ToLower(in.Direction)),
			HasTarget: in.Target, Numerator: in.Numerator, Denominator: in.Denominator, Factor: in.Factor,
			Decimals: in.Decimals, CapPct: in.CapPct, Integer: in.Integer, Hidden: in.Hidden, ClusterValue: strings.ToLower(in.ClusterVal),
			Min: in.Min, Max: in.Max, Aliases: in.Aliases,
		}
		if ind.Agg == thidua.Ratio && ind.Factor == 0 {
			ind.Factor = 1
		}
		if ind.Direction == "" {
			ind.Direction = thidua.Higher
		}
		if in.Decimals < 0 || in.Decimals > 6 {
			return c, &Error{Key: fmt.Sprintf("cluster.indicators[%d].decimals", i), Value: in.Decimals, Allowed: "want 0 to 6"}
		}
		c.Indicators = append(c.Indicators, ind)
	}
	for _, cr := range fc.Scoring {
		crit := thidua.Criterion{Indicator: cr.Indicator, Weight: cr.Weight, Method: thidua.ScoreMethod(cr.Method), CapPct: cr.CapPct}
		for _, b := range cr.Bands {
			crit.Bands = append(crit.Bands, thidua.Band{Min: b.Min, Points: b.Points})
		}
		c.Criteria = append(c.Criteria, crit)
	}
	c.Awards.TieBreak = fc.Awards.TieBreak
	for _, a := range fc.Awards.List {
		c.Awards.Awards = append(c.Awards.Awards, thidua.Award{Code: a.Code, Name: a.Name, NameEN: a.NameEN, Quota: a.Quota,
			Conditions: thidua.AwardConditions{MinTotal: a.Conditions.MinTotal, MinPct: a.Conditions.MinPct,
				NoPenalty: a.Conditions.NoPenalty, NoRuleFailure: a.Conditions.NoRuleFailure, AllCriteria: a.Conditions.AllCriteria}})
	}
	if err := c.Validate(); err != nil {
		return c, &Error{Key: "cluster", Err: err}
	}
	return c, nil
}

func optDate(v any) (time.Time, error) {
	if t, ok := v.(time.Time); ok {
		return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC), nil
	}
	s := ""
	if v != nil {
		s = strings.TrimSpace(fmt.Sprint(v))
	}
	if s == "" {
		return time.Time{}, nil
	}
	if len(s) > 10 { // YAML timestamps may come back as full times
		if t, err := time.Parse(time.RFC3339, s); err == nil {
			return t.UTC().Truncate(24 * time.Hour), nil
		}
		s = s[:10]
	}
	return time.Parse(time.DateOnly, s)
}

// Default returns the built-in configuration with no file, environment or
// flags applied beyond the process environment.
func Default() (*Config, error) { return Load("", nil) }
