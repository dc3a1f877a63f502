package sample_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/thidua/thidua/ingest/sample"
)

var update = flag.Bool("update", false, "rewrite testdata/files.sha256")

// The units as the domain notes give them, written here independently of the
// generator: code, name, communes, poverty rate 2019.
var wantUnits = []struct {
	code, name string
	communes   int
	poverty19  float64
}{
	{"058", "Thành phố Bắc Kạn", 8, 1.93},
	{"060", "Pác Nặm", 10, 35.22},
	{"061", "Ba Bể", 16, 23.8},
	{"062", "Ngân Sơn", 11, 34.41},
	{"063", "Bạch Thông", 17, 17.46},
	{"064", "Chợ Đồn", 22, 15.86},
	{"065", "Chợ Mới", 16, 16.85},
	{"066", "Na Rì", 22, 25.11},
}

var observed = []string{"budget_revenue", "new_coops", "afforestation_ha", "recruits", "ntm_communes",
	"ntm_avg_criteria", "poor_households", "households", "rice_area_ha", "commended"}

var targeted = []string{"budget_revenue", "new_coops", "afforestation_ha", "recruits", "ntm_communes",
	"ntm_avg_criteria", "poverty_rate", "rice_area_ha"}

// decimals of each indicator's values in the files.
var decimals = map[string]int{"afforestation_ha": 1, "ntm_avg_criteria": 1, "rice_area_ha": 1, "poverty_rate": 2}

func file(t *testing.T, name string) []byte {
	t.Helper()
	for _, f := range sample.Files() {
		if f.Name == name {
			return f.Data
		}
	}
	t.Fatalf("no file %s", name)
	return nil
}

func readCSV(t *testing.T, name string) [][]string {
	t.Helper()
	rows, err := csv.NewReader(bytes.NewReader(file(t, name))).ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return rows
}

type key struct{ unit, ind, period string }

// parsed is observations.csv and targets.csv as maps.
type parsed struct {
	obs     map[key]float64
	targets map[key]float64 // period = year
}

func parse(t *testing.T) parsed {
	t.Helper()
	p := parsed{obs: map[key]float64{}, targets: map[key]float64{}}
	obs := readCSV(t, "observations.csv")
	if got := strings.Join(obs[0], ","); got != "unit_code,unit,indicator,period,basis,value,note" {
		t.Fatalf("observations header %q", got)
	}
	for i, r := range obs[1:] {
		v, err := strconv.ParseFloat(r[5], 64)
		if err != nil {
			t.Fatalf("observations.csv:%d: %v", i+2, err)
		}
		k := key{r[0], r[2], r[3]}
		if _, dup := p.obs[k]; dup {
			t.Fatalf("observations.csv:%d: duplicate %v", i+2, k)
		}
		p.obs[k] = v
	}
	tg := readCSV(t, "targets.csv")
	if got := strings.Join(tg[0], ","); got != "unit_code,unit,indicator,year,target,note" {
		t.Fatalf("targets header %q", got)
	}
	for i, r := range tg[1:] {
		v, err := strconv.ParseFloat(r[4], 64)
		if err != nil {
			t.Fatalf("targets.csv:%d: %v", i+2, err)
		}
		k := key{r[0], r[2], r[3]}
		if _, dup := p.targets[k]; dup {
			t.Fatalf("targets.csv:%d: duplicate %v", i+2, k)
		}
		p.targets[k] = v
	}
	return p
}

func month(y, m int) string { return fmt.Sprintf("%04d-%02d", y, m) }

// sum adds an indicator's values of months from..to of year y.
func (p parsed) sum(unit, ind string, y, from, to int) float64 {
	var s float64
	for m := from; m <= to; m++ {
		s += p.obs[key{unit, ind, month(y, m)}]
	}
	return s
}

func (p parsed) target(unit, ind string, y int) float64 {
	return p.targets[key{unit, ind, strconv.Itoa(y)}]
}

func TestDeterministic(t *testing.T) {
	a, b := sample.Files(), sample.Files()
	if len(a) != 3 {
		t.Fatalf("got %d files, want 3", len(a))
	}
	for i := range a {
		if a[i].Name != b[i].Name || !bytes.Equal(a[i].Data, b[i].Data) {
			t.Errorf("file %s differs between two calls", a[i].Name)
		}
	}
	a[0].Data[0] = 'X' // the caller's copy is its own
	if c := sample.Files(); c[0].Data[0] == 'X' {
		t.Error("Files returns shared buffers")
	}
}

