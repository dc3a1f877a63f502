//go:build unix

package ingest

import (
	"errors"
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/thidua/thidua"
)

// TestPlainFilesOnly: with Options.PlainFilesOnly every reader refuses a
// symbolic link (whatever it points to) and a named pipe (without waiting
// for a writer) with ErrNotPlainFile; without it a link is followed.
func TestPlainFilesOnly(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(dir, "target.csv")
	if err := os.WriteFile(target, []byte("unit_code,indicator_code,period,value\n060,new_coops,2020-01,3\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	opts := Options{Cluster: testCluster(), PlainFilesOnly: true}
	for _, name := range []string{"link.csv", "link.xlsx", "link.parquet", "link"} {
		p := filepath.Join(dir, name)
		if err := os.Symlink(target, p); err != nil {
			t.Fatal(err)
		}
		if _, err := ReadFile(p, opts); !errors.Is(err, ErrNotPlainFile) {
			t.Errorf("%s: %v, want ErrNotPlainFile", name, err)
		}
	}
	fifo := filepath.Join(dir, "pipe.csv")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadFile(fifo, opts); !errors.Is(err, ErrNotPlainFile) {
		t.Errorf("named pipe: %v, want ErrNotPlainFile", err)
	}
	if _, err := ReadFile(target, opts); err != nil {
		t.Errorf("plain file: %v", err)
	}
	opts.PlainFilesOnly = false
	if b, err := ReadFile(filepath.Join(dir, "link.csv"), opts); err != nil || len(b.Observations) != 1 {
		t.Errorf("link without PlainFilesOnly: %v, %d observations", err, len(b.Observations))
	}
}

// TestTemplateOverPlantedLink: a symbolic link planted under a template's
// name is replaced by the new form, not written through.
func TestTemplateOverPlantedLink(t *testing.T) {
	dir := t.TempDir()
	victim := filepath.Join(dir, "victim.txt")
	os.WriteFile(victim, []byte("keep"), 0o644)
	out := filepath.Join(dir, "forms")
	os.MkdirAll(out, 0o755)
	p := thidua.MonthPeriod(2021, 3)
	link := filepath.Join(out, "066_"+p.String()+".xlsx")
	if err := os.Symlink(victim, link); err != nil {
		t.Fatal(err)
	}
	if _, err := WriteTemplates(out, testCluster(), p, TemplateOptions{Units: []string{"066"}}); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(victim); string(b) != "keep" {
		t.Errorf("the link's target was written: %q", b)
	}
	if st, err := os.Lstat(link); err != nil || !st.Mode().IsRegular() {
		t.Errorf("form: %v %v, want a plain file", st, err)
	}
}
