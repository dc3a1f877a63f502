package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/thidua/thidua/ingest/sample"
	"github.com/thidua/thidua/internal/testtree"
	"github.com/thidua/thidua/pipeline"
	"github.com/thidua/thidua/transform"
)

func TestLoadsAndUndo(t *testing.T) {
	dir := t.TempDir()
	db, out := filepath.Join(dir, "t.duckdb"), filepath.Join(dir, "out")
	good, fix := filepath.Join(dir, "in", "good.csv"), filepath.Join(dir, "in", "fix.csv")
	testtree.WriteFile(t, good, goodCSV, time.Time{})
	testtree.WriteFile(t, fix, fixCSV, time.Time{})

	if code, _, stderr := cli(t, "loads", "--db", db); code != pipeline.ExitConfig || !strings.Contains(stderr, "no database") {
		t.Fatalf("loads without a database: exit %d\n%s", code, stderr)
	}
	for _, f := range []string{good, fix} {
		if code, stdout, stderr := cli(t, "ingest", "--db", db, "--out", out, f); code != 0 {
			t.Fatalf("ingest %s: exit %d\n%s\n%s", f, code, stdout, stderr)
		}
	}
	code, stdout, stderr := cli(t, "loads", "--db", db)
	if code != 0 {
		t.Fatalf("loads: exit %d\n%s", code, stderr)
	}
	// Newest first, aligned: each sha256 and status under its header.
	lines := strings.Split(strings.TrimSuffix(stdout, "\n"), "\n")
	if len(lines) != 3 || !strings.HasPrefix(lines[0], "ID") {
		t.Fatalf("loads table:\n%s", stdout)
	}
	sha := regexp.MustCompile(`[0-9a-f]{12}`)
	for _, l := range lines[1:] {
		if sha.FindStringIndex(l)[0] != strings.Index(lines[0], "SHA256") ||
			strings.Index(l, "loaded") != strings.Index(lines[0], "STATUS") {
			t.Errorf("loads table not aligned:\n%s", stdout)
			break
		}
	}
	row2 := regexp.MustCompile(`^\s*2\s+\S*fix\.csv\s+-\s+[0-9a-f]{12}\s+\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\s+1\s+0\s+1\s+0\s+0\s+loaded$`)
	row1 := regexp.MustCompile(`^\s*1\s+\S*good\.csv\s+-\s+[0-9a-f]{12}\s+.*\s+2\s+2\s+0\s+0\s+0\s+loaded$`)
	if !row2.MatchString(lines[1]) || !row1.MatchString(lines[2]) {
		t.Errorf("loads rows (want load 2 first: 1 row, 1 updated; load 1: 2 rows, 2 inserted):\n%s", stdout)
	}

	// Load 1's value was corrected by load 2: refused, naming load 2.
	code, _, stderr = cli(t, "loads", "--db", db, "--undo", "1")
	if code != pipeline.ExitConfig || !strings.Contains(stderr, "load 2") || !strings.Contains(stderr, "fix.csv") {
		t.Errorf("undo 1 under 2: exit %d\n%s", code, stderr)
	}
	code, stdout, stderr = cli(t, "loads", "--db", db, "--undo", "2")
	if code != 0 || !strings.Contains(stdout, "load 2 (") || !strings.Contains(stdout, "1 value(s) restored") || !strings.Contains(stdout, "0 removed") {
		t.Fatalf("undo 2: exit %d\n%s\n%s", code, stdout, stderr)
	}
	code, stdout, _ = cli(t, "loads", "--db", db, "--json")
	var ls []pipeline.LoadJSON
	if err := json.Unmarshal([]byte(stdout), &ls); err != nil || code != 0 {
		t.Fatalf("loads --json: exit %d %v\n%s", code, err, stdout)
	}
	if len(ls) != 2 || ls[0].ID != 2 || ls[0].Status != "undone" || ls[1].Status != "loaded" || len(ls[1].SHA256) != 64 {
		t.Errorf("loads --json after undo: %+v", ls)
	}
	for _, bad := range []string{"2", "99", "0"} {
		if code, _, stderr := cli(t, "loads", "--db", db, "--undo", bad); code != pipeline.ExitConfig {
			t.Errorf("undo %s: exit %d, want %d\n%s", bad, code, pipeline.ExitConfig, stderr)
		}
	}
	// The undone file loads again (not a repeat), and now undo 1 is
	// refused because of load 3.
	if code, stdout, _ := cli(t, "ingest", "--db", db, "--out", out, fix); code != 0 || !strings.Contains(stdout, "loaded 1, already loaded 0") {
		t.Errorf("reload of fix.csv: exit %d\n%s", code, stdout)
	}
	if code, _, stderr := cli(t, "loads", "--db", db, "--undo", "1"); code != pipeline.ExitConfig || !strings.Contains(stderr, "load 3") {
		t.Errorf("undo 1 under 3: exit %d\n%s", code, stderr)
	}
}

