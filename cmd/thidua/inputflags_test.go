package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/thidua/thidua/pipeline"
)

// TestInputFlags: a CSV without unit and period columns is read with
// --unit and --period; an ambiguous "1.234" is refused under the default
// locale and read as 1234 with --locale vi.
func TestInputFlags(t *testing.T) {
	dir := t.TempDir()
	f := filepath.Join(dir, "pac-nam-h1.csv")
	os.WriteFile(f, []byte("chỉ tiêu;giá trị\nThu ngân sách;1.234\nHTX thành lập mới;5\n"), 0o644)
	db := filepath.Join(dir, "t.duckdb")
	env := []string{"THIDUA_NOW=2021-01-15"}

	code, _, stderr := runBinary(t, dir, env, "validate", f)
	if code != pipeline.ExitData || !strings.Contains(stderr, `missing column "unit"`) || !strings.Contains(stderr, `missing column "period"`) {
		t.Fatalf("without --unit/--period: exit %d\n%s", code, stderr)
	}
	code, _, stderr = runBinary(t, dir, env, "validate", "--unit", "Huyện Pác Nặm", "--period", "6 tháng đầu năm 2020", f)
	if code != pipeline.ExitData || !strings.Contains(stderr, "pac-nam-h1.csv:2:giá trị:") || !strings.Contains(stderr, "ambiguous") {
		t.Fatalf("ambiguous number: exit %d\n%s", code, stderr)
	}
	code, out, stderr := runBinary(t, dir, env, "ingest", "--db", db, "--unit", "Huyện Pác Nặm", "--period", "6 tháng đầu năm 2020", "--locale", "vi", f)
	if code != 0 || !strings.Contains(out, "values inserted 2") {
		t.Fatalf("with --locale vi: exit %d\n%s\n%s", code, out, stderr)
	}
	code, _, stderr = runBinary(t, dir, env, "ingest", "--db", db, "--locale", "fr", f)
	if code != pipeline.ExitConfig || !strings.Contains(stderr, "locale = fr") {
		t.Fatalf("--locale fr: exit %d\n%s", code, stderr)
	}
}
