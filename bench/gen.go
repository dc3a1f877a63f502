// Package bench is thidua's benchmark harness: a seeded generator of
// SYNTHETIC cluster data at three sizes (S, M, L), and a runner that times
// every pipeline step (ingest, transform, dashboards, Parquet export) against
// a DuckDB-native baseline in the same process, on the same data and thread
// count, and writes the figures to bench/results/*.json.
//
// The data it generates is synthetic: made-up units and indicators whose
// values come from a deterministic hash of a fixed seed. It measures speed,
// nothing else.
//
// Like cmd/thidua, bench wires the other packages together; nothing imports
// it.
package bench

import (
	"bufio"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/thidua/thidua"
)

// Size is a benchmark scale: units × indicators × months of long-CSV rows
// (before the missing months are dropped).
type Size struct {
	Name       string
	Units      int
	Indicators int // observed indicators; a few ratio indicators come on top
	Months     int
}

// The sizes of issue 7. L is only run on demand (THIDUA_BENCH_SIZES=L).
var (
	S = Size{"S", 8, 100, 120}
	M = Size{"M", 700, 100, 120}
	L = Size{"L", 10000, 100, 120}
	// I is the cluster of issue 14's incremental figure: 150 units × 30
	// indicators × 60 months, then month 61.
	I = Size{"I", 150, 30, 60}
)

// Cells returns units × indicators × months, the row count with nothing
// missing.
func (s Size) Cells() int64 { return int64(s.Units) * int64(s.Indicators) * int64(s.Months) }

// SizeByName returns the size called name (S, M, L or I).
func SizeByName(name string) (Size, error) {
	switch name {
	case "S", "s":
		return S, nil
	case "M", "m":
		return M, nil
	case "L", "l":
		return L, nil
	case "I", "i":
		return I, nil
	}
	return Size{}, fmt.Errorf("bench: unknown size %q: want S, M, L or I", name)
}

// Seed is the generator's seed; GenVersion changes whenever its output does.
const (
	Seed       uint64 = 20201231
	GenVersion        = "2"
)

// FirstYear is the first year of generated data. The months run from January
// FirstYear for Size.Months months; ExtraMonth is the month after them, the
// "new month" of the incremental benchmark.
const FirstYear = 2016

// MissingPct is the share of (unit, indicator, month) cells left out.
const MissingPct = 2

// RatioIndicators is how many ratio indicators the cluster has on top of
// the observed ones (each the ratio of two observed ones).
const RatioIndicators = 5

// monthOf returns the year and month of month index i (0-based from January
// FirstYear).
func monthOf(i int) (year, month int) { return FirstYear + i/12, i%12 + 1 }

// ExtraMonth returns the period just after the generated months.
func (s Size) ExtraMonth() thidua.Period {
	y, m := monthOf(s.Months)
	return thidua.MonthPeriod(y, m)
}

// Now returns the clock the benchmark's ingest runs at: a few weeks after
// ExtraMonth, so that no generated period is in the future.
func (s Size) Now() time.Time {
	y, m := monthOf(s.Months + 1)
	return time.Date(y, time.Month(m), 20, 12, 0, 0, 0, time.UTC)
}

// UnitCode returns the code of unit i: five digits, leading zeros kept, as
// official unit codes are (text, not numbers).
func UnitCode(i int) string { return fmt.Sprintf("%05d", i+1) }

// IndicatorCode returns the code of observed indicator i.
func IndicatorCode(i int) string { return fmt.Sprintf("ind_%03d", i+1) }

// indicatorAgg returns observed indicator i's aggregation: about 60% sums
// (flows) and 40% last values (stocks).
func indicatorAgg(i int) thidua.Aggregation {
	if i%5 < 3 {
		return thidua.Sum
	}
	return thidua.Last
}

func indicatorDecimals(i int) int {
	switch i % 4 {
	case 0, 2:
		return 0
	case 1:
		return 1
	}
	return 2
}

// hasTarget reports whether observed indicator i has annual targets: every
// third sum indicator.
func hasTarget(i int) bool { return indicatorAgg(i) == thidua.Sum && i%3 == 0 }

