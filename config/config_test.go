package config

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/spf13/pflag"

	"github.com/thidua/thidua"
)

func TestDefaultCluster(t *testing.T) {
	c, err := Load("", nil)
	if err != nil {
		t.Fatal(err)
	}
	if c.DB != "thidua.duckdb" || c.Out != "out" || c.Lang != "vi" || c.MemoryLimit != DefaultMemoryLimit {
		t.Errorf("defaults: db=%q out=%q lang=%q memory_limit=%q", c.DB, c.Out, c.Lang, c.MemoryLimit)
	}
	cl := c.Cluster
	if len(cl.Units) != 8 {
		t.Fatalf("%d units, want 8", len(cl.Units))
	}
	want := map[string]string{"058": "Thành phố Bắc Kạn", "060": "Pác Nặm", "061": "Ba Bể", "062": "Ngân Sơn",
		"063": "Bạch Thông", "064": "Chợ Đồn", "065": "Chợ Mới", "066": "Na Rì"}
	for _, u := range cl.Units {
		if want[u.Code] != u.Name {
			t.Errorf("unit %s = %q, want %q", u.Code, u.Name, want[u.Code])
		}
		if u.ValidTo.IsZero() || u.ValidTo.Format("2006-01-02") != "2025-06-30" {
			t.Errorf("unit %s valid to %v, want 2025-06-30", u.Code, u.ValidTo)
		}
	}
	for _, code := range []string{"budget_revenue", "new_coops", "afforestation_ha", "recruits", "ntm_communes",
		"ntm_avg_criteria", "poverty_rate", "rice_area_ha", "commended"} {
		if _, ok := cl.Indicator(code); !ok {
			t.Errorf("indicator %s missing", code)
		}
	}
	var w float64
	for _, cr := range cl.Criteria {
		w += cr.Weight
	}
	if w != 100 {
		t.Errorf("default scoring weights sum to %v, want 100", w)
	}
	// Names seen in real files.
	for _, name := range []string{"Thành Phố Bắc Kạn", "TP. Bắc Kạn", "TP Bắc Kạn", "Thị xã Bắc Kạn", "Bắc Cạn",
		"Huyện Pác Nặm", "H. Ngân Sơn", "Na Rỳ", "BA BỂ", "bach thong", "Cho\u0323\u031b \u0110o\u0302\u0300n"} {
		if _, ok := cl.LookupUnit(name, c.Now); !ok {
			t.Errorf("LookupUnit(%q) failed", name)
		}
	}
	// No alias may fold to two indicators.
	seen := map[string]string{}
	for _, ind := range cl.Indicators {
		for _, n := range append([]string{ind.Code, ind.Name, ind.NameEN}, ind.Aliases...) {
			k := strings.ToLower(n)
			if got, ok := cl.LookupIndicator(n); !ok || got.Code != ind.Code {
				t.Errorf("indicator name %q of %s looks up as %q", n, ind.Code, got.Code)
			}
			seen[k] = ind.Code
		}
	}
}

func TestPrecedence(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "thidua.yaml")
	os.WriteFile(file, []byte("db: from-file.duckdb\nout: file-out\nlang: en\n"), 0o644)
	t.Setenv("THIDUA_OUT", "env-out")
	t.Setenv("THIDUA_LANG", "")
	fs := pflag.NewFlagSet("x", pflag.ContinueOnError)
	fs.String("db", "", "")
	fs.String("out", "", "")
	fs.Parse([]string{"--db", "flag.duckdb"})
	c, err := Load(file, fs)
	if err != nil {
		t.Fatal(err)
	}
	if c.DB != "flag.duckdb" {
		t.Errorf("db = %q, want the flag's value", c.DB)
	}
	if c.Out != "env-out" {
		t.Errorf("out = %q, want the environment's value", c.Out)
	}
	if c.Lang != "en" {
		t.Errorf("lang = %q, want the file's value", c.Lang)
	}
	os.WriteFile(file, []byte("memory_limit: 4GB\n"), 0o644)
	if c, err := Load(file, nil); err != nil || c.MemoryLimit != "4GB" {
		t.Errorf("memory_limit from the file: %+v %v", c, err)
	}
}

