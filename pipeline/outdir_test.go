//go:build unix

package pipeline

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/thidua/thidua/config"
)

// TestFaultOutputConfined checks that nothing is written outside the output
// folder: names with ".." or a separator are refused, a writer that reports
// a file outside its folder fails the publish without swapping anything in,
// a symbolic link in the new folder is refused, and an output name that is
// a symbolic link to another folder is replaced, not written through.
func TestFaultOutputConfined(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	out := filepath.Join(dir, "out")
	o, err := openOut(out, log)
	if err != nil {
		t.Fatal(err)
	}
	defer o.Close()
	a := &App{cfg: nil, log: log, out: o}

	for _, name := range []string{"../evil", "a/b", "..", ".", "", ".hidden", `a\b`} {
		if err := o.publish(ctx, name, func(string) error { return nil }); err == nil {
			t.Errorf("publish %q: want a refusal", name)
		}
		if err := o.writeFile(name, []byte("x")); err == nil {
			t.Errorf("writeFile %q: want a refusal", name)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "evil")); err == nil {
		t.Error("a file was written outside the output folder")
	}

	// A writer that says it wrote outside its folder.
	a.cfg = &config.Config{Out: out}
	_, err = a.publishDir(ctx, filepath.Join(out, "site"), func(tmp string) ([]string, error) {
		return []string{filepath.Join(tmp, "..", "..", "escaped.html")}, nil
	})
	if !errors.Is(err, errOutside) {
		t.Errorf("writer reporting a file outside: %v", err)
	}
	if _, err := os.Stat(filepath.Join(out, "site")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the refused output was swapped in: %v", err)
	}
	if _, err := a.publishDir(ctx, filepath.Join(dir, "elsewhere"), func(string) ([]string, error) { return nil, nil }); err == nil {
		t.Error("publishDir outside the output folder: want a refusal")
	}

	// A symbolic link inside the new folder.
	err = o.publish(ctx, "site", func(tmp string) error {
		return os.Symlink("/etc/passwd", filepath.Join(tmp, "passwd"))
	})
	if !errors.Is(err, errNotPlain) {
		t.Errorf("symbolic link in the output: %v", err)
	}

	// OUT/site is a symbolic link to a folder outside: the new site
	// replaces the link, the folder it pointed to is untouched.
	victim := filepath.Join(dir, "victim")
	os.MkdirAll(victim, 0o755)
	os.WriteFile(filepath.Join(victim, "keep.txt"), []byte("keep"), 0o644)
	if err := os.Symlink(victim, filepath.Join(out, "site")); err != nil {
		t.Fatal(err)
	}
	if err := o.publish(ctx, "site", func(tmp string) error {
		return os.WriteFile(filepath.Join(tmp, "index.html"), []byte("new"), 0o644)
	}); err != nil {
		t.Fatal(err)
	}
	if st, err := os.Lstat(filepath.Join(out, "site")); err != nil || !st.IsDir() {
		t.Errorf("OUT/site after publish: %v %v, want a real folder", st, err)
	}
	if b, err := os.ReadFile(filepath.Join(victim, "keep.txt")); err != nil || string(b) != "keep" {
		t.Errorf("the folder the link pointed to changed: %q %v", b, err)
	}
	if _, err := os.Stat(filepath.Join(victim, "index.html")); err == nil {
		t.Error("the new site was written through the symbolic link")
	}

	// Publishing again swaps the old site out and removes it.
	if err := o.publish(ctx, "site", func(tmp string) error {
		return os.WriteFile(filepath.Join(tmp, "index.html"), []byte("newer"), 0o644)
	}); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(filepath.Join(out, "site", "index.html")); string(b) != "newer" {
		t.Errorf("site after the second publish: %q", b)
	}
	// A failing writer leaves the published site as it was.
	if err := o.publish(ctx, "site", func(tmp string) error {
		os.WriteFile(filepath.Join(tmp, "index.html"), []byte("half"), 0o644)
		return errors.New("disk full")
	}); err == nil {
		t.Error("failing writer: want its error")
	}
	if b, _ := os.ReadFile(filepath.Join(out, "site", "index.html")); string(b) != "newer" {
		t.Errorf("site after a failed publish: %q", b)
	}
	entries, _ := os.ReadDir(out)
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".") {
			t.Errorf("temporary entry left: %s", e.Name())
		}
	}

	// Leftovers of killed runs are removed by the next run under the lock;
	// the temporary output of a live process (another thidua on another
	// database writing to the same folder) is left alone.
	dead := exec.Command("true")
	if err := dead.Run(); err != nil {
		t.Fatal(err)
	}
	gone, live := strconv.Itoa(dead.Process.Pid), strconv.Itoa(os.Getppid())
	for _, n := range []string{".site.tmp-" + gone, ".parquet.old-" + gone, ".run.json.tmp-" + gone, ".csv.tmp-" + live} {
		os.MkdirAll(filepath.Join(out, n, "x"), 0o755)
	}
	os.WriteFile(filepath.Join(out, ".keep-me"), nil, 0o644)
	if err := o.cleanLeftovers(); err != nil {
		t.Fatal(err)
	}
	entries, _ = os.ReadDir(out)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if got, want := strings.Join(names, ","), ".csv.tmp-"+live+",.keep-me,site"; got != want {
		t.Errorf("after cleaning leftovers: %s, want %s", got, want)
	}
}
