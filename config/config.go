// Package config reads thidua's settings from a YAML file, the environment
// (THIDUA_*) and command-line flags, in rising order of precedence, and
// builds the cluster they describe. It is the only package besides cmd that
// knows about viper.
package config

import (
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/pflag"
	"github.com/spf13/viper"

	"github.com/thidua/thidua"
)

//go:embed default.yaml
var defaultYAML []byte

// DefaultYAML returns the built-in configuration: the Bắc Kạn cluster.
func DefaultYAML() []byte { return slices.Clone(defaultYAML) }

// Config is everything a run needs to know.
type Config struct {
	File      string   // config file read, if any
	DB        string   // DuckDB file
	Out       string   // output folder
	Inputs    []string // input files
	Targets   []string // target files
	Bonus     string   // bonus/penalty points CSV
	Lang      string   // vi or en
	LogFormat string   // text or json
	LogLevel  string   // debug, info, warn, error
	Encoding  string   // auto, utf-8, utf-16, windows-1258, tcvn3, vni
	Locale    string   // number format of text cells: auto, vi (1.234,5) or en (1,234.5)
	Unit      string   // unit of input files that do not name one
	Period    string   // period of input files that do not name one
	Partial   bool     // load the good rows of a file with bad ones
	// AllowEmpty loads report forms without any value (refused otherwise).
	AllowEmpty bool
	// Now is the moment "the future" starts for period checks, and the
	// generated-at time shown on pages; zero means the clock.
	Now time.Time
	// MemoryLimit, Threads and TempDir tune DuckDB; MemoryLimit defaults to
	// DefaultMemoryLimit (MemoryLimitAuto: sized from the data by
	// AutoMemoryLimit), empty or zero keeps DuckDB's defaults (80 % of the
	// machine's memory, every core).
	MemoryLimit string
	Threads     int
	TempDir     string
	// GoMemoryLimit is the Go runtime's soft memory limit in bytes
	// (runtime/debug.SetMemoryLimit), from go_memory_limit; 0 sets none.
	// The Go heap (pages being written, rows being loaded) comes on top of
	// DuckDB's MemoryLimit; near this limit the garbage collector runs
	// more often instead of letting the heap grow.
	GoMemoryLimit int64
	// AllocatorDecayMS is how long DuckDB's allocator (jemalloc, Linux)
	// keeps freed pages, from allocator_decay_ms: 0 (the default) hands
	// them back at once, -1 leaves DuckDB's build (1 s).
	AllocatorDecayMS int
	// ClosePct is the achievement (% of target, direction-aware) from which
	// a unit short of its target is shown as close rather than behind.
	ClosePct float64
	// LargeCluster is the number of units above which the dashboards'
	// cluster charts show the top and bottom units and the distribution
	// instead of a bar per unit.
	LargeCluster int
	// Quality tunes the data-quality checks (the quality: section).
	Quality thidua.QualityConfig
	// Rules are validation rules for the quality report, such as
	// "ntm_communes <= communes".
	Rules   []string
	Cluster thidua.Cluster
	// Reports configures the DOCX review report (thidua report).
	Reports Reports
}

// Reports configures the review report (báo cáo sơ kết / tổng kết).
type Reports struct {
	// OnRun makes "thidua run" write the report of the latest complete
	// half-year or year.
	OnRun      bool
	Issuer     []string // issuing body lines, top left; empty: from UnitHead or the cluster
	UnitHead   string   // code of the unit heading the cluster
	Place      string   // place of the date line
	Symbol     string   // symbol of the number line (Số:   /SYMBOL)
	Signer     []string // signature block lines (TM. ..., CHỦ TỊCH)
	Name       string   // signer's name
	Recipients []string // the "Nơi nhận" lines
	Template   string   // a DOCX template (letterhead); empty: the built-in one
	Groups     []ReportGroup
}

// ReportGroup is a section of the report: a named set of indicators.
type ReportGroup struct {
	Name       string   `mapstructure:"name"`
	NameEN     string   `mapstructure:"name_en"`
	Indicators []string `mapstructure:"indicators"`
}

// Error is a configuration value that is not allowed. Err, when set, is the
// typed cause (a *thidua.RuleError for a bad rule).
type Error struct {
	Key     string
	Value   any
	Allowed string
	Err     error
}

func (e *Error) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("config: %s: %v", e.Key, e.Err)
	}
	return fmt.Sprintf("config: %s = %v: %s", e.Key, e.Value, e.Allowed)
}

