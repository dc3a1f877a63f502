package thidua

import (
	"sort"
	"strconv"
	"time"
)

// Num is a number that may be missing: a unit that has not reported, a
// change whose base is zero, a target that was never set. The zero Num is
// missing, never zero.
type Num struct {
	V  float64
	OK bool
}

// Some returns the present number v.
func Some(v float64) Num { return Num{V: v, OK: true} }

// String formats n plainly (Go syntax), "" when missing.
func (n Num) String() string {
	if !n.OK {
		return ""
	}
	return strconv.FormatFloat(n.V, 'g', -1, 64)
}

// PopRow is one row of the period-over-period table indicator_pop: a unit's
// (or, with IsCluster, the whole cluster's) indicator for one period.
type PopRow struct {
	Unit          string // unit code; the cluster's code on cluster rows
	UnitName      string
	Indicator     string // indicator code
	IndicatorName string
	Period        Period
	Value         Num
	PrevValue     Num // previous period of the same type
	ChangePrev    Num
	PctChangePrev Num
	YoYValue      Num // same period a year before
	ChangeYoY     Num
	PctChangeYoY  Num
	YTDValue      Num // 1 January to the period's end
	Target        Num // annual target
	PctOfTarget   Num // YTD ÷ target × 100
	RankValue     int // 1 = best by the indicator's direction; 0 = not ranked
	RankTarget    int
	ClusterTotal  Num
	ClusterMean   Num
	Share         Num // unit rows: value ÷ cluster total × 100
	IsCluster     bool
	// Complete: on a unit row, the value is known; on the cluster row,
	// every unit of the period is counted (docs/transform.md#rule-complete).
	Complete       bool
	MonthsExpected int
	MonthsReported int
	// UnitsReported and UnitsExpected are set on cluster rows only: the
	// units the cluster figure counts, of the units of the period. When
	// fewer are counted, Value is missing and ValuePartial holds the figure
	// over the counted units, which is not the cluster's total
	// (docs/transform.md#rule-cluster-value).
	UnitsReported int
	UnitsExpected int
	UnitsRanked   int // units with a RankValue (cluster rows)
	ValuePartial  Num
	ValueSource   string
	// Achievement is PctOfTarget capped at the indicator's cap where one
	// is configured: what pages colour and draw.
	Achievement Num
	// Status is how the row stands against its target, as the transform
	// says; pages and reports show it, never compute it.
	Status Status
	// YoYTrend says whether the value is better, worse or the same as a
	// year before by the indicator's direction ("" when not comparable).
	YoYTrend Trend
}

// Status is a row's standing against its target (indicator_pop.status).
type Status string

// The statuses, computed once by the transform.
const (
	OnTarget    Status = "on_target"
	Close       Status = "close"
	Behind      Status = "behind"
	NoTarget    Status = "no_target"
	NotReported Status = "not_reported"
	Incomplete  Status = "incomplete"
)

// Trend is a change judged by the indicator's direction
// (indicator_pop.yoy_trend).
type Trend string

// The trends; "" is a change that is not judged.
const (
	Better Trend = "better"
	Worse  Trend = "worse"
	Same   Trend = "same"
)

// ScoreRow is one unit's emulation score for one period.
type ScoreRow struct {
	Unit           string
	UnitName       string
	Period         Period
	Points         Num
	MaxPoints      Num
	Bonus          Num
	Total          Num
	Rank           int // 0 = not ranked
	PrevRank       int // rank in the previous period of the same type; 0 = none
	RankChange     Num // PrevRank − Rank: positive is a climb
	CriteriaScored int
}

// ScorePoint is the points one criterion earned a unit in a period.
type ScorePoint struct {
	Unit       string
	Period     Period
	Criterion  string // indicator code
	Method     string
	Weight     Num
	InputValue Num
	Points     Num
}

// QualityFlag is one finding of the data-quality checks: a value that looks
// wrong or a report that is missing, and why.
type QualityFlag struct {
	Check     string
	Severity  string // error, warning or info
	Unit      string
	Indicator string
	Period    string // label as stored; may be empty
	Value     Num
	Expected  Num
	Score     Num
	Message   string // English
	MessageVI string // Vietnamese
}

