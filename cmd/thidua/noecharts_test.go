package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/thidua/thidua/pipeline"
)

// TestBuiltWithoutECharts builds thidua as a plain `go build` of a fresh
// clone would (no dashboards/assets/echarts.min.js, or no fflate.min.js,
// hidden with an overlay) and checks that run and dashboards refuse at
// once, before they open the database, with a message that says how to
// build thidua properly.
func TestBuiltWithoutECharts(t *testing.T) {
	if testing.Short() {
		t.Skip("builds two more thidua binaries; skipped with -short")
	}
	for _, name := range []string{"echarts.min.js", "fflate.min.js"} {
		asset, err := filepath.Abs(filepath.Join("..", "..", "dashboards", "assets", name))
		if err != nil {
			t.Fatal(err)
		}
		dir := t.TempDir()
		overlay, _ := json.Marshal(map[string]map[string]string{"Replace": {asset: ""}})
		ov := filepath.Join(dir, "overlay.json")
		if err := os.WriteFile(ov, overlay, 0o600); err != nil {
			t.Fatal(err)
		}
		bin := filepath.Join(dir, "thidua-without")
		if out, err := exec.Command("go", "build", "-overlay", ov, "-o", bin, ".").CombinedOutput(); err != nil {
			t.Fatalf("go build without %s: %v\n%s", name, err, out)
		}
		for _, args := range [][]string{{"run"}, {"dashboards"}} {
			work := t.TempDir()
			cmd := exec.Command(bin, args...)
			cmd.Dir = work
			out, err := cmd.CombinedOutput()
			ee, ok := err.(*exec.ExitError)
			if !ok || ee.ExitCode() != pipeline.ExitInternal {
				t.Errorf("without %s, %v: err %v, want exit status %d\n%s", name, args, err, pipeline.ExitInternal, out)
			}
			for _, want := range []string{"no ECharts or no fflate", "make build", "scripts/fetch-echarts.sh", name} {
				if !strings.Contains(string(out), want) {
					t.Errorf("without %s, %v: output lacks %q:\n%s", name, args, want, out)
				}
			}
			if _, err := os.Stat(filepath.Join(work, "thidua.duckdb")); err == nil {
				t.Errorf("without %s, %v: opened the database before finding that it cannot render", name, args)
			}
		}
	}
}