func (e *Error) Unwrap() error { return e.Err }

// DefaultMemoryLimit is memory_limit's default: MemoryLimitAuto, DuckDB's
// memory sized from the data (AutoMemoryLimit). DuckDB's own default is
// 80 % of the machine's memory, which a run on a shared machine or a laptop
// should not take; what does not fit the limit spills to temp_dir, and a
// step that cannot spill enough ends with DuckDB's out-of-memory error,
// which names memory_limit.
const DefaultMemoryLimit = MemoryLimitAuto

// MemoryLimitAuto, as memory_limit, sizes DuckDB's memory from the facts the
// database holds (AutoMemoryLimit), and again before each file is loaded
// (with the file's facts) and before the transform.
const MemoryLimitAuto = "auto"

// The auto memory_limit (AutoMemoryLimit): AutoBytesPerFact per fact held
// (observations and targets), at least AutoMemoryMin, at most AutoMemoryMax.
//
// The transform needs the most, and its hash tables and sorts grow with the
// facts: at 700 units × 9 indicators × 48 months (355,845 facts) it ran at
// 176MB, needed more than 199MB after 100_quality's tf_qref carried each
// group's sorted list through its join (cfbb97a), and since its groups and
// joins are on one integer per unit and indicator (0e75c17) it runs at
// 144MB again (it fails at 128MB, in 080_pop); at 150 units × 30
// indicators × 60 months (bench size I, 269,999 facts) it fails at 144MB
// (a batch of indicator_pop's publish) and runs at 160MB. So 450 bytes a
// fact and at least 160MB: 160MB for both, where 640 bytes a fact gave the
// 700-unit cluster 228MB and its run a peak RSS of ≈ 345 MB (the process
// holds about 115 MB beside DuckDB's limit). Where
// the estimate falls short, a step runs again with twice the limit, up to
// the ceiling (pipeline: growMemory). The floor is for a small cluster's steps, whose
// needs do not shrink with the facts (the 8-unit sample; the Parquet export
// of the 700-unit cluster fails at 64MB; DuckDB takes only what it uses). The ceiling is the fixed default
// of before (512MB), which larger clusters reach at 1.14 M facts and which
// they ran at; much larger ones need memory_limit set (docs/scaling.md: M,
// 8.4 M facts, runs at 4GB).
const (
	AutoBytesPerFact = 450
	AutoMemoryMin    = 160_000_000
	AutoMemoryMax    = 512_000_000
)

// AutoMemoryLimit is the auto memory_limit, in bytes (whole kilobytes),
// for a database of facts facts.
func AutoMemoryLimit(facts int64) int64 {
	return min(max(facts*AutoBytesPerFact, AutoMemoryMin), AutoMemoryMax) / 1000 * 1000
}

// IsAuto reports whether memoryLimit is MemoryLimitAuto.
func IsAuto(memoryLimit string) bool {
	return strings.EqualFold(strings.TrimSpace(memoryLimit), MemoryLimitAuto)
}

// DefaultGoMemoryLimit is go_memory_limit's default (the key unset or
// empty) for a memory_limit: half of it (of AutoMemoryMax when auto), at
// least GoMemoryFloor (256 MB beside auto, 512MB and any smaller size); 0
// (none) when memory_limit is DuckDB's own default (empty). Without a
// limit the collector lets the heap grow to twice what is live; a limit
// that tracks memory_limit keeps a larger cluster, run with a larger
// memory_limit, from collecting all the time, and the floor keeps a
// smaller memory_limit from putting the Go limit below what a step holds
// live by design (the collector then runs nearly all the time: at
// memory_limit 256MB, a 128 MB Go limit, the 700-unit run took 96 CPU-s
// instead of 56 before the dashboards' rows were bounded).
func DefaultGoMemoryLimit(memoryLimit string) int64 {
	if IsAuto(memoryLimit) {
		return max(AutoMemoryMax/2, GoMemoryFloor)
	}
	n, ok := parseSize(memoryLimit)
	if !ok {
		return 0
	}
	return max(n/2, GoMemoryFloor)
}