func TestGolden(t *testing.T) {
	var b strings.Builder
	for _, f := range sample.Files() {
		sum := sha256.Sum256(f.Data)
		fmt.Fprintf(&b, "%s  %s\n", hex.EncodeToString(sum[:]), f.Name)
	}
	path := filepath.Join("testdata", "files.sha256")
	if *update {
		if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update)", err)
	}
	if b.String() != string(want) {
		t.Errorf("sha256 of the files changed (bump sample.Version and run go test -update if meant):\ngot:\n%swant:\n%s", b.String(), want)
	}
}

func TestText(t *testing.T) {
	for _, f := range sample.Files() {
		if !utf8.Valid(f.Data) {
			t.Errorf("%s: not UTF-8", f.Name)
		}
		if bytes.HasPrefix(f.Data, []byte("\xef\xbb\xbf")) {
			t.Errorf("%s: BOM", f.Name)
		}
		if bytes.ContainsRune(f.Data, '\r') {
			t.Errorf("%s: CR line ends", f.Name)
		}
		if !bytes.HasSuffix(f.Data, []byte("\n")) {
			t.Errorf("%s: no final newline", f.Name)
		}
		// Vietnamese in NFC has no combining marks: every letter is precomposed.
		for i, r := range string(f.Data) {
			if unicode.Is(unicode.Mn, r) {
				t.Errorf("%s: byte %d: combining mark %U (not NFC)", f.Name, i, r)
				break
			}
		}
	}
	readme := string(file(t, "README.txt"))
	for _, s := range []string{"SYNTHETIC", "MÔ PHỎNG", "NOT real statistics", "KHÔNG phải số liệu",
		"seed " + strconv.FormatUint(sample.Seed, 10), "version " + sample.Version, sample.Name} {
		if !strings.Contains(readme, s) {
			t.Errorf("README.txt does not say %q", s)
		}
	}
	if !strings.Contains(sample.Name, "synthetic") || !strings.Contains(sample.Description, "ynthetic") {
		t.Error("Name or Description does not say synthetic")
	}
}

func TestShape(t *testing.T) {
	names := map[string]string{}
	for _, u := range wantUnits {
		names[u.code] = u.name
	}
	for _, name := range []string{"observations.csv", "targets.csv"} {
		rows := readCSV(t, name)
		vcol := map[string]int{"observations.csv": 5, "targets.csv": 4}[name]
		for i, r := range rows[1:] {
			line := i + 2
			if names[r[0]] != r[1] {
				t.Errorf("%s:%d: unit %s %q", name, line, r[0], r[1])
			}
			planted := false
			for _, m := range sample.Mistakes {
				planted = planted || name == "observations.csv" && m.Unit == r[0] && m.Indicator == r[2] && m.Period == r[3]
			}
			if note := r[len(r)-1]; note != "synthetic / dữ liệu mô phỏng" &&
				!(planted && strings.HasPrefix(note, "synthetic / dữ liệu mô phỏng; planted mistake / lỗi cố ý: ")) {
				t.Errorf("%s:%d: note %q", name, line, r[len(r)-1])
			}
			if name == "observations.csv" && r[4] != "period" {
				t.Errorf("%s:%d: basis %q", name, line, r[4])
			}
			v := r[vcol]
			intPart, frac, dot := strings.Cut(v, ".")
			d := decimals[r[2]]
			if (d == 0) == dot || len(frac) != d || strings.Trim(intPart+frac, "0123456789") != "" || intPart == "" ||
				(len(intPart) > 1 && intPart[0] == '0') {
				t.Errorf("%s:%d: %s value %q is not a plain number with %d decimals", name, line, r[2], v, d)
			}
		}
	}
	p := parse(t)
	if want := len(wantUnits) * len(observed) * 48; len(p.obs) != want {
		t.Errorf("%d observations, want %d", len(p.obs), want)
	}
	if want := len(wantUnits) * len(targeted) * 4; len(p.targets) != want {
		t.Errorf("%d targets, want %d", len(p.targets), want)
	}
	for _, u := range wantUnits {
		for _, ind := range observed {
			for y := 2018; y <= 2021; y++ {
				for m := 1; m <= 12; m++ {
					if _, ok := p.obs[key{u.code, ind, month(y, m)}]; !ok {
						t.Errorf("missing %s %s %s", u.code, ind, month(y, m))
					}
				}
			}
		}
		for _, ind := range targeted {
			for y := 2018; y <= 2021; y++ {
				if _, ok := p.targets[key{u.code, ind, strconv.Itoa(y)}]; !ok {
					t.Errorf("missing target %s %s %d", u.code, ind, y)
				}
			}
		}
	}
	for k := range p.obs {
		if k.ind == "poverty_rate" {
			t.Errorf("poverty_rate emitted: %v", k)
		}
	}
}