// go_memory_limit is read as DuckDB reads sizes (MB = 10^6, MiB = 2^20);
// 0 sets no limit.
func TestGoMemoryLimit(t *testing.T) {
	c, err := Load("", nil)
	if err != nil {
		t.Fatal(err)
	}
	if c.GoMemoryLimit != 256_000_000 {
		t.Errorf("default go_memory_limit = %d, want 256 MB (half of auto's ceiling, %d)", c.GoMemoryLimit, AutoMemoryMax)
	}
	for yaml, want := range map[string]int64{
		// unset or empty: half of memory_limit, at least GoMemoryFloor;
		// none when memory_limit is DuckDB's own default
		"memory_limit: 4GB\n":                         2_000_000_000,
		"memory_limit: 1GiB\ngo_memory_limit: \"\"\n": 512 << 20,
		"memory_limit: 40MB\n":                        GoMemoryFloor,
		"memory_limit: auto\n":                        GoMemoryFloor,
		"memory_limit: 192MB\n":                       GoMemoryFloor,
		"memory_limit: 600MB\n":                       300_000_000,
		"memory_limit: \"\"\n":                        0,
		"memory_limit: 4GB\ngo_memory_limit: 0\n":     0,
		"go_memory_limit: 1GiB\n":                     1 << 30,
		"go_memory_limit: 1.5GB\n":                    1_500_000_000,
		"go_memory_limit: 64 MiB\n":                   64 << 20,
		"go_memory_limit: 0\n":                        0,
		"go_memory_limit: \"\"\n":                     256_000_000,
		"go_memory_limit: 32MiB\n":                    MinGoMemoryLimit,
		"go_memory_limit: 700mb\n":                    700_000_000,
		"go_memory_limit: 40000KB\n":                  40_000_000,
	} {
		file := filepath.Join(t.TempDir(), "c.yaml")
		os.WriteFile(file, []byte(yaml), 0o644)
		c, err := Load(file, nil)
		if err != nil {
			t.Errorf("%q: %v", yaml, err)
		} else if c.GoMemoryLimit != want {
			t.Errorf("%q: go_memory_limit = %d, want %d", yaml, c.GoMemoryLimit, want)
		}
	}
}

// memory_limit defaults to auto, sized from the facts as AutoMemoryLimit's
// doc says: 450 bytes a fact, between 160 and 512 MB; "auto" in any case,
// a size or "" (DuckDB's own default) when set.
func TestAutoMemoryLimit(t *testing.T) {
	c, err := Load("", nil)
	if err != nil {
		t.Fatal(err)
	}
	if c.MemoryLimit != MemoryLimitAuto || !IsAuto(c.MemoryLimit) {
		t.Errorf("default memory_limit = %q, want auto", c.MemoryLimit)
	}
	for facts, want := range map[int64]int64{
		0:         160_000_000, // the floor
		4_000:     160_000_000, // the 8-unit sample's size
		269_999:   160_000_000, // bench size I (150 units × 30 indicators × 60 months)
		355_555:   160_000_000,
		355_558:   160_001_000, // 450 B a fact from here, in whole KB
		355_845:   160_130_000, // 700 units × 9 indicators × 48 months (and targets)
		1_137_776: 511_999_000,
		1_137_778: 512_000_000, // the ceiling from here
		8_400_000: 512_000_000,
	} {
		if got := AutoMemoryLimit(facts); got != want {
			t.Errorf("AutoMemoryLimit(%d) = %d, want %d", facts, got, want)
		}
	}
	for yaml, want := range map[string]string{
		"memory_limit: AUTO\n":      MemoryLimitAuto,
		"memory_limit: \" auto\"\n": MemoryLimitAuto,
		"memory_limit: 256MB\n":     "256MB",
		"memory_limit: \"\"\n":      "",
	} {
		file := filepath.Join(t.TempDir(), "c.yaml")
		os.WriteFile(file, []byte(yaml), 0o644)
		c, err := Load(file, nil)
		if err != nil {
			t.Errorf("%q: %v", yaml, err)
		} else if c.MemoryLimit != want {
			t.Errorf("%q: memory_limit = %q, want %q", yaml, c.MemoryLimit, want)
		}
	}
}