// GoMemoryFloor is the least default go_memory_limit: above the live Go
// heap of the steps that hold data in Go, which is bounded by design —
// the dashboards hold two writers' rows of at most ≈ 25,000 rows each
// (≈ 11 MB), a period of the overview's rows and the site's scores and
// findings (a live heap of ≈ 70 MB at 700 units × 9 indicators × 48 months;
// at M, 700 × 105 × 205 periods, an overview period alone is 73,500 rows,
// ≈ 33 MB), the ingest a file's rows being loaded (≈ 150 MB at 336,000
// facts). A set go_memory_limit may be lower (MinGoMemoryLimit).
const GoMemoryFloor = 256_000_000

// MinGoMemoryLimit is the least go_memory_limit allowed (other than 0):
// below it the collector would run almost all the time.
const MinGoMemoryLimit = 32 << 20

// Load reads the configuration. file is the --config flag's value (empty: the
// file named by THIDUA_CONFIG, else thidua.yaml in the working folder if it
// exists, else none). flags, when not nil, override everything else for the
// flags the user set; a flag named "db" sets key "db", "log-format" sets
// "log_format".
func Load(file string, flags *pflag.FlagSet) (*Config, error) {
	v := viper.New()
	v.SetConfigType("yaml")
	if err := v.ReadConfig(bytes.NewReader(defaultYAML)); err != nil {
		return nil, fmt.Errorf("config: built-in defaults: %w", err)
	}
	v.SetDefault("db", "thidua.duckdb")
	v.SetDefault("out", "out")
	v.SetDefault("lang", "vi")
	v.SetDefault("log_format", "text")
	v.SetDefault("log_level", "info")
	v.SetDefault("encoding", "auto")
	v.SetDefault("locale", "auto")
	v.SetDefault("status_close_pct", 90)
	v.SetDefault("large_cluster_units", 30)
	v.SetDefault("memory_limit", DefaultMemoryLimit)
	v.SetDefault("allocator_decay_ms", 0)
	v.SetEnvPrefix("THIDUA")
	v.SetEnvKeyReplacer(strings.NewReplacer("-", "_", ".", "_"))
	v.AutomaticEnv()

	if file == "" {
		file = os.Getenv("THIDUA_CONFIG")
	}
	if file == "" {
		if _, err := os.Stat("thidua.yaml"); err == nil {
			file = "thidua.yaml"
		}
	}
	if file != "" {
		f, err := os.Open(file)
		if err != nil {
			return nil, fmt.Errorf("config: %w", err)
		}
		defer f.Close()
		// The file's keys merge over the built-in ones (lists, such as
		// the units, replace the built-in list whole); the environment
		// and flags still win over both.
		if err := v.MergeConfig(f); err != nil {
			return nil, fmt.Errorf("config: %s: %w", file, err)
		}
	}
	if flags != nil {
		var bindErr error
		flags.VisitAll(func(f *pflag.Flag) {
			key := strings.ReplaceAll(f.Name, "-", "_")
			if f.Name == "config" || !f.Changed {
				return
			}
			if err := v.BindPFlag(key, f); err != nil && bindErr == nil {
				bindErr = err
			}
		})
		if bindErr != nil {
			return nil, fmt.Errorf("config: %w", bindErr)
		}
	}
	return decode(v, file)
}

