//go:build unix

package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/thidua/thidua/pipeline"
	"github.com/thidua/thidua/store"
)

// The clock and the generated-at time are pinned so that two runs on the
// same inputs write byte-identical pages. DuckDB runs on one thread: with
// several, its parallel sums of DOUBLE values add in a varying order, and
// two uninterrupted runs can differ in the last bit of a value (1930.6 vs
// 1930.6000000000001), which is not what these tests are about.
var pinnedEnv = []string{"THIDUA_NOW=2022-01-15T08:00:00Z", "THIDUA_THREADS=2"}

const pinnedGeneratedAt = "2022-01-15T08:00:00Z"

// testInputs writes the built-in synthetic sample with "thidua sample --out"
// into dir/in, plus, unless historyYears is 0, history.csv: the sample's
// first year copied to each of the historyYears years before it, for a
// bigger load and longer steps. It returns the input files in load order.
func testInputs(t *testing.T, dir string, historyYears int) []string {
	t.Helper()
	in := filepath.Join(dir, "in")
	if code, _, stderr := runBinary(t, dir, nil, "sample", "--out", in); code != 0 {
		t.Fatalf("thidua sample: exit %d\n%s", code, stderr)
	}
	inputs := []string{filepath.Join(in, "targets.csv"), filepath.Join(in, "observations.csv")}
	if historyYears == 0 {
		return inputs
	}
	obs, err := os.ReadFile(filepath.Join(in, "observations.csv"))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimRight(string(obs), "\n"), "\n")
	var b bytes.Buffer
	b.WriteString(lines[0] + "\n")
	for y := 2018 - historyYears; y < 2018; y++ {
		for _, l := range lines[1:] {
			if strings.Contains(l, ",2018-") {
				b.WriteString(strings.Replace(l, ",2018-", fmt.Sprintf(",%d-", y), 1) + "\n")
			}
		}
	}
	hist := filepath.Join(in, "history.csv")
	if err := os.WriteFile(hist, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return append(inputs, hist)
}

// runArgs is "thidua run" on the database and output folder given, with the
// generated-at time pinned and JSON debug logs (which say when each step
// starts).
func runArgs(db, out string, inputs []string, extra ...string) []string {
	args := []string{"run", "--db", db, "--out", out, "--generated-at", pinnedGeneratedAt,
		"--log-format", "json", "--log-level", "debug"}
	return append(append(args, extra...), inputs...)
}

// proc is a running thidua whose stderr lines can be waited for.
type proc struct {
	cmd    *exec.Cmd
	stdout bytes.Buffer
	mu     sync.Mutex
	lines  []string
	notify chan struct{}
	eof    chan struct{}
}

func startBinary(t *testing.T, dir string, env []string, args ...string) *proc {
	t.Helper()
	p := &proc{cmd: exec.Command(binary, args...), notify: make(chan struct{}, 1), eof: make(chan struct{})}
	p.cmd.Dir = dir
	p.cmd.Env = append(append(os.Environ(), pinnedEnv...), env...)
	p.cmd.Stdout = &p.stdout
	r, err := p.cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		defer close(p.eof)
		br := bufio.NewReader(r)
		for {
			l, err := br.ReadString('\n')
			if l != "" {
				p.mu.Lock()
				p.lines = append(p.lines, strings.TrimRight(l, "\n"))
				p.mu.Unlock()
				select {
				case p.notify <- struct{}{}:
				default:
				}
			}
			if err != nil {
				return
			}
		}
	}()
	t.Cleanup(func() {
		if p.cmd.ProcessState == nil {
			p.cmd.Process.Kill()
			p.cmd.Wait()
		}
	})
	return p
}

// waitLine waits until a stderr line contains every one of subs; false if
// the process ended or timeout passed first.
func (p *proc) waitLine(timeout time.Duration, subs ...string) bool {
	deadline := time.After(timeout)
	seen := 0
	for {
		p.mu.Lock()
		lines := p.lines[seen:]
		seen = len(p.lines)
		p.mu.Unlock()
		for _, l := range lines {
			ok := true
			for _, s := range subs {
				ok = ok && strings.Contains(l, s)
			}
			if ok {
				return true
			}
		}
		select {
		case <-p.notify:
		case <-p.eof:
			p.mu.Lock()
			more := len(p.lines) > seen
			p.mu.Unlock()
			if !more {
				return false
			}
		case <-deadline:
			return false
		}
	}
}