// TestSeedFacts computes the five facts of the 2020 article for 2020-H1 from
// the CSV files as the pipeline will: year to date ÷ annual target.
func TestSeedFacts(t *testing.T) {
	p := parse(t)

	var coops float64
	for _, u := range wantUnits {
		coops += p.sum(u.code, "new_coops", 2020, 1, 6)
	}
	if coops != 26 {
		t.Errorf("new_coops 2020-H1 = %v, want 26", coops)
	}

	above := map[string]bool{"060": true, "062": true, "066": true, "063": true}
	for _, u := range wantUnits {
		pct := 100 * p.sum(u.code, "budget_revenue", 2020, 1, 6) / p.target(u.code, "budget_revenue", 2020)
		if above[u.code] && pct < 52 || !above[u.code] && pct > 47 {
			t.Errorf("budget_revenue 2020-H1 %s: %.2f%% of target (want >= 52 if in the article, <= 47 if not)", u.name, pct)
		}
	}

	type share struct {
		code string
		pct  float64
	}
	var aff []share
	for _, u := range wantUnits {
		aff = append(aff, share{u.code, 100 * p.sum(u.code, "afforestation_ha", 2020, 1, 6) / p.target(u.code, "afforestation_ha", 2020)})
	}
	slices.SortFunc(aff, func(a, b share) int { return -cmpFloat(a.pct, b.pct) })
	top := []string{aff[0].code, aff[1].code, aff[2].code}
	slices.Sort(top)
	if !slices.Equal(top, []string{"060", "061", "064"}) {
		t.Errorf("afforestation top three %v, want Pác Nặm, Ba Bể, Chợ Đồn", aff[:3])
	}
	if aff[2].pct-aff[3].pct < 5 {
		t.Errorf("afforestation: third %.2f%% and fourth %.2f%% too close", aff[2].pct, aff[3].pct)
	}

	for _, u := range wantUnits {
		got, quota := p.sum(u.code, "recruits", 2020, 1, 6), p.target(u.code, "recruits", 2020)
		if got != quota {
			t.Errorf("recruits 2020-H1 %s: %v of quota %v", u.name, got, quota)
		}
	}

	var commended float64
	for _, u := range wantUnits {
		commended += p.sum(u.code, "commended", 2020, 1, 6)
	}
	if commended < 1000 || commended > 9999 {
		t.Errorf("commended 2020-H1 = %v, want thousands", commended)
	}
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func TestValues(t *testing.T) {
	p := parse(t)
	for k, v := range p.obs {
		if v < 0 {
			t.Errorf("%v = %v < 0", k, v)
		}
		if decimals[k.ind] == 0 && v != math.Trunc(v) {
			t.Errorf("%v = %v not whole", k, v)
		}
	}
	for k, v := range p.targets {
		if v <= 0 {
			t.Errorf("target %v = %v", k, v)
		}
	}
	var riceTarget [4]float64
	for _, u := range wantUnits {
		prev := map[string]float64{}
		for y := 2018; y <= 2021; y++ {
			yr := strconv.Itoa(y)
			for m := 1; m <= 12; m++ {
				at := func(ind string) float64 { return p.obs[key{u.code, ind, month(y, m)}] }
				n, c, h, poor := at("ntm_communes"), at("ntm_avg_criteria"), at("households"), at("poor_households")
				if n > float64(u.communes) {
					t.Errorf("%s %s: %v NTM communes of %d", u.name, month(y, m), n, u.communes)
				}
				if c < 8 || c > 19 {
					t.Errorf("%s %s: average criteria %v", u.name, month(y, m), c)
				}
				if poor > h {
					t.Errorf("%s %s: %v poor of %v households", u.name, month(y, m), poor, h)
				}
				for ind, v := range map[string]float64{"ntm_communes": n, "ntm_avg_criteria": c, "households": h} {
					if pv, ok := prev[ind]; ok && v < pv && !plantedIn(u.code, ind, month(y, m)) {
						t.Errorf("%s %s %s falls %v -> %v", u.name, ind, month(y, m), pv, v)
					}
					prev[ind] = v
				}
				if pv, ok := prev["poor"]; ok && poor > pv {
					t.Errorf("%s poor_households %s rises %v -> %v", u.name, month(y, m), pv, poor)
				}
				prev["poor"] = poor
				if m != 2 && m != 3 && at("recruits") != 0 {
					t.Errorf("%s recruits in %s", u.name, month(y, m))
				}
			}
			if got, q := p.sum(u.code, "recruits", y, 1, 12), p.target(u.code, "recruits", y); got != q || q < 60 || q > 150 {
				t.Errorf("%s recruits %d: %v of quota %v", u.name, y, got, q)
			}
			budget := p.sum(u.code, "budget_revenue", y, 1, 12)
			if (u.code == "058" && budget < 200000 || u.code != "058" && (budget < 10000 || budget > 40000)) && !plantedIn(u.code, "budget_revenue", yr) {
				t.Errorf("%s budget revenue %d = %v", u.name, y, budget)
			}
			a, at := p.sum(u.code, "afforestation_ha", y, 1, 12), p.target(u.code, "afforestation_ha", y)
			if (a < 150 || a > 700 || at < 150 || at > 700) && !plantedIn(u.code, "afforestation_ha", yr) {
				t.Errorf("%s afforestation %d = %v ha, target %v ha", u.name, y, a, at)
			}
			if tn := p.targets[key{u.code, "ntm_communes", yr}]; tn > float64(u.communes) {
				t.Errorf("%s NTM target %d = %v", u.name, y, tn)
			}
			if tp := p.targets[key{u.code, "poverty_rate", yr}]; tp <= 0 || tp >= 50 {
				t.Errorf("%s poverty target %d = %v", u.name, y, tp)
			}
			riceTarget[y-2018] += p.target(u.code, "rice_area_ha", y)
		}
	}
	for i, r := range riceTarget {
		if r < 20000 || r > 26000 {
			t.Errorf("rice target %d for the province %v ha, want about 23,000", 2018+i, r)
		}
	}
}

// TestPoverty2019 checks the December 2019 rates against the domain notes and
// the direction of the targets: each year's target rate is below the previous
// December's rate.
func TestPoverty2019(t *testing.T) {
	p := parse(t)
	for _, u := range wantUnits {
		rate := func(y int) float64 {
			m := month(y, 12)
			return 100 * p.obs[key{u.code, "poor_households", m}] / p.obs[key{u.code, "households", m}]
		}
		if got := rate(2019); math.Abs(got-u.poverty19) > 0.3 {
			t.Errorf("%s poverty rate 2019-12 %.2f%%, want %.2f%%", u.name, got, u.poverty19)
		}
		for y := 2019; y <= 2021; y++ {
			prev, tgt := rate(y-1), p.target(u.code, "poverty_rate", y)
			if tgt >= prev || prev-tgt > 4.01 {
				t.Errorf("%s poverty target %d = %.2f%%, previous December %.2f%%", u.name, y, tgt, prev)
			}
		}
	}
}

func TestWrite(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "sample")
	paths, err := sample.Write(dir)
	if err != nil {
		t.Fatal(err)
	}
	files := sample.Files()
	if len(paths) != len(files) {
		t.Fatalf("wrote %v", paths)
	}
	for i, f := range files {
		got, err := os.ReadFile(paths[i])
		if err != nil {
			t.Fatal(err)
		}
		if filepath.Base(paths[i]) != f.Name || !bytes.Equal(got, f.Data) {
			t.Errorf("%s differs from Files()", paths[i])
		}
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != len(files) {
		t.Errorf("directory holds %d entries, want %d (temporary files left?)", len(entries), len(files))
	}
	if _, err := sample.Write(dir); err != nil { // again, over the old files
		t.Error(err)
	}
	blocker := filepath.Join(t.TempDir(), "file")
	os.WriteFile(blocker, nil, 0o644)
	_, err = sample.Write(filepath.Join(blocker, "sub"))
	if pe := (*fs.PathError)(nil); !errors.As(err, &pe) || !strings.Contains(err.Error(), "sub") {
		t.Errorf("Write under a file: err = %v, want the file system's error naming the directory", err)
	}
}

// plantedIn reports whether one of the sample's planted mistakes is in unit
// and indicator at the period or (a year) in the period's months.
func plantedIn(unit, ind, period string) bool {
	for _, m := range sample.Mistakes {
		if m.Unit == unit && m.Indicator == ind && strings.HasPrefix(m.Period, period) {
			return true
		}
	}
	return false
}

// TestMistakes: the planted mistakes are few, none in 2020 (the year of
// the seed article's facts), each of a kind a quality check names.
func TestMistakes(t *testing.T) {
	if n := len(sample.Mistakes); n < 3 || n > 6 {
		t.Errorf("%d planted mistakes, want a few", n)
	}
	for _, m := range sample.Mistakes {
		if strings.HasPrefix(m.Period, "2020") {
			t.Errorf("mistake in 2020: %+v", m)
		}
		if !slices.Contains([]string{"unit_slip", "ytd_as_month", "stock_drop"}, m.Check) {
			t.Errorf("mistake of no check: %+v", m)
		}
	}
}