func decode(v *viper.Viper, file string) (*Config, error) {
	c := &Config{
		File:         file,
		DB:           v.GetString("db"),
		Out:          v.GetString("out"),
		Inputs:       stringList(v, "inputs"),
		Targets:      stringList(v, "targets"),
		Bonus:        v.GetString("bonus"),
		Lang:         v.GetString("lang"),
		LogFormat:    v.GetString("log_format"),
		LogLevel:     v.GetString("log_level"),
		Encoding:     strings.ToLower(v.GetString("encoding")),
		Locale:       strings.ToLower(v.GetString("locale")),
		Unit:         v.GetString("unit"),
		Period:       v.GetString("period"),
		Partial:      v.GetBool("partial"),
		AllowEmpty:   v.GetBool("allow_empty"),
		MemoryLimit:  v.GetString("memory_limit"),
		Threads:      v.GetInt("threads"),
		TempDir:      v.GetString("temp_dir"),
		ClosePct:     v.GetFloat64("status_close_pct"),
		LargeCluster: v.GetInt("large_cluster_units"),
		Rules:        stringList(v, "rules"),
	}
	if s := v.GetString("now"); s != "" {
		t, err := parseTime(s)
		if err != nil {
			return nil, &Error{Key: "now", Value: s, Allowed: "want a date (2006-01-02) or RFC 3339 time"}
		}
		c.Now = t
	}
	if c.DB == "" {
		return nil, &Error{Key: "db", Value: `""`, Allowed: "want a file path"}
	}
	if c.Out == "" {
		return nil, &Error{Key: "out", Value: `""`, Allowed: "want a folder path"}
	}
	if !slices.Contains([]string{"vi", "en"}, c.Lang) {
		return nil, &Error{Key: "lang", Value: c.Lang, Allowed: "want vi or en"}
	}
	if !slices.Contains([]string{"text", "json"}, c.LogFormat) {
		return nil, &Error{Key: "log_format", Value: c.LogFormat, Allowed: "want text or json"}
	}
	if !slices.Contains([]string{"debug", "info", "warn", "error"}, c.LogLevel) {
		return nil, &Error{Key: "log_level", Value: c.LogLevel, Allowed: "want debug, info, warn or error"}
	}
	if !slices.Contains(Encodings, c.Encoding) {
		return nil, &Error{Key: "encoding", Value: c.Encoding, Allowed: "want one of " + strings.Join(Encodings, ", ")}
	}
	if !slices.Contains([]string{"auto", "vi", "en"}, c.Locale) {
		return nil, &Error{Key: "locale", Value: c.Locale, Allowed: "want auto, vi (1.234,5) or en (1,234.5)"}
	}
	if c.Threads < 0 {
		return nil, &Error{Key: "threads", Value: c.Threads, Allowed: "want 0 (all cores) or more"}
	}
	if !(c.ClosePct > 0 && c.ClosePct < 100) {
		return nil, &Error{Key: "status_close_pct", Value: c.ClosePct, Allowed: "want a % of target between 0 and 100 such as 90"}
	}
	if c.LargeCluster < 1 {
		return nil, &Error{Key: "large_cluster_units", Value: c.LargeCluster, Allowed: "want a number of units, 1 or more, such as 30"}
	}
	if IsAuto(c.MemoryLimit) {
		c.MemoryLimit = MemoryLimitAuto
	}
	if c.MemoryLimit != "" && c.MemoryLimit != MemoryLimitAuto && !validMemoryLimit(c.MemoryLimit) {
		return nil, &Error{Key: "memory_limit", Value: c.MemoryLimit, Allowed: "want auto or a size such as 8GB or 512MB"}
	}
	if !scalar(v.Get("allocator_decay_ms")) {
		return nil, &Error{Key: "allocator_decay_ms", Value: v.Get("allocator_decay_ms"), Allowed: "want -1 (DuckDB's own) or 0 to 60000 ms"}
	}
	if ds := strings.TrimSpace(v.GetString("allocator_decay_ms")); ds != "" {
		d, err := strconv.Atoi(ds)
		if err != nil || d < -1 || d > 60000 {
			return nil, &Error{Key: "allocator_decay_ms", Value: ds, Allowed: "want -1 (DuckDB's own) or 0 to 60000 ms"}
		}
		c.AllocatorDecayMS = d
	}
	if !scalar(v.Get("memory_limit")) {
		return nil, &Error{Key: "memory_limit", Value: v.Get("memory_limit"), Allowed: "want auto or a size such as 8GB or 512MB"}
	}
	if !scalar(v.Get("go_memory_limit")) {
		return nil, &Error{Key: "go_memory_limit", Value: v.Get("go_memory_limit"), Allowed: "want a size of 32MB or more such as 256MB, or 0 for none"}
	}
	switch s := strings.TrimSpace(v.GetString("go_memory_limit")); s {
	case "0":
	case "":
		c.GoMemoryLimit = DefaultGoMemoryLimit(c.MemoryLimit)
	default:
		n, ok := parseSize(s)
		if !ok || n < MinGoMemoryLimit {
			return nil, &Error{Key: "go_memory_limit", Value: s, Allowed: "want a size of 32MB or more such as 256MB, or 0 for none"}
		}
		c.GoMemoryLimit = n
	}
	cl, err := decodeCluster(v)
	if err != nil {
		return nil, err
	}
	c.Cluster = cl
	// Rules are checked now, before anything is loaded, against the
	// cluster's indicators.
	if _, err := cl.ParseRules(c.Rules); err != nil {
		var re *thidua.RuleError
		errors.As(err, &re)
		return nil, &Error{Key: "rules", Value: re.Rule, Err: err}
	}
	if c.Quality, err = decodeQuality(v, cl); err != nil {
		return nil, err
	}
	if c.Reports, err = decodeReports(v, &cl); err != nil {
		return nil, err
	}
	for i, p := range c.Inputs {
		c.Inputs[i] = filepath.Clean(p)
	}
	return c, nil
}

