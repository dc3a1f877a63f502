package main

import (
	"regexp"
	"runtime/debug"
	"strings"
	"testing"
)

func TestVersionOf(t *testing.T) {
	for _, tc := range []struct {
		bi   debug.BuildInfo
		want string
	}{
		{debug.BuildInfo{Main: debug.Module{Version: "v1.2.0"}}, "v1.2.0"},
		{debug.BuildInfo{Main: debug.Module{Version: "(devel)"}, Settings: []debug.BuildSetting{
			{Key: "vcs.revision", Value: "0123456789abcdef0123"}, {Key: "vcs.time", Value: "2026-12-01T10:00:00Z"}, {Key: "vcs.modified", Value: "true"}}},
			"devel 0123456789ab+modified (2026-12-01T10:00:00Z)"},
		{debug.BuildInfo{Main: debug.Module{Version: "(devel)"}}, "devel"},
	} {
		if got := versionOf(&tc.bi); got != tc.want {
			t.Errorf("versionOf(%+v) = %q, want %q", tc.bi.Main, got, tc.want)
		}
	}
}

// TestVersionOfBinary: the binary built from this checkout says which
// revision it is, not just "devel".
func TestVersionOfBinary(t *testing.T) {
	code, out, stderr := runBinary(t, t.TempDir(), nil, "version")
	if code != 0 {
		t.Fatalf("version: exit %d\n%s", code, stderr)
	}
	first, _, _ := strings.Cut(out, "\n")
	if !regexp.MustCompile(`^thidua (v\d+\.\d+\.\d+\S*|devel [0-9a-f]{12}(\+modified)?( \(\S+\))?)$`).MatchString(first) {
		t.Errorf("version line %q: want a module version or a VCS revision", first)
	}
}
