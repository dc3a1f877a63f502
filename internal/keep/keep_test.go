package keep

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

func write(t *testing.T, p, s string) {
	t.Helper()
	if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestFileLinks(t *testing.T) {
	dir := t.TempDir()
	from, to := filepath.Join(dir, "a"), filepath.Join(dir, "b")
	write(t, from, "period data")
	if err := File(from, to); err != nil {
		t.Fatal(err)
	}
	fa, _ := os.Stat(from)
	fb, _ := os.Stat(to)
	if !os.SameFile(fa, fb) {
		t.Errorf("%s is not a hard link to %s", to, from)
	}
}

func TestFileCopiesAcrossFileSystems(t *testing.T) {
	// /dev/shm is another file system than the test's temporary folder on
	// most Linux machines: os.Link fails there and File copies.
	shm, err := os.MkdirTemp("/dev/shm", "keep")
	if err != nil {
		t.Skip("no /dev/shm:", err)
	}
	defer os.RemoveAll(shm)
	from, to := filepath.Join(shm, "a"), filepath.Join(t.TempDir(), "b")
	write(t, from, "period data")
	if os.Link(from, to+".probe") == nil {
		t.Skip("/dev/shm and the temporary folder are one file system here")
	}
	if err := File(from, to); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(to); string(b) != "period data" {
		t.Errorf("copy holds %q", b)
	}
}

func TestFileRefuses(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(dir, "secret")
	write(t, target, "not ours")
	link := filepath.Join(dir, "link")
	if err := os.Symlink(target, link); err != nil {
		t.Fatal(err)
	}
	for _, from := range []string{link, dir} {
		to := filepath.Join(t.TempDir(), "b")
		if err := File(from, to); !errors.Is(err, ErrNotRegular) {
			t.Errorf("File(%s): %v, want ErrNotRegular", from, err)
		}
		if _, err := os.Lstat(to); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("File(%s) left %s behind", from, to)
		}
	}
	// An existing file at to is never replaced.
	from, to := filepath.Join(dir, "a"), filepath.Join(dir, "b")
	write(t, from, "new")
	write(t, to, "old")
	if err := File(from, to); err == nil {
		t.Error("File replaced an existing file")
	}
	if b, _ := os.ReadFile(to); string(b) != "old" {
		t.Errorf("existing file now holds %q", b)
	}
	if err := File(filepath.Join(dir, "missing"), filepath.Join(dir, "c")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing file: %v", err)
	}
}

func TestReadFile(t *testing.T) {
	dir := t.TempDir()
	write(t, filepath.Join(dir, "keys.json"), `{"a":"1"}`)
	if b, err := ReadFile(dir, "keys.json"); err != nil || string(b) != `{"a":"1"}` {
		t.Fatalf("ReadFile: %q, %v", b, err)
	}
	if err := os.Symlink(filepath.Join(dir, "keys.json"), filepath.Join(dir, "link.json")); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadFile(dir, "link.json"); !errors.Is(err, ErrNotRegular) {
		t.Errorf("a link to a file: %v, want ErrNotRegular", err)
	}
	linkedDir := filepath.Join(t.TempDir(), "d")
	if err := os.Symlink(dir, linkedDir); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadFile(linkedDir, "keys.json"); !errors.Is(err, ErrNotRegular) {
		t.Errorf("a linked folder: %v, want ErrNotRegular", err)
	}
	if _, err := ReadFile(dir, "missing.json"); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing: %v", err)
	}
}