// Encodings lists the values the encoding setting allows.
var Encodings = []string{"auto", "utf-8", "utf-16", "utf-16le", "utf-16be", "windows-1258", "tcvn3", "vni"}

func validMemoryLimit(s string) bool {
	s = strings.ToUpper(strings.TrimSpace(s))
	for _, suf := range []string{"KB", "MB", "GB", "TB", "KIB", "MIB", "GIB", "TIB", "B"} {
		if num, ok := strings.CutSuffix(s, suf); ok {
			num = strings.TrimSpace(num)
			return num != "" && strings.Trim(num, "0123456789.") == ""
		}
	}
	return false
}

// scalar says whether a setting's value is one value (a string or a
// number, or nothing), not a list or a map, which would read as "".
func scalar(x any) bool {
	switch x.(type) {
	case nil, string, int, int64, float64, uint64:
		return true
	}
	return false
}

// ParseSize reads a size as DuckDB does (parseSize).
func ParseSize(s string) (int64, bool) { return parseSize(s) }

// parseSize reads a size as DuckDB does: KB, MB, GB, TB are powers of
// 1000, KiB, MiB, GiB, TiB powers of 1024, B bytes; a number alone is
// refused.
func parseSize(s string) (int64, bool) {
	if !validMemoryLimit(s) {
		return 0, false
	}
	s = strings.ToUpper(strings.TrimSpace(s))
	units := []struct {
		suf string
		n   float64
	}{{"KIB", 1 << 10}, {"MIB", 1 << 20}, {"GIB", 1 << 30}, {"TIB", 1 << 40}, {"KB", 1e3}, {"MB", 1e6}, {"GB", 1e9}, {"TB", 1e12}, {"B", 1}}
	for _, u := range units {
		if num, ok := strings.CutSuffix(s, u.suf); ok {
			f, err := strconv.ParseFloat(strings.TrimSpace(num), 64)
			if err != nil || f < 0 || f*u.n >= 1<<62 {
				return 0, false
			}
			return int64(f * u.n), true
		}
	}
	return 0, false
}

func parseTime(s string) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	return time.Parse(time.DateOnly, s)
}

func stringList(v *viper.Viper, key string) []string {
	var out []string
	for _, s := range v.GetStringSlice(key) {
		// An environment variable gives one string; split it on commas.
		for _, p := range strings.Split(s, ",") {
			if p = strings.TrimSpace(p); p != "" {
				out = append(out, p)
			}
		}
	}
	return out
}

func decodeReports(v *viper.Viper, cl *thidua.Cluster) (Reports, error) {
	r := Reports{
		OnRun: v.GetBool("reports.on_run"), Issuer: v.GetStringSlice("reports.issuer"),
		UnitHead: strings.TrimSpace(v.GetString("reports.unit_head")), Place: v.GetString("reports.place"),
		Symbol: v.GetString("reports.symbol"), Signer: v.GetStringSlice("reports.signer"), Name: v.GetString("reports.name"),
		Recipients: v.GetStringSlice("reports.recipients"), Template: v.GetString("reports.template"),
	}
	if err := v.UnmarshalKey("reports.groups", &r.Groups); err != nil {
		return r, &Error{Key: "reports.groups", Value: v.Get("reports.groups"), Allowed: "want a list of {name, name_en, indicators}"}
	}
	if r.UnitHead != "" {
		u, ok := cl.LookupUnit(r.UnitHead, time.Time{})
		if !ok {
			return r, &Error{Key: "reports.unit_head", Value: r.UnitHead, Allowed: "want the code or name of a unit of the cluster"}
		}
		r.UnitHead = u.Code
	}
	for i, g := range r.Groups {
		if strings.TrimSpace(g.Name) == "" {
			return r, &Error{Key: fmt.Sprintf("reports.groups[%d].name", i), Value: `""`, Allowed: "want a section name"}
		}
		for _, code := range g.Indicators {
			if _, ok := cl.Indicator(code); !ok {
				return r, &Error{Key: fmt.Sprintf("reports.groups[%d].indicators", i), Value: code, Allowed: "want an indicator code of the cluster"}
			}
		}
	}
	return r, nil
}