// Text returns the message in lang ("vi" or "en").
func (q QualityFlag) Text(lang string) string {
	if lang == "vi" && q.MessageVI != "" {
		return q.MessageVI
	}
	return q.Message
}

// Report is everything the dashboards show, read in one go from the
// database: the cluster, the periods the data covers and the transform's
// tables.
type Report struct {
	Cluster      Cluster
	Periods      []Period // every period the data covers, sorted by SortPeriods
	Pop          []PopRow
	Scores       []ScoreRow
	ScorePoints  []ScorePoint
	QualityFlags []QualityFlag
	Loads        []Load
	// Proposals are the year-end proposals (bình xét) of the year periods
	// that have scores, when the cluster has awards (see Propose).
	Proposals   map[Period][]Proposal
	GeneratedAt time.Time
	// Synthetic is true when the data is (or includes) the built-in
	// synthetic sample; every page then says so.
	Synthetic bool
}

// PeriodTypeOrder returns t's place in PeriodTypes (finest first), or
// len(PeriodTypes) for an unknown type.
func PeriodTypeOrder(t PeriodType) int {
	for i, pt := range PeriodTypes {
		if pt == t {
			return i
		}
	}
	return len(PeriodTypes)
}

// SortPeriods sorts ps by type (finest first), then by start date.
func SortPeriods(ps []Period) {
	sort.SliceStable(ps, func(i, j int) bool { return PeriodLess(ps[i], ps[j]) })
}

// PeriodLess orders periods by type (finest first), then by start date.
func PeriodLess(a, b Period) bool {
	if oa, ob := PeriodTypeOrder(a.Type), PeriodTypeOrder(b.Type); oa != ob {
		return oa < ob
	}
	if a.Year != b.Year {
		return a.Year < b.Year
	}
	return a.N < b.N
}

// PopQuery selects the indicator_pop unit rows (never cluster rows) one
// page of the dashboards shows; each field that is set narrows it.
//
// A nil list selects every value; an empty one none.
type PopQuery struct {
	Indicators []string // these indicators' rows (codes)
	Units      []string // these units' rows (codes)
	Periods    []Period // these periods' rows
	// Whole, when not nil, are the periods whose rows come with every
	// column; the rows of the other periods come as Shape makes them,
	// with only what a page reads across periods, and the rows in no
	// particular order. (A site rendered over an earlier one builds the
	// views of a few periods only.)
	Whole []Period
	// ByUnit makes the rows come unit by unit, in the order of Units
	// (which must be set): a reader can hand on each unit's rows as soon
	// as the next unit's come (the dashboards' unit pages read many pages'
	// rows with one query, where a query by unit reads the whole table).
	ByUnit bool
	// Fields, when not zero, are the fields the rows come with besides
	// those every row has (PopKeyFields: Unit, Indicator, Period,
	// IsCluster, Value and Complete); the others are zero (Shape). A page
	// reads what it shows: a reader reads fewer columns.
	Fields PopField
}

// PopField is a set of PopRow's fields (PopQuery.Fields), one bit each; the
// fields every row has (PopKeyFields) have none.
type PopField uint32

// PopRow's fields, but Unit, Indicator, Period, IsCluster, Value and
// Complete.
const (
	PopUnitName PopField = 1 << iota
	PopIndicatorName
	PopPrevValue
	PopChangePrev
	PopPctChangePrev
	PopYoYValue
	PopChangeYoY
	PopPctChangeYoY
	PopYTDValue
	PopTarget
	PopPctOfTarget
	PopRankValue
	PopRankTarget
	PopClusterTotal
	PopClusterMean
	PopShare
	PopMonthsExpected
	PopMonthsReported
	PopUnitsReported
	PopUnitsExpected
	PopUnitsRanked
	PopValuePartial
	PopValueSource
	PopAchievement
	PopStatus
	PopYoYTrend
	popFieldEnd
)

// PopAllFields are all of PopRow's fields that have a PopField.
const PopAllFields = popFieldEnd - 1

// PopKeyFields are the fields of PopRow every row a PopQuery selects has,
// whatever its Fields and Whole: those Shape keeps.
var PopKeyFields = []string{"Unit", "Indicator", "Period", "Value", "IsCluster", "Complete"}

