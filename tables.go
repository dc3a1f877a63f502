package thidua

import "math"

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
			{"value", "DOUBLE", "the indicator's value for the period; on the cluster row only when every unit is counted, else NULL ([rule](transform.md#rule-cluster-value))"},
			{"prev_value", "DOUBLE", "value of the previous period of the same type"},
			{"change_prev", "DOUBLE", "value − prev_value"},
			{"pct_change_prev", "DOUBLE", "change_prev ÷ prev_value × 100"},
			{"yoy_value", "DOUBLE", "value of the same period a year before"},
			{"change_yoy", "DOUBLE", "value − yoy_value"},
			{"pct_change_yoy", "DOUBLE", "change_yoy ÷ yoy_value × 100"},
			{"ytd_value", "DOUBLE", "1 January to the period's end; on the cluster row only when every unit has one ([rule](transform.md#rule-cluster-ytd))"},
			{"target", "DOUBLE", "annual target"},
			{"pct_of_target", "DOUBLE", "ytd_value against target by the indicator's direction, × 100 ([rule](transform.md#rule-pct-of-target))"},
			{"rank_value", "BIGINT", "rank among units by value (1 = best by the indicator's direction) ([rule](transform.md#rule-ranks))"},
			{"rank_target", "BIGINT", "rank among units by % of target (1 = best)"},
			{"cluster_total", "DOUBLE", "the cluster row's value (never a partial total; NULL for `cluster_value: mean`) ([rule](transform.md#rule-cluster-value))"},
			{"cluster_mean", "DOUBLE", "mean over the units counted (units_reported of the cluster row); ratio: their Σnumerator ÷ Σdenominator ([rule](transform.md#rule-cluster-mean))"},
			{"share_of_cluster", "DOUBLE", "unit rows: value ÷ cluster_total × 100; NULL on the cluster row, for ratios and `cluster_value: mean` ([rule](transform.md#rule-share))"},
			{"is_cluster", "BOOLEAN", "the cluster's own row"},
			{"complete", "BOOLEAN", "unit: the value is known; cluster: every unit of the period is counted ([rule](transform.md#rule-complete))"},
			{"months_expected", "INTEGER", "months the period spans"},
			{"months_reported", "INTEGER", "months of the period reported, directly or covered by a year-to-date report ([rule](transform.md#rule-months-reported))"},
			{"units_reported", "INTEGER", "cluster rows: units the cluster figure counts (with a value; ratio: with both parts); NULL on unit rows ([rule](transform.md#rule-cluster-value))"},
			{"units_expected", "INTEGER", "cluster rows: units of the period; NULL on unit rows"},
			{"units_ranked", "INTEGER", "cluster rows: units with a rank_value (the n of \"rank 3 of n\"); NULL on unit rows ([rule](transform.md#rule-ranks))"},
			{"value_partial", "DOUBLE", "cluster rows with units missing: the figure over the units_reported units only, not the cluster's total; NULL otherwise ([rule](transform.md#rule-cluster-value))"},
			{"value_source", "VARCHAR", "how the value was obtained: `direct` (reported for this period), `parts` (from the reports of its parts), `cumulative` (from year-to-date reports), `months` (from monthly values), `span_end` (a stock month from a longer report ending then), `cluster` (the cluster row)"},
			{"achievement", "DOUBLE", "pct_of_target capped at the indicator's cap where one is configured: what the dashboards colour and draw"},
			{"status", "VARCHAR", "how the row stands against its target: `on_target`, `close`, `behind`, `no_target`, `not_reported`, `incomplete` ([rule](transform.md#rule-status))"},
			{"yoy_trend", "VARCHAR", "`better`, `worse` or `same` than a year before, by the indicator's direction (empty when not comparable) ([rule](transform.md#rule-status))"},
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
			{"check_name", "VARCHAR", "the check: `completeness`, `unit_slip`, `ytd_as_month`, `seasonal_outlier`, `stock_drop`, `rule` (a configured rule), `late_correction`, `span_conflict`, `late_report` ([checks](transform.md#quality-checks))"},
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

// SheetColumn is how the spreadsheet exports for Vietnamese readers
// (thidua export --format csv-vi, xlsx-vi) head a column of a copied table
// and how many decimals its numbers keep.
type SheetColumn struct {
	VI string // the column's heading
	// Decimals of its numbers: DecimalsOfIndicator (those configured for
	// the row's indicator), or a fixed count. Whole-number and text
	// columns are written as they are.
	Decimals int
}

// DecimalsOfIndicator is SheetColumn.Decimals of a column in the unit of
// the row's indicator (value, target, ...): rounded to the decimals the
// indicator is configured with.
const DecimalsOfIndicator = -1

