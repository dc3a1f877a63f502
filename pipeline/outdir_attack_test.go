//go:build unix

package pipeline

import (
	"context"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/thidua/thidua/internal/testtree"
)

// TestOutputPlantedTempNames: links planted in the output folder under the
// temporary names of run.json and of an output folder (the fixed names of
// earlier versions, .NAME.tmp-PID, and even the random name this run
// draws) are neither written through nor removed as if they were ours:
// what they point to, inside or outside the output folder, is unchanged.
func TestOutputPlantedTempNames(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	victimDir, victimFile := testtree.Outside(t, dir)
	out := filepath.Join(dir, "out")
	inner := filepath.Join(out, "dashboards", "index.html") // a file of the output itself
	testtree.WriteFile(t, inner, "published", time.Time{})
	o, err := openOut(out, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	defer o.Close()

	draws := 0
	saved := randomText
	defer func() { randomText = saved }()
	randomText = func() string {
		draws++
		if draws%2 == 1 {
			return "PLANTED"
		}
		return "FRESH" + strconv.Itoa(draws)
	}
	pid := strconv.Itoa(os.Getpid())
	plant := map[string]string{
		".run.json.tmp-" + pid:                victimFile,
		".run.json.tmp-" + pid + "-PLANTED":   inner,
		".parquet.tmp-" + pid:                 victimDir,
		".parquet.tmp-" + pid + "-PLANTED":    victimDir,
		".parquet.old-" + pid + "-PLANTED":    victimDir,
		".dashboards.tmp-" + pid + "-PLANTED": filepath.Join(out, "dashboards"),
	}
	for n, to := range plant {
		if err := os.Symlink(to, filepath.Join(out, n)); err != nil {
			t.Fatal(err)
		}
	}
	before := testtree.Snapshot(t, dir, filepath.Join(out, "run.json"), filepath.Join(out, "parquet"))

	if err := o.writeFile("run.json", []byte(`{"ok":true}`)); err != nil {
		t.Fatal(err)
	}
	if err := o.publish(ctx, "parquet", func(tmp string) error {
		return os.WriteFile(filepath.Join(tmp, "x.parquet"), []byte("new"), 0o644)
	}); err != nil {
		t.Fatal(err)
	}
	if err := o.publish(ctx, "parquet", func(tmp string) error { // again: the old one is swapped out
		return os.WriteFile(filepath.Join(tmp, "x.parquet"), []byte("newer"), 0o644)
	}); err != nil {
		t.Fatal(err)
	}
	testtree.SameSnapshot(t, "around the new outputs", before, testtree.Snapshot(t, dir, filepath.Join(out, "run.json"), filepath.Join(out, "parquet")))
	if b, err := os.ReadFile(filepath.Join(out, "run.json")); err != nil || string(b) != `{"ok":true}` {
		t.Errorf("run.json: %q %v", b, err)
	}
	if b, err := os.ReadFile(filepath.Join(out, "parquet", "x.parquet")); err != nil || string(b) != "newer" {
		t.Errorf("parquet: %q %v", b, err)
	}
	if draws < 4 {
		t.Errorf("%d random names drawn: the planted one was not passed over", draws)
	}
	// cleanLeftovers removes the links planted under names of this (live)
	// process' dead predecessors only as links: their targets stay.
	for n := range plant {
		if strings.Contains(n, "PLANTED") {
			os.Remove(filepath.Join(out, n))
		}
	}
	dead := filepath.Join(out, ".site.tmp-999999999-ABC")
	if err := os.Symlink(victimDir, dead); err != nil {
		t.Fatal(err)
	}
	if err := o.cleanLeftovers(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Lstat(dead); !os.IsNotExist(err) {
		t.Errorf("a dead run's leftover link stays: %v", err)
	}
	if b, err := os.ReadFile(filepath.Join(victimDir, "keep.txt")); err != nil || string(b) != "keep" {
		t.Errorf("cleaning a leftover link touched its target: %q %v", b, err)
	}
}