// Cluster returns the synthetic cluster of size s: s.Units units with text
// codes, s.Indicators observed indicators (sums and last values, some with
// annual targets) plus RatioIndicators ratios of them, and ten scoring
// criteria.
func Cluster(s Size) thidua.Cluster {
	c := thidua.Cluster{
		Code:   "BENCH",
		Name:   fmt.Sprintf("Cụm thi đua mô phỏng %s (dữ liệu mô phỏng)", s.Name),
		NameEN: fmt.Sprintf("Synthetic benchmark cluster %s (synthetic data)", s.Name),
	}
	for u := range s.Units {
		c.Units = append(c.Units, thidua.Unit{
			Code: UnitCode(u), Name: fmt.Sprintf("Đơn vị mô phỏng %05d", u+1), NameEN: fmt.Sprintf("Synthetic unit %05d", u+1),
			Kind: "district", Communes: 5 + u%20,
		})
	}
	zero := 0.0
	for i := range s.Indicators {
		ind := thidua.Indicator{
			Code: IndicatorCode(i), Name: fmt.Sprintf("Chỉ tiêu mô phỏng số %03d", i+1), NameEN: fmt.Sprintf("Synthetic indicator %03d", i+1),
			Measure: "đơn vị", MeasureEN: "units", Agg: indicatorAgg(i), Direction: thidua.Higher,
			HasTarget: hasTarget(i), Decimals: indicatorDecimals(i), Integer: indicatorDecimals(i) == 0, Min: &zero,
		}
		if i%7 == 6 {
			ind.Direction = thidua.Lower
		}
		c.Indicators = append(c.Indicators, ind)
	}
	for r := range RatioIndicators {
		// numerator: a last indicator; denominator: another last indicator.
		num, den := 3+5*r, 4+5*r
		if den >= s.Indicators {
			break
		}
		c.Indicators = append(c.Indicators, thidua.Indicator{
			Code: fmt.Sprintf("ratio_%d", r+1), Name: fmt.Sprintf("Tỷ lệ mô phỏng %d", r+1), NameEN: fmt.Sprintf("Synthetic ratio %d", r+1),
			Measure: "%", MeasureEN: "%", Agg: thidua.Ratio, Direction: thidua.Lower,
			Numerator: IndicatorCode(num), Denominator: IndicatorCode(den), Factor: 100, Decimals: 2,
		})
	}
	for i := 0; i < s.Indicators && len(c.Criteria) < 10; i++ {
		switch {
		case hasTarget(i):
			c.Criteria = append(c.Criteria, thidua.Criterion{Indicator: IndicatorCode(i), Weight: 10, Method: thidua.PctOfTarget, CapPct: 100})
		case i%10 == 1:
			c.Criteria = append(c.Criteria, thidua.Criterion{Indicator: IndicatorCode(i), Weight: 5, Method: thidua.RankPoints})
		}
	}
	return c
}

// splitmix64 is the hash behind every generated value: deterministic, the
// same on every machine, and cheap.
func splitmix64(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

func hash3(a, b, c int) uint64 {
	return splitmix64(Seed ^ splitmix64(uint64(a)<<40^uint64(b)<<20^uint64(c)))
}

// unit01 maps h to [0, 1).
func unit01(h uint64) float64 { return float64(h>>11) / (1 << 53) }

// Missing reports whether the cell (unit u, indicator i, month m) is left
// out of the generated data (about MissingPct %).
func Missing(u, i, m int) bool { return hash3(u, i, m)%100 < MissingPct }

// base returns the typical monthly size of indicator i in unit u.
func base(u, i int) float64 { return 50 + unit01(hash3(u, i, -1))*5000 }

// Value returns the value of indicator i for unit u in month index m,
// rounded to the indicator's decimals.
func Value(u, i, m int) float64 {
	b := base(u, i)
	var v float64
	if indicatorAgg(i) == thidua.Sum {
		v = b * (0.7 + 0.6*unit01(hash3(u, i, m)))
	} else {
		// A stock that grows slowly with noise.
		v = b*10 + float64(m)*b*0.01 + unit01(hash3(u, i, m))*b*0.05
	}
	p := math.Pow10(indicatorDecimals(i))
	return math.Round(v*p) / p
}

// Target returns the annual target of indicator i for unit u in year y.
func Target(u, i, y int) float64 {
	return math.Round(base(u, i) * 12 * (0.9 + 0.3*unit01(hash3(u, i, 100000+y))))
}

// appendValue formats v with d decimals, plainly ("1234.5"): never grouped,
// so that the value is unambiguous in either locale.
func appendValue(dst []byte, v float64, d int) []byte {
	return strconv.AppendFloat(dst, v, 'f', d, 64)
}

// Dataset is a generated data set on disk.
type Dataset struct {
	Size Size   `json:"size"`
	Dir  string `json:"dir"`
	// CSV holds the long-CSV observation files, one per year
	// (unit,indicator,period,value), sorted by name.
	CSV []string `json:"csv"`
	// Targets is the annual targets file, a long CSV with TargetsHeader.
	Targets string `json:"targets"`
	// Extra is one more month of observations (Size.ExtraMonth), for the
	// incremental benchmark.
	Extra string `json:"extra"`
	// Rows and Bytes count the observation rows and bytes of CSV (not
	// Targets, not Extra).
	Rows  int64 `json:"rows"`
	Bytes int64 `json:"bytes"`
	// TargetRows counts the rows of Targets.
	TargetRows int64 `json:"target_rows"`
	// XLSX holds one cluster-table workbook per month, when generated.
	XLSX      []string `json:"xlsx,omitempty"`
	XLSXRows  int64    `json:"xlsx_rows,omitempty"`
	XLSXBytes int64    `json:"xlsx_bytes,omitempty"`
	Version   string   `json:"version"`
}

const manifestName = "manifest.json"

// Generate writes the data set of size s into dir, or reuses the one already
// there when its manifest matches this generator's version.
func Generate(dir string, s Size) (Dataset, error) {
	if ds, err := readManifest(dir); err == nil && ds.Version == GenVersion && ds.Size == s {
		return ds, nil
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return Dataset{}, fmt.Errorf("bench: generate: %w", err)
	}
	ds := Dataset{Size: s, Dir: dir, Version: GenVersion}
	years := (s.Months + 11) / 12
	for y := range years {
		name := filepath.Join(dir, fmt.Sprintf("observations-%d.csv", FirstYear+y))
		lo, hi := 12*y, min(12*y+12, s.Months)
		rows, n, err := writeCSV(name, s, lo, hi)
		if err != nil {
			return ds, err
		}
		ds.CSV = append(ds.CSV, name)
		ds.Rows += rows
		ds.Bytes += n
	}
	ds.Extra = filepath.Join(dir, fmt.Sprintf("extra-%s.csv", s.ExtraMonth()))
	if _, _, err := writeCSV(ds.Extra, s, s.Months, s.Months+1); err != nil {
		return ds, err
	}
	ds.Targets = filepath.Join(dir, "targets.csv")
	var err error
	if ds.TargetRows, err = writeTargets(ds.Targets, s); err != nil {
		return ds, err
	}
	return ds, writeManifest(dir, ds)
}

func readManifest(dir string) (Dataset, error) {
	var ds Dataset
	data, err := os.ReadFile(filepath.Join(dir, manifestName))
	if err != nil {
		return ds, err
	}
	err = json.Unmarshal(data, &ds)
	return ds, err
}

func writeManifest(dir string, ds Dataset) error {
	data, err := json.MarshalIndent(ds, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, manifestName), append(data, '\n'), 0o644)
}