// wait waits for the process to end and returns its exit status and
// stderr.
func (p *proc) wait(t *testing.T) (int, string) {
	t.Helper()
	err := p.cmd.Wait()
	<-p.eof
	p.mu.Lock()
	stderr := strings.Join(p.lines, "\n")
	p.mu.Unlock()
	if ee, ok := err.(*exec.ExitError); ok {
		if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
			return -int(ws.Signal()), stderr
		}
		return ee.ExitCode(), stderr
	} else if err != nil {
		t.Fatal(err)
	}
	return 0, stderr
}

// waitWithin is wait, but a process still running after d (one that
// ignored the signal it was sent: a held run waits for its context to be
// cancelled) is killed and fails the test.
func (p *proc) waitWithin(t *testing.T, d time.Duration, when string) (int, string) {
	t.Helper()
	select {
	case <-p.eof:
	case <-time.After(d):
		p.cmd.Process.Kill()
		_, stderr := p.wait(t)
		t.Fatalf("%s: still running after %v, killed\n%s", when, d, stderr)
	}
	return p.wait(t)
}

// release lets a run held at its THIDUA_TEST_HOLD point go on.
func (p *proc) release() {
	p.cmd.Process.Signal(syscall.SIGUSR1)
}

// stepStart is the JSON log line of a step starting.
func stepStart(step string) []string {
	return []string{`"msg":"step start"`, `"step":"` + step + `"`}
}

// mustRun runs thidua run to completion and fails the test unless it exits 0.
func mustRun(t *testing.T, dir string, args []string) {
	t.Helper()
	code, _, stderr := runBinary(t, dir, pinnedEnv, args...)
	if code != 0 {
		t.Fatalf("thidua %s: exit %d\n%s", strings.Join(args, " "), code, stderr)
	}
}

