package main

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/thidua/thidua/pipeline"
)

// TestUsageErrorsAreTyped: every kind of command-line mistake cobra finds
// comes back as a *usageError (from the flag-error hook or an argument
// validator), so its exit status does not depend on cobra's wording.
func TestUsageErrorsAreTyped(t *testing.T) {
	dir := t.TempDir()
	for _, args := range [][]string{
		{"nosuchcommand"},                       // unknown command
		{"tranform"},                            // unknown command with a suggestion
		{"run", "--nosuchflag"},                 // unknown flag
		{"run", "-Z"},                           // unknown shorthand
		{"run", "--db"},                         // flag needs an argument
		{"ingest", "--settle", "soon", "x.csv"}, // flag value that does not parse
		{"run", "--single-file=maybe"},          // bool flag value that does not parse
		{"status", "extra"},                     // no arguments accepted
		{"validate"},                            // at least one argument required
		{"template", "--out", dir},              // required flag --period left out
	} {
		var out, errb bytes.Buffer
		root := newRootCmd(&factory{IO: &pipeline.IO{In: strings.NewReader(""), Out: &out, Err: &errb}})
		root.SetArgs(args)
		root.SetOut(&out)
		root.SetErr(&errb)
		err := root.ExecuteContext(context.Background())
		var ue *usageError
		if !errors.As(err, &ue) {
			t.Errorf("%v: err %v (%T), want a *usageError", args, err, err)
			continue
		}
		if code := exitCode(context.Background(), err); code != pipeline.ExitConfig {
			t.Errorf("%v: exit status %d, want %d", args, code, pipeline.ExitConfig)
		}
	}
	if code, _, errs := cli(t, "tranform"); code != pipeline.ExitConfig || !strings.Contains(errs, "did you mean transform?") {
		t.Errorf("unknown command: exit %d (want %d), no suggestion in %q", code, pipeline.ExitConfig, errs)
	}
	// The root alone still shows the help.
	if code, out, _ := cli(t); code != pipeline.ExitOK || !strings.Contains(out, "Available Commands") {
		t.Errorf("thidua alone: code %d\n%s", code, out)
	}
}

// TestExitStatusIgnoresWording: an error that merely reads like cobra's
// usage errors is not one.
func TestExitStatusIgnoresWording(t *testing.T) {
	for _, msg := range []string{"requires a disk", "unknown command \"x\"", "invalid argument", "flag needs an argument"} {
		if code := exitCode(context.Background(), errors.New(msg)); code != pipeline.ExitInternal {
			t.Errorf("%q: exit status %d, want %d", msg, code, pipeline.ExitInternal)
		}
	}
}