func TestQualityAndExportFormats(t *testing.T) {
	dir := t.TempDir()
	db, out := filepath.Join(dir, "t.duckdb"), filepath.Join(dir, "out")
	if code, _, stderr := cli(t, "ingest", "--db", db, "--out", out); code != 0 {
		t.Fatalf("ingest sample: exit %d\n%s", code, stderr)
	}
	if code, _, stderr := cli(t, "quality", "--db", db); code != pipeline.ExitConfig || !strings.Contains(stderr, "thidua transform") {
		t.Errorf("quality before transform: exit %d\n%s", code, stderr)
	}
	for _, f := range []string{"xlsx", "csv", "arrow"} {
		if code, _, stderr := cli(t, "export", "--db", db, "--out", out, "--format", f); code != pipeline.ExitConfig || !strings.Contains(stderr, "thidua transform") {
			t.Errorf("%s export before transform: exit %d\n%s", f, code, stderr)
		}
	}
	if code, _, stderr := cli(t, "transform", "--db", db, "--out", out); code != 0 {
		t.Fatalf("transform: exit %d\n%s", code, stderr)
	}

	code, text, stderr := cli(t, "quality", "--db", db)
	if code != 0 {
		t.Fatalf("quality: exit %d\n%s", code, stderr)
	}
	code, js, _ := cli(t, "quality", "--db", db, "--json")
	var qs []pipeline.QualityJSON
	if err := json.Unmarshal([]byte(js), &qs); err != nil || code != 0 {
		t.Fatalf("quality --json: exit %d %v\n%s", code, err, js)
	}
	// The sample's findings are its planted mistakes, each named by its
	// check, and nothing else.
	var got, want []string
	for _, q := range qs {
		got = append(got, q.Check+" "+q.Unit+" "+q.Indicator+" "+q.Period)
	}
	for _, m := range sample.Mistakes {
		want = append(want, m.Check+" "+m.Unit+" "+m.Indicator+" "+m.Period)
	}
	sort.Strings(got)
	sort.Strings(want)
	if !slices.Equal(got, want) {
		t.Errorf("the sample's findings:\n%s\nwant its planted mistakes:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if !strings.HasPrefix(text, "SEVERITY") || !strings.Contains(text, "\n"+strconv.Itoa(len(qs))+" finding(s):") {
		t.Errorf("quality report for %d findings:\n%s", len(qs), text)
	}
	_, en, _ := cli(t, "quality", "--db", db, "--lang", "en")
	for _, q := range qs {
		if q.Severity != "error" || !strings.Contains(text, q.MessageVI) || !strings.Contains(en, q.Message) {
			t.Errorf("finding %+v: severity, or message missing from the report", q)
		}
	}

	for _, bad := range [][]string{{"--format", "pdf"}, {"--partition-by", "unit"}, {"--format", "csv", "--partition-by", "year"}} {
		if code, _, _ := cli(t, append([]string{"export", "--db", db, "--out", out}, bad...)...); code != pipeline.ExitConfig {
			t.Errorf("export %v: exit %d, want %d", bad, code, pipeline.ExitConfig)
		}
	}
	code, stdout, stderr := cli(t, "export", "--db", db, "--out", out, "--format", "arrow,xlsx,csv,parquet", "--partition-by", "year")
	if code != 0 {
		t.Fatalf("export: exit %d\n%s\n%s", code, stdout, stderr)
	}
	for _, p := range []string{
		"parquet/indicator_pop/year=2020", "parquet/scores/year=2020", "parquet/quality.parquet",
		"csv/indicator_pop.csv", "csv/scores.csv", "csv/SYNTHETIC.txt",
		"xlsx/thidua.xlsx", "arrow/indicator_pop.arrows", "arrow/scores.arrows", "arrow/SYNTHETIC.txt",
	} {
		if _, err := os.Stat(filepath.Join(out, p)); err != nil {
			t.Errorf("export: %v", err)
		}
		if !strings.Contains(stdout, filepath.FromSlash(strings.SplitN(p, "/year=", 2)[0])) {
			t.Errorf("export did not list %s:\n%s", p, stdout)
		}
	}
	// Exported again unpartitioned, the Parquet folder is replaced whole.
	if code, _, stderr := cli(t, "export", "--db", db, "--out", out); code != 0 {
		t.Fatalf("export: exit %d\n%s", code, stderr)
	}
	if _, err := os.Stat(filepath.Join(out, "parquet", "indicator_pop")); !os.IsNotExist(err) {
		t.Errorf("partitioned folder survived a plain export: %v", err)
	}
	if _, err := os.Stat(filepath.Join(out, "parquet", "indicator_pop.parquet")); err != nil {
		t.Error(err)
	}
}

func TestRunWithExportCopies(t *testing.T) {
	dir := t.TempDir()
	db, out := filepath.Join(dir, "t.duckdb"), filepath.Join(dir, "out")
	if code, _, _ := cli(t, "run", "--db", db, "--out", out, "--format", "pdf"); code != pipeline.ExitConfig {
		t.Errorf("run --format pdf: exit %d, want %d", code, pipeline.ExitConfig)
	}
	// Parquet is always written by run; --format adds copies.
	code, stdout, stderr := cli(t, "run", "--db", db, "--out", out, "--format", "csv,xlsx", "--partition-by", "year",
		"--generated-at", "2026-03-01T08:00:00Z")
	if code != 0 {
		t.Fatalf("run: exit %d\n%s\n%s", code, stdout, stderr)
	}
	for _, p := range []string{"parquet/indicator_pop/year=2020", "csv/indicator_pop.csv", "xlsx/thidua.xlsx"} {
		if _, err := os.Stat(filepath.Join(out, p)); err != nil {
			t.Error(err)
		}
	}
	if !strings.Contains(stdout, "csv:") || !strings.Contains(stdout, "xlsx:") {
		t.Errorf("run output does not name the copies:\n%s", stdout)
	}
	body, err := os.ReadFile(filepath.Join(out, "run.json"))
	if err != nil {
		t.Fatal(err)
	}
	var sum struct{ Outputs []string }
	if err := json.Unmarshal(body, &sum); err != nil {
		t.Fatal(err)
	}
	var bases []string
	for _, o := range sum.Outputs {
		bases = append(bases, filepath.Base(o))
	}
	if got := strings.Join(bases, " "); got != "dashboards parquet csv xlsx" {
		t.Errorf("run.json outputs: %v", sum.Outputs)
	}
}

// TestRunSaysWhatWasRebuilt: run.json's rebuilt names the years the
// transform recomputed (all on a first run or with --full, none when
// nothing changed), with --partition-by year the Parquet partitions
// written and those taken over unchanged, and the dashboards' period files
// written and taken over.
func TestRunSaysWhatWasRebuilt(t *testing.T) {
	dir := t.TempDir()
	db, out := filepath.Join(dir, "t.duckdb"), filepath.Join(dir, "out")
	run := func(args ...string) *pipeline.RebuiltSummary {
		t.Helper()
		args = append([]string{"run", "--db", db, "--out", out, "--partition-by", "year", "--generated-at", "2026-03-01T08:00:00Z"}, args...)
		if code, stdout, stderr := cli(t, args...); code != 0 {
			t.Fatalf("%v: exit %d\n%s\n%s", args, code, stdout, stderr)
		}
		s := readRunJSON(t, out)
		if s.Rebuilt == nil || s.Rebuilt.Partitions == nil || s.Rebuilt.Pages == nil {
			t.Fatalf("%v: run.json has no rebuilt or no partitions: %+v", args, s.Rebuilt)
		}
		return s.Rebuilt
	}
	first := run()
	if !first.Full || first.Reason != transform.ReasonFirst || len(first.Years) == 0 ||
		len(first.Partitions.Kept) != 0 || len(first.Partitions.Written) == 0 {
		t.Errorf("first run: %+v %+v", first, first.Partitions)
	}
	if first.Pages.Kept != 0 || first.Pages.Written == 0 {
		t.Errorf("first run's period files: %+v", first.Pages)
	}
	again := run("--rebuild")
	// Nothing changed: every period file is taken over but the quality
	// page's (each shows its period type's whole completeness).
	if p := again.Pages; p.Kept == 0 || p.Kept+p.Written != first.Pages.Written || p.Written*5 > first.Pages.Written {
		t.Errorf("a run with nothing new, period files: %+v (first run wrote %d)", p, first.Pages.Written)
	}
	if again.Full || len(again.Years) != 0 || len(again.Partitions.Written) != 0 ||
		len(again.Partitions.Kept) != len(first.Partitions.Written) {
		t.Errorf("a run with nothing new: %+v %+v", again, again.Partitions)
	}
	full := run("--rebuild", "--full")
	if !full.Full || full.Reason != transform.ReasonRequested || len(full.Partitions.Written) != 0 {
		t.Errorf("run --full: %+v %+v (the same rows: every partition taken over)", full, full.Partitions)
	}
}