// readTree returns the regular files under dir by slash path. Anything but
// a regular file or folder fails the test.
func readTree(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			return nil
		}
		if !d.Type().IsRegular() {
			return fmt.Errorf("%s: not a regular file (%v)", p, d.Type())
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		files[filepath.ToSlash(rel)] = b
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// diffTrees describes how the folders got and want differ: pages must be
// byte-identical, Parquet files must hold the same rows (their bytes may
// differ only in metadata).
func diffTrees(t *testing.T, got, want string) []string {
	t.Helper()
	g, w := readTree(t, got), readTree(t, want)
	var diffs []string
	for name, wb := range w {
		gb, ok := g[name]
		switch {
		case !ok:
			diffs = append(diffs, name+": missing")
		case bytes.Equal(gb, wb):
		case strings.HasSuffix(name, ".parquet"):
			if d := parquetDiff(t, filepath.Join(got, name), filepath.Join(want, name)); d != "" {
				diffs = append(diffs, name+": "+d)
			}
		default:
			diffs = append(diffs, fmt.Sprintf("%s: %d bytes, want %d bytes with other content", name, len(gb), len(wb)))
		}
	}
	for name := range g {
		if _, ok := w[name]; !ok {
			diffs = append(diffs, name+": not expected")
		}
	}
	sort.Strings(diffs)
	return diffs
}

// parquetDiff compares two Parquet files by content, read by DuckDB: the
// same rows in the same order.
func parquetDiff(t *testing.T, a, b string) string {
	t.Helper()
	db, err := store.Open(context.Background(), "", store.Options{Unlocked: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	q := func(p string) string {
		return "(SELECT row_number() OVER () AS rn, * FROM read_parquet(" + store.QuoteString(p) + "))"
	}
	var na, nb, diff int
	err = db.SQL().QueryRow(`SELECT (SELECT count(*) FROM `+q(a)+`), (SELECT count(*) FROM `+q(b)+`),
		(SELECT count(*) FROM (SELECT * FROM `+q(a)+` EXCEPT ALL SELECT * FROM `+q(b)+`))`).Scan(&na, &nb, &diff)
	if err != nil {
		return "unreadable: " + err.Error()
	}
	if na != nb || diff != 0 {
		return fmt.Sprintf("%d rows vs %d, %d differ", na, nb, diff)
	}
	return ""
}

// loadReport lists each load of the database with what it recorded and the
// rows the observations table holds for it, one line per load in file
// order. It fails the test if the database does not open.
func loadReport(t *testing.T, path string) []string {
	t.Helper()
	db, err := store.Open(context.Background(), path, store.Options{ReadOnly: true})
	if err != nil {
		t.Fatalf("database after the crash: %v", err)
	}
	defer db.Close()
	rows, err := db.SQL().Query(`SELECT l.load_id, l.file, l.sha256, l.rows, l.inserted, l.updated, l.unchanged, l.rejected, l.status,
		(SELECT count(*) FROM observations o WHERE o.load_id = l.load_id)
		FROM loads l ORDER BY l.load_id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var id, n, ins, upd, unch, rej, held int
		var file, sha, status string
		if err := rows.Scan(&id, &file, &sha, &n, &ins, &upd, &unch, &rej, &status, &held); err != nil {
			t.Fatal(err)
		}
		out = append(out, fmt.Sprintf("#%d %s %s rows=%d ins=%d upd=%d unch=%d rej=%d %s held=%d",
			id, filepath.Base(file), sha[:12], n, ins, upd, unch, rej, status, held))
		if held != ins+upd {
			t.Errorf("load #%d of %s holds %d rows, recorded %d inserted + %d updated: half-loaded", id, file, held, ins, upd)
		}
	}
	var orphans int
	if err := db.SQL().QueryRow(`SELECT count(*) FROM observations WHERE load_id NOT IN (SELECT load_id FROM loads)`).Scan(&orphans); err != nil {
		t.Fatal(err)
	}
	if orphans > 0 {
		t.Errorf("%d observations of no recorded load: a half-loaded file", orphans)
	}
	return out
}

// leftovers lists the hidden temporary entries of the output folder.
func leftovers(t *testing.T, out string) []string {
	t.Helper()
	entries, err := os.ReadDir(out)
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".") {
			names = append(names, e.Name())
		}
	}
	return names
}

func readRunJSON(t *testing.T, out string) pipeline.RunSummary {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(out, "run.json"))
	if err != nil {
		t.Fatal(err)
	}
	var s pipeline.RunSummary
	if err := json.Unmarshal(b, &s); err != nil {
		t.Fatalf("run.json: %v\n%s", err, b)
	}
	return s
}

// mountTmpfs mounts a tmpfs of size bytes on dir (root only); it skips the
// test when mounting is not possible.
func mountTmpfs(t *testing.T, dir string, size int64, opts ...string) {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	o := append([]string{fmt.Sprintf("size=%d", size)}, opts...)
	out, err := exec.Command("mount", "-t", "tmpfs", "-o", strings.Join(o, ","), "tmpfs", dir).CombinedOutput()
	if err != nil {
		t.Skipf("cannot mount a tmpfs (needs root): %v %s", err, out)
	}
	t.Cleanup(func() {
		if out, err := exec.Command("umount", dir).CombinedOutput(); err != nil {
			exec.Command("umount", "-l", dir).Run()
			t.Logf("umount %s: %v %s", dir, err, out)
		}
	})
}

func dirSize(t *testing.T, dir string) int64 {
	var n int64
	for _, b := range readTree(t, dir) {
		n += int64(len(b)+4095) / 4096 * 4096
	}
	return n
}

var _ = io.Discard

// removeDB removes a database file and its write-ahead log.
func removeDB(t *testing.T, path string) {
	t.Helper()
	for _, p := range []string{path, path + ".wal"} {
		if err := os.Remove(p); err != nil && !os.IsNotExist(err) {
			t.Fatal(err)
		}
	}
}

// TestFaultFullDisk runs with the output folder on a tmpfs big enough for
// one set of outputs but not for a second one next to it (what the second
// run writes anew beside the first): the run fails
// with status 1 and "no space left", the previous outputs stay whole, no
// temporary folder is left, and the failure is recorded in run.json.
func TestFaultFullDisk(t *testing.T) {
	dir := t.TempDir()
	inputs := testInputs(t, dir, 2)
	mustRun(t, dir, runArgs("ref.duckdb", "ref", inputs))
	ref := filepath.Join(dir, "ref")
	size := dirSize(t, filepath.Join(ref, "dashboards")) + dirSize(t, filepath.Join(ref, "parquet"))
	// A second run takes the unchanged period files over from the first
	// (hard links): what it writes anew is at least the pages and the
	// Parquet files, of which a third fits.
	anew := size - dirSize(t, filepath.Join(ref, "dashboards", "data"))
	out := filepath.Join(dir, "out")
	mountTmpfs(t, out, size+anew/3+64<<10)

	mustRun(t, dir, runArgs("db.duckdb", "out", inputs))
	before := loadReport(t, filepath.Join(dir, "db.duckdb"))
	code, _, stderr := runBinary(t, dir, pinnedEnv, runArgs("db.duckdb", "out", inputs)...)
	if code != pipeline.ExitInternal || !strings.Contains(stderr, "no space left") {
		t.Fatalf("run on a full output folder: exit %d, want %d and \"no space left\"\n%s", code, pipeline.ExitInternal, stderr)
	}
	for _, sub := range []string{"dashboards", "parquet"} {
		if d := diffTrees(t, filepath.Join(out, sub), filepath.Join(ref, sub)); len(d) > 0 {
			t.Errorf("%s after the failed run:\n%s", sub, strings.Join(d, "\n"))
		}
	}
	if l := leftovers(t, out); len(l) > 0 {
		t.Errorf("temporary entries left on the full disk: %v", l)
	}
	if s := readRunJSON(t, out); s.Status != "failed" || s.ExitStatus != pipeline.ExitInternal || !strings.Contains(s.Error, "no space left") {
		t.Errorf("run.json: status %q exit %d error %q", s.Status, s.ExitStatus, s.Error)
	}
	if after := loadReport(t, filepath.Join(dir, "db.duckdb")); strings.Join(after, "\n") != strings.Join(before, "\n") {
		t.Errorf("loads changed:\n%v\nwant\n%v", after, before)
	}
}

// TestFaultReadOnlyOut runs with an output folder that cannot be written:
// on a read-only mount (root ignores permission bits, so chmod would prove
// nothing) and below a regular file. The run fails at once with status 1,
// before loading anything, and leaves the previous outputs as they were.
func TestFaultReadOnlyOut(t *testing.T) {
	dir := t.TempDir()
	inputs := testInputs(t, dir, 0)

	// Below a regular file: the folder cannot even be created.
	if err := os.WriteFile(filepath.Join(dir, "file"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, stderr := runBinary(t, dir, pinnedEnv, runArgs("db.duckdb", "file/out", inputs)...)
	if code != pipeline.ExitInternal || !strings.Contains(stderr, "not a directory") {
		t.Errorf("output folder below a file: exit %d, want %d and \"not a directory\"\n%s", code, pipeline.ExitInternal, stderr)
	}
	if got := loadReport(t, filepath.Join(dir, "db.duckdb")); len(got) != 0 {
		t.Errorf("the run loaded files although it could not write its outputs: %v", got)
	}

	t.Run("read-only mount", func(t *testing.T) {
		out := filepath.Join(dir, "ro")
		mountTmpfs(t, out, 256<<20)
		mustRun(t, dir, runArgs("ro.duckdb", "ro", inputs))
		before := readTree(t, out)
		if out, err := exec.Command("mount", "-o", "remount,ro", out).CombinedOutput(); err != nil {
			t.Skipf("cannot remount read-only: %v %s", err, out)
		}
		// A new input, which the failed run must not load.
		extra := filepath.Join(dir, "in", "extra.csv")
		obs, _ := os.ReadFile(inputs[1])
		lines := strings.SplitN(string(obs), "\n", 3)
		os.WriteFile(extra, []byte(lines[0]+"\n"+strings.Replace(lines[1], ",2018-01,", ",2017-01,", 1)+"\n"), 0o644)
		loads := loadReport(t, filepath.Join(dir, "ro.duckdb"))
		code, _, stderr := runBinary(t, dir, pinnedEnv, runArgs("ro.duckdb", "ro", append(inputs, extra))...)
		if code != pipeline.ExitInternal || !strings.Contains(stderr, "read-only file system") {
			t.Errorf("read-only output folder: exit %d, want %d and \"read-only file system\"\n%s", code, pipeline.ExitInternal, stderr)
		}
		after := readTree(t, out)
		if len(after) != len(before) {
			t.Errorf("output folder changed: %d files, had %d", len(after), len(before))
		}
		for name, b := range before {
			if !bytes.Equal(after[name], b) {
				t.Errorf("%s changed", name)
			}
		}
		if got := loadReport(t, filepath.Join(dir, "ro.duckdb")); strings.Join(got, "\n") != strings.Join(loads, "\n") {
			t.Errorf("the run loaded files although it could not write its outputs:\n%v", got)
		}
	})
}

// TestFaultRunSummaryAndJSONLogs runs with one refused file and JSON logs:
// every stderr line is a JSON object (no progress line off a terminal),
// the exit status is 3, and run.json (also kept in the runs table, read
// back by "status --json") accounts for the inputs, loads, rows, the
// refused file's problems, the steps and the versions.
func TestFaultRunSummaryAndJSONLogs(t *testing.T) {
	dir := t.TempDir()
	inputs := testInputs(t, dir, 0)
	bad := filepath.Join(dir, "in", "bad.csv")
	obs, _ := os.ReadFile(inputs[1])
	header, _, _ := strings.Cut(string(obs), "\n")
	if err := os.WriteFile(bad, []byte(header+"\n060,Pác Nặm,new_coops,2019-01,period,không biết,x\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	all := append(append([]string{}, inputs...), bad)
	code, stdout, stderr := runBinary(t, dir, pinnedEnv, runArgs("db.duckdb", "out", all)...)
	if code != pipeline.ExitData {
		t.Fatalf("run with a bad file: exit %d, want %d\n%s", code, pipeline.ExitData, stderr)
	}
	if strings.Contains(stderr, "\r") {
		t.Error("progress line drawn although stderr is not a terminal")
	}
	for _, l := range strings.Split(strings.TrimSpace(stderr), "\n") {
		if strings.HasPrefix(l, "thidua: ") || strings.HasPrefix(l, "  ") {
			continue // the final error message, for people
		}
		var m map[string]any
		if err := json.Unmarshal([]byte(l), &m); err != nil || m["msg"] == nil || m["level"] == nil {
			t.Errorf("log line is not a JSON record: %q", l)
		}
	}
	if !strings.Contains(stderr, "bad.csv:2") {
		t.Errorf("stderr does not point at bad.csv:2:\n%s", stderr)
	}
	_ = stdout

	s := readRunJSON(t, filepath.Join(dir, "out"))
	if s.Status != "refused" || s.ExitStatus != pipeline.ExitData || s.Command != "run" || s.RunID == "" || s.Seconds <= 0 {
		t.Errorf("run.json header: %+v", s)
	}
	if len(s.Inputs) != len(all) || s.Sample {
		t.Errorf("run.json inputs: %v (sample %v)", s.Inputs, s.Sample)
	}
	if len(s.Loads) != len(inputs) {
		t.Errorf("run.json loads: %+v", s.Loads)
	}
	var inserted int64
	for _, l := range s.Loads {
		if l.LoadID == 0 || len(l.SHA256) != 64 || l.Rows == 0 || l.Inserted == 0 || l.Repeat {
			t.Errorf("run.json load: %+v", l)
		}
		inserted += int64(l.Inserted)
	}
	if s.Rows["observations"] != inserted || s.Rows["indicator_pop"] == 0 || s.Rows["scores"] == 0 {
		t.Errorf("run.json rows: %v (loads inserted %d)", s.Rows, inserted)
	}
	if len(s.Refused) != 1 || filepath.Base(s.Refused[0].File) != "bad.csv" || len(s.Refused[0].Problems) == 0 ||
		!strings.Contains(s.Refused[0].Problems[0].At, "bad.csv:2") {
		t.Errorf("run.json refused: %+v", s.Refused)
	}
	var names []string
	for _, st := range s.Steps {
		names = append(names, st.Name)
		if st.Seconds <= 0 {
			t.Errorf("step %s took %v s", st.Name, st.Seconds)
		}
	}
	if strings.Join(names, ",") != "ingest,transform,render,export" {
		t.Errorf("run.json steps: %v", names)
	}
	if v := s.Versions; v.Thidua == "" || !strings.HasPrefix(v.Go, "go1.") || !strings.HasPrefix(v.DuckDBGo, "v2.") || !strings.HasPrefix(v.DuckDB, "v1.") {
		t.Errorf("run.json versions: %+v", v)
	}

	code, stdout, stderr = runBinary(t, dir, nil, "status", "--db", "db.duckdb", "--json")
	if code != 0 {
		t.Fatalf("status --json: exit %d\n%s", code, stderr)
	}
	var st pipeline.StatusJSON
	if err := json.Unmarshal([]byte(stdout), &st); err != nil {
		t.Fatalf("status --json: %v\n%s", err, stdout)
	}
	if st.LastRun == nil || st.LastRun.ID != s.RunID || st.LastRun.Status != "refused" || st.LastRun.ExitCode != pipeline.ExitData {
		t.Errorf("status: last run %+v, want %s refused exit %d", st.LastRun, s.RunID, pipeline.ExitData)
	}
}

// TestFaultLongLineCSV feeds ingest a 50 MB CSV file of one line (a 1 GB
// one would prove the same, slower): it is refused with a clear message
// naming the limit, nothing is loaded, and the process's peak memory stays
// within a few MB of what a tiny file costs, so the file is never held whole.
func TestFaultLongLineCSV(t *testing.T) {
	dir := t.TempDir()
	small := filepath.Join(dir, "small.csv")
	os.WriteFile(small, []byte("unit_code,unit,indicator,period,basis,value,note\n060,Pác Nặm,new_coops,2020-01,period,1,x\n"), 0o644)
	big := filepath.Join(dir, "big.csv")
	f, err := os.Create(big)
	if err != nil {
		t.Fatal(err)
	}
	chunk := bytes.Repeat([]byte("a"), 1<<20)
	for range 50 {
		f.Write(chunk)
	}
	f.Close()

	peak := func(args ...string) (int, string, int64) {
		cmd := exec.Command(binary, args...)
		cmd.Dir = dir
		var errb bytes.Buffer
		cmd.Stderr = &errb
		err := cmd.Run()
		code := 0
		if ee, ok := err.(*exec.ExitError); ok {
			code = ee.ExitCode()
		} else if err != nil {
			t.Fatal(err)
		}
		ru, _ := cmd.ProcessState.SysUsage().(*syscall.Rusage)
		var kb int64
		if ru != nil {
			kb = ru.Maxrss
		}
		return code, errb.String(), kb
	}
	code, stderr, base := peak("ingest", "--db", "small.duckdb", "small.csv")
	if code != 0 {
		t.Fatalf("small file: exit %d\n%s", code, stderr)
	}
	code, stderr, rss := peak("ingest", "--db", "big.duckdb", "big.csv")
	if code != pipeline.ExitData || !strings.Contains(stderr, "longer than the limit") {
		t.Fatalf("50 MB single-line file: exit %d, want %d and \"longer than the limit\"\n%s", code, pipeline.ExitData, stderr)
	}
	if got := loadReport(t, filepath.Join(dir, "big.duckdb")); len(got) != 0 {
		t.Errorf("the refused file was loaded: %v", got)
	}
	t.Logf("peak memory: %d MB for a tiny file, %d MB for the 50 MB line", base>>10, rss>>10)
	if rss-base > 30<<10 {
		t.Errorf("peak memory %d MB with the 50 MB line, %d MB with a tiny file: the line was held in memory", rss>>10, base>>10)
	}
}
