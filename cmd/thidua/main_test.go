package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/thidua/thidua/pipeline"
)

// binary is the thidua executable built once for the whole test run; the
// end-to-end tests run it as a user would. It is built with the
// thiduatesthooks tag, which adds the hold points the tests that stop a run
// at a given moment use (pipeline/testhold_on.go); nothing else differs
// from a production build.
var binary string

func TestMain(m *testing.M) {
	code := func() int {
		dir, err := os.MkdirTemp("", "thidua-test-bin-")
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		defer os.RemoveAll(dir)
		binary = filepath.Join(dir, "thidua")
		build := exec.Command("go", "build", "-tags", "thiduatesthooks", "-o", binary, ".")
		build.Stdout, build.Stderr = os.Stderr, os.Stderr
		if err := build.Run(); err != nil {
			fmt.Fprintln(os.Stderr, "building thidua for the tests:", err)
			return 1
		}
		return m.Run()
	}()
	os.Exit(code)
}

// cli runs the command line in-process with buffers for its output.
func cli(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = execute(context.Background(), args, &pipeline.IO{In: strings.NewReader(""), Out: &out, Err: &errb})
	return code, out.String(), errb.String()
}

// runBinary runs the built executable in dir with the given environment
// additions.
func runBinary(t *testing.T, dir string, env []string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	cmd := exec.Command(binary, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	if ee, ok := err.(*exec.ExitError); ok {
		return ee.ExitCode(), out.String(), errb.String()
	} else if err != nil {
		t.Fatalf("run %v: %v", args, err)
	}
	return 0, out.String(), errb.String()
}

func TestHelpEveryCommand(t *testing.T) {
	code, out, _ := cli(t, "--help")
	if code != 0 || !strings.Contains(out, "Available Commands") {
		t.Fatalf("--help: code %d\n%s", code, out)
	}
	root := newRootCmd(&factory{IO: &pipeline.IO{}})
	for _, c := range root.Commands() {
		code, out, errs := cli(t, c.Name(), "--help")
		if code != 0 || !strings.Contains(out, "Usage:") {
			t.Errorf("%s --help: code %d, out %q, err %q", c.Name(), code, out, errs)
		}
	}
}

func TestUsageAndConfigErrors(t *testing.T) {
	dir := t.TempDir()
	cases := []struct {
		args []string
		code int
		want string
	}{
		{[]string{"nosuchcommand"}, pipeline.ExitConfig, "unknown command"},
		{[]string{"run", "--nosuchflag"}, pipeline.ExitConfig, "unknown flag"},
		{[]string{"transform", "--lang", "fr"}, pipeline.ExitConfig, "unknown flag"},
		{[]string{"run", "--lang", "fr", "--db", filepath.Join(dir, "x.duckdb")}, pipeline.ExitConfig, "lang = fr: want vi or en"},
		{[]string{"run", "--config", filepath.Join(dir, "missing.yaml")}, pipeline.ExitConfig, "missing.yaml"},
		{[]string{"template", "--period", "Q5/2020", "--out", dir}, pipeline.ExitConfig, "--period"},
		{[]string{"template", "--period", "2020-H1", "--unit", "Hà Nội", "--out", dir}, pipeline.ExitConfig, "not a unit"},
	}
	for _, tc := range cases {
		code, _, errs := cli(t, tc.args...)
		if code != tc.code || !strings.Contains(errs, tc.want) {
			t.Errorf("%v: code %d (want %d), stderr %q (want %q)", tc.args, code, tc.code, errs, tc.want)
		}
		if lines := strings.Count(strings.TrimSpace(errs), "\n"); lines > 0 && tc.code == pipeline.ExitConfig {
			t.Errorf("%v: want a one-line cause, got %q", tc.args, errs)
		}
	}
}

// TestBadRuleBeforeLoading: a malformed rule in the configuration stops the
// run with exit status 2 naming the rule, before any input is loaded (the
// database is not even created).
func TestBadRuleBeforeLoading(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "thidua.yaml")
	if err := os.WriteFile(cfg, []byte("rules:\n  - \"ntm_communes =< communes\"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	db := filepath.Join(dir, "x.duckdb")
	code, _, errs := cli(t, "run", "--config", cfg, "--db", db, "--out", filepath.Join(dir, "out"))
	if code != pipeline.ExitConfig || !strings.Contains(errs, "ntm_communes =< communes") {
		t.Errorf("code %d (want %d), stderr %q", code, pipeline.ExitConfig, errs)
	}
	if _, err := os.Stat(db); !os.IsNotExist(err) {
		t.Errorf("database created before the bad rule was found: %v", err)
	}
}