func TestBadValues(t *testing.T) {
	cases := []struct{ yaml, key string }{
		{"lang: fr\n", "lang"},
		{"log_format: xml\n", "log_format"},
		{"encoding: latin9\n", "encoding"},
		{"memory_limit: lots\n", "memory_limit"},
		{"go_memory_limit: lots\n", "go_memory_limit"},
		{"allocator_decay_ms: soon\n", "allocator_decay_ms"},
		{"allocator_decay_ms: -2\n", "allocator_decay_ms"},
		{"allocator_decay_ms: 60001\n", "allocator_decay_ms"},
		{"allocator_decay_ms: 1.5\n", "allocator_decay_ms"},
		{"allocator_decay_ms: [0]\n", "allocator_decay_ms"},
		{"go_memory_limit: 256\n", "go_memory_limit"},
		{"go_memory_limit: 1MB\n", "go_memory_limit"},
		{"go_memory_limit: 31MiB\n", "go_memory_limit"},
		{"go_memory_limit: -1GB\n", "go_memory_limit"},
		{"go_memory_limit: 1.2.3GB\n", "go_memory_limit"},
		{"go_memory_limit: 99999999999TB\n", "go_memory_limit"},
		{"go_memory_limit: [1GB]\n", "go_memory_limit"},
		{"go_memory_limit: {a: 1}\n", "go_memory_limit"},
		{"memory_limit: [1GB]\n", "memory_limit"},
		{"status_close_pct: 100\n", "status_close_pct"},
		{"status_close_pct: 0\n", "status_close_pct"},
		{"quality:\n  outlier_ratio: -1\n", "outlier_ratio"},
		{"quality:\n  disabled: [nope]\n", "nope"},
		{"quality:\n  non_decreasing: [nope]\n", "quality.non_decreasing"},
		{"quality:\n  frequency:\n    units: {\"999\": half}\n", "quality.frequency.units"},
		{"quality:\n  frequency:\n    indicators: {recruits: weekly}\n", "weekly"},
		{"quality:\n  accepted: /nonexistent/accepted.csv\n", "quality.accepted"},
		{"quality:\n  due_days: soon\n", "quality.due_days"},
		{"quality:\n  due_days: 2.5\n", "quality.due_days"},
		{"quality:\n  due_days: 400\n", "due_days"},
		{"cluster:\n  code: X\n  units: [{code: \"a-b\", name: A}]\n", "unit code"},
		{"cluster:\n  code: X\n  units: [{code: A, name: A, valid_to: soon}]\n", "valid_to"},
		{"cluster:\n  code: X\n  units: [{code: A, name: A}]\n  indicators: [{code: i, name: I, aggregation: median}]\n", "aggregation"},
	}
	for _, tc := range cases {
		file := filepath.Join(t.TempDir(), "c.yaml")
		os.WriteFile(file, []byte(tc.yaml), 0o644)
		_, err := Load(file, nil)
		var ce *Error
		if !errors.As(err, &ce) {
			t.Errorf("%q: err = %v (%T), want a *config.Error", tc.yaml, err, err)
		} else if !strings.Contains(err.Error(), tc.key) {
			t.Errorf("%q: err = %v, want one naming %q", tc.yaml, err, tc.key)
		}
	}
}

func TestMissingFile(t *testing.T) {
	if _, err := Load(filepath.Join(t.TempDir(), "nope.yaml"), nil); err == nil {
		t.Error("a missing config file loaded")
	}
}

