package thidua

// Column is one column of an output table: its name, its DuckDB type as
// published, and what it means.
type Column struct {
	Name    string
	Type    string // DuckDB type name as information_schema reports it
	Meaning string
}

// Table is one output table of the transform.
type Table struct {
	Name    string
	Rows    string // what one row is
	Columns []Column
}

// OutputTables declares the tables the transform publishes
// (transform/models/900_publish.sql) and the exports copy, column by
// column, in order: the one place their columns are written down. Tests
// hold the rest to it: the publish step's result (transform), the reader
// that fills PopRow by column name (store), the exported files (store) and
// docs/exports.md, whose column tables are generated from it
// (go test . -run TestExportsDoc -update). A new column is added here and
// in the SQL; the tests say what else must follow.
var OutputTables = []Table{
	{
		Name: "indicator_pop",
		Rows: "One row per unit (and one cluster row), indicator and period, for every month, quarter, half-year, " +
			"9-month (`ytd`) and year the data covers.",
		Columns: []Column{
			{"unit_code", "VARCHAR", "unit code (`060`), or the cluster's code on the cluster row"},
			{"unit_name", "VARCHAR", "unit name (Vietnamese), or the cluster's name"},
			{"indicator_code", "VARCHAR", "indicator code (`new_coops`)"},
			{"indicator_name", "VARCHAR", "indicator name (Vietnamese)"},
			{"period", "VARCHAR", "`2020-06`, `2020-Q2`, `2020-H1`, `2020-9M`, `2020`"},
			{"period_type", "VARCHAR", "`month`, `quarter`, `half`, `ytd`, `year`"},
			{"period_start", "DATE", "first day of the period"},
			{"period_end", "DATE", "last day of the period"},
			{"value", "DOUBLE", "the indicator's value for the period"},
			{"prev_value", "DOUBLE", "value of the previous period of the same type"},
			{"change_prev", "DOUBLE", "value − prev_value"},
			{"pct_change_prev", "DOUBLE", "change_prev ÷ prev_value × 100"},
			{"yoy_value", "DOUBLE", "value of the same period a year before"},
			{"change_yoy", "DOUBLE", "value − yoy_value"},
			{"pct_change_yoy", "DOUBLE", "change_yoy ÷ yoy_value × 100"},
			{"ytd_value", "DOUBLE", "1 January to the period's end"},
			{"target", "DOUBLE", "annual target"},
			{"pct_of_target", "DOUBLE", "ytd_value ÷ target × 100"},
			{"rank_value", "BIGINT", "rank among units by value (1 = best by the indicator's direction)"},
			{"rank_target", "BIGINT", "rank among units by % of target (1 = best)"},
			{"cluster_total", "DOUBLE", "total over the units of the cluster"},
			{"cluster_mean", "DOUBLE", "mean over the units of the cluster that reported"},
			{"share_of_cluster", "DOUBLE", "value ÷ cluster_total × 100"},
			{"is_cluster", "BOOLEAN", "the cluster's own row"},
			{"complete", "BOOLEAN", "false when some of the months the period spans were not reported"},
			{"months_expected", "INTEGER", "months the period spans"},
			{"months_reported", "INTEGER", "months of the period reported, directly or covered by a year-to-date report"},
			{"units_reported", "INTEGER", "units with a value (cluster rows)"},
			{"value_source", "VARCHAR", "how the value was obtained: `direct` (reported for this period), `parts` (from the reports of its parts), `cumulative` (from year-to-date reports), `months` (from monthly values)"},
			{"achievement", "DOUBLE", "pct_of_target capped at the indicator's cap where one is configured: what the dashboards colour and draw"},
			{"status", "VARCHAR", "how the row stands against its target: `on_target`, `close`, `behind`, `no_target`, `not_reported`, `incomplete`"},
			{"yoy_trend", "VARCHAR", "`better`, `worse` or `same` than a year before, by the indicator's direction (empty when not comparable)"},
		},
	},
	{
		Name: "scores",
		Rows: "One row per unit and scoring period.",
		Columns: []Column{
			{"unit_code", "VARCHAR", "the unit's code"},
			{"unit_name", "VARCHAR", "the unit's name"},
			{"period", "VARCHAR", "as in indicator_pop"},
			{"period_type", "VARCHAR", "as in indicator_pop"},
			{"period_start", "DATE", "first day of the period"},
			{"period_end", "DATE", "last day of the period"},
			{"points", "DOUBLE", "points earned over the criteria scored"},
			{"max_points", "DOUBLE", "points available"},
			{"bonus", "DOUBLE", "bonus (+) or penalty (−) points entered by hand"},
			{"total", "DOUBLE", "points + bonus"},
			{"rank", "BIGINT", "rank in the cluster (1 = first)"},
			{"prev_rank", "BIGINT", "rank in the previous period of the same type"},
			{"rank_change", "BIGINT", "prev_rank − rank: positive is a climb"},
			{"criteria_scored", "BIGINT", "criteria with data for this unit and period"},
		},
	},
	{
		Name: "score_points",
		Rows: "One row per unit, scoring period and criterion: the points the criterion earned.",
		Columns: []Column{
			{"unit_code", "VARCHAR", "the unit's code"},
			{"period", "VARCHAR", "as in indicator_pop"},
			{"period_type", "VARCHAR", "as in indicator_pop"},
			{"period_start", "DATE", "first day of the period"},
			{"criterion", "VARCHAR", "the criterion's indicator code"},
			{"method", "VARCHAR", "how it is scored"},
			{"weight", "DOUBLE", "its weight (points at most)"},
			{"input_value", "DOUBLE", "the value scored"},
			{"points", "DOUBLE", "the points earned"},
		},
	},
	{
		Name: "quality",
		Rows: "One row per data-quality finding, also shown by `thidua quality`.",
		Columns: []Column{
			{"check_name", "VARCHAR", "the check: `completeness`, `unit_slip`, `ytd_as_month`, `seasonal_outlier`, `stock_drop`, `rule` (a configured rule), `late_correction`, `span_conflict`, `late_report` (docs/transform.md#quality)"},
			{"severity", "VARCHAR", "`error` (almost surely wrong), `warning` (to check) or `info` (to know)"},
			{"unit_code", "VARCHAR", "the unit"},
			{"indicator_code", "VARCHAR", "the indicator"},
			{"period", "VARCHAR", "the period"},
			{"value", "DOUBLE", "the value found"},
			{"expected", "DOUBLE", "what was expected"},
			{"score", "DOUBLE", "how far off: the factor of a slip, value ÷ reference of an outlier, the received share of completeness"},
			{"message", "VARCHAR", "the finding in words, English"},
			{"message_vi", "VARCHAR", "the finding in words, Vietnamese"},
			{"accepted_by", "VARCHAR", "who accepted the finding (quality.accepted); accepted findings are not shown"},
			{"accepted_why", "VARCHAR", "why it was accepted"},
		},
	},
}

// OutputTable returns the declared table name, or false.
func OutputTable(name string) (Table, bool) {
	for _, t := range OutputTables {
		if t.Name == name {
			return t, true
		}
	}
	return Table{}, false
}

// Names returns the table's column names in order.
func (t Table) Names() []string {
	names := make([]string, len(t.Columns))
	for i, c := range t.Columns {
		names[i] = c.Name
	}
	return names
}