// SheetColumns heads and rounds, by column name, every column of the
// tables the spreadsheet exports copy (indicator_pop, scores): the one
// place their Vietnamese headings are written (a test holds OutputTables to
// it). Percentages keep one decimal, as the dashboards show them; points two.
var SheetColumns = map[string]SheetColumn{
	"unit_code":        {"Mã đơn vị", 0},
	"unit_name":        {"Đơn vị", 0},
	"indicator_code":   {"Mã chỉ tiêu", 0},
	"indicator_name":   {"Chỉ tiêu", 0},
	"period":           {"Kỳ", 0},
	"period_type":      {"Loại kỳ", 0},
	"period_start":     {"Từ ngày", 0},
	"period_end":       {"Đến ngày", 0},
	"value":            {"Thực hiện", DecimalsOfIndicator},
	"prev_value":       {"Kỳ trước", DecimalsOfIndicator},
	"change_prev":      {"Tăng/giảm so với kỳ trước", DecimalsOfIndicator},
	"pct_change_prev":  {"% tăng/giảm so với kỳ trước", 1},
	"yoy_value":        {"Cùng kỳ năm trước", DecimalsOfIndicator},
	"change_yoy":       {"Tăng/giảm so với cùng kỳ", DecimalsOfIndicator},
	"pct_change_yoy":   {"% tăng/giảm so với cùng kỳ", 1},
	"ytd_value":        {"Lũy kế từ đầu năm", DecimalsOfIndicator},
	"target":           {"Kế hoạch năm", DecimalsOfIndicator},
	"pct_of_target":    {"% so với kế hoạch", 1},
	"rank_value":       {"Xếp hạng theo thực hiện", 0},
	"rank_target":      {"Xếp hạng theo % kế hoạch", 0},
	"cluster_total":    {"Tổng cụm", DecimalsOfIndicator},
	"cluster_mean":     {"Bình quân cụm", DecimalsOfIndicator},
	"share_of_cluster": {"% trong tổng cụm", 1},
	"is_cluster":       {"Dòng của cụm", 0},
	"complete":         {"Đủ số liệu", 0},
	"months_expected":  {"Số tháng của kỳ", 0},
	"months_reported":  {"Số tháng đã báo cáo", 0},
	"units_reported":   {"Số đơn vị được tính", 0},
	"units_expected":   {"Số đơn vị của kỳ", 0},
	"units_ranked":     {"Số đơn vị được xếp hạng", 0},
	"value_partial":    {"Thực hiện của các đơn vị đã báo cáo", DecimalsOfIndicator},
	"value_source":     {"Cách có giá trị", 0},
	"achievement":      {"Mức đạt (% kế hoạch, có trần)", 1},
	"status":           {"Tình trạng", 0},
	"yoy_trend":        {"So với cùng kỳ", 0},
	"points":           {"Điểm", 2},
	"max_points":       {"Điểm tối đa", 2},
	"bonus":            {"Điểm thưởng (+), trừ (−)", 2},
	"total":            {"Tổng điểm", 2},
	"rank":             {"Xếp hạng", 0},
	"prev_rank":        {"Xếp hạng kỳ trước", 0},
	"rank_change":      {"Thay đổi thứ hạng", 0},
	"criteria_scored":  {"Số tiêu chí được chấm", 0},
}

// SheetTables names the copied tables' sheets in the Vietnamese XLSX
// export (an Excel sheet name has at most 31 characters).
var SheetTables = map[string]string{"indicator_pop": "Chỉ tiêu theo kỳ", "scores": "Điểm thi đua"}

// SheetYes and SheetNo write a true or false cell in the Vietnamese
// spreadsheet exports.
const SheetYes, SheetNo = "có", "không"

// SheetValue returns v, a value of column col in a row about indicator ind
// (nil when the row has none), as the Vietnamese spreadsheet exports write
// it: a float rounded to the column's decimals (the indicator's for a
// column in its unit) with those decimals, a bool as SheetYes or SheetNo;
// anything else unchanged, with decimals -1.
func SheetValue(col string, v any, ind *Indicator) (out any, decimals int) {
	switch x := v.(type) {
	case bool:
		if x {
			return SheetYes, -1
		}
		return SheetNo, -1
	case float64:
		d := SheetColumns[col].Decimals
		if d == DecimalsOfIndicator {
			d = 0
			if ind != nil {
				d = ind.Decimals
			}
		}
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return x, -1
		}
		p := math.Pow10(d)
		r := math.Round(x*p) / p
		if r == 0 {
			r = 0 // no "-0"
		}
		return r, d
	}
	return v, -1
}