// TestBadRuleRefusedWhenRead: a malformed or unknown rule is a configuration
// error naming the rule, found when the configuration is read.
func TestBadRuleRefusedWhenRead(t *testing.T) {
	dir := t.TempDir()
	for _, bad := range []string{"budget_revenue => 0", "nope <= 3", "ntm_communes <= nope", "recruits"} {
		file := filepath.Join(dir, "c.yaml")
		if err := os.WriteFile(file, []byte("rules:\n  - \""+bad+"\"\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		_, err := Load(file, nil)
		var ce *Error
		var re *thidua.RuleError
		if !errors.As(err, &ce) || ce.Key != "rules" || !errors.As(err, &re) || re.Rule != bad || !strings.Contains(err.Error(), bad) {
			t.Errorf("rule %q: error %v, want a config error naming the rule", bad, err)
		}
	}
	file := filepath.Join(dir, "ok.yaml")
	os.WriteFile(file, []byte("rules: [\"ntm_communes <= communes\", \"budget_revenue >= 0\"]\n"), 0o600)
	if c, err := Load(file, nil); err != nil || len(c.Rules) != 2 {
		t.Errorf("good rules: %v, %v", c, err)
	}
}

// TestAcceptedFile: the accepted-findings file is read with who and why,
// and a bad one is refused with its line.
func TestAcceptedFile(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "accepted.csv")
	os.WriteFile(file, []byte("check,unit,indicator,period,who,why\nstock_drop,065,ntm_communes,2021-04,Lan,xã bị thu hồi danh hiệu\n,058,,,Minh,thành phố khác huyện\n"), 0o600)
	cfg := filepath.Join(dir, "c.yaml")
	os.WriteFile(cfg, []byte("quality:\n  accepted: "+file+"\n  frequency:\n    units: {\"061\": half}\n"), 0o600)
	c, err := Load(cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := []thidua.Accepted{{Check: "stock_drop", Unit: "065", Indicator: "ntm_communes", Period: "2021-04", Who: "Lan", Why: "xã bị thu hồi danh hiệu"},
		{Unit: "058", Who: "Minh", Why: "thành phố khác huyện"}}
	if len(c.Quality.Accepted) != 2 || c.Quality.Accepted[0] != want[0] || c.Quality.Accepted[1] != want[1] {
		t.Errorf("accepted %+v", c.Quality.Accepted)
	}
	if c.Quality.UnitFrequency["061"] != "half" || len(c.Quality.NonDecreasing) != 1 {
		t.Errorf("quality %+v", c.Quality)
	}
	if c.Quality.DueDays != nil {
		t.Errorf("due_days %d, want no deadline when unset", *c.Quality.DueDays)
	}
	os.WriteFile(cfg, []byte("quality:\n  due_days: -5\n"), 0o600)
	if c, err := Load(cfg, nil); err != nil || c.Quality.DueDays == nil || *c.Quality.DueDays != -5 {
		t.Errorf("due_days -5: %v %+v", err, c.Quality)
	}
	for _, bad := range []string{"check,unit,indicator,period,who,why\nstock_drop,065,,,,no one\n",
		"check,unit,indicator,period,who,why\nnope,065,,,Lan,why\n", "a,b\n"} {
		os.WriteFile(file, []byte(bad), 0o600)
		if _, err := ReadAccepted(file); !errors.Is(err, ErrAccepted) {
			t.Errorf("%q: %v", bad, err)
		}
	}
	link := filepath.Join(dir, "link.csv")
	os.Symlink(file, link)
	if _, err := ReadAccepted(link); !errors.Is(err, ErrAccepted) {
		t.Errorf("a link was followed: %v", err)
	}
}

// allocator_decay_ms: 0 by default, -1 (DuckDB's own) to 60000.
func TestAllocatorDecay(t *testing.T) {
	c, err := Load("", nil)
	if err != nil || c.AllocatorDecayMS != 0 {
		t.Fatalf("default allocator_decay_ms: %v %v", c, err)
	}
	for yaml, want := range map[string]int{"allocator_decay_ms: -1\n": -1, "allocator_decay_ms: 250\n": 250, "allocator_decay_ms: 60000\n": 60000} {
		file := filepath.Join(t.TempDir(), "c.yaml")
		os.WriteFile(file, []byte(yaml), 0o644)
		c, err := Load(file, nil)
		if err != nil {
			t.Errorf("%q: %v", yaml, err)
		} else if c.AllocatorDecayMS != want {
			t.Errorf("%q: allocator_decay_ms = %d, want %d", yaml, c.AllocatorDecayMS, want)
		}
	}
}