// CSVHeader is the header of the generated observation files.
const CSVHeader = "unit,indicator,period,value"

// writeCSV writes the months [lo, hi) of every unit and indicator to name,
// ordered by unit, indicator and month.
func writeCSV(name string, s Size, lo, hi int) (rows, n int64, err error) {
	f, err := os.Create(name)
	if err != nil {
		return 0, 0, fmt.Errorf("bench: generate: %w", err)
	}
	w := bufio.NewWriterSize(f, 1<<20)
	w.WriteString(CSVHeader + "\n")
	var line []byte
	for u := range s.Units {
		uc := UnitCode(u)
		for i := range s.Indicators {
			ic := IndicatorCode(i)
			d := indicatorDecimals(i)
			for m := lo; m < hi; m++ {
				if Missing(u, i, m) {
					continue
				}
				y, mo := monthOf(m)
				line = append(line[:0], uc...)
				line = append(line, ',')
				line = append(line, ic...)
				line = append(line, ',')
				line = strconv.AppendInt(line, int64(y), 10)
				line = append(line, '-', byte('0'+mo/10), byte('0'+mo%10), ',')
				line = appendValue(line, Value(u, i, m), d)
				line = append(line, '\n')
				w.Write(line)
				rows++
			}
		}
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return 0, 0, fmt.Errorf("bench: generate %s: %w", name, err)
	}
	st, err := f.Stat()
	if err == nil {
		n = st.Size()
	}
	if err := f.Close(); err != nil {
		return 0, 0, fmt.Errorf("bench: generate %s: %w", name, err)
	}
	return rows, n, nil
}

// TargetsHeader is the header of the targets file: a long CSV whose rows
// carry only an annual target (period = the year, value empty).
const TargetsHeader = "unit,indicator,period,value,target"

// writeTargets writes the annual targets of every targeted indicator, unit
// and year (including the extra month's year).
func writeTargets(name string, s Size) (rows int64, err error) {
	f, err := os.Create(name)
	if err != nil {
		return 0, fmt.Errorf("bench: generate: %w", err)
	}
	w := bufio.NewWriterSize(f, 1<<20)
	w.WriteString(TargetsHeader + "\n")
	lastYear, _ := monthOf(s.Months)
	var line []byte
	for u := range s.Units {
		for i := range s.Indicators {
			if !hasTarget(i) {
				continue
			}
			for y := FirstYear; y <= lastYear; y++ {
				line = append(line[:0], UnitCode(u)...)
				line = append(line, ',')
				line = append(line, IndicatorCode(i)...)
				line = append(line, ',')
				line = strconv.AppendInt(line, int64(y), 10)
				line = append(line, ',', ',')
				line = strconv.AppendFloat(line, Target(u, i, y), 'f', 0, 64)
				line = append(line, '\n')
				w.Write(line)
				rows++
			}
		}
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return 0, fmt.Errorf("bench: generate %s: %w", name, err)
	}
	return rows, f.Close()
}