// keepFields zeroes the fields of r that have a PopField not in f. (A
// direct method, not a table of copy functions: a call through a func value
// made every shaped row escape to the heap, two allocations a row.)
func (r *PopRow) keepFields(f PopField) {
	if f&PopUnitName == 0 {
		r.UnitName = ""
	}
	if f&PopIndicatorName == 0 {
		r.IndicatorName = ""
	}
	if f&PopPrevValue == 0 {
		r.PrevValue = Num{}
	}
	if f&PopChangePrev == 0 {
		r.ChangePrev = Num{}
	}
	if f&PopPctChangePrev == 0 {
		r.PctChangePrev = Num{}
	}
	if f&PopYoYValue == 0 {
		r.YoYValue = Num{}
	}
	if f&PopChangeYoY == 0 {
		r.ChangeYoY = Num{}
	}
	if f&PopPctChangeYoY == 0 {
		r.PctChangeYoY = Num{}
	}
	if f&PopYTDValue == 0 {
		r.YTDValue = Num{}
	}
	if f&PopTarget == 0 {
		r.Target = Num{}
	}
	if f&PopPctOfTarget == 0 {
		r.PctOfTarget = Num{}
	}
	if f&PopRankValue == 0 {
		r.RankValue = 0
	}
	if f&PopRankTarget == 0 {
		r.RankTarget = 0
	}
	if f&PopClusterTotal == 0 {
		r.ClusterTotal = Num{}
	}
	if f&PopClusterMean == 0 {
		r.ClusterMean = Num{}
	}
	if f&PopShare == 0 {
		r.Share = Num{}
	}
	if f&PopMonthsExpected == 0 {
		r.MonthsExpected = 0
	}
	if f&PopMonthsReported == 0 {
		r.MonthsReported = 0
	}
	if f&PopUnitsReported == 0 {
		r.UnitsReported = 0
	}
	if f&PopUnitsExpected == 0 {
		r.UnitsExpected = 0
	}
	if f&PopUnitsRanked == 0 {
		r.UnitsRanked = 0
	}
	if f&PopValuePartial == 0 {
		r.ValuePartial = Num{}
	}
	if f&PopValueSource == 0 {
		r.ValueSource = ""
	}
	if f&PopAchievement == 0 {
		r.Achievement = Num{}
	}
	if f&PopStatus == 0 {
		r.Status = ""
	}
	if f&PopYoYTrend == 0 {
		r.YoYTrend = ""
	}
}

// Has reports whether f holds every field of g.
func (f PopField) Has(g PopField) bool { return f&g == g }

// Shape is r as q returns it: whole (with q's Fields only, when set), or,
// when q has Whole and r's period is not in it, only the columns a page
// reads across periods (its trends, sparklines and completeness):
// PopKeyFields, the others zero.
func (q PopQuery) Shape(r PopRow) PopRow {
	if q.WholeAt(r.Period) && q.Fields == 0 {
		return r
	}
	if q.WholeAt(r.Period) {
		r.keepFields(q.Fields)
		return r
	}
	return PopRow{Unit: r.Unit, Indicator: r.Indicator, Period: r.Period, IsCluster: r.IsCluster, Value: r.Value, Complete: r.Complete}
}

// Match reports whether q selects the row r.
func (q PopQuery) Match(r PopRow) bool {
	return !r.IsCluster && q.SelectsIndicator(r.Indicator) && q.SelectsUnit(r.Unit) && q.SelectsPeriod(r.Period)
}

// WholeAt reports whether q returns the rows of period p with every
// column (Shape): q has no Whole, or p is in it.
func (q PopQuery) WholeAt(p Period) bool { return in(q.Whole, p) }

// SelectsIndicator reports whether q selects rows of the indicator code.
func (q PopQuery) SelectsIndicator(code string) bool { return in(q.Indicators, code) }

// SelectsUnit reports whether q selects rows of the unit code.
func (q PopQuery) SelectsUnit(code string) bool { return in(q.Units, code) }

// SelectsPeriod reports whether q selects rows of period p.
func (q PopQuery) SelectsPeriod(p Period) bool { return in(q.Periods, p) }

func in[T comparable](list []T, v T) bool {
	if list == nil {
		return true
	}
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}
